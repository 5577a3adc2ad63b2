/* The API conventions (fouille/common.h): options_init functions, every
 * options struct's version checked, versions of the structs that may grow
 * (set by the caller and checked, or set by the library), and callbacks
 * getting their payload last. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "test_util.h"

static char *dir;
static char db[4200], arch[4200];
static fouille_index *ix;

static void setup(void) {
  dir = test_tmpdir();
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  test_write(arch, "velo.txt", "Le vélo en ville\n\nLe vélo électrique gagne Paris.\n", (size_t)-1);
  test_write(arch, "date.md", "---\ntitle: Vélo\ndate: pas une date\n---\nUn vélo.\n", (size_t)-1);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
}

static void teardown(void) {
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir);
}

static int has(const char *needle) { return strstr(fouille_error_last(), needle) != NULL; }

START_TEST(options_init) {
  fouille_index_options io;
  fouille_update_options uo;
  fouille_search_options so;
  ck_assert_int_eq(fouille_index_options_init(&io, FOUILLE_INDEX_OPTIONS_VERSION), FOUILLE_OK);
  ck_assert_int_eq(io.version, FOUILLE_INDEX_OPTIONS_VERSION);
  ck_assert_int_eq(io.busy_timeout_ms, 5000);
  ck_assert_int_eq(fouille_update_options_init(&uo, FOUILLE_UPDATE_OPTIONS_VERSION), FOUILLE_OK);
  ck_assert_int_eq(uo.version, FOUILLE_UPDATE_OPTIONS_VERSION);
  ck_assert_ptr_null(uo.payload);
  ck_assert_int_eq(fouille_search_options_init(&so, FOUILLE_SEARCH_OPTIONS_VERSION), FOUILLE_OK);
  ck_assert_int_eq(so.limit, 10);
  ck_assert_int_eq(so.passage_length, 300);
  ck_assert_int_eq(fouille_index_options_init(&io, 7), FOUILLE_EINVAL);
  ck_assert(has("fouille_index_options: unknown version 7"));
  ck_assert_int_eq(fouille_update_options_init(&uo, 0), FOUILLE_EINVAL);
  ck_assert(has("fouille_update_options: unknown version 0"));
  ck_assert_int_eq(fouille_search_options_init(&so, 4), FOUILLE_EINVAL);
  ck_assert(has("fouille_search_options: unknown version 4"));
  ck_assert_int_eq(so.exact, 0);
  /* A version 2 struct: its fields only (sources and facets untouched). */
  so.facets = 7;
  ck_assert_int_eq(fouille_search_options_init(&so, 2), FOUILLE_OK);
  ck_assert_int_eq(so.version, 2);
  ck_assert_int_eq(so.limit, 10);
  ck_assert_uint_eq(so.facets, 7);
  ck_assert_int_eq(fouille_search_options_init(NULL, 1), FOUILLE_EINVAL);
}
END_TEST

START_TEST(versions_checked) {
  fouille_index *other = NULL;
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  fouille_stats st = FOUILLE_STATS_INIT;
  fouille_results *res = NULL;
  const char *paths[] = {arch};
  io.version = 0;
  ck_assert_int_eq(fouille_index_open(&other, db, &io), FOUILLE_EINVAL);
  ck_assert_ptr_null(other);
  ck_assert(has("fouille_index_options: unknown version 0"));
  uo.version = 3;
  ck_assert_int_eq(fouille_index_update(&sum, ix, paths, 1, &uo), FOUILLE_EINVAL);
  ck_assert(has("fouille_update_options: unknown version 3"));
  sum.version = 9;
  ck_assert_int_eq(fouille_index_update(&sum, ix, paths, 1, NULL), FOUILLE_EINVAL);
  ck_assert(has("fouille_update_summary: unknown version 9"));
  st.version = 0;
  ck_assert_int_eq(fouille_index_stats(&st, ix), FOUILLE_EINVAL);
  ck_assert(has("fouille_stats: unknown version 0"));
  so.version = 5;
  ck_assert_int_eq(fouille_search(&res, ix, "velo", &so), FOUILLE_EINVAL);
  ck_assert_ptr_null(res);
  ck_assert(has("fouille_search_options: unknown version 5"));

  /* The right versions (or NULL): the same calls work. */
  sum.version = FOUILLE_UPDATE_SUMMARY_VERSION;
  ck_assert_int_eq(fouille_index_update(&sum, ix, paths, 1, NULL), FOUILLE_OK);
  ck_assert_int_eq(sum.version, FOUILLE_UPDATE_SUMMARY_VERSION);
  ck_assert_uint_eq(sum.added, 2);
  st.version = FOUILLE_STATS_VERSION;
  ck_assert_int_eq(fouille_index_stats(&st, ix), FOUILLE_OK);
  ck_assert_int_eq(st.version, FOUILLE_STATS_VERSION);
  ck_assert_uint_eq(st.articles, 2);
}
END_TEST

/* fouille_search_options as version 1 had it (before exact): still taken,
 * and never read or written past its end (heap-allocated to its size, so
 * that the sanitizer build would see it). */
typedef struct search_options_v1 {
  int version, limit, offset, passages, passage_length;
  const char *since, *until, *source;
  fouille_sort sort;
  int count_only;
} search_options_v1;

START_TEST(search_options_version_1) {
  search_options_v1 *v1 = malloc(sizeof *v1);
  fouille_results *res = NULL;
  ck_assert_int_eq(fouille_search_options_init((fouille_search_options *)v1, 1), FOUILLE_OK);
  ck_assert_int_eq(v1->version, 1);
  ck_assert_int_eq(v1->limit, 10);
  v1->limit = 1;
  ck_assert_int_eq(fouille_search(&res, ix, "velo", (fouille_search_options *)v1), FOUILLE_OK);
  ck_assert_uint_le(fouille_results_count(res), 1);
  fouille_results_free(res);
  free(v1);
}
END_TEST

/* Version 2 (exact, before sources and facets): also taken, read to its
 * end only. */
typedef struct search_options_v2 {
  search_options_v1 v1;
  int exact;
} search_options_v2;

START_TEST(search_options_version_2) {
  search_options_v2 *v2 = malloc(sizeof *v2);
  fouille_results *res = NULL;
  ck_assert_int_eq(fouille_search_options_init((fouille_search_options *)v2, 2), FOUILLE_OK);
  ck_assert_int_eq(v2->v1.version, 2);
  ck_assert_int_eq(v2->exact, 0);
  v2->v1.limit = 1, v2->exact = 1;
  ck_assert_int_eq(fouille_search(&res, ix, "velo", (fouille_search_options *)v2), FOUILLE_OK);
  ck_assert_uint_le(fouille_results_count(res), 1);
  fouille_results_free(res);
  free(v2);
}
END_TEST

/* The update's callbacks: payload last, progress versioned. */
typedef struct seen {
  int problems, changes, progress, bad;
} seen;

static void on_problem(const char *path, unsigned long line, const char *msg, int is_warning,
                       void *payload) {
  seen *s = payload;
  (void)line, (void)msg, (void)is_warning;
  s->problems++;
  if (!path) s->bad++;
}

static void on_change(const char *path, fouille_file_change change, void *payload) {
  seen *s = payload;
  (void)change;
  s->changes++;
  if (!path) s->bad++;
}

static int on_progress(const fouille_progress *p, void *payload) {
  seen *s = payload;
  s->progress++;
  if (p->version != FOUILLE_PROGRESS_VERSION || p->files_total != 2) s->bad++;
  return 0;
}

START_TEST(callbacks_get_payload_last) {
  seen s = {0};
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  const char *paths[] = {arch};
  uo.problem = on_problem;
  uo.change = on_change;
  uo.progress = on_progress;
  uo.payload = &s;
  ck_assert_int_eq(fouille_index_update(NULL, ix, paths, 1, &uo), FOUILLE_OK);
  ck_assert_int_eq(s.bad, 0);
  ck_assert_int_eq(s.problems, 1); /* the date that is no date: a warning */
  ck_assert_int_eq(s.changes, 2);
  ck_assert_int_eq(s.progress, 2);
}
END_TEST

static int count_terms(int flags, const char *term, int len, int start, int end, void *payload) {
  (void)term, (void)len, (void)start, (void)end;
  if (!(flags & FOUILLE_TERM_COLOCATED)) ++*(int *)payload;
  return 0;
}

START_TEST(library_sets_versions) {
  const char *paths[] = {arch};
  fouille_results *res = NULL;
  fouille_article *a = NULL;
  char *every = NULL, *any = NULL;
  ck_assert_int_eq(fouille_index_update(NULL, ix, paths, 1, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_search(&res, ix, "vélo électrique", NULL), FOUILLE_OK);
  ck_assert_uint_ge(fouille_results_count(res), 1);
  const fouille_hit *h = fouille_results_hit(res, 0);
  ck_assert_int_eq(h->version, FOUILLE_HIT_VERSION);
  ck_assert_uint_ge(h->n_passages, 1);
  ck_assert_int_eq(h->passages[0].version, FOUILLE_PASSAGE_VERSION);
  fouille_results_free(res);
  ck_assert_int_eq(fouille_index_get(&a, ix, "velo.txt"), FOUILLE_OK);
  ck_assert_int_eq(a->version, FOUILLE_ARTICLE_VERSION);
  ck_assert_str_eq(a->title, "Le vélo en ville");
  fouille_article_free(a);
  ck_assert_int_eq(fouille_query_to_fts5(&every, &any, "vélo ville"), FOUILLE_OK);
  ck_assert_ptr_nonnull(every);
  ck_assert_ptr_nonnull(any);
  free(every), free(any);
  ck_assert_int_eq(fouille_query_to_fts5(&every, NULL, "-velo"), FOUILLE_EPARSE);
  ck_assert_ptr_null(every);

  fouille_analyzer *an = NULL;
  unsigned long long lookups = 1, hits = 1;
  int n = 0;
  ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK);
  ck_assert_int_eq(
      fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, "les vélos", 10, count_terms, &n),
      FOUILLE_OK);
  ck_assert_int_eq(n, 2);
  fouille_analyzer_cache_stats(&lookups, &hits, an);
  ck_assert(lookups == 2 && hits == 0);
  fouille_analyzer_free(an);
}
END_TEST

int main(void) {
  Suite *s = suite_create("api");
  TCase *tc = tcase_create("api");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, options_init);
  tcase_add_test(tc, versions_checked);
  tcase_add_test(tc, search_options_version_1);
  tcase_add_test(tc, search_options_version_2);
  tcase_add_test(tc, callbacks_get_payload_last);
  tcase_add_test(tc, library_sets_versions);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
