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
  size_t root_len; /* bytes of a path before its key's tail */
  uint32_t root;   /* index of the root being walked */
  const fouille__scan_root *r;
  char *key; /* the key being looked at (key_base + tail) */
  size_t key_cap;
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

/* The key of the entry whose path below the walked root is tail, in
 * w->key (overwritten by the next call); NULL when out of memory. */
static const char *make_key(walk *w, const char *tail) {
  size_t a = strlen(w->r->key_base), b = strlen(tail);
  if (a + b + 1 > w->key_cap) {
    char *k = realloc(w->key, a + b + 256);
    if (!k) return NULL;
    w->key = k;
    w->key_cap = a + b + 256;
  }
  memcpy(w->key, w->r->key_base, a);
  memcpy(w->key + a, tail, b + 1);
  return w->key;
}

static void report(walk *w, const char *path, const char *msg, int is_warning) {
  if (!is_warning) w->scan->problems++;
  if (w->problem) w->problem(path, 0, msg, is_warning, w->user);
}

/* rel: the path relative to the root. */
static int excluded(const walk *w, const char *rel) {
  const char *base = strrchr(rel, '/');
  base = base ? base + 1 : rel;
  for (size_t i = 0; i < w->n_excludes; i++)
    if (fnmatch(w->excludes[i], rel, 0) == 0 || fnmatch(w->excludes[i], base, 0) == 0) return 1;
  for (size_t i = 0; i < w->r->n_skip; i++)
    if (strcmp(w->r->skip[i], rel) == 0) return 1;
  return 0;
}

/* Keeps the rows under key: the whole key when it is the walked root
 * itself (at_root), else the folder key + "/". */
static int add_kept(walk *w, const char *key, int at_root) {
  fouille__scan *s = w->scan;
  if (s->n_kept == s->cap_kept) {
    size_t cap = s->cap_kept ? s->cap_kept * 2 : 8;
    fouille__scan_kept *p = realloc(s->kept, cap * sizeof *p);
    if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
    s->kept = p;
    s->cap_kept = cap;
  }
  size_t n = strlen(key);
  char *k = malloc(n + 2);
  if (!k) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
  memcpy(k, key, n);
  strcpy(k + n, at_root ? "" : "/");
  s->kept[s->n_kept].root = w->root;
  s->kept[s->n_kept++].prefix = k;
  return FOUILLE_OK;
}

static int add_file(walk *w, const char *key, const struct stat *st, int format) {
  fouille__scan *s = w->scan;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    fouille__scan_file *p = realloc(s->files, cap * sizeof *p);
    if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
    s->files = p;
    s->cap = cap;
  }
  fouille__scan_file *f = &s->files[s->n];
  if (!(f->key = store_key(s, key))) return fouille__error(FOUILLE_ENOMEM, "out of memory");
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
  const char *tail = path + w->root_len, *key = make_key(w, tail);
  char msg[300];
  if (!key) return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
  if (*tail && excluded(w, key + w->r->rel_at)) return FOUILLE_OK;
  fouille__format fmt = fouille__format_of(path);
  if (d_type == DT_REG && fmt == FOUILLE__FORMAT_NONE) return FOUILLE_OK;
  if ((dfd >= 0 ? fstatat(dfd, name, &st, 0) : stat(path, &st)) != 0) {
    int broken = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
    snprintf(msg, sizeof msg, "%s", broken ? "broken symbolic link" : strerror(errno));
    report(w, path, msg, 0);
    return *tail ? add_kept(w, key, 0) : FOUILLE_OK;
  }
  if (S_ISDIR(st.st_mode)) return walk_dir(w, path, &st);
  if (!S_ISREG(st.st_mode)) return FOUILLE_OK;
  return fmt == FOUILLE__FORMAT_NONE ? FOUILLE_OK : add_file(w, key, &st, (int)fmt);
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
  size_t n = strlen(dir);
  const char *tail = n > w->root_len ? dir + w->root_len : "";
  for (int i = 0; i < w->depth; i++) {
    if (w->devs[i] == dst->st_dev && w->inos[i] == dst->st_ino) {
      report(w, dir, "symbolic link loop, not followed", 1);
      return FOUILLE_OK;
    }
  }
  DIR *d = w->depth < 256 ? opendir(dir) : NULL;
  if (!d) {
    char msg[300];
    const char *key = make_key(w, tail);
    snprintf(msg, sizeof msg, "cannot read folder: %s",
             w->depth < 256 ? strerror(errno) : "too deep");
    report(w, dir, msg, 0);
    return key ? add_kept(w, key, !*tail) : fouille__error(FOUILLE_ENOMEM, "out of memory");
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
  const fouille__scan_file *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->root > y->root) - (x->root < y->root);
}

/* Sorts and drops duplicate keys: two roots giving one key, the first
 * root given keeps it and the other file is reported. */
static int sort_unique(walk *w) {
  fouille__scan *s = w->scan;
  char *buf = NULL, msg[300];
  size_t cap = 0, j = 0;
  if (s->n == 0) return FOUILLE_OK;
  qsort(s->files, s->n, sizeof *s->files, by_key);
  for (size_t i = 0; i < s->n; i++) {
    if (j && strcmp(s->files[j - 1].key, s->files[i].key) == 0) {
      const char *path = fouille__scan_path(s, &s->files[i], &buf, &cap);
      snprintf(msg, sizeof msg, "key '%.200s' is also a file of another root: skipped",
               s->files[i].key);
      if (path) report(w, path, msg, 0);
      continue;
    }
    s->files[j++] = s->files[i];
  }
  s->n = j;
  free(buf);
  return FOUILLE_OK;
}

/* Records what comes before the keys' tails of this root in their paths. */
static int add_root(walk *w, const char *path, size_t n, int slash) {
  fouille__scan *s = w->scan;
  char **p = realloc(s->paths, (s->n_roots + 1) * sizeof *p);
  if (p) s->paths = p;
  size_t *t = p ? realloc(s->tail_at, (s->n_roots + 1) * sizeof *t) : NULL;
  if (t) s->tail_at = t;
  if (!p || !t || !(p[s->n_roots] = malloc(n + 2)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory while scanning");
  memcpy(p[s->n_roots], path, n);
  strcpy(p[s->n_roots] + n, slash ? "/" : "");
  t[s->n_roots] = strlen(w->r->key_base);
  w->root = (uint32_t)s->n_roots++;
  return FOUILLE_OK;
}

static int scan_root(walk *w, const fouille__scan_root *r) {
  struct stat st;
  const char *p = r->walk;
  size_t n = strlen(p);
  int rc, is_dir = stat(p, &st) == 0 && S_ISDIR(st.st_mode), slash = n && p[n - 1] != '/';
  w->r = r;
  w->depth = 0;
  w->root_len = r->is_file ? n : n + (size_t)slash;
  if ((rc = add_root(w, p, n, !r->is_file && slash))) return rc;
  if (!r->is_file && is_dir) return walk_dir(w, p, &st);
  char msg[300];
  fouille__format fmt = fouille__format_of(p);
  if (stat(p, &st) != 0)
    snprintf(msg, sizeof msg, "%s", strerror(errno));
  else if (!r->is_file)
    snprintf(msg, sizeof msg, "not a folder");
  else if (!S_ISREG(st.st_mode) || fmt == FOUILLE__FORMAT_NONE)
    snprintf(msg, sizeof msg, "not an article file (.txt .md .html .jsonl)");
  else
    return add_file(w, r->key_base, &st, (int)fmt);
  report(w, p, msg, 0);
  return add_kept(w, r->key_base, 1);
}

int fouille__scan_roots(fouille__scan *out, const fouille__scan_root *roots, size_t n_roots,
                        const char *const *excludes, size_t n_excludes, fouille_problem_cb problem,
                        void *user) {
  walk w = {.scan = out,
            .excludes = excludes,
            .n_excludes = n_excludes,
            .problem = problem,
            .user = user};
  int rc = FOUILLE_OK;
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < n_roots && rc == FOUILLE_OK; i++) rc = scan_root(&w, &roots[i]);
  if (rc == FOUILLE_OK) rc = sort_unique(&w);
  free(w.key);
  if (rc != FOUILLE_OK) fouille__scan_free(out);
  return rc;
}

void fouille__scan_free(fouille__scan *s) {
  while (s->chunks) {
    fouille__scan_chunk *next = s->chunks->next;
    free(s->chunks);
    s->chunks = next;
  }
  for (size_t i = 0; i < s->n_roots; i++) free(s->paths[i]);
  free(s->paths);
  free(s->tail_at);
  for (size_t i = 0; i < s->n_kept; i++) free(s->kept[i].prefix);
  free(s->files);
  free(s->kept);
  memset(s, 0, sizeof *s);
}

const char *fouille__scan_path(const fouille__scan *s, const fouille__scan_file *f, char **buf,
                               size_t *cap) {
  const char *pre = s->paths[f->root], *tail = f->key + s->tail_at[f->root];
  size_t a = strlen(pre), b = strlen(tail);
  if (a + b + 1 > *cap) {
    char *p = realloc(*buf, a + b + 256);
    if (!p) return NULL;
    *buf = p;
    *cap = a + b + 256;
  }
  memcpy(*buf, pre, a);
  memcpy(*buf + a, tail, b + 1);
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

int fouille__scan_kept_key(const fouille__scan *s, uint32_t root, const char *key) {
  for (size_t i = 0; i < s->n_kept; i++) {
    const char *k = s->kept[i].prefix;
    size_t n = strlen(k);
    if (s->kept[i].root != root) continue;
    if (strncmp(key, k, n) == 0) return 1;
    if (n && k[n - 1] == '/' && strncmp(key, k, n - 1) == 0 && key[n - 1] == '\0') return 1;
  }
  return 0;
}
