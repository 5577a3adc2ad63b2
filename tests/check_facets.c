/* Facets (fouille_search_options.facets): counts by source, year and
 * month over every match (not only the page), each facet within the other
 * filters but not its own; several sources as a filter; the JSON and text
 * forms; fouille_facets_parse; the HTTP parameters facets and source. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "http_private.h"
#include "search_private.h"
#include "test_util.h"

static char *dir;
static fouille_index *ix;
static fouille_results *res;

/* 6 articles holding "port": AFP 3 (2023-05, 2024-01, 2024-02), Ouest 2
 * (2024-01, 2024), Reuters 1 (no date); one without "port". */
static const char archive[] =
    "{\"id\":\"p1\",\"title\":\"Le port\",\"body\":\"Le port de Brest.\",\"date\":\"2023-05-02\","
    "\"source\":\"AFP\"}\n"
    "{\"id\":\"p2\",\"title\":\"Grève au port\",\"body\":\"Les dockers du port.\",\"date\":"
    "\"2024-01-10\",\"source\":\"AFP\"}\n"
    "{\"id\":\"p3\",\"title\":\"Port du Havre\",\"body\":\"Un port agrandi.\",\"date\":\"2024-02-"
    "03\",\"source\":\"AFP\"}\n"
    "{\"id\":\"p4\",\"title\":\"Lorient\",\"body\":\"Le port de pêche.\",\"date\":\"2024-01-20\","
    "\"source\":\"Ouest\"}\n"
    "{\"id\":\"p5\",\"title\":\"Concarneau\",\"body\":\"Le port de plaisance.\",\"date\":\"2024\","
    "\"source\":\"Ouest\"}\n"
    "{\"id\":\"p6\",\"title\":\"Marseille\",\"body\":\"Le port "
    "autonome.\",\"source\":\"Reuters\"}\n"
    "{\"id\":\"x1\",\"title\":\"Autre\",\"body\":\"Rien à voir.\",\"date\":\"2024-01-01\","
    "\"source\":\"AFP\"}\n";

static void setup(void) {
  char arch[4096], db[4096];
  dir = test_tmpdir();
  test_write(dir, "arch/ports.jsonl", archive, (size_t)-1);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  snprintf(db, sizeof db, "%s/index.db", dir);
  const char *paths[] = {arch};
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_msg(fouille_index_update(&sum, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
}

static void teardown(void) {
  fouille_results_free(res), res = NULL;
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir);
}

static void run(const char *q, const fouille_search_options *o) {
  fouille_results_free(res), res = NULL;
  ck_assert_msg(fouille_search(&res, ix, q, o) == FOUILLE_OK, "%s", fouille_error_last());
}

/* The facet as "AFP=3 Ouest=2" (values in their order). */
static const char *facet(fouille_facet f) {
  static char buf[512];
  size_t n, at = 0;
  const fouille_facet_value *v = fouille_results_facet(res, f, &n);
  buf[0] = '\0';
  if (!v) return "(none)";
  for (size_t i = 0; i < n; i++)
    at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s=%llu", i ? " " : "", v[i].value,
                           (unsigned long long)v[i].count);
  return buf;
}

START_TEST(counts_every_match) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.limit = 1; /* the page is one hit: facets still count all 6 */
  o.facets = FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR | FOUILLE_FACET_MONTH;
  run("port", &o);
  ck_assert_uint_eq(fouille_results_total(res), 6);
  ck_assert_uint_eq(fouille_results_count(res), 1);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=3 Ouest=2 Reuters=1");
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "2023=1 2024=4");
  ck_assert_str_eq(facet(FOUILLE_FACET_MONTH), "2023-05=1 2024-01=2 2024-02=1");
  o.facets = FOUILLE_FACET_YEAR;
  run("port", &o);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "(none)");
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "2023=1 2024=4");
  run("xylophone", &o);
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "");
  o.count_only = 1, o.facets = FOUILLE_FACET_SOURCE;
  run("port", &o);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=3 Ouest=2 Reuters=1");
}
END_TEST

/* A facet ignores its own filter, keeps the others. */
START_TEST(disjunctive_filters) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.facets = FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR;
  o.source = "Ouest";
  run("port", &o);
  ck_assert_uint_eq(fouille_results_total(res), 2);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=3 Ouest=2 Reuters=1");
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "2024=2");
  o.source = NULL, o.since = "2024-01", o.until = "2024-01";
  run("port", &o);
  ck_assert_uint_eq(fouille_results_total(res), 2);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=1 Ouest=1");
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "2023=1 2024=4");
}
END_TEST

START_TEST(several_sources) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  const char *const two[] = {"Ouest", "Reuters"}, *const none[] = {"Nobody"};
  o.sources = two, o.n_sources = 2, o.facets = FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR;
  run("port", &o);
  ck_assert_uint_eq(fouille_results_total(res), 3);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=3 Ouest=2 Reuters=1");
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "2024=2");
  o.sort = FOUILLE_SORT_DATE;
  run("port", &o);
  ck_assert_uint_eq(fouille_results_total(res), 3);
  o.source = "Ouest"; /* both apply */
  run("port", &o);
  ck_assert_uint_eq(fouille_results_total(res), 2);
  o.source = NULL, o.sources = none, o.n_sources = 1;
  run("port", &o);
  ck_assert_uint_eq(fouille_results_total(res), 0);
}
END_TEST

START_TEST(json_and_text) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  char *json = NULL;
  o.facets = FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR;
  run("port", &o);
  ck_assert_int_eq(fouille_results_to_json(&json, res), FOUILLE_OK);
  ck_assert_ptr_nonnull(strstr(
      json, "\"facets\":{\"source\":{\"AFP\":3,\"Ouest\":2,\"Reuters\":1},\"year\":{\"2023\":1,"
            "\"2024\":4}}}"));
  free(json);
  o.facets = 0;
  run("port", &o);
  ck_assert_int_eq(fouille_results_to_json(&json, res), FOUILLE_OK);
  ck_assert_ptr_null(strstr(json, "facets"));
  free(json);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  o.facets = FOUILLE_FACET_SOURCE, o.limit = 0;
  run("port", &o);
  ck_assert_int_eq(fouille_results_print_text(f, res, 1, 0), FOUILLE_OK);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(text, "\nsource: AFP 3, Ouest 2, Reuters 1\n"));
  free(text);
}
END_TEST

START_TEST(parse_and_errors) {
  unsigned bits = 0;
  ck_assert_int_eq(fouille_facets_parse(&bits, "source,year"), FOUILLE_OK);
  ck_assert_uint_eq(bits, FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR);
  ck_assert_int_eq(fouille_facets_parse(&bits, "month"), FOUILLE_OK);
  ck_assert_uint_eq(bits, FOUILLE_FACET_MONTH);
  ck_assert_int_eq(fouille_facets_parse(&bits, "source,auteur"), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "unknown facet 'auteur'"));
  ck_assert_int_eq(fouille_facets_parse(&bits, ""), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_facets_parse(&bits, "year,"), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_facets_parse(NULL, "year"), FOUILLE_EINVAL);
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  const char *const bad[] = {"AFP", NULL}, *const not_utf8[] = {"\xff"};
  o.facets = 64;
  ck_assert_int_eq(fouille_search(&res, ix, "port", &o), FOUILLE_EINVAL);
  o.facets = 0, o.sources = bad, o.n_sources = 2;
  ck_assert_int_eq(fouille_search(&res, ix, "port", &o), FOUILLE_EINVAL);
  o.sources = not_utf8, o.n_sources = 1;
  ck_assert_int_eq(fouille_search(&res, ix, "port", &o), FOUILLE_EINVAL);
  ck_assert_ptr_null(res);
  ck_assert_ptr_null(fouille_results_facet(NULL, FOUILLE_FACET_YEAR, NULL));
}
END_TEST

/* The table of sources and dates (facet_meta.c) and the rows give the same
 * counts, whatever the filters. */
START_TEST(table_and_rows_agree) {
  const char *const two[] = {"AFP", "Reuters"};
  const char *sinces[] = {NULL, "2024", "2024-01", "2024-01-15", "2023"};
  const char *untils[] = {NULL, "2024", "2024-01", "2024-01-15", "2023-05-02"};
  for (int i = 0; i < 5 * 5 * 3; i++) {
    fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
    char a[3][512];
    o.facets = FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR | FOUILLE_FACET_MONTH;
    o.since = sinces[i % 5], o.until = untils[i / 5 % 5];
    if (i / 25 == 1) o.source = "Ouest";
    if (i / 25 == 2) o.sources = two, o.n_sources = 2;
    for (int meta = 0; meta < 2; meta++) {
      fouille__facets_use_meta(meta);
      run("port OR rien", &o);
      for (int f = 0; f < 3; f++) {
        if (!meta)
          snprintf(a[f], sizeof a[f], "%s", facet((fouille_facet)(1 << f)));
        else
          ck_assert_msg(!strcmp(a[f], facet((fouille_facet)(1 << f))), "case %d facet %d: %s | %s",
                        i, f, a[f], facet((fouille_facet)(1 << f)));
      }
    }
  }
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.facets = FOUILLE_FACET_MONTH, o.source = "Ouest";
  run("port", &o);
  ck_assert_str_eq(facet(FOUILLE_FACET_MONTH), "2024-01=1"); /* "2024" has no month */
  ck_assert_int_eq(fouille__facet_date_code("2024-03-12T10:00:00+01:00"), 20240312);
  ck_assert_int_eq(fouille__facet_date_code("2024"), 20240000);
  ck_assert_int_eq(fouille__facet_date_code("hier"), -1);
}
END_TEST

/* Facets kept with the connection (paging asks again) are forgotten when
 * the index changes. */
START_TEST(kept_until_the_index_changes) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  char arch[4096];
  o.facets = FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR, o.limit = 2, o.source = "AFP";
  run("port", &o);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=3 Ouest=2 Reuters=1");
  o.offset = 2;
  run("port", &o);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=3 Ouest=2 Reuters=1");
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "2023=1 2024=2");
  test_write(dir, "arch/more.jsonl",
             "{\"id\":\"m1\",\"title\":\"Port\",\"body\":\"Un port.\",\"date\":\"2019-01-01\","
             "\"source\":\"AFP\"}\n",
             (size_t)-1);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  const char *paths[] = {arch};
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_update(&sum, ix, paths, 1, NULL), FOUILLE_OK);
  run("port", &o);
  ck_assert_str_eq(facet(FOUILLE_FACET_SOURCE), "AFP=4 Ouest=2 Reuters=1");
  ck_assert_str_eq(facet(FOUILLE_FACET_YEAR), "2019=1 2023=1 2024=2");
}
END_TEST

START_TEST(http_parameters) {
  fouille__http_search s;
  fouille__http_search_init(&s);
  ck_assert_int_eq(fouille__http_search_param(&s, "q", "port"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_param(&s, "facets", "source,year"), FOUILLE_OK);
  ck_assert_uint_eq(s.options.facets, FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR);
  ck_assert_int_eq(fouille__http_search_param(&s, "facets", "auteur"), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "facets: expected"));
  ck_assert_int_eq(fouille__http_search_param(&s, "source", "AFP"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_finish(&s), FOUILLE_OK);
  ck_assert_str_eq(s.options.source, "AFP");
  ck_assert_ptr_null(s.options.sources);
  fouille__http_search_init(&s);
  ck_assert_int_eq(fouille__http_search_param(&s, "q", "port"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_param(&s, "source", "AFP"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_param(&s, "source", "Ouest"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_finish(&s), FOUILLE_OK);
  ck_assert_ptr_null(s.options.source);
  ck_assert_uint_eq(s.options.n_sources, 2);
  ck_assert_str_eq(s.options.sources[1], "Ouest");
  for (int i = 2; i < FOUILLE__HTTP_SOURCES_MAX; i++)
    ck_assert_int_eq(fouille__http_search_param(&s, "source", "X"), FOUILLE_OK);
  ck_assert_int_eq(fouille__http_search_param(&s, "source", "X"), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "source: more than 32"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("facets");
  TCase *t = tcase_create("facets");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, counts_every_match);
  tcase_add_test(t, disjunctive_filters);
  tcase_add_test(t, several_sources);
  tcase_add_test(t, json_and_text);
  tcase_add_test(t, parse_and_errors);
  tcase_add_test(t, table_and_rows_agree);
  tcase_add_test(t, kept_until_the_index_changes);
  tcase_add_test(t, http_parameters);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
