/* Other spellings of one word that readers type for it: the word without
 * its inner apostrophe (presqu'île -> presquile), an acronym without its
 * English plural (CPUs -> cpu), the masculine of a feminine (actrice ->
 * acteur), the base of an irregular plural, the infinitive of a verb form. */
#include <string.h>

#include "alternatives.h"
#include "verb_forms.h"

static int ends_with(const char *w, size_t n, const char *s) {
  size_t k = strlen(s);
  return n >= k && memcmp(w + n - k, s, k) == 0;
}

/* Replaces the suffix from by to (the word ends with from); add()s it. */
static int swap_suffix(const char *w, size_t n, const char *from, const char *to,
                       fouille__alt_cb add, void *ctx) {
  char buf[FOUILLE__ALT_WORD_MAX + 8];
  size_t base = n - strlen(from), tn = strlen(to);
  memcpy(buf, w, base);
  memcpy(buf + base, to, tn);
  return add(ctx, buf, base + tn);
}

/* "CPUs", "ONGs": two or more capitals and a small s. */
static int acronym_plural(const char *raw, size_t n) {
  if (n < 3 || raw[n - 1] != 's') return 0;
  for (size_t i = 0; i + 1 < n; i++)
    if (raw[i] < 'A' || raw[i] > 'Z') return 0;
  return 1;
}

/* -trice -> -teur (not matrice: no mateur), -ive -> -if (after 3 letters). */
static const fouille__suffix_rule rules[] = {
    {"trices", "teurs", 2}, {"trice", "teur", 2}, {"ives", "ifs", 3}, {"ive", "if", 3}};

const fouille__suffix_rule *fouille__feminine_rule_at(size_t i) {
  return i < sizeof rules / sizeof rules[0] ? &rules[i] : NULL;
}

static int feminine_suffix(const char *w, size_t n, fouille__alt_cb add, void *ctx) {
  if (n < 5 || (w[n - 1] != 'e' && w[n - 1] != 's')) return 0;
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    size_t k = strlen(rules[i].from);
    if (!ends_with(w, n, rules[i].from) || n < k + rules[i].min_base) continue;
    if (n == k + 2 && memcmp(w, "ma", 2) == 0) return 0;
    return swap_suffix(w, n, rules[i].from, rules[i].to, add, ctx);
  }
  return 0;
}

static int without_apostrophes(const char *w, size_t n, fouille__alt_cb add, void *ctx) {
  char buf[FOUILLE__ALT_WORD_MAX];
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (w[i] != '\'') buf[k++] = w[i];
  return add(ctx, buf, k);
}

int fouille__word_alternatives(const char *raw, size_t raw_len, const char *w, size_t n,
                               fouille__alt_cb add, void *ctx) {
  if (n > FOUILLE__ALT_WORD_MAX) return 0;
  char buf[FOUILLE__ALT_WORD_MAX + 16];
  size_t k;
  int rc = 0;
  const char *base = fouille__irregular_base(w, n);
  if (memchr(w, '\'', n)) rc = without_apostrophes(w, n, add, ctx);
  if (!rc && acronym_plural(raw, raw_len)) rc = add(ctx, w, n - 1);
  if (!rc && base) rc = add(ctx, base, strlen(base));
  if (!rc) rc = feminine_suffix(w, n, add, ctx);
  if (!rc && (k = fouille__agent_masculine(w, n, buf))) rc = add(ctx, buf, k);
  if (!rc && (k = fouille__verb_infinitive(w, n, buf))) rc = add(ctx, buf, k);
  return rc;
}
