/* fouille_index_forget: remove a root, its files and their articles in one
 * transaction (readers see the root whole or gone). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "update.h"

typedef struct file_ref {
  int64_t id;
  char *key;
} file_ref;

/* The root's id (0: none) and its files. */
static int root_files(fouille__upd *u, const char *root, int64_t *id, file_ref **f, size_t *n) {
  sqlite3_stmt *st = NULL;
  char *abs = fouille__plan_absolute(root);
  int rc = FOUILLE_OK, s;
  *id = 0;
  if (!abs) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  if (sqlite3_prepare_v2(u->db,
                         "SELECT r.id, f.id, f.path FROM roots r LEFT JOIN files f"
                         " ON f.root_id=r.id WHERE r.path IN (?1, ?2) ORDER BY f.path",
                         -1, &st, NULL) != SQLITE_OK) {
    free(abs);
    return fouille__update_fail(u, "reading roots");
  }
  sqlite3_bind_text(st, 1, abs, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, root, -1, SQLITE_STATIC);
  while (rc == FOUILLE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    *id = sqlite3_column_int64(st, 0);
    if (sqlite3_column_type(st, 1) == SQLITE_NULL) continue;
    file_ref *g = realloc(*f, (*n + 1) * sizeof *g);
    if (!g) {
      rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
      break;
    }
    *f = g;
    g[*n].id = sqlite3_column_int64(st, 1);
    if (!(g[(*n)++].key = strdup((const char *)sqlite3_column_text(st, 2))))
      rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
  }
  if (rc == FOUILLE_OK && s != SQLITE_DONE) rc = fouille__update_fail(u, "reading roots");
  sqlite3_finalize(st);
  free(abs);
  return rc;
}

static int forget_file(fouille__upd *u, const file_ref *f) {
  uint64_t k = 0;
  int rc = FOUILLE_OK;
  u->sum->deleted++;
  fouille__update_change(u, f->key, FOUILLE_FILE_DELETED);
  if (u->o->dry_run) {
    sqlite3_stmt *st = u->st[FOUILLE__S_ROWS_FILE];
    sqlite3_bind_int64(st, 1, f->id);
    while (sqlite3_step(st) == SQLITE_ROW) k++;
    sqlite3_reset(st);
  } else if (!(rc = fouille__update_file_articles_delete(u, f->id, &k))) {
    rc = fouille__update_run_id(u, FOUILLE__S_FILE_DEL, f->id, NULL);
  }
  u->sum->articles_deleted += k;
  return rc;
}

static int forget_locked(fouille__upd *u, const char *root) {
  file_ref *f = NULL;
  size_t n = 0;
  int64_t id = 0;
  int rc = fouille__update_prepare(u);
  if (!rc && !u->o->dry_run) rc = fouille__update_tx_begin(u);
  if (!rc) rc = root_files(u, root, &id, &f, &n);
  if (!rc && !id)
    rc = fouille__error(FOUILLE_ENOTFOUND, "%s: '%s' is not a root of this index", u->ix->path,
                        root);
  for (size_t i = 0; i < n && !rc; i++) rc = forget_file(u, &f[i]);
  if (!rc && !u->o->dry_run) rc = fouille__update_run_id(u, FOUILLE__S_ROOT_DEL, id, NULL);
  if (!rc && !u->o->dry_run) rc = fouille__update_tx_commit(u);
  if (rc && !sqlite3_get_autocommit(u->db)) sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  for (size_t i = 0; i < n; i++) free(f[i].key);
  free(f);
  return rc;
}

FOUILLE_EXTERN int fouille_index_forget(fouille_update_summary *summary, fouille_index *ix,
                                        const char *root, const fouille_update_options *options) {
  fouille_update_options defaults = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille_update_summary local;
  fouille__upd u;
  if (!ix || !root || !*root) return fouille__error(FOUILLE_EINVAL, "no index or root");
  if (fouille__update_args_check(options, summary)) return FOUILLE_EINVAL;
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  memset(&u, 0, sizeof u);
  memset(&local, 0, sizeof local);
  local.version = FOUILLE_UPDATE_SUMMARY_VERSION;
  u.ix = ix;
  u.db = ix->wdb;
  u.o = options ? options : &defaults;
  u.sum = &local;
  pthread_mutex_lock(&ix->wlock);
  int rc = forget_locked(&u, root);
  fouille__sizes_log_free(u.sizes); /* the write connection's hook, while it is ours */
  pthread_mutex_unlock(&ix->wlock);
  for (int i = 0; i < FOUILLE__S_COUNT; i++) sqlite3_finalize(u.st[i]);
  fouille__lexicon_free(u.lex);
  if (summary) fouille__update_summary_copy(summary, &local);
  return rc;
}
