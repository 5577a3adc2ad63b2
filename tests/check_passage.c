/* Passage choice: best first, non-overlapping, IDF-weighted, cut with "…"
 * only at word boundaries, the opening as fallback, and robustness on empty,
 * huge and invalid input. */
#include <check.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/fts5.h"
#include "query_private.h"
#include "test_util.h"

static fouille_analyzer *an;
static fouille_passage *ps;
static size_t nps;

static void setup(void) { ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK); }
static void teardown(void) {
  fouille__passages_free(ps, nps);
  ps = NULL, nps = 0;
  fouille_analyzer_free(an);
}

static void make(const char *body, size_t len, const char *w1, const char *w2, const double *idf,
                 int n, int length) {
  fouille__qterm t[2] = {{(char *)w1, 0, 0, 0}, {(char *)w2, 0, 0, 0}};
  fouille__passages_free(ps, nps);
  ps = NULL, nps = 0;
  ck_assert_int_eq(fouille__passages_make(an, body, len, t, idf, w2 ? 2 : 1, n, length, &ps, &nps),
                   0);
}

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xc0) != 0x80;
  return n;
}

/* Strict UTF-8, as JSON encoders want it (jansson's own check). */
static int valid_utf8(const unsigned char *s) {
  json_t *j = json_string((const char *)s);
  json_decref(j);
  return j != NULL;
}

static const char *story =
    "S1 Le marché est calme. S2 Les puces manquent. S3 Rien ne bouge. S4 Il fait beau.\n"
    "S5 Les puces Nvidia et la sécurité inquiètent. S6 Le vent tourne. S7 On attend.\n"
    "S8 La sécurité avant tout. S9 Fin du récit.";

START_TEST(best_first) {
  make(story, strlen(story), "puce", "securite", NULL, 3, 30);
  ck_assert_uint_eq(nps, 3);
  ck_assert_str_eq(ps[0].text, "…puces Nvidia et la sécurité…");
  ck_assert_uint_eq(ps[0].n_spans, 2);
  ck_assert_msg(strstr(ps[1].text, "S2") != NULL, "%s", ps[1].text); /* earlier wins ties */
  ck_assert_msg(strstr(ps[2].text, "S8") != NULL, "%s", ps[2].text);
}
END_TEST

START_TEST(non_overlapping) {
  make(story, strlen(story), "puce", "securite", NULL, 5, 60);
  ck_assert_uint_ge(nps, 2);
  for (int s = 1; s <= 9; s++) {
    char tag[4] = {'S', (char)('0' + s), ' ', 0};
    int seen = 0;
    for (size_t i = 0; i < nps; i++) seen += strstr(ps[i].text, tag) != NULL;
    ck_assert_msg(seen <= 1, "sentence %s in %d passages", tag, seen);
  }
  for (size_t i = 0; i < nps; i++) {
    ck_assert_uint_ge(ps[i].n_spans, 1);
    ck_assert_uint_le(utf8_chars(ps[i].text), 60);
  }
}
END_TEST

START_TEST(idf_weighting) {
  const char *body = "Les puces sont rares. Rien ici. La sécurité prime.";
  double idf[2] = {0.5, 4.0};
  make(body, strlen(body), "puce", "securite", idf, 1, 25);
  ck_assert_str_eq(ps[0].text, "La sécurité prime.");
  idf[0] = 4.0, idf[1] = 0.5;
  make(body, strlen(body), "puce", "securite", idf, 1, 25);
  ck_assert_str_eq(ps[0].text, "Les puces sont rares.");
}
END_TEST

START_TEST(distinct_beats_repeats) {
  const char *body = "Puces, puces, puces et puces. Rien. Les puces et la sécurité.";
  make(body, strlen(body), "puce", "securite", NULL, 1, 30);
  ck_assert_str_eq(ps[0].text, "Les puces et la sécurité.");
}
END_TEST

START_TEST(extended_to_length) {
  make(story, strlen(story), "securite", NULL, NULL, 1, 200);
  /* Grown forward to the end of the body first, then backward. */
  ck_assert_msg(strstr(ps[0].text, "S5 Les puces") != NULL, "%s", ps[0].text);
  ck_assert_msg(strstr(ps[0].text, "S9 Fin du récit.") != NULL, "%s", ps[0].text);
  ck_assert_msg(strncmp(ps[0].text, "S2 ", 3) == 0, "%s", ps[0].text);
  ck_assert_uint_eq(ps[0].n_spans, 2);
  ck_assert_uint_le(utf8_chars(ps[0].text), 200);
}
END_TEST

/* The cut text between the "…" is a run of whole words of body. */
static void check_cut(const char *body, const char *text, size_t length) {
  ck_assert_uint_le(utf8_chars(text), length + 2);
  const char *ell = "\xe2\x80\xa6";
  const char *a = text, *b = text + strlen(text);
  int left = strncmp(a, ell, 3) == 0, right = strcmp(b - 3, ell) == 0;
  if (left) a += 3;
  if (right) b -= 3;
  ck_assert_msg(left || right, "no ellipsis in %s", text);
  char *core = strndup(a, (size_t)(b - a));
  const char *at = strstr(body, core);
  ck_assert_msg(at != NULL, "%s not in body", core);
  if (left) ck_assert_msg(at[-1] == ' ', "starts inside a word: %s", text);
  if (right) ck_assert_msg(at[strlen(core)] == ' ', "ends inside a word: %s", text);
  free(core);
}

START_TEST(long_sentence_cut) {
  char *body = malloc(20000);
  body[0] = '\0';
  for (int i = 0; i < 300; i++) strcat(body, "économie élégante ");
  strcat(body, "la sécurité numérique ");
  for (int i = 0; i < 300; i++) strcat(body, "très étonnante ");
  strcat(body, "fin.");
  for (int len = 20; len <= 200; len += 30) {
    make(body, strlen(body), "securite", NULL, NULL, 1, len);
    ck_assert_uint_eq(nps, 1);
    ck_assert_msg(strstr(ps[0].text, "sécurité") != NULL, "%s", ps[0].text);
    check_cut(body, ps[0].text, (size_t)len);
    ck_assert(valid_utf8((const unsigned char *)ps[0].text));
  }
  free(body);
}
END_TEST

START_TEST(title_only_fallback) {
  make(story, strlen(story), "bitcoin", NULL, NULL, 2, 50);
  ck_assert_uint_eq(nps, 1);
  ck_assert_str_eq(ps[0].text, "S1 Le marché est calme. S2 Les puces manquent.");
  ck_assert_uint_eq(ps[0].n_spans, 0);
  const char *one = "Une très longue phrase d’ouverture qui dépasse largement la longueur.";
  make(one, strlen(one), "bitcoin", NULL, NULL, 2, 30);
  ck_assert_uint_eq(nps, 1);
  check_cut(one, ps[0].text, 30);
  ck_assert_msg(strncmp(ps[0].text, "Une très", 9) == 0, "%s", ps[0].text);
  char giant[400];
  memset(giant, 'a', sizeof giant);
  make(giant, sizeof giant, "bitcoin", NULL, NULL, 1, 30);
  ck_assert_uint_eq(nps, 1);
  ck_assert_uint_eq(utf8_chars(ps[0].text), 31); /* a word longer than a passage is cut */
}
END_TEST

START_TEST(empty) {
  make("", 0, "puce", NULL, NULL, 2, 100);
  ck_assert_uint_eq(nps, 0);
  make(" \n \t ", 5, "puce", NULL, NULL, 2, 100);
  ck_assert_uint_eq(nps, 0);
  make(story, strlen(story), "puce", NULL, NULL, 0, 100);
  ck_assert_uint_eq(nps, 0);
}
END_TEST

START_TEST(huge_body) {
  size_t cap = 1 << 20, len = 0;
  char *body = malloc(cap + 128);
  const char *parts[] = {"Les puces manquent encore. ", "La sécurité des données ",
                         "et des réseaux prime\n", "Un texte sans point ni fin "};
  for (int i = 0; len < cap; i++) {
    const char *p = parts[(i * 7) % 4];
    memcpy(body + len, p, strlen(p)), len += strlen(p);
  }
  make(body, len, "puce", "securite", NULL, 3, 300);
  ck_assert_uint_eq(nps, 3);
  for (size_t i = 0; i < nps; i++) ck_assert_uint_ge(ps[i].n_spans, 1);
  /* One sentence of a megabyte, every word a match. */
  for (size_t i = 0; i + 6 <= cap; i += 6) memcpy(body + i, "puces ", 6);
  make(body, cap, "puce", NULL, NULL, 2, 300);
  ck_assert_uint_eq(nps, 1);
  ck_assert_uint_le(utf8_chars(ps[0].text), 302);
  free(body);
}
END_TEST

START_TEST(invalid_utf8) {
  const char body[] = "Les \xff\xfepuces \xc3 sont\0 là\xe2\x80. La s\xc3\xa9"
                      "curit\xc3\xa9\xed\xa0\x80 prime.";
  make(body, sizeof body - 1, "puce", "securite", NULL, 2, 40);
  ck_assert_uint_ge(nps, 1);
  for (size_t i = 0; i < nps; i++) {
    ck_assert(valid_utf8((const unsigned char *)ps[i].text));
    for (size_t k = 0; k < ps[i].n_spans; k++)
      ck_assert_uint_le(ps[i].spans[k].end, strlen(ps[i].text));
  }
  static unsigned char junk[100000];
  srand(11);
  for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)rand();
  make((const char *)junk, sizeof junk, "puce", "e", NULL, 3, 100);
  for (size_t i = 0; i < nps; i++) ck_assert(valid_utf8((const unsigned char *)ps[i].text));
}
END_TEST

/* ---- The SQL function fouille_passages() ------------------------------------- */

static sqlite3 *db;

static void sql_fill(void) {
  ck_assert_int_eq(
      sqlite3_exec(
          db,
          "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize='fouille_fr');"
          "INSERT INTO articles_fts(rowid, title, body) VALUES (1, 'Puces', "
          "'Rien à dire. Les puces Nvidia manquent. L’été de l’IA étonne.')",
          NULL, NULL, NULL),
      SQLITE_OK);
}

static void sql_library(void) {
  db = test_memory_db(0);
  sql_fill();
}

static void sql_extension(void) {
  db = test_memory_db(1);
  sql_fill();
}

static void sql_close(void) { sqlite3_close(db); }

/* fouille_passages(articles_fts, n, length, q) for the row matching m. */
static json_t *sql_passages(const char *m, int n, int length, const char *q, int *rc) {
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT fouille_passages(articles_fts, ?2, ?3, ?4) FROM "
                                      "articles_fts WHERE articles_fts MATCH ?1",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, m, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, n);
  sqlite3_bind_int(st, 3, length);
  sqlite3_bind_text(st, 4, q, -1, SQLITE_STATIC);
  *rc = sqlite3_step(st);
  json_t *j = NULL;
  if (*rc == SQLITE_ROW) {
    json_error_t e;
    j = json_loads((const char *)sqlite3_column_text(st, 0), 0, &e);
    ck_assert_msg(j != NULL, "%s", e.text);
  }
  sqlite3_finalize(st);
  return j;
}

/* The code points [s, e) of a UTF-8 string. */
static char *cp_slice(const char *t, json_int_t s, json_int_t e) {
  const char *a = t, *b;
  for (json_int_t i = 0; i < s && *a; a++) i += ((unsigned char)a[1] & 0xc0) != 0x80;
  for (b = a; e > s && *b; b++) e -= ((unsigned char)b[1] & 0xc0) != 0x80;
  return strndup(a, (size_t)(b - a));
}

START_TEST(sql_function) {
  int rc;
  json_t *j = sql_passages("puce", 2, 300, "puce ia", &rc);
  ck_assert_int_eq(rc, SQLITE_ROW);
  ck_assert(json_is_array(j));
  ck_assert_uint_eq(json_array_size(j), 1);
  json_t *p = json_array_get(j, 0);
  const char *text = json_string_value(json_object_get(p, "text"));
  ck_assert_str_eq(text, "Rien à dire. Les puces Nvidia manquent. L’été de l’IA étonne.");
  json_t *h = json_object_get(p, "highlights");
  ck_assert_uint_eq(json_array_size(h), 2);
  const char *want[] = {"puces", "IA"};
  for (size_t i = 0; i < 2; i++) {
    json_t *span = json_array_get(h, i);
    char *got = cp_slice(text, json_integer_value(json_array_get(span, 0)),
                         json_integer_value(json_array_get(span, 1)));
    ck_assert_str_eq(got, want[i]);
    free(got);
  }
  json_decref(j);
  j = sql_passages("puce", 2, 300, "-marché", &rc); /* nothing to look for */
  ck_assert_int_eq(rc, SQLITE_ROW);
  ck_assert_uint_eq(json_array_size(j), 0);
  json_decref(j);
  j = sql_passages("puce", 2, 300, "bitcoin", &rc); /* no match: the opening */
  ck_assert_int_eq(rc, SQLITE_ROW);
  ck_assert_uint_eq(json_array_size(j), 1);
  json_decref(j);
  ck_assert_ptr_null(sql_passages("puce", -1, 300, "puce", &rc));
  ck_assert_int_eq(rc, SQLITE_ERROR);
}
END_TEST

int main(void) {
  Suite *s = suite_create("passage");
  TCase *t = tcase_create("core");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, best_first);
  tcase_add_test(t, non_overlapping);
  tcase_add_test(t, idf_weighting);
  tcase_add_test(t, distinct_beats_repeats);
  tcase_add_test(t, extended_to_length);
  tcase_add_test(t, long_sentence_cut);
  tcase_add_test(t, title_only_fallback);
  tcase_add_test(t, empty);
  tcase_add_test(t, huge_body);
  tcase_add_test(t, invalid_utf8);
  suite_add_tcase(s, t);
  TCase *lib = tcase_create("sql_library");
  tcase_add_checked_fixture(lib, sql_library, sql_close);
  tcase_add_test(lib, sql_function);
  suite_add_tcase(s, lib);
  TCase *ext = tcase_create("sql_extension");
  tcase_add_checked_fixture(ext, sql_extension, sql_close);
  tcase_add_test(ext, sql_function);
  suite_add_tcase(s, ext);
  return test_run_suite(s);
}
