/* fouille_rank(): title beats body, close words beat distant ones, words
 * typed side by side found so win, more occurrences beat fewer, rows holding
 * more of the words and title words win, words found early in the body
 * win, colocated tokens count once, both
 * the rank MATCH and the ORDER BY forms work, in the library and fouille.so. */
#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/fts5.h"
#include "test_util.h"

static sqlite3 *db;

static void exec(const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
}

static void add(int id, const char *title, const char *body) {
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "INSERT INTO articles_fts(rowid, title, body) VALUES(?,?,?)",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_int(st, 1, id);
  sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
}

static void fill(void) {
  exec("CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize='fouille_fr')");
  /* title vs body */
  add(1, "Les puces manquent", "Un long texte neutre sur le marché mondial.");
  add(2, "Le marché mondial", "Les puces manquent dans un long texte neutre.");
  /* proximity: same words, same lengths */
  add(3, "Rapport", "Les serveurs chauffent ; alpha beta gamma delta epsilon zeta eta theta iota.");
  add(4, "Rapport", "Les serveurs alpha beta gamma delta epsilon zeta eta theta iota chauffent.");
  /* occurrences */
  add(5, "Note", "Un routeur, un routeur, encore un routeur ici.");
  add(6, "Note", "Un routeur, un modem, encore un switch ici.");
  /* colocated: accented vs accentless spelling */
  add(7, "Dossier", "La sécurité du réseau.");
  add(8, "Dossier", "La securite du reseau.");
  /* words typed side by side: same words, lengths and window */
  add(30, "Achat", "Un bureau graphique, puis une carte.");
  add(31, "Achat", "Un bureau, puis une carte graphique.");
  /* coordination: one word often and in the title vs both words once */
  add(40, "La fibre", "La fibre arrive, la fibre avance, la fibre gagne.");
  add(41, "Bilan", "La fibre arrive au village.");
  for (int i = 0; i < 6; i++) add(42 + i, "Bilan", "Le village dort.");
  /* a title word the body repeats */
  add(50, "Les impôts", "Impôts, impôts, impôts et impôts encore.");
  add(51, "Les taxes", "Impôts, impôts, impôts et impôts encore.");
  /* the lead: the same words, early or late in the body */
  add(60, "Compte", "Le quartz vibre. Un texte neutre, encore et encore et encore.");
  add(61, "Compte", "Un texte neutre, encore et encore et encore. Le quartz vibre.");
  /* filler so that IDF is positive */
  for (int i = 0; i < 20; i++) add(100 + i, "Divers", "Rien à signaler aujourd'hui.");
}

static void open_library(void) {
  db = test_memory_db(0);
  fill();
}

static void open_extension(void) {
  db = test_memory_db(1);
  fill();
}

static void close_db(void) { sqlite3_close(db); }

/* Rowids, best first, as "1,2", for q ranked by the given SQL. */
static const char *order_sql(const char *sql, const char *q) {
  static char buf[512];
  buf[0] = '\0';
  sqlite3_stmt *st;
  ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
  sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char n[24];
    snprintf(n, sizeof n, "%s%d", buf[0] ? "," : "", sqlite3_column_int(st, 0));
    strcat(buf, n);
  }
  ck_assert_msg(rc == SQLITE_DONE, "%s: %s", q, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return buf;
}

#define RANK_MATCH                                                                                 \
  "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?1 AND rank MATCH "               \
  "'fouille_rank()' ORDER BY rank LIMIT 50 OFFSET 0"
#define ORDER_BY                                                                                   \
  "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY "                           \
  "fouille_rank(articles_fts), rowid"

static const char *order(const char *q) { return order_sql(RANK_MATCH, q); }

static double score(const char *q, int rowid) {
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT fouille_rank(articles_fts) FROM articles_fts "
                                      "WHERE articles_fts MATCH ?1 AND rowid = ?2",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, rowid);
  ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: row %d does not match", q, rowid);
  double s = sqlite3_column_double(st, 0);
  sqlite3_finalize(st);
  ck_assert_msg(s < 0, "score %g for %s must be negative", s, q);
  return s;
}

START_TEST(title_beats_body) {
  ck_assert_str_eq(order("puce"), "1,2");
  ck_assert_str_eq(order("puces manquent"), "1,2");
  /* Weights are passed through: with no title weight the body wins. */
  ck_assert_str_eq(order_sql("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 AND rank "
                             "MATCH 'fouille_rank(0.0, 1.0)' ORDER BY rank",
                             "puce"),
                   "2,1");
  ck_assert_str_eq(order_sql("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY "
                             "fouille_rank(articles_fts, 0, 1)",
                             "puce"),
                   "2,1");
}
END_TEST

START_TEST(closer_beats_distant) {
  ck_assert_str_eq(order("serveur chauffent"), "3,4");
  ck_assert(score("serveur chauffent", 3) < score("serveur chauffent", 4));
  /* Without both words there is no proximity: equal scores. */
  ck_assert(fabs(score("serveur", 3) - score("serveur", 4)) < 1e-9);
}
END_TEST

START_TEST(more_occurrences) {
  ck_assert_str_eq(order("routeur"), "5,6");
  ck_assert(score("routeur", 5) < score("routeur", 6));
}
END_TEST

START_TEST(colocated_once) {
  /* "sécurité" is indexed as "secur" plus the colocated "securit"; the
   * query "sécurité" matches both at one position, "securite" one. */
  ck_assert_str_eq(order_sql(ORDER_BY, "securite"), "7,8");
  ck_assert(fabs(score("securite", 7) - score("securite", 8)) < 1e-9);
  ck_assert(fabs(score("sécurité", 7) - score("sécurité", 8)) < 1e-9);
  ck_assert(fabs(score("\"sécurité du réseau\"", 7) - score("\"sécurité du réseau\"", 8)) < 1e-9);
}
END_TEST

/* A pair of words typed side by side and found so earns a bonus the
 * smallest window does not give: rows 30 and 31 differ only by it. */
START_TEST(adjacent_pair) {
  ck_assert(score("bureau graphique carte", 30) < score("bureau graphique carte", 31));
  ck_assert(fabs(score("bureau", 30) - score("bureau", 31)) < 1e-9);
}
END_TEST

/* A word found early in the body earns more than the same word late (the
 * lead says what an article is about), and the gain fades with the
 * distance: rows 60 and 61 differ only by where the words stand. */
START_TEST(lead_words) {
  ck_assert_str_eq(order("quartz"), "60,61");
  ck_assert_str_eq(order("quartz vibre"), "60,61");
  ck_assert(score("quartz", 60) < score("quartz", 61));
  /* Each word found early earns its share. */
  double gain_quartz = score("quartz", 61) - score("quartz", 60);
  double gain_both = score("quartz vibre", 61) - score("quartz vibre", 60);
  ck_assert(gain_both > gain_quartz);
}
END_TEST

/* Any-word expressions rank the rows holding every word first: row 41
 * holds both words once, row 40 only one, in its title and three times. */
START_TEST(coordination) {
  ck_assert_msg(strncmp(order("fibre OR village"), "41,40,", 6) == 0, "%s",
                order("fibre OR village"));
  ck_assert(score("fibre", 40) < score("fibre", 41));
  /* A NOT phrase is held by no row: it changes no order. */
  ck_assert_str_eq(order("(fibre OR village) NOT dort"), "41,40");
}
END_TEST

/* A title word earns at least half its IDF more even when the body
 * repeats it enough to saturate BM25F. */
START_TEST(title_word_bonus) {
  double n = 40, df = 2, idf = log(1.0 + (n - df + 0.5) / (df + 0.5));
  ck_assert(score("impot", 50) < score("impot", 51) - 0.5 * idf);
}
END_TEST

START_TEST(forms_agree) {
  const char *qs[] = {"puce", "serveur chauffent", "routeur OR puce", "rapport", "marché"};
  for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
    char a[512];
    strcpy(a, order(qs[i]));
    ck_assert_msg(strcmp(a, order_sql(ORDER_BY, qs[i])) == 0, "%s: %s vs %s", qs[i], a,
                  order_sql(ORDER_BY, qs[i]));
  }
  ck_assert_str_eq(order("puce NOT marché"), "");
  ck_assert_str_eq(order("routeur NOT modem"), "5");
  ck_assert_str_eq(order("zzzz"), "");
  ck_assert_str_eq(order("rout*"), "5,6");
  ck_assert_str_eq(order("\"les serveurs chauffent\" OR serveur"), "3,4");
}
END_TEST

/* sql prepares, then its first step fails (sqlite3_errmsg(db) tells why). */
static void step_fails(const char *sql) {
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ERROR);
  sqlite3_finalize(st);
}

START_TEST(bad_weights) {
  step_fails("SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
             "'puce' AND rank MATCH 'fouille_rank(''x'')' ORDER BY rank");
  /* FTS5 keeps the message only in the ORDER BY form. */
  step_fails("SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
             "'puce' ORDER BY fouille_rank(articles_fts, -1)");
  ck_assert_msg(strstr(sqlite3_errmsg(db), "fouille_rank") != NULL, "%s", sqlite3_errmsg(db));
  /* fouille_search's bounds function needs its C pointer: from SQL, a clear error. */
  step_fails("SELECT fouille__rank_bounds(articles_fts) FROM articles_fts"
             " WHERE articles_fts MATCH 'puce'");
  ck_assert_msg(strstr(sqlite3_errmsg(db), "fouille_search only") != NULL, "%s",
                sqlite3_errmsg(db));
}
END_TEST

START_TEST(one_column) {
  exec("CREATE VIRTUAL TABLE t1 USING fts5(body, tokenize='fouille_fr');"
       "INSERT INTO t1(rowid, body) VALUES (1, 'une puce'), (2, 'puce puce puce'), (3, 'rien');");
  ck_assert_str_eq(
      order_sql("SELECT rowid FROM t1 WHERE t1 MATCH ?1 ORDER BY fouille_rank(t1)", "puce"), "2,1");
}
END_TEST

int main(void) {
  Suite *s = suite_create("rank");
  TCase *lib = tcase_create("library");
  tcase_add_checked_fixture(lib, open_library, close_db);
  tcase_add_test(lib, title_beats_body);
  tcase_add_test(lib, closer_beats_distant);
  tcase_add_test(lib, more_occurrences);
  tcase_add_test(lib, colocated_once);
  tcase_add_test(lib, forms_agree);
  tcase_add_test(lib, adjacent_pair);
  tcase_add_test(lib, lead_words);
  tcase_add_test(lib, coordination);
  tcase_add_test(lib, title_word_bonus);
  tcase_add_test(lib, bad_weights);
  tcase_add_test(lib, one_column);
  suite_add_tcase(s, lib);
  TCase *ext = tcase_create("extension");
  tcase_add_checked_fixture(ext, open_extension, close_db);
  tcase_add_test(ext, title_beats_body);
  tcase_add_test(ext, closer_beats_distant);
  tcase_add_test(ext, colocated_once);
  tcase_add_test(ext, lead_words);
  suite_add_tcase(s, ext);
  return test_run_suite(s);
}
