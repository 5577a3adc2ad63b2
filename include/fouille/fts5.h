/* Registering Fouille's SQLite functions on a connection of your own. */
#ifndef FOUILLE_FTS5_H
#define FOUILLE_FTS5_H

#include "fouille/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sqlite3;

/* Registers on db: the FTS5 tokenizer "fouille_fr", the FTS5 auxiliary
 * functions fouille_rank() and fouille_passages(), and the SQL function
 * fouille_query(text). Call it once per connection before touching a
 * Fouille table (fouille_index_open does it for its own connections).
 * Nothing is handed back: the functions live as long as db. Returns
 * FOUILLE_OK, or FOUILLE_EDB when SQLite lacks FTS5 or refuses one of the
 * registrations. */
FOUILLE_EXTERN int fouille_fts5_register(struct sqlite3 *db);

#ifdef __cplusplus
}
#endif
#endif
