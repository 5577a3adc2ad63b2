/* Helpers shared by the Check suites. */
#include "test_util.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fouille/fts5.h"
#include "fts5_storage.h"

const char *test_data(const char *name) {
  static char path[4096];
  const char *dir = getenv("FOUILLE_TEST_DATA");
  snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
  return path;
}

char *test_tmpdir(void) {
  const char *base = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/fouille-test-XXXXXX", base ? base : "/tmp");
  if (!mkdtemp(tmpl)) return NULL;
  return strdup(tmpl);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  chmod(path, 0700);
  return remove(path);
}

void test_rmtree(const char *path) {
  if (path) nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkparents(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    mkdir(path, 0755);
    *p = '/';
  }
}

void test_write(const char *dir, const char *name, const char *data, size_t len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  mkparents(path);
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    abort();
  }
  if (len == (size_t)-1) len = strlen(data);
  fwrite(data, 1, len, f);
  fclose(f);
}

char *test_read(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t k;
  while (buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += k;
    if (cap - n < 2) {
      char *p = realloc(buf, cap * 2);
      if (!p) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = p;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

sqlite3 *test_memory_db(int via_extension) {
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  if (!via_extension) {
    ck_assert_int_eq(fouille_fts5_register(db), 0);
    return db;
  }
  const char *ext = getenv("FOUILLE_EXTENSION");
  ck_assert_msg(ext != NULL, "FOUILLE_EXTENSION (path of fouille.so) is not set");
  ck_assert_int_eq(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
  char *err = NULL;
  int rc = sqlite3_load_extension(db, ext, NULL, &err);
  ck_assert_msg(rc == SQLITE_OK, "load %s: %s", ext, err ? err : "?");
  return db;
}

sqlite3 *test_open_raw(const char *path, int flags) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(path, &db, flags, NULL), SQLITE_OK);
  ck_assert_int_eq(fouille_fts5_register(db), 0);
  ck_assert_int_eq(fouille__fts5_storage_register(db), 0);
  return db;
}

void test_exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
}

int test_run_suite(Suite *s) {
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
