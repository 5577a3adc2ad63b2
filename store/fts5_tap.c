/* The tokenizer's tap (fts5_tap.h): the table of the written words seen,
 * the words new to it, and the ids seen in a document. */
#include "fts5_tap.h"

#include <stdlib.h>

#include "error.h"

#define FIRST_SLOTS (1u << 14)
#define LONG_KEYS_MAX (1u << 24) /* the offsets' 24 bits */

/* Doubles the slots when three quarters of them are used (the first time:
 * makes them). A lookup that finds its word, nearly all of them, reads
 * about two slots, one or two cache lines; a larger table would only push
 * the analyzer's and SQLite's data out of the caches. */
static int room(fouille__fts5_tap *t) {
  if (t->slot && (t->used + 1) * 4 <= (t->mask + 1) * 3) return 0;
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

/* Room for one more entry in ids: 0, or -1 when out of memory. */
static int ids_room(fouille__fts5_tap *t) {
  if (t->used < t->cap_ids) return 0;
  size_t cap = t->cap_ids ? t->cap_ids * 2 : FIRST_SLOTS;
  int32_t(*ids)[2] = cap > UINT32_MAX ? NULL : realloc(t->ids, cap * sizeof *ids);
  if (!ids) return -1;
  t->ids = ids, t->cap_ids = cap;
  return 0;
}

int fouille__fts5_tap_new(fouille__fts5_tap *t) {
  long off = 0;
  size_t n = (size_t)t->held_len;
  if (room(t) || ids_room(t) || (n > 16 && (off = keep_long(t, t->held_word, n)) < 0))
    return fouille__error(FOUILLE_ENOMEM, "out of memory counting words");
  fouille__tap_slot *s = fouille__tap_find(t, t->held_word, n, t->held_a, t->held_b, t->held_h);
  uint32_t e = (uint32_t)t->used++;
  *s = (fouille__tap_slot){t->held_a, t->held_b, (uint32_t)n | (uint32_t)off << 8, e, {-1, -1}};
  int rc = t->add(t->payload, t->held_word, t->held_len, t->held_term, t->held_term_len, s->id);
  t->ids[e][0] = s->id[0], t->ids[e][1] = s->id[1];
  if (!rc && t->held_note) *t->held_note = FOUILLE__TAP_NOTE(t->doc, e);
  return rc ? rc : fouille__fts5_tap_seen(t, s->id);
}

size_t fouille__fts5_tap_bytes(const fouille__fts5_tap *t) {
  return (t->slot ? (t->mask + 1) * sizeof *t->slot : 0) + t->long_cap +
         t->cap_ids * sizeof *t->ids + t->cap_seen * sizeof *t->seen;
}

int fouille__fts5_tap_grow_seen(fouille__fts5_tap *t, const int32_t id[2]) {
  if (t->n_seen + 2 > t->cap_seen) {
    size_t cap = t->cap_seen ? t->cap_seen * 2 : 1024;
    int32_t *s = realloc(t->seen, cap * sizeof *s);
    if (!s) return fouille__error(FOUILLE_ENOMEM, "out of memory counting words");
    t->seen = s, t->cap_seen = cap;
  }
  t->seen[t->n_seen] = id[0], t->seen[t->n_seen + 1] = id[1], t->n_seen += 2;
  return FOUILLE_OK;
}

void fouille__fts5_tap_forget(fouille__fts5_tap *t) {
  free(t->slot);
  free(t->long_keys);
  free(t->seen);
  free(t->ids);
  t->slot = NULL, t->long_keys = NULL, t->seen = NULL, t->ids = NULL;
  t->mask = t->used = t->long_len = t->long_cap = t->n_seen = t->cap_seen = t->cap_ids = 0;
  t->held = 0, t->held_note = NULL;
  t->gen++;
}

void fouille__fts5_tap_free(fouille__fts5_tap *t) {
  if (t) fouille__fts5_tap_forget(t);
  free(t);
}
