/* Private: walking the archive roots given to an update into a sorted list
 * of article files with their stat data (scan.c). */
#ifndef FOUILLE_SCAN_H
#define FOUILLE_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "fouille/index.h"

/* Kept small (a key, no full path) because the whole list stays in memory:
 * at 100k files the list was most of the growth of peak memory. */
typedef struct fouille__scan_file {
  const char *key; /* the files.path key, in the scan's key arena */
  uint64_t size;
  int64_t mtime_ns;
  uint32_t root; /* index of its root's prefix (see fouille__scan_path) */
  int format;    /* fouille__format */
} fouille__scan_file;

typedef struct fouille__scan_chunk fouille__scan_chunk;

typedef struct fouille__scan {
  fouille__scan_file *files; /* sorted by key, keys unique */
  size_t n, cap;
  char **prefixes; /* per root: what comes before a key in a path */
  size_t n_prefixes;
  fouille__scan_chunk *chunks; /* key storage, never moved */
  char **kept;                 /* key prefixes ("dir/") whose rows must not be deleted */
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

/* The path to open for f (its root's prefix, then its key), written into
 * *buf (grown as needed; the caller frees it); NULL when out of memory. */
const char *fouille__scan_path(const fouille__scan *scan, const fouille__scan_file *f, char **buf,
                               size_t *cap);

/* The scanned file with this key, or NULL. */
const fouille__scan_file *fouille__scan_find(const fouille__scan *scan, const char *key);

/* Non-zero when a files row with this key (not found by the scan) belongs
 * to the scanned roots and so must be deleted. */
int fouille__scan_owns_missing(const fouille__scan *scan, const char *key);

#endif
