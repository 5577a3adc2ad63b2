/* The roots of an update run: which parts of which recorded roots the paths
 * given name (a path inside a root is a part of it, a path outside every
 * root a new root with its key prefix), recording new roots, and deleting
 * the files of the walked parts that are gone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "update.h"

static const char *const kind_names[] = {"folder", "file", "stream"};

static int oom(void) { return fouille__error(FOUILLE_ENOMEM, "out of memory"); }

/* ---- paths as text ---------------------------------------------------------- */

/* Appends component c (n bytes) to the absolute path out (len bytes). */
static size_t push(char *out, size_t len, const char *c, size_t n) {
  if (n == 0 || (n == 1 && c[0] == '.')) return len;
  if (n == 2 && c[0] == '.' && c[1] == '.') {
    while (len > 0 && out[len - 1] != '/') len--;
    return len > 0 ? len - 1 : 0;
  }
  out[len++] = '/';
  memcpy(out + len, c, n);
  return len + n;
}

char *fouille__plan_absolute(const char *path) {
  char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
  size_t n = strlen(path) + (cwd ? strlen(cwd) : 0) + 3, len = 0;
  char *out = malloc(n);
  if (!out || (path[0] != '/' && !cwd)) {
    free(cwd);
    free(out);
    return NULL;
  }
  for (int part = cwd ? 0 : 1; part < 2; part++) {
    const char *s = part ? path : cwd;
    while (*s) {
      const char *e = strchr(s, '/');
      size_t k = e ? (size_t)(e - s) : strlen(s);
      len = push(out, len, s, k);
      s += k + (e ? 1 : 0);
    }
  }
  free(cwd);
  if (len == 0) out[len++] = '/';
  out[len] = '\0';
  return out;
}

/* Non-zero when path is root or inside it (both absolute). */
static int inside(const char *path, const char *root) {
  size_t n = strlen(root);
  if (n == 1) return 1; /* "/" */
  return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* path's part below root (path inside root, not equal). */
static const char *below(const char *path, const char *root) {
  return path + strlen(root) + (strlen(root) > 1);
}

/* ---- the plan --------------------------------------------------------------- */

static int add_root(fouille__plan *p, int64_t id, int kind, const char *path, const char *prefix) {
  fouille__plan_root *r = realloc(p->roots, (p->n_roots + 1) * sizeof *r);
  if (!r) return oom();
  p->roots = r;
  r += p->n_roots;
  r->id = id;
  r->kind = kind;
  r->path = strdup(path);
  r->prefix = strdup(prefix);
  p->n_roots++;
  return r->path && r->prefix ? FOUILLE_OK : oom();
}

static int kind_of(const char *name) {
  for (int k = 0; k < 3; k++)
    if (name && strcmp(name, kind_names[k]) == 0) return k;
  return FOUILLE_ROOT_STREAM;
}

/* One integer from sql (no parameters) into *v. */
static int sql_int(fouille__upd *u, const char *sql, int64_t *v) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(u->db, sql, -1, &st, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "reading roots");
  int s = sqlite3_step(st);
  *v = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  return s == SQLITE_ROW || s == SQLITE_DONE ? FOUILLE_OK
                                             : fouille__update_fail(u, "reading roots");
}

static int load_roots(fouille__plan *p, fouille__upd *u) {
  sqlite3_stmt *st = NULL;
  int64_t legacy = 1;
  int rc = FOUILLE_OK, s;
  /* An index of another schema is about to be rebuilt: its files carried
   * no roots, like schema 1's. */
  if (u->ix->stale && u->ix->stale_schema != FOUILLE_SCHEMA_VERSION)
    return p->legacy = 1, FOUILLE_OK;
  if ((rc = sql_int(u, "SELECT EXISTS(SELECT 1 FROM files WHERE root_id IS NULL)", &legacy)))
    return rc;
  p->legacy = legacy != 0;
  if (sqlite3_prepare_v2(u->db, "SELECT id, kind, path, prefix FROM roots ORDER BY id", -1, &st,
                         NULL) != SQLITE_OK)
    return fouille__update_fail(u, "reading roots");
  while (rc == FOUILLE_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
    rc = add_root(p, sqlite3_column_int64(st, 0), kind_of((const char *)sqlite3_column_text(st, 1)),
                  (const char *)sqlite3_column_text(st, 2),
                  (const char *)sqlite3_column_text(st, 3));
  if (rc == FOUILLE_OK && s != SQLITE_DONE) rc = fouille__update_fail(u, "reading roots");
  sqlite3_finalize(st);
  p->n_known = p->n_roots;
  return rc;
}

/* The innermost folder root holding abs, or a file root that is abs; -1. */
static long root_of(const fouille__plan *p, const char *abs) {
  long best = -1;
  for (size_t i = 0; i < p->n_roots; i++) {
    const fouille__plan_root *r = &p->roots[i];
    if (r->kind == FOUILLE_ROOT_STREAM) continue;
    if (r->kind == FOUILLE_ROOT_FILE ? strcmp(r->path, abs) != 0 : !inside(abs, r->path)) continue;
    if (best < 0 || strlen(r->path) > strlen(p->roots[best].path)) best = (long)i;
  }
  return best;
}

static int add_target(fouille__plan *p, size_t root, int whole, const char *walk,
                      const char *key_base, int is_file) {
  fouille__target *t = realloc(p->t, (p->n + 1) * sizeof *t);
  if (!t) return oom();
  p->t = t;
  t += p->n++;
  memset(t, 0, sizeof *t);
  t->root = root;
  t->whole = whole;
  t->is_file = is_file;
  t->walk = strdup(walk);
  t->key_base = strdup(key_base);
  return t->walk && t->key_base ? FOUILLE_OK : oom();
}

static int has_whole(const fouille__plan *p, size_t root) {
  for (size_t i = 0; i < p->n; i++)
    if (p->t[i].root == root && p->t[i].whole) return 1;
  return 0;
}

static int whole_target(fouille__plan *p, size_t root, const char *walk) {
  const fouille__plan_root *r = &p->roots[root];
  if (has_whole(p, root)) return FOUILLE_OK;
  return add_target(p, root, 1, walk, r->prefix, r->kind == FOUILLE_ROOT_FILE);
}

static void problem(fouille__plan *p, fouille__upd *u, const char *path, const char *msg) {
  p->problems++;
  fouille__update_problem(u, path, 0, msg, 0);
}

/* A path inside folder root `root`: that part of it. */
static int part_target(fouille__plan *p, fouille__upd *u, size_t root, const char *given,
                       const char *abs, const struct stat *st) {
  const fouille__plan_root *r = &p->roots[root];
  int is_file = !S_ISDIR(st->st_mode);
  if (is_file && (!S_ISREG(st->st_mode) || fouille__format_of(given) == FOUILLE__FORMAT_NONE)) {
    problem(p, u, given, "not an article file (.txt .md .html .jsonl)");
    return FOUILLE_OK;
  }
  char *key = sqlite3_mprintf("%s%s%s", r->prefix, below(abs, r->path), is_file ? "" : "/");
  int rc = key ? add_target(p, root, 0, given, key, is_file) : oom();
  sqlite3_free(key);
  return rc;
}

/* Whether a recorded root or a files row already uses keys starting with
 * prefix (ends with ':'). */
static int prefix_used(const fouille__plan *p, fouille__upd *u, const char *prefix, int *used) {
  sqlite3_stmt *st = NULL;
  *used = 0;
  for (size_t i = 0; i < p->n_roots && !*used; i++) *used = !strcmp(p->roots[i].prefix, prefix);
  if (*used) return FOUILLE_OK;
  if (sqlite3_prepare_v2(u->db, "SELECT 1 FROM files WHERE path >= ?1 AND path < ?2 LIMIT 1", -1,
                         &st, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "reading files");
  size_t n = strlen(prefix);
  sqlite3_bind_text(st, 1, prefix, (int)n, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, sqlite3_mprintf("%.*s;", (int)n - 1, prefix), -1, sqlite3_free);
  int s = sqlite3_step(st);
  *used = s == SQLITE_ROW;
  sqlite3_finalize(st);
  return s == SQLITE_ROW || s == SQLITE_DONE ? FOUILLE_OK
                                             : fouille__update_fail(u, "reading files");
}

/* A new folder root's key prefix: none for the index's first folder root
 * (and for every root of the run that adopts the files of an index made
 * before roots were recorded: their keys stay), else its folder's name
 * and ':', made unique with -2, -3… */
static int new_prefix(fouille__plan *p, fouille__upd *u, const char *abs, char **out) {
  int bare_taken = 0, used = 1, rc = FOUILLE_OK;
  for (size_t i = 0; i < p->n_roots; i++)
    bare_taken |= p->roots[i].kind == FOUILLE_ROOT_FOLDER && !p->roots[i].prefix[0];
  *out = NULL;
  if (p->legacy || !bare_taken) return (*out = strdup("")) ? FOUILLE_OK : oom();
  const char *name = strrchr(abs, '/') + 1;
  if (!*name) name = "racine";
  for (int k = 1; used && !rc; k++) {
    sqlite3_free(*out);
    *out = k == 1 ? sqlite3_mprintf("%s:", name) : sqlite3_mprintf("%s-%d:", name, k);
    rc = *out ? prefix_used(p, u, *out, &used) : oom();
  }
  char *copy = !rc ? strdup(*out) : NULL;
  sqlite3_free(*out);
  *out = copy;
  return rc ? rc : copy ? FOUILLE_OK : oom();
}

/* A file outside every root: its key is the path as given (without "./"),
 * unless a file of another root has that key. */
static int new_file_root(fouille__plan *p, fouille__upd *u, const char *given, const char *abs) {
  sqlite3_stmt *st = NULL;
  int64_t owner = 0;
  while (given[0] == '.' && given[1] == '/' && given[2]) given += 2;
  if (!u->ix->stale || u->ix->stale_schema == FOUILLE_SCHEMA_VERSION) { /* has roots */
    if (sqlite3_prepare_v2(u->db, "SELECT root_id FROM files WHERE path=?1", -1, &st, NULL))
      return fouille__update_fail(u, "reading files");
    sqlite3_bind_text(st, 1, given, -1, SQLITE_STATIC);
    owner = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
  }
  if (owner) return fouille__update_key_taken(u, given, given, owner, 0);
  int rc = add_root(p, 0, FOUILLE_ROOT_FILE, abs, given);
  return rc ? rc : whole_target(p, p->n_roots - 1, given);
}

static int new_root(fouille__plan *p, fouille__upd *u, const char *given, const char *abs,
                    const struct stat *st) {
  char *prefix = NULL;
  int rc;
  if (S_ISREG(st->st_mode) && fouille__format_of(given) != FOUILLE__FORMAT_NONE)
    return new_file_root(p, u, given, abs);
  if (!S_ISDIR(st->st_mode)) {
    problem(p, u, given, "not an article file (.txt .md .html .jsonl)");
    return FOUILLE_OK;
  }
  if ((rc = new_prefix(p, u, abs, &prefix)) ||
      (rc = add_root(p, 0, FOUILLE_ROOT_FOLDER, abs, prefix)) ||
      (rc = whole_target(p, p->n_roots - 1, given))) {
    free(prefix);
    return rc;
  }
  free(prefix);
  return FOUILLE_OK;
}

static int add_path(fouille__plan *p, fouille__upd *u, const char *given) {
  struct stat st;
  char *abs = fouille__plan_absolute(given);
  int rc = FOUILLE_OK;
  if (!abs) return oom();
  long root = root_of(p, abs);
  if (root >= 0 && strcmp(p->roots[root].path, abs) == 0)
    rc = whole_target(p, (size_t)root, given);
  else if (stat(given, &st) != 0)
    problem(p, u, given, strerror(errno)); /* its articles stay */
  else if (root >= 0)
    rc = part_target(p, u, (size_t)root, given, abs, &st);
  else
    rc = new_root(p, u, given, abs, &st);
  free(abs);
  return rc;
}

/* Drops the parts held by another target of the same root. Decided on
 * the whole list first, then compacted: a target dropped early must stay
 * readable while the later ones are compared with it. */
static void drop_nested(fouille__plan *p) {
  size_t j = 0;
  unsigned char *held = p->n ? calloc(p->n, 1) : NULL;
  if (!held) return; /* nothing to drop, or out of memory: parts walked twice at worst */
  for (size_t i = 0; i < p->n; i++) {
    const fouille__target *t = &p->t[i];
    for (size_t k = 0; k < p->n && !held[i]; k++) {
      const fouille__target *o = &p->t[k];
      size_t n = strlen(o->key_base);
      if (k == i || o->root != t->root || o->is_file || t->whole) continue;
      held[i] = o->whole ||
                (strncmp(t->key_base, o->key_base, n) == 0 && (strlen(t->key_base) > n || k < i));
    }
  }
  for (size_t i = 0; i < p->n; i++) {
    if (held[i]) {
      free(p->t[i].walk);
      free(p->t[i].key_base);
    } else {
      p->t[j++] = p->t[i];
    }
  }
  free(held);
  p->n = j;
}

/* Other roots inside a folder target's root are not walked by it. */
static int add_skips(fouille__plan *p) {
  for (size_t i = 0; i < p->n; i++) {
    fouille__target *t = &p->t[i];
    const char *rp = p->roots[t->root].path;
    for (size_t k = 0; k < p->n_roots && !t->is_file; k++) {
      const char *q = p->roots[k].path;
      if (k == t->root || p->roots[k].kind == FOUILLE_ROOT_STREAM || !inside(q, rp) ||
          !strcmp(q, rp))
        continue;
      char **s = realloc(t->skip, (t->n_skip + 1) * sizeof *s);
      if (!s) return oom();
      t->skip = s;
      if (!(s[t->n_skip++] = strdup(below(q, rp)))) return oom();
    }
  }
  return FOUILLE_OK;
}

int fouille__plan_make(fouille__plan *p, fouille__upd *u, const char *const *paths, size_t n) {
  int rc = FOUILLE_OK, all = n == 0 || u->o->rebuild || u->ix->stale;
  memset(p, 0, sizeof *p);
  if ((rc = load_roots(p, u))) return rc;
  if (n == 0 && p->n_roots == 0)
    return fouille__error(FOUILLE_ENOTFOUND, "%s: no root recorded%s: give the paths to index",
                          u->ix->path,
                          p->legacy ? " (the index was made before roots were recorded)" : "");
  for (size_t i = 0; i < n && rc == FOUILLE_OK; i++) rc = add_path(p, u, paths[i]);
  for (size_t i = 0; all && i < p->n_known && rc == FOUILLE_OK; i++)
    if (p->roots[i].kind != FOUILLE_ROOT_STREAM) rc = whole_target(p, i, p->roots[i].path);
  if (rc == FOUILLE_OK) drop_nested(p);
  return rc ? rc : add_skips(p);
}

void fouille__plan_free(fouille__plan *p) {
  for (size_t i = 0; i < p->n_roots; i++) {
    free(p->roots[i].path);
    free(p->roots[i].prefix);
  }
  for (size_t i = 0; i < p->n; i++) {
    for (size_t k = 0; k < p->t[i].n_skip; k++) free(p->t[i].skip[k]);
    free(p->t[i].skip);
    free(p->t[i].walk);
    free(p->t[i].key_base);
  }
  free(p->roots);
  free(p->t);
  memset(p, 0, sizeof *p);
}

int fouille__plan_scan(const fouille__plan *p, fouille__scan *scan,
                       const fouille_update_options *o) {
  fouille__scan_root *sr = calloc(p->n ? p->n : 1, sizeof *sr);
  if (!sr) return oom();
  for (size_t i = 0; i < p->n; i++) {
    const fouille__target *t = &p->t[i];
    sr[i] =
        (fouille__scan_root){t->walk,
                             t->is_file,
                             t->key_base,
                             t->is_file ? strlen(t->key_base) : strlen(p->roots[t->root].prefix),
                             (const char *const *)t->skip,
                             t->n_skip};
  }
  int rc = fouille__scan_roots(scan, sr, p->n, o->excludes, o->n_excludes, o->problem, o->payload);
  free(sr);
  return rc;
}

/* ---- during the run ------------------------------------------------------------- */

int fouille__plan_record(fouille__upd *u) {
  fouille__plan *p = u->plan;
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (p->n_roots == p->n_known) return FOUILLE_OK;
  if (sqlite3_prepare_v2(u->db,
                         "INSERT INTO roots(kind, path, prefix, created) VALUES(?1, ?2, ?3,"
                         " strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                         -1, &st, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "recording roots");
  for (size_t i = p->n_known; i < p->n_roots && rc == FOUILLE_OK; i++) {
    fouille__plan_root *r = &p->roots[i];
    sqlite3_bind_text(st, 1, kind_names[r->kind], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->prefix, -1, SQLITE_STATIC);
    if ((rc = fouille__update_step(u, st))) break;
    r->id = sqlite3_last_insert_rowid(u->db);
    if (p->legacy && r->kind == FOUILLE_ROOT_FOLDER)
      fouille__update_problem(u, r->path, 0,
                              "recorded as a root; the index was made before roots were"
                              " recorded, and the files it holds keep their keys",
                              1);
  }
  sqlite3_finalize(st);
  return rc;
}

typedef struct gone {
  int64_t id;
  char *path;
} gone;

typedef struct gone_list {
  gone *g;
  size_t n, cap;
} gone_list;

static int kept_anywhere(const fouille__plan *p, const fouille__scan *scan, const char *key) {
  for (size_t i = 0; i < p->n; i++)
    if (fouille__scan_kept_key(scan, (uint32_t)i, key)) return 1;
  return 0;
}

/* The files of target ti (NULL t: the files no root adopted) not found. */
static int collect(fouille__upd *u, const fouille__target *t, size_t ti, gone_list *l) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, s;
  if (sqlite3_prepare_v2(u->db,
                         t ? "SELECT id, path FROM files WHERE root_id=?1"
                           : "SELECT id, path FROM files WHERE root_id IS NULL",
                         -1, &st, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "reading files");
  if (t) sqlite3_bind_int64(st, 1, u->plan->roots[t->root].id);
  while (rc == FOUILLE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(st, 1);
    if (!k || (t && strncmp(k, t->key_base, strlen(t->key_base)) != 0) ||
        fouille__scan_find(u->scan, k) ||
        (t ? fouille__scan_kept_key(u->scan, (uint32_t)ti, k) : kept_anywhere(u->plan, u->scan, k)))
      continue;
    if (l->n == l->cap) {
      gone *g = realloc(l->g, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *g);
      if (!g) {
        rc = oom();
        break;
      }
      l->g = g;
    }
    l->g[l->n].id = sqlite3_column_int64(st, 0);
    if (!(l->g[l->n++].path = strdup(k))) rc = oom();
  }
  if (rc == FOUILLE_OK && s != SQLITE_DONE) rc = fouille__update_fail(u, "reading files");
  sqlite3_finalize(st);
  return rc;
}

static int delete_list(fouille__upd *u, const gone_list *l) {
  int rc = FOUILLE_OK;
  for (size_t i = 0; i < l->n && rc == FOUILLE_OK; i++) {
    uint64_t k = 0;
    u->sum->deleted++;
    fouille__update_change(u, l->g[i].path, FOUILLE_FILE_DELETED);
    if (u->o->dry_run) continue;
    if (!(rc = fouille__update_file_articles_delete(u, l->g[i].id, &k)))
      rc = fouille__update_run_id(u, FOUILLE__S_FILE_DEL, l->g[i].id, NULL);
    u->sum->articles_deleted += k;
    u->tx_articles += k;
    if (!rc) rc = fouille__update_tx_roll(u);
  }
  return rc;
}

/* Only the parts walked lose files: another root's, or a part of this
 * root not given, keep theirs. Files of an index made before roots were
 * recorded that no root of a run given a folder adopted are deleted, as
 * that index mirrored the folders given. */
int fouille__plan_delete_gone(fouille__upd *u) {
  fouille__plan *p = u->plan;
  gone_list l = {NULL, 0, 0};
  int rc = FOUILLE_OK, folders = 0;
  /* A first build's files rows are all files this scan found. */
  if (u->found_empty) return FOUILLE_OK;
  for (size_t i = 0; i < p->n && rc == FOUILLE_OK; i++) {
    folders |= !p->t[i].is_file;
    if (!p->t[i].is_file && p->roots[p->t[i].root].id) rc = collect(u, &p->t[i], i, &l);
  }
  if (rc == FOUILLE_OK && p->legacy && folders) rc = collect(u, NULL, 0, &l);
  if (rc == FOUILLE_OK) rc = delete_list(u, &l);
  for (size_t i = 0; i < l.n; i++) free(l.g[i].path);
  free(l.g);
  return rc;
}

int fouille__plan_done(fouille__upd *u) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(u->db,
                         "UPDATE roots SET last_update=strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                         " WHERE id=?1",
                         -1, &st, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "recording roots");
  for (size_t i = 0; i < u->plan->n && rc == FOUILLE_OK; i++) {
    sqlite3_bind_int64(st, 1, u->plan->roots[u->plan->t[i].root].id);
    rc = fouille__update_step(u, st);
  }
  sqlite3_finalize(st);
  return rc;
}
