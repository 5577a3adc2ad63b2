/* The change log and fouille_export_bulk through the C API: the writer's
 * puts and deletes, fouille_index_delete, directory updates, a rebuild,
 * compaction; the log always matches the articles; the NDJSON's shape,
 * cursors, bad cursors, write errors, invalid UTF-8 mended, upgrades
 * from schemas 3 and 4. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/export.h"
#include "fouille/index.h"
#include "fouille/query.h"
#include "test_util.h"

static char *dir;
static char db[4200];

static void setup(void) {
  dir = test_tmpdir();
  snprintf(db, sizeof db, "%s/index.db", dir);
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir);
}

/* The first column of the first row of sql, as an integer. */
static long long one(const char *sql) {
  sqlite3 *c = NULL;
  sqlite3_stmt *st = NULL;
  long long v = -1;
  ck_assert_int_eq(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(c);
  return v;
}

/* The log matches the articles: its live rows are exactly theirs (by row
 * id), its deleted keys none of theirs, each row one or the other. */
static void assert_log_exact(void) {
  ck_assert_int_eq(one("SELECT count(*) FROM (SELECT id FROM changes WHERE id IS NOT NULL"
                       " EXCEPT SELECT id FROM articles)"),
                   0);
  ck_assert_int_eq(one("SELECT count(*) FROM (SELECT id FROM articles"
                       " EXCEPT SELECT id FROM changes)"),
                   0);
  ck_assert_int_eq(one("SELECT count(*) FROM changes c JOIN articles a ON a.key=c.key"), 0);
  ck_assert_int_eq(one("SELECT count(*) FROM changes WHERE (id IS NULL) = (key IS NULL)"), 0);
}

static int to_buf(const char *data, size_t len, void *payload) {
  FILE *f = payload;
  return fwrite(data, 1, len, f) == len ? 0 : FOUILLE_EIO;
}

/* Exports since `since` into a malloc'd string. */
static char *export(fouille_index *ix, uint64_t since, fouille_export_summary *s) {
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  int rc = fouille_export_bulk(s, ix, since, to_buf, f, NULL);
  fclose(f);
  ck_assert_msg(rc == FOUILLE_OK, "export: %s", fouille_error_last());
  return out;
}

static int fail_write(const char *data, size_t len, void *payload) {
  (void)data, (void)len, (void)payload;
  return FOUILLE_EIO;
}

static void put(fouille_writer *w, const char *key, const char *body) {
  fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
  a.title = "Titre";
  a.body = body;
  a.source = "AFP";
  ck_assert_msg(fouille_writer_put(w, key, &a) == FOUILLE_OK, "%s", fouille_error_last());
}

START_TEST(writer_and_delete) {
  fouille_index *ix = NULL;
  fouille_writer *w = NULL;
  fouille_export_summary s = FOUILLE_EXPORT_SUMMARY_INIT;
  uint64_t c0 = 99, c1;
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_export_cursor(&c0, ix), FOUILLE_OK);
  ck_assert_int_eq(c0, 0);
  char *out = export(ix, 0, &s);
  ck_assert_str_eq(out, ""); /* an empty index */
  free(out);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", NULL), FOUILLE_OK);
  put(w, "a", "premier");
  put(w, "b", "second");
  put(w, "c", "troisième");
  ck_assert_int_eq(fouille_writer_commit(w), FOUILLE_OK);
  assert_log_exact();
  ck_assert_int_eq(fouille_export_cursor(&c1, ix), FOUILLE_OK);
  ck_assert_int_eq(c1, 3);
  put(w, "a", "premier, changé");
  put(w, "a", "premier, changé deux fois");
  ck_assert_int_eq(fouille_writer_delete(w, "b"), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_delete(ix, "c"), FOUILLE_OK);
  assert_log_exact();
  ck_assert_int_eq(one("SELECT count(*) FROM changes"), 3); /* one row per key */
  out = export(ix, c1, &s);
  ck_assert_str_eq(out, "{\"index\":{\"_id\":\"a\"}}\n"
                        "{\"title\":\"Titre\",\"body\":\"premier, changé deux fois\","
                        "\"source\":\"AFP\"}\n"
                        "{\"delete\":{\"_id\":\"b\"}}\n"
                        "{\"delete\":{\"_id\":\"c\"}}\n");
  ck_assert_int_eq(s.indexed, 1);
  ck_assert_int_eq(s.deleted, 2);
  ck_assert_int_eq(s.since, c1);
  ck_assert_uint_eq(s.bytes, strlen(out));
  free(out);
  /* since 0: the live articles only, no delete */
  out = export(ix, 0, &s);
  ck_assert_int_eq(s.indexed, 1);
  ck_assert_int_eq(s.deleted, 0);
  free(out);
  /* the cursor reached: nothing new since */
  out = export(ix, s.cursor, &s);
  ck_assert_str_eq(out, "");
  free(out);
  fouille_index_close(ix);
}
END_TEST

START_TEST(bad_cursors_and_compaction) {
  fouille_index *ix = NULL;
  fouille_writer *w = NULL;
  fouille_export_summary s = FOUILLE_EXPORT_SUMMARY_INIT;
  uint64_t dropped = 9, cursor = 0;
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", NULL), FOUILLE_OK);
  put(w, "a", "un");
  put(w, "b", "deux");
  ck_assert_int_eq(fouille_writer_commit(w), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_delete(w, "a"), FOUILLE_OK); /* 3 */
  put(w, "c", "trois");                                        /* 4 */
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(fouille_export_bulk(&s, ix, 5, to_buf, stdout, NULL), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "ahead"));
  ck_assert_int_eq(fouille_index_compact_changes(&dropped, ix, 9), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_index_compact_changes(&dropped, ix, 3), FOUILLE_OK);
  ck_assert_int_eq(dropped, 1);
  ck_assert_int_eq(one("SELECT count(*) FROM changes"), 2);
  ck_assert_int_eq(fouille_export_bulk(&s, ix, 2, to_buf, stdout, NULL), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "older"));
  char *out = export(ix, 3, &s);
  ck_assert_str_eq(out, "{\"index\":{\"_id\":\"c\"}}\n"
                        "{\"title\":\"Titre\",\"body\":\"trois\",\"source\":\"AFP\"}\n");
  free(out);
  ck_assert_int_eq(fouille_export_cursor(&cursor, ix), FOUILLE_OK);
  ck_assert_int_eq(cursor, 4); /* numbers are never given twice */
  /* a failing write, versions */
  ck_assert_int_eq(fouille_export_bulk(&s, ix, 0, fail_write, NULL, NULL), FOUILLE_EIO);
  fouille_export_options o = FOUILLE_EXPORT_OPTIONS_INIT;
  o.version = 99;
  ck_assert_int_eq(fouille_export_bulk(&s, ix, 0, to_buf, stdout, &o), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_export_options_init(&o, FOUILLE_EXPORT_OPTIONS_VERSION), FOUILLE_OK);
  s.version = 7;
  ck_assert_int_eq(fouille_export_bulk(&s, ix, 0, to_buf, stdout, NULL), FOUILLE_EINVAL);
  fouille_index_close(ix);
}
END_TEST

START_TEST(files_rebuild_and_write_error) {
  fouille_index *ix = NULL;
  fouille_export_summary s = FOUILLE_EXPORT_SUMMARY_INIT;
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  char arch[4300];
  const char *paths[] = {arch};
  snprintf(arch, sizeof arch, "%s/arch", dir);
  test_write(arch, "a.txt", "Un\n\ntexte a\n", (size_t)-1);
  test_write(arch, "b.txt", "Deux\n\ntexte b\n", (size_t)-1);
  test_write(arch, "l.jsonl", "{\"id\":\"x\",\"body\":\"x\"}\n{\"id\":\"y\",\"body\":\"y\"}\n",
             (size_t)-1);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_update(NULL, ix, paths, 1, NULL), FOUILLE_OK);
  assert_log_exact();
  uint64_t c1 = 0;
  ck_assert_int_eq(fouille_export_cursor(&c1, ix), FOUILLE_OK);
  ck_assert_int_eq(c1, 4);
  ck_assert_int_eq(fouille_export_bulk(&s, ix, 0, fail_write, NULL, NULL), FOUILLE_EIO);
  /* a rebuild after a.txt and line y vanished: b and x written again,
   * a and y deleted */
  char p[4400];
  snprintf(p, sizeof p, "%s/a.txt", arch);
  ck_assert_int_eq(remove(p), 0);
  test_write(arch, "l.jsonl", "{\"id\":\"x\",\"body\":\"x\"}\n", (size_t)-1);
  uo.rebuild = 1;
  ck_assert_int_eq(fouille_index_update(NULL, ix, NULL, 0, &uo), FOUILLE_OK);
  assert_log_exact();
  char *out = export(ix, c1, &s);
  ck_assert_int_eq(s.indexed, 2);
  ck_assert_int_eq(s.deleted, 2);
  ck_assert_ptr_nonnull(strstr(out, "{\"delete\":{\"_id\":\"a.txt\"}}\n"));
  ck_assert_ptr_nonnull(strstr(out, "{\"delete\":{\"_id\":\"l.jsonl#y\"}}\n"));
  free(out);
  fouille_index_close(ix);
}
END_TEST

/* Stored text is valid UTF-8; a row written by another program may not
 * be: its bytes come out as U+FFFD, controls escaped. */
START_TEST(json_strings) {
  fouille_index *ix = NULL;
  fouille_export_summary s = FOUILLE_EXPORT_SUMMARY_INIT;
  fouille_export_options o = FOUILLE_EXPORT_OPTIONS_INIT;
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  fouille_index_close(ix);
  sqlite3 *c = NULL;
  ck_assert_int_eq(sqlite3_open(db, &c), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(c,
                                "INSERT INTO articles(key, title, body) VALUES('k\"1',"
                                " 'a\\b' || char(10) || char(1), CAST(X'61FF62C3A9' AS TEXT));"
                                "INSERT INTO changes(id) SELECT id FROM articles"
                                " WHERE key='k\"1'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(c);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  o.index_name = "arch\"ive";
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  ck_assert_int_eq(fouille_export_bulk(&s, ix, 0, to_buf, f, &o), FOUILLE_OK);
  fclose(f);
  ck_assert_str_eq(out, "{\"index\":{\"_index\":\"arch\\\"ive\",\"_id\":\"k\\\"1\"}}\n"
                        "{\"title\":\"a\\\\b\\n\\u0001\",\"body\":\"a\xef\xbf\xbd"
                        "b\xc3\xa9\"}\n");
  free(out);
  fouille_index_close(ix);
}
END_TEST

/* An index of schema 3 (no change log) is upgraded on open, its log filled from its
 * articles (cursor 0 exports them all). */
START_TEST(upgrade_from_schema_3) {
  fouille_index *ix = NULL;
  fouille_writer *w = NULL;
  uint64_t cursor = 0;
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", NULL), FOUILLE_OK);
  put(w, "a", "un");
  put(w, "b", "deux");
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  fouille_index_close(ix);
  sqlite3 *c = NULL;
  ck_assert_int_eq(sqlite3_open(db, &c), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(c,
                                "DROP TABLE changes; DELETE FROM sqlite_sequence;"
                                " UPDATE meta SET value='3' WHERE key='schema_version'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(c);
  fouille_index_options ro = FOUILLE_INDEX_OPTIONS_INIT;
  ro.read_only = 1;
  ck_assert_int_eq(fouille_index_open(&ix, db, &ro), FOUILLE_EVERSION);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_export_cursor(&cursor, ix), FOUILLE_OK);
  ck_assert_int_eq(cursor, 2);
  assert_log_exact();
  ck_assert_int_eq(one("SELECT value FROM meta WHERE key='schema_version'"),
                   FOUILLE_SCHEMA_VERSION);
  fouille_index_close(ix);
}
END_TEST

static void exec_sql(const char *sql) {
  sqlite3 *c = NULL;
  ck_assert_int_eq(sqlite3_open(db, &c), SQLITE_OK);
  ck_assert_msg(sqlite3_exec(c, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(c));
  sqlite3_close(c);
}

/* An index of schema 4 (its change log holding every key in full) is
 * upgraded on open: each entry keeps its number, the highest number given
 * (above the last entry after a compaction) stays, the exports are the
 * same. Then a rebuild of a schema 4 index made by another analyzer
 * carries its log over too. */
START_TEST(upgrade_from_schema_4) {
  fouille_index *ix = NULL;
  fouille_writer *w = NULL;
  fouille_export_summary s = FOUILLE_EXPORT_SUMMARY_INIT;
  uint64_t cursor = 0;
  static const char *const to_4 =
      "CREATE TABLE c4(seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL,"
      " deleted INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO c4 SELECT c.seq, coalesce(c.key, a.key), c.key IS NOT NULL FROM changes c"
      " LEFT JOIN articles a ON a.id=c.id;"
      "DROP TABLE changes; ALTER TABLE c4 RENAME TO changes;"
      "UPDATE sqlite_sequence SET seq=max(seq, 9) WHERE name='changes';"
      "UPDATE meta SET value='4' WHERE key='schema_version'";
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", NULL), FOUILLE_OK);
  put(w, "a", "un");
  put(w, "b", "deux");
  put(w, "c", "trois");
  ck_assert_int_eq(fouille_writer_delete(w, "b"), FOUILLE_OK);
  put(w, "a", "un, changé");
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  char *all = export(ix, 0, &s), *since = export(ix, 3, &s);
  fouille_index_close(ix);
  exec_sql(to_4);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(one("SELECT value FROM meta WHERE key='schema_version'"),
                   FOUILLE_SCHEMA_VERSION);
  ck_assert_int_eq(fouille_export_cursor(&cursor, ix), FOUILLE_OK);
  ck_assert_int_eq(cursor, 9);
  assert_log_exact();
  ck_assert_int_eq(one("SELECT count(*) FROM changes WHERE key='b'"), 1);
  char *out = export(ix, 0, &s);
  ck_assert_str_eq(out, all);
  free(out);
  out = export(ix, 3, &s);
  ck_assert_str_eq(out, since);
  ck_assert_str_eq(out, "{\"delete\":{\"_id\":\"b\"}}\n"
                        "{\"index\":{\"_id\":\"a\"}}\n"
                        "{\"title\":\"Titre\",\"body\":\"un, changé\",\"source\":\"AFP\"}\n");
  free(out);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", NULL), FOUILLE_OK);
  put(w, "b", "deux, revenu");
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(one("SELECT max(seq) FROM changes"), 10);
  assert_log_exact();
  fouille_index_close(ix);
  /* schema 4 and an older analyzer: rebuilt, every key deleted (a stream's
   * articles are not kept across a schema change) */
  exec_sql(to_4);
  exec_sql("UPDATE meta SET value='1' WHERE key='analyzer_version'");
  char arch[4300];
  const char *paths[] = {arch};
  snprintf(arch, sizeof arch, "%s/arch", dir);
  test_write(arch, "z.txt", "Zed\n\ntexte z\n", (size_t)-1);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_msg(fouille_index_update(NULL, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
  assert_log_exact();
  out = export(ix, 10, &s);
  ck_assert_int_eq(s.deleted, 3);
  ck_assert_int_eq(s.indexed, 1);
  ck_assert_int_eq(s.cursor, 14);
  free(out);
  free(all);
  free(since);
  fouille_index_close(ix);
}
END_TEST

/* Fouille's passages of a text from elsewhere (an OpenSearch hit). */
START_TEST(passages_of_any_text) {
  char *out = NULL;
  const char *t = "Le vélo électrique gagne du terrain. Les ventes de vélos ont doublé.";
  ck_assert_int_eq(fouille_passages_text(&out, "vélo électrique", t, strlen(t), 1, 60), FOUILLE_OK);
  ck_assert_str_eq(out, "[{\"text\":\"Le vélo électrique gagne du terrain.\","
                        "\"highlights\":[[3,7],[8,18]]}]");
  free(out);
  ck_assert_int_eq(fouille_passages_text(&out, "!!!", t, strlen(t), 1, 60), FOUILLE_EPARSE);
  ck_assert_ptr_null(out);
  ck_assert_int_eq(fouille_passages_text(&out, "vélo", t, strlen(t), 101, 60), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_passages_text(&out, "vélo", "", 0, 2, 60), FOUILLE_OK);
  ck_assert_str_eq(out, "[]");
  free(out);
}
END_TEST

int main(void) {
  Suite *s = suite_create("export");
  TCase *tc = tcase_create("export");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, writer_and_delete);
  tcase_add_test(tc, bad_cursors_and_compaction);
  tcase_add_test(tc, files_rebuild_and_write_error);
  tcase_add_test(tc, json_strings);
  tcase_add_test(tc, upgrade_from_schema_3);
  tcase_add_test(tc, upgrade_from_schema_4);
  tcase_add_test(tc, passages_of_any_text);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
