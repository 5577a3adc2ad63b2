/* The fouille_fr tokenizer inside FTS5: registered by the library on a
 * connection, and by fouille.so loaded into a plain sqlite3 connection.
 * French queries match, highlight() lands on the words as written. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/fts5.h"
#include "test_util.h"

static const char *docs[] = {
    "La sécurité de l’IA inquiète les États-Unis.",
    "Les puces Nvidia H100 sont rares ; 3,5 millions d’euros.",
    "Jusqu’où ira la journée ? Aujourd'hui, les données créées explosent.",
    "Le cœur du problème : 100 serveurs et l'Œuvre complète.",
    "E\xcc\x81tude de cas\xe2\x80\xaf: l\xe2\x80\x99\xc3\xa9t\xc3\xa9 \xf0\x9f\x9a\x80 puces.",
};

static sqlite3 *db;

static void fill(void) {
  char *err = NULL;
  ck_assert_int_eq(sqlite3_exec(db,
                                "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='fouille_fr')",
                                NULL, NULL, &err),
                   SQLITE_OK);
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES(?, ?)", -1, &st, NULL),
                   SQLITE_OK);
  for (int i = 0; i < (int)(sizeof docs / sizeof docs[0]); i++) {
    sqlite3_bind_int(st, 1, i + 1);
    sqlite3_bind_text(st, 2, docs[i], -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
}

static void open_with_library(void) {
  db = test_memory_db(0);
  fill();
}

static void open_with_extension(void) {
  db = test_memory_db(1);
  fill();
}

static void close_db(void) { sqlite3_close(db); }

/* Rowids matching q, as "1,3". */
static const char *matches(const char *q) {
  static char buf[256];
  buf[0] = '\0';
  sqlite3_stmt *st;
  int rc =
      sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", -1, &st, NULL);
  ck_assert_int_eq(rc, SQLITE_OK);
  sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char n[16];
    snprintf(n, sizeof n, "%s%d", buf[0] ? "," : "", sqlite3_column_int(st, 0));
    strcat(buf, n);
  }
  ck_assert_msg(rc == SQLITE_DONE, "%s: %s", q, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return buf;
}

static const char *highlighted(const char *q) {
  static char buf[512];
  buf[0] = '\0';
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ? "
                                      "ORDER BY rowid LIMIT 1",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW)
    snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return buf;
}

static void check_matching(void) {
  ck_assert_str_eq(matches("securite"), "1");
  ck_assert_str_eq(matches("sécurités"), "1");
  ck_assert_str_eq(matches("puce"), "2,5");
  ck_assert_str_eq(matches("ia"), "1");
  ck_assert_str_eq(matches("\"etats unis\""), "1");
  ck_assert_str_eq(matches("\"l'État\""), "1");
  ck_assert_str_eq(matches("journee AND creees AND donnee"), "3");
  ck_assert_str_eq(matches("ou"), "3");
  ck_assert_str_eq(matches("\"aujourd’hui\""), "3");
  ck_assert_str_eq(matches("coeur AND oeuvre"), "4");
  ck_assert_str_eq(matches("h100"), "2");
  ck_assert_str_eq(matches("100"), "4");
  ck_assert_str_eq(matches("35"), "");
  ck_assert_str_eq(matches("\"3 5\""), "2");
  ck_assert_str_eq(matches("secu*"), "1");
  ck_assert_str_eq(matches("etude AND ete"), "5");
}

static void check_highlights(void) {
  ck_assert_str_eq(highlighted("ia"), "La sécurité de l’[IA] inquiète les États-Unis.");
  ck_assert_str_eq(highlighted("securite"), "La [sécurité] de l’IA inquiète les États-Unis.");
  ck_assert_str_eq(highlighted("\"etats unis\""), "La sécurité de l’IA inquiète les [États-Unis].");
  ck_assert_str_eq(highlighted("puce"),
                   "Les [puces] Nvidia H100 sont rares ; 3,5 millions d’euros.");
  /* NFD text, narrow NBSP, elision and an emoji before the match. */
  ck_assert_str_eq(highlighted("etude AND ete AND puces"),
                   "[E\xcc\x81tude] de cas\xe2\x80\xaf: l\xe2\x80\x99[\xc3\xa9t\xc3\xa9] "
                   "\xf0\x9f\x9a\x80 [puces].");
}

START_TEST(library_registration) {
  open_with_library();
  check_matching();
  check_highlights();
  close_db();
}
END_TEST

START_TEST(loadable_extension) {
  open_with_extension();
  check_matching();
  check_highlights();
  close_db();
}
END_TEST

START_TEST(without_extension_no_such_tokenizer) {
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  char *err = NULL;
  int rc = sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='fouille_fr')", NULL,
                        NULL, &err);
  ck_assert_int_ne(rc, SQLITE_OK);
  ck_assert_msg(err && strstr(err, "no such tokenizer"), "got: %s", err ? err : "");
  sqlite3_free(err);
  close_db();
}
END_TEST

START_TEST(tokenizer_rejects_arguments) {
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  ck_assert_int_eq(fouille_fts5_register(db), 0);
  int rc = sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='fouille_fr x')",
                        NULL, NULL, NULL);
  ck_assert_int_ne(rc, SQLITE_OK);
  close_db();
}
END_TEST

int main(void) {
  Suite *s = suite_create("fts5");
  TCase *tc = tcase_create("tokenizer");
  tcase_add_test(tc, library_registration);
  tcase_add_test(tc, loadable_extension);
  tcase_add_test(tc, without_extension_no_such_tokenizer);
  tcase_add_test(tc, tokenizer_rejects_arguments);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
