/* The archive walk: keys relative to a folder root (after its key base),
 * hidden entries and unknown formats ignored, excludes, other roots
 * skipped, two roots giving one key, symlink loops and broken links
 * reported, and which missing rows must be kept. */
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
  fouille__scan_root r = {root, 0, "", 0, NULL, 0};
  return fouille__scan_roots(s, &r, 1, ex, n_ex, on_problem, NULL);
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
  ck_assert(!fouille__scan_kept_key(&s, 0, "gone.txt"));
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

  /* A file: its key is its key base. */
  char path[4300];
  snprintf(path, sizeof path, "%s/b.txt", d);
  fouille__scan_root fr = {path, 1, "b.txt", 5, NULL, 0};
  ck_assert_int_eq(fouille__scan_roots(&s, &fr, 1, NULL, 0, on_problem, NULL), FOUILLE_OK);
  ck_assert_uint_eq(s.n, 1);
  ck_assert_str_eq(s.files[0].key, "b.txt");
  char *buf = NULL;
  size_t cap = 0;
  ck_assert_str_eq(fouille__scan_path(&s, &s.files[0], &buf, &cap), path);
  fouille__scan_free(&s);

  /* A root with a key prefix, and a part of it: keys after the base,
   * excludes and skips on the path relative to the root. */
  const char *skip[] = {"a/e.jsonl"}, *ex3[] = {"a/d.*"};
  fouille__scan_root pr[] = {{d, 0, "afp:", 4, skip, 1}};
  ck_assert_int_eq(fouille__scan_roots(&s, pr, 1, ex3, 1, on_problem, NULL), FOUILLE_OK);
  ck_assert_ptr_nonnull(fouille__scan_find(&s, "afp:a/c.md"));
  ck_assert_ptr_null(fouille__scan_find(&s, "afp:a/d.HTML"));
  ck_assert_ptr_null(fouille__scan_find(&s, "afp:a/e.jsonl"));
  ck_assert_ptr_nonnull(fouille__scan_find(&s, "afp:b.txt"));
  snprintf(path, sizeof path, "%s/b.txt", d);
  ck_assert_str_eq(fouille__scan_path(&s, fouille__scan_find(&s, "afp:b.txt"), &buf, &cap), path);
  fouille__scan_free(&s);
  snprintf(path, sizeof path, "%s/a", d);
  fouille__scan_root part = {path, 0, "afp:a/", 4, skip, 1};
  ck_assert_int_eq(fouille__scan_roots(&s, &part, 1, ex3, 1, on_problem, NULL), FOUILLE_OK);
  ck_assert_uint_eq(s.n, 2); /* c.md, j.tmp.txt */
  ck_assert_ptr_nonnull(fouille__scan_find(&s, "afp:a/c.md"));
  fouille__scan_free(&s);

  /* Two roots giving one key: the first root keeps it, the other file is
   * reported. */
  snprintf(path, sizeof path, "%s/brouillons", d);
  test_write(d, "brouillons/b.txt", "y", 1);
  fouille__scan_root two[] = {{d, 0, "", 0, NULL, 0}, {path, 0, "", 0, NULL, 0}};
  problems = 0;
  ck_assert_int_eq(fouille__scan_roots(&s, two, 2, NULL, 0, on_problem, NULL), FOUILLE_OK);
  ck_assert_uint_eq(fouille__scan_find(&s, "b.txt")->root, 0);
  ck_assert_int_eq(problems, 1);
  ck_assert_ptr_nonnull(strstr(last, "another root"));
  fouille__scan_free(&s);
  free(buf);
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
  ck_assert(fouille__scan_kept_key(&s, 0, "x/casse.txt"));
  ck_assert(!fouille__scan_kept_key(&s, 1, "x/casse.txt"));
  ck_assert(!fouille__scan_kept_key(&s, 0, "x/a.txt"));
  fouille__scan_free(&s);

  snprintf(p, sizeof p, "%s/absent", d);
  ck_assert_int_eq(scan(&s, p, NULL, 0), FOUILLE_OK);
  ck_assert_uint_eq(s.n, 0);
  ck_assert_int_eq(problems, 1);
  ck_assert(fouille__scan_kept_key(&s, 0, "anything.txt")); /* a missing root keeps all */
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
