/* Internal, for passages (query/passage.c): the terms of a text that may
 * start with some bytes, the other words costing their segmentation only.
 *
 * Why it is exact: a word starting with an ASCII letter or digit (after its
 * elision) gives terms that all start with that letter in lower case, or
 * that digit. Normalising keeps it first (case folding, NFC composing it
 * with a following mark, which folding removes again); Snowball removes
 * suffixes only, and never a word's first letter (each of its deletions
 * needs a letter before it); folding keeps ASCII; the accentless spelling,
 * the joined word (O.N.U. -> onu), the word without apostrophe, the
 * acronym without its s, the masculine and the infinitive keep the word's
 * start. Only the tables of irregular forms and fixed terms
 * (word_tables.c) give terms starting elsewhere, and they are looked up
 * here. Words starting otherwise are analysed. */
#ifndef FOUILLE_ANALYZER_INITIALS_H
#define FOUILLE_ANALYZER_INITIALS_H

#include <stddef.h>

#include "fouille/analyzer.h"

/* As fouille_analyzer_run(a, FOUILLE_ANALYZE_DOCUMENT, text, len, cb,
 * payload), but skips the words none of whose terms can start with a byte
 * b with initials[b] non-zero: every term starting with such a byte is
 * given, in the same order as fouille_analyzer_run gives it, along with the
 * other terms of the same words. Returns as fouille_analyzer_run does
 * (FOUILLE_EINVAL also for NULL initials). */
int fouille__analyzer_run_initials(fouille_analyzer *a, const char *text, size_t len,
                                   const unsigned char initials[256], fouille_term_cb cb,
                                   void *payload);

#endif
