/* Scoring the matches and keeping the candidates for the page: every
 * match scored by fouille_rank in one pass (its count is the total), or,
 * for a flat any-word query once the column sizes are read, only those
 * fouille__rank_bounds finds may reach the top; the candidates are cut
 * down to the need-th best rank (ties kept) as they come. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "search_private.h"

/* ---- Candidates -------------------------------------------------------------------- */

int fouille__topk_init(fouille__topk *t, size_t need) {
  *t = (fouille__topk){NULL, 0, 0, need, 0, 0};
  t->cap = need < 1024 ? 4 * need + 64 : 4096; /* grows as needed: offsets are unbounded */
  if (!(t->c = malloc(t->cap * sizeof *t->c)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory");
  return FOUILLE_OK;
}

static void cand_swap(fouille__cand *a, fouille__cand *b) {
  fouille__cand t = *a;
  *a = *b, *b = t;
}

/* Quickselect: the k-th smallest rank of c[0..n) (0-based), reordering c;
 * three-way partitions, so that many equal ranks stay linear. */
static double kth_rank(fouille__cand *c, size_t n, size_t k) {
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

/* Every one that may belong to the top need is kept; ties are broken later. */
void fouille__topk_prune(fouille__topk *t) {
  if (t->n <= t->need) return;
  t->cut = kth_rank(t->c, t->n, t->need - 1), t->has_cut = 1;
  size_t k = 0;
  for (size_t i = 0; i < t->n; i++)
    if (t->c[i].rank <= t->cut) t->c[k++] = t->c[i];
  t->n = k;
}

static int topk_add(fouille__topk *t, sqlite3_int64 id, double rank) {
  if (t->has_cut && !(rank <= t->cut)) return FOUILLE_OK;
  if (t->n == t->cap) {
    fouille__topk_prune(t);
    if (t->n * 2 > t->cap) { /* many ties: grow */
      size_t cap = t->cap * 2;
      fouille__cand *c = realloc(t->c, cap * sizeof *c);
      if (!c) return fouille__error(FOUILLE_ENOMEM, "out of memory ranking matches");
      t->c = c, t->cap = cap;
    }
  }
  t->c[t->n++] = (fouille__cand){id, rank};
  return FOUILLE_OK;
}

/* ---- Scoring only what may reach the top ----------------------------------------- */

static pthread_mutex_t runs_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long bounded_runs; /* searches answered so (for tests) */

unsigned long fouille__search_bounded_runs(void) {
  pthread_mutex_lock(&runs_lock);
  unsigned long n = bounded_runs;
  pthread_mutex_unlock(&runs_lock);
  return n;
}

/* fouille__rank_bounds on expr's first match: SQLITE_ROW (h->bounds
 * filled when it could answer), SQLITE_DONE (no match), or an error. */
static int run_bounds(fouille__search *s, const char *expr, fouille__rank_hints *h) {
  sqlite3_stmt *st = NULL;
  int step = SQLITE_ERROR;
  if (sqlite3_prepare_v2(s->r->db,
                         "SELECT fouille__rank_bounds(articles_fts, ?7) FROM articles_fts"
                         " WHERE articles_fts MATCH ?1 LIMIT 1",
                         -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_pointer(st, 7, h, FOUILLE__RANK_HINTS_TYPE, NULL);
    step = sqlite3_step(st);
  }
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    step = fouille__search_db_error(s, "ranking matches");
  sqlite3_finalize(st);
  return step;
}

/* Counts the matches and scores only those that may reach the top need
 * (fouille__rank_bounds). *answered stays 0 when that cannot be done. */
static int score_bounded(fouille__search *s, const char *expr, fouille__topk *t, uint64_t *total,
                         fouille__rank_hints *h, int *answered) {
  fouille__bounds b = {t->need, fouille__search_cache_scratch(s->cache), 0, NULL, 0, 0, 0};
  long long floors[32], ceilings[32];
  *answered = 0;
  h->bounds = &b, h->df_min = floors, h->df_max = ceilings;
  h->df_min_n = fouille__search_phrase_floors(s, expr, floors, ceilings, 32);
  int step = run_bounds(s, expr, h), rc = step < 0 ? step : FOUILLE_OK;
  if (step == SQLITE_DONE) { /* no match */
    *answered = 1, *total = 0;
  } else if (step == SQLITE_ROW && b.done) {
    *answered = 1, *total = (uint64_t)b.total, s->all_held = b.all_held;
    pthread_mutex_lock(&runs_lock);
    bounded_runs++;
    pthread_mutex_unlock(&runs_lock);
    for (size_t i = 0; i < b.n && !rc; i++) rc = topk_add(t, b.rows[i].id, b.rows[i].rank);
  }
  h->bounds = NULL, h->df_min = NULL, h->df_max = NULL, h->df_min_n = 0;
  free(b.rows);
  return rc;
}

/* ---- Scoring every match ----------------------------------------------------------- */

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

/* Scores the matches row by row: *n counts them (as far as it went). */
static int score_rows(fouille__search *s, const char *expr, fouille__topk *t,
                      fouille__rank_hints *h, uint64_t *n) {
  int filtered = fouille__search_filtered(s), rc = FOUILLE_OK, step;
  sqlite3_stmt *st = NULL;
  int hinted = s->cache || h->weight; /* sizes read ahead, or request words */
  if (sqlite3_prepare_v2(s->r->db, (hinted ? score_sizes_sql : score_sql)[filtered], -1, &st,
                         NULL) != SQLITE_OK) {
    rc = fouille__search_db_error(s, "ranking matches");
    goto done;
  }
  fouille__search_bind_filters(s, st, expr);
  if (hinted) sqlite3_bind_pointer(st, 7, h, FOUILLE__RANK_HINTS_TYPE, NULL);
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    (*n)++;
    if (t->need && (rc = topk_add(t, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1))))
      goto done;
  }
  if (step != SQLITE_DONE) rc = fouille__search_db_error(s, "ranking matches");
done:
  sqlite3_finalize(st);
  return rc;
}

int fouille__search_score_all(fouille__search *s, const char *expr, fouille__topk *t,
                              uint64_t *total) {
  long long df[FOUILLE__QDF_PHRASES];
  fouille__rank_hints h = {0,    0,    0, NULL, df, FOUILLE__QDF_PHRASES, 0, NULL,
                           NULL, NULL, 0, NULL, 0};
  int flat = !fouille__search_filtered(s) && fouille__expr_flat_any_word(expr);
  int rc = FOUILLE_OK, answered = 0;
  uint64_t n = 0;
  double *weight = NULL; /* request words weigh less */
  if (fouille__phrase_weights(s->p, expr, &weight, &h.weight_n))
    return fouille__error(FOUILLE_ENOMEM, "out of memory ranking matches");
  h.weight = weight;
  t->n = 0, t->has_cut = 0, s->all_held = -1;
  fouille__search_cache_want_sizes(s, flat ? s->df_sum : 0);
  if (s->ds) h.first = s->ds->first, h.n = s->ds->n, h.n_col = s->ds->n_col, h.sizes = s->ds->sizes;
  fouille__search_cache_qdf(s->cache, expr, &h);
  int known = h.df_n > 0;
  if (flat && s->ds && t->need) rc = score_bounded(s, expr, t, total, &h, &answered);
  if (!rc && !answered && !(rc = score_rows(s, expr, t, &h, &n))) *total = n;
  if (!rc && !known) fouille__search_cache_qdf_put(s->cache, expr, &h);
  if (!s->ds) s->scored += n;
  free(weight);
  return rc;
}
