/* Internal, for passages (query/passage.c): the terms of a text that may
 * equal or start with some terms, the other words costing their
 * segmentation only.
 *
 * Why it is exact. A word starting with an ASCII letter or digit (after its
 * elision) gives terms that all start with that letter in lower case, or
 * that digit: normalising keeps it first (case folding; NFC may compose it
 * with a following mark, which folding removes again); Snowball never
 * removes a word's first letter (each of its deletions needs a letter
 * before it) and changes it only by accent or case, which folding undoes;
 * the accentless spelling, the joined word (O.N.U. -> onu), the word
 * without apostrophe, the acronym without its s, the masculine and the
 * infinitive keep the word's start.
 * A word of ASCII bytes only (its normal form is its lower case) starting
 * with two letters or digits, and not ending in -ent or -ons, keeps them
 * too in every term of two bytes or more (its only shorter term: its first
 * letter, "bs" -> "b"): Snowball's regions (RV, R1, R2) start after the
 * second letter at the earliest and its final-s rule leaves the first;
 * the masculine, feminine and infinitive rules keep a base of two letters
 * or more; an apostrophe there is after them. Verb forms in -ent, -ons are
 * left out: an infinitive rebuilt from a one-letter base ("doivent" ->
 * "devoir") changes the second letter.
 * Only the tables of irregular forms and fixed terms (word_tables.c) give
 * terms starting otherwise ("yeux" -> "oeil"): their words are analysed
 * when a term looked for may start as their other term does. Words
 * starting otherwise (é, Œ, marks) are analysed. */
#ifndef FOUILLE_ANALYZER_INITIALS_H
#define FOUILLE_ANALYZER_INITIALS_H

#include <stddef.h>

#include "fouille/analyzer.h"

/* The starts of the terms looked for: first[b], some term starts with the
 * byte b; one[k], a term is the one letter or digit of key k (a-z: 0-25,
 * 0-9: 26-35); two[k][l], some term of two bytes or more starts with the
 * letters or digits of keys k and l. */
#define FOUILLE__INITIAL_KEYS 36
typedef struct fouille__initials {
  unsigned char first[256];
  unsigned char one[FOUILLE__INITIAL_KEYS];
  unsigned char two[FOUILLE__INITIAL_KEYS][FOUILLE__INITIAL_KEYS];
} fouille__initials;

/* Adds a term looked for (len bytes, none when 0) to in (zeroed first). */
void fouille__initials_add(fouille__initials *in, const char *term, size_t len);

/* As fouille_analyzer_run(a, FOUILLE_ANALYZE_DOCUMENT, text, len, cb,
 * payload), but skips the words none of whose terms can equal or start
 * with a term added to initials: every term that does is given, in the
 * same order as fouille_analyzer_run gives it, along with the other terms
 * of the same words. Returns as fouille_analyzer_run does (FOUILLE_EINVAL
 * also for NULL initials). */
int fouille__analyzer_run_initials(fouille_analyzer *a, const char *text, size_t len,
                                   const fouille__initials *initials, fouille_term_cb cb,
                                   void *payload);

/* initials.c, for fouille__analyzer_run_initials: in widened by the table
 * words whose other spelling or fixed term starts otherwise; whether the
 * word w (n bytes, elision dropped) gives no term equal to or starting
 * with a term of in (widened). */
void fouille__initials_widen(fouille__initials *in);
int fouille__initials_skip(const fouille__initials *in, const char *w, size_t n);

#endif
