/* FTS5 auxiliary functions: fouille_rank() scores a row by BM25F over the
 * columns (title weighs more than body) plus bonuses for each query phrase
 * the row holds at all and in its title, for phrases typed side by side
 * that stand side by side, and for all of them close together in the body;
 * fouille_passages() returns the best passages of the body as JSON. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "query_private.h"
#include "query_sqlite.h"
#include "rank_private.h"

typedef fouille__rank_data rank_data;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *p) {
  (void)api, (void)fts;
  (*(sqlite3_int64 *)p)++;
  return SQLITE_OK;
}

/* Column weights from the SQL arguments (title, body, …), else defaults. */
static int read_weights(rank_data *d, int argc, sqlite3_value **argv) {
  for (int i = 0; i < argc && i < d->n_col; i++) {
    int t = sqlite3_value_numeric_type(argv[i]);
    if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return SQLITE_MISMATCH;
    d->weight[i] = sqlite3_value_double(argv[i]);
    if (!(d->weight[i] >= 0 && d->weight[i] < 1e6)) return SQLITE_RANGE;
  }
  return SQLITE_OK;
}

/* Document frequencies and average lengths: once per query. */
static int load_stats(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data *d) {
  sqlite3_int64 rows = 0;
  int rc = api->xRowCount(fts, &rows);
  for (int c = 0; rc == SQLITE_OK && c < d->n_col; c++) {
    sqlite3_int64 total = 0;
    rc = api->xColumnTotalSize(fts, c, &total);
    d->avg[c] = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
  }
  fouille__rank_hints *h = d->hints;
  int known = h && h->df && h->df_n == d->n_phrase; /* a scan per phrase spared */
  for (int p = 0; rc == SQLITE_OK && p < d->n_phrase; p++) {
    sqlite3_int64 df = 0;
    if (known)
      df = h->df[p];
    else
      rc = api->xQueryPhrase(fts, p, &df, count_row);
    if (!known && h && h->df && p < h->df_cap) h->df[p] = df;
    d->idf[p] =
        fouille__rank_idf((double)rows, (double)df) * fouille__rank_weight(h, p, d->n_phrase);
    d->size[p] = api->xPhraseSize(fts, p);
  }
  if (rc == SQLITE_OK && !known && h && h->df && d->n_phrase <= h->df_cap) h->df_n = d->n_phrase;
  return rc;
}

/* The row's instances into d->inst, in xInst's order. */
static int read_instances(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data *d, int *n) {
  int rc = api->xInstCount(fts, n);
  if (rc == SQLITE_OK) rc = fouille__rank_data_reserve(d, *n);
  for (int i = 0; rc == SQLITE_OK && i < *n; i++) {
    fouille__inst *v = &d->inst[i];
    rc = api->xInst(fts, i, &v->p, &v->c, &v->o);
  }
  return rc;
}

/* Column sizes: from the caller's hints when they hold the row (a docsize
 * lookup per match costs more than the rest of the score). */
static void column_sizes(const Fts5ExtensionApi *api, Fts5Context *fts, const rank_data *d,
                         int *len) {
  const fouille__rank_hints *h = d->hints;
  if (h && h->sizes && h->n_col == d->n_col) {
    long long i = (long long)api->xRowid(fts) - h->first;
    if (i >= 0 && i < h->n && h->sizes[i * d->n_col] >= 0) {
      memcpy(len, h->sizes + i * d->n_col, sizeof(int) * (size_t)d->n_col);
      return;
    }
  }
  for (int c = 0; c < d->n_col; c++)
    if (api->xColumnSize(fts, c, &len[c]) != SQLITE_OK) len[c] = 0;
}

/* From SQL, the query's text after the column weights: its request words
 * weigh less, as fouille_search weighs them, when its any-word form (what
 * fouille_query() gives) has as many phrases as the expression matched. */
static int query_weights(rank_data *d, int *argc, sqlite3_value **argv) {
  if (*argc != d->n_col + 1 || sqlite3_value_type(argv[*argc - 1]) != SQLITE_TEXT) return SQLITE_OK;
  const char *q = (const char *)sqlite3_value_text(argv[--*argc]);
  fouille__parsed p;
  double *w = NULL;
  int n = 0, rc = q ? fouille__query_parse(q, &p) : FOUILLE_EPARSE;
  if (rc == FOUILLE_ENOMEM) return SQLITE_NOMEM;
  if (rc) return SQLITE_OK; /* nothing to weigh */
  rc = fouille__phrase_weights(&p, p.fallback ? p.fallback : p.expr, &w, &n);
  fouille__parsed_free(&p);
  for (int i = 0; n == d->n_phrase && i < n; i++) d->idf[i] *= w[i];
  free(w);
  return rc ? SQLITE_NOMEM : SQLITE_OK;
}

/* The query's constants, on its first row: hints from C (topk.c) or
 * column weights and a query text from SQL. NULL after an error (set). */
static rank_data *rank_start(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sctx,
                             int argc, sqlite3_value **argv) {
  int rc, nc = api->xColumnCount(fts);
  rank_data *d = fouille__rank_data_new(api->xPhraseCount(fts), nc < 64 ? nc : 64);
  if (!d) {
    sqlite3_result_error_nomem(sctx);
    return NULL;
  }
  /* A trailing hints pointer can only come from C (topk.c). */
  if (argc > 0 && (d->hints = sqlite3_value_pointer(argv[argc - 1], FOUILLE__RANK_HINTS_TYPE)))
    argc--;
  if ((rc = load_stats(api, fts, d)) == SQLITE_OK && !d->hints) rc = query_weights(d, &argc, argv);
  if (rc == SQLITE_OK) rc = read_weights(d, argc, argv);
  if (rc == SQLITE_OK)
    rc = api->xSetAuxdata(fts, d, fouille__rank_data_free);
  else
    fouille__rank_data_free(d);
  if (rc == SQLITE_MISMATCH || rc == SQLITE_RANGE)
    sqlite3_result_error(sctx, "fouille_rank: weights must be numbers from 0 to 1e6", -1);
  else if (rc != SQLITE_OK)
    sqlite3_result_error_code(sctx, rc);
  return rc == SQLITE_OK ? d : NULL;
}

static void fouille_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sctx,
                         int argc, sqlite3_value **argv) {
  rank_data *d = api->xGetAuxdata(fts, 0);
  int rc = SQLITE_OK, n_inst = 0, len[64];
  if (!d && !(d = rank_start(api, fts, sctx, argc, argv))) return;
  if ((rc = read_instances(api, fts, d, &n_inst)) != SQLITE_OK) {
    sqlite3_result_error_code(sctx, rc);
    return;
  }
  column_sizes(api, fts, d, len);
  sqlite3_result_double(sctx, -fouille__rank_row(d, d->inst, n_inst, len));
}

/* ---- fouille_passages(table, n, length, query) ------------------------------ */

/* Connection-wide state: the analyzer, made on first use (a connection is
 * used by one thread at a time). */
typedef struct passages_ud {
  fouille_analyzer *an;
} passages_ud;

/* Per-query state kept as auxdata: the parsed query. */
typedef struct passages_q {
  char *query;
  int status; /* of the parse */
  fouille__parsed parsed;
} passages_q;

static void passages_q_free(void *p) {
  passages_q *q = p;
  if (!q) return;
  if (q->status == FOUILLE_OK) fouille__parsed_free(&q->parsed);
  sqlite3_free(q->query);
  sqlite3_free(q);
}

static void passages_ud_free(void *p) {
  passages_ud *ud = p;
  if (ud) fouille_analyzer_free(ud->an);
  sqlite3_free(ud);
}

/* The parsed query, reparsed when the text changes within a statement. */
static passages_q *passages_query(const Fts5ExtensionApi *api, Fts5Context *fts, const char *text) {
  passages_q *q = api->xGetAuxdata(fts, 0);
  if (q && strcmp(q->query, text) == 0) return q;
  if (!(q = sqlite3_malloc(sizeof *q))) return NULL;
  memset(q, 0, sizeof *q);
  if (!(q->query = sqlite3_mprintf("%s", text))) {
    sqlite3_free(q);
    return NULL;
  }
  q->status = fouille__query_parse(text, &q->parsed);
  return api->xSetAuxdata(fts, q, passages_q_free) == SQLITE_OK ? q : NULL;
}

/* [{"text": …, "highlights": [[start, end], …]}, …], as in search results. */
static char *passages_json(const fouille_passage *ps, size_t n) {
  json_t *arr = fouille__passages_json(ps, n);
  char *out = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(arr);
  return out;
}

static void fouille_passages(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sctx,
                             int argc, sqlite3_value **argv) {
  if (argc != 3) {
    sqlite3_result_error(sctx, "fouille_passages(table, n, length, query): 4 arguments", -1);
    return;
  }
  int n = sqlite3_value_int(argv[0]), length = sqlite3_value_int(argv[1]);
  const char *text = (const char *)sqlite3_value_text(argv[2]);
  if (n < 0 || n > 100 || length < 1 || length > 100000 || !text) {
    sqlite3_result_error(sctx, "fouille_passages: n must be 0-100, length 1-100000, query text",
                         -1);
    return;
  }
  passages_ud *ud = api->xUserData(fts);
  if (!ud->an && fouille_analyzer_new(&ud->an, 0) != FOUILLE_OK) goto nomem;
  passages_q *q = passages_query(api, fts, text);
  if (!q) goto nomem;
  if (q->status == FOUILLE_EPARSE || n == 0) {
    sqlite3_result_text(sctx, "[]", 2, SQLITE_STATIC);
    return;
  }
  if (q->status != FOUILLE_OK) {
    sqlite3_result_error(sctx, fouille_error_last(), -1);
    return;
  }
  const char *body = NULL;
  int len = 0, rc = api->xColumnText(fts, api->xColumnCount(fts) >= 2 ? 1 : 0, &body, &len);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(sctx, rc);
    return;
  }
  fouille_passage *ps = NULL;
  size_t nps = 0;
  if (fouille__passages_make(ud->an, body, body ? (size_t)len : 0, q->parsed.terms, NULL,
                             q->parsed.n_terms, n, length, &ps, &nps) != FOUILLE_OK)
    goto nomem;
  char *json = passages_json(ps, nps);
  fouille__passages_free(ps, nps);
  if (!json) goto nomem;
  sqlite3_result_text(sctx, json, -1, free);
  return;
nomem:
  sqlite3_result_error_nomem(sctx);
}

int fouille__fts5_aux_register(fts5_api *api) {
  int rc = api->xCreateFunction(api, "fouille_rank", NULL, fouille_rank, NULL);
  if (rc == SQLITE_OK) rc = fouille__rank_bounds_register(api);
  if (rc != SQLITE_OK) return rc;
  passages_ud *ud = sqlite3_malloc(sizeof *ud);
  if (!ud) return SQLITE_NOMEM;
  ud->an = NULL;
  rc = api->xCreateFunction(api, "fouille_passages", ud, fouille_passages, passages_ud_free);
  if (rc != SQLITE_OK) sqlite3_free(ud); /* FTS5 calls xDestroy only once registered */
  return rc;
}
