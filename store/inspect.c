/* Reading an open index without searching it: one article by key, the
 * health check, integrity checks and statistics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "schema.h"
#include "sizes.h"
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

FOUILLE_EXTERN int fouille_index_get(fouille_article **out, fouille_index *ix, const char *key) {
  fouille__reader *r = NULL;
  sqlite3_stmt *st = NULL;
  int rc;
  if (!ix || !key || !out) return fouille__error(FOUILLE_EINVAL, "no index, key or output");
  *out = NULL;
  if ((rc = fouille__store_reader_acquire(ix, &r))) return rc;
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
    (*out)->version = FOUILLE_ARTICLE_VERSION;
    char **f[] = {&(*out)->key, &(*out)->title,  &(*out)->date, &(*out)->source,
                  &(*out)->url, &(*out)->author, &(*out)->body};
    for (int i = 0; i < 7; i++) *f[i] = col_dup(st, i);
  }
done:
  sqlite3_finalize(st);
  fouille__store_reader_release(ix, r);
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
    {"SELECT count(*) FROM files WHERE root_id IS NOT NULL"
     " AND root_id NOT IN (SELECT id FROM roots)",
     "files of a root that is not recorded"},
};

/* Articles without an FTS5 size record (or records without an article). */
static int check_indexed(fouille_index *ix, sqlite3 *db) {
  char buf[32];
  long long indexed = 0;
  if (fouille__fts5_docsize_count(db, &indexed) ||
      query_text(db, "SELECT count(*) FROM articles", buf, sizeof buf))
    return fouille__schema_fail(db, ix->path, "checking");
  if (atoll(buf) != indexed)
    return fouille__error(FOUILLE_EDB,
                          "%s: %lld articles missing from (or extra in) the FTS5 index", ix->path,
                          atoll(buf) - indexed);
  return FOUILLE_OK;
}

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
  return check_indexed(ix, db);
}

/* Both reads of every article's column sizes, in one snapshot: the packed
 * ones (when in use) must be FTS5's records. */
static int check_packed_read(fouille_index *ix, sqlite3 *db) {
  fouille__fts5_version v = {0};
  fouille__docsizes *p = NULL, *d = NULL;
  int changed = 0, rc = fouille__fts5_version_read(db, &v, &changed);
  if (!rc && (rc = fouille__sizes_read(db, &v, &p)) == FOUILLE_ENOTFOUND) rc = FOUILLE_OK;
  if (!rc && p && !(rc = fouille__fts5_docsizes_read(db, &d))) {
    long long i = 0, n = d ? d->n * d->n_col : 0;
    while (i < n && p->n == d->n && p->first == d->first && p->sizes[i] == d->sizes[i]) i++;
    if (!d || p->n != d->n || p->first != d->first || i < n)
      rc = fouille__error(FOUILLE_EDB, "%s: the packed column sizes differ from FTS5's records%s",
                          ix->path, d && i < n ? " (a row's)" : " (their rows)");
  }
  fouille__docsizes_free(p), fouille__docsizes_free(d);
  fouille__fts5_version_clear(&v);
  return rc;
}

static int check_packed(fouille_index *ix) {
  fouille__reader *r = NULL;
  int rc = fouille__store_reader_acquire(ix, &r);
  if (rc) return rc;
  if (sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    rc = fouille__schema_fail(r->db, ix->path, "checking");
  else
    rc = check_packed_read(ix, r->db);
  if (!sqlite3_get_autocommit(r->db)) sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
  fouille__store_reader_release(ix, r);
  return rc;
}

FOUILLE_EXTERN int fouille_index_check(fouille_index *ix) {
  fouille__reader *r = NULL;
  int rc;
  if (!ix) return fouille__error(FOUILLE_EINVAL, "no index");
  if (ix->wdb) {
    pthread_mutex_lock(&ix->wlock);
    rc = check_on(ix, ix->wdb);
    pthread_mutex_unlock(&ix->wlock);
    return rc ? rc : check_packed(ix);
  }
  if ((rc = fouille__store_reader_acquire(ix, &r))) return rc;
  rc = check_on(ix, r->db);
  fouille__store_reader_release(ix, r);
  return rc ? rc : check_packed(ix);
}

static int stats_on(fouille_index *ix, sqlite3 *db, fouille_stats *s) {
  static const char *const sql[] = {
      "SELECT count(*) FROM articles",
      /* a stream root's files row holds no file */
      "SELECT count(*) FROM files WHERE root_id IS NULL"
      " OR root_id NOT IN (SELECT id FROM roots WHERE kind='stream')",
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

FOUILLE_EXTERN int fouille_index_ping(fouille_index *ix) {
  fouille__reader *r = NULL;
  char buf[32];
  if (!ix) return fouille__error(FOUILLE_EINVAL, "no index");
  int rc = fouille__store_reader_acquire(ix, &r);
  if (rc) return rc;
  if (query_text(r->db, "SELECT value FROM meta WHERE key='schema_version'", buf, sizeof buf))
    rc = fouille__error(FOUILLE_EDB, "%s: cannot read the index: %s", ix->path,
                        sqlite3_errmsg(r->db));
  fouille__store_reader_release(ix, r);
  return rc;
}

FOUILLE_EXTERN int fouille_index_stats(fouille_stats *out, fouille_index *ix) {
  fouille__reader *r = NULL;
  int rc;
  if (!ix || !out) return fouille__error(FOUILLE_EINVAL, "no index or output");
  if (out->version != FOUILLE_STATS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_stats: unknown version %d", out->version);
  memset(out, 0, sizeof *out);
  out->version = FOUILLE_STATS_VERSION;
  if ((rc = fouille__store_reader_acquire(ix, &r))) return rc;
  rc = stats_on(ix, r->db, out);
  fouille__store_reader_release(ix, r);
  return rc;
}
