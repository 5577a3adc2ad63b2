/* Private: the only code that reads FTS5's own storage, the shadow tables
 * behind articles_fts (fts5_storage.c; the formats it relies on are cited
 * there). Everything else goes through FTS5's SQL and its public API. */
#ifndef FOUILLE_FTS5_STORAGE_H
#define FOUILLE_FTS5_STORAGE_H

#include <sqlite3.h>

#define FOUILLE__FTS5_COLUMNS 2 /* articles_fts: title, body */

/* The column sizes (tokens) of every row of articles_fts in one snapshot:
 * sizes[(rowid - first) * n_col + c], -1 for a rowid without a row. */
typedef struct fouille__docsizes {
  long long first, n; /* rowids first .. first + n - 1 */
  int n_col;
  int *sizes;
} fouille__docsizes;

void fouille__docsizes_free(fouille__docsizes *ds);

/* Decodes one articles_fts_docsize record (blob, n bytes) into n_col
 * sizes: 1, or 0 when it is not n_col varints filling the blob exactly
 * (sizes then undefined). */
int fouille__fts5_docsize_decode(const unsigned char *blob, int n, int n_col, int *sizes);

/* Reads and decodes every docsize record of the snapshot of db's current
 * read transaction into *out, then checks them against FTS5's own figures
 * (row count, column totals, one row's sizes through the public API).
 * FOUILLE_OK with *out NULL when they are not worth holding (no rows,
 * rowids too sparse); FOUILLE_EDB with a message naming what differs when
 * a record is not in the format this code reads or the check fails;
 * FOUILLE_ENOMEM. db needs fouille__fts5_storage_register. */
int fouille__fts5_docsizes_read(sqlite3 *db, fouille__docsizes **out);

/* The decoded sizes ds against FTS5's own figures: the row count, each
 * column's total over all rows, and unless packed the last row's sizes
 * (its text tokenized again: what tells a change of the records' format;
 * the packed sizes, in Fouille's own format and stamped with the index's
 * version, skip it). FOUILLE_OK, or FOUILLE_EDB naming what differs and
 * the table read (articles_fts_docsize, or article_sizes when packed). */
int fouille__docsizes_check(sqlite3 *db, const fouille__docsizes *ds, int packed);

/* The records of rowids lo .. lo + n - 1 decoded into sizes[(rowid - lo) *
 * FOUILLE__FTS5_COLUMNS + c] (-1 where there is none), *rows the records
 * found. *st caches the statement (prepared on first use; the caller
 * finalizes it). FOUILLE_OK, or FOUILLE_EDB when a record does not decode
 * or the read fails. */
int fouille__fts5_docsize_range(sqlite3 *db, sqlite3_stmt **st, long long lo, int n, int *sizes,
                                int *rows);

/* The first rowid >= from with a record into *id (*found 0 when none);
 * *st as for fouille__fts5_docsize_range. FOUILLE_OK or FOUILLE_EDB. */
int fouille__fts5_docsize_next(sqlite3 *db, sqlite3_stmt **st, long long from, long long *id,
                               int *found);

/* Registers on db the FTS5 auxiliary function that check runs and the SQL
 * function the read decodes the records with: FOUILLE_OK or FOUILLE_EDB. */
int fouille__fts5_storage_register(sqlite3 *db);

/* The largest rowid with a docsize record (0 when none), or the count of
 * records: FOUILLE_OK or FOUILLE_EDB. */
int fouille__fts5_docsize_max_rowid(sqlite3 *db, long long *max);
int fouille__fts5_docsize_count(sqlite3 *db, long long *count);

/* A version of the full-text index: its structure record (FTS5 rewrites
 * it on every change to the index) and the schema cookie (a rebuild
 * recreates the tables). Zeroed: none read yet. */
typedef struct fouille__fts5_version {
  void *structure;
  int n_structure;
  long long schema;
} fouille__fts5_version;

/* Reads the version in db's current read transaction into *v; *changed is
 * set when it differs from what *v held (also when the read fails after
 * that was seen). FOUILLE_OK, else FOUILLE_EDB / FOUILLE_ENOMEM with *v
 * emptied (the next read then counts as a change). */
int fouille__fts5_version_read(sqlite3 *db, fouille__fts5_version *v, int *changed);
void fouille__fts5_version_clear(fouille__fts5_version *v);

#endif
