/* Private to the analyzer: the rules that give a word other spellings to
 * stem (alternatives.c, word_tables.c) and the words joined across
 * separators (joins.c). Each result is stemmed and emitted at the word's
 * position as a colocated alternative. */
#ifndef FOUILLE_ALTERNATIVES_H
#define FOUILLE_ALTERNATIVES_H

#include <stddef.h>

/* Longest word the rules look at, and longest joined word, in bytes. */
#define FOUILLE__ALT_WORD_MAX 64

/* word_tables.c — the term a word Snowball over-stems gets instead of its
 * stem (and no alternative), or NULL; w is normalised (case-folded, NFC). */
const char *fouille__over_stemmed(const char *w, size_t n);

/* word_tables.c — the base word of an irregular plural or feminine
 * ("travaux" -> "travail", "publique" -> "public", "amis" -> "ami"), or NULL. */
const char *fouille__irregular_base(const char *w, size_t n);

/* alternatives.c — calls add for each other spelling of the normalised word
 * w (raw: the word as written, for its case). Returns 0 or add's value. */
typedef int (*fouille__alt_cb)(void *ctx, const char *word, size_t len);
int fouille__word_alternatives(const char *raw, size_t raw_len, const char *w, size_t n,
                               fouille__alt_cb add, void *ctx);

/* joins.c — when the word [start, end) of text opens a chain (O.N.U.,
 * Wi-Fi, 25 000 with narrow spaces), writes the joined word into out
 * (FOUILLE__ALT_WORD_MAX bytes), sets *chain_end and returns its length;
 * else returns 0. seg_start is where the word's segment began (before any
 * elision): a word inside a chain opens none. */
size_t fouille__join_chain(const char *text, size_t len, size_t seg_start, size_t start, size_t end,
                           char *out, size_t *chain_end);

/* The tables above, one entry at a time, for the OpenSearch template
 * (export_tables.c): each returns 1 and sets its out-parameters for entry
 * i, or returns 0 past the last. */
int fouille__over_stemmed_at(size_t i, const char **word, const char **term);
int fouille__irregular_at(size_t i, const char **word, const char **base);
/* A feminine suffix rule: from -> to when at least min_base bytes precede
 * it (never when that base is "ma": matrice), or NULL past the last. */
typedef struct fouille__suffix_rule {
  const char *from, *to;
  size_t min_base;
} fouille__suffix_rule;
const fouille__suffix_rule *fouille__feminine_rule_at(size_t i);

#endif
