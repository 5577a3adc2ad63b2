/* Private to the indexer's lexicon (store/lexicon.h has the table):
 * lexicon.c counts the words of the articles written or deleted,
 * lexicon_rows.c merges those counts into the lexicon's rows. */
#ifndef FOUILLE_LEXICON_ROWS_H
#define FOUILLE_LEXICON_ROWS_H

#include <sqlite3.h>
#include <stddef.h>

#include "lexicon.h"

/* How one word's counts change: df and plain by these deltas, and each of
 * forms (sorted by text; df holds the delta). stem: the word's term, for a
 * word new to the lexicon. */
typedef struct fouille__lex_delta {
  const char *word, *stem;
  int len, stem_len;
  long long df, plain;
  const fouille__lex_form *forms;
  int n_forms;
} fouille__lex_delta;

typedef struct fouille__lex_rows fouille__lex_rows;

/* Prepares the statements on db (path names it in messages). FOUILLE_OK,
 * FOUILLE_EDB, FOUILLE_ENOMEM. */
int fouille__lex_rows_open(fouille__lex_rows **out, sqlite3 *db, const char *path);
void fouille__lex_rows_free(fouille__lex_rows *r);
/* The bytes of r's buffers (they keep their largest size). */
size_t fouille__lex_rows_bytes(const fouille__lex_rows *r);

/* Applies d[0 .. n) (sorted by word, bytes then length) to the rows, in the
 * caller's transaction: entries whose df falls to 0 go, new words come in,
 * rows over FOUILLE__LEX_ROW_MAX bytes are split. FOUILLE_OK, FOUILLE_EDB,
 * FOUILLE_ENOMEM. */
int fouille__lex_rows_merge(fouille__lex_rows *r, const fouille__lex_delta *d, size_t n);

/* Empties the lexicon (before counting every article again). */
int fouille__lex_rows_clear(fouille__lex_rows *r);

#endif
