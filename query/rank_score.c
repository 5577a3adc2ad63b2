/* fouille_rank's arithmetic on a row's instances, apart from the FTS5 API:
 * fouille_rank (fts5_aux.c) and fouille__rank_bounds (rank_bounds.c) feed
 * it the same instances in the same order, so both give the same score to
 * the last bit. */
#include <math.h>
#include <string.h>

#include "rank_private.h"

fouille__rank_data *fouille__rank_data_new(int n_phrase, int n_col) {
  int np = n_phrase, nc = n_col;
  size_t n = sizeof(fouille__rank_data) +
             sizeof(double) * ((size_t)np * (nc + 1) + 2 * (size_t)nc) +
             sizeof(int64_t) * (size_t)np + sizeof(int) * 2 * (size_t)np;
  fouille__rank_data *d = sqlite3_malloc64(n);
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
  for (int c = 0; c < nc; c++) d->weight[c] = c == d->title ? RANK_TITLE_WEIGHT : 1.0;
  return d;
}

void fouille__rank_data_free(void *p) {
  fouille__rank_data *d = p;
  if (d) sqlite3_free(d->inst), sqlite3_free(d);
}

int fouille__rank_data_reserve(fouille__rank_data *d, int n) {
  if (n <= d->inst_cap) return SQLITE_OK;
  int cap = n < 64 ? 64 : n + n / 2;
  fouille__inst *v = sqlite3_realloc64(d->inst, (sqlite3_uint64)cap * sizeof *v);
  if (!v) return SQLITE_NOMEM;
  d->inst = v, d->inst_cap = cap;
  return SQLITE_OK;
}

double fouille__rank_idf(double rows, double df) {
  return log(1.0 + (rows - df + 0.5) / (df + 0.5));
}

double fouille__rank_weight(const fouille__rank_hints *h, int p, int n_phrase) {
  return h && h->weight && h->weight_n == n_phrase && p >= 0 && p < n_phrase ? h->weight[p] : 1.0;
}

/* Counts each phrase once per (column, offset): a word and its colocated
 * accentless stem sit at one position and must not count twice. */
static void count_instances(fouille__rank_data *d, const fouille__inst *v, int n) {
  memset(d->tf, 0, sizeof(double) * (size_t)d->n_phrase * d->n_col);
  for (int p = 0; p < d->n_phrase; p++) d->last[p] = -1;
  for (int i = 0; i < n; i++) {
    int p = v[i].p, c = v[i].c;
    if (p < 0 || p >= d->n_phrase || c < 0 || c >= d->n_col) continue;
    int64_t key = ((int64_t)c << 32) | (uint32_t)v[i].o;
    if (d->last[p] == key) continue;
    d->last[p] = key;
    d->tf[p * d->n_col + c] += 1.0;
  }
}

static double bm25f(const fouille__rank_data *d, const int *col_size) {
  double norm[64], score = 0;
  int nc = d->n_col < 64 ? d->n_col : 64;
  for (int c = 0; c < nc; c++)
    norm[c] = d->weight[c] / (1.0 - RANK_B + RANK_B * (double)col_size[c] / d->avg[c]);
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
static double held_bonus(const fouille__rank_data *d) {
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
static double proximity(fouille__rank_data *d, const fouille__inst *v, int n) {
  int want = 0, need = 0, best = -1, lo = 0, have = 0;
  double sum = 0;
  for (int p = 0; p < d->n_phrase; p++) {
    d->count[p] = 0;
    if (d->tf[p * d->n_col + d->body] > 0) want++, need += d->size[p], sum += d->idf[p];
  }
  if (want < 2) return 0;
  for (int hi = 0; hi < n; hi++) {
    if (v[hi].c != d->body) continue;
    if (d->count[v[hi].p]++ == 0) have++;
    while (have == want) {
      if (v[lo].c == d->body) {
        int span = v[hi].o + d->size[v[hi].p] - v[lo].o;
        if (best < 0 || span < best) best = span;
        if (--d->count[v[lo].p] == 0) have--;
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
static double adjacency(fouille__rank_data *d, const fouille__inst *v, int n) {
  int col = -1;
  double sum = 0;
  if (d->n_phrase < 2) return 0;
  for (int p = 0; p < d->n_phrase; p++) d->count[p] = 0; /* count[p]: pair (p - 1, p) seen */
  for (int i = 0; i < n; i++) {
    int p = v[i].p, c = v[i].c, o = v[i].o;
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

/* Each phrase found in the body earns by where it is first found there:
 * an article's lead sentences say what it is about. */
static double lead(fouille__rank_data *d, const fouille__inst *v, int n) {
  double sum = 0;
  for (int p = 0; p < d->n_phrase; p++) d->count[p] = 0; /* count[p]: p seen in the body */
  for (int i = 0; i < n; i++) {
    int p = v[i].p;
    if (p < 0 || p >= d->n_phrase || v[i].c != d->body || d->count[p]) continue;
    d->count[p] = 1;
    sum += d->idf[p] * fouille__rank_lead(v[i].o);
  }
  return sum;
}

double fouille__rank_row(fouille__rank_data *d, const fouille__inst *v, int n,
                         const int *col_size) {
  count_instances(d, v, n);
  return bm25f(d, col_size) + held_bonus(d) + lead(d, v, n) + proximity(d, v, n) +
         adjacency(d, v, n);
}
