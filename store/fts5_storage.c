/* The only reads of FTS5's private storage: the shadow tables SQLite's
 * FTS5 (3.40) keeps behind articles_fts. FTS5 documents them as internal,
 * so each format relied on is named here with where SQLite's source
 * (ext/fts5/) defines it; what can be checked is checked, and
 * tests/check_fts5_storage.c fails when the format is not this one.
 *
 * - articles_fts_docsize(id INTEGER PRIMARY KEY, sz BLOB), one row per
 *   indexed row (columnsize=1, the default): "sz" holds the row's size in
 *   tokens of each column, in column order, as FTS5 varints (fts5Int.h's
 *   sqlite3Fts5PutVarint / sqlite3Fts5GetVarint32, SQLite's format: 7 bits
 *   a byte, most significant first, the high bit set on every byte but the
 *   last) and nothing else. sqlite3Fts5StorageIndexInsert appends
 *   one varint per column (sqlite3Fts5BufferAppendVarint) and
 *   fts5StorageInsertDocsize stores them; fts5StorageDecodeSizeArray
 *   (fts5_storage.c) reads them back and, like fouille__fts5_docsize_decode,
 *   refuses a blob they do not fill exactly. A record that does not decode
 *   is an error here, and the decoded whole must agree with FTS5's public
 *   API (xRowCount and xColumnTotalSize, from its averages record, and
 *   one row's text tokenized again through xTokenize) before anyone uses
 *   it.
 * - articles_fts_data, id = 10: the structure record (FTS5_STRUCTURE_ROWID,
 *   fts5_index.c): a 4-byte big-endian configuration cookie, then varints
 *   (levels, segments, write counter, the segments of each level). FTS5
 *   rewrites it whenever a change reaches the index's segments (a flush
 *   writes a new level-0 segment, merges and 'optimize' rewrite them), so
 *   the same bytes under the same schema cookie mean the same index. Only
 *   compared as bytes, never parsed; a record shorter than its cookie is
 *   refused.
 *
 * Reading every row's sizes at once costs about a fifth of FTS5's
 * per-row docsize lookup (a B-tree search per match) for each row. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fts5_storage.h"
#include "sqlite_glue.h"

#define NC FOUILLE__FTS5_COLUMNS
#define VARINT_MAX 5 /* bytes: a 32-bit value */
/* fouille__fts5_sizes' answer: columns, rows, totals[NC], the row's sizes[NC]. */
#define FIGURES (2 + 2 * NC)
#define FORMAT_HINT "not the format store/fts5_storage.c reads"
_Static_assert(NC == 2, "the messages name the columns title and body");

/* ---- The docsize records ---------------------------------------------------------- */

void fouille__docsizes_free(fouille__docsizes *ds) {
  if (ds) free(ds->sizes), free(ds);
}

int fouille__fts5_docsize_decode(const unsigned char *blob, int n, int n_col, int *sizes) {
  int at = 0;
  for (int c = 0; c < n_col; c++) {
    unsigned long long v = 0;
    unsigned char b = 0x80;
    for (int k = 0; b & 0x80; k++) {
      if (at >= n || k == VARINT_MAX) return 0;
      b = blob[at++];
      v = (v << 7) | (b & 0x7f);
    }
    if (v > INT_MAX) return 0;
    sizes[c] = (int)v;
  }
  return at == n;
}

static int db_fail(sqlite3 *db, const char *what) {
  return fouille__error(FOUILLE_EDB, "%s: %s", what, sqlite3_errmsg(db));
}

/* min(id), max(id) and count(*) of the docsize records. */
static int docsize_span(sqlite3 *db, long long *lo, long long *hi, long long *rows) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(db, "SELECT min(id), max(id), count(*) FROM articles_fts_docsize", -1, &st,
                         NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW)
    rc = db_fail(db, "reading FTS5's column sizes");
  else
    *lo = sqlite3_column_int64(st, 0), *hi = sqlite3_column_int64(st, 1),
    *rows = sqlite3_column_int64(st, 2);
  sqlite3_finalize(st);
  return rc;
}

/* What fouille__docsize_put() fills: the sizes, and the first record it
 * could not decode. */
typedef struct put_ctx {
  fouille__docsizes *ds;
  long long bad_id;
  int bad_bytes, bad;
} put_ctx;

#define PUT_CTX_TYPE "fouille__docsizes_put_ctx"

/* fouille__docsize_put(ctx, id, sz): decodes one record into ctx's sizes.
 * Called by SQLite for every row of one statement: the scan then costs no
 * sqlite3_step() and column calls per row (a one-shot search reads them
 * all; about a quarter less time than stepping through the rows). */
static void docsize_put(sqlite3_context *sctx, int argc, sqlite3_value **argv) {
  put_ctx *c = sqlite3_value_pointer(argv[0], PUT_CTX_TYPE);
  (void)argc;
  if (!c) {
    sqlite3_result_error(sctx, "fouille__docsize_put: for fouille__fts5_docsizes_read only", -1);
    return;
  }
  long long id = sqlite3_value_int64(argv[1]), i = id - c->ds->first;
  const unsigned char *b = sqlite3_value_blob(argv[2]);
  int n = sqlite3_value_bytes(argv[2]);
  if (i < 0 || i >= c->ds->n || c->bad) return; /* outside the span read in this snapshot: none */
  if (!fouille__fts5_docsize_decode(b, n, NC, c->ds->sizes + i * NC))
    c->bad = 1, c->bad_id = id, c->bad_bytes = n;
}

/* Decodes every record into ds (its span set, every size -1). */
static int docsizes_decode_all(sqlite3 *db, fouille__docsizes *ds) {
  sqlite3_stmt *st = NULL;
  put_ctx c = {ds, 0, 0, 0};
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(db,
                         "SELECT count(fouille__docsize_put(?1, id, sz)) FROM articles_fts_docsize",
                         -1, &st, NULL) != SQLITE_OK)
    return db_fail(db, "reading FTS5's column sizes");
  sqlite3_bind_pointer(st, 1, &c, PUT_CTX_TYPE, NULL);
  if (sqlite3_step(st) != SQLITE_ROW)
    rc = db_fail(db, "reading FTS5's column sizes");
  else if (c.bad)
    rc = fouille__error(FOUILLE_EDB,
                        "articles_fts_docsize: the record of row %lld (%d bytes) is not %d"
                        " varints: " FORMAT_HINT,
                        c.bad_id, c.bad_bytes, NC);
  sqlite3_finalize(st);
  return rc;
}

/* ---- Checked against FTS5's public API -------------------------------------------- */

/* Counts positions as FTS5 does when it indexes a column
 * (fts5StorageInsertCallback): a colocated token shares the last one's. */
static int count_position(void *n, int flags, const char *token, int len, int start, int end) {
  int *size = n;
  (void)token, (void)len, (void)start, (void)end;
  if (!(flags & FTS5_TOKEN_COLOCATED) || *size == 0) ++*size;
  return SQLITE_OK;
}

/* fouille__fts5_sizes(articles_fts[, row]) on one row: FIGURES int64 as a
 * blob, FTS5's own account through its public API: the columns, rows and
 * column totals (its averages record), then, unless row is 0, this row's
 * sizes by tokenizing its text again (xColumnSize only answers in a
 * full-text query). */
static void fts5_sizes(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int argc, sqlite3_value **argv) {
  sqlite3_int64 v[FIGURES] = {api->xColumnCount(fts)};
  int rc = v[0] == NC ? api->xRowCount(fts, &v[1]) : SQLITE_MISMATCH;
  int row = argc < 1 || sqlite3_value_int(argv[0]);
  for (int c = 0; rc == SQLITE_OK && c < NC; c++) {
    const char *text = NULL;
    int len = 0, size = 0;
    rc = api->xColumnTotalSize(fts, c, &v[2 + c]);
    if (rc == SQLITE_OK && row) rc = api->xColumnText(fts, c, &text, &len);
    if (rc == SQLITE_OK && text) rc = api->xTokenize(fts, text, len, &size, count_position);
    v[2 + NC + c] = size;
  }
  if (rc == SQLITE_MISMATCH)
    sqlite3_result_error(ctx, "fouille__fts5_sizes: articles_fts has other columns", -1);
  else if (rc != SQLITE_OK)
    sqlite3_result_error_code(ctx, rc);
  else
    sqlite3_result_blob(ctx, v, (int)sizeof v, SQLITE_TRANSIENT);
}

int fouille__fts5_storage_register(sqlite3 *db) {
  fts5_api *api = fouille__fts5_api(db);
  if (!api || api->iVersion < 2)
    return fouille__error(FOUILLE_EDB, "this SQLite has no FTS5 (need SQLite 3.40+ with FTS5)");
  if (api->xCreateFunction(api, "fouille__fts5_sizes", NULL, fts5_sizes, NULL) != SQLITE_OK)
    return db_fail(db, "cannot register fouille__fts5_sizes()");
  if (sqlite3_create_function(db, "fouille__docsize_put", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                              docsize_put, NULL, NULL) != SQLITE_OK)
    return db_fail(db, "cannot register fouille__docsize_put()");
  return FOUILLE_OK;
}

/* FTS5's figures (fts5_sizes) with, when row, row rowid's sizes. */
static int fts5_figures(sqlite3 *db, long long rowid, int row, sqlite3_int64 *v) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(db,
                         "SELECT fouille__fts5_sizes(articles_fts, ?2) FROM articles_fts"
                         " WHERE rowid = ?1",
                         -1, &st, NULL) != SQLITE_OK)
    return db_fail(db, "checking FTS5's column sizes");
  sqlite3_bind_int64(st, 1, rowid);
  sqlite3_bind_int(st, 2, row);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW && sqlite3_column_bytes(st, 0) == FIGURES * (int)sizeof *v)
    memcpy(v, sqlite3_column_blob(st, 0), FIGURES * sizeof *v);
  else if (step == SQLITE_ROW || step == SQLITE_DONE)
    rc =
        fouille__error(FOUILLE_EDB, "checking FTS5's column sizes: no figures for row %lld", rowid);
  else
    rc = db_fail(db, "checking FTS5's column sizes");
  sqlite3_finalize(st);
  return rc;
}

static int disagree(int packed, const char *what, long long fts5, long long decoded) {
  if (packed)
    return fouille__error(FOUILLE_EDB, "article_sizes: %s: FTS5 counts %lld, the blocks hold %lld",
                          what, fts5, decoded);
  return fouille__error(
      FOUILLE_EDB,
      "articles_fts_docsize: %s: FTS5 counts %lld, the records decode to %lld: " FORMAT_HINT, what,
      fts5, decoded);
}

int fouille__docsizes_check(sqlite3 *db, const fouille__docsizes *ds, int packed) {
  static const char *const total_of[] = {"tokens in all titles", "tokens in all bodies"};
  static const char *const last_of[] = {"tokens in the last title", "tokens in the last body"};
  sqlite3_int64 v[FIGURES];
  long long rows = 0, total[NC] = {0}, last = ds->n - 1;
  int rc = fts5_figures(db, ds->first + last, !packed, v);
  if (rc) return rc;
  for (long long i = 0; i < ds->n; i++) {
    if (ds->sizes[i * NC] < 0) continue;
    rows++;
    for (int c = 0; c < NC; c++) total[c] += ds->sizes[i * NC + c];
  }
  if (rows != v[1]) return disagree(packed, "rows", v[1], rows);
  for (int c = 0; c < NC; c++) {
    if (total[c] != v[2 + c]) return disagree(packed, total_of[c], v[2 + c], total[c]);
    if (!packed && ds->sizes[last * NC + c] != v[2 + NC + c])
      return disagree(packed, last_of[c], v[2 + NC + c], ds->sizes[last * NC + c]);
  }
  return FOUILLE_OK;
}

int fouille__fts5_docsizes_read(sqlite3 *db, fouille__docsizes **out) {
  fouille__docsizes *ds = NULL;
  long long lo = 0, hi = 0, rows = 0;
  int rc = docsize_span(db, &lo, &hi, &rows);
  *out = NULL;
  if (rc || rows == 0 || hi - lo + 1 > 4 * rows + 4096) return rc; /* none, or too sparse */
  if (!(ds = calloc(1, sizeof *ds)) ||
      !(ds->sizes = malloc((size_t)(hi - lo + 1) * NC * sizeof(int)))) {
    fouille__docsizes_free(ds);
    return fouille__error(FOUILLE_ENOMEM, "out of memory reading FTS5's column sizes");
  }
  ds->first = lo, ds->n = hi - lo + 1, ds->n_col = NC;
  memset(ds->sizes, 0xff, (size_t)ds->n * NC * sizeof(int)); /* -1: no record */
  if (!(rc = docsizes_decode_all(db, ds)) && !(rc = fouille__docsizes_check(db, ds, 0)))
    *out = ds, ds = NULL;
  fouille__docsizes_free(ds);
  return rc;
}

static int one_int64(sqlite3 *db, const char *sql, long long *out) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
    rc = db_fail(db, "reading FTS5's column sizes");
  else
    *out = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc;
}

int fouille__fts5_docsize_range(sqlite3 *db, sqlite3_stmt **st, long long lo, int n, int *sizes,
                                int *rows) {
  int s = SQLITE_DONE, bad = 0;
  *rows = 0;
  if (!*st && sqlite3_prepare_v3(db,
                                 "SELECT id, sz FROM articles_fts_docsize"
                                 " WHERE id >= ?1 AND id < ?1 + ?2",
                                 -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
    return db_fail(db, "reading FTS5's column sizes");
  memset(sizes, 0xff, (size_t)n * NC * sizeof *sizes); /* -1: no record */
  sqlite3_bind_int64(*st, 1, lo);
  sqlite3_bind_int64(*st, 2, n);
  while (!bad && (s = sqlite3_step(*st)) == SQLITE_ROW) {
    long long i = sqlite3_column_int64(*st, 0) - lo;
    if (i < 0 || i >= n) continue;
    const unsigned char *b = sqlite3_column_blob(*st, 1);
    bad = !fouille__fts5_docsize_decode(b, sqlite3_column_bytes(*st, 1), NC, sizes + i * NC);
    ++*rows;
  }
  sqlite3_reset(*st);
  if (bad)
    return fouille__error(FOUILLE_EDB,
                          "articles_fts_docsize: a record near row %lld is not %d"
                          " varints: " FORMAT_HINT,
                          lo, NC);
  return s == SQLITE_DONE ? FOUILLE_OK : db_fail(db, "reading FTS5's column sizes");
}

int fouille__fts5_docsize_next(sqlite3 *db, sqlite3_stmt **st, long long from, long long *id,
                               int *found) {
  if (!*st && sqlite3_prepare_v3(db, "SELECT min(id) FROM articles_fts_docsize WHERE id >= ?1", -1,
                                 SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
    return db_fail(db, "reading FTS5's column sizes");
  sqlite3_bind_int64(*st, 1, from);
  int s = sqlite3_step(*st);
  *found = s == SQLITE_ROW && sqlite3_column_type(*st, 0) != SQLITE_NULL;
  *id = *found ? sqlite3_column_int64(*st, 0) : 0;
  sqlite3_reset(*st);
  return s == SQLITE_ROW ? FOUILLE_OK : db_fail(db, "reading FTS5's column sizes");
}

int fouille__fts5_docsize_max_rowid(sqlite3 *db, long long *max) {
  return one_int64(db, "SELECT coalesce(max(id), 0) FROM articles_fts_docsize", max);
}

int fouille__fts5_docsize_count(sqlite3 *db, long long *count) {
  return one_int64(db, "SELECT count(*) FROM articles_fts_docsize", count);
}

/* ---- The structure record ----------------------------------------------------------- */

void fouille__fts5_version_clear(fouille__fts5_version *v) {
  free(v->structure);
  memset(v, 0, sizeof *v);
}

/* Takes the record read (n bytes) as v's version unless v already is it. */
static int version_take(fouille__fts5_version *v, const void *record, int n, long long schema,
                        int *changed) {
  if (v->structure && v->n_structure == n && v->schema == schema &&
      !memcmp(v->structure, record, (size_t)n))
    return FOUILLE_OK;
  *changed = 1;
  fouille__fts5_version_clear(v);
  if (n < 4)
    return fouille__error(FOUILLE_EDB,
                          "articles_fts_data: a structure record of %d bytes: " FORMAT_HINT, n);
  if (!(v->structure = malloc((size_t)n)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory reading FTS5's structure record");
  memcpy(v->structure, record, (size_t)n), v->n_structure = n, v->schema = schema;
  return FOUILLE_OK;
}

int fouille__fts5_version_read(sqlite3 *db, fouille__fts5_version *v, int *changed) {
  sqlite3_stmt *st = NULL;
  int rc;
  *changed = 0;
  if (sqlite3_prepare_v2(db,
                         "SELECT block, (SELECT schema_version FROM pragma_schema_version)"
                         " FROM articles_fts_data WHERE id = 10",
                         -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW) {
    rc = db_fail(db, "reading FTS5's structure record");
  } else {
    const void *record = sqlite3_column_blob(st, 0);
    int n = sqlite3_column_bytes(st, 0);
    rc = version_take(v, record, n, sqlite3_column_int64(st, 1), changed);
  }
  sqlite3_finalize(st);
  return rc;
}
