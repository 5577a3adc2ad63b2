/* Writes on an open index outside an update run: deleting one article by
 * key, and FTS5's optimize, each in a transaction that keeps the packed
 * column sizes (store/sizes.h). */
#include <stdlib.h>

#include "error.h"
#include "schema.h"
#include "update.h"
/* Runs sql with one text parameter on the write connection; *changes gets
 * sqlite3_changes. */
static int write_one(fouille_index *ix, const char *sql, const char *arg, int *changes) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(ix->wdb, sql, -1, &st, NULL) != SQLITE_OK)
    return fouille__schema_fail(ix->wdb, ix->path, "writing");
  sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_DONE) rc = fouille__schema_fail(ix->wdb, ix->path, "writing");
  if (changes) *changes = sqlite3_changes(ix->wdb);
  sqlite3_finalize(st);
  return rc;
}

FOUILLE_EXTERN int fouille_index_delete(fouille_index *ix, const char *key) {
  int rc, n = 0;
  fouille__lexicon *lex = NULL;
  fouille__sizes_log *sizes = NULL;
  if (!ix || !key) return fouille__error(FOUILLE_EINVAL, "no index or key");
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  pthread_mutex_lock(&ix->wlock);
  if ((rc = fouille__lexicon_open(&lex, ix->wdb, ix->path, 1)) ||
      (rc = fouille__sizes_log_open(&sizes, ix->wdb, ix->path)) ||
      (rc = fouille__schema_exec(ix->wdb, ix->path, "BEGIN IMMEDIATE")))
    goto done;
  fouille__sizes_begin(sizes);
  if (!(rc = fouille__lexicon_doc(lex, -1)))
    rc = write_one(ix,
                   "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                   " SELECT 'delete', id, title, body FROM articles WHERE key=?1",
                   key, NULL);
  if (!rc) rc = fouille__lexicon_flush(lex);
  /* the change log (changes.c), in the same transaction: the article's row
   * (by its id) replaced by the key's */
  if (!rc)
    rc = write_one(ix, "DELETE FROM changes WHERE id=(SELECT id FROM articles WHERE key=?1)", key,
                   NULL);
  if (!rc) rc = write_one(ix, "DELETE FROM articles WHERE key=?1", key, &n);
  if (!rc && n == 0)
    rc = fouille__error(FOUILLE_ENOTFOUND, "%s: no article with key '%s'", ix->path, key);
  if (!rc) rc = write_one(ix, "INSERT INTO changes(key) VALUES(?1)", key, NULL);
  if (!rc) rc = fouille__sizes_commit(sizes);
  if (!rc) rc = fouille__schema_exec(ix->wdb, ix->path, "COMMIT");
  if (rc) sqlite3_exec(ix->wdb, "ROLLBACK", NULL, NULL, NULL);
done:
  fouille__sizes_log_free(sizes);
  fouille__lexicon_free(lex);
  pthread_mutex_unlock(&ix->wlock);
  return rc;
}

/* FTS5 rewrites its segments: a new version, the stamp of the packed
 * sizes written again in the same transaction (no block changes). */
int fouille__index_optimize_locked(fouille_index *ix) {
  fouille__sizes_log *sizes = NULL;
  int rc = fouille__sizes_log_open(&sizes, ix->wdb, ix->path);
  if (!rc && !(rc = fouille__schema_exec(ix->wdb, ix->path, "BEGIN IMMEDIATE"))) {
    fouille__sizes_begin(sizes);
    rc = fouille__schema_exec(ix->wdb, ix->path,
                              "INSERT INTO articles_fts(articles_fts) VALUES('optimize')");
    if (!rc) rc = fouille__sizes_commit(sizes);
    if (!rc) rc = fouille__schema_exec(ix->wdb, ix->path, "COMMIT");
    if (rc) sqlite3_exec(ix->wdb, "ROLLBACK", NULL, NULL, NULL);
  }
  fouille__sizes_log_free(sizes);
  return rc;
}

FOUILLE_EXTERN int fouille_index_optimize(fouille_index *ix) {
  if (!ix) return fouille__error(FOUILLE_EINVAL, "no index");
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  pthread_mutex_lock(&ix->wlock);
  int rc = fouille__index_optimize_locked(ix);
  pthread_mutex_unlock(&ix->wlock);
  return rc;
}
