/* Private: the tap of a connection's fouille_fr tokenizer (fts5_tap.c).
 * While add and seen are set, the tokenizer shows the tap the written
 * words of FOUILLE__TAP_MIN_BYTES bytes or more of every document FTS5
 * reads (text inserted or deleted), each once per document: the indexer
 * counts documents in doc (one per FTS5 statement) and keeps its lexicon
 * with them (indexer/lexicon.c). A word new to the tap is introduced with
 * add: its bytes as written and its last term (the accentless spelling's
 * stem when the analyzer gives one); add gives two ids the tap keeps with
 * the word (id[0] -1: not counted), and a non-zero return (FOUILLE_E…)
 * stops the statement. The ids of the words each document holds are
 * appended to seen, two by two (once per document), for the indexer to
 * count before it starts the next document.
 * The words are found by their bytes in an open-addressing table of
 * 32-byte slots, two to a cache line: the lookup is inlined into the
 * tokenizer, the one cost per token. */
#ifndef FOUILLE_FTS5_TAP_H
#define FOUILLE_FTS5_TAP_H

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "fouille/analyzer.h"

#define FOUILLE__TAP_MIN_BYTES 4 /* shorter words are not shown */
#define FOUILLE__TAP_MAX_BYTES 192

typedef struct fouille__tap_slot {
  uint64_t a, b;     /* the word's first and last 8 (or 4) bytes: all of it up to 16 */
  uint32_t doc;      /* the last document that saw it */
  uint32_t len_off;  /* its length | its offset in long_keys << 8; 0: an empty slot */
  int32_t id[2];     /* add's */
} fouille__tap_slot;

typedef struct fouille__fts5_tap {
  int (*add)(void *payload, const char *word, int len, const char *term, int term_len,
             int32_t id[2]);
  void *payload;
  uint32_t doc;
  int32_t *seen; /* the ids of the current document's words, two by two */
  size_t n_seen, cap_seen;
  /* The words seen (fts5_tap.c). */
  fouille__tap_slot *slot;
  size_t mask, used;
  int shift; /* 64 - log2(mask + 1): a hash's top bits pick its first slot */
  char *long_keys; /* words over 16 bytes */
  size_t long_len, long_cap;
  /* The word shown last waits one step: its slot is fetched from memory
   * meanwhile, and its colocated term (its last) may still come. */
  int held, held_len, held_term_len;
  const char *held_word;
  uint64_t held_a, held_b, held_h;
  char held_term[FOUILLE_TERM_MAX];
} fouille__fts5_tap;

/* db's tap (fts5_tokenizer.c; one per connection, made when the tokenizer
 * was registered), or NULL when the tokenizer is not registered there. */
fouille__fts5_tap *fouille__fts5_tap_of(sqlite3 *db);

/* The held word, new to the tap: added. FOUILLE_OK or add's error. */
int fouille__fts5_tap_new(fouille__fts5_tap *t);
/* Appends a slot's ids to seen, making room: FOUILLE_OK or FOUILLE_ENOMEM. */
int fouille__fts5_tap_grow_seen(fouille__fts5_tap *t, const int32_t id[2]);
/* Forgets every word (the indexer's memory is bounded); frees them when
 * the tap closes. */
void fouille__fts5_tap_forget(fouille__fts5_tap *t);
void fouille__fts5_tap_free(fouille__fts5_tap *t);

/* ---- The lookup, inlined into the tokenizer ---------------------------------------------- */

static inline uint64_t fouille__tap_read8(const char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline uint64_t fouille__tap_read4(const char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* A word's hash from its ends a, b and its middle 8-byte words (none up
 * to 16 bytes: w is not read then). */
static inline uint64_t fouille__tap_mix(const char *w, size_t n, uint64_t a, uint64_t b) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  for (size_t i = 8; i + 8 < n; i += 8) h = (h ^ fouille__tap_read8(w + i)) * 0xFF51AFD7ED558CCDull;
  h = (h ^ a) * 0xC4CEB9FE1A85EC53ull;
  h = (h ^ (h >> 29) ^ b) * 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 32);
}

/* A word's ends a, b (its first and last 8 bytes, or 4 under 8) and hash. */
static inline uint64_t fouille__tap_hash(const char *w, size_t n, uint64_t *a, uint64_t *b) {
  if (n >= 8)
    *a = fouille__tap_read8(w), *b = fouille__tap_read8(w + n - 8);
  else
    *a = fouille__tap_read4(w), *b = fouille__tap_read4(w + n - 4);
  return fouille__tap_mix(w, n, *a, *b);
}

/* The slot of the word: holding it, or the empty one where it goes. */
static inline fouille__tap_slot *fouille__tap_find(const fouille__fts5_tap *t, const char *w,
                                                   size_t n, uint64_t a, uint64_t b, uint64_t h) {
  for (size_t i = (size_t)((h * 0x9E3779B97F4A7C15ull) >> t->shift);; i = (i + 1) & t->mask) {
    fouille__tap_slot *s = &t->slot[i];
    if (!s->len_off) return s;
    if (s->a == a && s->b == b && (s->len_off & 0xFF) == n &&
        (n <= 16 || memcmp(t->long_keys + (s->len_off >> 8) + 8, w + 8, n - 16) == 0))
      return s;
  }
}

static inline size_t fouille__tap_first(const fouille__fts5_tap *t, uint64_t h) {
  return (size_t)((h * 0x9E3779B97F4A7C15ull) >> t->shift);
}

/* The held word's turn: noted for the document (once), or added when new.
 * Also the end of a text (fts5_tokenizer.c). */
static inline int fouille__fts5_tap_end(fouille__fts5_tap *t) {
  t->held = 0;
  fouille__tap_slot *s = t->slot ? fouille__tap_find(t, t->held_word, (size_t)t->held_len,
                                                     t->held_a, t->held_b, t->held_h)
                                 : NULL;
  if (!s || !s->len_off) return fouille__fts5_tap_new(t);
  if (s->doc == t->doc || s->id[0] < 0) return 0;
  s->doc = t->doc;
  if (t->n_seen + 2 > t->cap_seen) return fouille__fts5_tap_grow_seen(t, s->id);
  t->seen[t->n_seen] = s->id[0], t->seen[t->n_seen + 1] = s->id[1], t->n_seen += 2;
  return 0;
}

/* A term of a document (fts5_tokenizer.c): the word w (n bytes) or the
 * colocated term that follows it (the last term of a word is the one add
 * gets; a colocated term of another span, a joined word's, is not the
 * word's). The word waits one step (its slot prefetched) while the one that
 * waited takes its turn. FOUILLE_OK or add's error. */
static inline int fouille__fts5_tap_term(fouille__fts5_tap *t, int colocated, const char *term,
                                         int len, const char *w, int n) {
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  if (colocated) { /* the held word's own (a joined word's spans more: not its) */
    if (t->held && w == t->held_word && n == t->held_len)
      memcpy(t->held_term, term, (size_t)len), t->held_term_len = len;
    return 0;
  }
  int rc = t->held ? fouille__fts5_tap_end(t) : 0;
  if (rc || n < FOUILLE__TAP_MIN_BYTES || n > FOUILLE__TAP_MAX_BYTES) return rc;
  t->held_h = fouille__tap_hash(w, (size_t)n, &t->held_a, &t->held_b);
  if (t->slot) __builtin_prefetch(&t->slot[fouille__tap_first(t, t->held_h)]);
  t->held = 1, t->held_word = w, t->held_len = n;
  memcpy(t->held_term, term, (size_t)len), t->held_term_len = len;
  return 0;
}

#endif
