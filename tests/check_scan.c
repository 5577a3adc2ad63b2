/* The archive walk: keys relative to a folder root, hidden entries and
 * unknown formats ignored, excludes, symlink loops and broken links
 * reported, and which missing rows a scan owns. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"
#include "test_util.h"

static int problems, warnings;
static char last[512];

static void on_problem(const char *path, unsigned long line, const char *msg, int is_warning,
                       void *payload) {
  (void)payload;
  (void)line;
  *(is_warning ? &warnings : &problems) += 1;
  snprintf(last, sizeof last, "%s: %s", path, msg);
}

static int scan(fouille__scan *s, const char *root, const char *const *ex, size_t n_ex) {
  problems = warnings = 0;
  const char *roots[] = {root};
  return fouille__scan_roots(s, roots, 1, ex, n_ex, on_problem, NULL);
}

START_TEST(walk_keys_and_filters) {
  char *d = test_tmpdir();
  test_write(d, "b.txt", "x", 1);
  test_write(d, "a/c.md", "x", 1);
  test_write(d, "a/d.HTML", "x", 1);
  test_write(d, "a/e.jsonl", "x", 1);
  test_write(d, "a/f.pdf", "x", 1);
  test_write(d, ".git/g.txt", "x", 1);
  test_write(d, "a/.h.txt", "x", 1);
  test_write(d, "brouillons/i.txt", "x", 1);
  test_write(d, "a/j.tmp.txt", "x", 1);
  fouille__scan s;
  const char *ex[] = {"brouillons", "*.tmp.txt"};
  ck_assert_int_eq(scan(&s, d, ex, 2), FOUILLE_OK);
  ck_assert_uint_eq(s.n, 4);
  ck_assert_str_eq(s.files[0].key, "a/c.md");
  ck_assert_str_eq(s.files[1].key, "a/d.HTML");
  ck_assert_str_eq(s.files[2].key, "a/e.jsonl");
  ck_assert_str_eq(s.files[3].key, "b.txt");
  ck_assert_uint_eq(s.files[3].size, 1);
  ck_assert_int_gt(s.files[3].mtime_ns, 0);
  ck_assert_int_eq(problems, 0);
  ck_assert_ptr_nonnull(fouille__scan_find(&s, "a/e.jsonl"));
  ck_assert_ptr_null(fouille__scan_find(&s, "a/f.pdf"));
  ck_assert(fouille__scan_owns_missing(&s, "gone.txt"));
  ck_assert(!fouille__scan_owns_missing(&s, "b.txt"));
  fouille__scan_free(&s);

  /* Exclude on a path relative to the root. */
  const char *ex2[] = {"a/*.md"};
  ck_assert_int_eq(scan(&s, d, ex2, 1), FOUILLE_OK);
  ck_assert_ptr_null(fouille__scan_find(&s, "a/c.md"));
  ck_assert_ptr_nonnull(fouille__scan_find(&s, "brouillons/i.txt"));
  fouille__scan_free(&s);

  /* "." and "./" as roots give the same keys. */
  char cwd[4096];
  ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
  ck_assert_int_eq(chdir(d), 0);
  const char *dots[] = {".", "./", "./a"};
  const char *want[] = {"b.txt", "b.txt", "c.md"};
  for (int i = 0; i < 3; i++) {
    ck_assert_int_eq(scan(&s, dots[i], ex, 2), FOUILLE_OK);
    ck_assert_int_eq(problems, 0);
    ck_assert_ptr_nonnull(fouille__scan_find(&s, want[i]));
    fouille__scan_free(&s);
  }
  ck_assert_int_eq(chdir(cwd), 0);

  /* A file given directly: its key is the path as given, and it owns
   * nothing else. */
  char path[4300];
  snprintf(path, sizeof path, "%s/b.txt", d);
  ck_assert_int_eq(scan(&s, path, NULL, 0), FOUILLE_OK);
  ck_assert_uint_eq(s.n, 1);
  ck_assert_str_eq(s.files[0].key, path);
  ck_assert(!fouille__scan_owns_missing(&s, "gone.txt"));
  fouille__scan_free(&s);
  test_rmtree(d);
  free(d);
}
END_TEST

START_TEST(links_loops_and_missing) {
  char *d = test_tmpdir();
  char p[4300], t[4300];
  test_write(d, "x/a.txt", "x", 1);
  snprintf(p, sizeof p, "%s/x/boucle", d);
  snprintf(t, sizeof t, "%s/x", d);
  ck_assert_int_eq(symlink(t, p), 0); /* x/boucle -> x */
  snprintf(p, sizeof p, "%s/x/casse.txt", d);
  ck_assert_int_eq(symlink("/nonexistent/fouille", p), 0);
  snprintf(p, sizeof p, "%s/lien", d);
  ck_assert_int_eq(symlink(t, p), 0); /* lien -> x: followed once */
  fouille__scan s;
  ck_assert_int_eq(scan(&s, d, NULL, 0), FOUILLE_OK);
  ck_assert_ptr_nonnull(fouille__scan_find(&s, "x/a.txt"));
  ck_assert_ptr_nonnull(fouille__scan_find(&s, "lien/a.txt"));
  ck_assert_uint_eq(s.n, 2);
  ck_assert_int_eq(warnings, 2); /* x/boucle, lien/boucle */
  ck_assert_int_eq(problems, 2); /* the broken link, seen twice */
  ck_assert_ptr_nonnull(strstr(last, "broken symbolic link"));
  ck_assert_uint_eq(s.problems, 2);
  /* A row for the broken link's key is kept, not deleted. */
  ck_assert(!fouille__scan_owns_missing(&s, "x/casse.txt"));
  fouille__scan_free(&s);

  snprintf(p, sizeof p, "%s/absent", d);
  ck_assert_int_eq(scan(&s, p, NULL, 0), FOUILLE_OK);
  ck_assert_uint_eq(s.n, 0);
  ck_assert_int_eq(problems, 1);
  fouille__scan_free(&s);
  test_rmtree(d);
  free(d);
}
END_TEST

int main(void) {
  Suite *s = suite_create("scan");
  TCase *tc = tcase_create("scan");
  tcase_add_test(tc, walk_keys_and_filters);
  tcase_add_test(tc, links_loops_and_missing);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
