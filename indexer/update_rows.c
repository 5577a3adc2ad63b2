/* The row-level writes of an update run, shared by whole files and JSON
 * Lines: prepared statements, transactions and batches, files rows, article
 * inserts and in-place rewrites kept in step with FTS5, the seen-set of a
 * file's rewrite and the deletion of its stale articles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "update.h"

#define TX_BYTES (32u << 20)

/* No statement here may need a statement journal (INSERT … SELECT, upserts,
 * RETURNING): in SQLite 3.40 each one makes FTS5 flush its pending terms to
 * a new segment (xSavepoint), which slowed full builds by half. */
static const char *const stmt_sql[FOUILLE__S_COUNT] = {
    "SELECT id, size, mtime_ns, hash, status, root_id FROM files WHERE path=?1",
    "UPDATE files SET size=?2, mtime_ns=?3, hash=?4, status=?5, error=?6, root_id=?7"
    " WHERE path=?1",
    "INSERT INTO files(path, size, mtime_ns, hash, status, error, root_id)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7)",
    "DELETE FROM files WHERE id=?1",
    "INSERT INTO articles(key, file_id, title, date, source, url, author, tags, body, hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    "SELECT a.id, a.hash, a.file_id, f.root_id FROM articles a LEFT JOIN files f"
    " ON f.id=a.file_id WHERE a.key=?1",
    "UPDATE articles SET file_id=?2, title=?3, date=?4, source=?5, url=?6, author=?7, tags=?8,"
    " body=?9, hash=?10 WHERE key=?1",
    "INSERT INTO articles_fts(rowid, title, body) VALUES(?1, ?2, ?3)",
    "INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES('delete', ?1, ?2, ?3)",
    "SELECT id, title, body, key FROM articles WHERE id=?1",
    "SELECT id, title, body, key FROM articles WHERE file_id=?1",
    "DELETE FROM articles WHERE file_id=?1",
    "INSERT OR IGNORE INTO temp.fouille_seen(id) VALUES(?1)",
    "SELECT 1 FROM temp.fouille_seen WHERE id=?1",
    "SELECT id, title, body, key FROM articles WHERE file_id=?1"
    " AND id NOT IN (SELECT id FROM temp.fouille_seen)",
    "DELETE FROM articles WHERE file_id=?1 AND id NOT IN (SELECT id FROM temp.fouille_seen)",
    "DELETE FROM temp.fouille_seen", "UPDATE files SET root_id=?2 WHERE id=?1",
    "DELETE FROM articles WHERE id=?1", "DELETE FROM roots WHERE id=?1",
    /* the change log (changes.c): one row per key, a new number per change */
    "DELETE FROM changes WHERE id=?1", "DELETE FROM changes WHERE key=?1",
    "INSERT INTO changes(id, key) VALUES(?1, ?2)"};

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

int fouille__update_index_empty(fouille__upd *u) {
  sqlite3_stmt *st = NULL;
  int empty = 0;
  if (sqlite3_prepare_v2(u->db,
                         "SELECT NOT EXISTS(SELECT 1 FROM articles)"
                         " AND NOT EXISTS(SELECT 1 FROM files)",
                         -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    empty = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return empty;
}

int fouille__update_tx_begin(fouille__upd *u) {
  if (sqlite3_exec(u->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "starting a transaction");
  /* Checked again under the write lock: another writer may have come and
   * gone since first_build_enter looked. Skipping the files lookups and the
   * search for vanished files is only right on an index empty now. */
  u->found_empty = u->first_build && fouille__update_index_empty(u);
  fouille__sizes_begin(u->sizes);
  u->tx_articles = 0;
  u->tx_bytes = 0;
  return FOUILLE_OK;
}

/* Before the commit of a first build or rebuild, the one transaction that
 * wrote the whole index: the free pages its FTS5 merges left (and a
 * rebuild's old tables) are cut off the end of the file. The savepoint
 * makes FTS5 flush its pending terms first (xSavepoint), so that the merges
 * that flush starts are done before. An index made before auto-vacuum was
 * set (which only a VACUUM could change) ignores the pragma. */
static int free_pages_trim(fouille__upd *u) {
  if (!u->first_build && !u->one_tx) return FOUILLE_OK;
  return fouille__schema_exec(u->db, u->ix->path,
                              "SAVEPOINT fouille_flush; RELEASE fouille_flush;"
                              " PRAGMA incremental_vacuum");
}

int fouille__update_tx_commit(fouille__upd *u) {
  int rc = fouille__lexicon_flush(u->lex);
  if (!rc) rc = fouille__sizes_commit(u->sizes);
  if (!rc) rc = free_pages_trim(u);
  if (rc) return rc;
  if (sqlite3_exec(u->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "committing");
  return FOUILLE_OK;
}

/* Commits and starts a new transaction once the batch is full. */
int fouille__update_tx_roll(fouille__upd *u) {
  if (u->one_tx || u->first_build) return FOUILLE_OK;
  if (u->tx_articles < u->batch && u->tx_bytes < TX_BYTES) return FOUILLE_OK;
  int rc = fouille__update_tx_commit(u);
  return rc ? rc : fouille__update_tx_begin(u);
}

int fouille__update_file_get(fouille__upd *u, const char *key, fouille__file_row *r) {
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
    r->root_id = sqlite3_column_int64(st, 5);
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
    if (u->root_id)
      sqlite3_bind_int64(st, 7, u->root_id);
    else
      sqlite3_bind_null(st, 7);
    if ((rc = fouille__update_step(u, st))) break;
    if (which == FOUILLE__S_FILE_INS && id) *id = sqlite3_last_insert_rowid(u->db);
    if (which == FOUILLE__S_FILE_UPD && sqlite3_changes(u->db) > 0) break; /* it existed */
  }
  return rc;
}

int fouille__update_file_adopt(fouille__upd *u, int64_t id) {
  sqlite3_stmt *st = u->st[FOUILLE__S_FILE_ADOPT];
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, u->root_id);
  return fouille__update_step(u, st);
}

int fouille__update_key_taken(fouille__upd *u, const char *path, const char *key, int64_t root_id,
                              int article) {
  sqlite3_stmt *st = NULL;
  char msg[700];
  const char *root = NULL;
  if (sqlite3_prepare_v2(u->db, "SELECT path FROM roots WHERE id=?1", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, root_id);
    if (sqlite3_step(st) == SQLITE_ROW) root = (const char *)sqlite3_column_text(st, 0);
  }
  snprintf(msg, sizeof msg, "key '%.200s' already belongs to root %.400s: skipped", key,
           root ? root : "?");
  sqlite3_finalize(st);
  fouille__update_problem(u, path, 0, msg, 0);
  *(article ? &u->sum->articles_skipped : &u->sum->skipped) += 1;
  return FOUILLE_OK;
}

int fouille__update_fts_delete(fouille__upd *u, int which, int64_t id, int deleting) {
  sqlite3_stmt *sel = u->st[which], *del = u->st[FOUILLE__S_FTS_DEL];
  int rc = FOUILLE_OK, s;
  sqlite3_bind_int64(sel, 1, id);
  while (rc == FOUILLE_OK && (s = sqlite3_step(sel)) == SQLITE_ROW) {
    for (int k = 0; k < 3; k++) sqlite3_bind_value(del, k + 1, sqlite3_column_value(sel, k));
    if (!(rc = fouille__lexicon_doc(u->lex, -1))) rc = fouille__update_step(u, del);
    if (!rc && deleting)
      rc = fouille__changes_log_deleted(u, sqlite3_column_int64(sel, 0),
                                        sqlite3_column_value(sel, 3));
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

int fouille__update_file_articles_delete(fouille__upd *u, int64_t file_id, uint64_t *n) {
  int rc = fouille__update_fts_delete(u, FOUILLE__S_ROWS_FILE, file_id, 1);
  return rc ? rc : fouille__update_run_id(u, FOUILLE__S_ART_DEL_FILE, file_id, n);
}

/* The change log (changes.c tells its rules): del (bound) drops the key's
 * old row, the new one (id, or else key) is numbered above every number
 * given so far. */
static int log_replace(fouille__upd *u, sqlite3_stmt *del, int64_t id, sqlite3_value *key) {
  sqlite3_stmt *ins = u->st[FOUILLE__S_LOG_INS];
  int rc = fouille__update_step(u, del);
  if (rc) return rc;
  if (id)
    sqlite3_bind_int64(ins, 1, id);
  else
    sqlite3_bind_null(ins, 1);
  if (key)
    sqlite3_bind_value(ins, 2, key);
  else
    sqlite3_bind_null(ins, 2);
  return fouille__update_step(u, ins);
}

/* A new article's key may have been deleted before: that entry goes. */
int fouille__changes_log_added(fouille__upd *u, int64_t id, const char *key) {
  sqlite3_stmt *del = u->st[FOUILLE__S_LOG_DEL_KEY];
  sqlite3_bind_text(del, 1, key, -1, SQLITE_STATIC);
  return log_replace(u, del, id, NULL);
}

int fouille__changes_log_rewritten(fouille__upd *u, int64_t id) {
  sqlite3_bind_int64(u->st[FOUILLE__S_LOG_DEL_ID], 1, id);
  return log_replace(u, u->st[FOUILLE__S_LOG_DEL_ID], id, NULL);
}

int fouille__changes_log_deleted(fouille__upd *u, int64_t id, sqlite3_value *key) {
  sqlite3_bind_int64(u->st[FOUILLE__S_LOG_DEL_ID], 1, id);
  return log_replace(u, u->st[FOUILLE__S_LOG_DEL_ID], 0, key);
}

static void bind_article(sqlite3_stmt *st, const char *key, int64_t file_id,
                         const fouille__article *a, uint64_t hash) {
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, file_id);
  const char *f[6] = {a->title, a->date, a->source, a->url, a->author, a->tags};
  for (int i = 0; i < 6; i++) sqlite3_bind_text(st, 3 + i, f[i], -1, SQLITE_STATIC);
  sqlite3_bind_text64(st, 9, a->body ? a->body : "", a->body_len, SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_int64(st, 10, (sqlite3_int64)hash);
}

static int fts_insert(fouille__upd *u, int64_t id, const fouille__article *a) {
  sqlite3_stmt *st = u->st[FOUILLE__S_FTS_INS];
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, a->title, -1, SQLITE_STATIC);
  sqlite3_bind_text64(st, 3, a->body ? a->body : "", a->body_len, SQLITE_STATIC, SQLITE_UTF8);
  int rc = fouille__lexicon_doc(u->lex, 1);
  return rc ? rc : fouille__update_step(u, st);
}

/* An article must fit in one row (SQLITE_LIMIT_LENGTH: 1 GB by default). */
int fouille__update_article_too_big(fouille__upd *u, const char *key, const fouille__article *a,
                                    char *msg, size_t size) {
  uint64_t limit = (uint64_t)sqlite3_limit(u->db, SQLITE_LIMIT_LENGTH, -1);
  uint64_t n = (uint64_t)a->body_len + strlen(key) + 256; /* 256: the numbers, the row header */
  const char *f[6] = {a->title, a->date, a->source, a->url, a->author, a->tags};
  for (int i = 0; i < 6; i++) n += f[i] ? strlen(f[i]) : 0;
  if (n <= limit) return 0;
  snprintf(msg, size, "article too large (%llu MB, SQLite's limit is %llu MB), skipped",
           (unsigned long long)(n >> 20), (unsigned long long)(limit >> 20));
  if (limit < (1u << 20))
    snprintf(msg, size, "article too large (%llu bytes, SQLite's limit is %llu), skipped",
             (unsigned long long)n, (unsigned long long)limit);
  return 1;
}

/* A larger one is reported and skipped, the run goes on. */
int fouille__update_article_fits(fouille__upd *u, const char *key, const fouille__article *a) {
  char msg[200];
  if (!fouille__update_article_too_big(u, key, a, msg, sizeof msg)) return 1;
  fouille__update_problem(u, u->path, a->line, msg, 0);
  u->sum->articles_skipped++;
  return 0;
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
  if ((rc = fouille__changes_log_added(u, *id, key))) return rc;
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
  int64_t owner = sqlite3_column_int64(get, 3);
  sqlite3_reset(get);
  if (rc != SQLITE_ROW) return fouille__update_fail(u, "reading articles");
  if (owner && owner != u->root_id) /* a key is its first root's */
    return *id = 0, fouille__update_key_taken(u, u->path, key, owner, 1);
  if ((rc = fouille__update_fts_delete(u, FOUILLE__S_ROWS_ONE, *id, 0))) return rc;
  bind_article(u->st[FOUILLE__S_ART_UPD], key, u->file_id, a, hash);
  if ((rc = fouille__update_step(u, u->st[FOUILLE__S_ART_UPD]))) return rc;
  if ((rc = fouille__changes_log_rewritten(u, *id))) return rc;
  u->sum->articles_updated++;
  return article_done(u, *id, a);
}

int fouille__update_article_delete(fouille__upd *u, int64_t id) {
  int rc = fouille__update_fts_delete(u, FOUILLE__S_ROWS_ONE, id, 1);
  if (!rc) rc = fouille__update_run_id(u, FOUILLE__S_ART_DEL_ONE, id, &u->sum->articles_deleted);
  if (!rc) u->tx_articles++;
  return rc;
}

void fouille__update_on_problem(void *ctx, unsigned long line, const char *msg, int warn) {
  fouille__upd *u = ctx;
  fouille__update_problem(u, u->path, line, msg, warn);
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
  if (drop_old && row->exists && (rc = fouille__update_file_articles_delete(u, row->id, &n)))
    return rc;
  u->sum->articles_deleted += n;
  return fouille__update_file_put(u, u->f->key, -1, -1, 0, msg, NULL);
}

int fouille__update_prepare(fouille__upd *u) {
  if (sqlite3_exec(u->db, "CREATE TEMP TABLE IF NOT EXISTS fouille_seen(id INTEGER PRIMARY KEY)",
                   NULL, NULL, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "preparing");
  for (int i = 0; i < FOUILLE__S_COUNT; i++)
    if (sqlite3_prepare_v3(u->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &u->st[i], NULL))
      return fouille__update_fail(u, "preparing");
  int rc = fouille__sizes_log_open(&u->sizes, u->db, u->ix->path);
  return rc ? rc : fouille__lexicon_open(&u->lex, u->db, u->ix->path, !u->o->dry_run);
}

/* ---- the seen-set and stale rows, shared by whole files and JSON Lines --------- */

/* Starts a file's rewrite: no article of it seen yet. */
int fouille__update_seen_reset(fouille__upd *u) {
  return fouille__update_step(u, u->st[FOUILLE__S_SEEN_CLEAR]);
}

/* Marks article row id as seen in the current file. */
int fouille__update_seen_add(fouille__upd *u, int64_t id) {
  return fouille__update_run_id(u, FOUILLE__S_SEEN_INS, id, NULL);
}

/* *was_seen tells whether id was seen already; marks it seen if not. */
int fouille__update_seen_check(fouille__upd *u, int64_t id, int *was_seen) {
  sqlite3_stmt *st = u->st[FOUILLE__S_SEEN_HAS];
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  *was_seen = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fouille__update_fail(u, "reading");
  return *was_seen ? FOUILLE_OK : fouille__update_seen_add(u, id);
}

/* Deletes the current file's articles that were not seen in this rewrite. */
int fouille__update_stale_delete(fouille__upd *u) {
  int rc = fouille__update_fts_delete(u, FOUILLE__S_ROWS_STALE, u->file_id, 1);
  return rc ? rc
            : fouille__update_run_id(u, FOUILLE__S_ART_DEL_STALE, u->file_id,
                                     &u->sum->articles_deleted);
}
