/* The index handle: opening (creating, recognising, version checks) and
 * the pool of read connections that concurrent searches borrow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "schema.h"

#define READER_CACHE 4096

static void reader_free(fouille__reader *r) {
  if (!r) return;
  sqlite3_finalize(r->versions);
  fouille__reader_cache_free(&r->cache);
  sqlite3_close(r->db);
  fouille_analyzer_free(r->analyzer);
  free(r);
}

/* A read connection; through ix->immutable_uri once open_read_only() found
 * that the index can only be read that way. */
static int reader_connect(fouille_index *ix, sqlite3 **db) {
  if (!ix->immutable_uri)
    return fouille__schema_connect(db, ix->path, SQLITE_OPEN_READONLY, ix->busy_timeout_ms);
  int rc = fouille__schema_connect(db, ix->immutable_uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                                   ix->busy_timeout_ms);
  char why[512];
  if (!rc) return FOUILLE_OK;
  snprintf(why, sizeof why, "%s", fouille_error_last()); /* the message buffer is reused */
  return fouille__error(rc, "%s: cannot open read-only: %s", ix->path, why);
}

/* In a folder we cannot write to, SQLite cannot make the WAL's -shm file and
 * a plain read-only open fails. With no -wal file left behind, every commit
 * is in the database file and nobody can be writing (no one can create the
 * -wal either): reading it as immutable is then exact. */
static int use_immutable_open(fouille_index *ix) {
  char *dir = strdup(ix->path), *slash;
  size_t n = strlen(ix->path);
  struct stat st;
  if (!dir) return 0;
  slash = strrchr(dir, '/');
  if (slash == dir)
    slash[1] = '\0';
  else if (slash)
    *slash = '\0';
  int dir_writable = access(slash ? dir : ".", W_OK) == 0;
  free(dir);
  char *wal = malloc(n + 5);
  if (!wal) return 0;
  memcpy(wal, ix->path, n);
  memcpy(wal + n, "-wal", 5);
  int has_wal = stat(wal, &st) == 0;
  free(wal);
  if (dir_writable || has_wal) return 0;
  /* "file:" URI: percent-encode what URIs give a meaning to. */
  char *uri = malloc(3 * n + 32), *o = uri;
  if (!uri) return 0;
  o += sprintf(o, "file:");
  for (const char *p = ix->path; *p; p++)
    o += strchr("%?#", *p) ? sprintf(o, "%%%02X", (unsigned char)*p) : (*o = *p, 1);
  sprintf(o, "?immutable=1");
  ix->immutable_uri = uri;
  return 1;
}

static int reader_new(fouille_index *ix, sqlite3 *db, fouille__reader **out) {
  fouille__reader *r = calloc(1, sizeof *r);
  int rc = FOUILLE_OK;
  if (!r) {
    rc = fouille__error(FOUILLE_ENOMEM, "%s: out of memory", ix->path);
    goto done;
  }
  r->db = db;
  db = NULL;
  if (!r->db && (rc = reader_connect(ix, &r->db))) goto done;
  if ((rc = fouille__fts5_storage_register(r->db))) goto done;
  if ((rc = fouille_analyzer_new(&r->analyzer, READER_CACHE))) goto done;
  *out = r;
  r = NULL;
done:
  sqlite3_close(db);
  reader_free(r);
  return rc;
}

int fouille__store_reader_acquire(fouille_index *ix, fouille__reader **out) {
  int rc = FOUILLE_OK;
  pthread_mutex_lock(&ix->pool_lock);
  while (ix->n_idle == 0 && ix->n_open >= ix->pool_size)
    pthread_cond_wait(&ix->pool_cond, &ix->pool_lock);
  if (ix->n_idle > 0) {
    *out = ix->idle[--ix->n_idle];
    pthread_mutex_unlock(&ix->pool_lock);
    return FOUILLE_OK;
  }
  ix->n_open++;
  pthread_mutex_unlock(&ix->pool_lock);
  if ((rc = reader_new(ix, NULL, out)) != FOUILLE_OK) {
    pthread_mutex_lock(&ix->pool_lock);
    ix->n_open--;
    pthread_cond_signal(&ix->pool_cond);
    pthread_mutex_unlock(&ix->pool_lock);
  }
  return rc;
}

static int versions_message(fouille_index *ix, int av, int sv) {
  return fouille__error(FOUILLE_EVERSION,
                        "%s: index built by analyzer %d, schema %d (this library uses %d, %d):"
                        " update it to rebuild it",
                        ix->path, av, sv, FOUILLE_ANALYZER_VERSION, FOUILLE_SCHEMA_VERSION);
}

/* One indexed lookup per search: a handle's idea of the versions can be
 * stale (another program may rebuild the index while it is open). */
static int reader_versions(fouille_index *ix, fouille__reader *r) {
  int av = -1, sv = -1, s;
  if (!r->versions &&
      sqlite3_prepare_v3(r->db,
                         "SELECT (SELECT value FROM meta WHERE key='analyzer_version'),"
                         " (SELECT value FROM meta WHERE key='schema_version')",
                         -1, SQLITE_PREPARE_PERSISTENT, &r->versions, NULL) != SQLITE_OK)
    return fouille__schema_fail(r->db, ix->path, "reading meta");
  if ((s = sqlite3_step(r->versions)) == SQLITE_ROW) {
    av = sqlite3_column_int(r->versions, 0);
    sv = sqlite3_column_int(r->versions, 1);
  }
  sqlite3_reset(r->versions);
  if (s != SQLITE_ROW) return fouille__schema_fail(r->db, ix->path, "reading meta");
  if (av != FOUILLE_ANALYZER_VERSION || sv != FOUILLE_SCHEMA_VERSION)
    return versions_message(ix, av, sv);
  return FOUILLE_OK;
}

int fouille__store_reader_acquire_current(fouille_index *ix, fouille__reader **out) {
  int rc = fouille__store_reader_acquire(ix, out);
  if (rc == FOUILLE_OK && (rc = reader_versions(ix, *out)) != FOUILLE_OK) {
    fouille__store_reader_release(ix, *out);
    *out = NULL;
  }
  return rc;
}

void fouille__store_reader_release(fouille_index *ix, fouille__reader *r) {
  if (!r) return;
  pthread_mutex_lock(&ix->pool_lock);
  ix->idle[ix->n_idle++] = r;
  pthread_cond_signal(&ix->pool_cond);
  pthread_mutex_unlock(&ix->pool_lock);
}

/* ---- opening ------------------------------------------------------------------ */

static int open_read_only(fouille_index *ix) {
  sqlite3 *db = NULL;
  int empty, av, sv, rc;
  struct stat st;
  if (stat(ix->path, &st) != 0)
    return fouille__error(FOUILLE_ENOTFOUND, "%s: no such index", ix->path);
  if ((rc = reader_connect(ix, &db))) goto done;
  rc = fouille__schema_probe(db, ix->path, &empty, &av, &sv);
  if (rc && use_immutable_open(ix)) {
    sqlite3_close(db);
    db = NULL;
    if ((rc = reader_connect(ix, &db))) goto done;
    rc = fouille__schema_probe(db, ix->path, &empty, &av, &sv);
  }
  if (rc) goto done;
  if (empty) {
    rc = fouille__error(FOUILLE_EDB, "%s: not a Fouille index (empty database)", ix->path);
  } else if (av != FOUILLE_ANALYZER_VERSION || sv != FOUILLE_SCHEMA_VERSION) {
    rc = versions_message(ix, av, sv);
  } else {
    rc = reader_new(ix, db, &ix->idle[0]);
    db = NULL;
    if (rc == FOUILLE_OK) ix->n_idle = ix->n_open = 1;
  }
done:
  sqlite3_close(db);
  return rc;
}

/* The file's size in pages: 0 for a new, empty database; -1 if unreadable. */
static long long page_count(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  long long n = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

static int open_writable(fouille_index *ix) {
  int empty, av, sv, rc;
  if ((rc = fouille__schema_connect(&ix->wdb, ix->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    ix->busy_timeout_ms)))
    return rc;
  /* page_size and auto_vacuum only take effect on a new, empty database.
   * 2 KB pages: an article row overflows into pages whose last one is on
   * average half empty, and halving the page halves that waste (index 5 %
   * smaller, same query times). Incremental auto-vacuum: the pages FTS5's
   * merges free are given back to the system at the end of a first build or
   * rebuild (update_rows.c; 4 % of the file at 20,000 articles). A 16 MB
   * cache: the build ran as fast as with 32 MB. */
  if ((rc = fouille__schema_exec(ix->wdb, ix->path, "PRAGMA page_size=2048"))) return rc;
  /* Set on an existing file, auto_vacuum would write its header (and fail
   * on a read-only one); set after WAL, it would not take. */
  if (page_count(ix->wdb) == 0 &&
      (rc = fouille__schema_exec(ix->wdb, ix->path, "PRAGMA auto_vacuum=INCREMENTAL")))
    return rc;
  if ((rc = fouille__schema_exec(ix->wdb, ix->path,
                                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                 " PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY")))
    return rc;
  if ((rc = fouille__schema_probe(ix->wdb, ix->path, &empty, &av, &sv))) return rc;
  ix->stale_schema = FOUILLE_SCHEMA_VERSION;
  ix->stale_analyzer = FOUILLE_ANALYZER_VERSION;
  if (empty) return fouille__schema_create(ix->wdb, ix->path);
  /* An older schema with the same analyzer is upgraded in place: no
   * re-analysis; anything else is rebuilt by the next update. */
  if (av == FOUILLE_ANALYZER_VERSION && fouille__schema_can_migrate(sv)) {
    if ((rc = fouille__schema_migrate(ix->wdb, ix->path, sv))) return rc;
    sv = FOUILLE_SCHEMA_VERSION;
  }
  ix->stale = sv != FOUILLE_SCHEMA_VERSION || av != FOUILLE_ANALYZER_VERSION;
  ix->stale_schema = sv;
  ix->stale_analyzer = av;
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_index_open(fouille_index **out, const char *path,
                                      const fouille_index_options *options) {
  fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_index *ix = NULL;
  int rc;
  if (!out || !path || !*path) return fouille__error(FOUILLE_EINVAL, "no index path given");
  *out = NULL;
  if ((rc = fouille__index_options_check(options))) return rc;
  if (options) o = *options;
  if (!(ix = calloc(1, sizeof *ix)) || !(ix->path = strdup(path))) {
    free(ix);
    return fouille__error(FOUILLE_ENOMEM, "%s: out of memory", path);
  }
  ix->read_only = o.read_only;
  ix->busy_timeout_ms = o.busy_timeout_ms > 0 ? o.busy_timeout_ms : 5000;
  ix->pool_size = o.read_pool_size > 0 ? o.read_pool_size : 4;
  pthread_mutex_init(&ix->wlock, NULL);
  pthread_mutex_init(&ix->pool_lock, NULL);
  pthread_cond_init(&ix->pool_cond, NULL);
  if (!(ix->idle = calloc((size_t)ix->pool_size, sizeof *ix->idle))) {
    rc = fouille__error(FOUILLE_ENOMEM, "%s: out of memory", path);
    goto done;
  }
  rc = ix->read_only ? open_read_only(ix) : open_writable(ix);
done:
  if (rc != FOUILLE_OK) {
    fouille_index_close(ix);
    return rc;
  }
  *out = ix;
  return FOUILLE_OK;
}

/* Readers that never pause (a busy HTTP server) keep SQLite from starting
 * its WAL afresh, and the log grows with every update, without end (100 MB
 * in 5 minutes of scripts/soak). Closing the write connection truncates
 * it, after waiting (busy timeout) for the readers still on an older
 * snapshot; new readers read the database itself meanwhile. */
static void truncate_wal(sqlite3 *wdb) {
  if (wdb && sqlite3_db_readonly(wdb, "main") == 0)
    sqlite3_wal_checkpoint_v2(wdb, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

FOUILLE_EXTERN void fouille_index_close(fouille_index *ix) {
  if (!ix) return;
  for (int i = 0; i < ix->n_idle; i++) reader_free(ix->idle[i]);
  truncate_wal(ix->wdb);
  sqlite3_close(ix->wdb);
  pthread_mutex_destroy(&ix->wlock);
  pthread_mutex_destroy(&ix->pool_lock);
  pthread_cond_destroy(&ix->pool_cond);
  free(ix->idle);
  free(ix->path);
  free(ix->immutable_uri);
  free(ix);
}

FOUILLE_EXTERN const char *fouille_index_path(const fouille_index *ix) {
  return ix ? ix->path : NULL;
}
