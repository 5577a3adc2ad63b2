/* Private: the rest of a phrase's position list on a row, decoded in place
 * of FTS5's xPhraseNext (one call and two more per position: about a
 * tenth of what reading two common words' rows cost rank_bounds.c). The
 * format is FTS5's (3.40) for detail=full: xPhraseFirst leaves
 * Fts5PhraseIter's a at the varint after the first position and b at the
 * list's end (fts5ApiPhraseFirst, fts5_main.c); each varint (SQLite's: 7
 * bits a byte, most significant first, the high bit set on every byte but
 * the last, fts5GetVarint32) is the offset's step from the previous one
 * plus 2, or 1 then the column (offsets start again at 0 there; a column
 * past the table's last reads as the last, as fts5ApiPhraseNext clamps
 * it). tests/check_rank_bounds.c compares every position decoded so with
 * xPhraseNext's. */
#ifndef FOUILLE_FTS5_POSLIST_H
#define FOUILLE_FTS5_POSLIST_H

#include <stdint.h>

/* One varint at *a (at most 5 bytes, within b), *a moved past it. */
static inline uint32_t fouille__fts5_varint32(const unsigned char **a, const unsigned char *b) {
  const unsigned char *p = *a;
  uint32_t v = 0;
  for (int k = 0; k < 5 && p < b; k++) {
    unsigned char x = *p++;
    v = (v << 7) | (x & 0x7f);
    if (!(x & 0x80)) break;
  }
  *a = p;
  return v;
}

/* The next position into *c, *o (the previous ones on entry), as
 * xPhraseNext gives it: 0, or -1 at the end of the list. */
static inline int fouille__fts5_poslist_next(const unsigned char **a, const unsigned char *b,
                                             int n_col, int *c, int *o) {
  if (*a >= b) return -1;
  uint32_t v = fouille__fts5_varint32(a, b);
  if (v == 1) {
    uint32_t col = fouille__fts5_varint32(a, b);
    *c = col >= (uint32_t)n_col ? n_col - 1 : (int)col;
    *o = 0;
    v = fouille__fts5_varint32(a, b);
  }
  *o += (int)v - 2;
  return 0;
}

#endif
