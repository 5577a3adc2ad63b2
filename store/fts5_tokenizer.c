/* The FTS5 tokenizer "fouille_fr" (v1 API, as SQLite 3.40 has): FTS5's
 * create/delete/tokenize around the French analyzer, one analyzer (and so
 * one stem cache) per tokenizer instance. */
#include <stdlib.h>

#include "error.h"
#include "fouille/analyzer.h"
#include "sqlite_glue.h"

typedef struct token_ctx {
  void *fts5_ctx;
  int (*x_token)(void *, int, const char *, int, int, int);
} token_ctx;

int fouille__sqlite_code(int status) {
  if (status > 0) return status; /* already an SQLite code, from a callback */
  if (status == FOUILLE_ENOMEM) return SQLITE_NOMEM;
  return SQLITE_ERROR;
}

static int tok_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)unused;
  (void)argv;
  *out = NULL;
  if (argc > 0) return SQLITE_ERROR; /* fouille_fr takes no options */
  fouille_analyzer *a = NULL;
  if (fouille_analyzer_new(&a, 0) != FOUILLE_OK) return SQLITE_NOMEM;
  *out = (Fts5Tokenizer *)a;
  return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) { fouille_analyzer_free((fouille_analyzer *)t); }

static int forward(int flags, const char *term, int len, int start, int end, void *payload) {
  token_ctx *c = payload;
  int f = (flags & FOUILLE_TERM_COLOCATED) ? FTS5_TOKEN_COLOCATED : 0;
  return c->x_token(c->fts5_ctx, f, term, len, start, end);
}

static int tok_tokenize(Fts5Tokenizer *t, void *fts5_ctx, int flags, const char *text, int len,
                        int (*x_token)(void *, int, const char *, int, int, int)) {
  fouille_analyze_mode mode = FOUILLE_ANALYZE_DOCUMENT;
  if (flags & FTS5_TOKENIZE_PREFIX)
    mode = FOUILLE_ANALYZE_PREFIX;
  else if (flags & FTS5_TOKENIZE_QUERY)
    mode = FOUILLE_ANALYZE_QUERY;
  token_ctx c = {fts5_ctx, x_token};
  int rc = fouille_analyzer_run((fouille_analyzer *)t, mode, text, len < 0 ? 0 : (size_t)len,
                                forward, &c);
  return rc == 0 ? SQLITE_OK : fouille__sqlite_code(rc);
}

fts5_api *fouille__fts5_api(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

int fouille__fts5_tokenizer_register(sqlite3 *db) {
  static fts5_tokenizer tokenizer = {tok_create, tok_delete, tok_tokenize};
  fts5_api *api = fouille__fts5_api(db);
  if (!api || api->iVersion < 2)
    return fouille__error(FOUILLE_EDB, "this SQLite has no FTS5 (need SQLite 3.40+ with FTS5)");
  if (api->xCreateTokenizer(api, "fouille_fr", NULL, &tokenizer, NULL) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "cannot register the fouille_fr tokenizer: %s",
                          sqlite3_errmsg(db));
  return FOUILLE_OK;
}
