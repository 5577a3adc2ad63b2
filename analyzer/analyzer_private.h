/* Private to the analyzer: the steps of the pipeline, one file each. */
#ifndef FOUILLE_ANALYZER_PRIVATE_H
#define FOUILLE_ANALYZER_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* segment.c — Unicode word segmentation over possibly invalid UTF-8. */
typedef struct fouille__segmenter {
  const uint8_t *text;
  size_t len, pos;
} fouille__segmenter;

/* Finds the next word at or after s->pos: sets [*start, *end) and returns
 * 1, or returns 0 at the end of the text. Words are runs of letters, marks
 * and digits, with inner apostrophes (' U+2019 U+02BC between word
 * characters) and soft hyphens kept inside. */
int fouille__segment_next(fouille__segmenter *s, size_t *start, size_t *end);

/* elision.c — length in bytes of a leading elided article/pronoun plus its
 * apostrophe ("l’", "Qu'", "jusqu’"), or 0 when the word has none or when
 * nothing would remain after it. */
size_t fouille__elision_length(const char *word, size_t len);
/* The i-th elided article ("l", "qu", "jusqu"…), lower case without its
 * apostrophe, or NULL past the last. */
const char *fouille__elision_article(size_t i);

/* fold.c — normalisation before stemming: NFC, case folding, default
 * ignorables (soft hyphen) removed, apostrophes unified to ', ligatures
 * œ æ expanded. Writes into out; returns 0 or FOUILLE_ENOMEM. */
int fouille__normalize(const char *word, size_t len, fouille__buf *out);

/* Removes accents (combining marks after canonical decomposition), result
 * NFC, then folds the letters of fold_table.c (ø -> o, ł -> l, fullwidth
 * forms -> ASCII). Returns 0 or FOUILLE_ENOMEM. */
int fouille__fold_accents(const char *word, size_t len, fouille__buf *out);

/* fold_table.c (scripts/gen-fold-table) — letters without a canonical
 * decomposition and their folding, sorted by code point. */
typedef struct fouille__fold_entry {
  unsigned cp;
  const char *to;
} fouille__fold_entry;
extern const fouille__fold_entry fouille__fold_table[];
extern const unsigned fouille__fold_table_size;

/* Non-zero if the (normalised) word holds a decimal digit. */
int fouille__has_digit(const char *word, size_t len);

/* stem.c — Snowball French, accents kept. */
typedef struct fouille__stemmer fouille__stemmer;
fouille__stemmer *fouille__stemmer_new(void);
void fouille__stemmer_free(fouille__stemmer *st);
/* Stems word; *out points into the stemmer (valid until the next call). */
int fouille__stem(fouille__stemmer *st, const char *word, size_t len, const char **out,
                  size_t *out_len);

/* cache.c — bounded surface-form → terms cache. */
typedef struct fouille__cache fouille__cache;
fouille__cache *fouille__cache_new(size_t max_entries);
void fouille__cache_free(fouille__cache *c);
/* On a hit, sets the primary term and the colocated one (alt_len 0 when
 * none), and *note to the entry's note when notes are on, and returns 1;
 * returns 0 on a miss. */
int fouille__cache_get(fouille__cache *c, const char *key, size_t key_len, const char **term,
                       size_t *term_len, const char **alt, size_t *alt_len, uint64_t **note);
/* Hints that the word (elision included, as written) is looked up next:
 * starts loading its slot into the CPU cache. */
void fouille__cache_prefetch(fouille__cache *c, const char *word, size_t len);
/* Stores an entry (ignored when too long; else *note set as by get);
 * returns 0 or FOUILLE_ENOMEM. */
int fouille__cache_put(fouille__cache *c, const char *key, size_t key_len, const char *term,
                       size_t term_len, const char *alt, size_t alt_len, uint64_t **note);

/* Notes (analyzer_notes.h): made on first use; the number of times the
 * cache was emptied; every note set to 0. */
int fouille__cache_notes_on(fouille__cache *c);
uint32_t fouille__cache_epoch(const fouille__cache *c);
void fouille__cache_notes_clear(fouille__cache *c);
/* The bytes the cache holds (slots, arena, notes). */
size_t fouille__cache_bytes(const fouille__cache *c);

/* Longest surface form worth caching, in bytes. */
#define FOUILLE__CACHE_KEY_MAX 64

#endif
