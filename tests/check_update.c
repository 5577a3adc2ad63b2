/* fouille_index_update: change detection (add, modify, touch, delete,
 * rename), JSON Lines diffed per line, version-triggered rebuilds, skipped
 * files, dry runs, no-delete and a stopped run finished by the next. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "fouille/analyzer.h"
#include "fouille/index.h"
#include "fouille/query.h"
#include "schema.h"
#include "test_util.h"

typedef struct env {
  char *dir, *arch, db[4200];
  fouille_index *ix;
  fouille_update_summary s;
  int problems, warnings;
  char last_problem[512];
} env;

static void on_problem(const char *path, unsigned long line, const char *msg, int is_warning,
                       void *payload) {
  env *e = payload;
  (void)path;
  (void)line;
  *(is_warning ? &e->warnings : &e->problems) += 1;
  snprintf(e->last_problem, sizeof e->last_problem, "%s", msg);
}

static void setup_env(env *e) {
  memset(e, 0, sizeof *e);
  e->s.version = FOUILLE_UPDATE_SUMMARY_VERSION;
  e->dir = test_tmpdir();
  ck_assert_ptr_nonnull(e->dir);
  snprintf(e->db, sizeof e->db, "%s/index.db", e->dir);
  e->arch = malloc(strlen(e->dir) + 10);
  sprintf(e->arch, "%s/arch", e->dir);
  mkdir(e->arch, 0755);
  ck_assert_int_eq(fouille_index_open(&e->ix, e->db, NULL), FOUILLE_OK);
}

static void teardown_env(env *e) {
  fouille_index_close(e->ix);
  test_rmtree(e->dir);
  free(e->dir);
  free(e->arch);
}

static int update_opts(env *e, fouille_update_options *o) {
  const char *roots[] = {e->arch};
  o->problem = on_problem;
  o->payload = e;
  e->problems = e->warnings = 0;
  return fouille_index_update(&e->s, e->ix, roots, 1, o);
}

static int update(env *e) {
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  return update_opts(e, &o);
}

static void article(env *e, const char *name, const char *title, const char *body) {
  char text[4096];
  snprintf(text, sizeof text, "%s\n\n%s\n", title, body);
  test_write(e->arch, name, text, (size_t)-1);
}

/* One integer from SQL on the index file, through a plain connection. */
static long long sql_int(env *e, const char *sql) {
  sqlite3 *db;
  sqlite3_stmt *st;
  long long v = -1;
  ck_assert_int_eq(sqlite3_open(e->db, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static void set_mtime(env *e, const char *name, long sec) {
  char path[4300];
  struct timeval tv[2] = {{sec, 0}, {sec, 0}};
  snprintf(path, sizeof path, "%s/%s", e->arch, name);
  ck_assert_int_eq(utimes(path, tv), 0);
}

START_TEST(add_modify_touch_delete_rename) {
  env e;
  setup_env(&e);
  article(&e, "a.txt", "Le vélo à Paris", "Les pistes cyclables se multiplient.");
  article(&e, "sub/b.txt", "La pêche en Bretagne", "Les chalutiers rentrent au port.");
  article(&e, ".cache/hidden.txt", "Caché", "Jamais indexé.");
  test_write(e.arch, "notes.pdf", "%PDF", (size_t)-1);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 2);
  ck_assert_uint_eq(e.s.articles_added, 2);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles WHERE key='sub/b.txt'"), 1);

  /* Nothing changed: a stat each, nothing read. */
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.unchanged, 2);
  ck_assert_uint_eq(e.s.bytes_read, 0);

  /* Touched, same content: read once, unchanged by hash, then stat only. */
  set_mtime(&e, "a.txt", 1000000);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.unchanged, 2);
  ck_assert_uint_eq(e.s.changed, 0);
  ck_assert_uint_gt(e.s.bytes_read, 0);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.bytes_read, 0);

  /* Modified. */
  article(&e, "sub/b.txt", "La pêche en Bretagne", "Les thoniers restent à quai.");
  set_mtime(&e, "sub/b.txt", 2000000);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.changed, 1);
  fouille_article *a = NULL;
  ck_assert_int_eq(fouille_index_get(&a, e.ix, "sub/b.txt"), FOUILLE_OK);
  ck_assert_ptr_nonnull(strstr(a->body, "thoniers"));
  fouille_article_free(a);

  /* Renamed: delete + add. */
  char from[4300], to[4300];
  snprintf(from, sizeof from, "%s/a.txt", e.arch);
  snprintf(to, sizeof to, "%s/c.txt", e.arch);
  ck_assert_int_eq(rename(from, to), 0);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 1);
  ck_assert_uint_eq(e.s.deleted, 1);
  ck_assert_int_eq(fouille_index_get(&a, e.ix, "a.txt"), FOUILLE_ENOTFOUND);
  ck_assert_int_eq(fouille_index_get(&a, e.ix, "c.txt"), FOUILLE_OK);
  fouille_article_free(a);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM files"), 2);

  /* Deleted. */
  ck_assert_int_eq(unlink(to), 0);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.deleted, 1);
  ck_assert_uint_eq(e.s.articles_deleted, 1);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 1);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

static const char *const jsonl3 =
    "{\"id\":\"x\",\"title\":\"Premier\",\"body\":\"Le train arrive en gare.\"}\n"
    "{\"id\":\"y\",\"title\":\"Deuxième\",\"body\":\"La mer est calme.\"}\n"
    "{\"id\":\"z\",\"title\":\"Troisième\",\"body\":\"Le vent se lève.\"}\n";

START_TEST(jsonl_per_line) {
  env e;
  setup_env(&e);
  test_write(e.arch, "d.jsonl", jsonl3, (size_t)-1);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.articles_added, 3);
  long long idx = sql_int(&e, "SELECT id FROM articles WHERE key='d.jsonl#x'");
  long long idz = sql_int(&e, "SELECT id FROM articles WHERE key='d.jsonl#z'");

  /* Edit line y only: one article rewritten, the others keep their rows. */
  char *edited = strdup(jsonl3);
  memcpy(strstr(edited, "calme"), "agite", 5);
  test_write(e.arch, "d.jsonl", edited, (size_t)-1);
  set_mtime(&e, "d.jsonl", 3000000);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.changed, 1);
  ck_assert_uint_eq(e.s.articles_updated, 1);
  ck_assert_uint_eq(e.s.articles_added, 0);
  ck_assert_uint_eq(e.s.articles_deleted, 0);
  ck_assert_int_eq(sql_int(&e, "SELECT id FROM articles WHERE key='d.jsonl#x'"), idx);
  ck_assert_int_eq(sql_int(&e, "SELECT id FROM articles WHERE key='d.jsonl#z'"), idz);
  fouille_article *a = NULL;
  ck_assert_int_eq(fouille_index_get(&a, e.ix, "d.jsonl#y"), FOUILLE_OK);
  ck_assert_ptr_nonnull(strstr(a->body, "agite"));
  fouille_article_free(a);

  /* Remove line z, duplicate x: z deleted, the first x kept, a warning. */
  *strstr(edited, "{\"id\":\"z\"") = '\0';
  char buf[1024];
  snprintf(buf, sizeof buf, "%s{\"id\":\"x\",\"title\":\"Doublon\",\"body\":\"Autre.\"}\n", edited);
  test_write(e.arch, "d.jsonl", buf, (size_t)-1);
  set_mtime(&e, "d.jsonl", 4000000);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.articles_deleted, 1);
  ck_assert_int_ge(e.warnings, 1);
  ck_assert_ptr_nonnull(strstr(e.last_problem, "duplicate"));
  ck_assert_int_eq(fouille_index_get(&a, e.ix, "d.jsonl#z"), FOUILLE_ENOTFOUND);
  ck_assert_int_eq(fouille_index_get(&a, e.ix, "d.jsonl#x"), FOUILLE_OK);
  ck_assert_str_eq(a->title, "Premier");
  fouille_article_free(a);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 2);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  free(edited);
  teardown_env(&e);
}
END_TEST

START_TEST(version_rebuild) {
  env e;
  setup_env(&e);
  article(&e, "a.txt", "Un titre", "Un corps de texte.");
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(e.s.rebuilt, 0);
  fouille_index_close(e.ix);
  e.ix = NULL;
  ck_assert_int_eq(sql_int(&e, "UPDATE meta SET value='0' WHERE key='analyzer_version'"
                               " RETURNING 1"),
                   1);
  fouille_index_options ro = FOUILLE_INDEX_OPTIONS_INIT;
  ro.read_only = 1;
  ck_assert_int_eq(fouille_index_open(&e.ix, e.db, &ro), FOUILLE_EVERSION);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "update it to rebuild it"));
  ck_assert_int_eq(fouille_index_open(&e.ix, e.db, NULL), FOUILLE_OK);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(e.s.rebuilt, 1);
  ck_assert_uint_eq(e.s.added, 1);
  ck_assert_int_eq(e.warnings, 1);
  ck_assert_ptr_nonnull(strstr(e.last_problem, "analyzer 0, rebuilding"));
  ck_assert_int_eq(sql_int(&e, "SELECT value FROM meta WHERE key='analyzer_version'"),
                   FOUILLE_ANALYZER_VERSION);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(e.s.rebuilt, 0);
  ck_assert_uint_eq(e.s.unchanged, 1);
  teardown_env(&e);
}
END_TEST

/* A first build and a rebuild leave no free pages in the file (incremental
 * auto-vacuum, update_rows.c); an ordinary update keeps its free pages for
 * the next writes. */
START_TEST(no_free_pages_after_builds) {
  env e;
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  char name[32], path[4300], body[3200];
  setup_env(&e);
  for (int i = 0; i < 40; i++) {
    snprintf(name, sizeof name, "a%02d.txt", i);
    size_t n = 0;
    while (n + 40 < sizeof body)
      n += (size_t)snprintf(body + n, sizeof body - n, "mot%d ", i * 97 + (int)n);
    article(&e, name, "Un titre", body);
  }
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(sql_int(&e, "PRAGMA auto_vacuum"), 2);
  ck_assert_int_eq(sql_int(&e, "PRAGMA freelist_count"), 0);
  long long pages = sql_int(&e, "PRAGMA page_count");
  for (int i = 0; i < 30; i++) {
    snprintf(path, sizeof path, "%s/a%02d.txt", e.arch, i);
    ck_assert_int_eq(remove(path), 0);
  }
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.deleted, 30);
  ck_assert_int_gt(sql_int(&e, "PRAGMA freelist_count"), 0);
  o.rebuild = 1;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_OK);
  ck_assert_int_eq(e.s.rebuilt, 1);
  ck_assert_int_eq(sql_int(&e, "PRAGMA freelist_count"), 0);
  ck_assert_int_lt(sql_int(&e, "PRAGMA page_count"), pages);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

START_TEST(skipped_files) {
  env e;
  setup_env(&e);
  article(&e, "big.txt", "Trop long", "Un texte qui dépasse la limite fixée à quelques octets.");
  article(&e, "ok.txt", "Court", "Bref.");
  test_write(e.arch, "vide.txt", "", 0);
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.max_file_bytes = 40;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 1);
  ck_assert_uint_eq(e.s.skipped, 2);
  ck_assert_int_eq(e.problems, 2);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM files WHERE status='error'"
                               " AND error LIKE 'file too large%'"),
                   1);
  if (geteuid() != 0) { /* root reads through chmod 000 */
    char p[4300];
    snprintf(p, sizeof p, "%s/ok.txt", e.arch);
    article(&e, "ok.txt", "Court", "Changé.");
    chmod(p, 0);
    ck_assert_int_eq(update(&e), FOUILLE_OK);
    ck_assert_uint_ge(e.s.skipped, 1);
    ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM files WHERE path='ok.txt'"
                                 " AND status='error'"),
                     1);
    chmod(p, 0644);
  }
  teardown_env(&e);
}
END_TEST

static int changes_seen;
static void count_change(const char *path, fouille_file_change c, void *payload) {
  (void)payload;
  (void)path;
  if (c != FOUILLE_FILE_UNCHANGED) changes_seen++;
}

START_TEST(dry_run_and_no_delete) {
  env e;
  setup_env(&e);
  article(&e, "a.txt", "Un", "Premier article.");
  article(&e, "b.txt", "Deux", "Second article.");
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.dry_run = 1;
  o.change = count_change;
  changes_seen = 0;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 2);
  ck_assert_int_eq(changes_seen, 2);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 0);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  char p[4300];
  snprintf(p, sizeof p, "%s/a.txt", e.arch);
  unlink(p);
  fouille_update_options nd = FOUILLE_UPDATE_OPTIONS_INIT;
  nd.no_delete = 1;
  ck_assert_int_eq(update_opts(&e, &nd), FOUILLE_OK);
  ck_assert_uint_eq(e.s.deleted, 0);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 2);
  changes_seen = 0;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_OK);
  ck_assert_uint_eq(e.s.deleted, 1);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 2);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 1);
  teardown_env(&e);
}
END_TEST

static int stop_after_two(const fouille_progress *p, void *payload) {
  (void)payload;
  return p->files_seen >= 2;
}

START_TEST(abort_then_finish) {
  env e;
  setup_env(&e);
  for (int i = 0; i < 6; i++) {
    char name[32], body[64];
    snprintf(name, sizeof name, "f%d.txt", i);
    snprintf(body, sizeof body, "Article numéro %d sur la météo.", i);
    article(&e, name, "Météo", body);
  }
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.progress = stop_after_two;
  o.batch_articles = 1;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_EABORT);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 2);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 4);
  ck_assert_uint_eq(e.s.unchanged, 2);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 6);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

/* A rebuild is one transaction: stopped half-way, the old index stays
 * whole (a reader never sees it emptied), and the next rebuild completes. */
START_TEST(stopped_rebuild_keeps_old_index) {
  env e;
  setup_env(&e);
  for (int i = 0; i < 6; i++) {
    char name[32], body[64];
    snprintf(name, sizeof name, "f%d.txt", i);
    snprintf(body, sizeof body, "Article numéro %d sur la météo.", i);
    article(&e, name, "Météo", body);
  }
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  article(&e, "f0.txt", "Orage", "Un orage éclate.");
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.rebuild = 1;
  o.progress = stop_after_two;
  o.batch_articles = 1;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_EABORT);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 6);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles WHERE title = 'Météo'"), 6);
  o.progress = NULL;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 6);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles WHERE title = 'Orage'"), 1);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

START_TEST(disk_full_keeps_last_commit) {
  env e;
  setup_env(&e);
  char body[3000];
  memset(body, 0, sizeof body);
  for (int i = 0; i < 200; i++) {
    char name[32];
    snprintf(name, sizeof name, "p%03d.txt", i);
    for (int k = 0; k < 2900; k++) body[k] = "abcdefgh ijklmnop"[(k * 7 + i * 13 + k / 17) % 17];
    article(&e, name, "Page", body);
  }
  /* A full disk, as SQLite sees it: the file may not grow past N pages. */
  long long pages = sql_int(&e, "PRAGMA page_count");
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA max_page_count=%lld", pages + 40);
  ck_assert_int_eq(sqlite3_exec(e.ix->wdb, sql, NULL, NULL, NULL), SQLITE_OK);
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.batch_articles = 10;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_EDB);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), e.db));
  long long n = sql_int(&e, "SELECT count(*) FROM articles");
  ck_assert_int_lt(n, 200);
  ck_assert_int_eq(n % 10, 0); /* whole batches only */
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  /* Space again: the next run finishes the job. */
  ck_assert_int_eq(sqlite3_exec(e.ix->wdb, "PRAGMA max_page_count=1073741823", NULL, NULL, NULL),
                   SQLITE_OK);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 200);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

static char vanish_path[4300];
static int vanish_after_first(const fouille_progress *p, void *payload) {
  (void)payload;
  if (p->files_seen == 1) unlink(vanish_path);
  return 0;
}

/* A file that disappears between the scan and its read (works as root,
 * unlike chmod 000): reported with its path, recorded, skipped. */
START_TEST(file_vanishes_during_run) {
  env e;
  setup_env(&e);
  article(&e, "a.txt", "Premier", "Reste là.");
  article(&e, "b.txt", "Second", "Va disparaître.");
  snprintf(vanish_path, sizeof vanish_path, "%s/b.txt", e.arch);
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.progress = vanish_after_first;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 1);
  ck_assert_uint_eq(e.s.skipped, 1);
  ck_assert_int_eq(e.problems, 1);
  ck_assert_ptr_nonnull(strstr(e.last_problem, "cannot read"));
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM files WHERE path='b.txt'"
                               " AND status='error' AND error LIKE 'cannot read%'"),
                   1);
  /* Next run: the row of the vanished file goes away. */
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.deleted, 1);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM files"), 1);
  teardown_env(&e);
}
END_TEST

/* Data safety: a read error inside a JSON Lines file (getline's -1) is not
 * its end: the articles of the unread lines stay, the file is recorded
 * with its error and read again next time. The file is replaced by a
 * folder after the scan: fopen succeeds, the first read fails (EISDIR). */
static char swap_path[4300];
static int swap_for_folder(const fouille_progress *p, void *payload) {
  (void)payload;
  if (p->files_seen == 1) {
    unlink(swap_path);
    mkdir(swap_path, 0755);
  }
  return 0;
}

START_TEST(jsonl_read_error_keeps_articles) {
  env e;
  setup_env(&e);
  article(&e, "a.txt", "Premier", "Lu en premier.");
  test_write(e.arch, "d.jsonl", jsonl3, (size_t)-1);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 4);
  /* As after a failed read: the next run reads it line by line. */
  ck_assert_int_eq(sql_int(&e, "UPDATE files SET status='error' WHERE path='d.jsonl' RETURNING 1"),
                   1);
  snprintf(swap_path, sizeof swap_path, "%s/d.jsonl", e.arch);
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.progress = swap_for_folder;
  ck_assert_int_eq(update_opts(&e, &o), FOUILLE_OK);
  ck_assert_uint_eq(e.s.skipped, 1);
  ck_assert_uint_eq(e.s.articles_deleted, 0);
  ck_assert_ptr_nonnull(strstr(e.last_problem, "cannot read"));
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 4);
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM files WHERE path='d.jsonl'"
                               " AND status='error' AND error LIKE 'cannot read%'"),
                   1);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

/* Data safety: an article over SQLite's row limit (1 GB by default; made
 * small here) is skipped with a message, the run goes on. */
START_TEST(article_over_sqlite_limit_skipped) {
  env e;
  setup_env(&e);
  size_t big = 150000;
  char *line = malloc(big + 200), *txt = malloc(big + 20);
  int n = snprintf(line, 200, "{\"id\":\"gros\",\"title\":\"Gros\",\"body\":\"");
  memset(line + n, 'a', big);
  strcpy(line + n + big, "\"}\n{\"id\":\"petit\",\"body\":\"Le train arrive.\"}\n");
  test_write(e.arch, "d.jsonl", line, (size_t)-1);
  strcpy(txt, "Titre\n\n");
  memset(txt + 7, 'b', big);
  txt[7 + big] = '\0';
  test_write(e.arch, "gros.txt", txt, (size_t)-1);
  article(&e, "ok.txt", "Court", "Bref.");
  sqlite3_limit(e.ix->wdb, SQLITE_LIMIT_LENGTH, 100000);
  ck_assert_msg(update(&e) == FOUILLE_OK, "%s", fouille_error_last());
  ck_assert_uint_eq(e.s.articles_skipped, 2);
  ck_assert_int_eq(e.problems, 2);
  ck_assert_ptr_nonnull(strstr(e.last_problem, "too large"));
  ck_assert_int_eq(sql_int(&e, "SELECT count(*) FROM articles"), 2);
  fouille_article *a = NULL;
  ck_assert_int_eq(fouille_index_get(&a, e.ix, "d.jsonl#petit"), FOUILLE_OK);
  fouille_article_free(a);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  free(line);
  free(txt);
  teardown_env(&e);
}
END_TEST

/* Data safety: a malformed line is a skipped article, not a warning. */
START_TEST(malformed_line_is_skipped_article) {
  env e;
  setup_env(&e);
  test_write(e.arch, "d.jsonl",
             "{\"id\":\"a\",\"body\":\"Le train arrive.\"}\n{\"id\":\"b\",\"body\":\n", (size_t)-1);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_uint_eq(e.s.articles_skipped, 1);
  ck_assert_uint_eq(e.s.warnings, 0);
  ck_assert_uint_eq(e.s.added, 1);
  /* A version 1 summary is filled up to its end, not past it. */
  fouille_update_summary v1 = FOUILLE_UPDATE_SUMMARY_INIT;
  v1.version = 1;
  v1.articles_skipped = 77;
  const char *roots[] = {e.arch};
  ck_assert_int_eq(fouille_index_update(&v1, e.ix, roots, 1, NULL), FOUILLE_OK);
  ck_assert_int_eq(v1.version, 1);
  ck_assert_uint_eq(v1.unchanged, 1);
  ck_assert_uint_eq(v1.articles_skipped, 77);
  /* Nor a version 2 one: lexicon_bytes (version 3) is left alone. */
  fouille_update_summary v2 = FOUILLE_UPDATE_SUMMARY_INIT;
  v2.version = 2;
  v2.lexicon_bytes = 77;
  ck_assert_int_eq(fouille_index_update(&v2, e.ix, roots, 1, NULL), FOUILLE_OK);
  ck_assert_int_eq(v2.version, 2);
  ck_assert_uint_eq(v2.unchanged, 1);
  ck_assert_uint_eq(v2.lexicon_bytes, 77);
  teardown_env(&e);
}
END_TEST

static int search_status(fouille_index *ix) {
  fouille_results *res = NULL;
  int rc = fouille_search(&res, ix, "titre", NULL);
  fouille_results_free(res);
  return rc;
}

/* Data safety: no handle searches an index of another analyzer version:
 * a writable one (which accepts it, to rebuild it), and one opened before
 * another program changed the index under it. */
START_TEST(stale_index_refuses_searches) {
  env e;
  setup_env(&e);
  article(&e, "a.txt", "Un titre", "Un corps de texte.");
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  fouille_index *ro = NULL;
  fouille_index_options roo = FOUILLE_INDEX_OPTIONS_INIT;
  roo.read_only = 1;
  ck_assert_int_eq(fouille_index_open(&ro, e.db, &roo), FOUILLE_OK);
  ck_assert_int_eq(search_status(ro), FOUILLE_OK);
  fouille_index_close(e.ix);
  e.ix = NULL;
  ck_assert_int_eq(sql_int(&e, "UPDATE meta SET value='0' WHERE key='analyzer_version'"
                               " RETURNING 1"),
                   1);
  ck_assert_int_eq(search_status(ro), FOUILLE_EVERSION);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "analyzer 0"));
  ck_assert_int_eq(fouille_index_open(&e.ix, e.db, NULL), FOUILLE_OK);
  ck_assert_int_eq(search_status(e.ix), FOUILLE_EVERSION);
  ck_assert_int_eq(update(&e), FOUILLE_OK);
  ck_assert_int_eq(e.s.rebuilt, 1);
  ck_assert_int_eq(search_status(e.ix), FOUILLE_OK);
  ck_assert_int_eq(search_status(ro), FOUILLE_OK);
  fouille_index_close(ro);
  teardown_env(&e);
}
END_TEST

int main(void) {
  Suite *s = suite_create("update");
  TCase *tc = tcase_create("update");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, add_modify_touch_delete_rename);
  tcase_add_test(tc, jsonl_per_line);
  tcase_add_test(tc, version_rebuild);
  tcase_add_test(tc, no_free_pages_after_builds);
  tcase_add_test(tc, skipped_files);
  tcase_add_test(tc, dry_run_and_no_delete);
  tcase_add_test(tc, abort_then_finish);
  tcase_add_test(tc, stopped_rebuild_keeps_old_index);
  tcase_add_test(tc, disk_full_keeps_last_commit);
  tcase_add_test(tc, file_vanishes_during_run);
  tcase_add_test(tc, jsonl_read_error_keeps_articles);
  tcase_add_test(tc, article_over_sqlite_limit_skipped);
  tcase_add_test(tc, malformed_line_is_skipped_article);
  tcase_add_test(tc, stale_index_refuses_searches);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
