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

/* fts5_tokenizer.c: registers the "fouille_fr" tokenizer. */
int fouille__fts5_tokenizer_register(fts5_api *api);

/* query/fts5_aux.c: registers the auxiliary functions fouille_rank() and
 * fouille_passages(). */
int fouille__fts5_aux_register(fts5_api *api);

/* query/sql_functions.c: registers the SQL function fouille_query(text). */
int fouille__sql_functions_register(sqlite3 *db);

/* Maps a negative FOUILLE_E… status to an SQLite result code. */
int fouille__sqlite_code(int status);

#endif
