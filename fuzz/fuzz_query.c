/* libFuzzer target: arbitrary text through the query parser. Every
 * expression it produces must be accepted by FTS5 (run against a small
 * in-memory table using the fouille_fr tokenizer); otherwise the parser must
 * fail cleanly with FOUILLE_EPARSE/ETOOBIG and a message. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/fts5.h"
#include "query_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *open_db(void) {
  static const char *const schema =
      "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='fouille_fr');"
      "INSERT INTO t VALUES('Le climat change', 'Les élections à Paris, l''été dernier.');"
      "INSERT INTO t VALUES('Économie', 'La croissance reprend « enfin » selon l''Insee.');";
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK || fouille_fts5_register(db) != FOUILLE_OK ||
      sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
    fprintf(stderr, "fuzz_query: setup failed: %s\n", db ? sqlite3_errmsg(db) : "no db");
    abort();
  }
  return db;
}

static void must_run(sqlite3 *db, const char *expr) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, "SELECT rowid, bm25(t) FROM t WHERE t MATCH ?1", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) {
    fprintf(stderr, "fuzz_query: FTS5 rejected [%s]: %s\n", expr, sqlite3_errmsg(db));
    abort();
  }
  sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sqlite3 *db;
  if (!db) db = open_db();
  char *q = malloc(size + 1);
  if (!q) return 0;
  memcpy(q, data, size);
  q[size] = '\0';
  fouille__parsed p;
  memset(&p, 0, sizeof p);
  int rc = fouille__query_parse(q, &p);
  if (rc == FOUILLE_OK) {
    if (!p.expr) abort();
    must_run(db, p.expr);
    if (p.fallback) must_run(db, p.fallback);
    for (size_t i = 0; i < p.n_terms; i++)
      if (!p.terms[i].text) abort();
    fouille__parsed_free(&p);
  } else if (rc == FOUILLE_EPARSE || rc == FOUILLE_ETOOBIG) {
    const char *msg = fouille_error_last();
    if (!msg || !*msg || strchr(msg, '\n')) {
      fprintf(stderr, "fuzz_query: status %d without a one-line message\n", rc);
      abort();
    }
  } else {
    fprintf(stderr, "fuzz_query: unexpected status %d\n", rc);
    abort();
  }
  free(q);
  return 0;
}
