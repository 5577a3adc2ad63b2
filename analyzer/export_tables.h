/* Private to the analyzer and its exporter: the analyzer's tables turned
 * into word -> term rules, each term made by the analyzer's own stemmer and
 * folding, for the OpenSearch template (query/opensearch_template.c), so
 * that the template is generated from the very tables the analyzer uses. */
#ifndef FOUILLE_EXPORT_TABLES_H
#define FOUILLE_EXPORT_TABLES_H

#include <stddef.h>

typedef enum fouille__rule_kind {
  FOUILLE__RULES_OVER_STEMMED, /* word -> its own term (mère -> mere) */
  FOUILLE__RULES_IRREGULAR,    /* word -> the stem of its base (travaux -> travail) */
  FOUILLE__RULES_VERB_FORMS    /* -ent/-ons/-ions forms -> the infinitive's stem,
                                * -euse(s) -> the -eur noun's stem */
} fouille__rule_kind;

/* word and term are NUL-terminated, valid during the call. */
typedef int (*fouille__rule_cb)(void *ctx, const char *word, const char *term);

/* Calls cb once per rule of that kind, in byte order of the term then of
 * the word, without duplicates; an alternative that is the word's own term
 * (nothing to add) is left out. Returns 0, FOUILLE_ENOMEM, or cb's non-zero value. */
int fouille__export_rules(fouille__rule_kind kind, fouille__rule_cb cb, void *ctx);

/* The term the analyzer gives the normalised word w on its own (its Snowball
 * stem with the accents folded, or its over-stemming term) into out (at
 * least 256 bytes). Returns 0 or FOUILLE_ENOMEM. */
int fouille__export_term(const char *w, size_t n, char *out, size_t out_size);

#endif
