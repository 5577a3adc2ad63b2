/* Private: the store's connections, as the layers above use them. The
 * schema (store/schema.c creates it) is their contract:
 *
 *   meta(key TEXT PRIMARY KEY, value TEXT)   -- schema_version, analyzer_version, last_run…
 *   roots(id INTEGER PRIMARY KEY, kind 'folder'|'file'|'stream', path TEXT UNIQUE (absolute,
 *         or a stream's name), prefix (what its keys start with; a file root's key),
 *         created, last_update)
 *   files(id INTEGER PRIMARY KEY, path TEXT UNIQUE (the file's key), size, mtime_ns, hash,
 *         status, error, root_id)            -- root_id NULL: indexed before schema 2
 *   articles(id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, file_id INTEGER,
 *            title TEXT, date TEXT, source TEXT, url TEXT, author TEXT, tags TEXT,
 *            body TEXT, hash INTEGER)       -- indexes on date and source
 *   articles_fts USING fts5(title, body, content='articles', content_rowid='id',
 *            tokenize='fouille_fr')          -- column 0 title, column 1 body
 *   articles_vocab USING fts5vocab(articles_fts, 'row')   -- term, doc, cnt
 *   changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER, key TEXT)
 *            -- the change log, one row per key (indexer/changes.c): a live
 *               article's by its id (key NULL), a deleted key's by the key
 *               (id NULL); unique partial indexes on each (schema 5)
 *   article_sizes(block INTEGER PRIMARY KEY, sizes BLOB NOT NULL)
 *            -- every article's title and body size in tokens, 256 rowids a
 *               block, and the stamp of the full-text index version they
 *               hold for (sizes.h; optional: an index without it, or whose
 *               stamp is another version, is read from FTS5's records)
 *
 * FTS5's own shadow tables (articles_fts_docsize, articles_fts_data…) are
 * read by fts5_storage.c alone.
 */
#ifndef FOUILLE_STORE_H
#define FOUILLE_STORE_H

#include <sqlite3.h>

#include "fouille/analyzer.h"
#include "fouille/index.h"
#include "fts5_storage.h"

/* What a read connection keeps from one search to the next while the
 * full-text index stays the same version (fouille__fts5_version): while
 * it does, every row that can match has the same column sizes and every
 * term the same document frequency. A connection is tied to one file for
 * its life and serves one thread at a time, so this needs no lock. Made
 * (zeroed) with the reader, emptied when the version changes, freed when
 * the connection closes.
 * The store holds what it reads from FTS5's storage (the version, the
 * column sizes). The query engine's data (document frequencies, phrase
 * frequencies, the bounds' buffers) is its own business: the store holds
 * it as an opaque pointer with the function that frees it, and tells it of
 * a new version through generation (the store must not know query types;
 * the query side keys its frequencies by its own analysis of terms). */
typedef struct fouille__reader_cache {
  fouille__fts5_version version;
  unsigned long generation; /* counts the versions seen */
  fouille__docsizes *sizes; /* this version's, or NULL */
  int sizes_read;           /* tried for this version (sizes may still be NULL) */
  void *query;              /* the query engine's, or NULL */
  void (*query_free)(void *query);
} fouille__reader_cache;

/* A read connection from the handle's pool, with an analyzer (small stem
 * cache) for the same thread to use while it holds the connection. */
typedef struct fouille__reader {
  sqlite3 *db;                /* read-only, the fouille_fr tokenizer registered */
  fouille_analyzer *analyzer; /* not shared: yours until release */
  int functions_registered;   /* set by the query engine once it added its functions */
  fouille__reader_cache cache;
  sqlite3_stmt *versions; /* the index's analyzer and schema versions (meta) */
} fouille__reader;

/* Borrows a reader (opening a new connection when none is free; blocks
 * when read_pool_size are all busy). Returns FOUILLE_OK or FOUILLE_EDB /
 * FOUILLE_ENOMEM with the error set. Thread-safe. */
int fouille__store_reader_acquire(fouille_index *index, fouille__reader **out);

/* fouille__store_reader_acquire for a search: fails with FOUILLE_EVERSION
 * (reader given back) when the index, as this connection reads it now, was
 * built by another analyzer or schema version than this library's: a
 * writable handle opened on an old index, or an index rebuilt by another
 * program since the handle was opened. Its terms would not match. */
int fouille__store_reader_acquire_current(fouille_index *index, fouille__reader **out);

/* Gives a reader back (any open read transaction must be finished). */
void fouille__store_reader_release(fouille_index *index, fouille__reader *reader);

/* options_init.c: FOUILLE_OK for NULL options or a known version, else
 * FOUILLE_EINVAL with a message naming the struct. */
int fouille__index_options_check(const fouille_index_options *options);

/* In a read transaction: reads the full-text index's version and, when it
 * is not the one the cache holds for, drops the sizes and counts a new
 * generation. FOUILLE_OK when the cache holds for this snapshot, else an
 * error (set): nothing cached may be used in it. */
int fouille__store_reader_snapshot(fouille__reader *reader);

/* After fouille__store_reader_snapshot succeeded in the same transaction:
 * every row's column sizes, read once per version; NULL when they cannot
 * be had (rowids too sparse, a format fouille__fts5_docsizes_read refuses:
 * FTS5's own per-row lookups are exact). */
const fouille__docsizes *fouille__store_reader_sizes(fouille__reader *reader);

/* After fouille__store_reader_snapshot succeeded in the same transaction:
 * whether fouille__store_reader_sizes would read packed sizes (a few rows,
 * sizes.h) rather than FTS5's records (one row each), or has read them. */
int fouille__store_reader_sizes_cheap(fouille__reader *reader);

/* Frees what the cache holds (the store's own: when a connection closes). */
void fouille__reader_cache_free(fouille__reader_cache *cache);

#endif
