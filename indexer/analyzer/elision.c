/* French elision: "l’", "d'", "qu’", "jusqu’"… at the start of a word, in
 * any case and with any of the three apostrophes, are not part of the
 * word. Other inner apostrophes (aujourd'hui, presqu'île) are kept. */
#include <string.h>

#include "analyzer_private.h"

static const char *const elided[] = {"jusqu", "lorsqu", "puisqu", "quoiqu", "qu", "l", "d",
                                     "j",     "m",      "n",      "s",      "t",  "c"};

/* Length of an apostrophe at p (' U+2019 U+02BC), or 0. */
static size_t apostrophe_at(const unsigned char *p, size_t n) {
  if (n >= 1 && p[0] == '\'') return 1;
  if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99) return 3;
  if (n >= 2 && p[0] == 0xCA && p[1] == 0xBC) return 2;
  return 0;
}

static int prefix_matches(const char *word, size_t len, const char *prefix, size_t plen) {
  if (len < plen) return 0;
  for (size_t i = 0; i < plen; i++) {
    char c = word[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != prefix[i]) return 0;
  }
  return 1;
}

size_t fouille__elision_length(const char *word, size_t len) {
  for (size_t i = 0; i < sizeof elided / sizeof elided[0]; i++) {
    size_t plen = strlen(elided[i]);
    if (!prefix_matches(word, len, elided[i], plen)) continue;
    size_t a = apostrophe_at((const unsigned char *)word + plen, len - plen);
    if (a == 0) continue;
    return plen + a < len ? plen + a : 0;
  }
  return 0;
}
