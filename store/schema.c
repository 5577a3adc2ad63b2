/* The database schema: connections with Fouille's pragmas and functions,
 * table creation, recognising a Fouille index and its versions, and the
 * rebuild when the analyzer or schema version changed. */
#include "schema.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "lexicon.h"
#include "sizes.h"
#include "sqlite_glue.h"

/* Schema 2 (issue 13): the roots an index was given, and each file's root. */
#define ROOTS_SQL                                                                                  \
  "CREATE TABLE roots(id INTEGER PRIMARY KEY,"                                                     \
  " kind TEXT NOT NULL CHECK(kind IN ('folder','file','stream')), path TEXT UNIQUE NOT NULL,"      \
  " prefix TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, last_update TEXT);"                    \
  "CREATE INDEX files_root ON files(root_id);"

/* Schema 4 (issue 19): the change log fouille-export reads, one row per
 * article key ever written, the key stored in full (replaced by schema 5;
 * its step 3 -> 4 still makes it). */
#define CHANGES_4_SQL                                                                              \
  "CREATE TABLE IF NOT EXISTS changes(seq INTEGER PRIMARY KEY AUTOINCREMENT,"                      \
  " key TEXT UNIQUE NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"

/* Schema 5 (issue 17): the change log, one row per article key that was
 * ever written: the last change to it and its sequence number. A live
 * article's row names it by its row id (id, key NULL: added or changed),
 * a deleted key's by the key (key, id NULL): the key is not stored a
 * second and third time (table and index) beside the articles' own.
 * AUTOINCREMENT: a number is never given twice, even after its row was
 * replaced or compacted away, so a cursor (the highest number an export
 * saw) never skips a later change. Kept by indexer/changes.c in the
 * transactions that write the articles. IF NOT EXISTS: a rebuild keeps it
 * (fouille__schema_reset does not drop it). */
#define CHANGES_SQL                                                                                \
  "CREATE TABLE IF NOT EXISTS changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER,"          \
  " key TEXT);"                                                                                    \
  "CREATE UNIQUE INDEX IF NOT EXISTS changes_id ON changes(id) WHERE id IS NOT NULL;"              \
  "CREATE UNIQUE INDEX IF NOT EXISTS changes_key ON changes(key) WHERE key IS NOT NULL;"

/* The step 4 -> 5, also run by a rebuild of a schema 4 index
 * (fouille__schema_upgrade_log). A live row whose article is gone becomes a
 * deletion, as the export read it. */
#define CHANGES_5_STEP_SQL                                                                         \
  "CREATE TABLE changes_5(seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER, key TEXT);"           \
  "INSERT INTO changes_5(seq, id, key) SELECT c.seq, a.id, CASE WHEN a.id IS NULL THEN c.key END"  \
  " FROM changes c LEFT JOIN articles a ON c.deleted=0 AND a.key=c.key ORDER BY c.seq;"           \
  "DELETE FROM sqlite_sequence WHERE name='changes_5';"                                            \
  "UPDATE sqlite_sequence SET name='changes_5' WHERE name='changes';"                              \
  "DROP TABLE changes;"                                                                            \
  "ALTER TABLE changes_5 RENAME TO changes;" CHANGES_SQL

static const char *const create_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
    /* root_id last: where schema 1's upgrade adds it (a rebuild copies rows). */
    "CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER,"
    " mtime_ns INTEGER, hash INTEGER, status TEXT NOT NULL DEFAULT 'ok', error TEXT,"
    " root_id INTEGER);" ROOTS_SQL
    "CREATE TABLE articles(id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, file_id INTEGER,"
    " title TEXT, date TEXT, source TEXT, url TEXT, author TEXT, tags TEXT, body TEXT,"
    " hash INTEGER);" CHANGES_SQL "CREATE INDEX articles_file ON articles(file_id);"
    "CREATE INDEX articles_date ON articles(date);"
    "CREATE INDEX articles_source ON articles(source);"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles',"
    " content_rowid='id', tokenize='fouille_fr');"
    "CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, 'row');"
    FOUILLE__LEX_TABLE_SQL
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 8);"
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('crisismerge', 32);"
    /* Pending terms up to 4 MB: one segment per batch instead of one per
     * 1 MB, so less merging (builds ~15 % faster) and a smaller index. */
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 4194304);";

static const char *const drop_sql = "DROP TABLE IF EXISTS article_sizes;"
                                    "DROP TABLE IF EXISTS lexicon;"
                                    "DROP TABLE IF EXISTS articles_vocab;"
                                    "DROP TABLE IF EXISTS articles_fts;"
                                    "DROP TABLE IF EXISTS articles;"
                                    "DROP TABLE IF EXISTS files;"
                                    "DROP TABLE IF EXISTS roots;"
                                    "DROP TABLE IF EXISTS meta;";

int fouille__schema_fail(sqlite3 *db, const char *path, const char *what) {
  int rc = db ? sqlite3_errcode(db) : SQLITE_ERROR;
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    return fouille__error(FOUILLE_EBUSY, "another process is updating %s", path);
  if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
    return fouille__error(FOUILLE_EDB, "%s: not a Fouille index (%s)", path, sqlite3_errmsg(db));
  /* A write refused by the system (ulimit -f, quota, full disk) says so;
   * SQLite reports EFBIG as a plain write error. */
  int sys = db ? sqlite3_system_errno(db) : 0, xrc = db ? sqlite3_extended_errcode(db) : 0;
  if (rc == SQLITE_FULL || xrc == SQLITE_IOERR_WRITE || sys == ENOSPC || sys == EFBIG)
    return fouille__error(FOUILLE_EDB, "%s: %s: cannot write: disk full or file too large? (%s)",
                          path, what, sys ? strerror(sys) : sqlite3_errmsg(db));
  return fouille__error(FOUILLE_EDB, "%s: %s: %s", path, what,
                        db ? sqlite3_errmsg(db) : "out of memory");
}

int fouille__schema_exec(sqlite3 *db, const char *path, const char *sql) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fouille__schema_fail(db, path, "database error");
  return FOUILLE_OK;
}

int fouille__schema_connect(sqlite3 **out, const char *path, int flags, int busy_timeout_ms) {
  sqlite3 *db = NULL;
  int rc = FOUILLE_OK;
  *out = NULL;
  if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    rc = fouille__error(FOUILLE_EDB, "%s: cannot open: %s", path,
                        db ? sqlite3_errmsg(db) : "out of memory");
    goto done;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 0);
  /* Searches touch pages all over the index: mapped, they are read in place
   * from the OS cache (shared by every reader) instead of copied per page
   * into each connection's small cache (queries ~30 % faster). */
  if (flags & SQLITE_OPEN_READONLY)
    sqlite3_exec(db, "PRAGMA mmap_size=2147418112", NULL, NULL, NULL);
  if ((rc = fouille__fts5_tokenizer_register(db)) != FOUILLE_OK) goto done;
  *out = db;
  db = NULL;
done:
  sqlite3_close(db);
  return rc;
}

static int meta_int(sqlite3 *db, const char *key, int *value) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key=?1", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *value = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? SQLITE_OK : rc;
  }
  sqlite3_finalize(st);
  return rc;
}

int fouille__schema_probe(sqlite3 *db, const char *path, int *is_empty, int *analyzer_version,
                          int *schema_version) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, n_tables = 0, has_meta = 0;
  if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &st, NULL) !=
      SQLITE_OK) {
    rc = fouille__error(FOUILLE_EDB, "%s: not a Fouille index (%s)", path, sqlite3_errmsg(db));
    goto done;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    n_tables++;
    has_meta |= strcmp((const char *)sqlite3_column_text(st, 0), "meta") == 0;
  }
  if (rc != SQLITE_DONE) {
    rc = rc == SQLITE_BUSY ? fouille__schema_fail(db, path, "reading")
                           : fouille__error(FOUILLE_EDB, "%s: not a Fouille index (%s)", path,
                                            sqlite3_errmsg(db));
    goto done;
  }
  rc = FOUILLE_OK;
  *is_empty = n_tables == 0;
  *analyzer_version = *schema_version = -1;
  if (*is_empty) goto done;
  if (!has_meta || meta_int(db, "schema_version", schema_version) != SQLITE_OK ||
      meta_int(db, "analyzer_version", analyzer_version) != SQLITE_OK || *schema_version < 0) {
    rc = fouille__error(FOUILLE_EDB, "%s: not a Fouille index (no Fouille meta table)", path);
  }
done:
  sqlite3_finalize(st);
  return rc;
}

int fouille__schema_meta_set(sqlite3 *db, const char *path, const char *key, const char *value) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                         " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                         -1, &st, NULL) != SQLITE_OK) {
    rc = fouille__schema_fail(db, path, "writing meta");
    goto done;
  }
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_DONE) rc = fouille__schema_fail(db, path, "writing meta");
done:
  sqlite3_finalize(st);
  return rc;
}

static int write_versions(sqlite3 *db, const char *path) {
  char buf[32];
  int rc;
  snprintf(buf, sizeof buf, "%d", FOUILLE_SCHEMA_VERSION);
  if ((rc = fouille__schema_meta_set(db, path, "schema_version", buf))) return rc;
  snprintf(buf, sizeof buf, "%d", FOUILLE_ANALYZER_VERSION);
  if ((rc = fouille__schema_meta_set(db, path, "analyzer_version", buf))) return rc;
  return fouille__schema_exec(db, path,
                              "INSERT INTO meta(key, value) VALUES('created',"
                              " strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
}

int fouille__schema_reset(sqlite3 *db, const char *path) {
  int rc;
  if ((rc = fouille__schema_exec(db, path, drop_sql))) return rc;
  if ((rc = fouille__schema_exec(db, path, create_sql))) return rc;
  /* the packed column sizes (sizes.h), kept by the writers */
  if ((rc = fouille__schema_exec(db, path, FOUILLE__SIZES_TABLE_SQL))) return rc;
  return write_versions(db, path);
}

/* In-place upgrades: steps[i] takes an index of schema i + 1 to i + 2, in
 * the caller's transaction, without touching the full-text index (no
 * re-analysis). A schema with no path to this one is rebuilt instead. Add a
 * step with each FOUILLE_SCHEMA_VERSION bump; create_sql holds the end
 * state for new indexes. */
static const char *const steps[] = {
    /* 1 → 2: roots are recorded. The roots of an existing index are not
     * known (files.path holds keys, relative to folders never stored):
     * its files keep root_id NULL until the next update given paths
     * adopts them (update_plan.c). */
    "ALTER TABLE files ADD COLUMN root_id INTEGER;" ROOTS_SQL,
    /* 2 → 3: the lexicon of written words (typo tolerance, issue 14),
     * counted from every article by the next update run (meta 'lexicon'
     * 'rebuild'); until then searches correct nothing. */
    FOUILLE__LEX_TABLE_SQL
    "INSERT OR REPLACE INTO meta(key, value) VALUES('lexicon', 'rebuild');",
    /* 3 → 4: the change log (issue 19), filled with the current articles (a
     * cursor of 0 exports them all). */
    CHANGES_4_SQL "INSERT OR IGNORE INTO changes(key) SELECT key FROM articles ORDER BY id;",
    /* 4 → 5: the change log's live rows name their article by row id, the
     * deleted ones keep their key (issue 17: the keys were stored three
     * times). Every row keeps its number, and sqlite_sequence its highest
     * number given (renamed with the table). */
    CHANGES_5_STEP_SQL,
    NULL};
#define N_STEPS (sizeof steps / sizeof steps[0] - 1)

int fouille__schema_can_migrate(int from_version) {
  return from_version >= 1 && from_version < FOUILLE_SCHEMA_VERSION &&
         (size_t)(FOUILLE_SCHEMA_VERSION - 1) <= N_STEPS;
}

int fouille__schema_log_upgrade(sqlite3 *db, const char *path, int from_version) {
  int rc = FOUILLE_OK;
  for (int i = from_version - 1; i >= 3 && i < FOUILLE_SCHEMA_VERSION - 1 && !rc; i++)
    rc = fouille__schema_exec(db, path, steps[i]);
  return rc;
}

int fouille__schema_migrate(sqlite3 *db, const char *path, int from_version) {
  char buf[32];
  int rc = FOUILLE_OK;
  if (!fouille__schema_can_migrate(from_version))
    return fouille__error(FOUILLE_EVERSION, "%s: schema %d cannot be upgraded to %d", path,
                          from_version, FOUILLE_SCHEMA_VERSION);
  if ((rc = fouille__schema_exec(db, path, "BEGIN IMMEDIATE"))) return rc;
  /* Another process may have upgraded it while we waited for the lock. */
  if (meta_int(db, "schema_version", &from_version) != SQLITE_OK)
    rc = fouille__schema_fail(db, path, "reading meta");
  else if (from_version < 1)
    rc = fouille__error(FOUILLE_EDB, "%s: not a Fouille index (no schema version)", path);
  /* steps[i] goes from schema i + 1 to i + 2. */
  for (int i = from_version < 1 ? 0 : from_version - 1; i < FOUILLE_SCHEMA_VERSION - 1 && !rc; i++)
    rc = fouille__schema_exec(db, path, steps[i]);
  snprintf(buf, sizeof buf, "%d", FOUILLE_SCHEMA_VERSION);
  if (!rc) rc = fouille__schema_meta_set(db, path, "schema_version", buf);
  if (!rc) return fouille__schema_exec(db, path, "COMMIT");
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

int fouille__schema_create(sqlite3 *db, const char *path) {
  int rc, is_empty = 0, av, sv;
  if ((rc = fouille__schema_exec(db, path, "BEGIN IMMEDIATE"))) return rc;
  /* Another process may have created it while we waited for the lock. */
  if ((rc = fouille__schema_probe(db, path, &is_empty, &av, &sv)) == FOUILLE_OK && is_empty)
    rc = fouille__schema_reset(db, path);
  if (rc == FOUILLE_OK) return fouille__schema_exec(db, path, "COMMIT");
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}
