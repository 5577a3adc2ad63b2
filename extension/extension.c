/* The loadable extension fouille.so: `.load ./fouille` in the sqlite3 shell
 * or load_extension() from any client registers Fouille's tokenizer and
 * functions on that connection. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "error.h"
#include "fouille/fts5.h"

FOUILLE_EXTERN int sqlite3_fouille_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  if (fouille_fts5_register(db) != FOUILLE_OK) {
    if (err) *err = sqlite3_mprintf("fouille: %s", fouille_error_last());
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}
