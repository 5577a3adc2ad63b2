/* SQL functions for plain SQLite users of fouille.so: fouille_query(text)
 * turns a user's query into the safe FTS5 expression fouille_search ranks
 * by relevance (any word when there are several: fouille_rank puts the
 * articles holding every word first), e.g.
 *   SELECT … FROM articles_fts WHERE articles_fts MATCH fouille_query(?) */
#include <stdlib.h>

#include "fouille/common.h"
#include "query_private.h"
#include "query_sqlite.h"

static void sql_fouille_query(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *q = (const char *)sqlite3_value_text(argv[0]);
  if (!q || !*q) {
    sqlite3_result_error(ctx, "fouille_query: empty query", -1);
    return;
  }
  char *expr = NULL, *any = NULL;
  int rc = fouille_query_to_fts5(&expr, &any, q);
  if (any) free(expr), expr = any;
  if (rc == FOUILLE_ENOMEM) {
    sqlite3_result_error_nomem(ctx);
  } else if (rc) {
    char *msg = sqlite3_mprintf("fouille_query: %s", fouille_error_last());
    sqlite3_result_error(ctx, msg ? msg : "fouille_query: bad query", -1);
    sqlite3_free(msg);
  } else {
    sqlite3_result_text(ctx, expr, -1, free);
  }
}

int fouille__sql_functions_register(sqlite3 *db) {
  int rc = sqlite3_create_function_v2(db, "fouille_query", 1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                      sql_fouille_query, NULL, NULL, NULL);
  if (rc == SQLITE_OK) /* passage_text.c: passages of any text (hits from elsewhere) */
    rc = sqlite3_create_function_v2(db, "fouille_passages_text", 4,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                    fouille__sql_passages_text, NULL, NULL, NULL);
  return rc;
}
