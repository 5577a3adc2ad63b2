/* Concurrency of the C library: several threads search one index handle in
 * a loop while another thread updates it through the same handle; every
 * search succeeds and sees a consistent, growing state. */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "test_util.h"

#define SEARCHERS 4
#define ROUNDS 8
#define FILES_PER_ROUND 25

typedef struct shared {
  fouille_index *ix;
  atomic_int stop;
  atomic_long searches, failures, regressions;
  char first_error[256];
  pthread_mutex_t lock;
} shared;

static void record_failure(shared *sh, const char *what) {
  atomic_fetch_add(&sh->failures, 1);
  pthread_mutex_lock(&sh->lock);
  if (!sh->first_error[0]) snprintf(sh->first_error, sizeof sh->first_error, "%s", what);
  pthread_mutex_unlock(&sh->lock);
}

/* Searches until told to stop; the number of "comète" hits never shrinks. */
static void *searcher(void *arg) {
  shared *sh = arg;
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  uint64_t last_total = 0;
  so.limit = 3;
  so.passages = 1;
  while (!atomic_load(&sh->stop)) {
    fouille_results *res = NULL;
    if (fouille_search(&res, sh->ix, "comète", &so) != FOUILLE_OK) {
      record_failure(sh, fouille_error_last());
    } else {
      uint64_t total = fouille_results_total(res);
      if (total < last_total) atomic_fetch_add(&sh->regressions, 1);
      if (fouille_results_count(res) > 3 || fouille_results_count(res) > total)
        record_failure(sh, "inconsistent result counts");
      last_total = total;
    }
    fouille_results_free(res);
    atomic_fetch_add(&sh->searches, 1);
  }
  return NULL;
}

static void write_round(const char *arch, int round) {
  char name[64], text[256];
  for (int i = 0; i < FILES_PER_ROUND; i++) {
    snprintf(name, sizeof name, "r%d/c%d.txt", round, i);
    snprintf(text, sizeof text,
             "La comète %d-%d\n\nUne comète brillante traverse le ciel de Bretagne, "
             "observée par les astronomes amateurs.\n",
             round, i);
    test_write(arch, name, text, (size_t)-1);
  }
}

START_TEST(test_search_during_update) {
  char *dir = test_tmpdir(), db[4200], arch[4200];
  shared sh = {.ix = NULL};
  pthread_t th[SEARCHERS];
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  const char *paths[1] = {arch};
  ck_assert_ptr_nonnull(dir);
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  pthread_mutex_init(&sh.lock, NULL);
  write_round(arch, 0);
  ck_assert_int_eq(fouille_index_open(&sh.ix, db, &io), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_update(NULL, sh.ix, paths, 1, &uo), FOUILLE_OK);
  for (int i = 0; i < SEARCHERS; i++)
    ck_assert_int_eq(pthread_create(&th[i], NULL, searcher, &sh), 0);
  uo.batch_articles = 5; /* many commits for the searchers to see */
  for (int round = 1; round <= ROUNDS; round++) {
    write_round(arch, round);
    ck_assert_int_eq(fouille_index_update(&sum, sh.ix, paths, 1, &uo), FOUILLE_OK);
    ck_assert_uint_eq(sum.articles_added, FILES_PER_ROUND);
  }
  atomic_store(&sh.stop, 1);
  for (int i = 0; i < SEARCHERS; i++) pthread_join(th[i], NULL);
  ck_assert_msg(atomic_load(&sh.failures) == 0, "%ld failed searches, first: %s",
                atomic_load(&sh.failures), sh.first_error);
  ck_assert_int_eq(atomic_load(&sh.regressions), 0);
  ck_assert_int_ge(atomic_load(&sh.searches), SEARCHERS);

  /* After the last commit every thread sees everything. */
  fouille_results *res = NULL;
  ck_assert_int_eq(fouille_search(&res, sh.ix, "comète", NULL), FOUILLE_OK);
  ck_assert_uint_eq(fouille_results_total(res), (ROUNDS + 1) * FILES_PER_ROUND);
  fouille_results_free(res);
  fouille_index_close(sh.ix);
  pthread_mutex_destroy(&sh.lock);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* Many threads on a read-only handle with a pool smaller than the threads:
 * they wait for a connection, none fails. */
START_TEST(test_small_pool) {
  char *dir = test_tmpdir(), db[4200], arch[4200];
  shared sh = {.ix = NULL};
  pthread_t th[8];
  fouille_index *writer = NULL;
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  const char *paths[1] = {arch};
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  pthread_mutex_init(&sh.lock, NULL);
  write_round(arch, 0);
  ck_assert_int_eq(fouille_index_open(&writer, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_update(NULL, writer, paths, 1, NULL), FOUILLE_OK);
  fouille_index_close(writer);
  io.read_only = 1;
  io.read_pool_size = 2;
  ck_assert_int_eq(fouille_index_open(&sh.ix, db, &io), FOUILLE_OK);
  for (int i = 0; i < 8; i++) ck_assert_int_eq(pthread_create(&th[i], NULL, searcher, &sh), 0);
  while (atomic_load(&sh.searches) < 400) sched_yield();
  atomic_store(&sh.stop, 1);
  for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
  ck_assert_msg(atomic_load(&sh.failures) == 0, "first failure: %s", sh.first_error);
  fouille_index_close(sh.ix);
  pthread_mutex_destroy(&sh.lock);
  test_rmtree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("threads");
  TCase *tc = tcase_create("threads");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_search_during_update);
  tcase_add_test(tc, test_small_pool);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
