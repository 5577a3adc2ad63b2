/* The JSON Lines reader: one article per line, ids, body aliases, tags,
 * dates; malformed lines refused one by one with their line number. */
#include "jsonl_yajl.h"
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

/* ---- the fast path (jsonl_yajl.c) against jansson alone ---------------------------- */

typedef struct trace {
  char s[4096];
  size_t n;
} trace;

static void trace_add(trace *t, const char *what, const char *v) {
  t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "%s=%s|", what, v ? v : "(null)");
  if (t->n >= sizeof t->s) t->n = sizeof t->s - 1;
}

static int trace_article(void *ctx, const fouille__article *a) {
  trace *t = ctx;
  const char *names[] = {"id", "title", "date", "source", "url", "author", "tags", "body"};
  const char *v[] = {a->id, a->title, a->date, a->source, a->url, a->author, a->tags, a->body};
  char n[64];
  for (int i = 0; i < 8; i++) trace_add(t, names[i], v[i]);
  snprintf(n, sizeof n, "%zu/%lu/%d", a->body_len, a->line, a->deleted);
  trace_add(t, "len/line/deleted", n);
  return 0;
}

static void trace_problem(void *ctx, unsigned long line, const char *msg, int warn) {
  char n[32];
  snprintf(n, sizeof n, "%lu/%d", line, warn);
  trace_add(ctx, n, msg);
}

/* What reading the line gives: return code, articles, problems, error. */
static void trace_line(trace *t, const char *s, size_t n, int jansson_only) {
  fouille__reader_ctx rc = {trace_article, trace_problem, t};
  char r[16];
  t->n = 0;
  fouille_error_clear();
  int got = jansson_only ? fouille__read_jsonl_line_jansson(s, n, 3, &rc)
                         : fouille__read_jsonl_line(s, n, 3, &rc);
  snprintf(r, sizeof r, "%d", got);
  trace_add(t, "rc", r);
  trace_add(t, "error", got < 0 ? fouille_error_last() : "");
}

static int fast_takes(const char *s, size_t n) {
  fouille__jsonl_fields f;
  int got = fouille__jsonl_fast(s, n, &f);
  if (got > 0) free(f.buf);
  return got;
}

static void same_as_jansson(const char *s, size_t n) {
  trace a, b;
  trace_line(&a, s, n, 0);
  trace_line(&b, s, n, 1);
  ck_assert_msg(strcmp(a.s, b.s) == 0, "line %.*s:\n fast %s\n jansson %s", (int)n, s, a.s, b.s);
}

/* Each line: 'F' when the fast path's parser must take it, 'J' when it
 * must leave it to jansson; either way the reader gives what jansson alone
 * gives. */
static const char *const lines[] = {
    "F{\"id\":\"a\",\"title\":\"T\",\"body\":\"B\",\"date\":\"2024-03-12\",\"source\":\"S\","
    "\"url\":\"u\",\"author\":\"A\",\"synthetic\":false,\"n\":-12,\"z\":null}",
    "F {\"id\" : \"a\\u00e9\\n\\t\\\"\\\\\\/\\b\\f\\r\" , \"body\":\"x\\ud83d\\ude00y\\u20AC\"} ",
    "F{\"id\":\"\",\"body\":\"\"}",
    "F{\"body\":null,\"text\":\"t\",\"content\":\"c\"}",
    "F{\"content\":\"c\",\"title\":true}",
    "F{\"tags\":[\"a\",\"\",\"b\"],\"body\":\"x\"}",
    "F{\"tags\":[ \"\" , \"\" ],\"body\":\"x\"}",
    "F{\"tags\":[],\"body\":\"x\"}",
    "F{\"tags\":\"x, y\",\"body\":\"b\u00e9\"}",
    "F{\"date\":\"pas une date\",\"body\":\"x\"}",
    "F{\"id\":\"d\",\"deleted\":true}",
    "F{\"id\":\"d\",\"deleted\":false,\"body\":\"x\"}",
    "F{\"id\":\"d\",\"deleted\":\"true\",\"body\":\"x\"}",
    "F{}",
    "J{\"t\\u00e9\":1, \"\u00e9\":0}",
    "J{\"id\":42,\"body\":\"x\"}",
    "J{\"id\":\"d\",\"deleted\":true,\"deleted\":true}",
    "F{\"deleted\":true}", /* parsed, then left to jansson: no id */
    "J{\"tags\":[\"a\",1],\"body\":\"x\"}",
    "J{\"body\":\"x\",\"body\":\"y\"}",
    "J{\"x\":{\"y\":1},\"body\":\"b\"}",
    "J{\"x\":[1],\"body\":\"b\"}",
    "J{\"x\":1.5,\"body\":\"b\"}",
    "J{\"x\":1e3,\"body\":\"b\"}",
    "J{\"x\":012,\"body\":\"b\"}",
    "J{\"x\":1234567890123456789012,\"body\":\"b\"}",
    "J{\"body\":\"a\xff\"}",
    "J{\"body\":\"\xc0\xaf\"}",
    "J{\"body\":\"\xed\xa0\x80\"}",
    "J{\"body\":\"a\x01\"}",
    "J{\"body\":\"x\"} z",
    "J[1,2]",
    "J\"texte\"",
    "J{\"body\":\"\\u0000x\"}",
    "J{\"body\":\"\\ud800\"}",
    "J{\"body\":\"\\udc00\"}",
    "J{\"body\":\"\\ud800\\u0041\"}",
    "J{\"bo\\u0064y\":\"x\"}",
    "J{\"body\":\"x\",}",
    "J{\"body\":\"x\"",
    "J{\"body\":\"x",
    "J{\"body\":\"\\x\"}",
    "J{\"body\":\"a\\u00\"}",
    "J{\"body\":\"x\",\"a\":nul}",
    "J{\"body\":\"x\",\"a\":truex}",
    "J{\"source\":1,\"body\":\"x\"}",
    "J\xef\xbb\xbf{\"body\":\"x\"}",
    "J{'body':'x'}",
    /* where yajl alone would read the line otherwise than jansson */
    "J{\"body\":\"x\"}\v",
    "J{\"body\":\"x\",\f\"a\":1}",
    "J{\"body\":\"x\"} \"",
    "J{\"body\":\"x\"}{}",
    "F{\"body\":\"x\"} \t\r",
    "J{\"\xc0\xaf\":1,\"body\":\"x\"}",
    "J{\"body\":\"\xf4\x90\x80\x80\"}",
    "J{\"body\":\"\xed\xb0\x80\"}",
    "J{\"body\":\"\\ud800x\"}",
    "J{\"body\":\"\\ud800\\n\"}",
    "F{\"body\":\"\\\\ud800\"}",
    "J{\"x\":1234567890123456,\"body\":\"b\"}",
    "F{\"x\":123456789012345,\"y\":-0,\"body\":\"b\"}",
    "J{\"body\":\"x\"}/*c*/",
    "J{/*c*/\"body\":\"x\"}",
    "J{\"body\":\"x\"}//c",
    "J{\"tags\":[[\"a\"]],\"body\":\"x\"}",
    "J{\"tags\":[\"a\",null],\"body\":\"x\"}",
    "J{\"tags\":[\"a\"],\"tags\":\"b\",\"body\":\"x\"}",
    "J{\"x\":true,\"deleted\":true,\"deleted\":false,\"id\":\"d\"}",
    "F{\"\":\"e\",\"body\":\"x\"}",
};

START_TEST(fast_path_same_as_jansson) {
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    const char *s = lines[i] + 1;
    ck_assert_msg(fast_takes(s, strlen(s)) == (lines[i][0] == 'F'), "%s", lines[i]);
    same_as_jansson(s, strlen(s));
  }
  /* a raw NUL byte inside a string and outside */
  same_as_jansson("{\"body\":\"a\0b\"}", 14);
  same_as_jansson("{\"body\":\"ab\"}\0", 14);
}
END_TEST

/* Every line above with one byte replaced, inserted or deleted, 30,000
 * times: the reader still gives what jansson alone gives. */
START_TEST(fast_path_mutations) {
  static const char alphabet[] =
      "{}[]\":,\\/u0123456789abcdefDntrl-+.eE \t\v\f\x01\xc3\xa9\xff\xed";
  unsigned seed = 11;
  char buf[512];
  int taken = 0;
  for (int round = 0; round < 30000; round++) {
    const char *src = lines[round % (sizeof lines / sizeof lines[0])] + 1;
    size_t n = strlen(src);
    memcpy(buf, src, n);
    for (int m = 0; m < 1 + round % 3; m++) {
      seed = seed * 1103515245u + 12345u;
      size_t at = (seed >> 8) % (n + 1);
      char c = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
      if (seed % 3 == 0 && at < n) {
        buf[at] = c;
      } else if (seed % 3 == 1 && n < sizeof buf - 1) {
        memmove(buf + at + 1, buf + at, n - at), buf[at] = c, n++;
      } else if (at < n) {
        memmove(buf + at, buf + at + 1, n - at - 1), n--;
      }
    }
    taken += fast_takes(buf, n);
    same_as_jansson(buf, n);
  }
  ck_assert_int_gt(taken, 2000); /* the mutations did reach the fast path */
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
  tcase_add_test(tc, fast_path_same_as_jansson);
  tcase_add_test(tc, fast_path_mutations);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
