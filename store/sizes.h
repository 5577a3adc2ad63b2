/* Private: the packed column sizes (sizes.c). Every article's title and
 * body size in tokens, kept by the writers in the table article_sizes, so
 * that a search needing them all reads a few hundred bytes a block instead
 * of FTS5's docsize table row by row:
 *
 *   article_sizes(block INTEGER PRIMARY KEY, sizes BLOB NOT NULL)
 *     block b >= ..: the rows of rowids 256 b .. 256 b + 255 (a block with
 *       no row has none): one byte per column giving the width w (1 to 4
 *       bytes) of that column's entries, then for each rowid from 256 b
 *       up to the last one with a row, each column's size + 1 in w bytes,
 *       little-endian (0: no row).
 *     block FOUILLE__SIZES_STAMP: the stamp, the full-text index version
 *       the blocks hold for (fouille__fts5_version: the schema cookie as 8
 *       bytes little-endian, then FTS5's structure record).
 *
 * The blocks are used only while the stamp is the index's current version:
 * any write to FTS5 (by another program, an older Fouille, SQL through the
 * extension) changes its structure record and so makes them unused until a
 * Fouille writer refills them. Fouille's writers keep them in the same
 * transaction as the articles: a log on the write connection (an update
 * hook) marks the rowid of each docsize row FTS5 writes or deletes, and
 * before each commit the blocks of the marked rows are brought up to date
 * from the docsize rows (those rows read one by one into the stored block,
 * or, past 32 in a block, the block's 256 rowids read at once), or all the
 * blocks are made again when the stamp did not hold when the transaction
 * began (or more than a million rows were marked). */
#ifndef FOUILLE_SIZES_H
#define FOUILLE_SIZES_H

#include <sqlite3.h>
#include <stdint.h>

#include "fts5_storage.h"

#define FOUILLE__SIZES_BLOCK 256 /* rowids per block */
#define FOUILLE__SIZES_STAMP INT64_MIN
#define FOUILLE__SIZES_TABLE_SQL                                                                   \
  "CREATE TABLE IF NOT EXISTS article_sizes(block INTEGER PRIMARY KEY, sizes BLOB NOT NULL);"

/* The blocks a write connection's transactions touch. */
typedef struct fouille__sizes_log fouille__sizes_log;

/* Opens a log on db (a write connection used by one thread at a time):
 * sets db's update hook until fouille__sizes_log_free. FOUILLE_OK or
 * FOUILLE_ENOMEM. path names the index in messages. */
int fouille__sizes_log_open(fouille__sizes_log **out, sqlite3 *db, const char *path);
/* Removes the hook (when it is still this log's) and frees; NULL-safe. */
void fouille__sizes_log_free(fouille__sizes_log *log);

/* (Both NULL-safe: without a log, nothing is written, and the stamp no
 * longer holds once FTS5 changed.)
 * Right after BEGIN IMMEDIATE: whether the blocks hold for the index as
 * the transaction finds it (else the commit makes them all again), and no
 * block marked yet. Reads only; FOUILLE_OK (a failed read counts as not
 * holding). */
int fouille__sizes_begin(fouille__sizes_log *log);

/* Right before COMMIT, after the transaction's last write to FTS5: makes
 * FTS5 write its pending terms (a savepoint), makes the marked blocks (or
 * all) again from the docsize rows, creating the table if it is missing,
 * and writes the stamp. FOUILLE_OK, FOUILLE_EDB / FOUILLE_EBUSY naming the
 * index, FOUILLE_ENOMEM. */
int fouille__sizes_commit(fouille__sizes_log *log);

/* Whether the blocks of db hold for its full-text index version v (their
 * stamp is v): one row read, no error set. */
int fouille__sizes_hold(sqlite3 *db, const fouille__fts5_version *v);

/* In a read transaction on db whose full-text index version is v
 * (fouille__fts5_version_read): the sizes from the blocks, when their
 * stamp is v, checked like fouille__fts5_docsizes_read's (and NULL in the
 * same cases: no rows, rowids too sparse). FOUILLE_ENOTFOUND (no error
 * set) when there are none for v: no table, no stamp or another version;
 * FOUILLE_EDB (set) when a block does not decode or the check fails;
 * FOUILLE_ENOMEM. */
int fouille__sizes_read(sqlite3 *db, const fouille__fts5_version *v, fouille__docsizes **out);

#endif
