/* The change log (schema 5, table changes): written by update_rows.c
 * (fouille__changes_log_*) in the run's transaction for every article written or
 * deleted, by fouille_index_delete (index_write.c), by a rebuild (update.c);
 * compacted by fouille_index_compact_changes; its cursor read here, the
 * export in export.c.
 *
 * One row per key: a change replaces the key's row with a new one, whose
 * number AUTOINCREMENT takes above every number ever given (sqlite_sequence
 * keeps the highest), so a cursor never misses a later change. A live
 * article's row holds its row id (ids are not reused while the row is
 * there: a deletion replaces it by the key's), a deleted key's row the
 * key. Plain single-row statements only: an INSERT … SELECT or an upsert
 * would make FTS5 flush its pending terms on each (see update_rows.c). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "changes.h"
#include "error.h"
#include "fouille/export.h"
#include "update.h"

int fouille__changes_rebuild(sqlite3 *db, const char *path, int schema) {
  int rc;
  if (schema < 4) return FOUILLE_OK; /* no log yet: the reset makes it */
  /* A format this library does not know: the log starts again (cursors of
   * the old one are refused as ahead of it). */
  if (schema > FOUILLE_SCHEMA_VERSION)
    return fouille__schema_exec(db, path, "DROP TABLE IF EXISTS changes");
  if ((rc = fouille__schema_log_upgrade(db, path, schema))) return rc;
  return fouille__schema_exec(db, path,
                              "CREATE TEMP TABLE fouille_live AS SELECT a.key FROM changes c"
                              " JOIN articles a ON a.id=c.id ORDER BY c.seq;"
                              "DELETE FROM changes WHERE id IS NOT NULL;"
                              "INSERT INTO changes(key) SELECT key FROM temp.fouille_live"
                              " ORDER BY rowid;"
                              "DROP TABLE temp.fouille_live;");
}

/* The first column of sql's first row as an integer (0 when there is no
 * row); FOUILLE_EVERSION when the index has no change log. */
int fouille__changes_int(sqlite3 *db, const char *path, const char *sql, uint64_t *out) {
  sqlite3_stmt *st = NULL;
  *out = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    if (strstr(sqlite3_errmsg(db), "no such table"))
      return fouille__error(FOUILLE_EVERSION,
                            "%s: this index has no change log (schema 3 or older):"
                            " run fouille-index on it once to upgrade it",
                            path);
    return fouille__schema_fail(db, path, "reading the change log");
  }
  int s = sqlite3_step(st);
  if (s == SQLITE_ROW) *out = (uint64_t)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return s == SQLITE_ROW || s == SQLITE_DONE
             ? FOUILLE_OK
             : fouille__schema_fail(db, path, "reading the change log");
}

/* The log's cursor and floor, read in the caller's transaction. */
int fouille__changes_state(sqlite3 *db, const char *path, uint64_t *cursor, uint64_t *floor) {
  int rc = fouille__changes_int(db, path, "SELECT count(*) FROM changes WHERE 0", cursor);
  if (!rc)
    rc = fouille__changes_int(db, path, "SELECT seq FROM sqlite_sequence WHERE name='changes'",
                              cursor);
  if (!rc)
    rc = fouille__changes_int(db, path,
                              "SELECT CAST(value AS INTEGER) FROM meta"
                              " WHERE key='changes_floor'",
                              floor);
  return rc;
}

static int compact_locked(uint64_t *dropped, fouille_index *ix, uint64_t through) {
  uint64_t cursor = 0, floor = 0;
  char sql[160];
  int rc = fouille__schema_exec(ix->wdb, ix->path, "BEGIN IMMEDIATE");
  if (rc) return rc;
  if (!(rc = fouille__changes_state(ix->wdb, ix->path, &cursor, &floor)) && through > cursor)
    rc = fouille__error(FOUILLE_EINVAL,
                        "%s: cursor %" PRIu64 " is ahead of the change log (at %" PRIu64 ")",
                        ix->path, through, cursor);
  snprintf(sql, sizeof sql, "DELETE FROM changes WHERE key IS NOT NULL AND seq<=%" PRIu64, through);
  if (!rc) rc = fouille__schema_exec(ix->wdb, ix->path, sql);
  if (!rc && dropped) *dropped = (uint64_t)sqlite3_changes(ix->wdb);
  snprintf(sql, sizeof sql, "%" PRIu64, through > floor ? through : floor);
  if (!rc) rc = fouille__schema_meta_set(ix->wdb, ix->path, "changes_floor", sql);
  if (!rc) return fouille__schema_exec(ix->wdb, ix->path, "COMMIT");
  sqlite3_exec(ix->wdb, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

FOUILLE_EXTERN int fouille_index_compact_changes(uint64_t *dropped, fouille_index *ix,
                                                 uint64_t through) {
  if (dropped) *dropped = 0;
  if (!ix) return fouille__error(FOUILLE_EINVAL, "no index");
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  if (through > INT64_MAX) return fouille__error(FOUILLE_EINVAL, "cursor out of range");
  pthread_mutex_lock(&ix->wlock);
  int rc = compact_locked(dropped, ix, through);
  pthread_mutex_unlock(&ix->wlock);
  return rc;
}
