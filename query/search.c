/* fouille_search: parse the query, count and rank the matching articles in
 * one read transaction (a consistent snapshot), fall back to any-word when
 * nothing holds every word, and build passages for the hits returned. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "index_private.h"
#include "query_private.h"

/* Lower is better; switch to bm25(articles_fts, 5.0, 1.0) here if needed. */
#define RANK_SQL "fouille_rank(articles_fts)"
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

static int digits(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a plausible month and day. */
static int check_date(const char *d) {
  size_t n = strlen(d);
  int ok = (n == 4 || n == 7 || n == 10) && digits(d, 4);
  if (ok && n >= 7) ok = d[4] == '-' && digits(d + 5, 2) && atoi(d + 5) >= 1 && atoi(d + 5) <= 12;
  if (ok && n == 10) ok = d[7] == '-' && digits(d + 8, 2) && atoi(d + 8) >= 1 && atoi(d + 8) <= 31;
  return ok ? FOUILLE_OK : fouille__error(FOUILLE_EPARSE, "bad date '%.40s' (use YYYY-MM-DD)", d);
}

/* Dates are stored as ISO text, so a prefix comparison does: every date
 * starting with until sorts below until + "~". */
static int filters_make(const fouille_search_options *o, filters *f) {
  int rc;
  memset(f, 0, sizeof *f);
  if (o->since && *o->since && (rc = check_date(o->since))) return rc;
  if (o->until && *o->until && (rc = check_date(o->until))) return rc;
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

static const char *const hits_sql[2] = {
    "SELECT a.key, a.title, a.date, a.source, a.url, h.score FROM (SELECT articles_fts.rowid AS id,"
    " " RANK_SQL " AS score, a.date AS date, a.key AS key FROM articles_fts JOIN articles a ON"
    " a.id = articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL
    " ORDER BY score, date DESC, key LIMIT ?5 OFFSET ?6) h JOIN articles a ON a.id = h.id"
    " ORDER BY h.score, h.date DESC, h.key",
    "SELECT a.key, a.title, a.date, a.source, a.url, h.score FROM (SELECT articles_fts.rowid AS id,"
    " " RANK_SQL " AS score, a.date AS date, a.key AS key FROM articles_fts JOIN articles a ON"
    " a.id = articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL
    " ORDER BY date DESC, score, key LIMIT ?5 OFFSET ?6) h JOIN articles a ON a.id = h.id"
    " ORDER BY h.date DESC, h.score, h.key"};

static int read_hit(sqlite3_stmt *st, fouille_hit *h) {
  memset(h, 0, sizeof *h);
  h->key = col_dup(st, 0), h->title = col_dup(st, 1), h->date = col_dup(st, 2);
  h->source = col_dup(st, 3), h->url = col_dup(st, 4);
  h->score = -sqlite3_column_double(st, 5);
  if (!h->key) return fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
  return FOUILLE_OK;
}

static int fetch_hits(search *s, const char *expr) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, step;
  size_t cap = (size_t)s->o->limit;
  if (cap == 0) return FOUILLE_OK;
  if (sqlite3_prepare_v2(s->r->db, hits_sql[s->o->sort == FOUILLE_SORT_DATE], -1, &st, NULL)) {
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
  sqlite3_stmt *st = t->prefix ? pre : eq;
  char hi[FOUILLE_TERM_MAX + 2];
  snprintf(hi, sizeof hi, "%s\xff", f.buf);
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, f.buf, -1, SQLITE_TRANSIENT);
  if (t->prefix) sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
  return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0;
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
    idf[i] = log((n - df + 0.5) / (df + 0.5) + 1.0);
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

static int add_passages(search *s, const fouille__parsed *p) {
  sqlite3_stmt *st = NULL;
  double *idf = calloc(p->n_terms + 1, sizeof *idf);
  int rc = idf ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory");
  if (rc || (rc = idf_make(s, p, idf))) goto done;
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
  free(idf);
  return rc;
}

/* ---- Search ------------------------------------------------------------------------ */

/* Runs expr; when nothing matches and there is a fallback, runs that. */
static int run(search *s, const fouille__parsed *p) {
  const char *expr = p->expr;
  int rc = count(s, expr, &s->res->total);
  if (!rc && s->res->total == 0 && p->fallback) {
    expr = p->fallback;
    s->res->fallback = 1;
    rc = count(s, expr, &s->res->total);
  }
  if (rc) return rc;
  if (!(s->res->expr = strdup(expr))) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  if (s->o->count_only || s->res->total == 0) return FOUILLE_OK;
  if ((rc = fetch_hits(s, expr))) return rc;
  if (s->o->passages > 0 && s->res->n_hits > 0) rc = add_passages(s, p);
  return rc;
}

static int in_snapshot(search *s, const fouille__parsed *p) {
  if (sqlite3_exec(s->r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return db_error(s, "starting a read");
  int rc = run(s, p);
  if (sqlite3_exec(s->r->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !rc)
    rc = db_error(s, "ending a read");
  return rc;
}

FOUILLE_EXTERN int fouille_search(fouille_results **out, fouille_index *index, const char *query,
                                  const fouille_search_options *options) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  search s = {NULL, options ? options : &defaults, {0}, NULL};
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
  if ((rc = fouille__index_reader_acquire(index, &s.r))) goto done;
  rc = in_snapshot(&s, &p);
  fouille__index_reader_release(index, s.r);
  if (!rc) *out = s.res, s.res = NULL;
done:
  fouille_results_free(s.res);
  fouille__parsed_free(&p);
  return rc;
}
