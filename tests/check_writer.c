/* fouille_writer: put, replace, delete, what readers see before and after
 * a commit, batches and commit_ms, a program killed in the middle, argument
 * and ownership errors, an article over SQLite's limit, JSON Lines from a
 * finite and an endless pipe, and stream roots kept by a rebuild. */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fouille/index.h"
#include "fouille/query.h"
#include "test_util.h"
#include "writer.h"

static char *dir;
static char db[4200];
static int problems, warnings;
static char last_problem[1024];

static void setup(void) {
  dir = test_tmpdir();
  snprintf(db, sizeof db, "%s/index.db", dir);
  problems = warnings = 0;
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir);
}

static void on_problem(const char *path, unsigned long line, const char *msg, int is_warning,
                       void *payload) {
  (void)payload;
  *(is_warning ? &warnings : &problems) += 1;
  snprintf(last_problem, sizeof last_problem, "%s:%lu: %s", path, line, msg);
}

static fouille_index *open_ix(int read_only) {
  fouille_index *ix = NULL;
  fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
  o.read_only = read_only;
  ck_assert_msg(fouille_index_open(&ix, db, &o) == FOUILLE_OK, "%s", fouille_error_last());
  return ix;
}

static fouille_writer *open_w(fouille_index *ix, const char *root, size_t batch, unsigned ms) {
  fouille_writer *w = NULL;
  fouille_writer_options o = FOUILLE_WRITER_OPTIONS_INIT;
  o.batch_articles = batch;
  o.commit_ms = ms;
  o.problem = on_problem;
  ck_assert_msg(fouille_writer_open(&w, ix, root, &o) == FOUILLE_OK, "%s", fouille_error_last());
  return w;
}

static int put(fouille_writer *w, const char *key, const char *title, const char *body) {
  fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
  a.title = title;
  a.body = body;
  a.date = "12 mars 2024";
  return fouille_writer_put(w, key, &a);
}

/* Articles of the index as a separate program sees them. */
static long long count(const char *where) {
  sqlite3 *c;
  sqlite3_stmt *st;
  char sql[512];
  long long n = -1;
  snprintf(sql, sizeof sql, "SELECT count(*) FROM articles WHERE %s", where);
  ck_assert_int_eq(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(c);
  return n;
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

START_TEST(put_replace_delete) {
  fouille_index *ix = open_ix(0);
  fouille_writer *w = open_w(ix, "app", 0, 0);
  ck_assert_int_eq(put(w, "art/1", "Le vélo", "Les pistes cyclables de Paris."), FOUILLE_OK);
  ck_assert_int_eq(put(w, "art/2", "La pêche", "Les chalutiers de Lorient."), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_commit(w), FOUILLE_OK);
  fouille_article *a = NULL;
  ck_assert_int_eq(fouille_index_get(&a, ix, "art/1"), FOUILLE_OK);
  ck_assert_str_eq(a->title, "Le vélo");
  ck_assert_str_eq(a->date, "2024-03-12");
  fouille_article_free(a);
  long long id = count("key='art/1' AND id=1");
  /* Replaced in place; the same article again writes nothing. */
  ck_assert_int_eq(put(w, "art/1", "Le vélo", "Des trottinettes partout."), FOUILLE_OK);
  ck_assert_int_eq(put(w, "art/1", "Le vélo", "Des trottinettes partout."), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_delete(w, "art/2"), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_delete(w, "art/2"), FOUILLE_ENOTFOUND);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(count("key='art/1' AND id=1"), id);
  ck_assert_uint_eq(hits(ix, "trottinettes"), 1);
  ck_assert_uint_eq(hits(ix, "cyclables"), 0);
  ck_assert_uint_eq(hits(ix, "chalutiers"), 0);
  ck_assert_int_eq(count("1"), 1);
  fouille_roots *r = NULL;
  ck_assert_int_eq(fouille_index_roots(&r, ix), FOUILLE_OK);
  ck_assert_uint_eq(fouille_roots_count(r), 1);
  ck_assert_int_eq(fouille_roots_get(r, 0)->kind, FOUILLE_ROOT_STREAM);
  ck_assert_str_eq(fouille_roots_get(r, 0)->path, "app");
  ck_assert_uint_eq(fouille_roots_get(r, 0)->articles, 1);
  ck_assert(fouille_roots_get(r, 0)->last_update[0]);
  fouille_roots_free(r);
  /* The same root again, and fouille_index_delete on a writer's key. */
  w = open_w(ix, "app", 0, 0);
  ck_assert_int_eq(put(w, "art/3", "Trois", "Un troisième."), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_delete(ix, "art/3"), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_OK);
  fouille_index_close(ix);
}
END_TEST

/* Readers see committed batches only, whole articles; a batch or
 * commit_ms commits without being asked. */
START_TEST(commits_batches_and_time) {
  fouille_index *ix = open_ix(0), *ro = NULL;
  fouille_writer *w = open_w(ix, "flux", 3, 60000);
  ro = open_ix(1);
  ck_assert_int_eq(put(w, "a", "Un", "Premier vélo."), FOUILLE_OK);
  ck_assert_int_eq(put(w, "b", "Deux", "Second vélo."), FOUILLE_OK);
  ck_assert_uint_eq(hits(ro, "vélo"), 0);
  ck_assert_int_eq(count("1"), 0);
  ck_assert_int_eq(put(w, "c", "Trois", "Troisième vélo."), FOUILLE_OK); /* the batch */
  ck_assert_uint_eq(hits(ro, "vélo"), 3);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  w = open_w(ix, "flux", 1000, 50);
  ck_assert_int_eq(put(w, "d", "Quatre", "Quatrième vélo."), FOUILLE_OK);
  ck_assert_uint_eq(hits(ro, "vélo"), 3);
  struct timespec ts = {0, 80 * 1000000};
  nanosleep(&ts, NULL);
  ck_assert_int_eq(put(w, "e", "Cinq", "Cinquième vélo."), FOUILLE_OK); /* d is due */
  ck_assert_uint_eq(hits(ro, "vélo"), 5);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  fouille_index_close(ro);
  fouille_index_close(ix);
}
END_TEST

/* A program killed in the middle of a batch: whole batches only, a
 * consistent index, and the next writer goes on. */
START_TEST(killed_in_the_middle) {
  fouille_index *ix = open_ix(0);
  fouille_index_close(ix);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    fouille_index *cix = NULL;
    fouille_writer *w = NULL;
    fouille_writer_options o = FOUILLE_WRITER_OPTIONS_INIT;
    o.batch_articles = 10;
    if (fouille_index_open(&cix, db, NULL) || fouille_writer_open(&w, cix, "app", &o)) _exit(2);
    for (int i = 0; i < 35; i++) {
      char key[32], body[64];
      snprintf(key, sizeof key, "k%02d", i);
      snprintf(body, sizeof body, "Article numéro %d sur la météo.", i);
      fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
      a.body = body;
      if (fouille_writer_put(w, key, &a)) _exit(3);
    }
    raise(SIGKILL);
    _exit(4);
  }
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ix = open_ix(0);
  ck_assert_int_eq(count("1"), 30);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_OK);
  ck_assert_uint_eq(hits(ix, "météo"), 30);
  fouille_writer *w = open_w(ix, "app", 0, 0);
  ck_assert_int_eq(put(w, "k35", "Météo", "Encore la météo."), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(count("1"), 31);
  fouille_index_close(ix);
}
END_TEST

START_TEST(errors) {
  char arch[4300];
  snprintf(arch, sizeof arch, "%s/arch", dir);
  test_write(arch, "a.txt", "Titre\n\nCorps.\n", (size_t)-1);
  fouille_index *ix = open_ix(0);
  const char *paths[] = {arch};
  ck_assert_int_eq(fouille_index_update(NULL, ix, paths, 1, NULL), FOUILLE_OK);
  fouille_writer *w = NULL;
  fouille_writer_options o = FOUILLE_WRITER_OPTIONS_INIT;
  ck_assert_int_eq(fouille_writer_open(&w, ix, "/abs", NULL), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "", NULL), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "a.txt", NULL), FOUILLE_EINVAL); /* a file key */
  o.version = 7;
  ck_assert_int_eq(fouille_writer_open(&w, ix, "app", &o), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_writer_options_init(&o, FOUILLE_WRITER_OPTIONS_VERSION), FOUILLE_OK);
  ck_assert_int_eq(o.commit_ms, 0);
  ck_assert_ptr_null(w);
  w = open_w(ix, "app", 0, 0);
  fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
  ck_assert_int_eq(fouille_writer_put(w, "x", &a), FOUILLE_EINVAL); /* no body */
  a.body = "Corps.";
  ck_assert_int_eq(fouille_writer_put(w, "", &a), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_writer_put(w, "a.txt", &a), FOUILLE_EINVAL); /* another root's */
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "another root"));
  ck_assert_int_eq(fouille_writer_delete(w, "a.txt"), FOUILLE_EINVAL);
  a.title = "\xff\xfe";
  ck_assert_int_eq(fouille_writer_put(w, "x", &a), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "title is not valid UTF-8"));
  a.title = NULL;
  a.date = "bientôt";
  ck_assert_int_eq(fouille_writer_put(w, "x", &a), FOUILLE_OK);
  ck_assert_int_eq(warnings, 1);
  a.version = 2;
  ck_assert_int_eq(fouille_writer_put(w, "x", &a), FOUILLE_EINVAL);
  /* Over SQLite's limit of a row (made small): refused, nothing written. */
  a.version = FOUILLE_ARTICLE_DATA_VERSION;
  sqlite3_limit(fouille__writer_db(w), SQLITE_LIMIT_LENGTH, 100000);
  char *big = malloc(150001);
  memset(big, 'a', 150000);
  big[150000] = '\0';
  a.body = big;
  ck_assert_int_eq(fouille_writer_put(w, "gros", &a), FOUILLE_ETOOBIG);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "too large"));
  free(big);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(count("key='gros'"), 0);
  ck_assert_int_eq(count("key='x'"), 1);
  fouille_index_close(ix);
  ix = open_ix(1);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "app", NULL), FOUILLE_EINVAL); /* read-only */
  fouille_index_close(ix);
}
END_TEST

static const char *const lines =
    "{\"id\":\"a1\",\"title\":\"Dépêche\",\"body\":\"Le train arrive en gare.\"}\n"
    "{\"id\":\"a2\",\"body\":\"La mer monte.\"}\n"
    "pas du JSON\n"
    "\n"
    "{\"id\":\"a2\",\"deleted\":true}\n"
    "{\"id\":7,\"body\":\"Un nombre pour id.\"}\r\n"
    "{\"id\":\"zz\",\"deleted\":true}\n"
    "{\"id\":\"a3\",\"body\":\"Sans fin de ligne.\"}";

START_TEST(jsonl_finite) {
  int p[2];
  fouille_update_summary s = FOUILLE_UPDATE_SUMMARY_INIT;
  fouille_index *ix = open_ix(0);
  fouille_writer *w = open_w(ix, "depeches", 0, 0);
  ck_assert_int_eq(pipe(p), 0);
  ck_assert_int_eq(write(p[1], lines, strlen(lines)), (ssize_t)strlen(lines));
  close(p[1]);
  ck_assert_int_eq(fouille_writer_read_jsonl(&s, w, p[0]), FOUILLE_OK);
  close(p[0]);
  ck_assert_uint_eq(s.articles_added, 4);
  ck_assert_uint_eq(s.articles_deleted, 1);
  ck_assert_uint_eq(s.articles_skipped, 1);
  ck_assert_uint_eq(s.warnings, 1); /* zz: nothing to delete */
  ck_assert_uint_eq(s.bytes_read, strlen(lines));
  ck_assert_int_eq(problems, 1);
  ck_assert_ptr_nonnull(strstr(last_problem, "depeches:7: "));
  ck_assert_int_eq(count("key IN ('depeches#a1', 'depeches#7', 'depeches#a3')"), 3);
  ck_assert_int_eq(count("1"), 3);
  /* The same lines again from a file: nothing changes. */
  test_write(dir, "in.jsonl", lines, (size_t)-1);
  char path[4300];
  snprintf(path, sizeof path, "%s/in.jsonl", dir);
  int fd = open(path, O_RDONLY);
  ck_assert_int_eq(fouille_writer_read_jsonl(&s, w, fd), FOUILLE_OK);
  close(fd);
  ck_assert_uint_eq(s.unchanged, 3);
  ck_assert_uint_eq(s.articles_added, 1); /* a2 came back, then went */
  ck_assert_int_eq(count("1"), 3);
  ck_assert_int_eq(fouille_writer_read_jsonl(&s, w, -1), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_OK);
  fouille_index_close(ix);
}
END_TEST

typedef struct reading {
  fouille_writer *w;
  int fd, rc;
  fouille_update_summary s;
} reading;

static void *read_thread(void *arg) {
  reading *r = arg;
  r->s.version = FOUILLE_UPDATE_SUMMARY_VERSION;
  r->rc = fouille_writer_read_jsonl(&r->s, r->w, r->fd);
  return NULL;
}

static volatile int stop_now;
static int stop_cb(void *payload) { return (void)payload, stop_now; }

/* An endless stream: what comes is committed within commit_ms even while
 * nothing else comes; the stop callback ends it after a commit. */
START_TEST(jsonl_endless) {
  int p[2];
  pthread_t t;
  fouille_index *ix = open_ix(0);
  fouille_writer *w = NULL;
  fouille_writer_options o = FOUILLE_WRITER_OPTIONS_INIT;
  o.commit_ms = 200;
  o.stop = stop_cb;
  stop_now = 0;
  ck_assert_int_eq(fouille_writer_open(&w, ix, "flux", &o), FOUILLE_OK);
  ck_assert_int_eq(pipe(p), 0);
  reading r = {w, p[0], -1, {0}};
  ck_assert_int_eq(pthread_create(&t, NULL, read_thread, &r), 0);
  const char *l1 = "{\"id\":\"1\",\"body\":\"Le premier vélo.\"}\n";
  ck_assert_int_eq(write(p[1], l1, strlen(l1)), (ssize_t)strlen(l1));
  long long n = 0;
  for (int i = 0; i < 100 && (n = count("1")) == 0; i++) {
    struct timespec ts = {0, 20 * 1000000};
    nanosleep(&ts, NULL);
  }
  ck_assert_int_eq(n, 1); /* committed with the pipe still open */
  const char *l2 = "{\"id\":\"1\",\"deleted\":true}\n{\"id\":\"2\",\"body\":\"Le second.\"}\n";
  ck_assert_int_eq(write(p[1], l2, strlen(l2)), (ssize_t)strlen(l2));
  struct timespec ts = {0, 100 * 1000000};
  nanosleep(&ts, NULL);
  stop_now = 1;
  ck_assert_int_eq(pthread_join(t, NULL), 0);
  ck_assert_int_eq(r.rc, FOUILLE_EABORT);
  ck_assert_uint_eq(r.s.articles_added, 2);
  ck_assert_uint_eq(r.s.articles_deleted, 1);
  ck_assert_int_eq(count("key='flux#2'"), 1); /* committed when stopped */
  ck_assert_int_eq(count("1"), 1);
  close(p[0]);
  close(p[1]);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  fouille_index_close(ix);
}
END_TEST

/* A rebuild (here after an analyzer change) reads the folders again and
 * keeps the stream's articles, analysed again; forget removes them. */
START_TEST(rebuild_keeps_streams) {
  char arch[4300];
  snprintf(arch, sizeof arch, "%s/arch", dir);
  test_write(arch, "a.txt", "Titre\n\nUn fichier sur le vélo.\n", (size_t)-1);
  fouille_index *ix = open_ix(0);
  const char *paths[] = {arch};
  ck_assert_int_eq(fouille_index_update(NULL, ix, paths, 1, NULL), FOUILLE_OK);
  fouille_writer *w = open_w(ix, "app", 0, 0);
  ck_assert_int_eq(put(w, "s1", "Flux", "Un vélo venu d'un programme."), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  fouille_index_close(ix);
  sqlite3 *c;
  ck_assert_int_eq(sqlite3_open(db, &c), SQLITE_OK);
  ck_assert_int_eq(
      sqlite3_exec(c, "UPDATE meta SET value='0' WHERE key='analyzer_version'", 0, 0, 0),
      SQLITE_OK);
  sqlite3_close(c);
  ix = open_ix(0);
  ck_assert_int_eq(fouille_writer_open(&w, ix, "app", NULL), FOUILLE_EVERSION);
  fouille_update_summary s = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_update(&s, ix, NULL, 0, NULL), FOUILLE_OK);
  ck_assert_int_eq(s.rebuilt, 1);
  ck_assert_uint_eq(s.added, 1);
  ck_assert_uint_eq(hits(ix, "vélo"), 2);
  ck_assert_uint_eq(hits(ix, "programme"), 1);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_OK);
  w = open_w(ix, "app", 0, 0); /* the same root */
  ck_assert_int_eq(put(w, "s1", "Flux", "Un vélo venu d'un programme."), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  ck_assert_int_eq(count("1"), 2);
  ck_assert_int_eq(fouille_index_forget(&s, ix, "app", NULL), FOUILLE_OK);
  ck_assert_uint_eq(s.articles_deleted, 1);
  ck_assert_uint_eq(hits(ix, "programme"), 0);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_OK);
  fouille_index_close(ix);
}
END_TEST

int main(void) {
  Suite *s = suite_create("writer");
  TCase *tc = tcase_create("writer");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, put_replace_delete);
  tcase_add_test(tc, commits_batches_and_time);
  tcase_add_test(tc, killed_in_the_middle);
  tcase_add_test(tc, errors);
  tcase_add_test(tc, jsonl_finite);
  tcase_add_test(tc, jsonl_endless);
  tcase_add_test(tc, rebuild_keeps_streams);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
