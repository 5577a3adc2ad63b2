/* The lexicon kept in step with the articles (store/lexicon.h has the
 * table). While the indexer writes an article to FTS5 or deletes one, the
 * tokenizer's tap (store/fts5_tap.h) shows this file each written word of
 * it once: a word new to the run is spelled (form, folded word, stem) and
 * given an id, and each article's words are counted once. The counts wait
 * in memory until the batch commits, when lexicon_rows.c merges them into
 * the rows, in the same transaction as the articles (so a killed run loses
 * both). An index upgraded from schema 2 gets its lexicon counted from
 * every article by the first update run (meta lexicon = 'rebuild'). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fouille/analyzer.h"
#include "fts5_tap.h"
#include "lexicon_rows.h"
#include "update.h"

/* Memory: a fixed budget. Before a document, once the run has
 * fouille__lexicon_keep_words words or the tap TAP_WORDS written words,
 * the counts are flushed and the words forgotten (to be spelled again when
 * seen again). Below both, the arrays and tables stay within their first
 * power of two past the budget (a document seldom adds over a few hundred
 * words): some 14 MB at most, and as much again while a flush sorts. Half
 * the budget (60,000 and 90,000) spelled many words twice on a first
 * build of 20,000 articles, and missed the caches more (docs/benchmarks.md,
 * "A bigger budget, and merges in small pieces"). */
size_t fouille__lexicon_keep_words = 120000;
#define TAP_WORDS 180000 /* its table doubles at 196,608 (3/4 of 262,144 slots) */

/* A lexicon word touched in this run (its counts are in wcount, index for
 * index: the tap's ids of a written word are its word and form indexes,
 * form -1 when it is written as the word itself). */
typedef struct lword {
  uint64_t hash;
  uint32_t off, stem_off;
  int len, stem_len;
  int32_t forms; /* first of its other forms, -1 none */
} lword;

typedef struct lform {
  uint32_t off, doc;
  int len;
  int32_t next, df;
} lform;

/* A word's counts, in one place: the last document counting the word or
 * its plain form, and their changes since the flush. */
typedef struct wcount {
  uint32_t doc, pdoc;
  int32_t df, plain;
} wcount;

struct fouille__lexicon {
  sqlite3 *db;
  const char *path;
  fouille__fts5_tap *tap;
  fouille__lex_rows *rows;
  char *arena;
  size_t arena_len, arena_cap;
  lword *words;
  wcount *count;
  uint32_t *word_slot;   /* the words by hash: index + 1, word_mask + 1 slots */
  size_t word_mask, n_words, cap_words;
  lform *forms;
  size_t n_forms, cap_forms;
  int sign, dirty;
  size_t peak; /* the most bytes held (fouille__lexicon_peak) */
};

/* ---- Memory --------------------------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap * 2 : 1024;
  while (c < need) c *= 2;
  void *q = realloc(*p, c * size);
  if (!q) return -1;
  *p = q, *cap = c;
  return 0;
}

/* Copies n bytes into the arena: their offset, or -1 when out of memory. */
static int64_t keep(fouille__lexicon *lx, const char *s, size_t n) {
  if (grow((void **)&lx->arena, &lx->arena_cap, lx->arena_len + n, 1)) return -1;
  memcpy(lx->arena + lx->arena_len, s, n);
  lx->arena_len += n;
  return (int64_t)(lx->arena_len - n);
}

static uint64_t hash_of(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a: only for words new to the run */
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
  return h;
}

/* ---- Lexicon words ---------------------------------------------------------------------- */

/* The slot of word (s, n) in the words' map: holding its index + 1, or 0. */
static uint32_t *word_find(fouille__lexicon *lx, const char *s, int n, uint64_t h) {
  for (size_t i = h & lx->word_mask;; i = (i + 1) & lx->word_mask) {
    uint32_t v = lx->word_slot[i];
    const lword *w = v ? &lx->words[v - 1] : NULL;
    if (!v || (w->hash == h && w->len == n && !memcmp(lx->arena + w->off, s, (size_t)n)))
      return &lx->word_slot[i];
  }
}

static int word_room(fouille__lexicon *lx) {
  if (lx->word_slot && (lx->n_words + 1) * 2 <= lx->word_mask + 1) return 0;
  size_t cap = lx->word_slot ? (lx->word_mask + 1) * 2 : 1 << 14;
  uint32_t *slots = calloc(cap, sizeof *slots);
  if (!slots) return -1;
  free(lx->word_slot);
  lx->word_slot = slots, lx->word_mask = cap - 1;
  for (size_t i = 0; i < lx->n_words; i++) {
    size_t j = lx->words[i].hash & lx->word_mask;
    while (slots[j]) j = (j + 1) & lx->word_mask;
    slots[j] = (uint32_t)i + 1;
  }
  return 0;
}

static int words_grow(fouille__lexicon *lx) {
  size_t cap = lx->cap_words;
  if (lx->n_words < cap) return 0;
  cap = cap ? cap * 2 : 4096;
  lword *w = realloc(lx->words, cap * sizeof *w);
  if (w) lx->words = w;
  wcount *c = w ? realloc(lx->count, cap * sizeof *c) : NULL;
  if (c) lx->count = c;
  if (!c) return -1;
  lx->cap_words = cap;
  return 0;
}

/* The index of the word (a new one gets stem), -1 when out of memory. */
static int32_t word_get(fouille__lexicon *lx, const char *s, int n, const char *stem, int slen) {
  uint64_t h = hash_of(s, (size_t)n);
  if (word_room(lx)) return -1;
  uint32_t *slot = word_find(lx, s, n, h);
  if (*slot) return (int32_t)(*slot - 1);
  int64_t off = keep(lx, s, (size_t)n), soff = keep(lx, stem, (size_t)slen);
  if (off < 0 || soff < 0 || words_grow(lx)) return -1;
  size_t i = lx->n_words++;
  lx->words[i] = (lword){h, (uint32_t)off, (uint32_t)soff, n, slen, -1};
  lx->count[i] = (wcount){0, 0, 0, 0};
  *slot = (uint32_t)i + 1;
  return (int32_t)i;
}

/* The index of form among word w's other forms, -1 when out of memory. */
static int32_t form_get(fouille__lexicon *lx, int32_t w, const char *s, int n) {
  for (int32_t f = lx->words[w].forms; f >= 0; f = lx->forms[f].next)
    if (lx->forms[f].len == n && !memcmp(lx->arena + lx->forms[f].off, s, (size_t)n)) return f;
  int64_t off = keep(lx, s, (size_t)n);
  if (off < 0 || grow((void **)&lx->forms, &lx->cap_forms, lx->n_forms + 1, sizeof(lform)))
    return -1;
  lx->forms[lx->n_forms] = (lform){(uint32_t)off, 0, n, lx->words[w].forms, 0};
  lx->words[w].forms = (int32_t)lx->n_forms;
  return (int32_t)lx->n_forms++;
}

/* ---- The tap's callbacks ------------------------------------------------------------------ */

/* A written word new to the tap: spelled; its ids are its word and form
 * (word -1: left out). */
static int on_new_word(void *payload, const char *s, int n, const char *term, int tlen,
                       int32_t id[2]) {
  fouille__lexicon *lx = payload;
  char form[FOUILLE__LEX_WORD_MAX + 1], word[FOUILLE__LEX_WORD_MAX + 1];
  int fl = 0, wl = 0, ok = fouille__lex_spell(s, (size_t)n, form, &fl, word, &wl);
  id[0] = id[1] = -1;
  if (ok <= 0) return ok;
  if ((id[0] = word_get(lx, word, wl, term, tlen)) < 0 ||
      ((fl != wl || memcmp(form, word, (size_t)wl)) && (id[1] = form_get(lx, id[0], form, fl)) < 0))
    return id[0] = -1, fouille__error(FOUILLE_ENOMEM, "out of memory counting words");
  return FOUILLE_OK;
}

/* Counts the written words the tap saw in the last document (each once):
 * its lexicon words (two forms of one count once) and their forms. The
 * counts are scattered: each is fetched COUNT_AHEAD words ahead. */
#define COUNT_AHEAD 8
static void count_seen(fouille__lexicon *lx) {
  fouille__fts5_tap *t = lx->tap;
  uint32_t doc = t->doc;
  int sign = lx->sign;
  for (size_t i = 0; i < t->n_seen; i += 2) {
    if (i + 2 * COUNT_AHEAD < t->n_seen)
      __builtin_prefetch(&lx->count[t->seen[i + 2 * COUNT_AHEAD]]);
    wcount *c = &lx->count[t->seen[i]];
    int32_t form = t->seen[i + 1];
    if (c->doc != doc) c->doc = doc, c->df += sign, lx->dirty = 1;
    if (form < 0) {
      if (c->pdoc != doc) c->pdoc = doc, c->plain += sign;
    } else if (lx->forms[form].doc != doc) {
      lx->forms[form].doc = doc, lx->forms[form].df += sign;
    }
  }
  t->n_seen = 0;
}

/* ---- Memory held ------------------------------------------------------------------------- */

/* The bytes held now: the words and their counts, the tap's table, the
 * rows' buffers, and extra (a flush's). */
static void note_peak(fouille__lexicon *lx, size_t extra) {
  size_t b = lx->arena_cap + lx->cap_words * (sizeof *lx->words + sizeof *lx->count) +
             (lx->word_mask + 1) * sizeof *lx->word_slot + lx->cap_forms * sizeof *lx->forms +
             fouille__fts5_tap_bytes(lx->tap) + fouille__lex_rows_bytes(lx->rows) + extra;
  if (b > lx->peak) lx->peak = b;
}

size_t fouille__lexicon_peak(const fouille__lexicon *lx) { return lx ? lx->peak : 0; }

/* ---- Flushing ------------------------------------------------------------------------------------- */

typedef struct pending_word {
  uint64_t head; /* the first 8 bytes, big-endian: the radix sort's key */
  const char *s;
  int len;
  int32_t w;
} pending_word;

static uint64_t head_of(const char *s, int len) {
  uint64_t h = 0;
  for (int i = 0; i < 8; i++) h = h << 8 | (i < len ? (uint8_t)s[i] : 0);
  return h;
}

static int word_cmp(const pending_word *x, const pending_word *y) {
  int c = memcmp(x->s, y->s, (size_t)(x->len < y->len ? x->len : y->len));
  return c ? c : x->len - y->len;
}

/* Sorts p by bytes (then length): a radix sort on the heads (a byte a
 * pass, passes where every head has the same byte skipped), then the runs
 * of equal heads by insertion. tmp: room for n. */
static void sort_words(pending_word *p, pending_word *tmp, size_t n) {
  for (int shift = 0; shift < 64; shift += 8) {
    size_t count[257] = {0};
    for (size_t i = 0; i < n; i++) count[(p[i].head >> shift & 0xFF) + 1]++;
    if (n && count[(p[0].head >> shift & 0xFF) + 1] == n) continue;
    for (int b = 0; b < 256; b++) count[b + 1] += count[b];
    for (size_t i = 0; i < n; i++) tmp[count[p[i].head >> shift & 0xFF]++] = p[i];
    memcpy(p, tmp, n * sizeof *p);
  }
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && p[j].head == p[j - 1].head && word_cmp(&p[j], &p[j - 1]) < 0; j--) {
      pending_word t = p[j];
      p[j] = p[j - 1], p[j - 1] = t;
    }
}

static int form_by_bytes(const void *a, const void *b) {
  const fouille__lex_form *x = a, *y = b;
  int c = memcmp(x->text, y->text, (size_t)(x->len < y->len ? x->len : y->len));
  return c ? c : x->len - y->len;
}

static int changed(const fouille__lexicon *lx, size_t i, size_t *n_forms) {
  int any = lx->count[i].df || lx->count[i].plain;
  for (int32_t f = lx->words[i].forms; f >= 0; f = lx->forms[f].next)
    if (lx->forms[f].df) any = 1, ++*n_forms;
  return any;
}

/* The change of word p->w into d, its forms' changes (sorted) from *f on;
 * the counts start again from 0. */
static void take_change(fouille__lexicon *lx, const pending_word *p, fouille__lex_delta *d,
                        fouille__lex_form **f) {
  lword *w = &lx->words[p->w];
  *d = (fouille__lex_delta){p->s, lx->arena + w->stem_off, p->len, w->stem_len,
                            lx->count[p->w].df, lx->count[p->w].plain, *f, 0};
  for (int32_t k = w->forms; k >= 0; k = lx->forms[k].next) {
    lform *x = &lx->forms[k];
    if (x->df) (*f)[d->n_forms++] = (fouille__lex_form){lx->arena + x->off, x->len, x->df};
    x->df = 0;
  }
  if (d->n_forms > 1) qsort(*f, (size_t)d->n_forms, sizeof **f, form_by_bytes);
  *f += d->n_forms;
  lx->count[p->w].df = lx->count[p->w].plain = 0;
}

/* The changed words, sorted, as deltas for the rows. */
static int merge_changes(fouille__lexicon *lx) {
  size_t n = 0, n_forms = 0;
  int rc = FOUILLE_OK;
  pending_word *p = malloc((2 * lx->n_words + 1) * sizeof *p);
  for (size_t i = 0; p && i < lx->n_words; i++)
    if (changed(lx, i, &n_forms))
      p[n++] = (pending_word){head_of(lx->arena + lx->words[i].off, lx->words[i].len),
                              lx->arena + lx->words[i].off, lx->words[i].len, (int32_t)i};
  fouille__lex_delta *d = p ? malloc((n + 1) * sizeof *d) : NULL;
  fouille__lex_form *f = d ? malloc((n_forms + 1) * sizeof *f) : NULL, *at = f;
  if (!f) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory writing the lexicon");
    goto done;
  }
  sort_words(p, p + n, n);
  for (size_t i = 0; i < n; i++) take_change(lx, &p[i], &d[i], &at);
  rc = fouille__lex_rows_merge(lx->rows, d, n);
  note_peak(lx, (2 * lx->n_words + 1) * sizeof *p + (n + 1) * sizeof *d + (n_forms + 1) * sizeof *f);
done:
  free(p);
  free(d);
  free(f);
  return rc;
}

static void forget(fouille__lexicon *lx);

int fouille__lexicon_flush(fouille__lexicon *lx) {
  if (lx) count_seen(lx);
  if (!lx || !lx->dirty) return FOUILLE_OK;
  lx->dirty = 0;
  return merge_changes(lx);
}

/* Forgets every word (after a flush): memory stays bounded on huge runs. */
static void forget(fouille__lexicon *lx) {
  fouille__fts5_tap_forget(lx->tap);
  lx->n_words = lx->n_forms = lx->arena_len = 0;
  memset(lx->word_slot, 0, (lx->word_mask + 1) * sizeof *lx->word_slot);
}

void fouille__lexicon_discard(fouille__lexicon *lx) {
  if (!lx) return;
  note_peak(lx, 0);
  lx->tap->n_seen = 0, lx->dirty = 0;
  forget(lx);
}

int fouille__lexicon_doc(fouille__lexicon *lx, int sign) {
  if (!lx) return FOUILLE_OK;
  count_seen(lx);
  if (lx->n_words >= fouille__lexicon_keep_words || lx->tap->used >= TAP_WORDS ||
      lx->arena_len > (1u << 30)) {
    int rc = fouille__lexicon_flush(lx);
    if (rc) return rc;
    forget(lx);
  }
  lx->tap->doc++, lx->sign = sign;
  return FOUILLE_OK;
}

/* ---- Counting every article (an upgraded index) ---------------------------------------- */

typedef struct build_ctx {
  fouille__lexicon *lx;
  const char *text;
} build_ctx;

static int build_token(int flags, const char *term, int len, int start, int end, void *p) {
  build_ctx *b = p;
  return fouille__fts5_tap_term(b->lx->tap, flags & FOUILLE_TERM_COLOCATED, term, len,
                                b->text + start, end - start, NULL, 0);
}

/* Counts the title and body of st's row (title, body) as FTS5 reads them. */
static int count_article(fouille__lexicon *lx, fouille_analyzer *an, sqlite3_stmt *st) {
  int rc = fouille__lexicon_doc(lx, 1);
  for (int col = 0; col < 2 && !rc; col++) {
    build_ctx b = {lx, (const char *)sqlite3_column_text(st, col)};
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (b.text) rc = fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, b.text, n, build_token, &b);
    if (!rc && lx->tap->held) rc = fouille__fts5_tap_end(lx->tap);
  }
  return rc;
}

static int count_all(fouille__lexicon *lx) {
  sqlite3_stmt *st = NULL;
  fouille_analyzer *an = NULL;
  int rc = fouille_analyzer_new(&an, 0), s = SQLITE_DONE;
  if (!rc && sqlite3_prepare_v2(lx->db, "SELECT title, body FROM articles", -1, &st, NULL))
    rc = fouille__schema_fail(lx->db, lx->path, "reading articles");
  while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) rc = count_article(lx, an, st);
  if (!rc && s != SQLITE_DONE) rc = fouille__schema_fail(lx->db, lx->path, "reading articles");
  sqlite3_finalize(st);
  fouille_analyzer_free(an);
  return rc;
}

/* Whether the lexicon waits to be counted (meta lexicon = 'rebuild'). */
static int waiting(fouille__lexicon *lx, int *yes) {
  sqlite3_stmt *st = NULL;
  *yes = 0;
  if (sqlite3_prepare_v2(lx->db, "SELECT 1 FROM meta WHERE key='lexicon' AND value='rebuild'", -1,
                         &st, NULL))
    return fouille__schema_fail(lx->db, lx->path, "reading meta");
  int s = sqlite3_step(st);
  sqlite3_finalize(st);
  *yes = s == SQLITE_ROW;
  return s == SQLITE_ROW || s == SQLITE_DONE ? FOUILLE_OK
                                             : fouille__schema_fail(lx->db, lx->path, "reading meta");
}

/* Counts every article into an empty lexicon, in its own transaction
 * unless one is open. */
static int count_from_scratch(fouille__lexicon *lx) {
  int own = sqlite3_get_autocommit(lx->db), rc = FOUILLE_OK;
  if (own && (rc = fouille__schema_exec(lx->db, lx->path, "BEGIN IMMEDIATE"))) return rc;
  if (!(rc = fouille__lex_rows_clear(lx->rows)) && !(rc = count_all(lx)) &&
      !(rc = fouille__lexicon_flush(lx)))
    rc = fouille__schema_exec(lx->db, lx->path, "DELETE FROM meta WHERE key='lexicon'");
  if (own && !rc) rc = fouille__schema_exec(lx->db, lx->path, "COMMIT");
  if (own && rc) sqlite3_exec(lx->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

int fouille__lexicon_open(fouille__lexicon **out, sqlite3 *db, const char *path, int write) {
  fouille__lexicon *lx = calloc(1, sizeof *lx);
  int rc = FOUILLE_OK, wait = 0;
  *out = NULL;
  if (!lx) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  lx->db = db, lx->path = path;
  if (!(lx->tap = fouille__fts5_tap_of(db)))
    rc = fouille__error(FOUILLE_EDB, "%s: the fouille_fr tokenizer is not registered", path);
  if (!rc && word_room(lx)) rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
  if (!rc) rc = fouille__lex_rows_open(&lx->rows, db, path);
  if (!rc) lx->tap->add = on_new_word, lx->tap->payload = lx;
  if (!rc && write && !(rc = waiting(lx, &wait)) && wait) rc = count_from_scratch(lx);
  if (rc) fouille__lexicon_free(lx), lx = NULL;
  *out = lx;
  return rc;
}

void fouille__lexicon_free(fouille__lexicon *lx) {
  if (!lx) return;
  if (lx->tap && lx->tap->payload == lx) {
    lx->tap->add = NULL, lx->tap->payload = NULL;
    fouille__fts5_tap_forget(lx->tap);
  }
  fouille__lex_rows_free(lx->rows);
  free(lx->arena);
  free(lx->words);
  free(lx->count);
  free(lx->word_slot);
  free(lx->forms);
  free(lx);
}
