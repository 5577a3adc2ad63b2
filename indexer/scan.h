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
  uint32_t root; /* index of the scan root it was found under */
  int format;    /* fouille__format */
} fouille__scan_file;

/* One thing to walk: a root of the index, or a part of one. */
typedef struct fouille__scan_root {
  const char *walk;     /* the folder or file, as it is opened and named in messages */
  int is_file;          /* a file: its key is key_base; else a folder */
  const char *key_base; /* keys under it: key_base, then the path below walk */
  size_t rel_at;        /* bytes of a key before its path relative to its root (excludes) */
  const char *const *skip; /* paths relative to its root not walked (other roots) */
  size_t n_skip;
} fouille__scan_root;

typedef struct fouille__scan_chunk fouille__scan_chunk;

/* A key prefix ("dir/") of a scan root whose rows must not be deleted. */
typedef struct fouille__scan_kept {
  uint32_t root;
  char *prefix;
} fouille__scan_kept;

typedef struct fouille__scan {
  fouille__scan_file *files; /* sorted by key, keys unique */
  size_t n, cap;
  char **paths;      /* per scan root: what comes before a key's tail in a path */
  size_t *tail_at;   /* per scan root: bytes of a key before that tail */
  size_t n_roots;
  fouille__scan_chunk *chunks; /* key storage, never moved */
  fouille__scan_kept *kept;    /* unreadable folders and missing roots */
  size_t n_kept, cap_kept;
  uint64_t problems; /* entries that could not be scanned (counted as skipped) */
} fouille__scan;

/* Walks roots. A folder's keys are key_base then the path below it; a file's
 * key is key_base. Hidden entries and files of unknown format are ignored;
 * excludes are fnmatch patterns matched on the path relative to the root
 * and on the base name. Two roots giving one key: the first keeps it, the
 * other file is reported. Problems (unreadable folder, broken link, loop,
 * missing root) go to problem(user, …). Returns FOUILLE_OK or
 * FOUILLE_ENOMEM; free *out with fouille__scan_free. */
int fouille__scan_roots(fouille__scan *out, const fouille__scan_root *roots, size_t n_roots,
                        const char *const *excludes, size_t n_excludes, fouille_problem_cb problem,
                        void *user);

void fouille__scan_free(fouille__scan *scan);

/* The path to open for f (its root's path, then its key's tail), written
 * into *buf (grown as needed; the caller frees it); NULL when out of memory. */
const char *fouille__scan_path(const fouille__scan *scan, const fouille__scan_file *f, char **buf,
                               size_t *cap);

/* The scanned file with this key, or NULL. */
const fouille__scan_file *fouille__scan_find(const fouille__scan *scan, const char *key);

/* Non-zero when key lies under a part of scan root `root` that could not be
 * read (its rows must be kept). */
int fouille__scan_kept_key(const fouille__scan *scan, uint32_t root, const char *key);

#endif
