/* FTS5 auxiliary functions: fouille_rank() scores a row by BM25F over the
 * columns (title weighs more than body) plus bonuses for each query phrase
 * the row holds at all and in its title, for phrases typed side by side
 * that stand side by side, and for all of them close together in the body;
 * fouille_passages() returns the best passages of the body as JSON. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query_private.h"
#include "sqlite_glue.h"

#define RANK_K1 1.2
#define RANK_B 0.75
#define RANK_TITLE_WEIGHT 4.0
#define RANK_PROXIMITY 0.4   /* share of the IDF sum when phrases are adjacent */
#define RANK_PROXIMITY_K 2.0 /* tokens of gap that halve the proximity bonus */
#define RANK_TITLE_BONUS 0.6 /* share of its IDF a phrase in the title earns */
#define RANK_ADJACENT 1.0    /* share of a pair's mean IDF when it stands as typed */
/* Share of its IDF each phrase the row holds earns: k1 + 1, the most its
 * BM25 part can give. Any-word queries are ranked (search.c): a row missing
 * a word loses that word's BM25 part and as much again as its best match,
 * so rows holding every word come first unless the others match far better. */
#define RANK_COORDINATION (RANK_K1 + 1.0)

/* Per-query constants and per-row scratch, kept as FTS5 auxdata. */
typedef struct rank_data {
  int n_phrase, n_col, title, body; /* title/body: column indexes or -1 */
  double *idf;                      /* per phrase */
  double *avg;                      /* per column: average length */
  double *weight;                   /* per column */
  double *tf;                       /* per phrase x column: instances in this row */
  int64_t *last;                    /* per phrase: last (column, offset) counted */
  int *size, *count;                /* per phrase: tokens; instances in the window */
  fouille__rank_hints *hints;       /* from the caller, or NULL */
} rank_data;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *p) {
  (void)api, (void)fts;
  (*(sqlite3_int64 *)p)++;
  return SQLITE_OK;
}

/* Column weights from the SQL arguments (title, body, …) or defaults. */
static int read_weights(rank_data *d, int argc, sqlite3_value **argv) {
  for (int c = 0; c < d->n_col; c++) d->weight[c] = c == d->title ? RANK_TITLE_WEIGHT : 1.0;
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
    double n = (double)rows, f = (double)df;
    d->idf[p] = log(1.0 + (n - f + 0.5) / (f + 0.5));
    d->size[p] = api->xPhraseSize(fts, p);
  }
  if (rc == SQLITE_OK && !known && h && h->df && d->n_phrase <= h->df_cap) h->df_n = d->n_phrase;
  return rc;
}

static rank_data *rank_data_new(const Fts5ExtensionApi *api, Fts5Context *fts) {
  int np = api->xPhraseCount(fts), nc = api->xColumnCount(fts);
  size_t n = sizeof(rank_data) + sizeof(double) * ((size_t)np * (nc + 1) + 2 * (size_t)nc) +
             sizeof(int64_t) * (size_t)np + sizeof(int) * 2 * (size_t)np;
  rank_data *d = sqlite3_malloc64(n);
  if (!d) return NULL;
  memset(d, 0, n);
  d->n_phrase = np, d->n_col = nc;
  d->title = nc >= 2 ? 0 : -1;
  d->body = nc >= 2 ? 1 : 0;
  d->idf = (double *)(d + 1);
  d->avg = d->idf + np;
  d->weight = d->avg + nc;
  d->tf = d->weight + nc;
  d->last = (int64_t *)(d->tf + (size_t)np * nc);
  d->size = (int *)(d->last + np);
  d->count = d->size + np;
  return d;
}

/* Counts each phrase once per (column, offset): a word and its colocated
 * accentless stem sit at one position and must not count twice. */
static int count_instances(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data *d,
                           int *n_inst) {
  memset(d->tf, 0, sizeof(double) * (size_t)d->n_phrase * d->n_col);
  for (int p = 0; p < d->n_phrase; p++) d->last[p] = -1;
  int rc = api->xInstCount(fts, n_inst);
  for (int i = 0; rc == SQLITE_OK && i < *n_inst; i++) {
    int p, c, off;
    rc = api->xInst(fts, i, &p, &c, &off);
    if (rc != SQLITE_OK || p < 0 || p >= d->n_phrase || c < 0 || c >= d->n_col) continue;
    int64_t key = ((int64_t)c << 32) | (uint32_t)off;
    if (d->last[p] == key) continue;
    d->last[p] = key;
    d->tf[p * d->n_col + c] += 1.0;
  }
  return rc;
}

static double bm25f(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data *d) {
  double norm[64], score = 0;
  int nc = d->n_col < 64 ? d->n_col : 64;
  const int *sz = NULL; /* a docsize lookup per match costs more than the rest */
  const fouille__rank_hints *h = d->hints;
  if (h && h->sizes && h->n_col == d->n_col) {
    long long i = (long long)api->xRowid(fts) - h->first;
    if (i >= 0 && i < h->n && h->sizes[i * d->n_col] >= 0) sz = h->sizes + i * d->n_col;
  }
  for (int c = 0; c < nc; c++) {
    int len = 0;
    if (sz)
      len = sz[c];
    else if (api->xColumnSize(fts, c, &len) != SQLITE_OK)
      len = 0;
    norm[c] = d->weight[c] / (1.0 - RANK_B + RANK_B * (double)len / d->avg[c]);
  }
  for (int p = 0; p < d->n_phrase; p++) {
    double t = 0;
    for (int c = 0; c < nc; c++) t += d->tf[p * d->n_col + c] * norm[c];
    if (t > 0) score += d->idf[p] * t * (RANK_K1 + 1.0) / (t + RANK_K1);
  }
  return score;
}

/* Coordination and title bonuses: each phrase the row holds earns a share
 * of its IDF, more when the title holds it (BM25F saturates title and body
 * together: a word the body repeats would gain nothing from the title).
 * Phrases under NOT are held by no row, so they change no order. */
static double held_bonus(const rank_data *d) {
  double sum = 0;
  for (int p = 0; p < d->n_phrase; p++) {
    int held = 0;
    for (int c = 0; c < d->n_col; c++) held |= d->tf[p * d->n_col + c] > 0;
    if (held) sum += RANK_COORDINATION * d->idf[p];
    if (d->title >= 0 && d->tf[p * d->n_col + d->title] > 0) sum += RANK_TITLE_BONUS * d->idf[p];
  }
  return sum;
}

/* Smallest window of body tokens holding every distinct phrase found in the
 * body (instances are sorted by column then offset): a bonus that fades with
 * the tokens of gap. */
static double proximity(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data *d, int n_inst) {
  int want = 0, need = 0, best = -1, lo = 0, have = 0, p, c, o, pl, cl, ol;
  double sum = 0;
  for (p = 0; p < d->n_phrase; p++) {
    d->count[p] = 0;
    if (d->tf[p * d->n_col + d->body] > 0) want++, need += d->size[p], sum += d->idf[p];
  }
  if (want < 2) return 0;
  for (int hi = 0; hi < n_inst; hi++) {
    if (api->xInst(fts, hi, &p, &c, &o) != SQLITE_OK) return 0;
    if (c != d->body) continue;
    if (d->count[p]++ == 0) have++;
    while (have == want) {
      if (api->xInst(fts, lo, &pl, &cl, &ol) != SQLITE_OK) return 0;
      if (cl == d->body) {
        int span = o + d->size[p] - ol;
        if (best < 0 || span < best) best = span;
        if (--d->count[pl] == 0) have--;
      }
      lo++;
    }
  }
  if (best < 0) return 0;
  double gap = best > need ? best - need : 0;
  return RANK_PROXIMITY * sum / (1.0 + gap / RANK_PROXIMITY_K);
}

/* Phrases typed side by side (p - 1, p) that stand side by side in a column
 * of the row, in that order: each pair earns a share of its mean IDF, once.
 * The window bonus above misses a close pair among scattered words. */
static double adjacency(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data *d, int n_inst) {
  int p, c, o, col = -1;
  double sum = 0;
  if (d->n_phrase < 2) return 0;
  for (p = 0; p < d->n_phrase; p++) d->count[p] = 0; /* count[p]: pair (p - 1, p) seen */
  for (int i = 0; i < n_inst; i++) {
    if (api->xInst(fts, i, &p, &c, &o) != SQLITE_OK) return 0;
    if (p < 0 || p >= d->n_phrase) continue;
    if (c != col) { /* last[q]: offset of q's latest instance in this column */
      for (int q = 0; q < d->n_phrase; q++) d->last[q] = -1;
      col = c;
    }
    if (p > 0 && !d->count[p] && d->last[p - 1] >= 0 && d->last[p - 1] + d->size[p - 1] == o) {
      d->count[p] = 1;
      sum += (d->idf[p - 1] + d->idf[p]) / 2;
    }
    d->last[p] = o;
  }
  return RANK_ADJACENT * sum;
}

static void fouille_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sctx,
                         int argc, sqlite3_value **argv) {
  rank_data *d = api->xGetAuxdata(fts, 0);
  int rc = SQLITE_OK, n_inst = 0;
  if (!d) {
    if (!(d = rank_data_new(api, fts))) {
      sqlite3_result_error_nomem(sctx);
      return;
    }
    /* A trailing hints pointer can only come from C (search.c). */
    if (argc > 0 && (d->hints = sqlite3_value_pointer(argv[argc - 1], FOUILLE__RANK_HINTS_TYPE)))
      argc--;
    if ((rc = read_weights(d, argc, argv)) == SQLITE_OK) rc = load_stats(api, fts, d);
    if (rc != SQLITE_OK) {
      sqlite3_free(d);
      if (rc == SQLITE_MISMATCH || rc == SQLITE_RANGE)
        sqlite3_result_error(sctx, "fouille_rank: weights must be numbers from 0 to 1e6", -1);
      else
        sqlite3_result_error_code(sctx, rc);
      return;
    }
    if ((rc = api->xSetAuxdata(fts, d, sqlite3_free)) != SQLITE_OK) {
      sqlite3_result_error_code(sctx, rc);
      return;
    }
  }
  if ((rc = count_instances(api, fts, d, &n_inst)) != SQLITE_OK) {
    sqlite3_result_error_code(sctx, rc);
    return;
  }
  double s = bm25f(api, fts, d) + held_bonus(d) + proximity(api, fts, d, n_inst) +
             adjacency(api, fts, d, n_inst);
  sqlite3_result_double(sctx, -s);
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

static size_t cp_count(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xc0) != 0x80;
  return k;
}

/* [{"text": …, "highlights": [[start, end], …]}, …], offsets in code points. */
static char *passages_json(const fouille_passage *ps, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n; i++) {
    json_t *spans = json_array(), *o = json_object();
    for (size_t k = 0; spans && k < ps[i].n_spans; k++) {
      size_t s = cp_count(ps[i].text, ps[i].spans[k].start);
      size_t e = s + cp_count(ps[i].text + ps[i].spans[k].start,
                              ps[i].spans[k].end - ps[i].spans[k].start);
      json_array_append_new(spans, json_pack("[II]", (json_int_t)s, (json_int_t)e));
    }
    json_object_set_new(o, "text", json_string(ps[i].text));
    json_object_set_new(o, "highlights", spans);
    json_array_append_new(arr, o);
  }
  char *out = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
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
  if (rc != SQLITE_OK) return rc;
  passages_ud *ud = sqlite3_malloc(sizeof *ud);
  if (!ud) return SQLITE_NOMEM;
  ud->an = NULL;
  rc = api->xCreateFunction(api, "fouille_passages", ud, fouille_passages, passages_ud_free);
  if (rc != SQLITE_OK) sqlite3_free(ud); /* FTS5 calls xDestroy only once registered */
  return rc;
}
