/* fouille__rank_bounds(): the top rows of a flat any-word query by
 * fouille_rank, without scoring every row. Each phrase's rows are read
 * once through xQueryPhrase (no SQL step and no instance array across
 * phrases per row: a fraction of scoring the OR of them row by row), their
 * positions kept (decoded in place: fts5_poslist.h). What fouille_rank
 * adds up phrase by phrase (BM25F, coordination and title bonuses) gives
 * each row a lower bound; adding the most proximity and adjacency could
 * give the phrases it holds, an upper bound. A row whose upper bound falls
 * below the need-th best lower bound met so far (which rises while a
 * phrase is read) is hopeless: only counted from then on, its positions
 * neither read nor kept. Rows are then scored exactly, by fouille_rank's
 * own arithmetic (rank_score.c) on their kept positions, best upper bound
 * first, until the next upper bound falls below the need-th best exact
 * score: no row left can be in the top need, so the top is the exhaustive
 * one. */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fts5_poslist.h"
#include "query_private.h"
#include "rank_private.h"

#define MAX_PHRASES 32            /* one bit each */
#define MAX_POSITIONS (1u << 23)  /* kept at most (64 MB); beyond, row by row */
#define KEEP_POSITIONS (1u << 20) /* room kept between queries (8 MB) */
#define TITLE 0
#define BODY 1
#define LEAD_TABLE 1024 /* body offsets whose lead share is worked out once */
/* The most a phrase can add to a row's score, over its IDF: BM25F part,
 * coordination, title bonus, its share of proximity and of the adjacency
 * of the (at most two) pairs it belongs to. */
#define PHRASE_MAX_SHARE                                                                           \
  (RANK_K1 + 1.0 + RANK_COORDINATION + RANK_TITLE_BONUS + RANK_LEAD + RANK_PROXIMITY +             \
   RANK_ADJACENT)

typedef struct pos {
  int c, o;
} pos;

typedef struct phrase_rows { /* one phrase's rows, in rowid order */
  long long *slot;
  size_t *start; /* of the row's positions; the next row's start ends them */
  size_t n, cap_slot, cap_start;
} phrase_rows;

typedef struct bound {
  long long slot;
  double hi;
} bound;

/* Per slot (rowid - first) arrays stay zero between queries: only the
 * slots a query touched are cleared after it. */
struct fouille__bounds_scratch {
  size_t n_slots;
  double *acc;                  /* exact part so far */
  double *unit;                 /* this phrase's part over its IDF */
  uint32_t *in_title, *in_body; /* phrases held there (bit p) */
  uint32_t *held;               /* phrases held at all, hopeless rows too */
  long long *touched;
  pos *pos;
  size_t cap_pos;
  phrase_rows pr[MAX_PHRASES];
  bound *bounds;
  size_t cap_bounds;
  double *best; /* min-heap of the need best scores */
  size_t cap_best;
  double lead[LEAD_TABLE]; /* fouille__rank_lead(o): no division per row */
};

typedef struct pass {
  const fouille__rank_hints *h;
  fouille__bounds_scratch *s;
  double b_avg[2], norm_weight[2]; /* b_avg: RANK_B / average length */
  phrase_rows *cur;
  size_t n_pos, n_touched;
  uint32_t bit;
  int stop; /* 1: a row without sizes, 2: too many positions, 3: a wrong hint */
  /* Rows whose upper bound falls below theta are hopeless: counted, never
   * scored. theta: the need-th best lower bound met so far, less the
   * bounds' rounding (-HUGE_VAL without floors); left_new, left_held: the
   * most the phrases from this one on can give a row first seen now, or
   * one held already. dyn: theta rises while the phrase is read, with the
   * lower bounds its rows get from idf, a floor under its IDF (from a
   * ceiling over its frequency); n_best of them in s->best. */
  int dyn;
  double theta, left_new, left_held, idf;
  size_t n_best, n_dropped; /* n_dropped: held rows found hopeless */
} pass;

static atomic_ulong dropped; /* n_dropped of every search (for tests) */

unsigned long fouille__rank_bounds_dropped(void) { return atomic_load(&dropped); }

static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 1;
  size_t c = *cap ? *cap : 1024;
  while (c < need) c *= 2;
  void *q = realloc(*p, c * size);
  if (!q) return 0;
  *p = q, *cap = c;
  return 1;
}

void fouille__bounds_scratch_free(fouille__bounds_scratch *s) {
  if (!s) return;
  free(s->acc), free(s->unit), free(s->in_title), free(s->in_body), free(s->held);
  free(s->touched);
  free(s->pos), free(s->bounds), free(s->best);
  for (int p = 0; p < MAX_PHRASES; p++) free(s->pr[p].slot), free(s->pr[p].start);
  free(s);
}

/* The scratch for n slots, made or remade as needed; NULL when out of memory. */
static fouille__bounds_scratch *scratch_for(fouille__bounds_scratch **keep, size_t n) {
  fouille__bounds_scratch *s = *keep;
  if (s && s->n_slots == n) return s;
  fouille__bounds_scratch_free(s);
  *keep = NULL;
  if (!(s = calloc(1, sizeof *s))) return NULL;
  s->n_slots = n;
  for (int o = 0; o < LEAD_TABLE; o++) s->lead[o] = fouille__rank_lead(o);
  s->acc = calloc(n, sizeof *s->acc);
  s->unit = malloc(n * sizeof *s->unit);
  s->in_title = calloc(n, sizeof *s->in_title);
  s->in_body = calloc(n, sizeof *s->in_body);
  s->held = calloc(n, sizeof *s->held);
  s->touched = malloc(n * sizeof *s->touched);
  if (!s->acc || !s->unit || !s->in_title || !s->in_body || !s->held || !s->touched) {
    fouille__bounds_scratch_free(s);
    return NULL;
  }
  *keep = s;
  return s;
}

static int push_row(phrase_rows *r, long long slot, size_t start) {
  if (!grow((void **)&r->slot, &r->cap_slot, r->n + 1, sizeof *r->slot) ||
      !grow((void **)&r->start, &r->cap_start, r->n + 2, sizeof *r->start))
    return 0;
  r->slot[r->n] = slot, r->start[r->n++] = start;
  return 1;
}

static void heap_offer(double *best, size_t *n, size_t cap, double v);

/* Whether the row is hopeless (counted, never scored): first seen once
 * the rows first seen cannot reach the top, or held already with an upper
 * bound below theta. */
static int hopeless(pass *ps, long long slot) {
  fouille__bounds_scratch *s = ps->s;
  double *acc = &s->acc[slot];
  if (*acc == 0) { /* first seen (kept rows have parts > 0 after their first phrase) */
    s->touched[ps->n_touched++] = slot;
    if (ps->left_new < ps->theta) *acc = -1;
  } else if (*acc > 0 && *acc + ps->left_held < ps->theta) {
    *acc = -1, ps->n_dropped++;
  }
  return *acc < 0;
}

/* Keeps the row's positions; tf: its tokens per column (a word and its
 * colocated stem at one position count once, as in fouille_rank). The
 * list after the first position is decoded in place (fts5_poslist.h). */
static int row_positions(const Fts5ExtensionApi *api, Fts5Context *fts, pass *ps, double *tf) {
  fouille__bounds_scratch *s = ps->s;
  int64_t last = -1;
  Fts5PhraseIter it;
  int c, o, rc = api->xPhraseFirst(fts, 0, &it, &c, &o);
  if (rc != SQLITE_OK) return rc;
  for (int more = c >= 0; more; more = !fouille__fts5_poslist_next(&it.a, it.b, 2, &c, &o)) {
    if (ps->n_pos == s->cap_pos) {
      if (ps->n_pos >= MAX_POSITIONS) return ps->stop = 2, SQLITE_DONE;
      if (!grow((void **)&s->pos, &s->cap_pos, ps->n_pos + 1, sizeof *s->pos)) return SQLITE_NOMEM;
    }
    s->pos[ps->n_pos++] = (pos){c, o};
    int64_t key = ((int64_t)c << 32) | (uint32_t)o;
    if (key == last) continue;
    last = key;
    if (c < 2) tf[c] += 1.0;
  }
  return SQLITE_OK;
}

/* A row's lower bound once this phrase is read: theta rises with the
 * need-th best of them (each row comes once in a phrase's pass). */
static void raise_theta(pass *ps, double lo) {
  size_t need = ps->h->bounds->need;
  double *best = ps->s->best;
  if (ps->n_best == need && lo <= best[0]) return; /* the heap would not take it */
  heap_offer(best, &ps->n_best, need, lo);
  if (ps->n_best < need) return;
  double t = best[0] - 1e-9 * (1.0 + fabs(best[0]));
  if (t > ps->theta) ps->theta = t;
}

/* One row of the phrase: its positions kept, and its part of the score
 * over the phrase's IDF. */
static int phrase_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx) {
  pass *ps = ctx;
  fouille__bounds_scratch *s = ps->s;
  long long slot = (long long)api->xRowid(fts) - ps->h->first;
  if (slot < 0 || slot >= ps->h->n || ps->h->sizes[slot * 2] < 0) {
    ps->stop = 1;
    return SQLITE_DONE; /* ends xQueryPhrase */
  }
  if (!push_row(ps->cur, slot, ps->n_pos)) return SQLITE_NOMEM;
  s->held[slot] |= ps->bit;
  size_t first = ps->n_pos; /* the row's first position */
  double tf[2] = {0, 0};
  int rc = hopeless(ps, slot) ? SQLITE_OK : row_positions(api, fts, ps, tf);
  ps->cur->start[ps->cur->n] = ps->n_pos;
  if (rc != SQLITE_OK || s->acc[slot] < 0) return rc;
  const int *sz = ps->h->sizes + slot * 2;
  double t = 0, u = RANK_COORDINATION; /* the bound's arithmetic: rounding may differ */
  for (int c = 0; c < 2; c++)
    if (tf[c] > 0) t += tf[c] * ps->norm_weight[c] / (1.0 - RANK_B + ps->b_avg[c] * (double)sz[c]);
  if (t > 0) u += t * (RANK_K1 + 1.0) / (t + RANK_K1);
  if (tf[TITLE] > 0) u += RANK_TITLE_BONUS, s->in_title[slot] |= ps->bit;
  if (tf[BODY] > 0) { /* the lead of the first body position (title ones come first) */
    while (s->pos[first].c != BODY) first++;
    int lo = s->pos[first].o;
    s->in_body[slot] |= ps->bit;
    u += lo < LEAD_TABLE ? s->lead[lo] : fouille__rank_lead(lo);
  }
  s->unit[slot] = u;
  if (ps->dyn) raise_theta(ps, s->acc[slot] + ps->idf * u);
  return SQLITE_OK;
}

/* The most proximity and adjacency can add to a row holding these phrases. */
static double bonus_bound(const double *idf, int n, uint32_t title, uint32_t body) {
  double b = 0, sum = 0;
  int in_body = 0;
  for (int p = 0; p < n; p++)
    if (body >> p & 1) in_body++, sum += idf[p];
  if (in_body >= 2) b += RANK_PROXIMITY * sum;
  for (int p = 1; p < n; p++) { /* an adjacent pair stands in one column */
    uint32_t pair = 3u << (p - 1);
    if ((title & pair) == pair || (body & pair) == pair)
      b += RANK_ADJACENT * (idf[p - 1] + idf[p]) / 2;
  }
  return b;
}

/* Min-heap of at most cap scores: best[0] is the cap-th best once full. */
static void heap_offer(double *best, size_t *n, size_t cap, double v) {
  size_t i;
  if (*n < cap) {
    for (i = (*n)++; i > 0 && best[(i - 1) / 2] > v; i = (i - 1) / 2) best[i] = best[(i - 1) / 2];
    best[i] = v;
    return;
  }
  if (v <= best[0]) return;
  for (i = 0;;) {
    size_t l = 2 * i + 1, m = l;
    if (l >= *n) break;
    if (l + 1 < *n && best[l + 1] < best[l]) m = l + 1;
    if (best[m] >= v) break;
    best[i] = best[m], i = m;
  }
  best[i] = v;
}

/* Max-heap of bounds by hi: sifts b[i] down within b[0..n). */
static void bound_sift(bound *b, size_t n, size_t i) {
  bound x = b[i];
  for (;;) {
    size_t l = 2 * i + 1, m = l;
    if (l >= n) break;
    if (l + 1 < n && b[l + 1].hi > b[l].hi) m = l + 1;
    if (b[m].hi <= x.hi) break;
    b[i] = b[m], i = m;
  }
  b[i] = x;
}

/* The row's instances of every phrase in xInst's order: by column and
 * offset, the lower phrase first on a tie (FTS5 merges them so). */
static int row_instances(fouille__rank_data *d, const fouille__bounds_scratch *s, long long slot,
                         int *n_inst) {
  size_t at[MAX_PHRASES], end[MAX_PHRASES];
  int n = 0;
  for (int p = 0; p < d->n_phrase; p++) {
    const phrase_rows *r = &s->pr[p];
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (r->slot[mid] < slot)
        lo = mid + 1;
      else
        hi = mid;
    }
    at[p] = end[p] = 0;
    if (lo < r->n && r->slot[lo] == slot) at[p] = r->start[lo], end[p] = r->start[lo + 1];
    n += (int)(end[p] - at[p]);
  }
  if (fouille__rank_data_reserve(d, n) != SQLITE_OK) return SQLITE_NOMEM;
  for (int k = 0; k < n; k++) {
    int b = -1;
    for (int p = 0; p < d->n_phrase; p++) {
      if (at[p] == end[p]) continue;
      const pos *x = &s->pos[at[p]];
      if (b < 0 || x->c < s->pos[at[b]].c || (x->c == s->pos[at[b]].c && x->o < s->pos[at[b]].o))
        b = p;
    }
    if (b < 0) { /* cannot happen: n counts what is left */
      n = k;
      break;
    }
    const pos *x = &s->pos[at[b]++];
    d->inst[k] = (fouille__inst){b, x->c, x->o};
  }
  *n_inst = n;
  return SQLITE_OK;
}

/* Exact scores, best upper bound first, while a row may still reach the
 * need-th best score: into out[0..*n_out). */
static int score_exactly(fouille__rank_data *d, fouille__bounds_scratch *s,
                         const fouille__rank_hints *h, size_t n_bounds, size_t need,
                         fouille__scored *out, size_t *n_out) {
  size_t n_best = 0, k = need < n_bounds ? need : n_bounds; /* the heap never holds more */
  if (!grow((void **)&s->best, &s->cap_best, k, sizeof *s->best)) return SQLITE_NOMEM;
  bound *b = s->bounds;
  for (size_t i = n_bounds / 2; i-- > 0;) bound_sift(b, n_bounds, i);
  for (size_t n = n_bounds; n > 0;) { /* best upper bound first: often few are needed */
    if (n_best == need && b[0].hi < s->best[0] - 1e-9 * (1.0 + fabs(s->best[0]))) break;
    long long slot = b[0].slot;
    b[0] = b[--n];
    bound_sift(b, n, 0);
    int n_inst = 0, rc = row_instances(d, s, slot, &n_inst);
    if (rc != SQLITE_OK) return rc;
    double score = fouille__rank_row(d, d->inst, n_inst, h->sizes + slot * 2);
    heap_offer(s->best, &n_best, need, score);
    out[(*n_out)++] = (fouille__scored){h->first + slot, -score};
  }
  return SQLITE_OK;
}

/* The need-th best lower bound of the rows kept so far, less the bounds'
 * rounding (-HUGE_VAL while fewer rows; NaN when out of memory). */
static double best_lower(fouille__bounds_scratch *s, const pass *ps, size_t need) {
  size_t n_best = 0;
  if (!grow((void **)&s->best, &s->cap_best, need, sizeof *s->best)) return NAN;
  for (size_t i = 0; i < ps->n_touched; i++) {
    double lo = s->acc[s->touched[i]];
    if (lo >= 0) heap_offer(s->best, &n_best, need, lo);
  }
  return n_best < need ? -HUGE_VAL : s->best[0] - 1e-9 * (1.0 + fabs(s->best[0]));
}

/* The mean title and body lengths, and BM25's length factor per column. */
static int column_averages(const Fts5ExtensionApi *api, Fts5Context *fts, fouille__rank_data *d,
                           pass *ps, sqlite3_int64 *all) {
  int rc = api->xRowCount(fts, all);
  for (int c = 0; rc == SQLITE_OK && c < 2; c++) {
    sqlite3_int64 total = 0;
    rc = api->xColumnTotalSize(fts, c, &total);
    d->avg[c] = *all > 0 && total > 0 ? (double)total / (double)*all : 1.0;
    ps->b_avg[c] = RANK_B / d->avg[c];
  }
  return rc;
}

/* What the search knows of the phrases' document frequencies before
 * reading them: floors (*lo) and ceilings (*hi, -1: none), exact ones when
 * the connection's cache has them from an earlier search of this
 * expression in this version of the index (copied into known); NULL when
 * none. */
static void phrase_df(const fouille__rank_hints *h, int n_phrase, long long *known,
                      const long long **lo, const long long **hi) {
  *lo = *hi = NULL;
  if (h->df && h->df_n == n_phrase)
    *lo = *hi = memcpy(known, h->df, (size_t)n_phrase * sizeof *known);
  else if (h->df_min && h->df_min_n == n_phrase)
    *lo = h->df_min, *hi = h->df_max;
}

/* Rarest phrases first, by df (NULL: in order), with the largest IDF
 * each could have. */
static void order_phrases(const fouille__rank_hints *h, int n_phrase, const long long *df,
                          sqlite3_int64 all, int *order, double *idf_max) {
  for (int p = 0; p < n_phrase; p++) {
    int k = p;
    for (; k > 0 && df && df[order[k - 1]] > df[p]; k--) order[k] = order[k - 1];
    order[k] = p;
    idf_max[p] = fouille__rank_idf((double)all, df ? (double)df[p] : 0) *
                 fouille__rank_weight(h, p, n_phrase);
  }
}

/* What the phrases from the k-th on could still add to a row holding none
 * of the earlier ones (one phrase left: no proximity, no pair); or, held,
 * to one holding some (every phrase's proximity and pairs). */
static double share_left(const int *order, const double *idf_max, int k, int n_phrase, int held) {
  double left = 0, base = PHRASE_MAX_SHARE - RANK_PROXIMITY - RANK_ADJACENT;
  for (int j = k; j < n_phrase; j++)
    left += (k == n_phrase - 1 || held ? base : PHRASE_MAX_SHARE) * idf_max[order[j]];
  for (int p = 0; held && p < n_phrase; p++)
    left +=
        RANK_PROXIMITY * idf_max[p] + (p ? RANK_ADJACENT * (idf_max[p - 1] + idf_max[p]) / 2 : 0);
  return left;
}

/* Sets up the pass for the k-th phrase read (hi: ceilings or NULL):
 * SQLITE_OK or SQLITE_NOMEM. */
static int phrase_start(pass *ps, const int *order, const double *idf_max, int k, int n_phrase,
                        int floors, const long long *hi, sqlite3_int64 all) {
  fouille__bounds_scratch *s = ps->s;
  size_t need = ps->h->bounds->need;
  int p = order[k];
  double theta = floors && k > 0 && need > 0 ? best_lower(s, ps, need) : -HUGE_VAL;
  ps->dyn = floors && need > 0 && hi && hi[p] >= 0;
  if (isnan(theta) || (ps->dyn && !grow((void **)&s->best, &s->cap_best, need, sizeof *s->best)))
    return SQLITE_NOMEM;
  ps->left_new = share_left(order, idf_max, k, n_phrase, 0);
  ps->left_held = share_left(order, idf_max, k, n_phrase, 1);
  ps->theta = theta, ps->n_best = 0;
  ps->idf = ps->dyn ? fouille__rank_idf((double)all, (double)(hi[p] < all ? hi[p] : all)) *
                          fouille__rank_weight(ps->h, p, n_phrase)
                    : 0;
  ps->cur = &s->pr[p], ps->bit = 1u << p;
  return SQLITE_OK;
}

/* Reads the phrases' rows in order, adding each row's lower bound. Rows
 * that cannot reach the need-th best lower bound met so far are only
 * counted: first seen once it outscores all that the phrases left could
 * give a row holding none of the ones read, or held with too little. */
static int read_phrases(const Fts5ExtensionApi *api, Fts5Context *fts, fouille__rank_hints *h,
                        pass *ps, fouille__rank_data *d, int n_phrase, sqlite3_int64 all) {
  fouille__bounds_scratch *s = ps->s;
  int order[MAX_PHRASES], rc = SQLITE_OK;
  double idf_max[MAX_PHRASES];
  long long known[MAX_PHRASES];
  const long long *lo, *hi;
  phrase_df(h, n_phrase, known, &lo, &hi);
  order_phrases(h, n_phrase, lo, all, order, idf_max);
  for (int k = 0; k < n_phrase && rc == SQLITE_OK; k++) {
    int p = order[k];
    if ((rc = phrase_start(ps, order, idf_max, k, n_phrase, lo != NULL, hi, all)) != SQLITE_OK)
      return rc;
    if ((rc = api->xQueryPhrase(fts, p, ps, phrase_row)) != SQLITE_OK || ps->stop) return rc;
    long long n = (long long)s->pr[p].n;
    if ((lo && n < lo[p]) || (hi && hi[p] >= 0 && n > hi[p])) return ps->stop = 3, rc; /* wrong */
    d->idf[p] = fouille__rank_idf((double)all, (double)n) * fouille__rank_weight(h, p, n_phrase);
    d->size[p] = api->xPhraseSize(fts, p);
    if (h->df && p < h->df_cap) h->df[p] = n;
    for (size_t i = 0; i < s->pr[p].n; i++) {
      long long slot = s->pr[p].slot[i];
      if (s->acc[slot] >= 0) s->acc[slot] += d->idf[p] * s->unit[slot];
    }
  }
  return rc;
}

/* Keeps the rows whose upper bound reaches the need-th best lower bound
 * (less the bounds' rounding): the others cannot be in the top need. */
static int select_rows(pass *ps, const fouille__rank_data *d, int n_phrase, size_t *n_bounds) {
  fouille__bounds_scratch *s = ps->s;
  size_t need = ps->h->bounds->need;
  double theta = need > 0 ? best_lower(s, ps, need) : -HUGE_VAL;
  uint32_t every = n_phrase == 32 ? ~0u : (1u << n_phrase) - 1;
  double most = bonus_bound(d->idf, n_phrase, every, every); /* what any row may add */
  if (isnan(theta)) return SQLITE_NOMEM;
  for (size_t i = 0; need > 0 && i < ps->n_touched; i++) {
    long long slot = s->touched[i];
    if (s->acc[slot] < 0 || s->acc[slot] + most < theta) continue; /* hopeless, or too low */
    double hi = s->acc[slot] + bonus_bound(d->idf, n_phrase, s->in_title[slot], s->in_body[slot]);
    if (hi < theta) continue;
    if (!grow((void **)&s->bounds, &s->cap_bounds, *n_bounds + 1, sizeof *s->bounds))
      return SQLITE_NOMEM;
    s->bounds[(*n_bounds)++] = (bound){slot, hi};
  }
  return SQLITE_OK;
}

/* Whether some row read holds every phrase. */
static int every_phrase_held(const fouille__bounds_scratch *s, size_t n_touched, int n_phrase) {
  uint32_t every = n_phrase == 32 ? ~0u : (1u << n_phrase) - 1;
  for (size_t i = 0; i < n_touched; i++)
    if (s->held[s->touched[i]] == every) return 1;
  return 0;
}

/* Scores the selected rows exactly and hands the best to search.c. */
static int answer(fouille__rank_hints *h, pass *ps, fouille__rank_data *d, int n_phrase,
                  size_t n_bounds) {
  size_t n_out = 0, need = h->bounds->need;
  int all_held = every_phrase_held(ps->s, ps->n_touched, n_phrase);
  fouille__scored *out = malloc((n_bounds ? n_bounds : 1) * sizeof *out);
  if (!out) return SQLITE_NOMEM;
  int rc = need > 0 ? score_exactly(d, ps->s, h, n_bounds, need, out, &n_out) : SQLITE_OK;
  if (rc != SQLITE_OK) return free(out), rc;
  free(h->bounds->rows);
  h->bounds->rows = out, h->bounds->n = n_out;
  h->bounds->total = (long long)ps->n_touched;
  h->bounds->all_held = all_held;
  h->bounds->done = 1;
  return SQLITE_OK;
}

/* Leaves the per-slot arrays zero for the next query. */
static void scratch_reset(fouille__bounds_scratch *s, int n_phrase, size_t n_touched) {
  for (size_t i = 0; i < n_touched; i++) { /* each row once, however many phrases it holds */
    long long slot = s->touched[i];
    s->acc[slot] = 0, s->in_title[slot] = 0, s->in_body[slot] = 0, s->held[slot] = 0;
  }
  for (int p = 0; p < n_phrase; p++) s->pr[p].n = 0;
  if (s->cap_pos > KEEP_POSITIONS) free(s->pos), s->pos = NULL, s->cap_pos = 0;
}

static int run(const Fts5ExtensionApi *api, Fts5Context *fts, fouille__rank_hints *h,
               fouille__bounds_scratch *s) {
  int n_phrase = api->xPhraseCount(fts), rc;
  sqlite3_int64 all = 0;
  size_t n_bounds = 0;
  pass ps = {.h = h, .s = s, .norm_weight = {RANK_TITLE_WEIGHT, 1.0}};
  fouille__rank_data *d = fouille__rank_data_new(n_phrase, 2);
  if (!d) return SQLITE_NOMEM;
  rc = column_averages(api, fts, d, &ps, &all);
  if (rc == SQLITE_OK) rc = read_phrases(api, fts, h, &ps, d, n_phrase, all);
  if (h->df && n_phrase <= h->df_cap && rc == SQLITE_OK && !ps.stop) h->df_n = n_phrase;
  if (rc == SQLITE_OK && !ps.stop) rc = select_rows(&ps, d, n_phrase, &n_bounds);
  if (rc == SQLITE_OK && !ps.stop) rc = answer(h, &ps, d, n_phrase, n_bounds);
  scratch_reset(s, n_phrase, ps.n_touched);
  fouille__rank_data_free(d);
  if (ps.n_dropped) atomic_fetch_add(&dropped, ps.n_dropped);
  return rc;
}

static void rank_bounds(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sctx,
                        int argc, sqlite3_value **argv) {
  fouille__rank_hints *h =
      argc == 1 ? sqlite3_value_pointer(argv[0], FOUILLE__RANK_HINTS_TYPE) : NULL;
  if (!h || !h->bounds) {
    sqlite3_result_error(sctx, "fouille__rank_bounds: for fouille_search only", -1);
    return;
  }
  int n_phrase = api->xPhraseCount(fts);
  if (h->bounds->done || n_phrase < 1 || n_phrase > MAX_PHRASES || api->xColumnCount(fts) != 2 ||
      h->n_col != 2 || !h->sizes || h->n <= 0)
    return; /* answered on an earlier row, or done stays 0 */
  fouille__bounds_scratch *mine = NULL, **keep = h->bounds->scratch ? h->bounds->scratch : &mine;
  fouille__bounds_scratch *s = scratch_for(keep, (size_t)h->n);
  int rc = s ? run(api, fts, h, s) : SQLITE_NOMEM;
  fouille__bounds_scratch_free(mine);
  if (rc != SQLITE_OK) sqlite3_result_error_code(sctx, rc);
}

int fouille__rank_bounds_register(fts5_api *api) {
  return api->xCreateFunction(api, "fouille__rank_bounds", NULL, rank_bounds, NULL);
}
