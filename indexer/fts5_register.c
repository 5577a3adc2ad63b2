/* fouille_fts5_register: everything Fouille adds to an SQLite connection,
 * shared by the library's own connections and the loadable extension. */
#include <stddef.h>

#include "error.h"
#include "fouille/fts5.h"
#include "sqlite_glue.h"

fts5_api *fouille__fts5_api(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

FOUILLE_EXTERN int fouille_fts5_register(sqlite3 *db) {
  fts5_api *api = fouille__fts5_api(db);
  if (!api || api->iVersion < 2)
    return fouille__error(FOUILLE_EDB, "this SQLite has no FTS5 (need SQLite 3.40+ with FTS5)");
  if (fouille__fts5_tokenizer_register(api) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "cannot register the fouille_fr tokenizer: %s",
                          sqlite3_errmsg(db));
  if (fouille__fts5_aux_register(api) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "cannot register fouille_rank(), fouille_passages(): %s",
                          sqlite3_errmsg(db));
  if (fouille__sql_functions_register(db) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "cannot register fouille_query(): %s", sqlite3_errmsg(db));
  return FOUILLE_OK;
}
