/* The index handle: opening (creating, recognising, version checks), the
 * pool of read connections for concurrent searches, and the small
 * operations: get, delete, optimize, check, stats. */
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
  if ((rc = fouille_analyzer_new(&r->analyzer, READER_CACHE))) goto done;
  *out = r;
  r = NULL;
done:
  sqlite3_close(db);
  reader_free(r);
  return rc;
}

int fouille__index_reader_acquire(fouille_index *ix, fouille__reader **out) {
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

void fouille__index_reader_release(fouille_index *ix, fouille__reader *r) {
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
    return fouille__error(FOUILLE_ENOTFOUND, "%s: no such index (create it with fouille-index)",
                          ix->path);
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
    rc = fouille__error(FOUILLE_EVERSION,
                        "%s: index built by analyzer %d, schema %d (this is %d, %d):"
                        " run fouille-index to rebuild it",
                        ix->path, av, sv, FOUILLE_ANALYZER_VERSION, FOUILLE_SCHEMA_VERSION);
  } else {
    rc = reader_new(ix, db, &ix->idle[0]);
    db = NULL;
    if (rc == FOUILLE_OK) ix->n_idle = ix->n_open = 1;
  }
done:
  sqlite3_close(db);
  return rc;
}

static int open_writable(fouille_index *ix) {
  int empty, av, sv, rc;
  if ((rc = fouille__schema_connect(&ix->wdb, ix->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    ix->busy_timeout_ms)))
    return rc;
  /* page_size only takes effect on a new, empty database. 2 KB pages: an
   * article row overflows into pages whose last one is on average half
   * empty, and halving the page halves that waste (index 5 % smaller, same
   * query times). A 16 MB cache: the build ran as fast as with 32 MB. */
  if ((rc = fouille__schema_exec(ix->wdb, ix->path,
                                 "PRAGMA page_size=2048; PRAGMA journal_mode=WAL;"
                                 " PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16000;"
                                 " PRAGMA temp_store=MEMORY")))
    return rc;
  if ((rc = fouille__schema_probe(ix->wdb, ix->path, &empty, &av, &sv))) return rc;
  if (empty) return fouille__schema_create(ix->wdb, ix->path);
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

FOUILLE_EXTERN void fouille_index_close(fouille_index *ix) {
  if (!ix) return;
  for (int i = 0; i < ix->n_idle; i++) reader_free(ix->idle[i]);
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

/* ---- small operations ----------------------------------------------------------- */

static char *col_dup(sqlite3_stmt *st, int i) {
  const char *s = (const char *)sqlite3_column_text(st, i);
  return s ? strdup(s) : NULL;
}

FOUILLE_EXTERN void fouille_article_free(fouille_article *a) {
  if (!a) return;
  char **f[] = {&a->key, &a->title, &a->date, &a->source, &a->url, &a->author, &a->body};
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) free(*f[i]);
  free(a);
}

FOUILLE_EXTERN int fouille_index_get(fouille_index *ix, const char *key, fouille_article **out) {
  fouille__reader *r = NULL;
  sqlite3_stmt *st = NULL;
  int rc;
  if (!ix || !key || !out) return fouille__error(FOUILLE_EINVAL, "no index, key or output");
  *out = NULL;
  if ((rc = fouille__index_reader_acquire(ix, &r))) return rc;
  if (sqlite3_prepare_v2(r->db,
                         "SELECT key, title, date, source, url, author, body"
                         " FROM articles WHERE key=?1",
                         -1, &st, NULL) != SQLITE_OK) {
    rc = fouille__schema_fail(r->db, ix->path, "reading articles");
    goto done;
  }
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int s = sqlite3_step(st);
  if (s == SQLITE_DONE) {
    rc = fouille__error(FOUILLE_ENOTFOUND, "%s: no article with key '%s'", ix->path, key);
  } else if (s != SQLITE_ROW) {
    rc = fouille__schema_fail(r->db, ix->path, "reading articles");
  } else if (!(*out = calloc(1, sizeof **out))) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
  } else {
    char **f[] = {&(*out)->key, &(*out)->title,  &(*out)->date, &(*out)->source,
                  &(*out)->url, &(*out)->author, &(*out)->body};
    for (int i = 0; i < 7; i++) *f[i] = col_dup(st, i);
  }
done:
  sqlite3_finalize(st);
  fouille__index_reader_release(ix, r);
  return rc;
}

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
  if (!ix || !key) return fouille__error(FOUILLE_EINVAL, "no index or key");
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  pthread_mutex_lock(&ix->wlock);
  if ((rc = fouille__schema_exec(ix->wdb, ix->path, "BEGIN IMMEDIATE"))) goto done;
  rc = write_one(ix,
                 "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                 " SELECT 'delete', id, title, body FROM articles WHERE key=?1",
                 key, NULL);
  if (!rc) rc = write_one(ix, "DELETE FROM articles WHERE key=?1", key, &n);
  if (!rc && n == 0)
    rc = fouille__error(FOUILLE_ENOTFOUND, "%s: no article with key '%s'", ix->path, key);
  if (!rc) rc = fouille__schema_exec(ix->wdb, ix->path, "COMMIT");
  if (rc) sqlite3_exec(ix->wdb, "ROLLBACK", NULL, NULL, NULL);
done:
  pthread_mutex_unlock(&ix->wlock);
  return rc;
}

int fouille__index_optimize_locked(fouille_index *ix) {
  return fouille__schema_exec(ix->wdb, ix->path,
                              "INSERT INTO articles_fts(articles_fts) VALUES('optimize')");
}

FOUILLE_EXTERN int fouille_index_optimize(fouille_index *ix) {
  if (!ix) return fouille__error(FOUILLE_EINVAL, "no index");
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  pthread_mutex_lock(&ix->wlock);
  int rc = fouille__index_optimize_locked(ix);
  pthread_mutex_unlock(&ix->wlock);
  return rc;
}

/* First column of the first row of sql as text into buf ("" if none). */
static int query_text(sqlite3 *db, const char *sql, char *buf, size_t size) {
  sqlite3_stmt *st = NULL;
  buf[0] = '\0';
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static const char *const check_sql[][2] = {
    {"SELECT count(*) FROM articles WHERE file_id IS NULL"
     " OR file_id NOT IN (SELECT id FROM files)",
     "articles without a files row"},
    {"SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM articles_fts_docsize)",
     "articles missing from (or extra in) the FTS5 index"},
};

static int check_on(fouille_index *ix, sqlite3 *db) {
  char buf[512];
  if (query_text(db, "PRAGMA quick_check", buf, sizeof buf) || strcmp(buf, "ok") != 0)
    return fouille__error(FOUILLE_EDB, "%s: database is damaged: %s", ix->path,
                          buf[0] ? buf : sqlite3_errmsg(db));
  if (ix->wdb && sqlite3_db_readonly(db, "main") == 1)
    return fouille__error(FOUILLE_EIO,
                          "%s: cannot run FTS5's integrity check: it needs write access to the"
                          " index file and its folder (copy the index elsewhere to check it)",
                          ix->path);
  if (ix->wdb && sqlite3_exec(db,
                              "INSERT INTO articles_fts(articles_fts, rank)"
                              " VALUES('integrity-check', 1)",
                              NULL, NULL, NULL) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "%s: FTS5 index does not match the articles: %s", ix->path,
                          sqlite3_errmsg(db));
  for (size_t i = 0; i < sizeof check_sql / sizeof check_sql[0]; i++) {
    if (query_text(db, check_sql[i][0], buf, sizeof buf))
      return fouille__schema_fail(db, ix->path, "checking");
    if (strcmp(buf, "0") != 0)
      return fouille__error(FOUILLE_EDB, "%s: %s %s", ix->path, buf, check_sql[i][1]);
  }
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_index_check(fouille_index *ix) {
  fouille__reader *r = NULL;
  int rc;
  if (!ix) return fouille__error(FOUILLE_EINVAL, "no index");
  if (ix->wdb) {
    pthread_mutex_lock(&ix->wlock);
    rc = check_on(ix, ix->wdb);
    pthread_mutex_unlock(&ix->wlock);
    return rc;
  }
  if ((rc = fouille__index_reader_acquire(ix, &r))) return rc;
  rc = check_on(ix, r->db);
  fouille__index_reader_release(ix, r);
  return rc;
}

static int stats_on(fouille_index *ix, sqlite3 *db, fouille_stats *s) {
  static const char *const sql[] = {
      "SELECT count(*) FROM articles",
      "SELECT count(*) FROM files",
      "SELECT count(*) FROM files WHERE status<>'ok'",
      "SELECT count(*) FROM articles_vocab",
      "SELECT total(length(CAST(title AS BLOB))) + total(length(CAST(body AS BLOB)))"
      " FROM articles",
      "SELECT value FROM meta WHERE key='analyzer_version'",
      "SELECT value FROM meta WHERE key='schema_version'"};
  uint64_t *dst[] = {&s->articles, &s->files, &s->files_with_errors, &s->terms, &s->text_bytes};
  char buf[64];
  for (int i = 0; i < 7; i++) {
    if (query_text(db, sql[i], buf, sizeof buf))
      return fouille__schema_fail(db, ix->path, "reading stats");
    if (i < 5)
      *dst[i] = strtoull(buf, NULL, 10);
    else
      *(i == 5 ? &s->analyzer_version : &s->schema_version) = atoi(buf);
  }
  if (query_text(db, "SELECT value FROM meta WHERE key='last_run'", s->last_run,
                 sizeof s->last_run))
    return fouille__schema_fail(db, ix->path, "reading stats");
  struct stat st;
  s->db_bytes = stat(ix->path, &st) == 0 ? (uint64_t)st.st_size : 0;
  return FOUILLE_OK;
}

int fouille__index_ping(fouille_index *ix) {
  fouille__reader *r = NULL;
  char buf[32];
  int rc = fouille__index_reader_acquire(ix, &r);
  if (rc) return rc;
  if (query_text(r->db, "SELECT value FROM meta WHERE key='schema_version'", buf, sizeof buf))
    rc = fouille__error(FOUILLE_EDB, "%s: cannot read the index: %s", ix->path,
                        sqlite3_errmsg(r->db));
  fouille__index_reader_release(ix, r);
  return rc;
}

FOUILLE_EXTERN int fouille_index_stats(fouille_index *ix, fouille_stats *out) {
  fouille__reader *r = NULL;
  int rc;
  if (!ix || !out) return fouille__error(FOUILLE_EINVAL, "no index or output");
  memset(out, 0, sizeof *out);
  if ((rc = fouille__index_reader_acquire(ix, &r))) return rc;
  rc = stats_on(ix, r->db, out);
  fouille__index_reader_release(ix, r);
  return rc;
}
