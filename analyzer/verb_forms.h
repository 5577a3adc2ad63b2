/* Private to the analyzer: the lexicon tables (front-coded sorted words,
 * generated into verb_table.c) and the verb-form rules that use them. */
#ifndef FOUILLE_VERB_FORMS_H
#define FOUILLE_VERB_FORMS_H

#include <stddef.h>

/* Sorted words, each written as one character '0'+k (the number of bytes it
 * shares with the previous word; 0 at every restart) and its other bytes;
 * index holds the byte offset of each restart. */
typedef struct fouille__lexicon {
  const char *text;
  const unsigned *index;
  unsigned restarts, count;
} fouille__lexicon;

extern const fouille__lexicon fouille__verbs;           /* infinitives */
extern const fouille__lexicon fouille__verb_lookalikes; /* parent, salons… */

/* Non-zero if the lexicon holds the word. */
int fouille__lexicon_has(const fouille__lexicon *lex, const char *w, size_t n);

/* The infinitive of a verb form ending in -ent, -ons or -ions ("publient",
 * "prenons", "doivent"), written into out (at least 80 bytes); returns its
 * length, or 0 when the word is no such form of a known verb. */
size_t fouille__verb_infinitive(const char *w, size_t n, char *out);

/* The -eur noun of a feminine in -euse whose verb is known ("vendeuse" ->
 * "vendeur"), like fouille__verb_infinitive. */
size_t fouille__agent_masculine(const char *w, size_t n, char *out);

/* For the OpenSearch template (export_tables.c): calls cb for each word of
 * the lexicon in order (stops at and returns a non-zero value); the
 * infinitive endings tried on a form's base, and the third-group rewrites
 * of the base's end (from -> to), one at a time: NULL or 0 past the last. */
typedef int (*fouille__word_cb)(void *ctx, const char *word, size_t len);
int fouille__lexicon_each(const fouille__lexicon *lex, fouille__word_cb cb, void *ctx);
const char *fouille__verb_ending_at(size_t i);
int fouille__verb_rewrite_at(size_t i, const char **from, const char **to);

#endif
