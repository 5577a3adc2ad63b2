/* The French analyzer pipeline: segment, drop elisions, normalise, stem
 * with the accents, fold the accents, and add the accentless spelling's
 * stem (less a plural s or x that Snowball keeps) as a colocated
 * alternative. A bounded cache skips all but the segmentation for words
 * already seen. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_private.h"
#include "error.h"
#include "fouille/analyzer.h"
#include "utf8.h"

#define DEFAULT_CACHE_ENTRIES 65536
#define STEM_MAX_BYTES 100 /* longer words are not real words: not stemmed */

struct fouille_analyzer {
  fouille__stemmer *stemmer;
  fouille__cache *cache; /* NULL when disabled */
  fouille__buf norm, term, alt, tmp;
  unsigned long long lookups, hits;
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
  free(a);
}

FOUILLE_EXTERN void fouille_analyzer_cache_stats(const fouille_analyzer *a,
                                                 unsigned long long *lookups,
                                                 unsigned long long *hits) {
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

/* Computes a->term (and a->alt, empty when none) for one word. */
static int compute_terms(fouille_analyzer *a, fouille_analyze_mode mode, const char *w,
                         size_t len) {
  a->alt.len = 0;
  if (fouille__normalize(w, len, &a->norm)) return FOUILLE_ENOMEM;
  int plain = mode == FOUILLE_ANALYZE_PREFIX || a->norm.len > STEM_MAX_BYTES ||
              fouille__has_digit(a->norm.data, a->norm.len);
  if (plain) {
    if (fouille__fold_accents(a->norm.data, a->norm.len, &a->term)) return FOUILLE_ENOMEM;
    cut_term(&a->term);
    return 0;
  }
  if (stem_fold(a, a->norm.data, a->norm.len, &a->term)) return FOUILLE_ENOMEM;
  /* The alternative: the stem of the word without accents or plural mark.
   * The mark comes off the word, not the stem: "utilisateurs" stems to
   * "utilis", whose s is no plural (cutting it gave most words built on
   * "utilis" a second term, and queries on them FTS5's slow synonym path). */
  if (fouille__fold_accents(a->norm.data, a->norm.len, &a->tmp)) return FOUILLE_ENOMEM;
  drop_plural_mark(&a->tmp);
  if (a->tmp.len == a->norm.len && memcmp(a->tmp.data, a->norm.data, a->tmp.len) == 0) return 0;
  if (stem_fold(a, a->tmp.data, a->tmp.len, &a->alt)) return FOUILLE_ENOMEM;
  if (a->alt.len == a->term.len && memcmp(a->alt.data, a->term.data, a->alt.len) == 0)
    a->alt.len = 0;
  return 0;
}

static int emit_word(fouille_analyzer *a, fouille_analyze_mode mode, const char *text, size_t start,
                     size_t end, fouille_term_cb cb, void *ctx) {
  start += fouille__elision_length(text + start, end - start);
  const char *w = text + start;
  size_t len = end - start;
  const char *term, *alt;
  size_t term_len, alt_len;
  int cached = a->cache && mode != FOUILLE_ANALYZE_PREFIX && len <= FOUILLE__CACHE_KEY_MAX;
  if (cached) {
    a->lookups++;
    if (fouille__cache_get(a->cache, w, len, &term, &term_len, &alt, &alt_len)) {
      a->hits++;
      goto emit;
    }
  }
  if (compute_terms(a, mode, w, len)) return FOUILLE_ENOMEM;
  term = a->term.data;
  term_len = a->term.len;
  alt = a->alt.data;
  alt_len = a->alt.len;
  if (cached && fouille__cache_put(a->cache, w, len, term, term_len, alt, alt_len))
    return FOUILLE_ENOMEM;
emit:
  if (term_len == 0) return 0;
  int rc = cb(ctx, 0, term, (int)term_len, (int)start, (int)end);
  if (rc == 0 && alt_len > 0)
    rc = cb(ctx, FOUILLE_TERM_COLOCATED, alt, (int)alt_len, (int)start, (int)end);
  return rc;
}

FOUILLE_EXTERN int fouille_analyzer_run(fouille_analyzer *a, fouille_analyze_mode mode,
                                        const char *text, size_t len, fouille_term_cb cb,
                                        void *ctx) {
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
    int rc = emit_word(a, mode, text, start, end, cb, ctx);
    if (rc) return rc;
    start = next_start, end = next_end;
  }
  return FOUILLE_OK;
}
