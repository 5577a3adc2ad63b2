/* fouille_index_watch: argument errors, no root to watch, and a watch in a
 * thread (a first full pass, then a new file, a change, a deletion and a
 * new subfolder searchable within seconds, an editor's temporary file
 * ignored, the stop callback ending it with FOUILLE_OK). */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fouille/index.h"
#include "fouille/query.h"
#include "test_util.h"

static char *dir;
static char db[4200], arch[4200];
static atomic_int stop_flag, fulls, batches;

static void setup(void) {
  dir = test_tmpdir();
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/archive", dir);
  ck_assert_int_eq(mkdir(arch, 0755), 0);
  atomic_store(&stop_flag, 0);
  atomic_store(&fulls, 0);
  atomic_store(&batches, 0);
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir);
}

static int stop_cb(void *payload) { return (void)payload, atomic_load(&stop_flag); }

static void batch_cb(const fouille_update_summary *s, size_t n, int full, void *payload) {
  (void)s, (void)n, (void)payload;
  atomic_fetch_add(full ? &fulls : &batches, 1);
}

static fouille_index *open_ix(void) {
  fouille_index *ix = NULL;
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  return ix;
}

static unsigned long long hits(fouille_index *ix, const char *q) {
  fouille_results *r = NULL;
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  so.count_only = 1;
  ck_assert_msg(fouille_search(&r, ix, q, &so) == FOUILLE_OK, "%s", fouille_error_last());
  unsigned long long n = (unsigned long long)fouille_results_total(r);
  fouille_results_free(r);
  return n;
}

/* Polls for up to tries * 50 ms until q has n hits. */
static void expect_within(fouille_index *ix, const char *q, unsigned long long n, int tries) {
  unsigned long long got = 0;
  for (int i = 0; i < tries && (got = hits(ix, q)) != n; i++) {
    struct timespec t = {0, 50 * 1000000};
    nanosleep(&t, NULL);
  }
  ck_assert_msg(got == n, "%s: %llu hits, expected %llu", q, got, n);
}

static void expect(fouille_index *ix, const char *q, unsigned long long n) {
  expect_within(ix, q, n, 100); /* 5 s */
}

START_TEST(errors) {
  fouille_watch_options o;
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  ck_assert_int_eq(fouille_watch_options_init(&o, FOUILLE_WATCH_OPTIONS_VERSION), FOUILLE_OK);
  ck_assert_int_eq(fouille_watch_options_init(&o, 99), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_watch_options_init(NULL, FOUILLE_WATCH_OPTIONS_VERSION), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_index_watch(NULL, NULL, 0, NULL), FOUILLE_EINVAL);
  fouille_index *ix = open_ix();
  ck_assert_int_eq(fouille_index_watch(ix, NULL, 1, NULL), FOUILLE_EINVAL);
  o.version = 99;
  ck_assert_int_eq(fouille_index_watch(ix, NULL, 0, &o), FOUILLE_EINVAL);
  fouille_watch_options_init(&o, FOUILLE_WATCH_OPTIONS_VERSION);
  uo.dry_run = 1;
  o.update = &uo;
  ck_assert_int_eq(fouille_index_watch(ix, NULL, 0, &o), FOUILLE_EINVAL);
  o.update = NULL;
  o.stop = stop_cb;
  atomic_store(&stop_flag, 1);
  ck_assert_int_eq(fouille_index_watch(ix, NULL, 0, &o), FOUILLE_ENOTFOUND); /* no root */
  fouille_index_close(ix);
}
END_TEST

typedef struct job {
  fouille_index *ix;
  int rc;
  unsigned quiet_ms, max_ms;
  atomic_int ended;
  char why[512]; /* the watch's error, when it ended on one */
} job;

static void *watch_thread(void *arg) {
  job *j = arg;
  fouille_watch_options o = FOUILLE_WATCH_OPTIONS_INIT;
  const char *paths[] = {arch};
  o.stop = stop_cb;
  o.batch = batch_cb;
  o.quiet_ms = j->quiet_ms;
  o.max_ms = j->max_ms;
  j->rc = fouille_index_watch(j->ix, paths, 1, &o);
  if (j->rc != FOUILLE_OK) snprintf(j->why, sizeof j->why, "%s", fouille_error_last());
  atomic_store(&j->ended, 1);
  return NULL;
}

/* A watch that ended before it was told to stop failed: say why, rather
 * than let the next expectation time out on a missing hit. */
static void still_watching(job *j) {
  ck_assert_msg(!atomic_load(&j->ended), "the watch ended early: status %d: %s", j->rc, j->why);
}

/* Polls for up to 30 s until the watch's first pass (a full one) is done:
 * its folders are watched from then on. */
static void first_pass_done(job *j) {
  struct timespec t = {0, 50 * 1000000};
  for (int i = 0; i < 600 && atomic_load(&fulls) < 1 && !atomic_load(&j->ended); i++)
    nanosleep(&t, NULL);
  still_watching(j);
  ck_assert_int_ge(atomic_load(&fulls), 1);
}

static void put(const char *sub, const char *name, const char *text) {
  char d[4300];
  snprintf(d, sizeof d, "%s%s%s", arch, *sub ? "/" : "", sub);
  test_write(d, name, text, strlen(text));
}

START_TEST(follows_changes) {
  char sub[4300], path[4400];
  pthread_t t;
  put("", "chat.txt", "Le chat dort.");
  job j = {open_ix(), -1, 0, 0, 0, ""};
  ck_assert_int_eq(pthread_create(&t, NULL, watch_thread, &j), 0);
  first_pass_done(&j);
  expect(j.ix, "chat", 1);
  put("", "girafe.md", "Une girafe passe."); /* new */
  expect(j.ix, "girafe", 1);
  put("", "girafe.md", "Un éléphant passe."); /* changed */
  expect(j.ix, "éléphant", 1);
  expect(j.ix, "girafe", 0);
  put("", ".chat.txt.swp", "zèbre"); /* ignored */
  snprintf(path, sizeof path, "%s/chat.txt", arch);
  ck_assert_int_eq(unlink(path), 0); /* deleted */
  expect(j.ix, "chat", 0);
  snprintf(sub, sizeof sub, "%s/neuf", arch);
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  put("neuf", "hibou.txt", "Un hibou chante."); /* in a new folder */
  expect(j.ix, "hibou", 1);
  still_watching(&j);
  ck_assert_uint_eq(hits(j.ix, "zèbre"), 0);
  atomic_store(&stop_flag, 1);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(j.rc, FOUILLE_OK);
  ck_assert_int_eq(atomic_load(&fulls), 1);
  ck_assert_int_ge(atomic_load(&batches), 4);
  ck_assert_int_eq(fouille_index_check(j.ix), FOUILLE_OK);
  fouille_index_close(j.ix);
}
END_TEST

/* More changed paths than a batch holds: a full pass instead. The watch
 * waits 10 minutes of quiet before a batch, so that however slowly this
 * test writes (a loaded machine), no batch takes the paths before they
 * overflow; what came after the full pass is indexed as the watch stops. */
START_TEST(many_changes_full_pass) {
  pthread_t t;
  char name[64];
  job j = {open_ix(), -1, 600000, 600000, 0, ""};
  ck_assert_int_eq(pthread_create(&t, NULL, watch_thread, &j), 0);
  first_pass_done(&j);
  for (int i = 0; i < 4200; i++) {
    snprintf(name, sizeof name, "castor%d.txt", i);
    put("", name, "Un castor construit.");
  }
  still_watching(&j);
  atomic_store(&stop_flag, 1);
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(j.rc, FOUILLE_OK);
  ck_assert_int_ge(atomic_load(&fulls), 2);
  ck_assert_uint_eq(hits(j.ix, "castor"), 4200);
  fouille_index_close(j.ix);
}
END_TEST

int main(void) {
  Suite *s = suite_create("watch");
  TCase *tc = tcase_create("watch");
  tcase_set_timeout(tc, 300); /* a limit for a stuck watch; a loaded machine is slow */
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, errors);
  tcase_add_test(tc, follows_changes);
  tcase_add_test(tc, many_changes_full_pass);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
