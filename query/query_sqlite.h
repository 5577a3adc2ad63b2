/* Private: what the query engine registers on an SQLite connection. */
#ifndef FOUILLE_QUERY_SQLITE_H
#define FOUILLE_QUERY_SQLITE_H

#include "sqlite_glue.h"

/* fts5_aux.c: the auxiliary functions fouille_rank() and fouille_passages(). */
int fouille__fts5_aux_register(fts5_api *api);

/* sql_functions.c: the SQL function fouille_query(text). */
int fouille__sql_functions_register(sqlite3 *db);

/* spell_sql.c: the SQL function fouille_suggest(text) (typo tolerance). */
int fouille__sql_suggest_register(sqlite3 *db);

/* passage_text.c: the SQL function fouille_passages_text(text, query, n,
 * length) (registered by fouille__sql_functions_register). */
void fouille__sql_passages_text(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* register.c: both of the above on db, whose tokenizer the store registered
 * (fouille_fts5_register does all three). FOUILLE_OK or FOUILLE_EDB. */
int fouille__query_register(sqlite3 *db);

#endif
