/* Helpers shared by the Check suites: fixture paths, temp dirs, files. */
#ifndef FOUILLE_TEST_UTIL_H
#define FOUILLE_TEST_UTIL_H

#include <check.h>
#include <sqlite3.h>
#include <stddef.h>

/* Path of a fixture under tests/data (static buffer, next call overwrites). */
const char *test_data(const char *name);

/* Creates a fresh temporary directory (malloc'd path; removed by test_rmtree). */
char *test_tmpdir(void);

/* Removes a directory tree. */
void test_rmtree(const char *path);

/* Writes len bytes (len == (size_t)-1: strlen) to dir/name, creating parent dirs. */
void test_write(const char *dir, const char *name, const char *data, size_t len);

/* Reads a whole file (malloc'd, NUL-terminated) or NULL. */
char *test_read(const char *path, size_t *len);

/* An in-memory database with the fouille_fr tokenizer and SQL functions:
 * registered through the library, or (via_extension) by loading fouille.so
 * from $FOUILLE_EXTENSION as any SQLite client would. Fails the test if not. */
sqlite3 *test_memory_db(int via_extension);

/* Opens the index file path (flags as sqlite3_open_v2's) as another
 * program would, with the library's SQL functions and those reading FTS5's
 * storage (store/fts5_storage.h) registered. Fails the test if not. */
sqlite3 *test_open_raw(const char *path, int flags);

/* Runs sql; fails the test with SQLite's message if it fails. */
void test_exec(sqlite3 *db, const char *sql);

/* Runs every test of the suite; the process exit status (0: all passed). */
int test_run_suite(Suite *s);

#endif
