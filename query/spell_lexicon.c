/* A read connection's lexicon in memory (the table is described in
 * store/lexicon.h) and the walk that finds the words a typed word may
 * become. The words are held sorted, so that those sharing a prefix are
 * side by side: the walk goes down that implicit trie one character at a
 * time, computing one row of the weighted Damerau-Levenshtein table
 * (spell_costs.c) per prefix, and leaves a prefix as soon as no word
 * starting with it can come within the budget. A prefix's children are
 * found from the prefix each word shares with the one before it (lcp),
 * the byte after it and a jump to the next word sharing less (nsv): a few
 * reads of small arrays per child, not a search through the words (whose
 * text, scattered in memory, is read only for a child whose character is
 * not ASCII or whose first word differs earlier from the word before).
 * Memory: the words' text, forms and stems, and 24 bytes per word. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lexicon.h"
#include "spell_private.h"

#define PAD 8       /* zero bytes after the text: the walk compares a few bytes past a word's end */
#define PER_WORD 24 /* bytes per word besides the text: 5 arrays of 4 bytes, 4 of 1 */

/* ---- Loading ------------------------------------------------------------------------- */

typedef struct loader {
  fouille__spell_lexicon *lex;
  size_t text_len, text_cap, cap;
  int oom;
} loader;

static int grow(void **p, size_t n, size_t size) {
  void *q = realloc(*p, n * size + PAD);
  if (!q) return -1;
  *p = q;
  return 0;
}

/* Appends s (n bytes) and a NUL to the text: its offset. */
static uint32_t add_text(loader *l, const char *s, int n) {
  fouille__spell_lexicon *x = l->lex;
  if (l->text_len + (size_t)n + 1 > l->text_cap) {
    size_t cap = l->text_cap ? l->text_cap * 2 : 1 << 16;
    while (cap < l->text_len + (size_t)n + 1) cap *= 2;
    if (grow((void **)&x->text, cap, 1)) return l->oom = 1, 0;
    l->text_cap = cap;
  }
  memcpy(x->text + l->text_len, s, (size_t)n);
  x->text[l->text_len + (size_t)n] = '\0';
  l->text_len += (size_t)n + 1;
  return (uint32_t)(l->text_len - (size_t)n - 1);
}

static int room(loader *l) {
  fouille__spell_lexicon *x = l->lex;
  if (x->n < l->cap) return 0;
  size_t cap = l->cap ? l->cap * 2 : 4096;
  if (grow((void **)&x->word, cap, 4) || grow((void **)&x->form, cap, 4) ||
      grow((void **)&x->stem, cap, 4) || grow((void **)&x->df, cap, 4) ||
      grow((void **)&x->stem_len, cap, 1))
    return -1;
  l->cap = cap;
  return 0;
}

/* The written form of e the archive uses most (accented on a tie). */
static fouille__lex_form best_form(const fouille__lex_entry *e) {
  fouille__lex_form best = {e->word, e->len, e->plain}, f;
  const unsigned char *at = e->forms;
  while (fouille__lex_form_next(e, &at, &f))
    if (f.df >= best.df) best = f;
  return best;
}

static int add_entry(loader *l, const fouille__lex_entry *e) {
  fouille__spell_lexicon *x = l->lex;
  if (room(l)) return FOUILLE_ENOMEM;
  fouille__lex_form f = best_form(e);
  size_t i = x->n;
  x->word[i] = add_text(l, e->word, e->len);
  x->form[i] = f.text == e->word ? x->word[i] : add_text(l, f.text, f.len);
  x->stem[i] = e->stem == e->word ? x->word[i] : add_text(l, e->stem, e->stem_len);
  x->stem_len[i] = (uint8_t)(e->stem_len > 255 ? 255 : e->stem_len);
  x->df[i] = (uint32_t)(e->df > 0xFFFFFFFF ? 0xFFFFFFFF : e->df);
  x->n++;
  return l->oom ? FOUILLE_ENOMEM : FOUILLE_OK;
}

static int add_row(loader *l, const void *blob, int n) {
  fouille__lex_cursor c;
  int k, rc = FOUILLE_OK;
  if (fouille__lex_cursor_init(&c, blob, n)) return fouille__error(FOUILLE_EDB, "lexicon: bad row");
  while (!rc && (k = fouille__lex_cursor_next(&c)) == 1) rc = add_entry(l, &c.e);
  if (!rc && k < 0) rc = fouille__error(FOUILLE_EDB, "lexicon: damaged row");
  if (!rc && l->text_cap + l->cap * PER_WORD > FOUILLE__SPELL_LEXICON_MAX) rc = 1; /* too large */
  return rc;
}

/* Whether the lexicon is there and counted (not waiting for an update). */
static int usable(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  int waiting = 1;
  if (sqlite3_prepare_v2(db, "SELECT 1 FROM meta WHERE key = 'lexicon'", -1, &st, NULL) ==
      SQLITE_OK)
    waiting = sqlite3_step(st) != SQLITE_DONE;
  sqlite3_finalize(st);
  return !waiting;
}

/* Fills lcp, after, len and nsv (see spell_private.h): nsv by a stack of
 * the words whose next smaller lcp is not found yet. */
static int add_runs(fouille__spell_lexicon *x) {
  if (!(x->lcp = malloc(x->n)) || !(x->after = malloc(x->n)) || !(x->len = malloc(x->n)) ||
      !(x->nsv = malloc(x->n * sizeof *x->nsv)))
    return -1;
  for (size_t i = 0; i < x->n; i++) {
    const unsigned char *a = (const unsigned char *)x->text + (i ? x->word[i - 1] : 0),
                        *b = (const unsigned char *)x->text + x->word[i];
    size_t k = 0, n = strlen((const char *)b);
    while (i && k < 255 && a[k] && a[k] == b[k]) k++;
    x->lcp[i] = (uint8_t)k, x->after[i] = b[k], x->len[i] = (uint8_t)(n < 255 ? n : 255);
  }
  size_t top = 0;
  uint32_t *wait = malloc(x->n * sizeof *wait);
  if (!wait) return -1;
  for (size_t i = 0; i < x->n; i++) {
    while (top > 0 && x->lcp[wait[top - 1]] > x->lcp[i]) x->nsv[wait[--top]] = (uint32_t)i;
    wait[top++] = (uint32_t)i;
  }
  while (top > 0) x->nsv[wait[--top]] = (uint32_t)x->n;
  free(wait);
  return 0;
}

int fouille__spell_lexicon_load(sqlite3 *db, fouille__spell_lexicon **out, int *waiting) {
  sqlite3_stmt *st = NULL;
  loader l = {calloc(1, sizeof *l.lex), 0, 0, 0, 0};
  int rc = FOUILLE_OK, s = SQLITE_DONE;
  *out = NULL;
  if (!l.lex) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  if (!(*waiting = !usable(db)) &&
      sqlite3_prepare_v2(db, "SELECT entries FROM lexicon ORDER BY first", -1, &st, NULL) ==
          SQLITE_OK)
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW)
      rc = add_row(&l, sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
  if (!rc && s != SQLITE_DONE) rc = fouille__error(FOUILLE_EDB, "lexicon: %s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  if (!rc && l.lex->n && add_runs(l.lex)) rc = FOUILLE_ENOMEM;
  if (rc == FOUILLE_ENOMEM) rc = fouille__error(FOUILLE_ENOMEM, "out of memory loading the lexicon");
  l.lex->bytes = l.text_cap + l.cap * PER_WORD + sizeof *l.lex;
  if (l.lex->text) memset(l.lex->text + l.text_len, 0, l.text_cap - l.text_len + PAD);
  if (rc || l.lex->n == 0) {
    fouille__spell_lexicon_free(l.lex);
    return rc > 0 ? FOUILLE_OK : rc;
  }
  *out = l.lex;
  return FOUILLE_OK;
}

void fouille__spell_lexicon_free(fouille__spell_lexicon *x) {
  if (!x) return;
  free(x->text);
  free(x->word);
  free(x->form);
  free(x->stem);
  free(x->df);
  free(x->stem_len);
  free(x->lcp);
  free(x->after);
  free(x->len);
  free(x->nsv);
  free(x);
}

int fouille__spell_lexicon_written(sqlite3 *db, const char *word, int len) {
  sqlite3_stmt *st = NULL;
  int found = -1;
  if (!usable(db) ||
      sqlite3_prepare_v2(db,
                         "SELECT entries FROM lexicon WHERE first <= ?1 ORDER BY first DESC LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    return sqlite3_finalize(st), -1;
  sqlite3_bind_text(st, 1, word, len, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  fouille__lex_cursor c;
  if (rc == SQLITE_DONE) found = 0;
  if (rc == SQLITE_ROW &&
      !fouille__lex_cursor_init(&c, sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0))) {
    while ((rc = fouille__lex_cursor_next(&c)) == 1)
      if (c.e.len == len && !memcmp(c.e.word, word, (size_t)len)) break;
    found = rc < 0 ? -1 : rc == 1;
  }
  sqlite3_finalize(st);
  return found;
}

static int word_cmp(const fouille__spell_lexicon *x, size_t i, const char *w, int len) {
  const char *s = x->text + x->word[i];
  int c = strncmp(s, w, (size_t)len);
  return c ? c : s[len] != '\0';
}

long fouille__spell_lexicon_find(const fouille__spell_lexicon *x, const char *w, int len) {
  size_t lo = 0, hi = x ? x->n : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = word_cmp(x, mid, w, len);
    if (c == 0) return (long)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* ---- The walk ------------------------------------------------------------------------------- */

typedef struct walker {
  const fouille__spell_lexicon *lex;
  const fouille__spell_word *w;
  int row[FOUILLE__SPELL_DEPTH + 1][FOUILLE__SPELL_CHARS + 1];
  int min[FOUILLE__SPELL_DEPTH + 1];  /* the least of each row */
  int emin[FOUILLE__SPELL_DEPTH + 1]; /* the least cost with the typed word's ending swapped */
  uint32_t path[FOUILLE__SPELL_DEPTH + 1];
  fouille__spell_cand *out;
  int n, max;
} walker;

/* The code point at s (valid UTF-8: the lexicon's) and its length. */
static int decode_at(const char *s, uint32_t *c) {
  const unsigned char *p = (const unsigned char *)s;
  int k = p[0] < 0x80 ? 1 : p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
  uint32_t v = k == 1 ? p[0] : p[0] & (0x3F >> (k - 1));
  for (int i = 1; i < k; i++) v = v << 6 | (p[i] & 0x3F);
  *c = v;
  return k;
}

/* Row d (the candidate's first d characters, the last path[d - 1]). */
static void fill_row(walker *k, int d) {
  const fouille__spell_word *w = k->w;
  int *r = k->row[d], *p = k->row[d - 1], n = w->n;
  uint32_t c = k->path[d - 1], before = d >= 2 ? k->path[d - 2] : 0;
  int ins = fouille__spell_ins(c, before, d - 1), m = r[0] = p[0] + ins;
  int col = fouille__spell_letter(c);
  for (int i = 1; i <= n; i++) {
    int sub = col < FOUILLE__SPELL_OTHER || w->q[i - 1] != c ? w->sub[i - 1][col] : 0;
    int v = p[i - 1] + sub;
    if (p[i] + ins < v) v = p[i] + ins;
    if (r[i - 1] + w->del[i - 1] < v) v = r[i - 1] + w->del[i - 1];
    if (i >= 2 && d >= 2 && w->q[i - 2] == c && w->q[i - 1] == before &&
        k->row[d - 2][i - 2] + w->swap[i - 1] < v)
      v = k->row[d - 2][i - 2] + w->swap[i - 1];
    r[i] = v;
    if (v < m) m = v;
  }
  k->min[d] = m;
  k->emin[d] = 1 << 20;
  for (int x = 0; x < w->n_ends; x++) {
    int v = r[n - fouille__spell_ending_len(w->ends[x])] + FOUILLE__SPELL_ENDING_COST;
    if (v < k->emin[d]) k->emin[d] = v;
  }
}

/* Whether a word starting with the first d characters can still come
 * within the budget: by the row, a swap reaching back one row, or an
 * ending (at most 5 characters) starting at one of the last rows. */
static int alive(const walker *k, int d) {
  int b = k->w->budget;
  if (k->min[d] <= b || (d >= 1 && k->min[d - 1] + fouille__spell_swap(2) <= b)) return 1;
  for (int j = d; j >= 0 && j >= d - 4; j--)
    if (k->emin[j] <= b) return 1;
  return 0;
}

/* The cost of the whole candidate path[0 .. d): the row's last cell, or
 * the typed word's ending swapped for one the candidate ends with. */
static int final_cost(const walker *k, int d) {
  const fouille__spell_word *w = k->w;
  int cost = k->row[d][w->n];
  for (int e = 0; e < fouille__spell_n_endings() && w->n_ends; e++) {
    if (!fouille__spell_ends_with(k->path, d, e)) continue;
    for (int x = 0; x < w->n_ends; x++) {
      int v = k->row[d - fouille__spell_ending_len(e)][w->n - fouille__spell_ending_len(w->ends[x])];
      if (w->ends[x] != e && v + FOUILLE__SPELL_ENDING_COST < cost)
        cost = v + FOUILLE__SPELL_ENDING_COST;
    }
  }
  return cost;
}

/* Keeps candidate i when among the best max (cost, then articles). */
static void keep(walker *k, uint32_t i, int cost) {
  const uint32_t *df = k->lex->df;
  int at = k->n;
  while (at > 0 && (k->out[at - 1].cost > cost ||
                    (k->out[at - 1].cost == cost && df[k->out[at - 1].word] < df[i])))
    at--;
  if (at >= k->max) return;
  if (k->n < k->max) k->n++;
  memmove(&k->out[at + 1], &k->out[at], (size_t)(k->n - 1 - at) * sizeof *k->out);
  k->out[at] = (fouille__spell_cand){i, cost};
}

/* The end of the run of words from i (before hi) sharing their first
 * `shared` bytes with word i: the first word after i sharing fewer with
 * the word before it. Each jump to nsv passes words sharing at least as
 * many and lands on one sharing strictly fewer than the word it left, so
 * there are at most a few. */
static size_t run_end(const fouille__spell_lexicon *x, size_t i, size_t hi, size_t shared) {
  size_t j = i + 1;
  while (j < hi && x->lcp[j] >= shared) j = x->nsv[j];
  return j < hi ? j : hi;
}

/* The words of [lo, hi) share their first d characters (off bytes): each
 * next character is a child, priced, kept when a word ends there, and
 * walked while it can still come within the budget. */
static void walk(walker *k, int d, size_t lo, size_t hi, size_t off) {
  const fouille__spell_lexicon *x = k->lex;
  size_t i = lo;
  if (i < hi && x->len[i] == off) i++; /* the word ending here */
  while (i < hi) {
    uint32_t c = x->after[i];
    int len = 1, ends;
    if (x->lcp[i] == off && c && c < 0x80) { /* word i's character here, without its text */
      ends = x->len[i] == off + 1;
    } else {
      const char *s = x->text + x->word[i] + off;
      len = decode_at(s, &c);
      ends = s[len] == '\0';
    }
    size_t j = run_end(x, i, hi, off + (size_t)len);
    k->path[d] = c;
    fill_row(k, d + 1);
    if (ends) {
      int cost = final_cost(k, d + 1);
      if (cost <= k->w->budget) keep(k, (uint32_t)i, cost);
    }
    if (d + 1 < FOUILLE__SPELL_DEPTH && alive(k, d + 1)) walk(k, d + 1, i, j, off + (size_t)len);
    i = j;
  }
}

int fouille__spell_walk(const fouille__spell_lexicon *lex, const fouille__spell_word *w,
                        fouille__spell_cand *out, int max) {
  walker *k = malloc(sizeof *k);
  if (!k || !lex || w->budget <= 0) return free(k), 0;
  k->lex = lex, k->w = w, k->out = out, k->n = 0, k->max = max;
  k->row[0][0] = 0;
  for (int i = 1; i <= w->n; i++) k->row[0][i] = k->row[0][i - 1] + w->del[i - 1];
  k->min[0] = 0, k->emin[0] = 1 << 20;
  walk(k, 0, 0, lex->n, 0);
  int n = k->n;
  free(k);
  return n;
}
