/* The JSON Lines reader: one article per line, ids, body aliases, tags,
 * dates; malformed lines refused one by one with their line number. */
#include "read_collect.h"
#include "test_util.h"

#define NB "\xC2\xA0"

/* Feeds a whole JSON Lines file line by line; counts errors and blanks. */
static void read_lines(collector *c, const char *data, size_t len, int *errors, int *blanks,
                       char last_error[256]) {
  fouille__reader_ctx rc = reader_ctx(c);
  unsigned long lineno = 0;
  const char *p = data, *end = data + len;
  *errors = *blanks = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) nl = end;
    int r = fouille__read_jsonl_line(p, (size_t)(nl - p), ++lineno, &rc);
    ck_assert(r == 0 || r == 1 || r == FOUILLE_EPARSE);
    if (r == FOUILLE_EPARSE) {
      if (!(*errors)++) snprintf(last_error, 256, "%s", fouille_error_last());
    }
    *blanks += r == 1;
    p = nl + 1;
  }
}

static int line(collector *c, const char *s) {
  fouille__reader_ctx rc = reader_ctx(c);
  return fouille__read_jsonl_line(s, strlen(s), 9, &rc);
}

START_TEST(fixture_depeches) {
  size_t len;
  char *data = test_read(test_data("articles/jsonl/depeches.jsonl"), &len);
  collector c = {0};
  int errors, blanks;
  char err[256];
  read_lines(&c, data, len, &errors, &blanks, err);
  ck_assert_int_eq(errors, 0);
  ck_assert_int_eq(blanks, 1);
  ck_assert_int_eq(c.nproblems, 0);
  ck_assert_int_eq(c.n, 4);
  collected *a = c.a;
  ck_assert_str_eq(a[0].id, "afp-001");
  ck_assert_uint_eq(a[0].line, 1);
  ck_assert_str_eq(a[0].title, "Le Sénat adopte la réforme des retraites");
  ck_assert_str_eq(a[0].body, "Les sénateurs ont adopté le texte par 195 voix contre 112.");
  ck_assert_str_eq(a[0].date, "2023-03-11");
  ck_assert_str_eq(a[0].source, "AFP");
  ck_assert_str_eq(a[0].url, "https://exemple.fr/depeches/afp-001");
  ck_assert_str_eq(a[0].author, "Service politique");
  ck_assert_str_eq(a[0].tags, "politique, retraites");
  ck_assert_str_eq(a[1].id, "42");
  ck_assert_str_eq(a[1].body, "Météo-France a placé six départements en vigilance orange" NB
                              ": la Gironde est la plus touchée.");
  ck_assert_str_eq(a[1].date, "2024-03-12T10:00:00+01:00");
  ck_assert_str_eq(a[1].tags, "météo");
  ck_assert_ptr_null(a[1].source);
  ck_assert_str_eq(a[2].id, "L4");
  ck_assert_uint_eq(a[2].line, 4);
  ck_assert_str_eq(a[2].title, "Le prix du blé s’envole");
  ck_assert_str_eq(a[2].date, "2023-04-01");
  ck_assert(body_has(&a[2], "8" NB "% en une semaine"));
  ck_assert_str_eq(a[3].id, "afp-004");
  ck_assert_str_eq(a[3].date, "2024-03-12");
  collector_free(&c);
  free(data);
}
END_TEST

START_TEST(fixture_mauvais) {
  size_t len;
  char *data = test_read(test_data("broken/mauvais.jsonl"), &len);
  collector c = {0};
  int errors, blanks;
  char err[256];
  read_lines(&c, data, len, &errors, &blanks, err);
  ck_assert_int_eq(errors, 4); /* lines 2, 3, 4, 7 */
  ck_assert(strncmp(err, "line 2: invalid JSON: ", 22) == 0);
  ck_assert_int_eq(blanks, 1);
  ck_assert_int_eq(c.n, 3);
  ck_assert_str_eq(c.a[0].id, "ok-1");
  ck_assert_str_eq(c.a[1].id, "ok-6");
  ck_assert_ptr_null(c.a[1].date);
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_uint_eq(c.problem_lines[0], 6);
  ck_assert_str_eq(c.problems[0], "unparsable date 'bientôt' ignored");
  ck_assert_str_eq(c.a[2].id, "ok-8");
  ck_assert_str_eq(c.a[2].body, "avantaprès"); /* the NUL is stripped */
  ck_assert_uint_eq(c.a[2].body_len, 11);
  collector_free(&c);
  free(data);
}
END_TEST

START_TEST(error_messages) {
  collector c = {0};
  ck_assert_int_eq(line(&c, "[1, 2]"), FOUILLE_EPARSE);
  ck_assert_str_eq(fouille_error_last(), "line 9: not a JSON object");
  ck_assert_int_eq(line(&c, "{\"title\": \"t\", \"body\": 3}"), FOUILLE_EPARSE);
  ck_assert_str_eq(fouille_error_last(), "line 9: no body/text/content field");
  ck_assert_int_eq(line(&c, "{\"body\": \"a\"} {\"body\": \"b\"}"), FOUILLE_EPARSE);
  ck_assert(strncmp(fouille_error_last(), "line 9: invalid JSON: ", 22) == 0);
  ck_assert_int_eq(line(&c, "{\"body\": \"\\ud800\"}"), FOUILLE_EPARSE);
  ck_assert_int_eq(line(&c, "   \t\r"), 1);
  ck_assert_int_eq(line(&c, ""), 1);
  ck_assert_int_eq(c.n, 0);
  collector_free(&c);
}
END_TEST

START_TEST(fields) {
  collector c = {0};
  ck_assert_int_eq(line(&c,
                        "{\"id\": -7, \"text\": \"t\", \"content\": \"c\", \"tags\": [\"a\", 3, "
                        "\"\", \"b\"], \"title\": 12, \"date\": \"2024\", \"extra\": {}}\r"),
                   0);
  ck_assert_str_eq(c.a[0].id, "-7");
  ck_assert_str_eq(c.a[0].body, "t"); /* body, then text, then content */
  ck_assert_str_eq(c.a[0].tags, "a, b");
  ck_assert_ptr_null(c.a[0].title); /* not a string */
  ck_assert_str_eq(c.a[0].date, "2024");
  ck_assert_uint_eq(c.a[0].line, 9);
  ck_assert_int_eq(line(&c, "{\"id\": 1.5, \"body\": \"\", \"date\": \"\"}"), 0);
  ck_assert_str_eq(c.a[1].id, "L9");
  ck_assert_str_eq(c.a[1].body, "");
  ck_assert_ptr_null(c.a[1].date);
  ck_assert_int_eq(c.nproblems, 0);
  c.stop_with = 5;
  ck_assert_int_eq(line(&c, "{\"body\": \"x\"}"), 5);
  collector_free(&c);
}
END_TEST

START_TEST(hostile_lines) {
  unsigned seed = 7;
  char buf[256];
  collector c = {0};
  fouille__reader_ctx rc = reader_ctx(&c);
  for (int round = 0; round < 3000; round++) {
    size_t n = (size_t)(round % 200);
    static const char alphabet[] = "{}[]\":,\\u0123abn \x00\xff\xc3\xa9";
    for (size_t i = 0; i < n; i++)
      seed = seed * 1103515245u + 12345u, buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    int r = fouille__read_jsonl_line(buf, n, 1, &rc);
    ck_assert(r == 0 || r == 1 || r == FOUILLE_EPARSE);
  }
  collector_free(&c);
}
END_TEST

int main(void) {
  Suite *s = suite_create("read_jsonl");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, fixture_depeches);
  tcase_add_test(tc, fixture_mauvais);
  tcase_add_test(tc, error_messages);
  tcase_add_test(tc, fields);
  tcase_add_test(tc, hostile_lines);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
