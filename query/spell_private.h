/* Private to typo tolerance (docs/query-language.md#typo-tolerance):
 * spell_costs.c prices the edits that turn a typed word into a lexicon
 * word, spell_lexicon.c holds the lexicon of a read connection in memory
 * and walks it for the words within a budget of edits, spell_core.c picks
 * the corrections of a query, spell.c runs a search with them. Only
 * spell_core.c and below reach the extension's fouille_suggest(). */
#ifndef FOUILLE_SPELL_PRIVATE_H
#define FOUILLE_SPELL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "fouille/analyzer.h"
#include "query_sqlite.h"

#define FOUILLE__SPELL_EDIT 100    /* the cost of a plain edit */
#define FOUILLE__SPELL_CHARS 32    /* longest typed word corrected, in characters */
#define FOUILLE__SPELL_DEPTH 48    /* longest lexicon word walked, in characters */
#define FOUILLE__SPELL_CANDS 24    /* candidates kept per word */
#define FOUILLE__SPELL_ENDINGS 4   /* endings a word may end with, at most */
#define FOUILLE__SPELL_OTHER 27    /* the column of characters other than a–z and ' */

/* The column of c in fouille__spell_word.sub. */
static inline int fouille__spell_letter(uint32_t c) {
  return c >= 'a' && c <= 'z' ? (int)(c - 'a') : c == '\'' ? 26 : FOUILLE__SPELL_OTHER;
}

/* ---- spell_costs.c ------------------------------------------------------------------ */

/* A typed word to correct, as the walk prices it. */
typedef struct fouille__spell_word {
  uint32_t q[FOUILLE__SPELL_CHARS + 1]; /* code points of the folded word, 0 after */
  int n;                                /* characters */
  int del[FOUILLE__SPELL_CHARS];        /* the cost of dropping q[i] */
  int budget;                           /* the most a candidate may cost */
  /* fouille__spell_sub and _swap worked out once: sub[i][fouille__spell_letter(c)]
   * for a letter c ('a'–'z', '\''), sub[i][FOUILLE__SPELL_OTHER] for any
   * other character unless it is q[i]; swap[i] for q[i - 1], q[i]. */
  uint8_t sub[FOUILLE__SPELL_CHARS][FOUILLE__SPELL_OTHER + 1];
  uint8_t swap[FOUILLE__SPELL_CHARS];
  int ends[FOUILLE__SPELL_ENDINGS];     /* indexes of the endings q ends with */
  int n_ends;
} fouille__spell_word;

/* The budget for a typed word of n characters: 0 (never corrected) below
 * 5, one edit from 5, two from 9. */
int fouille__spell_budget(int n);
/* Fills w from the folded word (UTF-8, len bytes): 1, or 0 when it cannot
 * be corrected (too short or long). */
int fouille__spell_word_init(fouille__spell_word *w, const char *word, int len);
/* Replacing q[i] by c (i 0-based). */
int fouille__spell_sub(const fouille__spell_word *w, int i, uint32_t c);
/* Inserting c, the depth-th character of the candidate, after prev (0 at
 * the start). */
int fouille__spell_ins(uint32_t c, uint32_t prev, int depth);
/* Swapping q[i - 1] and q[i]. */
int fouille__spell_swap(int i);
/* Endings of one sound: the typed word's ending (fouille__spell_word.ends)
 * becomes the candidate's for FOUILLE__SPELL_ENDING_COST. The endings
 * known, the length of the e-th, whether c[0 .. n) ends with it (after at
 * least one character). */
#define FOUILLE__SPELL_ENDING_COST 40
int fouille__spell_n_endings(void);
int fouille__spell_ending_len(int e);
int fouille__spell_ends_with(const uint32_t *c, int n, int e);

/* ---- spell_lexicon.c ------------------------------------------------------------------ */

/* A read connection's lexicon: folded words in byte order, each with its
 * articles, its most frequent written form and its stem (FTS5's term). */
typedef struct fouille__spell_lexicon {
  char *text;                    /* words, forms and stems, each NUL-terminated */
  uint32_t *word, *form, *stem;  /* offsets in text */
  uint32_t *df;                  /* articles writing the word */
  uint8_t *stem_len;
  /* For the walk to go through a prefix's children without reading the
   * words (their text is scattered in memory): lcp[i], the bytes word i
   * shares with word i - 1 (at most 255; 0 for the first); after[i], its
   * byte after those; len[i], its bytes (at most 255); nsv[i], the first
   * word after i whose lcp is smaller than lcp[i] (n when none). */
  uint8_t *lcp, *after, *len;
  uint32_t *nsv;
  size_t n, bytes;               /* words; memory held */
} fouille__spell_lexicon;

#define FOUILLE__SPELL_LEXICON_MAX (256u << 20) /* bytes: a larger one is not loaded */

/* A candidate: a lexicon word and what turning the typed word into it
 * costs. */
typedef struct fouille__spell_cand {
  uint32_t word;
  int cost;
} fouille__spell_cand;

/* Loads the lexicon of db's current snapshot: FOUILLE_OK with *out NULL
 * when there is none to use (no table, over the bound, or *waiting: not
 * counted yet, which the next update changes without touching the
 * full-text index), FOUILLE_ENOMEM, FOUILLE_EDB (a damaged row). */
int fouille__spell_lexicon_load(sqlite3 *db, fouille__spell_lexicon **out, int *waiting);
void fouille__spell_lexicon_free(fouille__spell_lexicon *lex);
/* Whether the lexicon of db's snapshot holds word (len bytes), reading
 * one row: 1, 0, or -1 when it cannot tell (no lexicon to use). */
int fouille__spell_lexicon_written(sqlite3 *db, const char *word, int len);
/* The index of word (len bytes), or -1. */
long fouille__spell_lexicon_find(const fouille__spell_lexicon *lex, const char *word, int len);
/* The lexicon words w may become within its budget, best first (cost,
 * then articles): their count, at most max. */
int fouille__spell_walk(const fouille__spell_lexicon *lex, const fouille__spell_word *w,
                        fouille__spell_cand *out, int max);

/* ---- spell_core.c ------------------------------------------------------------------------ */

/* What correcting asks of its caller: the articles holding an index term
 * (-1: cannot tell), whether some article (within the search's filters)
 * holds every word of an FTS5 expression, and the lexicon (NULL: none to
 * use), asked for only when a word needs it (with load 0: only when it is
 * in memory already). */
typedef struct fouille__spell_env {
  sqlite3 *db; /* the index's connection, in a read transaction */
  fouille_analyzer *analyzer;
  double (*df)(void *payload, const char *term);
  int (*finds)(void *payload, const char *expr, int *yes);
  const fouille__spell_lexicon *(*lexicon)(void *payload, int load);
  void *payload;
} fouille__spell_env;

/* The query corrected: text is the query with its misspelled words as the
 * archive most often writes their corrections (NULL when none); replace
 * when some word was unknown to the index (the hits should come from
 * text), else text only suggests (a rare word near a far more common
 * one). */
typedef struct fouille__spelled {
  char *text;
  int replace;
} fouille__spelled;

/* Corrects query (the user's text): its unknown words, or else suggests
 * for its rare words; with context (the caller knows that no article holds
 * every word of the query as typed), its words no article writes.
 * FOUILLE_OK (out->text may be NULL), FOUILLE_ENOMEM, FOUILLE_EDB. */
int fouille__spell_correct(fouille__spell_env *env, const char *query, int context,
                           fouille__spelled *out);

#endif
