/* A bounded cache from a word as written to its terms (stem and accentless
 * alternative). Open addressing over a flat arena; when full, it is emptied
 * at once: cheap, bounded, and French text refills the common words fast. */
#include <stdlib.h>
#include <string.h>

#include "analyzer_private.h"
#include "error.h"

/* Short entries live in their slot: a lookup touches one cache line, not a
 * slot and then the arena (each was a cache miss next to SQLite's working
 * set, 15 % of an index build). Longer ones spill to the arena. */
#define INLINE_MAX 24

typedef struct slot {
  uint32_t tag; /* high hash bits, never 0; 0 = empty */
  uint8_t key_len, term_len, alt_len, spilled;
  union {
    char data[INLINE_MAX]; /* key, term, alt */
    uint32_t offset;       /* spilled: the same, in the arena */
  } u;
} slot;

struct fouille__cache {
  slot *slots;
  size_t mask, used, max_entries;
  char *arena;
  size_t arena_len, arena_cap;
  const char *next_key; /* the word prefetched last, and its hash: */
  size_t next_len;      /* its lookup need not hash it again */
  uint64_t next_hash;
  /* Notes (analyzer_notes.h): one per slot, kept beside the slots so
   * that these stay 32 bytes, two to a cache line; NULL until asked for. */
  uint64_t *notes;
  uint32_t epoch; /* one more at each emptying */
};

fouille__cache *fouille__cache_new(size_t max_entries) {
  fouille__cache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  size_t n = 16;
  while (n < max_entries * 2) n *= 2;
  c->slots = calloc(n, sizeof *c->slots);
  c->arena_cap = max_entries * 4 + 1024;
  c->arena = malloc(c->arena_cap);
  if (!c->slots || !c->arena) {
    fouille__cache_free(c);
    return NULL;
  }
  c->mask = n - 1;
  c->max_entries = max_entries;
  return c;
}

void fouille__cache_free(fouille__cache *c) {
  if (!c) return;
  free(c->slots);
  free(c->arena);
  free(c->notes);
  free(c);
}

static uint64_t read8(const char *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}

static uint64_t read4(const char *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

/* The key's bytes as two words, with overlapping loads and no loop for the
 * usual short words (a byte loop mispredicted on every length). */
static void ends(const char *k, size_t n, uint64_t *a, uint64_t *b) {
  if (n >= 8) {
    *a = read8(k), *b = read8(k + n - 8);
  } else if (n >= 4) {
    *a = read4(k), *b = read4(k + n - 4);
  } else {
    *a = n ? (uint64_t)(uint8_t)k[0] << 16 | (uint64_t)(uint8_t)k[n >> 1] << 8 | (uint8_t)k[n - 1]
           : 0;
    *b = 0;
  }
}

/* A multiply-mix hash inlined here: keys are short words, and a call into
 * libxxhash per token cost more than the hashing. */
static uint64_t hash_of(const char *key, size_t len) {
  uint64_t a, b, h = 0x9E3779B97F4A7C15ull ^ len;
  for (size_t i = 8; i + 8 < len; i += 8) h = (h ^ read8(key + i)) * 0xFF51AFD7ED558CCDull;
  ends(key, len, &a, &b);
  h = (h ^ a) * 0xC4CEB9FE1A85EC53ull;
  h = (h ^ (h >> 29) ^ b) * 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 32);
}

static uint32_t tag_of(uint64_t h) {
  uint32_t t = (uint32_t)(h >> 32);
  return t ? t : 1;
}

/* Equal lengths known: compares the middle words, then both ends. */
static int same_key(const char *x, const char *y, size_t n) {
  for (size_t i = 8; i + 8 < n; i += 8)
    if (read8(x + i) != read8(y + i)) return 0;
  uint64_t xa, xb, ya, yb;
  ends(x, n, &xa, &xb);
  ends(y, n, &ya, &yb);
  return xa == ya && xb == yb;
}

int fouille__cache_get(fouille__cache *c, const char *key, size_t key_len, const char **term,
                       size_t *term_len, const char **alt, size_t *alt_len, uint64_t **note) {
  if (key_len > FOUILLE__CACHE_KEY_MAX) return 0;
  /* Same pointer and length as the prefetched word: the same bytes while the
   * caller's text lives; were it stale, a wrong hash only misses (keys are
   * compared), it never returns another word's terms. */
  uint64_t h = key == c->next_key && key_len == c->next_len ? c->next_hash : hash_of(key, key_len);
  uint32_t tag = tag_of(h);
  for (size_t i = h & c->mask;; i = (i + 1) & c->mask) {
    const slot *s = &c->slots[i];
    if (s->tag == 0) return 0;
    if (s->tag != tag || s->key_len != key_len) continue;
    const char *p = s->spilled ? c->arena + s->u.offset : s->u.data;
    if (!same_key(p, key, key_len)) continue;
    *term_len = s->term_len;
    *alt_len = s->alt_len;
    *term = p + key_len;
    *alt = *term + *term_len;
    if (c->notes) *note = &c->notes[i];
    return 1;
  }
}

void fouille__cache_prefetch(fouille__cache *c, const char *word, size_t len) {
  size_t e = fouille__elision_length(word, len);
  if (len - e > FOUILLE__CACHE_KEY_MAX) return;
  c->next_key = word + e;
  c->next_len = len - e;
  c->next_hash = hash_of(c->next_key, c->next_len);
#if defined(__GNUC__)
  __builtin_prefetch(&c->slots[c->next_hash & c->mask]);
  if (c->notes) __builtin_prefetch(&c->notes[c->next_hash & c->mask]);
#endif
}

static void clear(fouille__cache *c) {
  memset(c->slots, 0, (c->mask + 1) * sizeof *c->slots);
  if (c->notes) memset(c->notes, 0, (c->mask + 1) * sizeof *c->notes);
  c->epoch++;
  c->used = 0;
  c->arena_len = 0;
}

static int arena_grow(fouille__cache *c, size_t need) {
  size_t cap = c->arena_cap;
  while (cap < c->arena_len + need) cap *= 2;
  if (cap == c->arena_cap) return 0;
  char *p = realloc(c->arena, cap);
  if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  c->arena = p;
  c->arena_cap = cap;
  return 0;
}

int fouille__cache_put(fouille__cache *c, const char *key, size_t key_len, const char *term,
                       size_t term_len, const char *alt, size_t alt_len, uint64_t **note) {
  if (key_len > FOUILLE__CACHE_KEY_MAX || term_len > 255 || alt_len > 255) return 0;
  if (c->used >= c->max_entries) clear(c);
  size_t need = key_len + term_len + alt_len;
  if (need > INLINE_MAX && arena_grow(c, need)) return FOUILLE_ENOMEM;
  uint64_t h = hash_of(key, key_len);
  size_t i = h & c->mask;
  while (c->slots[i].tag != 0) i = (i + 1) & c->mask;
  slot *s = &c->slots[i];
  s->tag = tag_of(h);
  s->key_len = (uint8_t)key_len;
  s->term_len = (uint8_t)term_len;
  s->alt_len = (uint8_t)alt_len;
  s->spilled = need > INLINE_MAX;
  char *p = s->u.data;
  if (s->spilled) {
    s->u.offset = (uint32_t)c->arena_len;
    p = c->arena + c->arena_len;
    c->arena_len += need;
  }
  memcpy(p, key, key_len);
  memcpy(p + key_len, term, term_len);
  if (alt_len) memcpy(p + key_len + term_len, alt, alt_len);
  c->used++;
  if (c->notes) *note = &c->notes[i];
  return 0;
}

int fouille__cache_notes_on(fouille__cache *c) {
  if (!c->notes && !(c->notes = calloc(c->mask + 1, sizeof *c->notes)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory");
  return 0;
}

uint32_t fouille__cache_epoch(const fouille__cache *c) { return c->epoch; }

void fouille__cache_notes_clear(fouille__cache *c) {
  if (c->notes) memset(c->notes, 0, (c->mask + 1) * sizeof *c->notes);
}

size_t fouille__cache_bytes(const fouille__cache *c) {
  size_t slots = c->mask + 1;
  return slots * sizeof *c->slots + c->arena_cap + (c->notes ? slots * sizeof *c->notes : 0);
}
