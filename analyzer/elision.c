/* French elision: "l’", "d'", "qu’", "jusqu’"… at the start of a word, in
 * any case and with any of the three apostrophes, are not part of the
 * word. Other inner apostrophes (aujourd'hui, presqu'île) are kept. */
#include "analyzer_private.h"

static const struct {
  const char *word;
  size_t len;
} elided[] = {{"jusqu", 5}, {"lorsqu", 6}, {"puisqu", 6}, {"quoiqu", 6}, {"qu", 2},
              {"l", 1},     {"d", 1},      {"j", 1},      {"m", 1},      {"n", 1},
              {"s", 1},     {"t", 1},      {"c", 1}};

/* Length of an apostrophe at p (' U+2019 U+02BC), or 0. */
static size_t apostrophe_at(const unsigned char *p, size_t n) {
  if (n >= 1 && p[0] == '\'') return 1;
  if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99) return 3;
  if (n >= 2 && p[0] == 0xCA && p[1] == 0xBC) return 2;
  return 0;
}

static int apostrophe_lead(unsigned char c) { return c == '\'' || c == 0xE2 || c == 0xCA; }

static int prefix_matches(const char *word, size_t len, const char *prefix, size_t plen) {
  if (len < plen) return 0;
  for (size_t i = 0; i < plen; i++) {
    char c = word[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != prefix[i]) return 0;
  }
  return 1;
}

const char *fouille__elision_article(size_t i) {
  return i < sizeof elided / sizeof elided[0] ? elided[i].word : NULL;
}

size_t fouille__elision_length(const char *word, size_t len) {
  /* The elided forms put their apostrophe at byte 1, 2, 5 or 6: look
   * there for ' or the lead byte of U+2019 / U+02BC before comparing
   * anything (this runs for every token). */
  const unsigned char *p = (const unsigned char *)word;
  if (!((len > 1 && apostrophe_lead(p[1])) || (len > 2 && apostrophe_lead(p[2])) ||
        (len > 5 && apostrophe_lead(p[5])) || (len > 6 && apostrophe_lead(p[6]))))
    return 0;
  size_t i;
  for (i = 0; i < sizeof elided / sizeof elided[0]; i++) {
    size_t plen = elided[i].len;
    if (!prefix_matches(word, len, elided[i].word, plen)) continue;
    size_t a = apostrophe_at((const unsigned char *)word + plen, len - plen);
    if (a == 0) continue;
    return plen + a < len ? plen + a : 0;
  }
  return 0;
}
