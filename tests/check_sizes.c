/* store/sizes.c: the packed column sizes. After every kind of write (first
 * build, edits, deletions, additions, a rebuild, the writer, deletion by
 * key, optimize, forget, an index of an older Fouille written again) the
 * blocks must be in use (their stamp is the index's version: a write path
 * that skipped their upkeep fails here) and equal FTS5's docsize records;
 * a write by another program must make them unused, a damaged block must
 * be refused, and searches must give the same hits and scores to the last
 * bit with and without them. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "fouille/fts5.h"
#include "fts5_storage.h"
#include "query_private.h"
#include "sizes.h"
#include "test_util.h"

static char *dir, *db_path, *root;
static fouille_index *ix;

static const char *const vocab[] = {"réseau", "sécurité", "vélo",   "système", "fichiers",
                                    "mot",    "passe",    "paquet", "debian",  "noyau",
                                    "linux",  "serveur",  "le",     "des",     "aujourd'hui"};
static const char *const queries[] = {"reseau securite", "mot de passe", "noyau linux serveur",
                                      "velo", "systeme fichiers"};

static unsigned lcg(unsigned *x) { return (*x = *x * 1103515245u + 12345u) >> 16; }

/* n JSON lines (ids from first), seeded: some titles empty, one title of
 * 300 words (2-byte entries) when long_one, bodies of 0 to 400 words. */
static char *lines(int first, int n, unsigned seed, int long_one, size_t *len) {
  size_t n_vocab = sizeof vocab / sizeof *vocab, at = 0;
  char *buf = malloc((size_t)n * 4000 + 8000);
  for (int i = first; i < first + n; i++) {
    unsigned x = seed + (unsigned)i * 7919u;
    unsigned nt = long_one && i == first + 3 ? 300 : i % 13 ? lcg(&x) % 6 : 0;
    at += (size_t)sprintf(buf + at, "{\"id\":\"a%05d\",\"title\":\"", i);
    for (unsigned w = 0; w < nt; w++)
      at += (size_t)sprintf(buf + at, "%s%s", w ? " " : "", vocab[lcg(&x) % n_vocab]);
    at += (size_t)sprintf(buf + at, "\",\"body\":\"");
    for (unsigned w = 0, nb = lcg(&x) % 400; w < nb; w++)
      at += (size_t)sprintf(buf + at, "%s ", vocab[lcg(&x) % n_vocab]);
    at += (size_t)sprintf(buf + at, "\"}\n");
  }
  *len = at;
  return buf;
}

static void write_lines(const char *name, int first, int n, unsigned seed, int long_one) {
  size_t len;
  char *data = lines(first, n, seed, long_one, &len);
  test_write(root, name, data, len);
  free(data);
}

static void update_with(int rebuild, int optimize) {
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  const char *paths[] = {root};
  o.rebuild = rebuild;
  o.optimize = optimize;
  ck_assert_msg(fouille_index_update(NULL, ix, paths, 1, &o) == FOUILLE_OK, "%s",
                fouille_error_last());
}

static void update(int rebuild) { update_with(rebuild, 0); }

static void setup(void) {
  dir = test_tmpdir();
  db_path = malloc(strlen(dir) + 16), root = malloc(strlen(dir) + 16);
  sprintf(db_path, "%s/index.db", dir), sprintf(root, "%s/arch", dir);
  write_lines("a.jsonl", 0, 700, 1, 1); /* three blocks */
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  update(0);
}

static void teardown(void) {
  fouille_index_close(ix);
  test_rmtree(dir);
  free(dir), free(db_path), free(root);
}

static sqlite3 *open_raw(int flags) { return test_open_raw(db_path, flags); }

/* In one read transaction: the packed read's status, and (when it gave
 * sizes) that they equal the docsize records'. */
static int packed_status(void) {
  sqlite3 *db = open_raw(SQLITE_OPEN_READONLY);
  fouille__fts5_version v = {0};
  fouille__docsizes *packed = NULL, *records = NULL;
  int changed = 0;
  test_exec(db, "BEGIN");
  ck_assert_int_eq(fouille__fts5_version_read(db, &v, &changed), FOUILLE_OK);
  int rc = fouille__sizes_read(db, &v, &packed);
  ck_assert_msg(fouille__fts5_docsizes_read(db, &records) == FOUILLE_OK && records, "%s",
                fouille_error_last());
  test_exec(db, "COMMIT");
  if (rc == FOUILLE_OK) {
    ck_assert_ptr_nonnull(packed);
    ck_assert_int_eq(packed->first, records->first);
    ck_assert_int_eq(packed->n, records->n);
    for (long long i = 0; i < records->n * 2; i++)
      ck_assert_msg(packed->sizes[i] == records->sizes[i], "row %lld column %lld: %d, not %d",
                    records->first + i / 2, i % 2, packed->sizes[i], records->sizes[i]);
  }
  fouille__docsizes_free(packed), fouille__docsizes_free(records);
  fouille__fts5_version_clear(&v);
  sqlite3_close(db);
  return rc;
}

static void packed_in_use(const char *after) {
  int rc = packed_status();
  ck_assert_msg(rc == FOUILLE_OK, "after %s: the packed sizes are not in use (%d: %s)", after, rc,
                rc == FOUILLE_EDB ? fouille_error_last() : "no stamp of this version");
}

START_TEST(first_build_and_widths) {
  packed_in_use("the first build");
  sqlite3 *db = open_raw(SQLITE_OPEN_READONLY);
  sqlite3_stmt *st;
  /* Block 0 holds the 300-word title: 2-byte titles; bodies of up to 400. */
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT hex(substr(sizes, 1, 2)), count(*) OVER ()"
                                      " FROM article_sizes WHERE block >= 0 ORDER BY block",
                                      -1, &st, NULL),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "0202");
  ck_assert_int_eq(sqlite3_column_int(st, 1), 3);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "0102");
  sqlite3_finalize(st);
  sqlite3_close(db);
}
END_TEST

/* A few rows changed in place: their blocks patched, row by row. */
START_TEST(few_changes_patched) {
  char path[4096];
  size_t len;
  snprintf(path, sizeof path, "%s/a.jsonl", root);
  char *data = test_read(path, &len), *fixed = malloc(len + 64), *at = strstr(data, "\"body\":\"");
  size_t head = (size_t)(at - data) + 8;
  memcpy(fixed, data, head);
  memcpy(fixed + head, "vélo vélo ", 11);
  memcpy(fixed + head + 11, data + head, len - head); /* the first body two words longer */
  test_write(root, "a.jsonl", fixed, len + 11);
  free(data), free(fixed);
  update(0);
  packed_in_use("one body changed");
  write_lines("c.jsonl", 5000, 1, 9, 0);
  update(0);
  packed_in_use("one article added");
}
END_TEST

START_TEST(incremental_changes) {
  /* Edits (other seeds), deletions (fewer lines), additions (another file). */
  write_lines("a.jsonl", 0, 500, 2, 0);
  write_lines("b.jsonl", 1000, 300, 3, 0);
  update(0);
  packed_in_use("edits, deletions and additions");
  char path[4096];
  snprintf(path, sizeof path, "%s/b.jsonl", root);
  ck_assert_int_eq(remove(path), 0);
  write_lines("a.jsonl", 0, 520, 4, 0);
  update(0);
  packed_in_use("a file removed");
  update(1);
  packed_in_use("a rebuild");
}
END_TEST

START_TEST(writer_delete_optimize_forget) {
  fouille_writer *w;
  fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", NULL), FOUILLE_OK);
  a.title = "Le réseau", a.body = "Sécurité du réseau et mot de passe.";
  ck_assert_int_eq(fouille_writer_put(w, "k1", &a), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_put(w, "k2", &a), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_commit(w), FOUILLE_OK);
  packed_in_use("the writer's puts");
  a.body = "Un vélo.";
  ck_assert_int_eq(fouille_writer_put(w, "k1", &a), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_delete(w, "k2"), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  packed_in_use("the writer's replace and delete");
  ck_assert_int_eq(fouille_index_delete(ix, "a.jsonl#a00200"), FOUILLE_OK);
  packed_in_use("a deletion by key");
  ck_assert_int_eq(fouille_index_optimize(ix), FOUILLE_OK);
  packed_in_use("optimize");
  ck_assert_int_eq(fouille_index_forget(NULL, ix, "flux", NULL), FOUILLE_OK);
  packed_in_use("forget");
}
END_TEST

/* An update that optimizes opens a second log inside its own: both see
 * the rows written, and the connection's hook is whole afterwards (the
 * writes that follow, on every path, are seen). */
START_TEST(optimize_inside_an_update) {
  write_lines("a.jsonl", 0, 650, 5, 0);
  update_with(0, 1);
  packed_in_use("an update with optimize");
  write_lines("b.jsonl", 2000, 40, 6, 0);
  update(0);
  packed_in_use("an update after it");
  ck_assert_int_eq(fouille_index_delete(ix, "a.jsonl#a00010"), FOUILLE_OK);
  packed_in_use("a deletion after it");
  fouille_writer *w;
  fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", NULL), FOUILLE_OK);
  a.title = "Le réseau", a.body = "Sécurité du réseau.";
  ck_assert_int_eq(fouille_writer_put(w, "k1", &a), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  packed_in_use("the writer after it");
}
END_TEST

/* Two logs on one connection, the second opened inside the first's span:
 * a row rewritten meanwhile is marked in the first too (its block patched
 * before the stamp), and once both are freed the connection has no hook
 * left (a later write must not reach a freed or missing log). */
START_TEST(nested_logs) {
  const char *rewrite = "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                        " SELECT 'delete', id, title, body FROM articles WHERE id = 5;"
                        " UPDATE articles SET body = body || ' vélo vélo vélo' WHERE id = 5;"
                        " INSERT INTO articles_fts(rowid, title, body)"
                        " SELECT id, title, body FROM articles WHERE id = 5";
  fouille_index_close(ix), ix = NULL;
  sqlite3 *db = open_raw(SQLITE_OPEN_READWRITE);
  fouille__sizes_log *outer = NULL, *inner = NULL;
  ck_assert_int_eq(fouille__sizes_log_open(&outer, db, db_path), FOUILLE_OK);
  test_exec(db, "BEGIN IMMEDIATE");
  ck_assert_int_eq(fouille__sizes_begin(outer), FOUILLE_OK);
  ck_assert_int_eq(fouille__sizes_log_open(&inner, db, db_path), FOUILLE_OK);
  test_exec(db, rewrite);
  fouille__sizes_log_free(inner);
  ck_assert_int_eq(fouille__sizes_commit(outer), FOUILLE_OK);
  test_exec(db, "COMMIT");
  fouille__sizes_log_free(outer);
  packed_in_use("a row rewritten under nested logs");
  test_exec(db, rewrite); /* no log now: the blocks fall out of use */
  ck_assert_int_ne(packed_status(), FOUILLE_OK);
  sqlite3_close(db);
}
END_TEST

START_TEST(older_index_filled_by_next_write) {
  sqlite3 *db = open_raw(SQLITE_OPEN_READWRITE);
  test_exec(db, "DROP TABLE article_sizes"); /* as an index of e26eedf and before */
  sqlite3_close(db);
  ck_assert_int_eq(packed_status(), FOUILLE_ENOTFOUND);
  update(0); /* nothing changed in the files */
  packed_in_use("a run on an index without them");
}
END_TEST

START_TEST(other_writers_make_them_unused) {
  sqlite3 *db = open_raw(SQLITE_OPEN_READWRITE);
  /* Another program rewrites an article through FTS5 (external content). */
  test_exec(db, "BEGIN;"
                "INSERT INTO articles_fts(articles_fts, rowid, title, body) SELECT 'delete', id,"
                " title, body FROM articles WHERE id = 5;"
                "UPDATE articles SET body = body || ' mot de passe' WHERE id = 5;"
                "INSERT INTO articles_fts(rowid, title, body) SELECT id, title, body FROM articles"
                " WHERE id = 5; COMMIT");
  sqlite3_close(db);
  ck_assert_int_eq(packed_status(), FOUILLE_ENOTFOUND);
  update(0);
  packed_in_use("a run after another program's write");
}
END_TEST

START_TEST(damaged_blocks_refused) {
  sqlite3 *db = open_raw(SQLITE_OPEN_READWRITE);
  static const char *const damage[] = {
      /* the first row's body one token longer (totals differ) */
      "UPDATE article_sizes SET sizes = substr(sizes, 1, 4) || x'ff' || substr(sizes, 6)"
      " WHERE block = 0",
      "UPDATE article_sizes SET sizes = x'05' WHERE block = 1",          /* a width of 5 */
      "UPDATE article_sizes SET sizes = sizes || x'00' WHERE block = 1", /* not whole rows */
      "UPDATE article_sizes SET sizes = x'0101' WHERE block = 1",        /* no row */
      "UPDATE article_sizes SET sizes = x'01010100' WHERE block = 1",    /* half a row */
      "UPDATE article_sizes SET block = 9 WHERE block = 2",              /* rows moved */
  };
  for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
    test_exec(db, "BEGIN");
    test_exec(db, damage[i]);
    test_exec(db, "COMMIT");
    ck_assert_msg(packed_status() == FOUILLE_EDB, "%s: not refused", damage[i]);
    ck_assert_msg(fouille_index_check(ix) == FOUILLE_EDB, "%s: --check passes", damage[i]);
    test_exec(db, "BEGIN");
    test_exec(db, "DELETE FROM article_sizes");
    test_exec(db, "COMMIT");
    update(1);
  }
  sqlite3_close(db);
}
END_TEST

/* Two rows' sizes swapped in a block: totals, row count and last row as
 * FTS5 has them, so a search cannot tell (only a write of this table behind
 * Fouille's back does that); the check compares every row. */
START_TEST(check_compares_every_row) {
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_OK);
  sqlite3 *db = open_raw(SQLITE_OPEN_READWRITE);
  test_exec(db, "UPDATE article_sizes SET sizes = substr(sizes, 1, 2) || substr(sizes, 6, 3) ||"
                " substr(sizes, 3, 3) || substr(sizes, 9) WHERE block = 1");
  sqlite3_close(db);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_EDB);
  ck_assert_msg(strstr(fouille_error_last(), "packed column sizes differ"), "%s",
                fouille_error_last());
}
END_TEST

/* Every query, three pages, three times. */
#define N_SEARCHES (3 * 5 * 3)
static void search_all(fouille_index *index, fouille_results **out) {
  static const int pages[][2] = {{10, 0}, {3, 2}, {1000, 0}};
  size_t k = 0;
  for (int rep = 0; rep < 3; rep++)
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
      for (size_t p = 0; p < 3; p++, k++) {
        fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
        o.limit = pages[p][0], o.offset = pages[p][1];
        ck_assert_msg(fouille_search(&out[k], index, queries[q], &o) == FOUILLE_OK, "%s: %s",
                      queries[q], fouille_error_last());
      }
}

START_TEST(same_results_without_them) {
  static fouille_results *packed[N_SEARCHES], *records[N_SEARCHES];
  unsigned long runs = fouille__search_bounded_runs();
  search_all(ix, packed);
  unsigned long with = fouille__search_bounded_runs() - runs;
  sqlite3 *db = open_raw(SQLITE_OPEN_READWRITE);
  test_exec(db, "DROP TABLE article_sizes");
  sqlite3_close(db);
  fouille_index *ro;
  fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
  o.read_only = 1;
  ck_assert_int_eq(fouille_index_open(&ro, db_path, &o), FOUILLE_OK);
  search_all(ro, records);
  ck_assert_uint_gt(with, 10);
  ck_assert_uint_eq(fouille__search_bounded_runs() - runs, 2 * with);
  for (size_t k = 0; k < N_SEARCHES; k++) {
    const fouille_results *a = packed[k], *b = records[k];
    ck_assert_uint_eq(fouille_results_total(a), fouille_results_total(b));
    ck_assert_uint_eq(fouille_results_count(a), fouille_results_count(b));
    for (size_t i = 0; i < fouille_results_count(a); i++) {
      const fouille_hit *x = fouille_results_hit(a, i), *y = fouille_results_hit(b, i);
      ck_assert_str_eq(x->key, y->key);
      ck_assert_msg(!memcmp(&x->score, &y->score, sizeof x->score), "%s: %.17g, not %.17g", x->key,
                    y->score, x->score);
    }
    fouille_results_free(packed[k]), fouille_results_free(records[k]);
  }
  fouille_index_close(ro);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sizes");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, first_build_and_widths);
  tcase_add_test(tc, few_changes_patched);
  tcase_add_test(tc, incremental_changes);
  tcase_add_test(tc, writer_delete_optimize_forget);
  tcase_add_test(tc, optimize_inside_an_update);
  tcase_add_test(tc, nested_logs);
  tcase_add_test(tc, older_index_filled_by_next_write);
  tcase_add_test(tc, other_writers_make_them_unused);
  tcase_add_test(tc, damaged_blocks_refused);
  tcase_add_test(tc, check_compares_every_row);
  tcase_add_test(tc, same_results_without_them);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
