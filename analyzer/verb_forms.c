/* Verb forms Snowball leaves whole: "ils publient", "nous prenons", "nous
 * parlions" get the infinitive's stem as an alternative, when the infinitive
 * is a known verb and the word is not a known noun or adjective spelt the
 * same (parent, salons). The candidates mirror scripts/gen-verb-table. */
#include <string.h>

#include "verb_forms.h"

#define WORD_MAX 64 /* longer words are no verb forms worth a lookup */

/* Compares the lexicon entry at p (after its count character, rebuilt into
 * prev) with w; sets *next to the following entry. */
static const char *decode(const char *p, char *prev, size_t *prev_len) {
  size_t k = (size_t)(*p++ - '0'), n = k;
  while (*p && !(*p >= '0' && *p <= 'Z') && n < WORD_MAX) prev[n++] = *p++;
  *prev_len = n;
  return p;
}

/* Byte order, inline: the words are short, a memcmp call cost more. */
static int cmp(const char *a, size_t an, const char *b, size_t bn) {
  size_t n = an < bn ? an : bn;
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
  return (an > bn) - (an < bn);
}

/* Whether the lexicon holds w (prefix: a word starting with w). */
static int lexicon_find(const fouille__lexicon *lex, const char *w, size_t n, int prefix) {
  if (n == 0 || n >= WORD_MAX || lex->restarts == 0) return 0;
  char entry[WORD_MAX];
  size_t len;
  unsigned lo = 0, hi = lex->restarts; /* the last restart whose word is <= w */
  while (hi - lo > 1) {
    unsigned mid = lo + (hi - lo) / 2;
    decode(lex->text + lex->index[mid], entry, &len);
    if (cmp(entry, len, w, n) <= 0)
      lo = mid;
    else
      hi = mid;
  }
  /* The first entry >= w decides; it may open the next block. */
  for (const char *p = lex->text + lex->index[lo]; *p;) {
    p = decode(p, entry, &len);
    int c = cmp(entry, len, w, n);
    if (c >= 0) return c == 0 || (prefix && len > n && cmp(entry, n, w, n) == 0);
  }
  return 0;
}

int fouille__lexicon_has(const fouille__lexicon *lex, const char *w, size_t n) {
  return lexicon_find(lex, w, n, 0);
}

/* Whether w ends with the string literal lit (its length known at compile
 * time: this runs for every word the cache misses). */
#define ENDS(w, n, lit)                                                                            \
  ((n) >= sizeof(lit) - 1 && memcmp((w) + (n) - (sizeof(lit) - 1), lit, sizeof(lit) - 1) == 0)

static int ends_with(const char *w, size_t n, const char *s) {
  size_t k = strlen(s);
  return n >= k && memcmp(w + n - k, s, k) == 0;
}

static size_t utf8_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* Snowball removes -issent, -issons, -issions after a consonant
 * ("finissent"), not after a vowel ("connaissent"). */
static int snowball_iss(const char *w, size_t n) {
  size_t k = ENDS(w, n, "issent") || ENDS(w, n, "issons") ? 6 : ENDS(w, n, "issions") ? 7 : 0;
  return k && n > k && (unsigned char)w[n - k - 1] < 0x80 && !strchr("aeiouy", w[n - k - 1]);
}

/* The length of the form's base (the word less -ent, -ons or -ions; less
 * -ons for second tries), or 0: endings Snowball already removes (-aient,
 * -issent after a consonant) are left to it. */
static size_t verb_base(const char *w, size_t n, int second) {
  if (ENDS(w, n, "aient") || snowball_iss(w, n)) return 0;
  size_t b = 0;
  if (ENDS(w, n, "ions") && !second)
    b = n - 4;
  else if (ENDS(w, n, "ent") || ENDS(w, n, "ons"))
    b = second && !ENDS(w, n, "ions") ? 0 : n - 3;
  return utf8_chars(w, b) >= 2 ? b : 0;
}

/* Tries base + ending; on a known verb, copies it to out. */
static size_t try_verb(const char *b, size_t bn, const char *ending, char *out) {
  size_t en = strlen(ending);
  if (bn + en >= WORD_MAX) return 0;
  memcpy(out, b, bn);
  memcpy(out + bn, ending, en);
  return fouille__lexicon_has(&fouille__verbs, out, bn + en) ? bn + en : 0;
}

/* The spellings of the base to try: as written, è -> e and é ("achètent",
 * "cèdent"), a doubled l or t single ("appellent", "jettent"), ç -> c. */
static int variants(const char *b, size_t bn, char v[][WORD_MAX], size_t *vn) {
  int n = 0;
  memcpy(v[n], b, bn), vn[n++] = bn;
  for (size_t i = bn >= 3 ? bn - 3 : 0; i + 1 < bn; i++) {
    if ((unsigned char)b[i] != 0xC3 || (unsigned char)b[i + 1] != 0xA8) continue; /* è */
    memcpy(v[n], b, bn), v[n][i] = 'e', memmove(v[n] + i + 1, b + i + 2, bn - i - 2);
    vn[n++] = bn - 1;
    memcpy(v[n], b, bn), v[n][i + 1] = (char)0xA9, vn[n++] = bn; /* é */
    break;
  }
  if (bn > 2 && b[bn - 1] == b[bn - 2] && (b[bn - 1] == 'l' || b[bn - 1] == 't'))
    memcpy(v[n], b, bn - 1), vn[n++] = bn - 1;
  if (ENDS(b, bn, "\xC3\xA7")) /* ç */
    memcpy(v[n], b, bn - 2), v[n][bn - 2] = 'c', vn[n++] = bn - 1;
  return n;
}

/* Third-group stems: the base's end rewritten ("doiv" -> "devoir"). */
static const char *const rewrites[][2] = {{"oi", "oyer"},
                                          {"ui", "uyer"},
                                          {"iv", "ire"},
                                          {"is", "ire"},
                                          {"\xC3\xA7oiv", "cevoir"},
                                          {"aiss", "aître"},
                                          {"oiss", "oître"},
                                          {"ign", "indre"},
                                          {"ienn", "enir"},
                                          {"enn", "endre"},
                                          {"en", "endre"},
                                          {"oiv", "evoir"},
                                          {"euv", "ouvoir"},
                                          {"eul", "ouloir"},
                                          {"olv", "oudre"},
                                          {"oy", "oir"},
                                          {"oy", "oire"}};

static const char *const endings[] = {"er", "r", "ir", "re", "oir"};

const char *fouille__verb_ending_at(size_t i) {
  return i < sizeof endings / sizeof endings[0] ? endings[i] : NULL;
}

int fouille__verb_rewrite_at(size_t i, const char **from, const char **to) {
  if (i >= sizeof rewrites / sizeof rewrites[0]) return 0;
  *from = rewrites[i][0], *to = rewrites[i][1];
  return 1;
}

int fouille__lexicon_each(const fouille__lexicon *lex, fouille__word_cb cb, void *ctx) {
  char entry[WORD_MAX];
  size_t len;
  int rc = 0;
  for (const char *p = lex->text; rc == 0 && *p;) {
    p = decode(p, entry, &len);
    rc = cb(ctx, entry, len);
  }
  return rc;
}

/* The first known verb among the candidates for the base w[0, bn). */
static size_t infinitive_of_base(const char *w, size_t bn, char *out) {
  char v[5][WORD_MAX];
  size_t vn[5], r;
  int nv = variants(w, bn, v, vn);
  for (int i = 0; i < nv; i++) {
    if (!lexicon_find(&fouille__verbs, v[i], vn[i], 1)) continue; /* no verb starts so */
    for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++)
      if ((r = try_verb(v[i], vn[i], endings[e], out))) return r;
  }
  for (size_t i = 0; i < sizeof rewrites / sizeof rewrites[0]; i++) {
    size_t sn = strlen(rewrites[i][0]);
    if (bn > sn && ends_with(w, bn, rewrites[i][0]) &&
        (r = try_verb(w, bn - sn, rewrites[i][1], out)))
      return r;
  }
  return 0;
}

size_t fouille__verb_infinitive(const char *w, size_t n, char *out) {
  /* No verb form ends in -ement (checked on the dictionary): the adverbs
   * and nouns that do, most -ent words, skip the lookups. */
  if (n < 4 || n >= WORD_MAX || ENDS(w, n, "ement")) return 0;
  size_t first = verb_base(w, n, 0), second = verb_base(w, n, 1), r = 0;
  if ((!first && !second) || fouille__lexicon_has(&fouille__verb_lookalikes, w, n)) return 0;
  if (first) r = infinitive_of_base(w, first, out);
  if (!r && second) r = infinitive_of_base(w, second, out);
  return r;
}

size_t fouille__agent_masculine(const char *w, size_t n, char *out) {
  size_t bn = ENDS(w, n, "euse") ? n - 4 : ENDS(w, n, "euses") ? n - 5 : 0;
  if (utf8_chars(w, bn) < 3 || bn + 4 >= WORD_MAX) return 0;
  if (!try_verb(w, bn, "er", out) && !try_verb(w, bn, "re", out) && !try_verb(w, bn, "ir", out))
    return 0;
  memcpy(out, w, bn);
  memcpy(out + bn, "eur", 3);
  return bn + 3;
}
