/* Private: the lexicon of written words, a table of the schema that the
 * indexer keeps in step with the articles (indexer/lexicon.c) and the query
 * engine reads for typo tolerance (query/spell*.c). lexicon.c holds what
 * both need: how a written word becomes a lexicon word, the encoding of the
 * table's rows, and the tap through which the indexer sees the words the
 * fouille_fr tokenizer reads.
 *
 *   lexicon(first TEXT PRIMARY KEY, entries BLOB NOT NULL) WITHOUT ROWID
 *
 * Each row holds, sorted, the entries of the words from first (included)
 * up to the next row's first. An entry is a folded word (lower case, no
 * accents, œ and æ spelled out) of 4 or more letters and no digit that
 * some article's title or body writes (shorter words are no correction of
 * a typed word of 5 letters or more, one edit away), with:
 *   df     the articles writing it in any form;
 *   plain  the articles writing it without accents (as the word itself);
 *   stem   the index term the query side gets for the word (FTS5's term);
 *   forms  each other written form (lower case, accents as written) and
 *          the articles writing it.
 * Rows stay under FOUILLE__LEX_ROW_MAX bytes, the most a cell of a WITHOUT
 * ROWID table holds in a page of 2 KB (the index's, store/handle.c) before
 * it spills into an overflow page that would be mostly empty; the indexer
 * splits them as they grow.
 * Entry encoding (varints are LEB128, 7 bits a byte, low first): the
 * bytes shared with the previous word of the row, the rest's length and
 * bytes, df, plain, (stem length << 1 | 1 when the stem is not the word's
 * first bytes, then its bytes), the number of forms, then per form its
 * length, bytes and df. A row starts with the format byte 1. */
#ifndef FOUILLE_LEXICON_H
#define FOUILLE_LEXICON_H

#include <sqlite3.h>
#include <stddef.h>

#define FOUILLE__LEX_WORD_MAX 48   /* bytes of a word or form; longer ones are left out */
#define FOUILLE__LEX_MIN_CHARS 4   /* shorter words are left out (see below) */
                                   /* (fts5_tap.h: the tap shows no shorter word) */
#define FOUILLE__LEX_ROW_MAX 420   /* entries bytes of a row at most (see below) */
#define FOUILLE__LEX_FORMAT 1

#define FOUILLE__LEX_TABLE_SQL                                                                     \
  "CREATE TABLE lexicon(first TEXT PRIMARY KEY, entries BLOB NOT NULL) WITHOUT ROWID;"

/* A written form and the articles writing it. */
typedef struct fouille__lex_form {
  const char *text;
  int len;
  long long df;
} fouille__lex_form;

/* One decoded entry; pointers are into the row or the cursor. */
typedef struct fouille__lex_entry {
  char word[FOUILLE__LEX_WORD_MAX + 1];
  int len, shared; /* shared: the bytes it takes from the previous word of its row */
  long long df, plain;
  const char *stem;
  int stem_len;
  int n_forms;
  const unsigned char *forms, *forms_end; /* read with fouille__lex_form_next */
} fouille__lex_entry;

/* Reads the entries of one row's blob, in order. */
typedef struct fouille__lex_cursor {
  const unsigned char *p, *end;
  fouille__lex_entry e;
} fouille__lex_cursor;

/* Starts reading blob (n bytes): 0, or -1 when it is not of this format. */
int fouille__lex_cursor_init(fouille__lex_cursor *c, const void *blob, int n);
/* The next entry into c->e: 1, 0 at the end, -1 when the blob is damaged. */
int fouille__lex_cursor_next(fouille__lex_cursor *c);
/* The next form of e (*at starts at e->forms): 1, or 0 when none is left. */
int fouille__lex_form_next(const fouille__lex_entry *e, const unsigned char **at,
                           fouille__lex_form *f);

/* Writes entries, in word order, into one growing blob. */
typedef struct fouille__lex_writer {
  unsigned char *buf;
  size_t len, cap;
  char prev[FOUILLE__LEX_WORD_MAX + 1];
  int prev_len, oom;
} fouille__lex_writer;

/* Appends an entry (forms: n_forms of them); then w->len is the blob's
 * size so far. Out of memory sets w->oom. */
void fouille__lex_put(fouille__lex_writer *w, const char *word, int len, long long df,
                      long long plain, const char *stem, int stem_len,
                      const fouille__lex_form *forms, int n_forms);
/* Appends n bytes of entries encoded by another writer, following the
 * entry just put (their first shares its start with it). */
void fouille__lex_put_raw(fouille__lex_writer *w, const void *bytes, size_t n);
/* Appends one entry as encoded in a row, word being its word: valid when
 * it shares nothing with the word before it, or when that word is the
 * one it followed in its row. */
void fouille__lex_put_copy(fouille__lex_writer *w, const void *bytes, size_t n, const char *word,
                           int len);
/* Empties w for the next row (the buffer is kept). */
void fouille__lex_writer_reset(fouille__lex_writer *w);
void fouille__lex_writer_free(fouille__lex_writer *w);

/* The lexicon's spellings of a written word (w, n bytes, as the analyzer
 * cut it: no elided article): its form (NFC, case folded) into form and
 * its word (the form without accents, œ → oe, æ → ae) into word, each
 * NUL-terminated in FOUILLE__LEX_WORD_MAX + 1 bytes. 1 when it is a
 * lexicon word, 0 when it is left out (digits or other signs, too short
 * or long), FOUILLE_ENOMEM. */
int fouille__lex_spell(const char *w, size_t n, char *form, int *form_len, char *word,
                       int *word_len);

#endif
