/* Private: the tap of a connection's fouille_fr tokenizer (fts5_tap.c).
 * While add and seen are set, the tokenizer shows the tap the written
 * words of FOUILLE__TAP_MIN_BYTES bytes or more of every document FTS5
 * reads (text inserted or deleted), each once per document: the indexer
 * counts documents in doc (one per FTS5 statement) and keeps its lexicon
 * with them (indexer/lexicon.c). A word new to the tap is introduced with
 * add: its bytes as written and its last term (the accentless spelling's
 * stem when the analyzer gives one); add returns an id the tap keeps with
 * the word (-1: not counted). Each document holding the word then calls
 * seen with that id. A non-zero return of either (FOUILLE_E…) stops the
 * statement.
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
  int32_t id;        /* add's */
  uint32_t len_off;  /* its length | its offset in long_keys << 8; 0: an empty slot */
  uint32_t unused;
} fouille__tap_slot;

typedef struct fouille__fts5_tap {
  int (*add)(void *payload, const char *word, int len, const char *term, int term_len,
             int32_t *id);
  int (*seen)(void *payload, int32_t id);
  void *payload;
  uint32_t doc;
  /* The words seen (fts5_tap.c). */
  fouille__tap_slot *slot;
  size_t mask, used;
  int shift; /* 64 - log2(mask + 1): a hash's top bits pick its first slot */
  char *long_keys; /* words over 16 bytes */
  size_t long_len, long_cap;
  /* A word seen for the first time waits for its last term. */
  long pending; /* its slot, -1 none */
  const char *pending_word;
  int pending_len, pending_term_len;
  char pending_term[FOUILLE_TERM_MAX];
} fouille__fts5_tap;

/* db's tap (fts5_tokenizer.c; one per connection, made when the tokenizer
 * was registered), or NULL when the tokenizer is not registered there. */
fouille__fts5_tap *fouille__fts5_tap_of(sqlite3 *db);

/* A term of a document (fts5_tokenizer.c calls these): the word w (n
 * bytes, FOUILLE__TAP_MIN_BYTES to FOUILLE__TAP_MAX_BYTES), a colocated
 * term or not. FOUILLE_OK or add's or seen's error. */
int fouille__fts5_tap_new(fouille__fts5_tap *t, const char *term, int len, const char *w, int n,
                          uint64_t a, uint64_t b, uint64_t h);
/* The end of a text: the word waiting for its last term is added. */
int fouille__fts5_tap_end(fouille__fts5_tap *t);
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

/* The tokenizer's step for the non-colocated term of a word. */
static inline int fouille__fts5_tap_word(fouille__fts5_tap *t, const char *term, int len,
                                         const char *w, int n) {
  uint64_t a, b, h;
  int rc = t->pending >= 0 ? fouille__fts5_tap_end(t) : 0;
  if (rc || n < FOUILLE__TAP_MIN_BYTES || n > FOUILLE__TAP_MAX_BYTES) return rc;
  h = fouille__tap_hash(w, (size_t)n, &a, &b);
  fouille__tap_slot *s = t->slot ? fouille__tap_find(t, w, (size_t)n, a, b, h) : NULL;
  if (!s || !s->len_off) return fouille__fts5_tap_new(t, term, len, w, n, a, b, h);
  if (s->doc == t->doc) return 0;
  s->doc = t->doc;
  return s->id >= 0 ? t->seen(t->payload, s->id) : 0;
}

/* Either step: a word's term, or the colocated term that follows it (the
 * last term of a new word is the one add gets). */
static inline int fouille__fts5_tap_term(fouille__fts5_tap *t, int colocated, const char *term,
                                         int len, const char *w, int n) {
  if (!colocated) return fouille__fts5_tap_word(t, term, len, w, n);
  if (t->pending >= 0 && len <= FOUILLE_TERM_MAX)
    memcpy(t->pending_term, term, (size_t)len), t->pending_term_len = len;
  return 0;
}

#endif
