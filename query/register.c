/* Everything Fouille adds to an SQLite connection: the store's tokenizer,
 * then the query engine's FTS5 auxiliary functions and SQL function. Shared
 * by the library's read connections and the loadable extension. */
#include <stddef.h>

#include "error.h"
#include "fouille/fts5.h"
#include "query_sqlite.h"

int fouille__query_register(sqlite3 *db) {
  fts5_api *api = fouille__fts5_api(db);
  if (!api || api->iVersion < 2)
    return fouille__error(FOUILLE_EDB, "this SQLite has no FTS5 (need SQLite 3.40+ with FTS5)");
  if (fouille__fts5_aux_register(api) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "cannot register fouille_rank(), fouille_passages(): %s",
                          sqlite3_errmsg(db));
  if (fouille__sql_functions_register(db) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "cannot register fouille_query(): %s", sqlite3_errmsg(db));
  if (fouille__sql_suggest_register(db) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "cannot register fouille_suggest(): %s", sqlite3_errmsg(db));
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_fts5_register(sqlite3 *db) {
  int rc = fouille__fts5_tokenizer_register(db);
  return rc ? rc : fouille__query_register(db);
}
