/* The query parser: expected FTS5 expressions for the language's forms,
 * stop words, errors, and a hostile corpus (broken syntax, SQL, control
 * bytes, invalid UTF-8, random bytes) whose every expression must run on
 * a real FTS5 table with the fouille_fr tokenizer. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/fts5.h"
#include "fouille/query.h"
#include "query_private.h"
#include "test_util.h"

static sqlite3 *db;

static void db_open(void) {
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  ck_assert_int_eq(fouille_fts5_register(db), FOUILLE_OK);
  ck_assert_int_eq(sqlite3_exec(db,
                                "CREATE VIRTUAL TABLE t USING fts5(title, body, "
                                "tokenize='fouille_fr');"
                                "INSERT INTO t VALUES('L''État et la sécurité', 'Les États-Unis "
                                "vendent des puces. Le vélo est à Paris.');"
                                "INSERT INTO t VALUES('Vélo', 'Les pistes cyclables de Lyon.');",
                                NULL, NULL, NULL),
                   SQLITE_OK);
}

static void db_close(void) { sqlite3_close(db), db = NULL; }

/* Rows matching expr; fails the test if FTS5 rejects it. */
static int run_match(const char *expr, const char *input) {
  sqlite3_stmt *st = NULL;
  int n = -1;
  ck_assert_msg(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1, &st, NULL) ==
                    SQLITE_OK,
                "prepare: %s", sqlite3_errmsg(db));
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  ck_assert_msg(rc == SQLITE_ROW, "query [%s] -> [%s]: %s", input, expr, sqlite3_errmsg(db));
  n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return n;
}

static const struct {
  const char *in, *expr, *fallback;
} cases[] = {
    {"securite", "\"securite\"", NULL},
    {"sécurité état", "\"sécurité\" AND \"état\"", "\"sécurité\" OR \"état\""},
    {"\"la sécurité\"", "\"la sécurité\"", NULL},
    {"velo -lyon", "\"velo\" NOT \"lyon\"", NULL},
    {"velo -\"pistes cyclables\"", "\"velo\" NOT \"pistes cyclables\"", NULL},
    {"velo OR puce", "\"velo\" OR \"puce\"", NULL},
    {"velo | puce", "\"velo\" OR \"puce\"", NULL},
    {"secu*", "\"secu\" *", NULL},
    {"title:velo", "title : \"velo\"", NULL},
    {"body:\"pistes cyclables\"", "body : \"pistes cyclables\"", NULL},
    {"(velo OR puce) paris", "(\"velo\" OR \"puce\") AND \"paris\"",
     "(\"velo\" OR \"puce\") OR \"paris\""},
    {"la sécurité de l'état", "\"sécurité\" AND \"l'état\"", "\"sécurité\" OR \"l'état\""},
    {"le la les", "\"le\" AND \"la\" AND \"les\"", "\"le\" OR \"la\" OR \"les\""},
    {"États-Unis", "\"États-Unis\"", NULL},
    {"foo:bar", "\"foo\" AND \"bar\"", "\"foo\" OR \"bar\""},
    {"\"unclosed", "\"unclosed\"", NULL},
    {"((velo", "\"velo\"", NULL},
    {"velo))", "\"velo\"", NULL},
    {"say \"hi", "\"say\" AND \"hi\"", "\"say\" OR \"hi\""},
    {"velo puce -lyon", "(\"velo\" AND \"puce\") NOT \"lyon\"",
     "(\"velo\" OR \"puce\") NOT \"lyon\""},
    /* Inner dots and slashes keep a word whole: a phrase to the tokenizer. */
    {"randr 1.1", "\"randr\" AND \"1.1\"", "\"randr\" OR \"1.1\""},
    {"sources.list", "\"sources.list\"", NULL},
    {"debian/changelog", "\"debian/changelog\"", NULL},
    {"fin. debut /x", "\"fin\" AND \"debut\" AND \"x\"", "\"fin\" OR \"debut\" OR \"x\""},
};

/* in must parse to expr and fallback (NULL: none), both run by FTS5. */
static void check_expression(const char *in, const char *expr, const char *fallback) {
  fouille__parsed p;
  ck_assert_msg(fouille__query_parse(in, &p) == FOUILLE_OK, "%s: %s", in, fouille_error_last());
  ck_assert_msg(strcmp(p.expr, expr) == 0, "[%s] gave [%s]", in, p.expr);
  if (fallback)
    ck_assert_msg(p.fallback && strcmp(p.fallback, fallback) == 0, "[%s] fallback [%s]", in,
                  p.fallback ? p.fallback : "(none)");
  else
    ck_assert_msg(!p.fallback, "[%s] unexpected fallback %s", in, p.fallback);
  run_match(p.expr, in);
  if (p.fallback) run_match(p.fallback, in);
  fouille__parsed_free(&p);
}

START_TEST(expected_expressions) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    check_expression(cases[i].in, cases[i].expr, cases[i].fallback);
}
END_TEST

/* Queries written as questions: question marks, colons and exclamation
 * marks separate words; the pronoun of an inversion and the euphonic t are
 * dropped ("peut-on", "y a-t-il", "est-ce qu'il"); hyphenated stop words
 * are stop words. Request words ("moyen", "peut", "faut", "méthode", "marche"
 * before "pas") stay in the any-word form, not in the every-word form. */
static const struct {
  const char *in, *expr, *fallback;
} questions[] = {
    {"peut-on imprimer ?", "\"imprimer\"", "\"peut\" OR \"imprimer\""},
    {"y a-t-il un moyen de fusionner deux calques ?", "\"fusionner\" AND \"deux\" AND \"calques\"",
     "\"moyen\" OR \"fusionner\" OR \"deux\" OR \"calques\""},
    {"Y-a-t-il un moyen ?", "\"moyen\"", NULL},
    {"est-ce qu'il faut imprimer en A3 ?", "\"imprimer\" AND \"A3\"",
     "\"faut\" OR \"imprimer\" OR \"A3\""},
    {"qu'est-ce que la mémoire ?", "\"mémoire\"", NULL},
    {"est-ce-que la mémoire", "\"mémoire\"", NULL},
    {"a-t-elle", "\"a\"", NULL},     /* only stop words: kept */
    {"dois-je ?", "\"dois\"", NULL}, /* only request words: kept */
    {"Faut-il, peut-on, dois-je !", "\"Faut\" AND \"peut\" AND \"dois\"",
     "\"Faut\" OR \"peut\" OR \"dois\""},
    {"quelle méthode : imprimer", "\"imprimer\"", "\"méthode\" OR \"imprimer\""},
    {"titre : comment", "\"titre\"", "\"titre\" OR \"comment\""},
    {"aide: imprimer!", "\"imprimer\"", "\"aide\" OR \"imprimer\""},
    {"pourquoi l'impression échoue", "\"l'impression\"", "\"l'impression\" OR \"échoue\""},
    {"ça ne marche pas", "\"marche\"", NULL},
    {"comment marche le noyau", "\"marche\" AND \"noyau\"",
     "\"comment\" OR \"marche\" OR \"noyau\""},
    {"aidez-moi svp", "\"aidez\" AND \"svp\"", "\"aidez\" OR \"svp\""},
    {"rendez-vous", "\"rendez-vous\"", NULL},
    /* Frames of several words: their words are request words there only. */
    {"quelle est la marche à suivre pour imprimer ?", "\"imprimer\"",
     "\"marche\" OR \"suivre\" OR \"imprimer\""},
    {"à quoi sert le publipostage ?", "\"publipostage\"", "\"sert\" OR \"publipostage\""},
    {"suivre les modifications", "\"suivre\" AND \"modifications\"",
     "\"suivre\" OR \"modifications\""},
    /* French typography: no-break spaces before ? ! :, guillemets, ellipsis. */
    {"peut-on\xc2\xa0?", "\"peut\"", NULL},
    {"y a-t-il un moyen\xe2\x80\xaf!", "\"moyen\"", NULL},
    {"\xc2\xab"
     "le vélo"
     "\xc2\xbb\xe2\x80\xa6 aide\xc2\xa0: r\xc3\xa9gler",
     "\"vélo\" AND \"régler\"", "\"vélo\" OR \"aide\" OR \"régler\""},
    {"États-Unis", "\"États-Unis\"", NULL},
    {"\"peut-on imprimer\" ?", "\"peut-on imprimer\"", NULL}, /* phrases stay whole */
    {"\"moyen de fusionner\" calques", "\"moyen de fusionner\" AND \"calques\"",
     "\"moyen de fusionner\" OR \"calques\""},
    {"(comment OR moyen) imprimer", "(\"comment\" OR \"moyen\") AND \"imprimer\"",
     "(\"comment\" OR \"moyen\") OR \"imprimer\""},
    {"comment -imprimer calques", "\"calques\" NOT \"imprimer\"",
     "(\"comment\" OR \"calques\") NOT \"imprimer\""},
};

START_TEST(question_forms) {
  for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++)
    check_expression(questions[i].in, questions[i].expr, questions[i].fallback);
}
END_TEST

/* Request words are marked among the terms (for ranking and passages),
 * whatever their inflection, not in phrases, not as prefixes. */
START_TEST(request_terms) {
  fouille__parsed p;
  ck_assert_int_eq(
      fouille__query_parse("Voudrais Méthodes moyenne imprimer comm* \"comment faire\" ?", &p), 0);
  ck_assert_uint_eq(p.n_terms, 7);
  const int want[] = {1, 1, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < 7; i++)
    ck_assert_msg(p.terms[i].request == want[i], "%s: %d", p.terms[i].text, p.terms[i].request);
  fouille__parsed_free(&p);
}
END_TEST

/* The expressions find what they should in the table. */
START_TEST(matches) {
  char *e = NULL;
  const struct {
    const char *q;
    int n;
  } m[] = {{"securite", 1},   {"L’Etat", 1},        {"puce", 1},       {"velo", 2},
           {"velo -lyon", 1}, {"title:velo", 1},    {"etats-unis", 1}, {"\"etats unis\"", 1},
           {"secu*", 1},      {"lyon OR paris", 2}, {"d’accord", 0},   {"puces", 1},
           {"etats.unis", 1}, {"unis/etats", 0}};
  for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
    ck_assert_int_eq(fouille_query_to_fts5(&e, NULL, m[i].q), FOUILLE_OK);
    ck_assert_msg(run_match(e, m[i].q) == m[i].n, "%s", m[i].q);
    free(e);
  }
}
END_TEST

START_TEST(terms) {
  fouille__parsed p;
  ck_assert_int_eq(fouille__query_parse("le vélo -lyon title:paris secu* \"la puce\"", &p), 0);
  ck_assert_uint_eq(p.n_terms, 4);
  ck_assert_str_eq(p.terms[0].text, "vélo");
  ck_assert_str_eq(p.terms[1].text, "paris");
  ck_assert_int_eq(p.terms[1].title_only, 1);
  ck_assert_str_eq(p.terms[2].text, "secu");
  ck_assert_int_eq(p.terms[2].prefix, 1);
  ck_assert_str_eq(p.terms[3].text, "puce");
  fouille__parsed_free(&p);
}
END_TEST

START_TEST(errors) {
  fouille__parsed p;
  ck_assert_int_eq(fouille__query_parse("", &p), FOUILLE_EPARSE);
  ck_assert_str_eq(fouille_error_last(), "empty query");
  ck_assert_int_eq(fouille__query_parse("  ** ^ + ()", &p), FOUILLE_EPARSE);
  ck_assert_int_eq(fouille__query_parse("-foo", &p), FOUILLE_EPARSE);
  ck_assert_str_eq(fouille_error_last(), "a query needs at least one word that is not excluded");
  ck_assert_int_eq(fouille__query_parse("-\"a b\" -(c d)", &p), FOUILLE_EPARSE);
  char *big = malloc(5000);
  memset(big, 'a', 4999);
  big[4999] = '\0';
  ck_assert_int_eq(fouille__query_parse(big, &p), FOUILLE_ETOOBIG);
  ck_assert_str_eq(fouille_error_last(), "query longer than 4096 bytes");
  free(big);
}
END_TEST

START_TEST(stopwords) {
  ck_assert(fouille__is_stopword("le", 2));
  ck_assert(fouille__is_stopword("LES", 3));
  ck_assert(fouille__is_stopword("à", strlen("à")));
  ck_assert(fouille__is_stopword("À", strlen("À")));
  ck_assert(fouille__is_stopword("qu'il", 5));
  ck_assert(fouille__is_stopword("qu’il", strlen("qu’il")));
  ck_assert(fouille__is_stopword("Été", strlen("Été")));
  ck_assert(!fouille__is_stopword("vélo", strlen("vélo")));
  ck_assert(!fouille__is_stopword("l'état", 7));
  ck_assert(!fouille__is_stopword("\xff\xfe", 2));
  ck_assert(!fouille__is_stopword("", 0));
}
END_TEST

static const char *const hostile[] = {
    "'; DROP TABLE articles; --",
    "NEAR(a b, 3)",
    "a NEAR b",
    "^velo",
    "+velo",
    "velo^2",
    "\"",
    "\"\"",
    "\"\"\"",
    "(",
    ")",
    ")(",
    "((((((((((((((((((((((((velo",
    "* velo",
    "**",
    "velo**",
    "-",
    "--velo",
    "- -",
    "title:",
    ":velo",
    "title::velo",
    "title:-velo puce",
    "-title:velo puce",
    "col:velo",
    "{title}:velo",
    "velo AND",
    "AND OR NOT",
    "OR velo OR",
    "velo OR -puce",
    "-(velo)",
    "(-velo) puce",
    "velo\x01\x02\x1b[31m",
    "a\tb\nc\rd",
    "l'",
    "'",
    "’",
    "d’",
    "aujourd'hui",
    "presqu’île",
    "-l'état",
    "velo' puce\"",
    "\\\"velo\\\"",
    "x\xff\xfey",
    "\xc3",
    "\xe2\x80",
    "\xed\xa0\x80",
    "\xf4\x90\x80\x80",
    "🚲 vélo",
    "ﬁn",
    "velo:*",
    "title:(velo puce)",
    "velo -",
    "\"velo -puce\"",
    "\"a OR b\"",
    "\"title:x\"",
    "COLLATE",
    "velo; SELECT 1",
    "velo) OR (puce",
    "|",
    "||velo||",
    "café-",
    "-café-",
    "États-Unis-",
    "1,5 3.14 2024-03-12",
    "M. Dupont",
    "(a OR (b OR (c OR (d OR e))))",
};

static void must_run(const char *q, size_t len) {
  char *buf = malloc(len + 1);
  memcpy(buf, q, len);
  buf[len] = '\0';
  fouille__parsed p;
  int rc = fouille__query_parse(buf, &p);
  ck_assert_msg(rc == FOUILLE_OK || rc == FOUILLE_EPARSE || rc == FOUILLE_ETOOBIG, "rc %d", rc);
  if (rc == FOUILLE_OK) {
    ck_assert_ptr_nonnull(p.expr);
    run_match(p.expr, buf);
    if (p.fallback) run_match(p.fallback, buf);
    fouille__parsed_free(&p);
  } else {
    ck_assert(strlen(fouille_error_last()) > 0);
  }
  free(buf);
}

START_TEST(hostile_corpus) {
  for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
    must_run(hostile[i], strlen(hostile[i]));
}
END_TEST

/* Random bytes, biased towards the query syntax's special characters. */
START_TEST(random_bytes) {
  static const char special[] = "\"()-*:|' \t^+{}ORNOTtitle:body:é’-";
  unsigned seed = 12345;
  char buf[300];
  for (int i = 0; i < 400; i++) {
    size_t len = (size_t)(rand_r(&seed) % 200) + 1;
    for (size_t k = 0; k < len; k++) {
      int r = rand_r(&seed);
      buf[k] = r % 3 == 0 ? special[(size_t)(r / 3) % (sizeof special - 1)]
                          : (char)(r % 3 == 1 ? 'a' + r % 26 : 1 + r % 255);
    }
    must_run(buf, len);
  }
}
END_TEST

/* Many words stay within FTS5's limits. */
START_TEST(long_queries) {
  char buf[4097];
  size_t n = 0;
  for (int i = 0; n + 8 < sizeof buf - 1; i++) n += (size_t)sprintf(buf + n, "w%d ", i);
  must_run(buf, n);
  for (n = 0; n + 4 < sizeof buf - 1;) n += (size_t)sprintf(buf + n, "x OR ");
  must_run(buf, n);
  for (n = 0; n + 2 < sizeof buf - 1;) n += (size_t)sprintf(buf + n, "(");
  must_run(buf, n);
  for (n = 0; n + 8 < sizeof buf - 1;) n += (size_t)sprintf(buf + n, "(a -b) ");
  must_run(buf, n);
}
END_TEST

START_TEST(sql_function) {
  sqlite3_stmt *st = NULL;
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH fouille_query(?)",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, "L'Etat -lyon", -1, SQLITE_STATIC);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
  sqlite3_reset(st);
  sqlite3_bind_null(st, 1);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ERROR);
  ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(db), "empty query"));
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, "-velo", -1, SQLITE_STATIC);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ERROR);
  ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(db), "not excluded"));
  sqlite3_finalize(st);
}
END_TEST

int main(void) {
  Suite *s = suite_create("parse");
  TCase *t = tcase_create("core");
  tcase_add_checked_fixture(t, db_open, db_close);
  tcase_add_test(t, expected_expressions);
  tcase_add_test(t, question_forms);
  tcase_add_test(t, request_terms);
  tcase_add_test(t, matches);
  tcase_add_test(t, terms);
  tcase_add_test(t, errors);
  tcase_add_test(t, stopwords);
  tcase_add_test(t, hostile_corpus);
  tcase_add_test(t, random_bytes);
  tcase_add_test(t, long_queries);
  tcase_add_test(t, sql_function);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
