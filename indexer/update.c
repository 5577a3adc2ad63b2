/* fouille_index_update: bring the index in line with the archive. Scan,
 * then per file: stat → unchanged, or read + hash → unchanged, or replace its
 * articles (JSON Lines: per line). Work commits in batches, each file's rows
 * and articles in one transaction, so a killed run leaves a consistent index. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "error.h"
#include "update.h"

#define TX_BYTES (32u << 20)

/* No statement here may need a statement journal (INSERT … SELECT, upserts,
 * RETURNING): in SQLite 3.40 each one makes FTS5 flush its pending terms to
 * a new segment (xSavepoint), which slowed full builds by half. */
static const char *const stmt_sql[FOUILLE__S_COUNT] = {
    "SELECT id, size, mtime_ns, hash, status FROM files WHERE path=?1",
    "UPDATE files SET size=?2, mtime_ns=?3, hash=?4, status=?5, error=?6 WHERE path=?1",
    "INSERT INTO files(path, size, mtime_ns, hash, status, error) VALUES(?1,?2,?3,?4,?5,?6)",
    "DELETE FROM files WHERE id=?1",
    "INSERT INTO articles(key, file_id, title, date, source, url, author, tags, body, hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    "SELECT id, hash, file_id FROM articles WHERE key=?1",
    "UPDATE articles SET file_id=?2, title=?3, date=?4, source=?5, url=?6, author=?7, tags=?8,"
    " body=?9, hash=?10 WHERE key=?1",
    "INSERT INTO articles_fts(rowid, title, body) VALUES(?1, ?2, ?3)",
    "INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES('delete', ?1, ?2, ?3)",
    "SELECT id, title, body FROM articles WHERE id=?1",
    "SELECT id, title, body FROM articles WHERE file_id=?1",
    "DELETE FROM articles WHERE file_id=?1",
    "INSERT OR IGNORE INTO temp.fouille_seen(id) VALUES(?1)",
    "SELECT 1 FROM temp.fouille_seen WHERE id=?1",
    "SELECT id, title, body FROM articles WHERE file_id=?1"
    " AND id NOT IN (SELECT id FROM temp.fouille_seen)",
    "DELETE FROM articles WHERE file_id=?1 AND id NOT IN (SELECT id FROM temp.fouille_seen)",
    "DELETE FROM temp.fouille_seen"};

int fouille__update_fail(fouille__upd *u, const char *what) {
  return fouille__schema_fail(u->db, u->ix->path, what);
}

int fouille__update_step(fouille__upd *u, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  while (rc == SQLITE_ROW) rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? FOUILLE_OK : fouille__update_fail(u, "writing");
}

void fouille__update_problem(fouille__upd *u, const char *path, unsigned long line, const char *msg,
                             int warn) {
  if (warn) u->sum->warnings++;
  if (u->o->problem) u->o->problem(path, line, msg, warn, u->o->payload);
}

void fouille__update_change(fouille__upd *u, const char *path, fouille_file_change c) {
  if (u->o->change) u->o->change(path, c, u->o->payload);
}

static double elapsed(const fouille__upd *u) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - u->t0.tv_sec) + (double)(t.tv_nsec - u->t0.tv_nsec) / 1e9;
}

/* ---- transactions ---------------------------------------------------- */

static int tx_begin(fouille__upd *u) {
  if (sqlite3_exec(u->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "starting a transaction");
  u->tx_articles = 0;
  u->tx_bytes = 0;
  return FOUILLE_OK;
}

static int tx_commit(fouille__upd *u) {
  if (sqlite3_exec(u->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "committing");
  return FOUILLE_OK;
}

/* Commits and starts a new transaction once the batch is full. */
int fouille__update_tx_roll(fouille__upd *u) {
  if (u->one_tx) return FOUILLE_OK;
  if (u->tx_articles < u->batch && u->tx_bytes < TX_BYTES) return FOUILLE_OK;
  int rc = tx_commit(u);
  return rc ? rc : tx_begin(u);
}

/* ---- files rows ------------------------------------------------------- */

static int file_get(fouille__upd *u, const char *key, fouille__file_row *r) {
  sqlite3_stmt *st = u->st[FOUILLE__S_FILE_GET];
  memset(r, 0, sizeof *r);
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    r->exists = 1;
    r->id = sqlite3_column_int64(st, 0);
    r->size = sqlite3_column_int64(st, 1);
    r->mtime_ns = sqlite3_column_int64(st, 2);
    r->hash = (uint64_t)sqlite3_column_int64(st, 3);
    const unsigned char *s = sqlite3_column_text(st, 4);
    r->ok = s && strcmp((const char *)s, "ok") == 0;
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? FOUILLE_OK
                                               : fouille__update_fail(u, "reading files");
}

int fouille__update_file_put(fouille__upd *u, const char *key, int64_t size, int64_t mtime,
                             uint64_t hash, const char *error, int64_t *id) {
  int rc = FOUILLE_OK;
  /* Callers pass id only when they found no row: the UPDATE would be a
   * wasted lookup per new file. */
  for (int which = id ? FOUILLE__S_FILE_INS : FOUILLE__S_FILE_UPD;
       which <= FOUILLE__S_FILE_INS && !rc; which++) {
    sqlite3_stmt *st = u->st[which];
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, size);
    sqlite3_bind_int64(st, 3, mtime);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)hash);
    sqlite3_bind_text(st, 5, error ? "error" : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, error, -1, SQLITE_TRANSIENT);
    if ((rc = fouille__update_step(u, st))) break;
    if (which == FOUILLE__S_FILE_INS && id) *id = sqlite3_last_insert_rowid(u->db);
    if (which == FOUILLE__S_FILE_UPD && sqlite3_changes(u->db) > 0) break; /* it existed */
  }
  return rc;
}

int fouille__update_fts_delete(fouille__upd *u, int which, int64_t id) {
  sqlite3_stmt *sel = u->st[which], *del = u->st[FOUILLE__S_FTS_DEL];
  int rc = FOUILLE_OK, s;
  sqlite3_bind_int64(sel, 1, id);
  while (rc == FOUILLE_OK && (s = sqlite3_step(sel)) == SQLITE_ROW) {
    for (int k = 0; k < 3; k++) sqlite3_bind_value(del, k + 1, sqlite3_column_value(sel, k));
    rc = fouille__update_step(u, del);
  }
  if (rc == FOUILLE_OK && s != SQLITE_DONE) rc = fouille__update_fail(u, "reading articles");
  sqlite3_reset(sel);
  return rc;
}

/* Runs a statement taking one id; adds the rows it changed to *changed. */
int fouille__update_run_id(fouille__upd *u, int which, int64_t id, uint64_t *changed) {
  sqlite3_bind_int64(u->st[which], 1, id);
  int rc = fouille__update_step(u, u->st[which]);
  if (rc == FOUILLE_OK && changed) *changed += (uint64_t)sqlite3_changes(u->db);
  return rc;
}

static int delete_file_articles(fouille__upd *u, int64_t file_id, uint64_t *n) {
  int rc = fouille__update_fts_delete(u, FOUILLE__S_ROWS_FILE, file_id);
  return rc ? rc : fouille__update_run_id(u, FOUILLE__S_ART_DEL_FILE, file_id, n);
}

/* ---- articles ------------------------------------------------------------------ */

static void bind_article(sqlite3_stmt *st, const char *key, int64_t file_id,
                         const fouille__article *a, uint64_t hash) {
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, file_id);
  const char *f[6] = {a->title, a->date, a->source, a->url, a->author, a->tags};
  for (int i = 0; i < 6; i++) sqlite3_bind_text(st, 3 + i, f[i], -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, a->body ? a->body : "", (int)a->body_len, SQLITE_STATIC);
  sqlite3_bind_int64(st, 10, (sqlite3_int64)hash);
}

static int fts_insert(fouille__upd *u, int64_t id, const fouille__article *a) {
  sqlite3_stmt *st = u->st[FOUILLE__S_FTS_INS];
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, a->title, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, a->body ? a->body : "", (int)a->body_len, SQLITE_STATIC);
  return fouille__update_step(u, st);
}

static int article_done(fouille__upd *u, int64_t id, const fouille__article *a) {
  u->tx_articles++;
  u->tx_bytes += a->body_len + 256;
  u->prog.articles_done++;
  return fts_insert(u, id, a);
}

int fouille__update_article_add(fouille__upd *u, const char *key, const fouille__article *a,
                                uint64_t hash, int64_t *id) {
  sqlite3_stmt *ins = u->st[FOUILLE__S_ART_INS];
  bind_article(ins, key, u->file_id, a, hash);
  int rc = sqlite3_step(ins);
  sqlite3_reset(ins);
  *id = 0;
  if (rc == SQLITE_CONSTRAINT) return FOUILLE_OK; /* the key exists */
  if (rc != SQLITE_DONE) return fouille__update_fail(u, "writing articles");
  *id = sqlite3_last_insert_rowid(u->db);
  u->sum->articles_added++;
  return article_done(u, *id, a);
}

/* Inserts the article, or rewrites the row holding its key in place (the
 * rowid stays, the FTS5 entry is replaced). *id gets the row id. */
int fouille__update_article_put(fouille__upd *u, const char *key, const fouille__article *a,
                                uint64_t hash, int64_t *id) {
  sqlite3_stmt *get = u->st[FOUILLE__S_ART_GET];
  int rc = fouille__update_article_add(u, key, a, hash, id);
  if (rc || *id) return rc;
  sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step(get);
  *id = sqlite3_column_int64(get, 0);
  sqlite3_reset(get);
  if (rc != SQLITE_ROW) return fouille__update_fail(u, "reading articles");
  if ((rc = fouille__update_fts_delete(u, FOUILLE__S_ROWS_ONE, *id))) return rc;
  bind_article(u->st[FOUILLE__S_ART_UPD], key, u->file_id, a, hash);
  if ((rc = fouille__update_step(u, u->st[FOUILLE__S_ART_UPD]))) return rc;
  u->sum->articles_updated++;
  return article_done(u, *id, a);
}

/* ---- whole-file formats --------------------------------------------------- */

static int on_whole_article(void *ctx, const fouille__article *a) {
  fouille__upd *u = ctx;
  int64_t id;
  char *key = u->nth++ == 0 ? sqlite3_mprintf("%s", u->f->key)
                            : sqlite3_mprintf("%s#%d", u->f->key, u->nth);
  if (!key)
    u->fatal = fouille__error(FOUILLE_ENOMEM, "out of memory");
  else
    u->fatal = fouille__update_article_put(u, key, a, u->line_hash, &id);
  if (!u->fatal && u->rewrite) u->fatal = fouille__update_run_id(u, FOUILLE__S_SEEN_INS, id, NULL);
  sqlite3_free(key);
  return u->fatal ? 1 : 0;
}

void fouille__update_on_problem(void *ctx, unsigned long line, const char *msg, int warn) {
  fouille__upd *u = ctx;
  fouille__update_problem(u, u->path, line, msg, warn);
}

/* Reads the whole file into *buf; a one-line message in err on failure.
 * open/read, not stdio: no FILE or buffer to set up for each of 100k files. */
static int read_all(fouille__upd *u, char **buf, size_t *len, char *err, size_t errsz) {
  uint64_t max = u->o->max_file_bytes ? u->o->max_file_bytes : (64u << 20);
  struct stat st;
  *buf = NULL;
  *len = 0;
  int fd = open(u->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(err, errsz, "cannot read: %s", strerror(errno));
    goto done;
  }
  if ((uint64_t)st.st_size > max) {
    snprintf(err, errsz, "file too large (%llu MB > %llu MB)",
             (unsigned long long)((uint64_t)st.st_size >> 20), (unsigned long long)(max >> 20));
    goto done;
  }
  if (!(*buf = malloc((size_t)st.st_size + 1))) {
    snprintf(err, errsz, "out of memory");
    goto done;
  }
  while (*len < (size_t)st.st_size) {
    ssize_t k = read(fd, *buf + *len, (size_t)st.st_size - *len);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) snprintf(err, errsz, "cannot read: %s", strerror(errno));
    if (k <= 0) break;
    *len += (size_t)k;
  }
  (*buf)[*len] = '\0';
done:
  if (fd >= 0) close(fd);
  return err[0] ? -1 : 0;
}

static int parse_whole(const char *data, size_t len, int format, const fouille__reader_ctx *rc) {
  if (format == FOUILLE__FORMAT_MD) return fouille__read_md(data, len, rc);
  if (format == FOUILLE__FORMAT_HTML) return fouille__read_html(data, len, rc);
  return fouille__read_txt(data, len, rc);
}

/* Records a file that could not be indexed; its old articles stay unless
 * drop_old (its content is known to be unusable). */
int fouille__update_file_skipped(fouille__upd *u, const fouille__file_row *row, const char *msg,
                                 int drop_old) {
  uint64_t n = 0;
  int rc;
  fouille__update_problem(u, u->path, 0, msg, 0);
  u->sum->skipped++;
  fouille__update_change(u, u->f->key, FOUILLE_FILE_SKIPPED);
  if (drop_old && row->exists && (rc = delete_file_articles(u, row->id, &n))) return rc;
  u->sum->articles_deleted += n;
  return fouille__update_file_put(u, u->f->key, -1, -1, 0, msg, NULL);
}

static int index_whole(fouille__upd *u, const fouille__file_row *row) {
  char *buf = NULL, err[512] = "";
  size_t len = 0;
  int rc = FOUILLE_OK;
  if (read_all(u, &buf, &len, err, sizeof err)) {
    rc = fouille__update_file_skipped(u, row, err, 0);
    goto done;
  }
  u->prog.bytes_read += len;
  u->sum->bytes_read += len;
  uint64_t h = XXH3_64bits(buf, len);
  if (row->exists && row->ok && row->hash == h) {
    u->sum->unchanged++;
    fouille__update_change(u, u->f->key, FOUILLE_FILE_UNCHANGED);
    rc = fouille__update_file_put(u, u->f->key, (int64_t)u->f->size, u->f->mtime_ns, h, NULL, NULL);
    goto done;
  }
  /* A changed file's articles are rewritten in place (same keys, same
   * rowids, ascending), then those it no longer holds are deleted. Deleting
   * them all first gave the new ones new rowids, and each step back in rowid
   * order made FTS5 flush its pending terms to a new segment: one segment
   * per changed file. */
  u->file_id = row->id; /* the files row keeps its id */
  if ((rc = fouille__update_file_put(u, u->f->key, (int64_t)len, u->f->mtime_ns, h, NULL,
                                     row->exists ? NULL : &u->file_id)))
    goto done;
  if (row->exists && (rc = fouille__update_step(u, u->st[FOUILLE__S_SEEN_CLEAR]))) goto done;
  fouille__reader_ctx rctx = {on_whole_article, fouille__update_on_problem, u};
  u->nth = 0;
  u->line_hash = h;
  u->fatal = 0;
  u->rewrite = row->exists;
  fouille__error_clear();
  int prc = parse_whole(buf, len, u->f->format, &rctx);
  u->rewrite = 0;
  if (u->fatal) {
    rc = u->fatal;
    goto done;
  }
  if (row->exists) {
    if (!(rc = fouille__update_fts_delete(u, FOUILLE__S_ROWS_STALE, u->file_id)))
      rc = fouille__update_run_id(u, FOUILLE__S_ART_DEL_STALE, u->file_id,
                                  &u->sum->articles_deleted);
    if (rc) goto done;
  }
  if (prc != 0) {
    snprintf(err, sizeof err, "%s", fouille_error_last()[0] ? fouille_error_last() : "no article");
    rc = fouille__update_file_skipped(u, row, err, 0);
    goto done;
  }
  *(row->exists ? &u->sum->changed : &u->sum->added) += 1;
  fouille__update_change(u, u->f->key, row->exists ? FOUILLE_FILE_CHANGED : FOUILLE_FILE_ADDED);
done:
  free(buf);
  return rc;
}

/* ---- the run ------------------------------------------------------------------------ */

/* Makes f the current file. */
static int set_file(fouille__upd *u, const fouille__scan_file *f) {
  u->f = f;
  u->path = fouille__scan_path(u->scan, f, &u->path_buf, &u->path_cap);
  return u->path ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory");
}

static int index_file(fouille__upd *u, const fouille__scan_file *f) {
  fouille__file_row row;
  int rc;
  if ((rc = set_file(u, f))) return rc;
  if ((rc = file_get(u, f->key, &row))) return rc;
  if (row.exists && row.ok && row.size == (int64_t)f->size && row.mtime_ns == f->mtime_ns) {
    u->sum->unchanged++;
    fouille__update_change(u, f->key, FOUILLE_FILE_UNCHANGED);
    return FOUILLE_OK;
  }
  if (f->format == FOUILLE__FORMAT_JSONL) return fouille__update_jsonl(u, &row);
  return index_whole(u, &row);
}

static int dry_file(fouille__upd *u, const fouille__scan_file *f) {
  fouille__file_row row;
  char err[512] = "";
  uint64_t h = 0, bytes = 0;
  int rc;
  if ((rc = set_file(u, f))) return rc;
  if ((rc = file_get(u, f->key, &row))) return rc;
  fouille_file_change c = FOUILLE_FILE_ADDED;
  if (row.exists && row.ok && row.size == (int64_t)f->size && row.mtime_ns == f->mtime_ns) {
    c = FOUILLE_FILE_UNCHANGED;
  } else if (row.exists) {
    if (fouille__update_hash_file(u->path, &h, &bytes, err, sizeof err))
      c = FOUILLE_FILE_SKIPPED;
    else
      c = row.ok && h == row.hash ? FOUILLE_FILE_UNCHANGED : FOUILLE_FILE_CHANGED;
  }
  if (c == FOUILLE_FILE_SKIPPED) fouille__update_problem(u, u->path, 0, err, 0);
  uint64_t *cnt[] = {&u->sum->added, &u->sum->changed, &u->sum->deleted, &u->sum->unchanged,
                     &u->sum->skipped};
  (*cnt[c])++;
  fouille__update_change(u, f->key, c);
  return FOUILLE_OK;
}

typedef struct gone {
  int64_t id;
  char *path;
} gone;

static int collect_gone(fouille__upd *u, const fouille__scan *scan, gone **out, size_t *n) {
  sqlite3_stmt *st = NULL;
  size_t cap = 0;
  int rc = FOUILLE_OK, s;
  *out = NULL;
  *n = 0;
  if (sqlite3_prepare_v2(u->db, "SELECT id, path FROM files", -1, &st, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "reading files");
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *p = (const char *)sqlite3_column_text(st, 1);
    if (!p || !fouille__scan_owns_missing(scan, p)) continue;
    if (*n == cap) {
      gone *g = realloc(*out, (cap = cap ? cap * 2 : 64) * sizeof *g);
      if (!g) {
        rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
        goto done;
      }
      *out = g;
    }
    (*out)[*n].id = sqlite3_column_int64(st, 0);
    if (!((*out)[(*n)++].path = strdup(p))) rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
  }
  if (s != SQLITE_DONE && rc == FOUILLE_OK) rc = fouille__update_fail(u, "reading files");
done:
  sqlite3_finalize(st);
  return rc;
}

static int delete_gone(fouille__upd *u, const fouille__scan *scan) {
  gone *g = NULL;
  size_t n = 0;
  int rc = collect_gone(u, scan, &g, &n);
  for (size_t i = 0; i < n && rc == FOUILLE_OK; i++) {
    uint64_t k = 0;
    u->sum->deleted++;
    fouille__update_change(u, g[i].path, FOUILLE_FILE_DELETED);
    if (u->o->dry_run) continue;
    if (!(rc = delete_file_articles(u, g[i].id, &k)))
      rc = fouille__update_run_id(u, FOUILLE__S_FILE_DEL, g[i].id, NULL);
    u->sum->articles_deleted += k;
    u->tx_articles += k;
    if (!rc) rc = fouille__update_tx_roll(u);
  }
  for (size_t i = 0; i < n; i++) free(g[i].path);
  free(g);
  return rc;
}

/* Empties the index inside a transaction that run_files() carries on and
 * commits at the very end: readers see the old index until the new one is
 * whole, and a run killed half-way leaves the old index (still marked stale,
 * so the next run rebuilds again). */
static int rebuild(fouille__upd *u) {
  char msg[128];
  fouille_index *ix = u->ix;
  if (ix->stale_schema != FOUILLE_SCHEMA_VERSION)
    snprintf(msg, sizeof msg, "index has schema %d, rebuilding", ix->stale_schema);
  else
    snprintf(msg, sizeof msg, "index built by analyzer %d, rebuilding", ix->stale_analyzer);
  if (ix->stale) fouille__update_problem(u, ix->path, 0, msg, 1);
  u->sum->rebuilt = 1;
  if (u->o->dry_run) return FOUILLE_OK;
  int rc = tx_begin(u);
  if (!rc) rc = fouille__schema_reset(u->db, ix->path);
  if (rc)
    sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  else
    u->one_tx = 1;
  return rc;
}

static int prepare(fouille__upd *u) {
  if (sqlite3_exec(u->db, "CREATE TEMP TABLE IF NOT EXISTS fouille_seen(id INTEGER PRIMARY KEY)",
                   NULL, NULL, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "preparing");
  for (int i = 0; i < FOUILLE__S_COUNT; i++)
    if (sqlite3_prepare_v3(u->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &u->st[i], NULL))
      return fouille__update_fail(u, "preparing");
  return FOUILLE_OK;
}

/* Calls the progress callback; non-zero when it asks to stop. */
static int progress(fouille__upd *u) {
  u->prog.elapsed_seconds = elapsed(u);
  return u->o->progress && u->o->progress(&u->prog, u->o->payload);
}

static int run_files(fouille__upd *u, const fouille__scan *scan, int *aborted) {
  int rc = u->o->dry_run || u->one_tx ? FOUILLE_OK : tx_begin(u);
  for (size_t i = 0; i < scan->n && rc == FOUILLE_OK; i++) {
    rc = u->o->dry_run ? dry_file(u, &scan->files[i]) : index_file(u, &scan->files[i]);
    if (!rc && !u->o->dry_run) rc = fouille__update_tx_roll(u);
    u->prog.files_seen++;
    if (!rc && progress(u)) *aborted = 1;
    if (*aborted) break;
  }
  if (!rc && !*aborted && !u->o->no_delete) rc = delete_gone(u, scan);
  if (!rc && !*aborted && !u->o->dry_run) {
    rc = fouille__schema_exec(u->db, u->ix->path,
                              "INSERT INTO meta(key, value) VALUES('last_run',"
                              " strftime('%Y-%m-%dT%H:%M:%SZ','now')) ON CONFLICT(key)"
                              " DO UPDATE SET value=excluded.value");
  }
  /* A stopped rebuild keeps the old index rather than a partial new one. */
  if (!rc && !u->o->dry_run && !(*aborted && u->one_tx)) rc = tx_commit(u);
  if ((rc || *aborted) && !u->o->dry_run && !sqlite3_get_autocommit(u->db))
    sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  if (!rc && !*aborted && u->one_tx) u->ix->stale = 0;
  return rc;
}

static int update_locked(fouille__upd *u, const char *const *paths, size_t n_paths) {
  fouille__scan scan;
  int rc, aborted = 0;
  const fouille_update_options *o = u->o;
  if ((rc = fouille__scan_roots(&scan, paths, n_paths, o->excludes, o->n_excludes, o->problem,
                                o->payload)))
    return rc;
  u->sum->skipped += scan.problems;
  u->prog.files_total = scan.n;
  /* For this call only: cleared at done, before scan goes out of scope. */
  // cppcheck-suppress autoVariables
  u->scan = &scan;
  if ((o->rebuild || u->ix->stale) && (rc = rebuild(u))) goto done;
  if (u->sum->rebuilt && o->dry_run) {
    for (size_t i = 0; i < scan.n; i++)
      fouille__update_change(u, scan.files[i].key, FOUILLE_FILE_ADDED);
    u->sum->added = scan.n;
    goto done;
  }
  if ((rc = prepare(u)) || (rc = run_files(u, &scan, &aborted))) goto done;
  if (aborted)
    rc = fouille__error(FOUILLE_EABORT, "%s: update stopped", u->ix->path);
  else if (o->optimize && !o->dry_run)
    rc = fouille__index_optimize_locked(u->ix);
done:
  if (rc && !sqlite3_get_autocommit(u->db)) sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  u->scan = NULL;
  fouille__scan_free(&scan);
  return rc;
}

FOUILLE_EXTERN int fouille_index_update(fouille_update_summary *summary, fouille_index *ix,
                                        const char *const *paths, size_t n_paths,
                                        const fouille_update_options *options) {
  fouille_update_options defaults = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille_update_summary local;
  fouille__upd u;
  if (!ix || (n_paths && !paths)) return fouille__error(FOUILLE_EINVAL, "no index or paths");
  if (fouille__update_args_check(options, summary)) return FOUILLE_EINVAL;
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  memset(&u, 0, sizeof u);
  u.ix = ix;
  u.db = ix->wdb;
  u.o = options ? options : &defaults;
  u.sum = summary ? summary : &local;
  memset(u.sum, 0, sizeof *u.sum);
  u.sum->version = FOUILLE_UPDATE_SUMMARY_VERSION;
  u.prog.version = FOUILLE_PROGRESS_VERSION;
  u.batch = u.o->batch_articles ? u.o->batch_articles : 2000;
  clock_gettime(CLOCK_MONOTONIC, &u.t0);
  pthread_mutex_lock(&ix->wlock);
  int rc = update_locked(&u, paths, n_paths);
  pthread_mutex_unlock(&ix->wlock);
  for (int i = 0; i < FOUILLE__S_COUNT; i++) sqlite3_finalize(u.st[i]);
  free(u.path_buf);
  u.sum->seconds = elapsed(&u);
  return rc;
}
