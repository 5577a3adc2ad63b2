/* Walking the archive: folders recursively (symlinks followed, loops caught
 * by the dev/inode of the folders on the current path), hidden entries and
 * excluded globs skipped, one stat per file, keys sorted for lookups. */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "reader.h"

typedef struct walk {
  fouille__scan *scan;
  const char *const *excludes;
  size_t n_excludes;
  fouille_problem_cb problem;
  void *user;
  dev_t devs[256];
  ino_t inos[256];
  int depth;
  size_t root_len; /* bytes of path before the key */
  uint32_t root;   /* index of the root being walked */
} walk;

/* Keys are packed in 64 KB chunks: one malloc per file cost ~16 bytes of
 * overhead each, and the chunks never move, so keys can be pointed to. */
struct fouille__scan_chunk {
  fouille__scan_chunk *next;
  size_t used, cap;
  char data[];
};

static const char *store_key(fouille__scan *s, const char *key) {
  size_t n = strlen(key) + 1;
  fouille__scan_chunk *c = s->chunks;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    if (!(c = malloc(sizeof *c + cap))) return NULL;
    c->next = s->chunks;
    c->used = 0;
    c->cap = cap;
    s->chunks = c;
  }
  char *p = c->data + c->used;
  memcpy(p, key, n);
  c->used += n;
  return p;
}

static void report(walk *w, const char *path, const char *msg, int is_warning) {
  if (!is_warning) w->scan->problems++;
  if (w->problem) w->problem(path, 0, msg, is_warning, w->user);
}

static int excluded(const walk *w, const char *key) {
  const char *base = strrchr(key, '/');
  base = base ? base + 1 : key;
  for (size_t i = 0; i < w->n_excludes; i++)
    if (fnmatch(w->excludes[i], key, 0) == 0 || fnmatch(w->excludes[i], base, 0) == 0) return 1;
  return 0;
}

static int add_kept(fouille__scan *s, const char *key) {
  if (s->n_kept == s->cap_kept) {
    size_t cap = s->cap_kept ? s->cap_kept * 2 : 8;
    char **p = realloc(s->kept, cap * sizeof *p);
    if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
    s->kept = p;
    s->cap_kept = cap;
  }
  size_t n = strlen(key);
  if (!(s->kept[s->n_kept] = malloc(n + 2)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
  memcpy(s->kept[s->n_kept], key, n);
  strcpy(s->kept[s->n_kept] + n, n ? "/" : "");
  s->n_kept++;
  return FOUILLE_OK;
}

static int add_file(walk *w, const char *path, const struct stat *st, int format) {
  fouille__scan *s = w->scan;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    fouille__scan_file *p = realloc(s->files, cap * sizeof *p);
    if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
    s->files = p;
    s->cap = cap;
  }
  fouille__scan_file *f = &s->files[s->n];
  if (!(f->key = store_key(s, path + w->root_len)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory");
  f->root = w->root;
  f->size = (uint64_t)st->st_size;
  f->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
  f->format = format;
  s->n++;
  return FOUILLE_OK;
}

static int walk_dir(walk *w, const char *dir, const struct stat *dst);

/* Looks at one entry: dfd/name when called from a folder listing (a stat
 * relative to the open folder spares resolving the whole path), else path.
 * Regular files of no known format are skipped before any stat. */
static int visit(walk *w, const char *path, int dfd, const char *name, int d_type) {
  struct stat st, lst;
  const char *key = path + w->root_len;
  char msg[300];
  if (*key && excluded(w, key)) return FOUILLE_OK;
  fouille__format fmt = fouille__format_of(path);
  if (d_type == DT_REG && fmt == FOUILLE__FORMAT_NONE) return FOUILLE_OK;
  if ((dfd >= 0 ? fstatat(dfd, name, &st, 0) : stat(path, &st)) != 0) {
    int broken = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
    snprintf(msg, sizeof msg, "%s", broken ? "broken symbolic link" : strerror(errno));
    report(w, path, msg, 0);
    return *key ? add_kept(w->scan, key) : FOUILLE_OK;
  }
  if (S_ISDIR(st.st_mode)) return walk_dir(w, path, &st);
  if (!S_ISREG(st.st_mode)) return FOUILLE_OK;
  return fmt == FOUILLE__FORMAT_NONE ? FOUILLE_OK : add_file(w, path, &st, (int)fmt);
}

static int walk_entries(walk *w, const char *dir, DIR *d) {
  struct dirent *e;
  size_t dl = strlen(dir);
  int rc = FOUILLE_OK;
  while (rc == FOUILLE_OK && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue; /* hidden, . and .. */
    size_t nl = strlen(e->d_name);
    char *p = malloc(dl + nl + 2);
    if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
    memcpy(p, dir, dl);
    size_t at = dl;
    if (dl && dir[dl - 1] != '/') p[at++] = '/';
    memcpy(p + at, e->d_name, nl + 1);
    rc = visit(w, p, dirfd(d), e->d_name, e->d_type);
    free(p);
  }
  return rc;
}

static int walk_dir(walk *w, const char *dir, const struct stat *dst) {
  const char *key = dir + w->root_len;
  for (int i = 0; i < w->depth; i++) {
    if (w->devs[i] == dst->st_dev && w->inos[i] == dst->st_ino) {
      report(w, dir, "symbolic link loop, not followed", 1);
      return FOUILLE_OK;
    }
  }
  DIR *d = w->depth < 256 ? opendir(dir) : NULL;
  if (!d) {
    char msg[300];
    snprintf(msg, sizeof msg, "cannot read folder: %s",
             w->depth < 256 ? strerror(errno) : "too deep");
    report(w, dir, msg, 0);
    return add_kept(w->scan, key);
  }
  w->devs[w->depth] = dst->st_dev;
  w->inos[w->depth] = dst->st_ino;
  w->depth++;
  int rc = walk_entries(w, dir, d);
  w->depth--;
  closedir(d);
  return rc;
}

static int by_key(const void *a, const void *b) {
  return strcmp(((const fouille__scan_file *)a)->key, ((const fouille__scan_file *)b)->key);
}

/* Sorts and drops duplicate keys (two roots holding the same relative path:
 * one of them is indexed). */
static void sort_unique(fouille__scan *s) {
  if (s->n == 0) return;
  qsort(s->files, s->n, sizeof *s->files, by_key);
  size_t j = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (j && strcmp(s->files[j - 1].key, s->files[i].key) == 0) continue;
    s->files[j++] = s->files[i];
  }
  s->n = j;
}

/* Records what comes before the keys of this root in their paths. */
static int add_prefix(walk *w, const char *root, size_t n, int slash) {
  fouille__scan *s = w->scan;
  char **p = realloc(s->prefixes, (s->n_prefixes + 1) * sizeof *p);
  if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
  s->prefixes = p;
  if (!(p[s->n_prefixes] = malloc(n + 2)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
  memcpy(p[s->n_prefixes], root, n);
  strcpy(p[s->n_prefixes] + n, slash ? "/" : "");
  w->root = (uint32_t)s->n_prefixes++;
  return FOUILLE_OK;
}

static int scan_root(walk *w, const char *root) {
  struct stat st;
  int rc;
  while (root[0] == '.' && root[1] == '/' && root[2]) root += 2;
  if (stat(root, &st) == 0 && S_ISDIR(st.st_mode)) {
    size_t n = strlen(root);
    int slash = n && root[n - 1] != '/';
    w->root_len = n + (size_t)slash;
    w->scan->has_dir_root = 1;
    w->depth = 0;
    if ((rc = add_prefix(w, root, n, slash))) return rc;
    return walk_dir(w, root, &st);
  }
  w->root_len = 0;
  if ((rc = add_prefix(w, root, 0, 0))) return rc;
  if (stat(root, &st) != 0) {
    char msg[300];
    snprintf(msg, sizeof msg, "%s", strerror(errno));
    report(w, root, msg, 0);
    return add_kept(w->scan, root);
  }
  fouille__format fmt = fouille__format_of(root);
  if (!S_ISREG(st.st_mode) || fmt == FOUILLE__FORMAT_NONE) {
    report(w, root, "not an article file (.txt .md .html .jsonl)", 0);
    return FOUILLE_OK;
  }
  return add_file(w, root, &st, (int)fmt);
}

int fouille__scan_roots(fouille__scan *out, const char *const *roots, size_t n_roots,
                        const char *const *excludes, size_t n_excludes, fouille_problem_cb problem,
                        void *user) {
  walk w = {.scan = out,
            .excludes = excludes,
            .n_excludes = n_excludes,
            .problem = problem,
            .user = user};
  int rc = FOUILLE_OK;
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < n_roots && rc == FOUILLE_OK; i++) rc = scan_root(&w, roots[i]);
  if (rc != FOUILLE_OK) {
    fouille__scan_free(out);
    return rc;
  }
  sort_unique(out);
  return FOUILLE_OK;
}

void fouille__scan_free(fouille__scan *s) {
  while (s->chunks) {
    fouille__scan_chunk *next = s->chunks->next;
    free(s->chunks);
    s->chunks = next;
  }
  for (size_t i = 0; i < s->n_prefixes; i++) free(s->prefixes[i]);
  free(s->prefixes);
  for (size_t i = 0; i < s->n_kept; i++) free(s->kept[i]);
  free(s->files);
  free(s->kept);
  memset(s, 0, sizeof *s);
}

const char *fouille__scan_path(const fouille__scan *s, const fouille__scan_file *f, char **buf,
                               size_t *cap) {
  const char *pre = s->prefixes[f->root];
  size_t a = strlen(pre), b = strlen(f->key);
  if (a + b + 1 > *cap) {
    char *p = realloc(*buf, a + b + 256);
    if (!p) return NULL;
    *buf = p;
    *cap = a + b + 256;
  }
  memcpy(*buf, pre, a);
  memcpy(*buf + a, f->key, b + 1);
  return *buf;
}

const fouille__scan_file *fouille__scan_find(const fouille__scan *s, const char *key) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(key, s->files[mid].key);
    if (c == 0) return &s->files[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

int fouille__scan_owns_missing(const fouille__scan *s, const char *key) {
  if (!s->has_dir_root) return 0;
  for (size_t i = 0; i < s->n_kept; i++) {
    size_t n = strlen(s->kept[i]);
    if (strncmp(key, s->kept[i], n) == 0) return 0;
    if (n && strncmp(key, s->kept[i], n - 1) == 0 && key[n - 1] == '\0') return 0;
  }
  return fouille__scan_find(s, key) == NULL;
}
