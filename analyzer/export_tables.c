/* The analyzer's tables as word -> term rules for the OpenSearch template:
 * over-stemmed words, irregular plurals and feminines, and the verb forms
 * the verb table reaches (enumerated from each verb, kept only when the
 * analyzer's own verb_forms.c gives that verb back). */
#include <stdlib.h>
#include <string.h>

#include "alternatives.h"
#include "analyzer_private.h"
#include "error.h"
#include "export_tables.h"
#include "verb_forms.h"

#define WORD_MAX 80

typedef struct exporter {
  fouille__stemmer *st;
  fouille__buf fold;
  char **rules; /* "word\0term" strings */
  size_t count, cap;
} exporter;

/* The word's own term (over: the over-stemmed words' own), or the stem an
 * alternative spelling gets (analyzer.c's stem_fold). */
static int term_of(exporter *e, const char *w, size_t n, char *out, size_t size, int over) {
  const char *fixed = over ? fouille__over_stemmed(w, n) : NULL, *s;
  size_t len;
  if (fixed)
    len = strlen(fixed), s = fixed;
  else {
    if (fouille__stem(e->st, w, n, &s, &len) || fouille__fold_accents(s, len, &e->fold))
      return FOUILLE_ENOMEM;
    s = e->fold.data, len = e->fold.len;
  }
  if (len >= size) len = size - 1;
  memcpy(out, s, len);
  out[len] = '\0';
  return 0;
}

/* Records word -> term. */
static int push(exporter *e, const char *w, size_t n, const char *term) {
  if (e->count == e->cap) {
    size_t cap = e->cap ? e->cap * 2 : 1024;
    char **more = realloc(e->rules, cap * sizeof *more);
    if (!more) return FOUILLE_ENOMEM;
    e->rules = more, e->cap = cap;
  }
  size_t tn = strlen(term);
  char *r = malloc(n + tn + 2); /* "term\0word" */
  if (!r) return FOUILLE_ENOMEM;
  memcpy(r, term, tn), r[tn] = '\0', memcpy(r + tn + 1, w, n), r[tn + 1 + n] = '\0';
  e->rules[e->count++] = r;
  return 0;
}

/* Records word -> term of the other spelling alt, unless that is the
 * word's own term. */
static int add_rule(exporter *e, const char *w, size_t n, const char *alt, size_t an) {
  char own[WORD_MAX * 2], term[WORD_MAX * 2];
  if (term_of(e, w, n, own, sizeof own, 1) || term_of(e, alt, an, term, sizeof term, 0))
    return FOUILLE_ENOMEM;
  return strcmp(own, term) == 0 ? 0 : push(e, w, n, term);
}

static int over_stemmed_rules(exporter *e) {
  const char *w, *t;
  for (size_t i = 0; fouille__over_stemmed_at(i, &w, &t); i++)
    if (push(e, w, strlen(w), t)) return FOUILLE_ENOMEM;
  return 0;
}

/* Each irregular word, and its plural in s when the analyzer takes that
 * too ("publiques"). */
static int irregular_rules(exporter *e) {
  const char *w, *base;
  char plural[WORD_MAX];
  for (size_t i = 0; fouille__irregular_at(i, &w, &base); i++) {
    size_t n = strlen(w);
    if (add_rule(e, w, n, base, strlen(base))) return FOUILLE_ENOMEM;
    if (n + 2 > sizeof plural) continue;
    memcpy(plural, w, n), plural[n] = 's', plural[n + 1] = '\0';
    const char *b = fouille__irregular_base(plural, n + 1);
    if (b && add_rule(e, plural, n + 1, b, strlen(b))) return FOUILLE_ENOMEM;
  }
  return 0;
}

/* Tries the form base + ending: kept when the analyzer finds a verb for it. */
static int try_form(exporter *e, const char *b, size_t bn, const char *ending) {
  char w[WORD_MAX], inf[WORD_MAX];
  size_t en = strlen(ending), k;
  if (bn + en >= sizeof w) return 0;
  memcpy(w, b, bn), memcpy(w + bn, ending, en);
  /* A form the analyzer never sees (its œ becomes oe first) gets no rule. */
  if (fouille__normalize(w, bn + en, &e->fold)) return FOUILLE_ENOMEM;
  if (e->fold.len != bn + en || memcmp(e->fold.data, w, bn + en) != 0) return 0;
  if (fouille__over_stemmed(w, bn + en)) return 0;
  k = fouille__verb_infinitive(w, bn + en, inf);
  if (!k) k = fouille__agent_masculine(w, bn + en, inf);
  return k ? add_rule(e, w, bn + en, inf, k) : 0;
}

static int forms_of_base(exporter *e, const char *b, size_t bn) {
  static const char *const endings[] = {"ent", "ons", "ions", "euse", "euses"};
  for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++)
    if (try_form(e, b, bn, endings[i])) return FOUILLE_ENOMEM;
  return 0;
}

/* The bases verb_forms.c turns into v (the infinitive less its ending): v
 * itself, with an e or é before its end written è, with its last l or t
 * doubled, with a final c written ç. */
static int bases_of_stem(exporter *e, const char *v, size_t vn) {
  char b[WORD_MAX + 4];
  if (vn < 2 || vn + 3 >= WORD_MAX) return 0; /* no verb form is that short or long */
  if (forms_of_base(e, v, vn)) return FOUILLE_ENOMEM;
  for (size_t i = vn > 4 ? vn - 4 : 0; i < vn; i++) {
    size_t skip = v[i] == 'e' ? 1 : (i + 1 < vn && !memcmp(v + i, "\xC3\xA9", 2)) ? 2 : 0;
    if (!skip) continue;
    memcpy(b, v, i), memcpy(b + i, "\xC3\xA8", 2), memcpy(b + i + 2, v + i + skip, vn - i - skip);
    if (forms_of_base(e, b, vn + 2 - skip)) return FOUILLE_ENOMEM;
  }
  if (v[vn - 1] == 'l' || v[vn - 1] == 't') {
    memcpy(b, v, vn), b[vn] = v[vn - 1];
    if (forms_of_base(e, b, vn + 1)) return FOUILLE_ENOMEM;
  }
  if (v[vn - 1] == 'c') {
    memcpy(b, v, vn - 1), memcpy(b + vn - 1, "\xC3\xA7", 2);
    if (forms_of_base(e, b, vn + 1)) return FOUILLE_ENOMEM;
  }
  return 0;
}

static int ends_with(const char *w, size_t n, const char *s, size_t k) {
  return n > k && memcmp(w + n - k, s, k) == 0;
}

/* Every form of one verb the analyzer may lead back to it. */
static int verb_rules(void *ctx, const char *verb, size_t n) {
  exporter *e = ctx;
  const char *end, *from, *to;
  char b[WORD_MAX];
  for (size_t i = 0; (end = fouille__verb_ending_at(i)); i++)
    if (ends_with(verb, n, end, strlen(end)) && bases_of_stem(e, verb, n - strlen(end)))
      return FOUILLE_ENOMEM;
  for (size_t i = 0; fouille__verb_rewrite_at(i, &from, &to); i++) {
    size_t fn = strlen(from), tn = strlen(to);
    if (!ends_with(verb, n, to, tn) || n - tn + fn >= sizeof b) continue;
    memcpy(b, verb, n - tn), memcpy(b + n - tn, from, fn);
    if (forms_of_base(e, b, n - tn + fn)) return FOUILLE_ENOMEM;
  }
  return 0;
}

/* By term, then word. */
static int by_rule(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  int c = strcmp(x, y);
  return c ? c : strcmp(x + strlen(x) + 1, y + strlen(y) + 1);
}

/* Sorts the rules, hands each distinct one to cb. */
static int deliver(exporter *e, fouille__rule_cb cb, void *ctx) {
  qsort(e->rules, e->count, sizeof *e->rules, by_rule);
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < e->count; i++) {
    const char *r = e->rules[i];
    if (i > 0 && by_rule(&e->rules[i], &e->rules[i - 1]) == 0) continue;
    rc = cb(ctx, r + strlen(r) + 1, r);
  }
  return rc;
}

int fouille__export_rules(fouille__rule_kind kind, fouille__rule_cb cb, void *ctx) {
  exporter e = {fouille__stemmer_new(), {0}, NULL, 0, 0};
  int rc = e.st ? 0 : FOUILLE_ENOMEM;
  if (rc == 0 && kind == FOUILLE__RULES_OVER_STEMMED) rc = over_stemmed_rules(&e);
  if (rc == 0 && kind == FOUILLE__RULES_IRREGULAR) rc = irregular_rules(&e);
  if (rc == 0 && kind == FOUILLE__RULES_VERB_FORMS)
    rc = fouille__lexicon_each(&fouille__verbs, verb_rules, &e);
  if (rc == 0)
    rc = deliver(&e, cb, ctx);
  else if (rc == FOUILLE_ENOMEM)
    fouille__error(FOUILLE_ENOMEM, "out of memory listing the analyzer's rules");
  for (size_t i = 0; i < e.count; i++) free(e.rules[i]);
  free(e.rules);
  fouille__buf_free(&e.fold);
  fouille__stemmer_free(e.st);
  return rc;
}

int fouille__export_term(const char *w, size_t n, char *out, size_t out_size) {
  exporter e = {fouille__stemmer_new(), {0}, NULL, 0, 0};
  int rc = e.st ? term_of(&e, w, n, out, out_size, 1) : FOUILLE_ENOMEM;
  fouille__buf_free(&e.fold);
  fouille__stemmer_free(e.st);
  return rc;
}
