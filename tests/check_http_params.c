/* HTTP request validation (query/http_params.c): routes, numbers, dates,
 * sort, UTF-8, unknown names, and hostile bytes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "http_private.h"
#include "test_util.h"

static int param(fouille__http_search *s, const char *name, const char *value) {
  return fouille__http_search_param(s, name, value);
}

START_TEST(test_routes) {
  const char *key;
  ck_assert_int_eq(fouille__http_route_of("/search", &key), FOUILLE__ROUTE_SEARCH);
  ck_assert_int_eq(fouille__http_route_of("/stats", &key), FOUILLE__ROUTE_STATS);
  ck_assert_int_eq(fouille__http_route_of("/health", &key), FOUILLE__ROUTE_HEALTH);
  ck_assert_int_eq(fouille__http_route_of("/articles/2019/a.html#3", &key), FOUILLE__ROUTE_ARTICLE);
  ck_assert_str_eq(key, "2019/a.html#3");
  ck_assert_int_eq(fouille__http_route_of("/articles/", &key), FOUILLE__ROUTE_NONE);
  ck_assert_int_eq(fouille__http_route_of("/articles", &key), FOUILLE__ROUTE_ARTICLES);
  ck_assert_ptr_null(key);
  ck_assert_int_eq(fouille__http_route_of("/search/", &key), FOUILLE__ROUTE_NONE);
  ck_assert_int_eq(fouille__http_route_of("", &key), FOUILLE__ROUTE_NONE);
  ck_assert_int_eq(fouille__http_route_of("/", &key), FOUILLE__ROUTE_PAGE);
  ck_assert_int_eq(fouille__http_route_of("/page.js", &key), FOUILLE__ROUTE_PAGE);
  ck_assert_int_eq(fouille__http_route_of("/page.css", &key), FOUILLE__ROUTE_PAGE);
  ck_assert_int_eq(fouille__http_route_of("/index.html", &key), FOUILLE__ROUTE_NONE);
  ck_assert_int_eq(fouille__http_route_of(NULL, &key), FOUILLE__ROUTE_NONE);
}
END_TEST

START_TEST(test_numbers) {
  fouille__http_search s;
  fouille__http_search_init(&s);
  ck_assert_int_eq(s.options.limit, 10);
  ck_assert_int_eq(param(&s, "limit", "100"), FOUILLE_OK);
  ck_assert_int_eq(s.options.limit, 100);
  ck_assert_int_eq(param(&s, "offset", "10000"), FOUILLE_OK);
  ck_assert_int_eq(s.options.offset, 10000);
  ck_assert_int_eq(param(&s, "passages", "0"), FOUILLE_OK);
  ck_assert_int_eq(s.options.passages, 0);
  const char *bad[] = {
      "", "abc", "-1", "+5", " 5", "5 ", "1e2", "0x10", "101", "99999999999999999999", "0"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ck_assert_int_eq(param(&s, "limit", bad[i]), FOUILLE_EINVAL);
    ck_assert_ptr_nonnull(strstr(fouille_error_last(), "limit"));
  }
  ck_assert_int_eq(param(&s, "limit", NULL), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "offset", "10001"), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "passage_length", "39"), FOUILLE_EINVAL);
  ck_assert_int_eq(s.options.limit, 100); /* failures leave the value alone */
}
END_TEST

START_TEST(test_dates_sort) { /* and exact */
  fouille__http_search s;
  fouille__http_search_init(&s);
  const char *good[] = {"2019", "2019-02", "2024-02-29", "2019-12-31"};
  const char *bad[] = {"",           "19",         "2019-13", "2019-00",  "2019-02-29",
                       "2019-04-31", "2019/02/03", "hier",    "2019-1-1", "2019-01-01T00:00"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    ck_assert_int_eq(param(&s, "since", good[i]), FOUILLE_OK);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_int_eq(param(&s, "until", bad[i]), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "sort", "date"), FOUILLE_OK);
  ck_assert_int_eq(s.options.sort, FOUILLE_SORT_DATE);
  ck_assert_int_eq(param(&s, "sort", "relevance"), FOUILLE_OK);
  ck_assert_int_eq(s.options.sort, FOUILLE_SORT_RELEVANCE);
  ck_assert_int_eq(param(&s, "sort", "pertinence"), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "sort", NULL), FOUILLE_EINVAL);
  ck_assert_int_eq(s.options.exact, 0); /* typo tolerance unless exact=1 */
  ck_assert_int_eq(param(&s, "exact", "1"), FOUILLE_OK);
  ck_assert_int_eq(s.options.exact, 1);
  ck_assert_int_eq(param(&s, "exact", "0"), FOUILLE_OK);
  ck_assert_int_eq(s.options.exact, 0);
  ck_assert_int_eq(param(&s, "exact", "2"), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "exact", "yes"), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "q", "x"), FOUILLE_OK);
  ck_assert_int_eq(param(&s, "since", "2021"), FOUILLE_OK);
  ck_assert_int_eq(param(&s, "until", "2020-01-01"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_finish(&s), FOUILLE_OK); /* year vs day: not compared */
  ck_assert_int_eq(param(&s, "since", "2021-05-02"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_finish(&s), FOUILLE_EINVAL);
}
END_TEST

START_TEST(test_query_text) {
  fouille__http_search s;
  char *big = malloc(FOUILLE__HTTP_Q_MAX + 2);
  fouille__http_search_init(&s);
  ck_assert_int_eq(fouille__http_search_finish(&s), FOUILLE_EINVAL); /* missing q */
  ck_assert_int_eq(param(&s, "q", " \t\r\n"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_finish(&s), FOUILLE_EINVAL); /* blank */
  ck_assert_int_eq(param(&s, "q", "vélo électrique"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_finish(&s), FOUILLE_OK);
  ck_assert_int_eq(param(&s, "q", "\xff\xfe"), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "q", "\xc3"), FOUILLE_EINVAL);             /* truncated */
  ck_assert_int_eq(param(&s, "q", "\xed\xa0\x80"), FOUILLE_EINVAL);     /* surrogate */
  ck_assert_int_eq(param(&s, "q", "\xc0\xaf"), FOUILLE_EINVAL);         /* overlong */
  ck_assert_int_eq(param(&s, "q", "\xf4\x90\x80\x80"), FOUILLE_EINVAL); /* > U+10FFFF */
  memset(big, 'a', FOUILLE__HTTP_Q_MAX + 1);
  big[FOUILLE__HTTP_Q_MAX + 1] = '\0';
  ck_assert_int_eq(param(&s, "q", big), FOUILLE_EINVAL);
  big[FOUILLE__HTTP_Q_MAX] = '\0';
  ck_assert_int_eq(param(&s, "q", big), FOUILLE_OK);
  ck_assert_int_eq(param(&s, "source", "Le Monde"), FOUILLE_OK);
  ck_assert_str_eq(s.options.source, "Le Monde");
  free(big);
}
END_TEST

START_TEST(test_unknown_names) {
  fouille__http_search s;
  fouille__http_search_init(&s);
  ck_assert_int_eq(param(&s, "colour", "bleu"), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "colour: unknown parameter"));
  ck_assert_int_eq(param(&s, "\xff%s%n", "x"), FOUILLE_EINVAL); /* not echoed */
  ck_assert_ptr_null(strstr(fouille_error_last(), "\xff"));
  ck_assert_int_eq(param(&s, NULL, "x"), FOUILLE_EINVAL);
  ck_assert_int_eq(param(&s, "", ""), FOUILLE_EINVAL);
}
END_TEST

/* Random bytes as names and values: never a crash, always OK or EINVAL. */
START_TEST(test_random_bytes) {
  fouille__http_search s;
  const char *names[] = {"q", "limit", "offset", "since", "until", "sort", "passages", "source"};
  char buf[24];
  unsigned seed = 12345;
  fouille__http_search_init(&s);
  for (int i = 0; i < 20000; i++) {
    size_t n = (seed = seed * 1103515245u + 12345u) % sizeof buf;
    for (size_t j = 0; j < n; j++) buf[j] = (char)((seed = seed * 1103515245u + 12345u) >> 16);
    buf[n] = '\0';
    int rc = param(&s, names[i % 8], buf);
    ck_assert(rc == FOUILLE_OK || rc == FOUILLE_EINVAL);
    rc = param(&s, buf, "1");
    ck_assert(rc == FOUILLE_OK || rc == FOUILLE_EINVAL);
  }
  ck_assert_int_le(s.options.limit, FOUILLE__HTTP_LIMIT_MAX);
  ck_assert_int_le(s.options.offset, FOUILLE__HTTP_OFFSET_MAX);
}
END_TEST

int main(void) {
  Suite *s = suite_create("http_params");
  TCase *tc = tcase_create("http_params");
  tcase_add_test(tc, test_routes);
  tcase_add_test(tc, test_numbers);
  tcase_add_test(tc, test_dates_sort);
  tcase_add_test(tc, test_query_text);
  tcase_add_test(tc, test_unknown_names);
  tcase_add_test(tc, test_random_bytes);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
