/* French stop words: the little words dropped from bag-of-words queries
 * ("le", "de", "pour"…). Matching ignores case, accents and a leading
 * elision, so "À", "a" and "qu'il" are all recognised. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "query_private.h"

/* Folded (lower case, no accents) forms. */
static const char *const stopwords[] = {
    "a",          "ai",       "aie",     "aient",   "aies",    "ait",        "alors",    "as",
    "au",         "aucun",    "aucune",  "aupres",  "auquel",  "aussi",      "autre",    "aux",
    "auxquelles", "auxquels", "avaient", "avais",   "avait",   "avec",       "avez",     "aviez",
    "avions",     "avoir",    "avons",   "ayant",   "c",       "ca",         "car",      "ce",
    "ceci",       "cela",     "celle",   "celles",  "celui",   "cependant",  "ces",      "cet",
    "cette",      "ceux",     "chaque",  "chez",    "ci",      "comme",      "d",        "dans",
    "de",         "des",      "donc",    "dont",    "du",      "elle",       "elles",    "en",
    "entre",      "es",       "est",     "et",      "etaient", "etais",      "etait",    "etant",
    "ete",        "etes",     "etiez",   "etions",  "etre",    "eu",         "eux",      "furent",
    "fut",        "ici",      "il",      "ils",     "j",       "je",         "jusqu",    "l",
    "la",         "laquelle", "le",      "lequel",  "les",     "lesquelles", "lesquels", "leur",
    "leurs",      "lors",     "lorsqu",  "lorsque", "lui",     "m",          "ma",       "mais",
    "me",         "meme",     "memes",   "mes",     "moi",     "mon",        "n",        "ne",
    "ni",         "nos",      "notre",   "nous",    "on",      "ont",        "ou",       "par",
    "parce",      "pas",      "peu",     "plus",    "pour",    "pourquoi",   "puis",     "puisqu",
    "puisque",    "qu",       "quand",   "que",     "quel",    "quelle",     "quelles",  "quels",
    "qui",        "quoi",     "quoiqu",  "s",       "sa",      "sans",       "se",       "sera",
    "serait",     "ses",      "si",      "sien",    "sienne",  "soi",        "soit",     "sommes",
    "son",        "sont",     "sous",    "suis",    "sur",     "t",          "ta",       "te",
    "tes",        "toi",      "ton",     "tous",    "tout",    "toute",      "toutes",   "tres",
    "tu",         "un",       "une",     "unes",    "uns",     "vers",       "via",      "vos",
    "votre",      "vous",     "y"};

/* Elisions that may lead a typed word: "l'", "qu'", "jusqu'"… */
static const char *const elisions[] = {"l", "d",  "j",     "m",      "n",      "s",     "t",
                                       "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *const *list, size_t n, const char *w, size_t len) {
  for (size_t i = 0; i < n; i++)
    if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0) return 1;
  return 0;
}

/* Lower case, accents stripped, typographic apostrophes made ASCII. */
static char *fold(const char *word, size_t len) {
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)word, (utf8proc_ssize_t)len, &out,
                   UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
  if (n < 0) return NULL;
  char *s = (char *)out, *w = s;
  for (char *r = s; *r; r++) {
    if ((unsigned char)r[0] == 0xE2 && (unsigned char)r[1] == 0x80 && (unsigned char)r[2] == 0x99) {
      *w++ = '\'', r += 2; /* U+2019 */
    } else if ((unsigned char)r[0] == 0xCA && (unsigned char)r[1] == 0xBC) {
      *w++ = '\'', r += 1; /* U+02BC */
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
  return s;
}

/* Whether the folded word w is a stop word, after an elision. */
static int folded_stop(const char *w, size_t len) {
  const char *apos = memchr(w, '\'', len);
  if (apos && in_list(elisions, COUNT(elisions), w, (size_t)(apos - w)))
    len -= (size_t)(apos + 1 - w), w = apos + 1;
  return len == 0 || in_list(stopwords, COUNT(stopwords), w, len);
}

const char *fouille__stopword_at(size_t i) { return i < COUNT(stopwords) ? stopwords[i] : NULL; }

int fouille__is_stopword(const char *word, size_t len) {
  if (!word || len == 0 || len > 64) return 0;
  char *f = fold(word, len);
  if (!f) return 0;
  int hit = 1; /* a word with hyphens when every part is one ("y-a", "est-ce-que") */
  for (char *w = f, *h; hit && w; w = h ? h + 1 : NULL) {
    h = strchr(w, '-');
    hit = folded_stop(w, h ? (size_t)(h - w) : strlen(w));
  }
  free(f);
  return hit;
}
