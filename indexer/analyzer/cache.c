/* A bounded cache from a word as written to its terms (stem and accentless
 * alternative). Open addressing over a flat arena; when full, it is emptied
 * at once: cheap, bounded, and French text refills the common words fast. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "analyzer_private.h"
#include "error.h"

typedef struct slot {
  uint64_t hash;   /* 0 = empty */
  uint32_t offset; /* into arena: key, then term, then alt */
  uint8_t key_len, term_len, alt_len;
} slot;

struct fouille__cache {
  slot *slots;
  size_t mask, used, max_entries;
  char *arena;
  size_t arena_len, arena_cap;
};

fouille__cache *fouille__cache_new(size_t max_entries) {
  fouille__cache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  size_t n = 16;
  while (n < max_entries * 2) n *= 2;
  c->slots = calloc(n, sizeof *c->slots);
  c->arena_cap = max_entries * 24 + 1024;
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
  free(c);
}

static uint64_t hash_of(const char *key, size_t len) {
  uint64_t h = XXH3_64bits(key, len);
  return h ? h : 1;
}

int fouille__cache_get(fouille__cache *c, const char *key, size_t key_len, const char **term,
                       size_t *term_len, const char **alt, size_t *alt_len) {
  if (key_len > FOUILLE__CACHE_KEY_MAX) return 0;
  uint64_t h = hash_of(key, key_len);
  for (size_t i = h & c->mask;; i = (i + 1) & c->mask) {
    const slot *s = &c->slots[i];
    if (s->hash == 0) return 0;
    if (s->hash != h || s->key_len != key_len) continue;
    const char *p = c->arena + s->offset;
    if (memcmp(p, key, key_len) != 0) continue;
    *term = p + key_len;
    *term_len = s->term_len;
    *alt = p + key_len + s->term_len;
    *alt_len = s->alt_len;
    return 1;
  }
}

static void clear(fouille__cache *c) {
  memset(c->slots, 0, (c->mask + 1) * sizeof *c->slots);
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
                       size_t term_len, const char *alt, size_t alt_len) {
  if (key_len > FOUILLE__CACHE_KEY_MAX || term_len > 255 || alt_len > 255) return 0;
  if (c->used >= c->max_entries) clear(c);
  size_t need = key_len + term_len + alt_len;
  if (arena_grow(c, need)) return FOUILLE_ENOMEM;
  uint64_t h = hash_of(key, key_len);
  size_t i = h & c->mask;
  while (c->slots[i].hash != 0) i = (i + 1) & c->mask;
  slot *s = &c->slots[i];
  s->hash = h;
  s->offset = (uint32_t)c->arena_len;
  s->key_len = (uint8_t)key_len;
  s->term_len = (uint8_t)term_len;
  s->alt_len = (uint8_t)alt_len;
  char *p = c->arena + c->arena_len;
  memcpy(p, key, key_len);
  memcpy(p + key_len, term, term_len);
  if (alt_len) memcpy(p + key_len + term_len, alt, alt_len);
  c->arena_len += need;
  c->used++;
  return 0;
}
