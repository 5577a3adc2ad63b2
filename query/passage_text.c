/* fouille_passages_text and the SQL function fouille_passages_text(text,
 * query, n, length): Fouille's passages of any text, for hits that come
 * from elsewhere (an OpenSearch cluster fed by fouille-export): the same
 * builder as the fouille_passages() auxiliary function (fts5_aux.c), with
 * the same term weights (every term 1), on the text given. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "query_private.h"
#include "query_sqlite.h"

FOUILLE_EXTERN int fouille_passages_text(char **out, const char *query, const char *text,
                                         size_t len, int n_passages, int passage_length) {
  fouille__parsed p;
  fouille_analyzer *an = NULL;
  fouille_passage *ps = NULL;
  size_t nps = 0;
  if (!out) return fouille__error(FOUILLE_EINVAL, "fouille_passages_text: no output");
  *out = NULL;
  if (!query || (!text && len))
    return fouille__error(FOUILLE_EINVAL, "fouille_passages_text: no query or text");
  if (n_passages < 0 || n_passages > 100 || passage_length < 1 || passage_length > 100000)
    return fouille__error(FOUILLE_EINVAL, "passages must be from 0 to 100, length 1 to 100000");
  int rc = fouille__query_parse(query, &p);
  if (rc) return rc;
  if (!(rc = fouille_analyzer_new(&an, 0)))
    rc = fouille__passages_make(an, text ? text : "", len, p.terms, NULL, p.n_terms, n_passages,
                                passage_length, &ps, &nps);
  if (!rc) {
    json_t *arr = fouille__passages_json(ps, nps);
    *out = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(arr);
    if (!*out) rc = fouille__error(FOUILLE_ENOMEM, "out of memory making passages");
  }
  fouille__passages_free(ps, nps);
  fouille_analyzer_free(an);
  fouille__parsed_free(&p);
  return rc;
}

void fouille__sql_passages_text(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *text = (const char *)sqlite3_value_text(argv[0]);
  const char *query = (const char *)sqlite3_value_text(argv[1]);
  char *json = NULL;
  int rc = fouille_passages_text(&json, query ? query : "", text,
                                 text ? (size_t)sqlite3_value_bytes(argv[0]) : 0,
                                 sqlite3_value_int(argv[2]), sqlite3_value_int(argv[3]));
  if (rc == FOUILLE_EPARSE) {
    sqlite3_result_text(ctx, "[]", 2, SQLITE_STATIC); /* as fouille_passages() */
  } else if (rc == FOUILLE_ENOMEM) {
    sqlite3_result_error_nomem(ctx);
  } else if (rc) {
    char *msg = sqlite3_mprintf("fouille_passages_text: %s", fouille_error_last());
    sqlite3_result_error(ctx, msg ? msg : "fouille_passages_text: bad arguments", -1);
    sqlite3_free(msg);
  } else {
    sqlite3_result_text(ctx, json, -1, free);
  }
}
