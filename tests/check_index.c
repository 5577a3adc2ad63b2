/* The index handle: opening (missing, garbage, truncated, foreign
 * databases), get/delete, check, stats, a second writer kept out, and
 * readers from the pool searching while an update runs. */
#include <check.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fouille/index.h"
#include "store.h"
#include "test_util.h"

static char *dir;
static char db[4200], arch[4200];

static void setup(void) {
  dir = test_tmpdir();
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/arch", dir);
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir);
}

static void make_articles(int from, int to) {
  for (int i = from; i < to; i++) {
    char name[64], text[256];
    snprintf(name, sizeof name, "d%02d/a%04d.txt", i % 10, i);
    snprintf(text, sizeof text, "Article %d sur le vélo\n\nLe vélo électrique numéro %d roule.\n",
             i, i);
    test_write(arch, name, text, (size_t)-1);
  }
}

static int update(fouille_index *ix, fouille_update_summary *s) {
  const char *roots[] = {arch};
  return fouille_index_update(s, ix, roots, 1, NULL);
}

START_TEST(open_errors) {
  fouille_index *ix = NULL;
  fouille_index_options ro = FOUILLE_INDEX_OPTIONS_INIT;
  ro.read_only = 1;
  ck_assert_int_eq(fouille_index_open(&ix, db, &ro), FOUILLE_ENOTFOUND);
  ck_assert_ptr_null(ix);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), db));

  /* Garbage bytes. */
  test_write(dir, "index.db", "ceci n'est pas une base SQLite, mais du texte.\n", (size_t)-1);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_EDB);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "not a Fouille index"));
  ck_assert_int_eq(fouille_index_open(&ix, db, &ro), FOUILLE_EDB);

  /* Another application's SQLite database. */
  unlink(db);
  sqlite3 *other;
  ck_assert_int_eq(sqlite3_open(db, &other), SQLITE_OK);
  sqlite3_exec(other, "CREATE TABLE clients(nom TEXT)", NULL, NULL, NULL);
  sqlite3_close(other);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_EDB);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "not a Fouille index"));

  /* A real index, truncated. */
  unlink(db);
  make_articles(0, 50);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(update(ix, NULL), FOUILLE_OK);
  fouille_index_close(ix);
  ix = NULL;
  ck_assert_int_eq(sqlite3_open(db, &other), SQLITE_OK);
  sqlite3_exec(other, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE", NULL, NULL,
               NULL);
  sqlite3_close(other);
  ck_assert_int_eq(truncate(db, 1500), 0);
  int rc = fouille_index_open(&ix, db, NULL);
  if (rc == FOUILLE_OK) { /* the header survived: the check must catch it */
    ck_assert_int_ne(fouille_index_check(ix), FOUILLE_OK);
    fouille_index_close(ix);
  } else {
    ck_assert_int_eq(rc, FOUILLE_EDB);
    ck_assert_ptr_nonnull(strstr(fouille_error_last(), db));
  }
}
END_TEST

START_TEST(get_delete_check_stats) {
  fouille_index *ix = NULL;
  fouille_update_summary s = FOUILLE_UPDATE_SUMMARY_INIT;
  make_articles(0, 20);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_str_eq(fouille_index_path(ix), db);
  ck_assert_int_eq(update(ix, &s), FOUILLE_OK);
  ck_assert_uint_eq(s.articles_added, 20);

  fouille_article *a = NULL;
  ck_assert_int_eq(fouille_index_get(&a, ix, "d03/a0013.txt"), FOUILLE_OK);
  ck_assert_str_eq(a->key, "d03/a0013.txt");
  ck_assert_str_eq(a->title, "Article 13 sur le vélo");
  ck_assert_ptr_nonnull(strstr(a->body, "numéro 13"));
  fouille_article_free(a);
  ck_assert_int_eq(fouille_index_get(&a, ix, "nope.txt"), FOUILLE_ENOTFOUND);

  fouille_stats st = FOUILLE_STATS_INIT;
  ck_assert_int_eq(fouille_index_stats(&st, ix), FOUILLE_OK);
  ck_assert_uint_eq(st.articles, 20);
  ck_assert_uint_eq(st.files, 20);
  ck_assert_uint_eq(st.files_with_errors, 0);
  ck_assert_uint_gt(st.terms, 5);
  ck_assert_uint_gt(st.db_bytes, 0);
  ck_assert_uint_gt(st.text_bytes, 20 * 30);
  ck_assert_int_eq(st.schema_version, FOUILLE_SCHEMA_VERSION);
  ck_assert_int_eq((int)strlen(st.last_run), 20);

  ck_assert_int_eq(fouille_index_delete(ix, "d03/a0013.txt"), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_delete(ix, "d03/a0013.txt"), FOUILLE_ENOTFOUND);
  ck_assert_int_eq(fouille_index_get(&a, ix, "d03/a0013.txt"), FOUILLE_ENOTFOUND);
  ck_assert_int_eq(fouille_index_optimize(ix), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_stats(&st, ix), FOUILLE_OK);
  ck_assert_uint_eq(st.articles, 19);

  /* Break the FTS index behind the library's back: check sees it. */
  sqlite3 *raw;
  ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
  ck_assert_int_eq(
      sqlite3_exec(raw, "UPDATE articles SET body='autre chose' WHERE id=1", NULL, NULL, NULL),
      SQLITE_OK);
  sqlite3_close(raw);
  ck_assert_int_eq(fouille_index_check(ix), FOUILLE_EDB);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), db));

  /* Read-only handles search but do not write. */
  fouille_index *ro = NULL;
  fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
  o.read_only = 1;
  ck_assert_int_eq(fouille_index_open(&ro, db, &o), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_delete(ro, "d01/a0001.txt"), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_index_get(&a, ro, "d01/a0001.txt"), FOUILLE_OK);
  fouille_article_free(a);
  fouille_index_close(ro);
  fouille_index_close(ix);
}
END_TEST

START_TEST(second_writer_busy) {
  fouille_index *ix = NULL;
  make_articles(0, 5);
  fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
  o.busy_timeout_ms = 100;
  ck_assert_int_eq(fouille_index_open(&ix, db, &o), FOUILLE_OK);
  sqlite3 *other;
  ck_assert_int_eq(sqlite3_open(db, &other), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  ck_assert_int_eq(update(ix, NULL), FOUILLE_EBUSY);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "another process is updating"));
  sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(other);
  ck_assert_int_eq(update(ix, NULL), FOUILLE_OK);
  fouille_index_close(ix);
}
END_TEST

typedef struct searcher {
  fouille_index *ix;
  volatile int *stop;
  int searches, errors, went_down;
} searcher;

static void *search_loop(void *arg) {
  searcher *s = arg;
  long long last = 0;
  while (!*s->stop || s->searches < 5) {
    fouille__reader *r = NULL;
    if (fouille__store_reader_acquire(s->ix, &r) != FOUILLE_OK) {
      s->errors++;
      continue;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'velo'", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
      s->errors++;
    } else {
      long long n = sqlite3_column_int64(st, 0);
      if (n < last) s->went_down++;
      last = n;
    }
    sqlite3_finalize(st);
    fouille__store_reader_release(s->ix, r);
    s->searches++;
  }
  return NULL;
}

START_TEST(readers_during_update) {
  fouille_index *ix = NULL;
  make_articles(0, 100);
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  io.read_pool_size = 2;
  ck_assert_int_eq(fouille_index_open(&ix, db, &io), FOUILLE_OK);
  ck_assert_int_eq(update(ix, NULL), FOUILLE_OK);
  make_articles(100, 600);
  volatile int stop = 0;
  searcher s[3];
  pthread_t t[3];
  for (int i = 0; i < 3; i++) {
    s[i] = (searcher){ix, &stop, 0, 0, 0};
    pthread_create(&t[i], NULL, search_loop, &s[i]);
  }
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.batch_articles = 50;
  const char *roots[] = {arch};
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_update(&sum, ix, roots, 1, &o), FOUILLE_OK);
  stop = 1;
  for (int i = 0; i < 3; i++) {
    pthread_join(t[i], NULL);
    ck_assert_int_eq(s[i].errors, 0);
    ck_assert_int_eq(s[i].went_down, 0);
    ck_assert_int_ge(s[i].searches, 5);
  }
  ck_assert_uint_eq(sum.added, 500);
  fouille__reader *r = NULL;
  ck_assert_int_eq(fouille__store_reader_acquire(ix, &r), FOUILLE_OK);
  ck_assert_ptr_nonnull(r->analyzer);
  sqlite3_stmt *st;
  sqlite3_prepare_v2(r->db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'velo'", -1,
                     &st, NULL);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_int_eq(sqlite3_column_int(st, 0), 600);
  sqlite3_finalize(st);
  fouille__store_reader_release(ix, r);
  fouille_index_close(ix);
}
END_TEST

int main(void) {
  Suite *s = suite_create("index");
  TCase *tc = tcase_create("index");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, open_errors);
  tcase_add_test(tc, get_delete_check_stats);
  tcase_add_test(tc, second_writer_busy);
  tcase_add_test(tc, readers_during_update);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
