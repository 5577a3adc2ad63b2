/* Private: walking the archive roots given to an update into a sorted list
 * of article files with their stat data (scan.c). */
#ifndef FOUILLE_SCAN_H
#define FOUILLE_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "fouille/index.h"

typedef struct fouille__scan_file {
  char *path;      /* path to open (root joined with the relative path) */
  const char *key; /* the files.path key: points into path */
  uint64_t size;
  int64_t mtime_ns;
  int format; /* fouille__format */
} fouille__scan_file;

typedef struct fouille__scan {
  fouille__scan_file *files; /* sorted by key, keys unique */
  size_t n, cap;
  char **kept; /* key prefixes ("dir/") whose rows must not be deleted */
  size_t n_kept, cap_kept;
  int has_dir_root;  /* rows missing from files are deletable only then */
  uint64_t problems; /* entries that could not be scanned (counted as skipped) */
} fouille__scan;

/* Walks roots (files or folders). Keys: for a folder, the path relative to
 * it; for a file given directly, the path as given (without a leading
 * "./"). Hidden entries and files of unknown format are ignored; excludes
 * are fnmatch patterns matched on the key and on the base name. Problems
 * (unreadable folder, broken link, loop) go to problem(user, …). Returns
 * FOUILLE_OK or FOUILLE_ENOMEM; free *out with fouille__scan_free. */
int fouille__scan_roots(fouille__scan *out, const char *const *roots, size_t n_roots,
                        const char *const *excludes, size_t n_excludes, fouille_problem_cb problem,
                        void *user);

void fouille__scan_free(fouille__scan *scan);

/* The scanned file with this key, or NULL. */
const fouille__scan_file *fouille__scan_find(const fouille__scan *scan, const char *key);

/* Non-zero when a files row with this key (not found by the scan) belongs
 * to the scanned roots and so must be deleted. */
int fouille__scan_owns_missing(const fouille__scan *scan, const char *key);

#endif
