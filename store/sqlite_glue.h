/* Private: SQLite headers for code built both into the library (SQLITE_CORE,
 * direct calls) and into the loadable module fouille.so (calls through the
 * sqlite3_api table that sqlite3_fouille_init receives). */
#ifndef FOUILLE_SQLITE_GLUE_H
#define FOUILLE_SQLITE_GLUE_H

#include <sqlite3ext.h>
#ifndef SQLITE_CORE
SQLITE_EXTENSION_INIT3
#endif

/* Returns the connection's FTS5 API, or NULL when SQLite lacks FTS5. */
fts5_api *fouille__fts5_api(sqlite3 *db);

/* Registers the "fouille_fr" tokenizer on db: FOUILLE_OK, or FOUILLE_EDB
 * when SQLite lacks FTS5 or refuses. Every store connection has it; the
 * query engine adds its own functions (query/register.c). */
int fouille__fts5_tokenizer_register(sqlite3 *db);

/* Maps a negative FOUILLE_E… status to an SQLite result code. */
int fouille__sqlite_code(int status);

#endif
