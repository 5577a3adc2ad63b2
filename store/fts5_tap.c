/* The tokenizer's tap (fts5_tap.h): the table of the written words seen,
 * words new to it, and the wait of a new word for its last term. */
#include "fts5_tap.h"

#include <stdlib.h>

#include "error.h"

#define FIRST_SLOTS (1u << 14)
#define LONG_KEYS_MAX (1u << 24) /* the offsets' 24 bits */

/* Doubles the slots when half of them are used (the first time: makes
 * them). */
static int room(fouille__fts5_tap *t) {
  if (t->slot && (t->used + 1) * 2 <= t->mask + 1) return 0;
  size_t cap = t->slot ? (t->mask + 1) * 2 : FIRST_SLOTS, old_n = t->slot ? t->mask + 1 : 0;
  fouille__tap_slot *old = t->slot, *s = calloc(cap, sizeof *s);
  if (!s) return -1;
  t->slot = s, t->mask = cap - 1, t->shift = 64;
  for (size_t c = cap; c > 1; c >>= 1) t->shift--;
  for (size_t i = 0; i < old_n; i++) {
    size_t n = old[i].len_off & 0xFF;
    const char *k = t->long_keys + (old[i].len_off >> 8);
    if (n) *fouille__tap_find(t, k, n, old[i].a, old[i].b, fouille__tap_mix(k, n, old[i].a, old[i].b)) = old[i];
  }
  free(old);
  return 0;
}

/* Keeps the bytes of a word over 16 bytes: its offset, or -1. */
static long keep_long(fouille__fts5_tap *t, const char *w, size_t n) {
  if (t->long_len + n > LONG_KEYS_MAX) return -1;
  if (t->long_len + n > t->long_cap) {
    size_t cap = t->long_cap ? t->long_cap * 2 : 1 << 16;
    char *k = realloc(t->long_keys, cap);
    if (!k) return -1;
    t->long_keys = k, t->long_cap = cap;
  }
  memcpy(t->long_keys + t->long_len, w, n);
  t->long_len += n;
  return (long)(t->long_len - n);
}

int fouille__fts5_tap_new(fouille__fts5_tap *t, const char *term, int len, const char *w, int n,
                          uint64_t a, uint64_t b, uint64_t h) {
  long off = 0;
  if (room(t) || (n > 16 && (off = keep_long(t, w, (size_t)n)) < 0))
    return fouille__error(FOUILLE_ENOMEM, "out of memory counting words");
  fouille__tap_slot *s = fouille__tap_find(t, w, (size_t)n, a, b, h);
  *s = (fouille__tap_slot){a, b, t->doc, -1, (uint32_t)n | (uint32_t)off << 8, 0};
  t->used++;
  t->pending = s - t->slot, t->pending_word = w, t->pending_len = n;
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  memcpy(t->pending_term, term, (size_t)len), t->pending_term_len = len;
  return FOUILLE_OK;
}

int fouille__fts5_tap_end(fouille__fts5_tap *t) {
  fouille__tap_slot *s = &t->slot[t->pending];
  t->pending = -1;
  int rc = t->add(t->payload, t->pending_word, t->pending_len, t->pending_term,
                  t->pending_term_len, &s->id);
  return rc || s->id < 0 ? rc : t->seen(t->payload, s->id);
}

void fouille__fts5_tap_forget(fouille__fts5_tap *t) {
  free(t->slot);
  free(t->long_keys);
  t->slot = NULL, t->long_keys = NULL;
  t->mask = t->used = t->long_len = t->long_cap = 0;
  t->pending = -1;
}

void fouille__fts5_tap_free(fouille__fts5_tap *t) {
  if (t) fouille__fts5_tap_forget(t);
  free(t);
}
