/* Helpers shared by the Check suites: fixture paths, temp dirs, files. */
#ifndef FOUILLE_TEST_UTIL_H
#define FOUILLE_TEST_UTIL_H

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

#endif
