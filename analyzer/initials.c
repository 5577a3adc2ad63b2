/* Which words passages can skip unanalysed: the starts of the terms looked
 * for, and whether a word's terms may start so (analyzer_initials.h says
 * why a word's terms start as the word does). */
#include <string.h>

#include "alternatives.h"
#include "analyzer_initials.h"

/* The key of an ASCII letter (either case) or digit, or -1. */
static int key(unsigned char c) {
  if (c >= '0' && c <= '9') return 26 + (c - '0');
  c |= 0x20;
  return c >= 'a' && c <= 'z' ? c - 'a' : -1;
}

/* The byte a key stands for (lower case). */
static unsigned char key_byte(int k) { return (unsigned char)(k < 26 ? 'a' + k : '0' + k - 26); }

void fouille__initials_add(fouille__initials *in, const char *term, size_t len) {
  if (len == 0) return;
  int k0 = key((unsigned char)term[0]), k1 = len > 1 ? key((unsigned char)term[1]) : -1;
  in->first[(unsigned char)term[0]] = 1;
  if (k0 >= 0) in->first[key_byte(k0)] = 1;
  if (k0 >= 0 && len == 1) in->one[k0] = 1;
  if (k0 >= 0 && k1 >= 0) in->two[k0][k1] = 1;
}

/* Non-zero when the word's two first letters decide: ASCII only (its
 * normal form is then its lower case), two letters or digits first, and
 * no verb ending (-ent, -ons: an infinitive rebuilt from a short base,
 * "doivent" -> "devoir", may change the second letter). */
static int two_decide(const char *w, size_t n) {
  if (n < 2 || key((unsigned char)w[0]) < 0 || key((unsigned char)w[1]) < 0) return 0;
  for (size_t i = 2; i < n; i++)
    if ((unsigned char)w[i] >= 0x80) return 0;
  if (n < 3) return 1;
  char e[3] = {(char)(w[n - 3] | 0x20), (char)(w[n - 2] | 0x20), (char)(w[n - 1] | 0x20)};
  return memcmp(e, "ent", 3) != 0 && memcmp(e, "ons", 3) != 0;
}

int fouille__initials_skip(const fouille__initials *in, const char *w, size_t n) {
  int k0 = n ? key((unsigned char)w[0]) : -1;
  if (k0 < 0) return 0; /* not ASCII: analysed */
  if (!in->first[key_byte(k0)]) return 1;
  if (!two_decide(w, n)) return 0;
  return !in->one[k0] && !in->two[k0][key((unsigned char)w[1])];
}

/* Widens in by a table word whose other spelling or fixed term `to` may
 * start otherwise: when a term looked for may start as `to` does, words
 * starting as the table word are analysed. */
static void widen_by(fouille__initials *in, const char *word, const char *to) {
  int w0 = key((unsigned char)word[0]), t0 = key((unsigned char)to[0]);
  int w1 = w0 >= 0 ? key((unsigned char)word[1]) : -1,
      t1 = t0 >= 0 ? key((unsigned char)to[1]) : -1;
  if (w0 < 0 || (w0 == t0 && w1 == t1 && w1 >= 0)) return; /* starts alike */
  if (t0 >= 0 && !in->first[key_byte(t0)]) return;         /* nothing looked for starts so */
  in->first[key_byte(w0)] = 1;
  if (w1 >= 0) in->two[w0][w1] = 1;
}

void fouille__initials_widen(fouille__initials *in) {
  const char *w, *to;
  for (size_t i = 0; fouille__over_stemmed_at(i, &w, &to); i++) widen_by(in, w, to);
  for (size_t i = 0; fouille__irregular_at(i, &w, &to); i++) widen_by(in, w, to);
}
