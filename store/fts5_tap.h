/* Private: the tap of a connection's fouille_fr tokenizer (fts5_tap.c).
 * While add and seen are set, the tokenizer shows the tap the written
 * words of FOUILLE__TAP_MIN_BYTES bytes or more of every document FTS5
 * reads (text inserted or deleted): the indexer counts documents in doc
 * (one per FTS5 statement) and keeps its lexicon with them
 * (indexer/lexicon.c). A word new to the tap is introduced with add: its
 * bytes as written and its last term (the accentless spelling's stem when
 * the analyzer gives one); add gives two ids the tap keeps with the word
 * (id[0] -1: not counted), and a non-zero return (FOUILLE_E…) stops the
 * statement. The ids of the words each document holds are appended to
 * seen, two by two, for the indexer to count before it starts the next
 * document (a word may come twice: the counting takes it once).
 * A word is found by its note in the analyzer's cache when it has one
 * (analyzer/analyzer_notes.h: the note holds the word's entry here and the
 * last document that saw it, so that a word seen again costs a compare and
 * no hash), else by its bytes in an open-addressing table of 32-byte
 * slots, two to a cache line, which then writes its note. */
#ifndef FOUILLE_FTS5_TAP_H
#define FOUILLE_FTS5_TAP_H

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "fouille/analyzer.h"

#define FOUILLE__TAP_MIN_BYTES 4 /* shorter words are not shown */
#define FOUILLE__TAP_MAX_BYTES 192

typedef struct fouille__tap_slot {
  uint64_t a, b;    /* the word's first and last 8 (or 4) bytes: all of it up to 16 */
  uint32_t len_off; /* its length | its offset in long_keys << 8; 0: an empty slot */
  uint32_t entry;   /* its index in ids (the same while the tap keeps it) */
  int32_t id[2];    /* add's */
} fouille__tap_slot;

/* A note (analyzer_notes.h) of the tap: entry + 1 | the document << 32. */
#define FOUILLE__TAP_NOTE(doc, entry) ((uint64_t)(doc) << 32 | ((uint64_t)(entry) + 1))

typedef struct fouille__fts5_tap {
  int (*add)(void *payload, const char *word, int len, const char *term, int term_len,
             int32_t id[2]);
  void *payload;
  uint32_t doc;
  uint32_t gen;   /* one more each time the tap forgets: the notes go too */
  uint32_t epoch; /* the analyzer's cache's, as of the word shown last */
  int32_t *seen;  /* the ids of the current document's words, two by two */
  size_t n_seen, cap_seen;
  /* The words seen (fts5_tap.c). */
  fouille__tap_slot *slot;
  size_t mask, used;
  int shift;       /* 64 - log2(mask + 1): a hash's top bits pick its first slot */
  char *long_keys; /* words over 16 bytes */
  size_t long_len, long_cap;
  int32_t (*ids)[2]; /* the words' ids by entry (used of them) */
  size_t cap_ids;
  /* The word shown last waits one step: its slot is fetched from memory
   * meanwhile, and its colocated term (its last) may still come. */
  int held, held_len, held_term_len;
  const char *held_word;
  uint64_t held_a, held_b, held_h;
  uint64_t *held_note; /* its note to write, or NULL */
  uint32_t held_epoch;
  char held_term[FOUILLE_TERM_MAX];
} fouille__fts5_tap;

/* The word cache of the tokenizers made from now on (fouille_analyzer_new's
 * cache_entries: 0, the default; tests make it tiny). */
extern int fouille__fts5_cache_entries;

/* db's tap (fts5_tokenizer.c; one per connection, made when the tokenizer
 * was registered), or NULL when the tokenizer is not registered there. */
fouille__fts5_tap *fouille__fts5_tap_of(sqlite3 *db);

/* The held word, new to the tap: added. FOUILLE_OK or add's error. */
int fouille__fts5_tap_new(fouille__fts5_tap *t);
/* Appends a slot's ids to seen, making room: FOUILLE_OK or FOUILLE_ENOMEM. */
int fouille__fts5_tap_grow_seen(fouille__fts5_tap *t, const int32_t id[2]);
/* The bytes the tap holds. */
size_t fouille__fts5_tap_bytes(const fouille__fts5_tap *t);
/* Forgets every word (the indexer's memory is bounded), and so every note
 * (gen); frees them when the tap closes. */
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

/* Appends ids to seen (unless not counted). */
static inline int fouille__fts5_tap_seen(fouille__fts5_tap *t, const int32_t id[2]) {
  if (id[0] < 0) return 0;
  if (t->n_seen + 2 > t->cap_seen) return fouille__fts5_tap_grow_seen(t, id);
  t->seen[t->n_seen] = id[0], t->seen[t->n_seen + 1] = id[1], t->n_seen += 2;
  return 0;
}

/* A word of its note v (*note, not 0) while none is held: counted unless
 * already in this document. */
static inline int fouille__fts5_tap_noted(fouille__fts5_tap *t, uint64_t *note, uint64_t v) {
  uint32_t e = (uint32_t)v - 1; /* entry + 1 in the low half, never 0 */
  if ((uint32_t)(v >> 32) == t->doc) return 0;
  *note = FOUILLE__TAP_NOTE(t->doc, e);
  return fouille__fts5_tap_seen(t, t->ids[e]);
}

/* The held word's turn: noted for the document, or added when new. Its
 * note, unless the cache emptied itself since (its epoch), now tells its
 * entry. Also the end of a text (fts5_tokenizer.c). */
static inline int fouille__fts5_tap_end(fouille__fts5_tap *t) {
  t->held = 0;
  if (t->held_note && t->held_epoch != t->epoch) t->held_note = NULL;
  fouille__tap_slot *s = t->slot ? fouille__tap_find(t, t->held_word, (size_t)t->held_len,
                                                     t->held_a, t->held_b, t->held_h)
                                 : NULL;
  if (!s || !s->len_off) return fouille__fts5_tap_new(t);
  if (t->held_note) *t->held_note = FOUILLE__TAP_NOTE(t->doc, s->entry);
  return fouille__fts5_tap_seen(t, s->id);
}

/* A term of a document (fts5_tokenizer.c): the word w (n bytes) or the
 * colocated term that follows it (the last term of a word is the one add
 * gets; a colocated term of another span, a joined word's, is not the
 * word's). note: the word's in the analyzer's cache, or NULL; epoch: the
 * cache's now. A word with its note set is counted at once (once a
 * document); another waits one step (its slot prefetched) while the one
 * that waited takes its turn. FOUILLE_OK or add's error. */
static inline int fouille__fts5_tap_term(fouille__fts5_tap *t, int colocated, const char *term,
                                         int len, const char *w, int n, uint64_t *note,
                                         uint32_t epoch) {
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  if (colocated) { /* the held word's own (a joined word's spans more: not its) */
    if (t->held && w == t->held_word && n == t->held_len)
      memcpy(t->held_term, term, (size_t)len), t->held_term_len = len;
    return 0;
  }
  t->epoch = epoch;
  int rc = t->held ? fouille__fts5_tap_end(t) : 0;
  if (rc || n < FOUILLE__TAP_MIN_BYTES || n > FOUILLE__TAP_MAX_BYTES) return rc;
  uint64_t v = note ? *note : 0;
  if (v) return fouille__fts5_tap_noted(t, note, v);
  t->held_note = note, t->held_epoch = epoch;
  t->held_h = fouille__tap_hash(w, (size_t)n, &t->held_a, &t->held_b);
  if (t->slot) __builtin_prefetch(&t->slot[fouille__tap_first(t, t->held_h)]);
  t->held = 1, t->held_word = w, t->held_len = n;
  memcpy(t->held_term, term, (size_t)len), t->held_term_len = len;
  return 0;
}

#endif
