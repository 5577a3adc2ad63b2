/* The roots an index records (fouille_index_update, _roots, _forget): a
 * part of a root updated alone, every root without paths, a second root's
 * prefixed keys, a key that belongs to another root, a missing root kept,
 * forgetting a root, and absolute paths made from relative ones. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fouille/index.h"
#include "test_util.h"
#include "update.h"

typedef struct env {
  char *dir, db[4200];
  fouille_index *ix;
  fouille_update_summary s;
  int problems;
  char last_problem[1024];
} env;

static void on_problem(const char *path, unsigned long line, const char *msg, int is_warning,
                       void *payload) {
  env *e = payload;
  (void)line;
  if (is_warning) return;
  e->problems++;
  snprintf(e->last_problem, sizeof e->last_problem, "%s: %s", path, msg);
}

static void setup_env(env *e) {
  memset(e, 0, sizeof *e);
  e->s.version = FOUILLE_UPDATE_SUMMARY_VERSION;
  e->dir = test_tmpdir();
  ck_assert_ptr_nonnull(e->dir);
  snprintf(e->db, sizeof e->db, "%s/index.db", e->dir);
  ck_assert_int_eq(fouille_index_open(&e->ix, e->db, NULL), FOUILLE_OK);
}

static void teardown_env(env *e) {
  fouille_index_close(e->ix);
  test_rmtree(e->dir);
  free(e->dir);
}

/* Updates with paths relative to e->dir (NULL: none). */
static int update(env *e, const char *p1, const char *p2) {
  char a[4300], b[4300];
  const char *paths[] = {a, b};
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.problem = on_problem;
  o.payload = e;
  e->problems = 0;
  snprintf(a, sizeof a, "%s/%s", e->dir, p1 ? p1 : "");
  snprintf(b, sizeof b, "%s/%s", e->dir, p2 ? p2 : "");
  return fouille_index_update(&e->s, e->ix, paths, p1 ? (p2 ? 2 : 1) : 0, &o);
}

static void put(env *e, const char *name, const char *body) {
  char text[1024];
  snprintf(text, sizeof text, "Titre\n\n%s\n", body);
  test_write(e->dir, name, text, (size_t)-1);
}

static void rm(env *e, const char *name) {
  char p[4300];
  snprintf(p, sizeof p, "%s/%s", e->dir, name);
  ck_assert_int_eq(unlink(p), 0);
}

static int has(env *e, const char *key) {
  fouille_article *a = NULL;
  int rc = fouille_index_get(&a, e->ix, key);
  fouille_article_free(a);
  return rc == FOUILLE_OK;
}

START_TEST(part_of_a_root) {
  env e;
  setup_env(&e);
  put(&e, "arch/2024/a.txt", "Un.");
  put(&e, "arch/2023/b.txt", "Deux.");
  ck_assert_int_eq(update(&e, NULL, NULL), FOUILLE_ENOTFOUND); /* no root yet */
  ck_assert_int_eq(update(&e, "arch", NULL), FOUILLE_OK);
  rm(&e, "arch/2023/b.txt");
  put(&e, "arch/2024/c.txt", "Trois.");
  /* A part: keys relative to the root, nothing deleted outside it. */
  ck_assert_int_eq(update(&e, "arch/2024/", NULL), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 1);
  ck_assert_uint_eq(e.s.unchanged, 1);
  ck_assert_uint_eq(e.s.deleted, 0);
  ck_assert(has(&e, "2024/c.txt") && has(&e, "2023/b.txt"));
  /* One file of it, by a path with ".." in it. */
  put(&e, "arch/2024/a.txt", "Un, changé.");
  ck_assert_int_eq(update(&e, "arch/2023/../2024/a.txt", NULL), FOUILLE_OK);
  ck_assert_uint_eq(e.s.changed, 1);
  ck_assert_uint_eq(e.s.unchanged + e.s.added, 0);
  /* A part that does not exist: reported, its articles kept. */
  ck_assert_int_eq(update(&e, "arch/2023/b.txt", NULL), FOUILLE_OK);
  ck_assert_uint_eq(e.s.skipped, 1);
  ck_assert(has(&e, "2023/b.txt"));
  /* Every root. */
  ck_assert_int_eq(update(&e, NULL, NULL), FOUILLE_OK);
  ck_assert_uint_eq(e.s.deleted, 1);
  ck_assert(!has(&e, "2023/b.txt"));
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

START_TEST(two_roots_same_relative_path) {
  env e;
  setup_env(&e);
  put(&e, "presse/a.txt", "Presse.");
  put(&e, "afp/a.txt", "AFP.");
  put(&e, "x/afp/a.txt", "Un autre afp.");
  ck_assert_int_eq(update(&e, "presse", "afp"), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 2);
  ck_assert(has(&e, "a.txt") && has(&e, "afp:a.txt"));
  /* Another folder of the same name: the next free prefix. */
  ck_assert_int_eq(update(&e, "x/afp", NULL), FOUILLE_OK);
  ck_assert(has(&e, "afp-2:a.txt"));
  fouille_roots *r = NULL;
  ck_assert_int_eq(fouille_index_roots(&r, e.ix), FOUILLE_OK);
  ck_assert_uint_eq(fouille_roots_count(r), 3);
  const fouille_root *r0 = fouille_roots_get(r, 0), *r2 = fouille_roots_get(r, 2);
  ck_assert_int_eq(r0->version, FOUILLE_ROOT_VERSION);
  ck_assert_int_eq(r0->kind, FOUILLE_ROOT_FOLDER);
  ck_assert_str_eq(r0->prefix, "");
  ck_assert_str_eq(r2->prefix, "afp-2:");
  ck_assert_uint_eq(r2->articles, 1);
  ck_assert_uint_eq(r2->files, 1);
  ck_assert_ptr_nonnull(strstr(r2->path, "/x/afp"));
  ck_assert_int_eq(r2->path[0], '/');
  ck_assert(r2->last_update[0] && r2->created[0]);
  ck_assert_ptr_null(fouille_roots_get(r, 3));
  fouille_roots_free(r);
  teardown_env(&e);
}
END_TEST

/* A file given outside every root keeps its key as given; a key already
 * held by another root's file is reported and skipped. */
START_TEST(key_of_another_root) {
  env e;
  char cwd[4096];
  setup_env(&e);
  put(&e, "arch/f.txt", "Dans l'archive.");
  put(&e, "ailleurs/f.txt", "Ailleurs.");
  ck_assert_int_eq(update(&e, "arch", NULL), FOUILLE_OK);
  ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
  char dir[4300];
  snprintf(dir, sizeof dir, "%s/ailleurs", e.dir);
  ck_assert_int_eq(chdir(dir), 0);
  const char *rel[] = {"./f.txt"};
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.problem = on_problem;
  o.payload = &e;
  ck_assert_int_eq(fouille_index_update(&e.s, e.ix, rel, 1, &o), FOUILLE_OK);
  ck_assert_int_eq(chdir(cwd), 0);
  ck_assert_uint_eq(e.s.skipped, 1);
  ck_assert_ptr_nonnull(strstr(e.last_problem, "already belongs to root"));
  fouille_roots *r = NULL;
  ck_assert_int_eq(fouille_index_roots(&r, e.ix), FOUILLE_OK);
  ck_assert_uint_eq(fouille_roots_count(r), 1); /* not recorded */
  fouille_roots_free(r);
  /* Given as another path, the same file is a file root of its own. */
  ck_assert_int_eq(update(&e, "ailleurs/f.txt", NULL), FOUILLE_OK);
  ck_assert_uint_eq(e.s.added, 1);
  char key[4300];
  snprintf(key, sizeof key, "%s/ailleurs/f.txt", e.dir);
  ck_assert(has(&e, key) && has(&e, "f.txt"));
  teardown_env(&e);
}
END_TEST

/* A recorded root that cannot be read keeps its articles; forgetting it
 * removes them, in one go. */
START_TEST(missing_root_then_forget) {
  env e;
  setup_env(&e);
  put(&e, "a/x.txt", "Un.");
  put(&e, "a/y.txt", "Deux.");
  put(&e, "b/z.txt", "Trois.");
  ck_assert_int_eq(update(&e, "a", "b"), FOUILLE_OK);
  char from[4300], to[4300];
  snprintf(from, sizeof from, "%s/a", e.dir);
  snprintf(to, sizeof to, "%s/a-moved", e.dir);
  ck_assert_int_eq(rename(from, to), 0);
  ck_assert_int_eq(update(&e, NULL, NULL), FOUILLE_OK);
  ck_assert_uint_eq(e.s.skipped, 1);
  ck_assert_uint_eq(e.s.deleted, 0);
  ck_assert(has(&e, "x.txt"));
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille_update_summary s = FOUILLE_UPDATE_SUMMARY_INIT;
  o.dry_run = 1;
  ck_assert_int_eq(fouille_index_forget(&s, e.ix, from, &o), FOUILLE_OK);
  ck_assert_uint_eq(s.deleted, 2);
  ck_assert_uint_eq(s.articles_deleted, 2);
  ck_assert(has(&e, "x.txt"));
  ck_assert_int_eq(fouille_index_forget(&s, e.ix, from, NULL), FOUILLE_OK);
  ck_assert_uint_eq(s.articles_deleted, 2);
  ck_assert(!has(&e, "x.txt") && has(&e, "b:z.txt"));
  ck_assert_int_eq(fouille_index_forget(&s, e.ix, from, NULL), FOUILLE_ENOTFOUND);
  ck_assert_int_eq(fouille_index_forget(&s, e.ix, NULL, NULL), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_index_check(e.ix), FOUILLE_OK);
  teardown_env(&e);
}
END_TEST

START_TEST(absolute_paths) {
  char cwd[4096], want[4400];
  ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
  const char *in[] = {"/a/b/../c", "/a//b/./c/", "/..", "/", "x/../y"};
  const char *out[] = {"/a/c", "/a/b/c", "/", "/", NULL};
  for (int i = 0; i < 5; i++) {
    char *p = fouille__plan_absolute(in[i]);
    snprintf(want, sizeof want, "%s/y", strcmp(cwd, "/") ? cwd : "");
    ck_assert_str_eq(p, out[i] ? out[i] : want);
    free(p);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("roots");
  TCase *tc = tcase_create("roots");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, part_of_a_root);
  tcase_add_test(tc, two_roots_same_relative_path);
  tcase_add_test(tc, key_of_another_root);
  tcase_add_test(tc, missing_root_then_forget);
  tcase_add_test(tc, absolute_paths);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
