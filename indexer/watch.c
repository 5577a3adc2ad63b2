/* fouille_index_watch: a first update, then inotify events on the roots,
 * coalesced into batches of changed paths, each given to
 * fouille_index_update; a queue overflow or an exhausted watch limit gets
 * a full pass. The watches and the pending set are in watch_dirs.c. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "reader.h"
#include "update.h"
#include "watch.h"

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Editors' temporary files: vim's .swp/.swx and its 4913 probe, backups
 * ending in ~, Emacs' .#locks. */
static int temporary(const char *name) {
  size_t n = strlen(name);
  return strcmp(name, "4913") == 0 || (n && name[n - 1] == '~') || strncmp(name, ".#", 2) == 0 ||
         (n > 4 && (strcmp(name + n - 4, ".swp") == 0 || strcmp(name + n - 4, ".swx") == 0));
}

/* Whether path is one of the targets or under a folder target. */
static int wanted(const fouille__watch *w, const char *path) {
  for (size_t i = 0; i < w->n_targets; i++) {
    const char *t = w->targets[i].path;
    size_t n = strlen(t);
    if (strcmp(path, t) == 0) return 1;
    if (!w->targets[i].is_file && strncmp(path, t, n) == 0 && (path[n] == '/' || t[n - 1] == '/'))
      return 1;
  }
  return 0;
}

/* An event about a folder's own entry: a new one is watched (and scanned:
 * files may have come in before its watch), a gone one is scanned away. */
static int folder_event(fouille__watch *w, const char *path, uint32_t mask) {
  if (mask & IN_MOVED_FROM) fouille__watch_drop_under(w, path);
  if (mask & (IN_CREATE | IN_MOVED_TO)) {
    int had = w->limit_hit;
    int rc = fouille__watch_add_tree(w, path, 0);
    if (rc) return rc;
    if (w->limit_hit && !had) w->full = 1;
  }
  return fouille__watch_pending_add(w, path);
}

static int one_event(fouille__watch *w, const struct inotify_event *e) {
  const char *dir = fouille__watch_dir_of(w, e->wd);
  char *path;
  int rc = FOUILLE_OK;
  if (e->mask & IN_Q_OVERFLOW) w->full = 1;
  if (!dir) return FOUILLE_OK;
  if (e->mask & IN_IGNORED) {
    fouille__watch_dir_drop(w, e->wd);
    return FOUILLE_OK;
  }
  if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
    rc = fouille__watch_pending_add(w, dir); /* scanned from its nearest existing folder */
    inotify_rm_watch(w->fd, e->wd);
    fouille__watch_dir_drop(w, e->wd);
    return rc;
  }
  if (!e->len || temporary(e->name)) return FOUILLE_OK;
  if (!(path = fouille__watch_join(dir, e->name)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory");
  if (!wanted(w, path))
    rc = FOUILLE_OK;
  else if (e->mask & IN_ISDIR)
    rc = folder_event(w, path, e->mask);
  else if (!(e->mask & IN_CREATE) && fouille__format_of(path) != FOUILLE__FORMAT_NONE)
    rc = fouille__watch_pending_add(w, path);
  free(path);
  return rc;
}

/* Reads what inotify has (non-blocking descriptor). */
static int read_events(fouille__watch *w) {
  char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
  int rc = FOUILLE_OK;
  for (;;) {
    ssize_t n = read(w->fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return rc;
    if (n <= 0) return fouille__error(FOUILLE_EIO, "inotify: %s", strerror(errno));
    for (char *p = buf; p < buf + n && rc == FOUILLE_OK;) {
      const struct inotify_event *e = (const struct inotify_event *)(void *)p;
      rc = one_event(w, e);
      p += sizeof *e + e->len;
    }
    if (rc) return rc;
  }
}

/* Watches every target: folders recursively, a file's folder alone. */
static int watch_targets(fouille__watch *w) {
  int rc = FOUILLE_OK;
  for (size_t i = 0; i < w->n_targets && rc == FOUILLE_OK; i++) {
    char *dir = strdup(w->targets[i].path), *slash;
    if (!dir) return fouille__error(FOUILLE_ENOMEM, "out of memory");
    if (w->targets[i].is_file && (slash = strrchr(dir, '/'))) slash[slash == dir] = '\0';
    rc = fouille__watch_add_tree(w, dir, w->targets[i].is_file ? 65 : 0);
    free(dir);
  }
  return rc;
}

/* One call of fouille_index_update; once watching, an index held by
 * another writer past busy_timeout_ms is reported and retried by a full
 * pass. */
static int pass(fouille__watch *w, const fouille_update_options *uo, const char *const *paths,
                size_t n, int full) {
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  int rc = fouille_index_update(&sum, w->ix, paths, n, uo);
  if (rc == FOUILLE_EBUSY && w->watching) { /* retried by a full pass */
    if (uo->problem)
      uo->problem(fouille_index_path(w->ix), 0, fouille_error_last(), 0, uo->payload);
    w->full = 1;
    return FOUILLE_OK;
  }
  if (rc == FOUILLE_OK && w->o->batch) w->o->batch(&sum, n, full, w->o->payload);
  return rc;
}

static int full_pass(fouille__watch *w) {
  int rc;
  w->full = 0;
  fouille__watch_pending_clear(w); /* the full pass covers them */
  if ((rc = watch_targets(w))) return rc;
  return pass(w, &w->uo, w->paths, w->n_paths, 1);
}

/* A pending path made fit for fouille_index_update, in place: itself while
 * it exists, else its nearest existing folder up to its target (so that
 * what vanished under it is deleted; never a new root). */
static void existing(const fouille__watch *w, char *path) {
  struct stat st;
  while (lstat(path, &st) != 0) {
    int target = 0;
    for (size_t i = 0; i < w->n_targets && !target; i++)
      target = strcmp(path, w->targets[i].path) == 0;
    char *slash = strrchr(path, '/');
    if (target || !slash || slash == path) return;
    *slash = '\0';
  }
}

static int batch(fouille__watch *w) {
  for (size_t i = 0; i < w->n_pending; i++) existing(w, w->pending[i]);
  int rc = pass(w, &w->uo, (const char *const *)w->pending, w->n_pending, 0);
  fouille__watch_pending_clear(w);
  return rc;
}

static int loop(fouille__watch *w) {
  long first = 0, last = 0, t;
  unsigned quiet = w->o->quiet_ms ? w->o->quiet_ms : 500, max = w->o->max_ms ? w->o->max_ms : 2000;
  int rc = FOUILLE_OK;
  for (;;) {
    int stop = w->o->stop && w->o->stop(w->o->payload);
    if (stop && (rc = read_events(w))) return rc; /* changes made before the stop count */
    t = now_ms();
    if (w->full)
      rc = full_pass(w);
    else if (w->n_pending && (stop || t - last >= quiet || t - first >= max))
      rc = batch(w);
    if (stop || rc) return rc;
    struct pollfd p = {.fd = w->fd, .events = POLLIN};
    int r = poll(&p, 1, 100);
    if (r < 0 && errno != EINTR) return fouille__error(FOUILLE_EIO, "poll: %s", strerror(errno));
    if (r <= 0) continue;
    size_t before = w->n_pending;
    if ((rc = read_events(w))) return rc;
    if (w->n_pending == before) continue;
    last = now_ms();
    if (!before) first = last;
  }
}

static int add_target(fouille__watch *w, const char *path, int is_file) {
  fouille__watch_target *t = realloc(w->targets, (w->n_targets + 1) * sizeof *t);
  if (!t) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  w->targets = t;
  if (!(t[w->n_targets].path = strdup(path)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory");
  t[w->n_targets++].is_file = is_file;
  return FOUILLE_OK;
}

/* The targets: the paths given, or every folder and file root. */
static int make_targets(fouille__watch *w) {
  fouille_roots *roots = NULL;
  int rc = FOUILLE_OK;
  for (size_t i = 0; i < w->n_paths && rc == FOUILLE_OK; i++) {
    struct stat st;
    char *abs = fouille__plan_absolute(w->paths[i]);
    if (!abs) return fouille__error(FOUILLE_ENOMEM, "out of memory");
    if (stat(abs, &st) == 0) rc = add_target(w, abs, !S_ISDIR(st.st_mode));
    free(abs);
  }
  if (w->n_paths || fouille_index_roots(&roots, w->ix) != FOUILLE_OK) return rc;
  for (size_t i = 0; i < fouille_roots_count(roots) && rc == FOUILLE_OK; i++) {
    const fouille_root *r = fouille_roots_get(roots, i);
    if (r->kind != FOUILLE_ROOT_STREAM) rc = add_target(w, r->path, r->kind == FOUILLE_ROOT_FILE);
  }
  fouille_roots_free(roots);
  return rc;
}

static int run(fouille__watch *w, const fouille_update_options *first) {
  int rc;
  if ((rc = make_targets(w)) || (rc = watch_targets(w))) return rc;
  if ((rc = pass(w, first, w->paths, w->n_paths, 1))) return rc;
  if (!w->n_targets && (rc = make_targets(w)) == FOUILLE_OK) rc = watch_targets(w);
  w->full = 0; /* the first pass was one */
  w->watching = 1;
  return rc ? rc : loop(w);
}

FOUILLE_EXTERN int fouille_watch_options_init(fouille_watch_options *opts, unsigned int version) {
  static const fouille_watch_options defaults = FOUILLE_WATCH_OPTIONS_INIT;
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_watch_options: NULL");
  if (version != FOUILLE_WATCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_watch_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_index_watch(fouille_index *ix, const char *const *paths, size_t n_paths,
                                       const fouille_watch_options *options) {
  fouille_watch_options defaults = FOUILLE_WATCH_OPTIONS_INIT;
  fouille_update_options udefaults = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille__watch w;
  if (!ix || (n_paths && !paths)) return fouille__error(FOUILLE_EINVAL, "no index or paths");
  const fouille_watch_options *o = options ? options : &defaults;
  const fouille_update_options *first = o->update ? o->update : &udefaults;
  if (o->version != FOUILLE_WATCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "unknown watch options version %d", o->version);
  if (first->dry_run) return fouille__error(FOUILLE_EINVAL, "a watch cannot be a dry run");
  memset(&w, 0, sizeof w);
  w.ix = ix;
  w.o = o;
  w.paths = paths;
  w.n_paths = n_paths;
  w.uo = *first;
  w.uo.rebuild = 0;
  w.uo.optimize = 0;
  if ((w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
    return fouille__error(FOUILLE_EIO, "inotify: %s", strerror(errno));
  int rc = run(&w, first);
  close(w.fd);
  fouille__watch_free(&w);
  return rc;
}
