/* The option parsers of fouille-query, fouille-index and fouille-export
 * (cli/query_args.c, cli/index_args.c, cli/export_args.c): hostile values one by one (--serve
 * '[:8080' once crashed), then 100,000 argument vectors per tool drawn by a seeded PRNG from the
 * options of both tools and hostile values, each holding the promises of fuzz/cli_args_props.h
 * (exit 0, 2 or 3, at most one line of message, values in range), and parsing the same vector twice
 * gives the same answer. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args_props.h"
#include "test_util.h"

#define VECTORS 100000
#define MAX_ARGS 12

/* Parses argv (NULL-terminated, argv[0] the program) with the query parser;
 * checks the promises; returns the exit code, the message in msg. */
static int query(fouille__query_args *a, char **argv, char *msg, size_t size) {
  char *out = NULL;
  size_t len = 0;
  int argc = 0;
  while (argv[argc]) argc++;
  int rc = cli_props_run_query(a, argc, argv, &out, &len);
  const char *bad = cli_props_query(rc, a, out, len);
  ck_assert_msg(!bad, "%s: exit %d, message [%s]", bad, rc, out);
  snprintf(msg, size, "%s", out);
  free(out);
  return rc;
}

static int index_parse(fouille__index_args *a, char **argv, char *msg, size_t size) {
  char *out = NULL;
  size_t len = 0;
  int argc = 0;
  while (argv[argc]) argc++;
  int rc = cli_props_run_index(a, argc, argv, &out, &len);
  const char *bad = cli_props_index(rc, a, argc, argv, out, len);
  ck_assert_msg(!bad, "%s: exit %d, message [%s]", bad, rc, out);
  snprintf(msg, size, "%s", out);
  free(out);
  return rc;
}

static int export_parse(fouille__export_args *a, char **argv, char *msg, size_t size) {
  char *out = NULL;
  size_t len = 0;
  int argc = 0;
  while (argv[argc]) argc++;
  int rc = cli_props_run_export(a, argc, argv, &out, &len);
  const char *bad = cli_props_export(rc, a, out, len);
  ck_assert_msg(!bad, "%s: exit %d, message [%s]", bad, rc, out);
  snprintf(msg, size, "%s", out);
  free(out);
  return rc;
}

/* One --serve value: the exit code expected, and the address and port. */
static void serve_case(const char *value, int want_rc, const char *addr, int port) {
  char *argv[] = {"fouille-query", "--serve", (char *)value, NULL}, msg[512];
  fouille__query_args a;
  int rc = query(&a, argv, msg, sizeof msg);
  ck_assert_msg(rc == want_rc, "--serve '%s': exit %d [%s]", value, rc, msg);
  if (rc == FOUILLE__CLI_OK) {
    ck_assert_str_eq(a.address, addr);
    ck_assert_int_eq(a.port, port);
  } else {
    ck_assert_msg(strstr(msg, "bad --serve"), "--serve '%s': %s", value, msg);
  }
  fouille__query_args_free(&a);
}

START_TEST(serve_values) {
  serve_case("[:8080", 2, NULL, 0);
  serve_case("[", 2, NULL, 0);
  serve_case("]", 2, NULL, 0);
  serve_case("[]:80", 2, NULL, 0);
  serve_case(":80", 2, NULL, 0);
  serve_case("1.2.3.4:", 2, NULL, 0);
  serve_case("[::1]", 2, NULL, 0);
  serve_case("8080x", 2, NULL, 0);
  serve_case("65536", 2, NULL, 0);
  serve_case("[a]b:80", 2, NULL, 0);
  serve_case("8080", 0, "127.0.0.1", 8080);
  serve_case("0", 0, "127.0.0.1", 0);
  serve_case("[::1]:8080", 0, "::1", 8080);
  serve_case("::1:8080", 0, "::1", 8080);
  serve_case("0.0.0.0:65535", 0, "0.0.0.0", 65535);
}
END_TEST

/* Exit code of fouille-query given its arguments after the program name. */
static int query_rc(const char *a1, const char *a2, const char *a3) {
  char *argv[] = {"fouille-query", (char *)a1, (char *)a2, (char *)a3, NULL}, msg[512];
  fouille__query_args a;
  int rc = query(&a, argv, msg, sizeof msg);
  fouille__query_args_free(&a);
  return rc;
}

START_TEST(query_values) {
  ck_assert_int_eq(query_rc("--limit=99999999999999999999", "x", NULL), 2);
  ck_assert_int_eq(query_rc("--limit", "1000", "x"), 0);
  ck_assert_int_eq(query_rc("--limit", "1001", "x"), 2);
  ck_assert_int_eq(query_rc("--limit", "+5", "x"), 2);
  ck_assert_int_eq(query_rc("--passage-length", "0", "x"), 2);
  ck_assert_int_eq(query_rc("--offset", "2147483647", "x"), 0);
  ck_assert_int_eq(query_rc("--offset", "2147483648", "x"), 2);
  ck_assert_int_eq(query_rc("--max-connections", "0", NULL), 2);
  ck_assert_int_eq(query_rc("--serve", "80", "velo"), 2);
  ck_assert_int_eq(query_rc("-", NULL, NULL), 0); /* a QUERY word (empty for the parser) */
  ck_assert_int_eq(query_rc("--", "-paris", "velo"), 0);
  ck_assert_int_eq(query_rc("--bogus\nline", "x", NULL), 2);
  ck_assert_int_eq(query_rc("--version", "--bogus", NULL), 0);
  ck_assert_int_eq(query_rc(NULL, NULL, NULL), 2);
}
END_TEST

static int index_rc(const char *a1, const char *a2, const char *a3) {
  char *argv[] = {"fouille-index", (char *)a1, (char *)a2, (char *)a3, NULL}, msg[512];
  fouille__index_args a;
  int rc = index_parse(&a, argv, msg, sizeof msg);
  fouille__index_args_free(&a);
  return rc;
}

START_TEST(index_values) {
  ck_assert_int_eq(index_rc(NULL, NULL, NULL), 0); /* every recorded root */
  ck_assert_int_eq(index_rc("--check", NULL, NULL), 0);
  ck_assert_int_eq(index_rc("--forget", "afp", NULL), 0);
  ck_assert_int_eq(index_rc("--forget", "afp", "a"), 2);
  ck_assert_int_eq(index_rc("--stdin", "flux", NULL), 0);
  ck_assert_int_eq(index_rc("--stdin", "flux", "--dry-run"), 2);
  ck_assert_int_eq(index_rc("--db", NULL, NULL), 2);
  ck_assert_int_eq(index_rc("--batch", "0", "a"), 2);
  ck_assert_int_eq(index_rc("--batch=10000000", "a", NULL), 0);
  ck_assert_int_eq(index_rc("--batch=10000001", "a", NULL), 2);
  ck_assert_int_eq(index_rc("--max-file-size", "1099511627776", "a"), 0);
  ck_assert_int_eq(index_rc("--max-file-size", "1099511627777", "a"), 2);
  ck_assert_int_eq(index_rc("a", "--rebuild", "b"), 0);
  ck_assert_int_eq(index_rc("-", NULL, NULL), 0); /* "-" is a PATH */
  ck_assert_int_eq(index_rc("-x", "a", NULL), 2);
}
END_TEST

/* ---- Random argument vectors --------------------------------------------------- */

static const char *const options[] = {"--db",
                                      "--limit",
                                      "--offset",
                                      "--passages",
                                      "--passage-length",
                                      "--since",
                                      "--until",
                                      "--source",
                                      "--sort",
                                      "--json",
                                      "--ids",
                                      "--count",
                                      "--color",
                                      "--colour",
                                      "--serve",
                                      "--cors",
                                      "--max-connections",
                                      "--max-connections-per-ip",
                                      "--help",
                                      "--version",
                                      "--rebuild",
                                      "--optimize",
                                      "--check",
                                      "--stats",
                                      "--dry-run",
                                      "--exclude",
                                      "--no-delete",
                                      "--quiet",
                                      "--max-file-size",
                                      "--batch",
                                      "--cursor",
                                      "--bulk",
                                      "--compact",
                                      "--index",
                                      "--cursor-file",
                                      "--lim",
                                      "--se",
                                      "--",
                                      "-",
                                      "-x",
                                      "-abc",
                                      "--bogus"};

static const char *const values[] = {"",
                                     "0",
                                     "1",
                                     "-1",
                                     "+1",
                                     "10",
                                     "1000",
                                     "1001",
                                     "65535",
                                     "65536",
                                     "2147483648",
                                     "99999999999999999999",
                                     "1e3",
                                     "0x10",
                                     " 5",
                                     "[:8080",
                                     "[",
                                     "]",
                                     "[]",
                                     "[]:80",
                                     "[::1]:8080",
                                     "::1:0",
                                     ":80",
                                     "127.0.0.1:",
                                     "0.0.0.0:0",
                                     "date",
                                     "relevance",
                                     "always",
                                     "never",
                                     "auto",
                                     "2024-02-30",
                                     "*.tmp",
                                     "velo",
                                     "\"piste cyclable\"",
                                     "-paris",
                                     "\xff\xfe",
                                     "v\xc3\xa9lo",
                                     "\xc3",
                                     "line\nbreak",
                                     "tab\there",
                                     "\x1b[31m",
                                     "--",
                                     "-"};

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void) { /* xorshift64 */
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return rng;
}

#define PICK(table) (table)[next() % (sizeof(table) / sizeof(table)[0])]

/* Fills buf[i] with argument i (an option, "--option=value", a value or a
 * very long string) and argv with pointers to them; returns argc. */
static int random_vector(char buf[][512], char **argv, char *program) {
  int argc = 1 + (int)(next() % MAX_ARGS);
  argv[0] = program;
  for (int i = 1; i < argc; i++) {
    unsigned kind = (unsigned)(next() % 20);
    if (kind < 9)
      snprintf(buf[i], 512, "%s", PICK(options));
    else if (kind < 11)
      snprintf(buf[i], 512, "%s=%s", PICK(options), PICK(values));
    else if (kind < 19)
      snprintf(buf[i], 512, "%s", PICK(values));
    else
      memset(buf[i], 'a' + (int)(next() % 26), 511), buf[i][511] = '\0';
    argv[i] = buf[i];
  }
  argv[argc] = NULL;
  return argc;
}

START_TEST(random_query_vectors) {
  static char buf[MAX_ARGS + 1][512];
  char *argv[MAX_ARGS + 2], msg1[512], msg2[512];
  int seen[4] = {0};
  for (int n = 0; n < VECTORS; n++) {
    fouille__query_args a, b;
    random_vector(buf, argv, "fouille-query");
    int rc = query(&a, argv, msg1, sizeof msg1), rc2 = query(&b, argv, msg2, sizeof msg2);
    ck_assert_msg(rc == rc2 && strcmp(msg1, msg2) == 0, "vector %d: not the same twice", n);
    seen[rc]++;
    fouille__query_args_free(&a);
    fouille__query_args_free(&b);
  }
  ck_assert_msg(seen[0] > VECTORS / 50 && seen[2] > VECTORS / 50, "ok %d, usage %d", seen[0],
                seen[2]);
}
END_TEST

START_TEST(random_index_vectors) {
  static char buf[MAX_ARGS + 1][512];
  char *argv[MAX_ARGS + 2], msg[512];
  int seen[4] = {0};
  for (int n = 0; n < VECTORS; n++) {
    fouille__index_args a;
    random_vector(buf, argv, "fouille-index");
    int rc = index_parse(&a, argv, msg, sizeof msg);
    seen[rc]++;
    fouille__index_args_free(&a);
  }
  ck_assert_msg(seen[0] > VECTORS / 50 && seen[2] > VECTORS / 50, "ok %d, usage %d", seen[0],
                seen[2]);
}
END_TEST

START_TEST(random_export_vectors) {
  static char buf[MAX_ARGS + 1][512];
  char *argv[MAX_ARGS + 2], msg[512];
  int seen[4] = {0};
  for (int n = 0; n < VECTORS; n++) {
    fouille__export_args a;
    random_vector(buf, argv, "fouille-export");
    seen[export_parse(&a, argv, msg, sizeof msg)]++;
  }
  /* Few vectors make a valid export (one mode, --bulk's options only with
   * it): about 1 % are accepted. */
  ck_assert_msg(seen[0] > VECTORS / 200 && seen[2] > VECTORS / 50, "ok %d, usage %d", seen[0],
                seen[2]);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cli_args");
  TCase *tc = tcase_create("cli_args");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, serve_values);
  tcase_add_test(tc, query_values);
  tcase_add_test(tc, index_values);
  tcase_add_test(tc, random_query_vectors);
  tcase_add_test(tc, random_index_vectors);
  tcase_add_test(tc, random_export_vectors);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
