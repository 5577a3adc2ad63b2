/* The French analyzer pipeline: segment, drop elisions, normalise, stem
 * with the accents, fold the accents, and add colocated alternatives: the
 * accentless spelling's stem (less a plural s or x that Snowball keeps),
 * the stems of the word's other spellings (alternatives.c) and of the word
 * joined across hyphens, dots or digit-group spaces (joins.c). A bounded
 * cache skips all but the segmentation for words already seen. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "alternatives.h"
#include "analyzer_initials.h"
#include "analyzer_notes.h"
#include "analyzer_private.h"
#include "error.h"
#include "fouille/analyzer.h"
#include "utf8.h"

#define DEFAULT_CACHE_ENTRIES 65536
#define STEM_MAX_BYTES 100 /* longer words are not real words: not stemmed */

struct fouille_analyzer {
  fouille__stemmer *stemmer;
  fouille__cache *cache; /* NULL when disabled */
  fouille__buf norm, term, tmp, stem;
  fouille__buf alt; /* the alternative terms, separated by NUL bytes */
  unsigned long long lookups, hits;
  uint64_t **note; /* where to show each word's note (analyzer_notes.h), or NULL */
};

FOUILLE_EXTERN int fouille_analyzer_new(fouille_analyzer **out, int cache_entries) {
  *out = NULL;
  fouille_analyzer *a = calloc(1, sizeof *a);
  if (!a) return fouille__error(FOUILLE_ENOMEM, "out of memory creating the analyzer");
  a->stemmer = fouille__stemmer_new();
  if (cache_entries >= 0)
    a->cache = fouille__cache_new(cache_entries ? (size_t)cache_entries : DEFAULT_CACHE_ENTRIES);
  if (!a->stemmer || (cache_entries >= 0 && !a->cache)) {
    fouille_analyzer_free(a);
    return fouille__error(FOUILLE_ENOMEM, "out of memory creating the analyzer");
  }
  *out = a;
  return FOUILLE_OK;
}

FOUILLE_EXTERN void fouille_analyzer_free(fouille_analyzer *a) {
  if (!a) return;
  fouille__stemmer_free(a->stemmer);
  fouille__cache_free(a->cache);
  fouille__buf_free(&a->norm);
  fouille__buf_free(&a->term);
  fouille__buf_free(&a->alt);
  fouille__buf_free(&a->tmp);
  fouille__buf_free(&a->stem);
  free(a);
}

FOUILLE_EXTERN void fouille_analyzer_cache_stats(unsigned long long *lookups,
                                                 unsigned long long *hits,
                                                 const fouille_analyzer *a) {
  if (lookups) *lookups = a ? a->lookups : 0;
  if (hits) *hits = a ? a->hits : 0;
}

/* Cuts b to at most FOUILLE_TERM_MAX bytes, on a character boundary. */
static void cut_term(fouille__buf *b) {
  if (b->len <= FOUILLE_TERM_MAX) return;
  size_t n = fouille__utf8_cut(b->data, b->len, FOUILLE_TERM_MAX);
  b->len = n;
  b->data[n] = '\0';
}

/* Stems src (normalised) and folds the accents of the stem into dst. */
static int stem_fold(fouille_analyzer *a, const char *src, size_t len, fouille__buf *dst) {
  const char *s;
  size_t n;
  if (fouille__stem(a->stemmer, src, len, &s, &n)) return FOUILLE_ENOMEM;
  return fouille__fold_accents(s, n, dst);
}

/* Snowball keeps a final s after a, i, o, u ("virus", "souris") and a final
 * x after u ("heureux"), so plurals of words ending in those vowels never
 * meet their singular: "vélos" and "vélo", "connus" and "connu", "enjeux"
 * and "enjeu". The alternative stem drops that mark, on the document and
 * the query side alike, so either form finds the other. Short words keep
 * their s: "mais", "fois", "mois" must not meet "mai", "foi", "moi". */
static void drop_plural_mark(fouille__buf *b) {
  size_t n = b->len;
  if (n < 4 || (unsigned char)b->data[n - 2] >= 0x80) return;
  size_t chars = fouille__utf8_count(b->data, n);
  char last = b->data[n - 1], before = b->data[n - 2];
  if ((last == 's' && strchr("aiou", before) && chars >= 5) || (last == 'x' && before == 'u'))
    b->data[--b->len] = '\0';
}

/* Length of the alternative at alt[i]: up to its NUL separator or the end
 * (the last has no separator, so that one alternative takes no more room
 * in the cache than before). */
static size_t alt_length(const char *alt, size_t i, size_t len) {
  const char *nul = memchr(alt + i, '\0', len - i);
  return nul ? (size_t)(nul - (alt + i)) : len - i;
}

/* Appends term to the alternatives unless it is the term or one already. */
static int add_alt(fouille_analyzer *a, const char *t, size_t n) {
  if (n == 0 || (n == a->term.len && memcmp(t, a->term.data, n) == 0)) return 0;
  for (size_t i = 0, k; i < a->alt.len; i += k + 1) {
    k = alt_length(a->alt.data, i, a->alt.len);
    if (k == n && memcmp(a->alt.data + i, t, n) == 0) return 0;
  }
  if (fouille__buf_reserve(&a->alt, a->alt.len + n + 2)) return FOUILLE_ENOMEM;
  if (a->alt.len) a->alt.data[a->alt.len++] = '\0';
  memcpy(a->alt.data + a->alt.len, t, n);
  a->alt.len += n;
  return 0;
}

/* Stems another spelling of the word and adds it as an alternative. */
static int add_spelling(void *ctx, const char *w, size_t n) {
  fouille_analyzer *a = ctx;
  if (stem_fold(a, w, n, &a->stem)) return FOUILLE_ENOMEM;
  return add_alt(a, a->stem.data, a->stem.len);
}

static size_t chars_of(const fouille__buf *b) {
  size_t n = 0;
  for (size_t i = 0; i < b->len; i++) n += ((unsigned char)b->data[i] & 0xC0) != 0x80;
  return n;
}

/* A prefix is folded, not stemmed: "nucl*" matches the stems starting with
 * "nucl". A prefix of 5 letters or more that Snowball would cut to 4 or more
 * also gets its stem as a second prefix, so that a whole word typed as a
 * prefix ("nucléaire*", stem "nucleair") finds that word. */
static int prefix_terms(fouille_analyzer *a) {
  if (fouille__fold_accents(a->norm.data, a->norm.len, &a->term)) return FOUILLE_ENOMEM;
  cut_term(&a->term);
  if (chars_of(&a->term) < 5 || a->norm.len > STEM_MAX_BYTES ||
      fouille__has_digit(a->norm.data, a->norm.len))
    return 0;
  if (stem_fold(a, a->norm.data, a->norm.len, &a->stem)) return FOUILLE_ENOMEM;
  if (a->stem.len >= a->term.len || chars_of(&a->stem) < 4) return 0;
  return add_alt(a, a->stem.data, a->stem.len);
}

/* Computes a->term and a->alt (empty when none) for one word. */
static int compute_terms(fouille_analyzer *a, fouille_analyze_mode mode, const char *w,
                         size_t len) {
  a->alt.len = 0;
  if (fouille__normalize(w, len, &a->norm)) return FOUILLE_ENOMEM;
  if (mode == FOUILLE_ANALYZE_PREFIX) return prefix_terms(a);
  if (a->norm.len > STEM_MAX_BYTES || fouille__has_digit(a->norm.data, a->norm.len)) {
    if (fouille__fold_accents(a->norm.data, a->norm.len, &a->term)) return FOUILLE_ENOMEM;
    cut_term(&a->term);
    return 0;
  }
  const char *fixed = fouille__over_stemmed(a->norm.data, a->norm.len);
  if (fixed) return fouille__buf_set(&a->term, fixed, strlen(fixed));
  if (stem_fold(a, a->norm.data, a->norm.len, &a->term)) return FOUILLE_ENOMEM;
  /* The stem of the word without accents or plural mark. The mark comes off
   * the word, not the stem: "utilisateurs" stems to "utilis", whose s is no
   * plural (cutting it gave most words built on "utilis" a second term, and
   * queries on them FTS5's slow synonym path). */
  if (fouille__fold_accents(a->norm.data, a->norm.len, &a->tmp)) return FOUILLE_ENOMEM;
  drop_plural_mark(&a->tmp);
  if ((a->tmp.len != a->norm.len || memcmp(a->tmp.data, a->norm.data, a->tmp.len) != 0) &&
      add_spelling(a, a->tmp.data, a->tmp.len))
    return FOUILLE_ENOMEM;
  return fouille__word_alternatives(w, len, a->norm.data, a->norm.len, add_spelling, a);
}

/* Emits term, then the alternatives, colocated. */
static int emit_terms(const char *term, size_t term_len, const char *alt, size_t alt_len, int flags,
                      int start, int end, fouille_term_cb cb, void *payload) {
  int rc = term_len ? cb(flags, term, (int)term_len, start, end, payload) : 0;
  for (size_t i = 0, n; rc == 0 && i < alt_len; i += n + 1) {
    n = alt_length(alt, i, alt_len);
    rc = cb(FOUILLE_TERM_COLOCATED, alt + i, (int)n, start, end, payload);
  }
  return rc;
}

/* The terms of the word w (elision already dropped), from the cache when
 * it holds them. */
typedef struct word_terms {
  const char *term, *alt;
  size_t term_len, alt_len;
} word_terms;

static int terms_of(fouille_analyzer *a, fouille_analyze_mode mode, const char *w, size_t len,
                    word_terms *t) {
  int cached = a->cache && mode != FOUILLE_ANALYZE_PREFIX && len <= FOUILLE__CACHE_KEY_MAX;
  uint64_t *dummy = NULL, **note = a->note ? a->note : &dummy;
  *note = NULL;
  if (cached) {
    a->lookups++;
    if (fouille__cache_get(a->cache, w, len, &t->term, &t->term_len, &t->alt, &t->alt_len, note)) {
      a->hits++;
      return 0;
    }
  }
  if (compute_terms(a, mode, w, len)) return FOUILLE_ENOMEM;
  *t = (word_terms){a->term.data, a->alt.data, a->term.len, a->alt.len};
  if (cached &&
      fouille__cache_put(a->cache, w, len, t->term, t->term_len, t->alt, t->alt_len, note))
    return FOUILLE_ENOMEM;
  return 0;
}

static int emit_word(fouille_analyzer *a, fouille_analyze_mode mode, const char *text, size_t start,
                     size_t end, fouille_term_cb cb, void *payload) {
  start += fouille__elision_length(text + start, end - start);
  word_terms t;
  if (terms_of(a, mode, text + start, end - start, &t)) return FOUILLE_ENOMEM;
  if (t.term_len == 0) return 0;
  return emit_terms(t.term, t.term_len, t.alt, t.alt_len, 0, (int)start, (int)end, cb, payload);
}

/* After the first piece of a chain (O.N.U., Wi-Fi, 25 000), the joined
 * word's stem, colocated, spanning the chain. */
static int emit_joined(fouille_analyzer *a, fouille_analyze_mode mode, const char *text, size_t len,
                       size_t start, size_t end, fouille_term_cb cb, void *payload) {
  unsigned char next = end < len ? (unsigned char)text[end] : 0;
  if (next != '-' && next != '.' && next != 0xC2 && next != 0xE2) return 0; /* most words */
  char joined[FOUILLE__ALT_WORD_MAX];
  size_t word = start + fouille__elision_length(text + start, end - start), chain_end;
  size_t n = fouille__join_chain(text, len, start, word, end, joined, &chain_end);
  if (n == 0) return 0;
  word_terms t;
  if (terms_of(a, mode, joined, n, &t)) return FOUILLE_ENOMEM;
  /* The joined word's stem only: readers type it whole and plain ("wifi",
   * "cidessous"), and its own alternatives cost terms that rarely match. */
  return emit_terms(t.term, t.term_len, NULL, 0, FOUILLE_TERM_COLOCATED, (int)word, (int)chain_end,
                    cb, payload);
}

FOUILLE_EXTERN int fouille_analyzer_run(fouille_analyzer *a, fouille_analyze_mode mode,
                                        const char *text, size_t len, fouille_term_cb cb,
                                        void *payload) {
  if (!a || !cb || (!text && len)) return fouille__error(FOUILLE_EINVAL, "analyzer: bad argument");
  if (len > INT_MAX) return fouille__error(FOUILLE_EINVAL, "analyzer: text over 2 GiB");
  fouille__segmenter seg = {(const uint8_t *)text, len, 0};
  size_t start, end, next_start, next_end;
  /* One word of lookahead: its cache slot is fetched from memory while this
   * word is emitted (a cache miss per token cost ~10 % of an index build). */
  int more = fouille__segment_next(&seg, &start, &end);
  while (more) {
    more = fouille__segment_next(&seg, &next_start, &next_end);
    if (more && a->cache)
      fouille__cache_prefetch(a->cache, text + next_start, next_end - next_start);
    int rc = emit_word(a, mode, text, start, end, cb, payload);
    if (rc == 0 && mode != FOUILLE_ANALYZE_PREFIX)
      rc = emit_joined(a, mode, text, len, start, end, cb, payload);
    if (rc) return rc;
    start = next_start, end = next_end;
  }
  return FOUILLE_OK;
}

/* ---- Only the words whose terms may start so (analyzer_initials.h) ---------------------- */

int fouille__analyzer_run_initials(fouille_analyzer *a, const char *text, size_t len,
                                   const fouille__initials *initials, fouille_term_cb cb,
                                   void *payload) {
  if (!a || !cb || !initials || (!text && len))
    return fouille__error(FOUILLE_EINVAL, "analyzer: bad argument");
  if (len > INT_MAX) return fouille__error(FOUILLE_EINVAL, "analyzer: text over 2 GiB");
  fouille__initials in = *initials;
  fouille__initials_widen(&in);
  fouille__segmenter seg = {(const uint8_t *)text, len, 0};
  size_t start, end;
  while (fouille__segment_next(&seg, &start, &end)) {
    size_t word = start + fouille__elision_length(text + start, end - start);
    if (fouille__initials_skip(&in, text + word, end - word)) continue;
    int rc = emit_word(a, FOUILLE_ANALYZE_DOCUMENT, text, start, end, cb, payload);
    if (rc == 0) rc = emit_joined(a, FOUILLE_ANALYZE_DOCUMENT, text, len, start, end, cb, payload);
    if (rc) return rc;
  }
  return FOUILLE_OK;
}

/* ---- Notes (analyzer_notes.h) ---------------------------------------------------------- */

int fouille__analyzer_notes_on(fouille_analyzer *a, uint64_t **note) {
  int rc = a->cache ? fouille__cache_notes_on(a->cache) : FOUILLE_OK;
  if (!rc) a->note = note, *note = NULL;
  return rc;
}

uint32_t fouille__analyzer_notes_epoch(const fouille_analyzer *a) {
  return a->cache ? fouille__cache_epoch(a->cache) : 0;
}

void fouille__analyzer_notes_clear(fouille_analyzer *a) {
  if (a->cache) fouille__cache_notes_clear(a->cache);
}

size_t fouille__analyzer_cache_bytes(const fouille_analyzer *a) {
  return a->cache ? fouille__cache_bytes(a->cache) : 0;
}
