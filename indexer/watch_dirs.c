/* fouille_index_watch's state: the inotify watches (descriptor -> folder),
 * added recursively, and the set of changed paths waiting for the next
 * batch. See watch.c for the loop. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "error.h"
#include "watch.h"

#define WATCH_MASK                                                                                 \
  (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_DELETE_SELF |         \
   IN_MOVE_SELF)

static int oom(void) { return fouille__error(FOUILLE_ENOMEM, "out of memory"); }

char *fouille__watch_join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = malloc(a + b + 2);
  if (!p) return NULL;
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

const char *fouille__watch_dir_of(const fouille__watch *w, int wd) {
  for (size_t i = 0; i < w->n_dirs; i++)
    if (w->dirs[i].wd == wd) return w->dirs[i].path;
  return NULL;
}

void fouille__watch_dir_drop(fouille__watch *w, int wd) {
  for (size_t i = 0; i < w->n_dirs; i++) {
    if (w->dirs[i].wd != wd) continue;
    free(w->dirs[i].path);
    w->dirs[i] = w->dirs[--w->n_dirs];
    return;
  }
}

/* Records wd -> path (a descriptor seen again takes the new path). */
static int remember(fouille__watch *w, int wd, const char *path) {
  char *copy = strdup(path);
  if (!copy) return oom();
  fouille__watch_dir_drop(w, wd);
  if (w->n_dirs == w->cap_dirs) {
    size_t cap = w->cap_dirs ? 2 * w->cap_dirs : 64;
    fouille__watch_dir *d = realloc(w->dirs, cap * sizeof *d);
    if (!d) {
      free(copy);
      return oom();
    }
    w->dirs = d;
    w->cap_dirs = cap;
  }
  w->dirs[w->n_dirs].wd = wd;
  w->dirs[w->n_dirs++].path = copy;
  return FOUILLE_OK;
}

/* Reports the exhausted watch limit once. */
static void limit_reached(fouille__watch *w, const char *path) {
  w->limit_hit = 1;
  if (w->limit_reported || !w->uo.problem) return;
  w->limit_reported = 1;
  w->uo.problem(path, 0,
                "inotify watch limit reached (raise fs.inotify.max_user_watches): folders"
                " without a watch are brought up to date by full passes",
                0, w->uo.payload);
}

static int add_one(fouille__watch *w, const char *path) {
  int wd = inotify_add_watch(w->fd, path, WATCH_MASK | IN_ONLYDIR);
  if (wd >= 0) return remember(w, wd, path);
  if (errno == ENOSPC) limit_reached(w, path);
  return FOUILLE_OK; /* vanished meanwhile, or unreadable: the scan reports it */
}

/* Watches folder path and every folder under it (symlinks not followed:
 * inotify would not see through them anyway). */
int fouille__watch_add_tree(fouille__watch *w, const char *path, unsigned depth) {
  int rc = add_one(w, path);
  DIR *d;
  struct dirent *e;
  if (rc || depth > 64 || !(d = opendir(path))) return rc;
  while (rc == FOUILLE_OK && (e = readdir(d))) {
    struct stat st;
    char *sub;
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
    if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) continue;
    if (!(sub = fouille__watch_join(path, e->d_name))) {
      rc = oom();
      break;
    }
    if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
      rc = fouille__watch_add_tree(w, sub, depth + 1);
    free(sub);
  }
  closedir(d);
  return rc;
}

/* Adds path to the pending set (once). Past FOUILLE__WATCH_MAX_PENDING
 * paths a full pass is cheaper (and the set stays small). */
int fouille__watch_pending_add(fouille__watch *w, const char *path) {
  if (w->full) return FOUILLE_OK; /* covered by the full pass */
  if (w->n_pending >= FOUILLE__WATCH_MAX_PENDING) {
    w->full = 1;
    return FOUILLE_OK;
  }
  for (size_t i = 0; i < w->n_pending; i++)
    if (strcmp(w->pending[i], path) == 0) return FOUILLE_OK;
  if (w->n_pending == w->cap_pending) {
    size_t cap = w->cap_pending ? 2 * w->cap_pending : 64;
    char **p = realloc(w->pending, cap * sizeof *p);
    if (!p) return oom();
    w->pending = p;
    w->cap_pending = cap;
  }
  if (!(w->pending[w->n_pending] = strdup(path))) return oom();
  w->n_pending++;
  return FOUILLE_OK;
}

void fouille__watch_pending_clear(fouille__watch *w) {
  for (size_t i = 0; i < w->n_pending; i++) free(w->pending[i]);
  w->n_pending = 0;
}

/* Forgets the watches of path and the folders under it (moved away: their
 * paths are no longer theirs; a move back in watches them again). */
void fouille__watch_drop_under(fouille__watch *w, const char *path) {
  size_t n = strlen(path);
  for (size_t i = 0; i < w->n_dirs;) {
    const char *d = w->dirs[i].path;
    if (strncmp(d, path, n) == 0 && (d[n] == '/' || !d[n])) {
      inotify_rm_watch(w->fd, w->dirs[i].wd);
      free(w->dirs[i].path);
      w->dirs[i] = w->dirs[--w->n_dirs];
    } else {
      i++;
    }
  }
}

void fouille__watch_free(fouille__watch *w) {
  for (size_t i = 0; i < w->n_dirs; i++) free(w->dirs[i].path);
  free(w->dirs);
  fouille__watch_pending_clear(w);
  free(w->pending);
  for (size_t i = 0; i < w->n_targets; i++) free(w->targets[i].path);
  free(w->targets);
}
