/* store/fts5_storage.c reads FTS5's private storage. If SQLite ever stores
 * it otherwise, this suite must fail, not the scores drift: the decoded
 * column sizes must equal FTS5's own positions (fts5vocab), records in an
 * unknown layout or with wrong sizes must be refused with a message, and
 * a search over an index whose records are refused must take FTS5's own
 * per-row path and give the same results to the last bit. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "fouille/fts5.h"
#include "fts5_storage.h"
#include "query_private.h"
#include "test_util.h"

static char *dir, *db_path, *copy_path;
static long long z1; /* rowid of the article no query below matches */

static const char *const vocab[] = {"réseau",   "réseaux", "sécurité",   "vélo",   "système",
                                    "fichiers", "mot",     "passe",      "paquet", "debian",
                                    "noyau",    "linux",   "serveur",    "le",     "la",
                                    "des",      "l'État",  "aujourd'hui"};
static const char *const queries[] = {"reseau securite",         "mot de passe",
                                      "systeme fichiers",        "velo",
                                      "installer paquet debian", "noyau linux serveur"};

static unsigned lcg(unsigned *x) { return (*x = *x * 1103515245u + 12345u) >> 16; }

/* 240 varied articles, one of them (z1) of words no query holds. */
static char *corpus(size_t *len) {
  size_t n_vocab = sizeof vocab / sizeof *vocab, at = 0;
  char *buf = malloc(240 * 2000);
  unsigned x = 11;
  for (int i = 0; i < 240; i++) {
    if (i == 120) {
      at += (size_t)sprintf(buf + at, "{\"id\":\"z1\",\"title\":\"Chronique\",\"body\":\"Xylophone"
                                      " et quetzal, ornithorynque.\"}\n");
      continue;
    }
    at += (size_t)sprintf(buf + at, "{\"id\":\"v%03d\",\"title\":\"", i);
    for (unsigned w = 0, n = i % 17 ? 1 + lcg(&x) % 4 : 0; w < n; w++) /* some titles empty */
      at += (size_t)sprintf(buf + at, "%s%s", w ? " " : "", vocab[lcg(&x) % n_vocab]);
    at += (size_t)sprintf(buf + at, "\",\"body\":\"");
    for (unsigned w = 0, n = 3 + lcg(&x) % 150; w < n; w++)
      at += (size_t)sprintf(buf + at, "%s%s", vocab[lcg(&x) % n_vocab], lcg(&x) % 9 ? " " : ". ");
    at += (size_t)sprintf(buf + at, "\"}\n");
  }
  *len = at;
  return buf;
}

static sqlite3 *open_raw(const char *path) { return test_open_raw(path, SQLITE_OPEN_READWRITE); }

/* Builds the index, closes it (no WAL left) and copies it to copy_path. */
static void setup(void) {
  fouille_index *ix;
  size_t len;
  char *data = corpus(&len);
  dir = test_tmpdir();
  db_path = malloc(strlen(dir) + 16), copy_path = malloc(strlen(dir) + 16);
  sprintf(db_path, "%s/index.db", dir), sprintf(copy_path, "%s/copy.db", dir);
  test_write(dir, "arch/a.jsonl", data, len);
  free(data);
  char arch[4096];
  snprintf(arch, sizeof arch, "%s/arch", dir);
  const char *paths[] = {arch};
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  ck_assert_msg(fouille_index_update(NULL, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
  fouille_index_close(ix);
  data = test_read(db_path, &len);
  ck_assert_ptr_nonnull(data);
  test_write(dir, "copy.db", data, len);
  free(data);
  sqlite3 *db = open_raw(db_path);
  sqlite3_stmt *st;
  ck_assert_int_eq(
      sqlite3_prepare_v2(db, "SELECT id FROM articles WHERE key LIKE '%#z1'", -1, &st, NULL),
      SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  z1 = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir), free(db_path), free(copy_path);
}

/* fouille__fts5_docsizes_read in a transaction of its own (or the caller's). */
static int read_sizes(sqlite3 *db, fouille__docsizes **ds) {
  int own = sqlite3_get_autocommit(db);
  if (own) test_exec(db, "BEGIN");
  int rc = fouille__fts5_docsizes_read(db, ds);
  if (own) test_exec(db, "COMMIT");
  return rc;
}

START_TEST(decoded_sizes_equal_fts5_positions) {
  sqlite3 *db = open_raw(db_path);
  fouille__docsizes *ds = NULL;
  ck_assert_msg(read_sizes(db, &ds) == FOUILLE_OK, "%s", fouille_error_last());
  ck_assert_ptr_nonnull(ds);
  ck_assert_int_eq(ds->n_col, 2);
  /* Every position FTS5 indexed, per row and column; a column without a
   * token has none (size 0). */
  test_exec(db, "CREATE VIRTUAL TABLE temp.inst USING fts5vocab(main, articles_fts, instance)");
  sqlite3_stmt *st;
  ck_assert_int_eq(
      sqlite3_prepare_v2(db,
                         "SELECT a.id, (SELECT count(DISTINCT offset) FROM temp.inst WHERE"
                         " doc = a.id AND col = 'title'), (SELECT count(DISTINCT offset) FROM"
                         " temp.inst WHERE doc = a.id AND col = 'body') FROM articles a",
                         -1, &st, NULL),
      SQLITE_OK);
  long long rows = 0, zero_titles = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    long long i = sqlite3_column_int64(st, 0) - ds->first;
    ck_assert(i >= 0 && i < ds->n);
    for (int c = 0; c < 2; c++)
      ck_assert_msg(ds->sizes[i * 2 + c] == sqlite3_column_int(st, 1 + c),
                    "row %lld column %d: decoded %d, FTS5 indexed %d positions", i + ds->first, c,
                    ds->sizes[i * 2 + c], sqlite3_column_int(st, 1 + c));
    zero_titles += ds->sizes[i * 2] == 0;
    rows++;
  }
  sqlite3_finalize(st);
  ck_assert_int_eq(rows, 240);
  ck_assert_int_gt(zero_titles, 5); /* the empty titles */
  long long holding = 0;
  for (long long i = 0; i < ds->n; i++) holding += ds->sizes[i * 2] >= 0;
  ck_assert_int_eq(holding, rows);
  fouille__docsizes_free(ds);
  sqlite3_close(db);
}
END_TEST

static void expect_refused(sqlite3 *db, const char *corruption, const char *message) {
  fouille__docsizes *ds = (fouille__docsizes *)1;
  test_exec(db, "BEGIN");
  test_exec(db, corruption);
  int rc = read_sizes(db, &ds);
  ck_assert_msg(rc == FOUILLE_EDB, "%s: read gave %d, not FOUILLE_EDB", corruption, rc);
  ck_assert_msg(ds == NULL, "%s: sizes handed out", corruption);
  ck_assert_msg(strstr(fouille_error_last(), "articles_fts_docsize") &&
                    strstr(fouille_error_last(), "not the format store/fts5_storage.c reads") &&
                    strstr(fouille_error_last(), message),
                "%s: message '%s' lacks '%s'", corruption, fouille_error_last(), message);
  test_exec(db, "ROLLBACK");
}

START_TEST(unknown_layouts_refused) {
  sqlite3 *db = open_raw(copy_path);
  char sql[256], row[64];
  snprintf(row, sizeof row, "the record of row %lld", z1);
  static const char *const one_row[] = {
      "sz = x'ffffffffffffff'", /* a varint longer than 32 bits */
      "sz = substr(sz, 1, 1)",  /* one column */
      "sz = NULL",
      "sz = x''",
      "sz = x'0380'", /* unfinished varint */
  };
  for (size_t i = 0; i < sizeof one_row / sizeof *one_row; i++) {
    snprintf(sql, sizeof sql, "UPDATE articles_fts_docsize SET %s WHERE id = %lld", one_row[i], z1);
    expect_refused(db, sql, row);
  }
  /* A layout with one field more in every record. */
  expect_refused(db, "UPDATE articles_fts_docsize SET sz = sz || x'00'", "the record of row");
  sqlite3_close(db);
}
END_TEST

static void record_get(sqlite3 *db, long long id, int *sizes) {
  sqlite3_stmt *st;
  ck_assert_int_eq(
      sqlite3_prepare_v2(db, "SELECT sz FROM articles_fts_docsize WHERE id = ?1", -1, &st, NULL),
      SQLITE_OK);
  sqlite3_bind_int64(st, 1, id);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert(fouille__fts5_docsize_decode(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0), 2,
                                         sizes));
  sqlite3_finalize(st);
}

/* UPDATE … SET sz = the two sizes as varints. */
static void record_sql(char *sql, size_t cap, long long id, const int *sizes) {
  char hex[64], *o = hex;
  for (int c = 0; c < 2; c++) {
    unsigned v = (unsigned)sizes[c];
    int k = 1;
    while (k < 5 && v >> (7 * k)) k++;
    for (int b = k - 1; b >= 0; b--)
      o += sprintf(o, "%02x", ((v >> (7 * b)) & 0x7f) | (b ? 0x80 : 0));
  }
  snprintf(sql, cap, "UPDATE articles_fts_docsize SET sz = x'%s' WHERE id = %lld", hex, id);
}

START_TEST(wrong_sizes_refused) {
  sqlite3 *db = open_raw(copy_path);
  char sql[2][256];
  int zs[2], ls[2];
  long long last = 0;
  ck_assert_int_eq(fouille__fts5_docsize_max_rowid(db, &last), FOUILLE_OK);
  record_get(db, z1, zs), record_get(db, last, ls);
  record_sql(sql[0], sizeof sql[0], z1, (int[]){zs[0] + 1, zs[1]});
  expect_refused(db, sql[0], "tokens in all titles");
  /* Totals kept: the last row is tokenized again. */
  record_sql(sql[0], sizeof sql[0], z1, (int[]){zs[0], zs[1] + 1});
  record_sql(sql[1], sizeof sql[1], last, (int[]){ls[0], ls[1] - 1});
  char both[600];
  snprintf(both, sizeof both, "%s; %s", sql[0], sql[1]);
  expect_refused(db, both, "tokens in the last body");
  snprintf(sql[0], sizeof sql[0], "DELETE FROM articles_fts_docsize WHERE id = %lld", z1);
  expect_refused(db, sql[0], "rows");
  /* Unchanged, it reads. */
  fouille__docsizes *ds = NULL;
  ck_assert_msg(read_sizes(db, &ds) == FOUILLE_OK && ds, "%s", fouille_error_last());
  fouille__docsizes_free(ds);
  sqlite3_close(db);
}
END_TEST

/* Every query, a few pages, three times (the sizes are read ahead). */
static void search_all(fouille_index *ix, fouille_results **out) {
  static const int pages[][2] = {{10, 0}, {3, 2}, {1000, 0}};
  size_t k = 0;
  for (int rep = 0; rep < 3; rep++)
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
      for (size_t p = 0; p < sizeof pages / sizeof *pages; p++, k++) {
        fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
        o.limit = pages[p][0], o.offset = pages[p][1], o.passages = p == 0;
        ck_assert_msg(fouille_search(&out[k], ix, queries[q], &o) == FOUILLE_OK, "%s: %s",
                      queries[q], fouille_error_last());
      }
}

#define N_SEARCHES (3 * 6 * 3)

static void same_results(const fouille_results *a, const fouille_results *b) {
  const char *q = fouille_results_query(a);
  ck_assert_msg(fouille_results_total(a) == fouille_results_total(b), "%s: totals differ", q);
  ck_assert_int_eq(fouille_results_fallback(a), fouille_results_fallback(b));
  ck_assert_uint_eq(fouille_results_count(a), fouille_results_count(b));
  for (size_t i = 0; i < fouille_results_count(a); i++) {
    const fouille_hit *x = fouille_results_hit(a, i), *y = fouille_results_hit(b, i);
    ck_assert_msg(strcmp(x->key, y->key) == 0, "%s: hit %zu: %s, not %s", q, i, y->key, x->key);
    ck_assert_msg(x->score == y->score, "%s: %s scored %.17g, not %.17g", q, x->key, y->score,
                  x->score);
    ck_assert_uint_eq(x->n_passages, y->n_passages);
    for (size_t p = 0; p < x->n_passages; p++)
      ck_assert_str_eq(x->passages[p].text, y->passages[p].text);
  }
}

/* The query never matches z1, whose record is garbage in the copy. */
static void misses_z1(sqlite3 *db, const char *expr) {
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT count(*) FROM articles_fts WHERE articles_fts"
                                      " MATCH ?1 AND rowid = ?2",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, z1);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
  sqlite3_finalize(st);
}

START_TEST(refused_sizes_same_results) {
  static fouille_results *base[N_SEARCHES], *fallen[N_SEARCHES];
  fouille_index *ix, *cx;
  char sql[128];
  sqlite3 *db = open_raw(copy_path);
  snprintf(sql, sizeof sql, "UPDATE articles_fts_docsize SET sz = x'ffffffffffff' WHERE id = %lld",
           z1);
  test_exec(db, sql);
  /* Without packed sizes (store/sizes.c), as an older Fouille wrote it: the
   * records are what a search reads. */
  test_exec(db, "DELETE FROM article_sizes");
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_open(&cx, copy_path, NULL), FOUILLE_OK);
  unsigned long runs = fouille__search_bounded_runs();
  search_all(ix, base);
  unsigned long exact_runs = fouille__search_bounded_runs() - runs;
  search_all(cx, fallen);
  /* The original answered from the sizes (bounds); the copy could not. */
  ck_assert_uint_gt(exact_runs, 10);
  ck_assert_uint_eq(fouille__search_bounded_runs() - runs, exact_runs);
  for (size_t k = 0; k < N_SEARCHES; k++) {
    misses_z1(db, fouille_results_expression(base[k]));
    same_results(base[k], fallen[k]);
    fouille_results_free(base[k]), fouille_results_free(fallen[k]);
  }
  fouille_index_close(ix), fouille_index_close(cx);
  sqlite3_close(db);
}
END_TEST

int main(void) {
  Suite *s = suite_create("fts5_storage");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, decoded_sizes_equal_fts5_positions);
  tcase_add_test(tc, unknown_layouts_refused);
  tcase_add_test(tc, wrong_sizes_refused);
  tcase_add_test(tc, refused_sizes_same_results);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
