/* Private to fouille_index_watch (watch.c, watch_dirs.c): the watcher's
 * state. */
#ifndef FOUILLE_INDEXER_WATCH_H
#define FOUILLE_INDEXER_WATCH_H

#include <stddef.h>

#include "fouille/index.h"

#define FOUILLE__WATCH_MAX_PENDING 4096 /* more changed paths: a full pass */

typedef struct fouille__watch_dir {
  int wd;
  char *path;
} fouille__watch_dir;

/* What is followed: a folder (recursively), or a file (its folder watched,
 * only its name looked at). */
typedef struct fouille__watch_target {
  char *path; /* absolute */
  int is_file;
} fouille__watch_target;

typedef struct fouille__watch {
  fouille_index *ix;
  const fouille_watch_options *o;
  const char *const *paths; /* as given (n_paths 0: every root) */
  size_t n_paths;
  fouille_update_options uo; /* for the passes after the first */
  int fd;                    /* inotify */
  fouille__watch_dir *dirs;
  size_t n_dirs, cap_dirs;
  fouille__watch_target *targets;
  size_t n_targets;
  char **pending; /* changed paths of the next batch */
  size_t n_pending, cap_pending;
  int full;      /* a full pass is due (overflow, watch limit) */
  int limit_hit; /* set when inotify_add_watch met ENOSPC */
  int limit_reported;
  int watching; /* past the first pass */
} fouille__watch;

char *fouille__watch_join(const char *dir, const char *name); /* malloc'd dir/name */
const char *fouille__watch_dir_of(const fouille__watch *w, int wd);
void fouille__watch_dir_drop(fouille__watch *w, int wd);
/* depth over 64: the folder only. */
int fouille__watch_add_tree(fouille__watch *w, const char *path, unsigned depth);
int fouille__watch_pending_add(fouille__watch *w, const char *path);
void fouille__watch_pending_clear(fouille__watch *w);
void fouille__watch_drop_under(fouille__watch *w, const char *path);
void fouille__watch_free(fouille__watch *w);

#endif
