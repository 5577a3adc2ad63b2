/* What turning a typed word into a lexicon word costs, in hundredths of
 * an edit (FOUILLE__SPELL_EDIT). The gates are Meilisearch's: no
 * correction below 5 characters, one edit from 5, two from 9; an edit on
 * the first letter costs more. French slips cost less than other edits:
 * a doubled or single consonant (apeler / appeler), a key next to the
 * right one on an AZERTY keyboard, "an" for "en", a missing or extra e, s
 * or h, a swap of neighbours, and an ending of the same sound (-é, -er,
 * -ez, -ait…, folded: e, er, ez, ait…). */
#include <string.h>

#include "spell_private.h"

#define FIRST_LETTER 60 /* added to an edit of the first letter */
#define CHEAP_DOUBLE 40 /* a letter doubled or single */
#define CHEAP_LETTER 50 /* e, s or h missing or extra */
#define NEIGHBOUR 60    /* a key next to it, or a sound alike */
#define AN_EN 40        /* a for e (or e for a) before n or m */
#define SWAP 70         /* two neighbours swapped */

static const char *const rows[] = {"azertyuiop", "qsdfghjklm", "wxcvbn"};

/* Endings of one sound, folded (é, ée, ées, és fold to e, ee, ees, es). */
static const char *const endings[] = {"aient", "ais", "ait", "ai", "ees", "ee",
                                      "es",    "er",  "ez",  "e",  "ent"};
#define N_ENDINGS (int)(sizeof endings / sizeof endings[0])

/* The row and place of an ASCII letter on the keyboard, or 0. */
static int key_of(uint32_t c, int *row, int *col) {
  for (int r = 0; r < 3 && c < 128; r++) {
    const char *p = strchr(rows[r], (int)c);
    if (p && c) return *row = r, *col = (int)(p - rows[r]), 1;
  }
  return 0;
}

/* Keys side by side on a row, or one above the other (the row below is
 * shifted half a key to the right: q is under a and z, w under q and s). */
static int azerty_neighbours(uint32_t a, uint32_t b) {
  int ra, ca, rb, cb;
  if (!key_of(a, &ra, &ca) || !key_of(b, &rb, &cb)) return 0;
  if (ra == rb) return ca - cb == 1 || cb - ca == 1;
  if (ra > rb) return azerty_neighbours(b, a);
  return rb == ra + 1 && (cb == ca || cb == ca - 1);
}

/* Letters French writers swap for their sound. */
static int sound_alike(uint32_t a, uint32_t b) {
  static const char pairs[][3] = {"iy", "mn", "ck", "kq", "gj", "cs", "sz", "ou"};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    if ((a == (uint8_t)pairs[i][0] && b == (uint8_t)pairs[i][1]) ||
        (b == (uint8_t)pairs[i][0] && a == (uint8_t)pairs[i][1]))
      return 1;
  return 0;
}

static int cheap_letter(uint32_t c) { return c == 'e' || c == 's' || c == 'h'; }

int fouille__spell_budget(int n) {
  return n < 5 ? 0 : n < 9 ? FOUILLE__SPELL_EDIT : 2 * FOUILLE__SPELL_EDIT;
}

int fouille__spell_sub(const fouille__spell_word *w, int i, uint32_t c) {
  uint32_t q = w->q[i];
  int cost = FOUILLE__SPELL_EDIT;
  if (q == c) return 0;
  if (((q == 'a' && c == 'e') || (q == 'e' && c == 'a')) && (w->q[i + 1] == 'n' || w->q[i + 1] == 'm'))
    cost = AN_EN;
  else if (azerty_neighbours(q, c) || sound_alike(q, c))
    cost = NEIGHBOUR;
  return cost + (i == 0 ? FIRST_LETTER : 0);
}

int fouille__spell_ins(uint32_t c, uint32_t prev, int depth) {
  if (depth == 0) return FOUILLE__SPELL_EDIT + FIRST_LETTER;
  return c == prev ? CHEAP_DOUBLE : cheap_letter(c) ? CHEAP_LETTER : FOUILLE__SPELL_EDIT;
}

int fouille__spell_swap(int i) { return SWAP + (i == 1 ? FIRST_LETTER : 0); }

/* The cost of dropping q[i] from the typed word. */
static int del_cost(const fouille__spell_word *w, int i) {
  uint32_t c = w->q[i];
  if (i == 0) return FOUILLE__SPELL_EDIT + FIRST_LETTER;
  if (c == w->q[i - 1] || c == w->q[i + 1]) return CHEAP_DOUBLE;
  return cheap_letter(c) ? CHEAP_LETTER : FOUILLE__SPELL_EDIT;
}

int fouille__spell_ending_len(int e) { return (int)strlen(endings[e]); }

int fouille__spell_n_endings(void) { return N_ENDINGS; }

int fouille__spell_ends_with(const uint32_t *c, int n, int e) {
  int k = (int)strlen(endings[e]);
  if (k >= n) return 0; /* an ending needs a stem before it */
  for (int i = 0; i < k; i++)
    if (c[n - k + i] != (uint8_t)endings[e][i]) return 0;
  return 1;
}

/* Decodes UTF-8 into w->q: 0 when it has more than FOUILLE__SPELL_CHARS
 * characters or invalid bytes. */
static int decode(fouille__spell_word *w, const char *s, int len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  w->n = 0;
  while (p < end) {
    uint32_t c = *p;
    int k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (!k || end - p < k || w->n == FOUILLE__SPELL_CHARS) return 0;
    if (k > 1) c &= 0x3F >> (k - 1);
    for (int i = 1; i < k; i++) c = c << 6 | (p[i] & 0x3F);
    w->q[w->n++] = c, p += k;
  }
  w->q[w->n] = 0;
  return 1;
}

int fouille__spell_word_init(fouille__spell_word *w, const char *word, int len) {
  memset(w, 0, sizeof *w);
  if (!decode(w, word, len) || !(w->budget = fouille__spell_budget(w->n))) return 0;
  for (int i = 0; i < w->n; i++) {
    w->del[i] = del_cost(w, i);
    w->swap[i] = (uint8_t)(i ? fouille__spell_swap(i) : 255);
    for (int c = 0; c < 26; c++) w->sub[i][c] = (uint8_t)fouille__spell_sub(w, i, 'a' + (uint32_t)c);
    w->sub[i][26] = (uint8_t)fouille__spell_sub(w, i, '\'');
    w->sub[i][FOUILLE__SPELL_OTHER] = (uint8_t)(FOUILLE__SPELL_EDIT + (i == 0 ? FIRST_LETTER : 0));
  }
  for (int e = 0; e < N_ENDINGS && w->n_ends < FOUILLE__SPELL_ENDINGS; e++)
    if (fouille__spell_ends_with(w->q, w->n, e)) w->ends[w->n_ends++] = e;
  return 1;
}
