/* fouille_index_update: bring the index in line with its roots. Plan (which
 * parts of which roots), scan, then per file: stat → unchanged, or read +
 * hash → unchanged, or replace its articles (JSON Lines: per line). Work
 * commits in batches, each file's rows and articles in one transaction, so
 * a killed run leaves a consistent index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "update.h"

static double elapsed(const fouille__upd *u) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - u->t0.tv_sec) + (double)(t.tv_nsec - u->t0.tv_nsec) / 1e9;
}

/* ---- the run ------------------------------------------------------------------------ */

/* Makes f the current file. */
static int set_file(fouille__upd *u, const fouille__scan_file *f) {
  u->f = f;
  u->root_id = u->plan->roots[u->plan->t[f->root].root].id;
  u->path = fouille__scan_path(u->scan, f, &u->path_buf, &u->path_cap);
  return u->path ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory");
}

/* A key is its first root's: a file of another root with that key is
 * reported and skipped. */
static int taken(fouille__upd *u, const fouille__file_row *row) {
  if (!row->exists || !row->root_id || row->root_id == u->root_id) return 0;
  fouille__update_key_taken(u, u->path, u->f->key, row->root_id, 0);
  fouille__update_change(u, u->f->key, FOUILLE_FILE_SKIPPED);
  return 1;
}

static int index_file(fouille__upd *u, const fouille__scan_file *f) {
  fouille__file_row row = {0};
  int rc;
  if ((rc = set_file(u, f))) return rc;
  /* A first build starts with no files row and the scan's keys are unique:
   * there is nothing to look up. */
  if (!u->found_empty && (rc = fouille__update_file_get(u, f->key, &row))) return rc;
  if (taken(u, &row)) return FOUILLE_OK;
  if (row.exists && !row.root_id && (rc = fouille__update_file_adopt(u, row.id))) return rc;
  if (row.exists && row.ok && row.size == (int64_t)f->size && row.mtime_ns == f->mtime_ns) {
    u->sum->unchanged++;
    fouille__update_change(u, f->key, FOUILLE_FILE_UNCHANGED);
    return FOUILLE_OK;
  }
  if (f->format == FOUILLE__FORMAT_JSONL) return fouille__update_jsonl(u, &row);
  return fouille__update_whole(u, &row);
}

static int dry_file(fouille__upd *u, const fouille__scan_file *f) {
  fouille__file_row row;
  char err[512] = "";
  uint64_t h = 0, bytes = 0;
  int rc;
  if ((rc = set_file(u, f))) return rc;
  if ((rc = fouille__update_file_get(u, f->key, &row))) return rc;
  if (taken(u, &row)) return FOUILLE_OK;
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

/* A rebuild keeps the roots, and the stream roots' files and articles
 * (nothing can read them again); their articles are analysed again. */
static const char *const save_sql =
    "CREATE TEMP TABLE fouille_keep_roots AS SELECT * FROM roots;"
    "CREATE TEMP TABLE fouille_keep_files AS SELECT * FROM files"
    " WHERE root_id IN (SELECT id FROM roots WHERE kind='stream');"
    "CREATE TEMP TABLE fouille_keep_articles AS SELECT key, file_id, title, date, source, url,"
    " author, tags, body, hash FROM articles WHERE file_id IN (SELECT id FROM fouille_keep_files);";
static const char *const restore_sql = "INSERT INTO roots SELECT * FROM temp.fouille_keep_roots;"
                                       "INSERT INTO files SELECT * FROM temp.fouille_keep_files;"
                                       "DROP TABLE temp.fouille_keep_roots;"
                                       "DROP TABLE temp.fouille_keep_files;";

static int restore_streams(fouille__upd *u) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, s;
  int64_t id;
  if (sqlite3_prepare_v2(u->db, "SELECT * FROM temp.fouille_keep_articles", -1, &st, NULL))
    return fouille__update_fail(u, "rebuilding");
  while (rc == FOUILLE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *c[9];
    for (int i = 0; i < 9; i++) c[i] = (const char *)sqlite3_column_text(st, i);
    fouille__article a = {.title = c[2],
                          .date = c[3],
                          .source = c[4],
                          .url = c[5],
                          .author = c[6],
                          .tags = c[7],
                          .body = c[8],
                          .body_len = (size_t)sqlite3_column_bytes(st, 8)};
    u->file_id = sqlite3_column_int64(st, 1);
    rc = fouille__update_article_add(u, c[0], &a, (uint64_t)sqlite3_column_int64(st, 9), &id);
  }
  if (rc == FOUILLE_OK && s != SQLITE_DONE) rc = fouille__update_fail(u, "rebuilding");
  sqlite3_finalize(st);
  return rc ? rc
            : fouille__schema_exec(u->db, u->ix->path, "DROP TABLE temp.fouille_keep_articles");
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
  int rc = fouille__update_tx_begin(u);
  u->keep_streams = !ix->stale || ix->stale_schema == FOUILLE_SCHEMA_VERSION; /* has roots */
  if (!rc && u->keep_streams) rc = fouille__schema_exec(u->db, ix->path, save_sql);
  /* Before the reset: the log's live rows name articles by row id. */
  if (!rc) rc = fouille__changes_rebuild(u->db, ix->path, ix->stale_schema);
  if (!rc) rc = fouille__schema_reset(u->db, ix->path);
  if (!rc && u->keep_streams) rc = fouille__schema_exec(u->db, ix->path, restore_sql);
  if (rc)
    sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  else
    u->one_tx = 1;
  return rc;
}

/* Calls the progress callback; non-zero when it asks to stop. */
static int progress(fouille__upd *u) {
  u->prog.elapsed_seconds = elapsed(u);
  return u->o->progress && u->o->progress(&u->prog, u->o->payload);
}

static int run_files(fouille__upd *u, const fouille__scan *scan, int *aborted) {
  int rc = u->o->dry_run || u->one_tx ? FOUILLE_OK : fouille__update_tx_begin(u);
  if (!rc && !u->o->dry_run) rc = fouille__plan_record(u);
  if (!rc && u->keep_streams) rc = restore_streams(u);
  for (size_t i = 0; i < scan->n && rc == FOUILLE_OK; i++) {
    rc = u->o->dry_run ? dry_file(u, &scan->files[i]) : index_file(u, &scan->files[i]);
    if (!rc && !u->o->dry_run) rc = fouille__update_tx_roll(u);
    u->prog.files_seen++;
    if (!rc && progress(u)) *aborted = 1;
    if (*aborted) break;
  }
  if (!rc && !*aborted && !u->o->no_delete) rc = fouille__plan_delete_gone(u);
  if (!rc && !*aborted && !u->o->dry_run) rc = fouille__plan_done(u);
  if (!rc && !*aborted && !u->o->dry_run) {
    rc = fouille__schema_exec(u->db, u->ix->path,
                              "INSERT INTO meta(key, value) VALUES('last_run',"
                              " strftime('%Y-%m-%dT%H:%M:%SZ','now')) ON CONFLICT(key)"
                              " DO UPDATE SET value=excluded.value");
  }
  /* A stopped rebuild keeps the old index rather than a partial new one. */
  if (!rc && !u->o->dry_run && !(*aborted && u->one_tx)) rc = fouille__update_tx_commit(u);
  if ((rc || *aborted) && !u->o->dry_run && !sqlite3_get_autocommit(u->db))
    sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  if (!rc && !*aborted && u->one_tx) u->ix->stale = 0;
  return rc;
}

/* The first build of an empty index runs as one transaction in the
 * rollback journal: WAL would write every page twice (the log, then the
 * checkpoint) and commit in batches, for readers who have nothing to read
 * yet. SQLite leaves WAL only when no other connection has the database
 * open, which is the guarantee that no reader is there; one arriving later
 * waits (busy timeout) until the commit. A killed first build leaves a hot
 * journal, which the next connection rolls back: the index is empty again,
 * never half-written. A stopped one (progress callback) commits its files,
 * like any update. */
static void first_build_enter(fouille__upd *u) {
  sqlite3_stmt *st = NULL;
  if (!fouille__update_index_empty(u) || !sqlite3_get_autocommit(u->db)) return;
  if (sqlite3_prepare_v2(u->db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    u->first_build = strcmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
  sqlite3_finalize(st);
}

/* Back to WAL once the first build committed (or failed and rolled back). */
static int first_build_leave(fouille__upd *u, int rc) {
  if (!u->first_build) return rc;
  u->first_build = 0;
  if (!sqlite3_get_autocommit(u->db)) sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  int wal = fouille__schema_exec(u->db, u->ix->path, "PRAGMA journal_mode=WAL");
  return rc ? rc : wal;
}

static int update_locked(fouille__upd *u, const char *const *paths, size_t n_paths) {
  fouille__scan scan;
  fouille__plan plan;
  int rc, aborted = 0;
  const fouille_update_options *o = u->o;
  memset(&scan, 0, sizeof scan);
  if ((rc = fouille__plan_make(&plan, u, paths, n_paths)) ||
      (rc = fouille__plan_scan(&plan, &scan, o)))
    goto done;
  u->sum->skipped += plan.problems + scan.problems;
  u->prog.files_total = scan.n;
  /* For this call only: cleared at done, before they go out of scope. */
  // cppcheck-suppress autoVariables
  u->scan = &scan;
  // cppcheck-suppress autoVariables
  u->plan = &plan;
  if ((o->rebuild || u->ix->stale) && (rc = rebuild(u))) goto done;
  if (u->sum->rebuilt && o->dry_run) {
    for (size_t i = 0; i < scan.n; i++)
      fouille__update_change(u, scan.files[i].key, FOUILLE_FILE_ADDED);
    u->sum->added = scan.n;
    goto done;
  }
  if (!o->dry_run && !u->one_tx) first_build_enter(u);
  if ((rc = fouille__update_prepare(u)) || (rc = run_files(u, &scan, &aborted))) goto done;
  if (aborted)
    rc = fouille__error(FOUILLE_EABORT, "%s: update stopped", u->ix->path);
  else if (o->optimize && !o->dry_run)
    rc = fouille__index_optimize_locked(u->ix);
done:
  if (rc && !sqlite3_get_autocommit(u->db)) sqlite3_exec(u->db, "ROLLBACK", NULL, NULL, NULL);
  rc = first_build_leave(u, rc);
  u->scan = NULL;
  u->plan = NULL;
  fouille__scan_free(&scan);
  fouille__plan_free(&plan);
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
  u.sum = &local; /* the caller's may be a shorter, older version */
  memset(u.sum, 0, sizeof *u.sum);
  u.sum->version = FOUILLE_UPDATE_SUMMARY_VERSION;
  u.prog.version = FOUILLE_PROGRESS_VERSION;
  u.batch = u.o->batch_articles ? u.o->batch_articles : 2000;
  clock_gettime(CLOCK_MONOTONIC, &u.t0);
  pthread_mutex_lock(&ix->wlock);
  int rc = update_locked(&u, paths, n_paths);
  fouille__sizes_log_free(u.sizes); /* the write connection's hook, while it is ours */
  pthread_mutex_unlock(&ix->wlock);
  for (int i = 0; i < FOUILLE__S_COUNT; i++) sqlite3_finalize(u.st[i]);
  u.sum->lexicon_bytes = fouille__lexicon_peak(u.lex);
  fouille__lexicon_free(u.lex);
  free(u.path_buf);
  u.sum->seconds = elapsed(&u);
  if (summary) fouille__update_summary_copy(summary, u.sum);
  return rc;
}
