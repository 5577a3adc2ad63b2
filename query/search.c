/* fouille_search: parse the query, count and rank the matching articles in
 * one read transaction (a consistent snapshot), fall back to any-word when
 * nothing holds every word, and build passages for the hits returned. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "query_private.h"
#include "query_sqlite.h"
#include "rank_private.h"
#include "store.h"

/* Lower is better; switch to bm25(articles_fts, 5.0, 1.0) here if needed. */
#define RANK_SQL "fouille_rank(articles_fts)"
#define RANK_SIZES_SQL "fouille_rank(articles_fts, ?7)" /* ?7: fouille__rank_hints */
#define LIMIT_MAX 1000

struct fouille_results {
  char *query, *expr;
  uint64_t total;
  int fallback;
  fouille_hit *hits;
  size_t n_hits;
};

/* Filters as SQL bounds: date >= since, date < until_end, source = source. */
typedef struct filters {
  const char *since, *source;
  char until_end[16];
  int has_until;
} filters;

typedef struct search {
  fouille__reader *r;
  const fouille_search_options *o;
  filters f;
  fouille_results *res;
  struct conn_cache *cache; /* the connection's, or NULL */
  fouille__rank_hints *ds;  /* its column sizes, or NULL */
  uint64_t scored;          /* matches scored without ds */
  double df_sum;            /* the query terms' document frequencies */
  int all_held;             /* from the bounds of the last scoring: -1 unknown */
} search;

/* ---- Results ------------------------------------------------------------------- */

static void hit_free(fouille_hit *h) {
  free((char *)h->key), free((char *)h->title), free((char *)h->date);
  free((char *)h->source), free((char *)h->url);
  fouille__passages_free((fouille_passage *)h->passages, h->n_passages);
}

FOUILLE_EXTERN void fouille_results_free(fouille_results *res) {
  if (!res) return;
  for (size_t i = 0; i < res->n_hits; i++) hit_free(&res->hits[i]);
  free(res->hits);
  free(res->query);
  free(res->expr);
  free(res);
}

FOUILLE_EXTERN size_t fouille_results_count(const fouille_results *res) {
  return res ? res->n_hits : 0;
}

FOUILLE_EXTERN const fouille_hit *fouille_results_hit(const fouille_results *res, size_t i) {
  return res && i < res->n_hits ? &res->hits[i] : NULL;
}

FOUILLE_EXTERN uint64_t fouille_results_total(const fouille_results *res) {
  return res ? res->total : 0;
}

FOUILLE_EXTERN int fouille_results_fallback(const fouille_results *res) {
  return res ? res->fallback : 0;
}

FOUILLE_EXTERN const char *fouille_results_query(const fouille_results *res) {
  return res && res->query ? res->query : "";
}

FOUILLE_EXTERN const char *fouille_results_expression(const fouille_results *res) {
  return res && res->expr ? res->expr : "";
}

/* ---- Options ------------------------------------------------------------------- */

/* Dates are stored as ISO text, so a prefix comparison does: every date
 * starting with until sorts below until + "~". */
static int filters_make(const fouille_search_options *o, filters *f) {
  int rc;
  memset(f, 0, sizeof *f);
  if (o->since && *o->since && (rc = fouille_search_check_date(o->since))) return rc;
  if (o->until && *o->until && (rc = fouille_search_check_date(o->until))) return rc;
  f->since = o->since && *o->since ? o->since : NULL;
  f->source = o->source && *o->source ? o->source : NULL;
  if (o->until && *o->until) f->has_until = 1, snprintf(f->until_end, 16, "%s~", o->until);
  return FOUILLE_OK;
}

static int check_options(const fouille_search_options *o) {
  if (o->version != FOUILLE_SEARCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "search options: unknown version %d", o->version);
  if (o->limit < 0 || o->limit > LIMIT_MAX)
    return fouille__error(FOUILLE_EINVAL, "limit must be from 0 to %d", LIMIT_MAX);
  if (o->offset < 0) return fouille__error(FOUILLE_EINVAL, "offset must not be negative");
  if (o->passages < 0 || o->passages > 100)
    return fouille__error(FOUILLE_EINVAL, "passages must be from 0 to 100");
  if (o->passage_length < 1 || o->passage_length > 100000)
    return fouille__error(FOUILLE_EINVAL, "passage length must be from 1 to 100000");
  return FOUILLE_OK;
}

/* ---- SQL -------------------------------------------------------------------------- */

static int db_error(search *s, const char *what) {
  return fouille__error(FOUILLE_EDB, "%s: %s", what, sqlite3_errmsg(s->r->db));
}

#define FILTER_SQL                                                                                 \
  " AND (?2 IS NULL OR a.date >= ?2) AND (?3 IS NULL OR a.date < ?3)"                              \
  " AND (?4 IS NULL OR a.source = ?4)"

static void bind_filters(search *s, sqlite3_stmt *st, const char *expr) {
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  if (s->f.since) sqlite3_bind_text(st, 2, s->f.since, -1, SQLITE_STATIC);
  if (s->f.has_until) sqlite3_bind_text(st, 3, s->f.until_end, -1, SQLITE_STATIC);
  if (s->f.source) sqlite3_bind_text(st, 4, s->f.source, -1, SQLITE_STATIC);
}

static int count(search *s, const char *expr, uint64_t *total) {
  int filtered = s->f.since || s->f.has_until || s->f.source;
  const char *sql = filtered ? "SELECT count(*) FROM articles_fts JOIN articles a ON a.id = "
                               "articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL
                             : "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1";
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(s->r->db, sql, -1, &st, NULL) != SQLITE_OK) {
    rc = db_error(s, "counting matches");
    goto done;
  }
  bind_filters(s, st, expr);
  if (sqlite3_step(st) != SQLITE_ROW) {
    rc = db_error(s, "counting matches");
    goto done;
  }
  *total = (uint64_t)sqlite3_column_int64(st, 0);
done:
  sqlite3_finalize(st);
  return rc;
}

static char *col_dup(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? strdup((const char *)t) : NULL;
}

/* Date order only: every match needs its date, so SQL sorts them all. */
static const char *const date_sql =
    "SELECT a.key, a.title, a.date, a.source, a.url, h.score FROM (SELECT articles_fts.rowid AS id,"
    " " RANK_SQL " AS score, a.date AS date, a.key AS key FROM articles_fts JOIN articles a ON"
    " a.id = articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL
    " ORDER BY date DESC, score, key LIMIT ?5 OFFSET ?6) h JOIN articles a ON a.id = h.id"
    " ORDER BY h.date DESC, h.score, h.key";

/* ---- What holds while the full-text index is unchanged --------------------------- */

/* Per read connection: the column sizes of every row and the document
 * frequencies that passages looked up, for one version of the full-text
 * index: its FTS5 structure record (rewritten by every change to the index)
 * and the schema cookie (a rebuild recreates the tables). While both stay the
 * same, every row that can match has the same sizes and every term the same
 * frequency. Kept per connection, which is tied to one file for its life and
 * serves one search at a time; freed when it closes.
 * fouille_rank needs each match's column sizes: one docsize lookup per match
 * is most of its cost on common words, while reading them all costs about a
 * fifth of that per row; so they are read once the matches scored without
 * them add up to a quarter of the rows (never for a one-off query). */
#define DF_SLOTS 256
#define QDF_SLOTS 64   /* queries whose phrase frequencies are kept */
#define QDF_PHRASES 16 /* at most, per query */

typedef struct df_slot {
  char term[FOUILLE_TERM_MAX + 1];
  int prefix;
  double df;
} df_slot;

/* fouille_rank's document frequency of each phrase of an FTS5 expression. */
typedef struct qdf_slot {
  char *expr;
  long long df[QDF_PHRASES];
  int n;
} qdf_slot;

typedef struct conn_cache {
  sqlite3 *db;
  long long schema;
  void *structure;
  int n_structure;
  uint64_t debt;           /* matches scored without ds */
  fouille__rank_hints *ds; /* NULL until worth reading */
  df_slot df[DF_SLOTS];
  size_t n_df;
  qdf_slot qdf[QDF_SLOTS];
  size_t n_qdf;
  fouille__bounds_scratch *scratch; /* fouille__rank_bounds' buffers */
} conn_cache;

static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;
static conn_cache **caches; /* one per open read connection that searched */
static size_t n_caches, cap_caches;

static void docsizes_free(fouille__rank_hints *ds) {
  if (ds) free(ds->sizes), free(ds);
}

static void cache_reset(conn_cache *c) {
  docsizes_free(c->ds), c->ds = NULL;
  for (size_t i = 0; i < QDF_SLOTS; i++) free(c->qdf[i].expr), c->qdf[i].expr = NULL;
  c->n_qdf = 0;
  free(c->structure), c->structure = NULL;
  c->n_structure = -1, c->debt = 0, c->n_df = 0;
}

/* Called by SQLite when the connection closes. */
static void cache_destroy(void *p) {
  conn_cache *c = p;
  pthread_mutex_lock(&caches_lock);
  for (size_t i = 0; i < n_caches; i++)
    if (caches[i] == c) caches[i] = caches[--n_caches];
  pthread_mutex_unlock(&caches_lock);
  cache_reset(c);
  fouille__bounds_scratch_free(c->scratch);
  free(c);
}

static void cache_marker(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  sqlite3_result_null(ctx);
}

/* The connection's cache, made on first use; NULL when it cannot be. */
static conn_cache *cache_of(sqlite3 *db) {
  conn_cache *c = NULL;
  pthread_mutex_lock(&caches_lock);
  for (size_t i = 0; i < n_caches && !c; i++)
    if (caches[i]->db == db) c = caches[i];
  if (!c && n_caches == cap_caches) {
    size_t cap = cap_caches ? 2 * cap_caches : 16;
    conn_cache **a = realloc(caches, cap * sizeof *a);
    if (a) caches = a, cap_caches = cap;
  }
  if (!c && n_caches < cap_caches && (c = calloc(1, sizeof *c))) {
    c->db = db, c->n_structure = -1;
    caches[n_caches++] = c;
  } else if (!c) {
    pthread_mutex_unlock(&caches_lock);
    return NULL;
  } else {
    pthread_mutex_unlock(&caches_lock);
    return c;
  }
  pthread_mutex_unlock(&caches_lock);
  /* A function whose destructor frees the cache when the connection closes. */
  if (sqlite3_create_function_v2(db, "fouille__search_cache", 0, SQLITE_UTF8, c, cache_marker, NULL,
                                 NULL, cache_destroy) != SQLITE_OK)
    return NULL; /* SQLite called cache_destroy */
  return c;
}

static int read_varint(const unsigned char *p, int n, int *at, int *out) {
  unsigned v = 0;
  for (int k = 0; *at < n && k < 5; k++) {
    unsigned char b = p[(*at)++];
    v = (v << 7) | (b & 0x7f);
    if (!(b & 0x80)) return *out = (int)v, 1;
  }
  return 0;
}

/* Every row's sizes in this snapshot; NULL when rowids are too sparse or on
 * any error (fouille_rank then looks them up one by one). */
static fouille__rank_hints *docsizes_read(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  fouille__rank_hints *ds = calloc(1, sizeof *ds);
  long long lo, hi, rows;
  if (!ds ||
      sqlite3_prepare_v2(db, "SELECT min(id), max(id), count(*) FROM articles_fts_docsize", -1, &st,
                         NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW)
    goto fail;
  lo = sqlite3_column_int64(st, 0), hi = sqlite3_column_int64(st, 1);
  rows = sqlite3_column_int64(st, 2);
  sqlite3_finalize(st), st = NULL;
  if (rows == 0 || hi - lo + 1 > 4 * rows + 4096) goto fail;
  *ds = (fouille__rank_hints){lo, hi - lo + 1, 2, NULL, NULL, 0, 0, NULL, NULL, 0};
  if (!(ds->sizes = malloc((size_t)ds->n * 2 * sizeof(int)))) goto fail;
  memset(ds->sizes, 0xff, (size_t)ds->n * 2 * sizeof(int)); /* -1: no record */
  if (sqlite3_prepare_v2(db, "SELECT id, sz FROM articles_fts_docsize", -1, &st, NULL) != SQLITE_OK)
    goto fail;
  while (sqlite3_step(st) == SQLITE_ROW) {
    long long i = sqlite3_column_int64(st, 0) - lo;
    const unsigned char *b = sqlite3_column_blob(st, 1);
    int n = sqlite3_column_bytes(st, 1), at = 0, v[2];
    if (i < 0 || i >= ds->n) continue;
    if (read_varint(b, n, &at, &v[0]) && read_varint(b, n, &at, &v[1]) && at == n)
      ds->sizes[2 * i] = v[0], ds->sizes[2 * i + 1] = v[1];
  }
  sqlite3_finalize(st);
  return ds;
fail:
  sqlite3_finalize(st);
  docsizes_free(ds);
  return NULL;
}

/* Sets s->cache to the connection's cache, emptied if the index changed
 * (NULL when the version cannot be read: no caching then). */
static void cache_acquire(search *s) {
  sqlite3_stmt *st = NULL;
  conn_cache *c = cache_of(s->r->db);
  if (!c ||
      sqlite3_prepare_v2(s->r->db,
                         "SELECT block, (SELECT schema_version FROM pragma_schema_version)"
                         " FROM articles_fts_data WHERE id = 10",
                         -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW)
    goto done;
  const void *structure = sqlite3_column_blob(st, 0);
  int n = sqlite3_column_bytes(st, 0);
  long long schema = sqlite3_column_int64(st, 1);
  if (c->n_structure != n || c->schema != schema || memcmp(c->structure, structure, (size_t)n)) {
    cache_reset(c);
    if (!(c->structure = malloc(n ? (size_t)n : 1))) goto done;
    memcpy(c->structure, structure, (size_t)n), c->n_structure = n, c->schema = schema;
  }
  s->cache = c, s->ds = c->ds;
done:
  sqlite3_finalize(st);
}

/* Reads the sizes when the matches scored without them have become worth
 * it, or when this query is expected to match enough rows: a docsize
 * lookup per match costs ~30 times a row of reading them all, and with the
 * sizes fouille__rank_bounds can answer. */
static void cache_want_sizes(search *s, double expected) {
  sqlite3_stmt *st = NULL;
  long long rows = 0;
  if (!s->cache || s->ds || (s->cache->debt == 0 && expected <= 0)) return;
  if (sqlite3_prepare_v2(s->r->db, "SELECT max(id) FROM articles_fts_docsize", -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    rows = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (s->cache->debt >= (uint64_t)(rows / 4) || expected >= (double)rows / 32)
    s->ds = s->cache->ds = docsizes_read(s->r->db);
}

static void cache_release(search *s) {
  if (s->cache && !s->ds) s->cache->debt += s->scored;
  s->cache = NULL, s->ds = NULL;
}

/* Fills h->df (df_n) with the expression's phrase frequencies when known. */
static void cache_qdf(search *s, const char *expr, fouille__rank_hints *h) {
  for (size_t i = 0; s->cache && i < QDF_SLOTS; i++) {
    qdf_slot *q = &s->cache->qdf[i];
    if (q->expr && !strcmp(q->expr, expr)) {
      memcpy(h->df, q->df, (size_t)q->n * sizeof *q->df), h->df_n = q->n;
      return;
    }
  }
}

static void cache_qdf_put(search *s, const char *expr, const fouille__rank_hints *h) {
  if (!s->cache || h->df_n <= 0 || h->df_n > QDF_PHRASES) return;
  qdf_slot *q = &s->cache->qdf[s->cache->n_qdf++ % QDF_SLOTS]; /* oldest out when full */
  free(q->expr);
  if (!(q->expr = strdup(expr))) return;
  memcpy(q->df, h->df, (size_t)h->df_n * sizeof *h->df), q->n = h->df_n;
}

/* A cached document frequency, or -1. */
static double cache_df(search *s, const char *term, int prefix) {
  for (size_t i = 0; s->cache && i < s->cache->n_df && i < DF_SLOTS; i++)
    if (s->cache->df[i].prefix == prefix && !strcmp(s->cache->df[i].term, term))
      return s->cache->df[i].df;
  return -1;
}

static void cache_df_put(search *s, const char *term, int prefix, double df) {
  if (!s->cache) return;
  df_slot *d = &s->cache->df[s->cache->n_df++ % DF_SLOTS]; /* oldest out when full */
  snprintf(d->term, sizeof d->term, "%s", term);
  d->prefix = prefix, d->df = df;
}

/* Relevance: every match scored in one pass over the full-text index alone
 * (no per-match lookup in articles unless filters need one); the count is
 * that pass's row count. */
static const char *const score_sql[2] = {
    "SELECT rowid, " RANK_SQL " FROM articles_fts WHERE articles_fts MATCH ?1",
    "SELECT articles_fts.rowid, " RANK_SQL " FROM articles_fts JOIN articles a ON"
    " a.id = articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL};
static const char *const score_sizes_sql[2] = {
    "SELECT rowid, " RANK_SIZES_SQL " FROM articles_fts WHERE articles_fts MATCH ?1",
    "SELECT articles_fts.rowid, " RANK_SIZES_SQL " FROM articles_fts JOIN articles a ON"
    " a.id = articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL};

static int read_hit(sqlite3_stmt *st, fouille_hit *h) {
  memset(h, 0, sizeof *h);
  h->key = col_dup(st, 0), h->title = col_dup(st, 1), h->date = col_dup(st, 2);
  h->source = col_dup(st, 3), h->url = col_dup(st, 4);
  h->score = -sqlite3_column_double(st, 5);
  if (!h->key) return fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
  return FOUILLE_OK;
}

static int fetch_by_date(search *s, const char *expr) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, step;
  size_t cap = (size_t)s->o->limit;
  if (sqlite3_prepare_v2(s->r->db, date_sql, -1, &st, NULL)) {
    rc = db_error(s, "ranking matches");
    goto done;
  }
  bind_filters(s, st, expr);
  sqlite3_bind_int(st, 5, s->o->limit);
  sqlite3_bind_int(st, 6, s->o->offset);
  if (!(s->res->hits = calloc(cap, sizeof *s->res->hits))) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
    goto done;
  }
  while ((step = sqlite3_step(st)) == SQLITE_ROW && s->res->n_hits < cap) {
    rc = read_hit(st, &s->res->hits[s->res->n_hits]);
    s->res->n_hits++;
    if (rc) goto done;
  }
  if (step != SQLITE_ROW && step != SQLITE_DONE) rc = db_error(s, "ranking matches");
done:
  sqlite3_finalize(st);
  return rc;
}

/* ---- Exact top k ----------------------------------------------------------------- */

/* A scored match; rank is fouille_rank's value (lower is better). */
typedef struct cand {
  sqlite3_int64 id;
  double rank;
} cand;

typedef struct topk {
  cand *c;
  size_t n, cap, need; /* need = offset + limit */
  double cut;          /* matches ranked above cut cannot be in the top need */
  int has_cut;
} topk;

static void cand_swap(cand *a, cand *b) {
  cand t = *a;
  *a = *b, *b = t;
}

/* Quickselect: the k-th smallest rank of c[0..n) (0-based), reordering c;
 * three-way partitions, so that many equal ranks stay linear. */
static double kth_rank(cand *c, size_t n, size_t k) {
  size_t lo = 0, hi = n; /* the answer lies in c[lo..hi) */
  for (;;) {
    double pivot = c[lo + (hi - lo) / 2].rank;
    size_t lt = lo, i = lo, gt = hi; /* [lo,lt) < pivot, [lt,i) = pivot, [gt,hi) > pivot */
    while (i < gt) {
      if (c[i].rank < pivot)
        cand_swap(&c[i++], &c[lt++]);
      else if (c[i].rank > pivot)
        cand_swap(&c[i], &c[--gt]);
      else
        i++;
    }
    if (k < lt)
      hi = lt;
    else if (k >= gt)
      lo = gt;
    else
      return pivot;
  }
}

/* Keeps the matches ranked at or above the need-th: every one that may
 * belong to the top need, ties included (they are broken later). */
static void topk_prune(topk *t) {
  if (t->n <= t->need) return;
  t->cut = kth_rank(t->c, t->n, t->need - 1), t->has_cut = 1;
  size_t k = 0;
  for (size_t i = 0; i < t->n; i++)
    if (t->c[i].rank <= t->cut) t->c[k++] = t->c[i];
  t->n = k;
}

static int topk_add(topk *t, sqlite3_int64 id, double rank) {
  if (t->has_cut && !(rank <= t->cut)) return FOUILLE_OK;
  if (t->n == t->cap) {
    topk_prune(t);
    if (t->n * 2 > t->cap) { /* many ties: grow */
      size_t cap = t->cap * 2;
      cand *c = realloc(t->c, cap * sizeof *c);
      if (!c) return fouille__error(FOUILLE_ENOMEM, "out of memory ranking matches");
      t->c = c, t->cap = cap;
    }
  }
  t->c[t->n++] = (cand){id, rank};
  return FOUILLE_OK;
}

/* The closing quote of an FTS5 string whose text starts at e ("" inside
 * stands for "), or NULL when the string is not closed. */
static const char *quoted_end(const char *e) {
  for (; *e != '"' || e[1] == '"'; e += *e == '"' ? 2 : 1)
    if (!*e) return NULL;
  return e;
}

/* Whether expr is a flat OR of quoted strings ("a" OR "b" …), the form
 * fouille__rank_bounds answers. */
static int flat_any_word(const char *e) {
  for (;;) {
    if (*e != '"' || !(e = quoted_end(e + 1))) return 0;
    if (!*++e) return 1;
    if (strncmp(e, " OR ", 4)) return 0;
    e += 4;
  }
}

static unsigned long bounded_runs; /* searches answered so (for tests) */

unsigned long fouille__search_bounded_runs(void) {
  pthread_mutex_lock(&caches_lock);
  unsigned long n = bounded_runs;
  pthread_mutex_unlock(&caches_lock);
  return n;
}

/* Documents holding an index term (prefix: the sum over the terms it
 * starts), from the connection's cache or st: "… WHERE term = ?1", or for
 * a prefix "… WHERE term >= ?1 AND term < ?2". 0 when it cannot be read. */
static double term_df(search *s, sqlite3_stmt *st, const char *term, int prefix) {
  double df = cache_df(s, term, prefix);
  if (df >= 0) return df;
  char hi[FOUILLE_TERM_MAX + 2];
  snprintf(hi, sizeof hi, "%s\xff", term);
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, term, -1, SQLITE_TRANSIENT);
  if (prefix) sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) != SQLITE_ROW) return 0;
  df = sqlite3_column_double(st, 0);
  cache_df_put(s, term, prefix, df);
  return df;
}

/* A phrase's tokens as FTS5 gets them: positions, and the most documents
 * any of them is in. */
typedef struct floor_ctx {
  search *s;
  sqlite3_stmt *eq;
  int positions;
  long long most;
} floor_ctx;

static int floor_token(void *p, int flags, const char *term, int len, int start, int end) {
  floor_ctx *f = p;
  char t[FOUILLE_TERM_MAX + 1];
  (void)start, (void)end;
  if (!(flags & FOUILLE_TERM_COLOCATED)) f->positions++;
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  memcpy(t, term, (size_t)len), t[len] = '\0';
  double df = term_df(f->s, f->eq, t, 0);
  if ((long long)df > f->most) f->most = (long long)df;
  return 0;
}

/* A floor under the document frequency of each quoted string of a flat
 * expression: for one word, the most documents one of its terms is in
 * (the phrase matches any of them); for longer phrases, 0. Returns the
 * count of strings, 0 when they cannot be had (then no floors). */
static int phrase_floors(search *s, const char *e, long long *floor, int cap) {
  floor_ctx f = {s, NULL, 0, 0};
  size_t len = strlen(e);
  char *text = malloc(len + 1);
  int n = 0;
  if (!text || sqlite3_prepare_v2(s->r->db, "SELECT doc FROM articles_vocab WHERE term = ?1", -1,
                                  &f.eq, NULL) != SQLITE_OK)
    goto fail;
  while (*e == '"') {
    const char *end = quoted_end(e + 1);
    size_t k = 0;
    if (n == cap || !end) goto fail;
    for (e++; e < end; e += *e == '"' ? 2 : 1) text[k++] = *e;
    text[k] = '\0';
    f.positions = 0, f.most = 0;
    if (fouille_analyzer_run(s->r->analyzer, FOUILLE_ANALYZE_QUERY, text, k, floor_token, &f))
      goto fail;
    floor[n++] = f.positions == 1 ? f.most : 0;
    e = end + 1;
    if (!strncmp(e, " OR ", 4)) e += 4;
  }
  sqlite3_finalize(f.eq);
  free(text);
  return n;
fail:
  sqlite3_finalize(f.eq);
  free(text);
  return 0;
}

/* Counts the matches and scores only those that may reach the top need
 * (fouille__rank_bounds). *answered stays 0 when that cannot be done. */
static int score_bounded(search *s, const char *expr, topk *t, uint64_t *total,
                         fouille__rank_hints *h, int *answered) {
  fouille__bounds b = {t->need, s->cache ? &s->cache->scratch : NULL, 0, NULL, 0, 0, 0};
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, step;
  *answered = 0;
  h->bounds = &b;
  if (sqlite3_prepare_v2(s->r->db,
                         "SELECT fouille__rank_bounds(articles_fts, ?7) FROM articles_fts"
                         " WHERE articles_fts MATCH ?1 LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK) {
    rc = db_error(s, "ranking matches");
    goto done;
  }
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_pointer(st, 7, h, FOUILLE__RANK_HINTS_TYPE, NULL);
  long long floors[32];
  h->df_min = floors, h->df_min_n = phrase_floors(s, expr, floors, 32);
  step = sqlite3_step(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE) {
    rc = db_error(s, "ranking matches");
    goto done;
  }
  if (step == SQLITE_DONE) { /* no match */
    *answered = 1, *total = 0;
  } else if (b.done) {
    *answered = 1, *total = (uint64_t)b.total, s->all_held = b.all_held;
    pthread_mutex_lock(&caches_lock);
    bounded_runs++;
    pthread_mutex_unlock(&caches_lock);
    for (size_t i = 0; i < b.n && !rc; i++) rc = topk_add(t, b.rows[i].id, b.rows[i].rank);
  }
done:
  h->bounds = NULL, h->df_min = NULL, h->df_min_n = 0;
  sqlite3_finalize(st);
  free(b.rows);
  return rc;
}

/* Scores every match of expr: *total gets their count, t the candidates. */
static int score_all(search *s, const char *expr, topk *t, uint64_t *total) {
  int filtered = s->f.since || s->f.has_until || s->f.source;
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, step;
  uint64_t n = 0;
  long long df[QDF_PHRASES];
  fouille__rank_hints h = {0, 0, 0, NULL, df, QDF_PHRASES, 0, NULL, NULL, 0};
  t->n = 0, t->has_cut = 0, s->all_held = -1;
  int flat = !filtered && flat_any_word(expr);
  cache_want_sizes(s, flat ? s->df_sum : 0);
  if (s->ds) h.first = s->ds->first, h.n = s->ds->n, h.n_col = s->ds->n_col, h.sizes = s->ds->sizes;
  cache_qdf(s, expr, &h);
  int known = h.df_n > 0, answered = 0;
  if (flat && s->ds && t->need) {
    rc = score_bounded(s, expr, t, total, &h, &answered);
    if (rc || answered) goto done;
  }
  if (sqlite3_prepare_v2(s->r->db, (s->cache ? score_sizes_sql : score_sql)[filtered], -1, &st,
                         NULL) != SQLITE_OK) {
    rc = db_error(s, "ranking matches");
    goto done;
  }
  bind_filters(s, st, expr);
  if (s->cache) sqlite3_bind_pointer(st, 7, &h, FOUILLE__RANK_HINTS_TYPE, NULL);
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    n++;
    if (t->need && (rc = topk_add(t, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1))))
      goto done;
  }
  if (step != SQLITE_DONE) rc = db_error(s, "ranking matches");
  *total = n;
done:
  if (!rc && !known) cache_qdf_put(s, expr, &h);
  sqlite3_finalize(st);
  if (!s->ds) s->scored += n;
  return rc;
}

/* A candidate with what breaks ties and what the hit shows. */
typedef struct row {
  double rank;
  fouille_hit h;
} row;

static int cmp_null_last(const char *a, const char *b) { /* date DESC, NULL last */
  if (!a || !b) return !a - !b;
  return -strcmp(a, b);
}

/* fouille_rank, then date DESC, then key: the SQL order this replaces. */
static int cmp_row(const void *pa, const void *pb) {
  const row *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  int c = cmp_null_last(a->h.date, b->h.date);
  return c ? c : strcmp(a->h.key, b->h.key);
}

/* Reads the candidates' articles, sorts them and keeps [offset, need). */
static int fetch_top(search *s, topk *t) {
  sqlite3_stmt *st = NULL;
  row *rows = calloc(t->n ? t->n : 1, sizeof *rows);
  size_t n = 0, off = (size_t)s->o->offset;
  int rc = rows ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
  if (rc) goto done;
  if (sqlite3_prepare_v2(s->r->db,
                         "SELECT key, title, date, source, url FROM articles WHERE id = ?1", -1,
                         &st, NULL) != SQLITE_OK) {
    rc = db_error(s, "reading hits");
    goto done;
  }
  for (size_t i = 0; i < t->n; i++) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, t->c[i].id);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) continue; /* cannot happen in one snapshot */
    if (step != SQLITE_ROW) {
      rc = db_error(s, "reading hits");
      goto done;
    }
    rows[n].rank = t->c[i].rank;
    if ((rc = read_hit(st, &rows[n].h)) != FOUILLE_OK) {
      hit_free(&rows[n].h);
      goto done;
    }
    rows[n++].h.score = -t->c[i].rank;
  }
  qsort(rows, n, sizeof *rows, cmp_row);
  size_t end = n < t->need ? n : t->need, k = 0;
  if (off < end && !(s->res->hits = calloc(end - off, sizeof *s->res->hits))) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
    goto done;
  }
  for (size_t i = off; i < end; i++) s->res->hits[k++] = rows[i].h, rows[i].h.key = NULL;
  s->res->n_hits = k;
done:
  for (size_t i = 0; rows && i < n; i++)
    if (rows[i].h.key) hit_free(&rows[i].h);
  free(rows);
  sqlite3_finalize(st);
  return rc;
}

/* ---- Passages ------------------------------------------------------------------- */

typedef struct first_term {
  char buf[FOUILLE_TERM_MAX + 1];
  int found;
} first_term;

static int take_first(void *ctx, int flags, const char *term, int len, int start, int end) {
  first_term *f = ctx;
  (void)flags, (void)start, (void)end;
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  memcpy(f->buf, term, (size_t)len);
  f->buf[len] = '\0';
  f->found = 1;
  return 1; /* stop: the first term stands for the word */
}

/* Documents holding the term's first index term (a prefix: the sum over
 * the terms it starts, capped by the caller). */
static double doc_freq(search *s, sqlite3_stmt *eq, sqlite3_stmt *pre, const fouille__qterm *t) {
  first_term f = {.found = 0};
  fouille_analyzer_run(s->r->analyzer, t->prefix ? FOUILLE_ANALYZE_PREFIX : FOUILLE_ANALYZE_QUERY,
                       t->text, strlen(t->text), take_first, &f);
  if (!f.found) return 0;
  return term_df(s, t->prefix ? pre : eq, f.buf, t->prefix != 0);
}

/* idf[i] = log((N - df + 0.5) / (df + 0.5) + 1) for each query term. */
static int idf_make(search *s, const fouille__parsed *p, double *idf) {
  sqlite3_stmt *n_st = NULL, *eq = NULL, *pre = NULL;
  int rc = FOUILLE_OK;
  double n = 0;
  if (sqlite3_prepare_v2(s->r->db, "SELECT count(*) FROM articles", -1, &n_st, NULL) ||
      sqlite3_prepare_v2(s->r->db, "SELECT doc FROM articles_vocab WHERE term = ?1", -1, &eq,
                         NULL) ||
      sqlite3_prepare_v2(s->r->db,
                         "SELECT sum(doc) FROM articles_vocab WHERE term >= ?1 AND term < ?2", -1,
                         &pre, NULL)) {
    rc = db_error(s, "reading term statistics");
    goto done;
  }
  if (sqlite3_step(n_st) == SQLITE_ROW) n = sqlite3_column_double(n_st, 0);
  for (size_t i = 0; i < p->n_terms; i++) {
    double df = doc_freq(s, eq, pre, &p->terms[i]);
    if (df > n) df = n;
    s->df_sum += df;
    idf[i] = fouille__rank_idf(n, df);
  }
done:
  sqlite3_finalize(n_st);
  sqlite3_finalize(eq);
  sqlite3_finalize(pre);
  return rc;
}

static int body_of(search *s, sqlite3_stmt *st, const char *key) {
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW || step == SQLITE_DONE) return step;
  return db_error(s, "reading an article");
}

/* idf: idf_make's. */
static int add_passages(search *s, const fouille__parsed *p, const double *idf) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(s->r->db, "SELECT body FROM articles WHERE key = ?1", -1, &st, NULL)) {
    rc = db_error(s, "reading an article");
    goto done;
  }
  for (size_t i = 0; i < s->res->n_hits; i++) {
    fouille_hit *h = &s->res->hits[i];
    fouille_passage *ps = NULL;
    size_t n = 0;
    if ((rc = body_of(s, st, h->key)) < 0) goto done;
    const char *body = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    size_t len = body ? (size_t)sqlite3_column_bytes(st, 0) : 0;
    rc = fouille__passages_make(s->r->analyzer, body ? body : "", len, p->terms, idf, p->n_terms,
                                s->o->passages, s->o->passage_length, &ps, &n);
    if (rc) goto done;
    h->passages = ps, h->n_passages = n;
  }
done:
  sqlite3_finalize(st);
  return rc;
}

/* ---- Search ------------------------------------------------------------------------ */

/* Whether every_word is any_word with AND for OR between the same quoted
 * strings (what fouille__rank_bounds' all_held answers for). */
static int and_of(const char *every_word, const char *any_word) {
  const char *e = every_word, *a = any_word;
  int quoted = 0;
  while (*a) {
    if (!quoted && !strncmp(a, " OR ", 4)) {
      if (strncmp(e, " AND ", 5)) return 0;
      a += 4, e += 5;
      continue;
    }
    if (*a == '"') quoted = !quoted;
    if (*e++ != *a++) return 0;
  }
  return *e == '\0';
}

/* Whether some article within the filters holds every word: the bounds
 * may tell, else the best candidate ranked usually does, else the
 * articles that do are counted. */
static int every_word_held(search *s, const fouille__parsed *p, const topk *t, int *held) {
  sqlite3_stmt *st = NULL;
  uint64_t n = 0;
  *held = 0;
  if (s->all_held >= 0 && and_of(p->expr, p->fallback)) return *held = s->all_held, FOUILLE_OK;
  if (t->n > 0) {
    size_t best = 0;
    for (size_t i = 1; i < t->n; i++)
      if (t->c[i].rank < t->c[best].rank) best = i;
    if (sqlite3_prepare_v2(s->r->db,
                           "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = ?2",
                           -1, &st, NULL) != SQLITE_OK)
      return db_error(s, "counting matches");
    sqlite3_bind_text(st, 1, p->expr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t->c[best].id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return *held = 1, FOUILLE_OK;
    if (step != SQLITE_DONE) return db_error(s, "counting matches");
  }
  int rc = count(s, p->expr, &n);
  *held = n > 0;
  return rc;
}

/* Counts (and ranks, by relevance) the matches. By relevance that is the
 * any-word form when there is one: fouille_rank puts the articles holding
 * every word first unless one missing a word matches the others far
 * better. By date nothing would push those down: every word is required,
 * any word only when no article holds them all. */
static int run(search *s, const fouille__parsed *p) {
  int relevance = s->o->sort != FOUILLE_SORT_DATE, held = 0;
  const char *expr = relevance && p->fallback ? p->fallback : p->expr;
  int by_rank = !s->o->count_only && s->o->limit > 0 && relevance, rc;
  topk t = {NULL, 0, 0, 0, 0, 0};
  /* Term statistics first: passages need them, and they tell whether the
   * column sizes are worth reading before scoring. */
  double *idf = NULL;
  if (by_rank || (s->o->passages > 0 && !s->o->count_only && s->o->limit > 0)) {
    if (!(idf = calloc(p->n_terms + 1, sizeof *idf)))
      return fouille__error(FOUILLE_ENOMEM, "out of memory");
    if ((rc = idf_make(s, p, idf))) goto done;
  }
  if (by_rank) {
    t.need = (size_t)s->o->offset + (size_t)s->o->limit;
    t.cap = t.need < 1024 ? 4 * t.need + 64 : 4096; /* grows as needed: offsets are unbounded */
    if (!(t.c = malloc(t.cap * sizeof *t.c))) {
      rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
      goto done;
    }
  }
  rc = by_rank ? score_all(s, expr, &t, &s->res->total) : count(s, expr, &s->res->total);
  if (!rc && expr == p->fallback && s->res->total > 0) rc = every_word_held(s, p, &t, &held);
  s->res->fallback = expr == p->fallback && !held;
  if (!rc && s->res->total == 0 && p->fallback && expr != p->fallback) {
    expr = p->fallback;
    s->res->fallback = 1;
    rc = by_rank ? score_all(s, expr, &t, &s->res->total) : count(s, expr, &s->res->total);
  }
  if (rc) goto done;
  if (!(s->res->expr = strdup(expr))) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
    goto done;
  }
  if (s->o->count_only || s->res->total == 0 || s->o->limit == 0) goto done;
  if (by_rank) {
    topk_prune(&t);
    rc = fetch_top(s, &t);
  } else {
    rc = fetch_by_date(s, expr);
  }
  if (!rc && s->o->passages > 0 && s->res->n_hits > 0) rc = add_passages(s, p, idf);
done:
  free(idf);
  free(t.c);
  return rc;
}

static int in_snapshot(search *s, const fouille__parsed *p) {
  if (sqlite3_exec(s->r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return db_error(s, "starting a read");
  cache_acquire(s);
  int rc = run(s, p);
  cache_release(s);
  if (sqlite3_exec(s->r->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !rc)
    rc = db_error(s, "ending a read");
  return rc;
}

FOUILLE_EXTERN int fouille_search(fouille_results **out, fouille_index *index, const char *query,
                                  const fouille_search_options *options) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  search s = {.o = options ? options : &defaults, .all_held = -1};
  fouille__parsed p = {0};
  int rc;
  if (out) *out = NULL;
  if (!out || !index) return fouille__error(FOUILLE_EINVAL, "fouille_search: no index");
  if ((rc = check_options(s.o)) || (rc = filters_make(s.o, &s.f))) return rc;
  if ((rc = fouille__query_parse(query, &p))) return rc;
  if (!(s.res = calloc(1, sizeof *s.res)) || !(s.res->query = strdup(query))) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
    goto done;
  }
  if ((rc = fouille__store_reader_acquire(index, &s.r))) goto done;
  if (!s.r->functions_registered && !(rc = fouille__query_register(s.r->db)))
    s.r->functions_registered = 1;
  if (!rc) rc = in_snapshot(&s, &p);
  fouille__store_reader_release(index, s.r);
  if (!rc) *out = s.res, s.res = NULL;
done:
  fouille_results_free(s.res);
  fouille__parsed_free(&p);
  return rc;
}
