/* Private: the store's connections, as the layers above use them. The
 * schema (store/schema.c creates it) is their contract:
 *
 *   meta(key TEXT PRIMARY KEY, value TEXT)   -- schema_version, analyzer_version, last_run…
 *   files(id INTEGER PRIMARY KEY, path TEXT UNIQUE, size, mtime_ns, hash, status, error)
 *   articles(id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, file_id INTEGER,
 *            title TEXT, date TEXT, source TEXT, url TEXT, author TEXT, tags TEXT,
 *            body TEXT, hash INTEGER)       -- indexes on date and source
 *   articles_fts USING fts5(title, body, content='articles', content_rowid='id',
 *            tokenize='fouille_fr')          -- column 0 title, column 1 body
 *   articles_vocab USING fts5vocab(articles_fts, 'row')   -- term, doc, cnt
 */
#ifndef FOUILLE_STORE_H
#define FOUILLE_STORE_H

#include <sqlite3.h>

#include "fouille/analyzer.h"
#include "fouille/index.h"

/* A read connection from the handle's pool, with an analyzer (small stem
 * cache) for the same thread to use while it holds the connection. */
typedef struct fouille__reader {
  sqlite3 *db;                /* read-only, the fouille_fr tokenizer registered */
  fouille_analyzer *analyzer; /* not shared: yours until release */
  int functions_registered;   /* set by the query engine once it added its functions */
} fouille__reader;

/* Borrows a reader (opening a new connection when none is free; blocks
 * when read_pool_size are all busy). Returns FOUILLE_OK or FOUILLE_EDB /
 * FOUILLE_ENOMEM with the error set. Thread-safe. */
int fouille__store_reader_acquire(fouille_index *index, fouille__reader **out);

/* Gives a reader back (any open read transaction must be finished). */
void fouille__store_reader_release(fouille_index *index, fouille__reader *reader);

/* options_init.c: FOUILLE_OK for NULL options or a known version, else
 * FOUILLE_EINVAL with a message naming the struct. */
int fouille__index_options_check(const fouille_index_options *options);

#endif
