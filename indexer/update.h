/* Private: one update run. update.c runs it (scan, files, rebuild) with
 * update_roots.c (which parts of which roots it walks, recording new
 * roots, gone files) and hands each file to update_whole.c or
 * update_jsonl.c; all of them write through update_rows.c. Calls go that
 * way only. The writer (writer.c) and forget.c write through update_rows.c
 * too. */
#ifndef FOUILLE_UPDATE_H
#define FOUILLE_UPDATE_H

#include <stdint.h>
#include <time.h>

#include "reader.h"
#include "scan.h"
#include "schema.h"
#include "sizes.h"

/* The run's prepared statements (update.c has their SQL). */
enum {
  FOUILLE__S_FILE_GET,
  FOUILLE__S_FILE_UPD,
  FOUILLE__S_FILE_INS,
  FOUILLE__S_FILE_DEL,
  FOUILLE__S_ART_INS,
  FOUILLE__S_ART_GET,
  FOUILLE__S_ART_UPD,
  FOUILLE__S_FTS_INS,
  FOUILLE__S_FTS_DEL,
  FOUILLE__S_ROWS_ONE,
  FOUILLE__S_ROWS_FILE,
  FOUILLE__S_ART_DEL_FILE,
  FOUILLE__S_SEEN_INS,
  FOUILLE__S_SEEN_HAS,
  FOUILLE__S_ROWS_STALE,
  FOUILLE__S_ART_DEL_STALE,
  FOUILLE__S_SEEN_CLEAR,
  FOUILLE__S_FILE_ADOPT,
  FOUILLE__S_ART_DEL_ONE,
  FOUILLE__S_ROOT_DEL,
  FOUILLE__S_LOG_DEL_ID,
  FOUILLE__S_LOG_DEL_KEY,
  FOUILLE__S_LOG_INS,
  FOUILLE__S_COUNT
};

/* A root of the index as a run sees it (fouille_root_kind in kind). */
typedef struct fouille__plan_root {
  int64_t id;   /* roots.id; 0 for a root new in this run until it is recorded */
  int kind;     /* FOUILLE_ROOT_FOLDER, _FILE, _STREAM */
  char *path;   /* absolute path, or a stream's name */
  char *prefix; /* what its keys start with; a file root's whole key */
} fouille__plan_root;

/* A part of a root the run walks: the whole root, a sub-folder or a file. */
typedef struct fouille__target {
  size_t root; /* index in the plan's roots */
  int whole;
  char *walk, *key_base; /* see fouille__scan_root */
  int is_file;
  char **skip; /* paths relative to the root of other roots inside it */
  size_t n_skip;
} fouille__target;

typedef struct fouille__plan {
  fouille__plan_root *roots; /* the recorded ones, then the new ones */
  size_t n_roots, n_known;
  fouille__target *t;
  size_t n;
  int legacy;        /* files indexed before roots were recorded (root_id NULL) */
  uint64_t problems; /* paths that could not be used (counted as skipped) */
} fouille__plan;

/* lexicon.c: the lexicon of written words, kept in step with FTS5. */
typedef struct fouille__lexicon fouille__lexicon;

/* One update run. */
typedef struct fouille__upd {
  fouille_index *ix;
  sqlite3 *db;
  const fouille_update_options *o;
  fouille_update_summary *sum;
  sqlite3_stmt *st[FOUILLE__S_COUNT];
  size_t batch, tx_articles;
  uint64_t tx_bytes;
  fouille_progress prog;
  struct timespec t0;
  const fouille__scan *scan;
  fouille__plan *plan;
  char *path_buf; /* holds path */
  size_t path_cap;
  /* the file being indexed */
  const fouille__scan_file *f;
  const char *path; /* its path, to open and in messages */
  int64_t file_id;
  int64_t root_id;    /* its root's roots.id (0 in a dry run's new root) */
  int nth;            /* articles emitted by a whole-file reader */
  uint64_t line_hash; /* hash of the JSON line being read */
  int fatal;          /* database error met inside a reader callback */
  int one_tx;         /* rebuild: the whole run is one transaction */
  int first_build;    /* an empty index, alone: one transaction, rollback journal */
  int found_empty;    /* first_build, and no article or file when its transaction began */
  int rewrite;        /* a changed whole file: record its articles as seen */
  int fresh;          /* a JSON Lines file new to the index: none of its keys exist */
  int keep_streams;   /* a rebuild saved the stream roots' articles (temp tables) */
  fouille__lexicon *lex;
  fouille__sizes_log *sizes; /* the rows whose packed sizes the transaction changes */
} fouille__upd;

/* A files row as found before indexing the file. */
typedef struct fouille__file_row {
  int exists, ok;
  int64_t id, size, mtime_ns;
  uint64_t hash;
  int64_t root_id; /* 0: indexed before roots were recorded */
} fouille__file_row;

/* update_roots.c ----------------------------------------------------------------- */

/* Which parts of which roots the run walks: the roots holding the paths
 * given (a path inside a root: that part of it; outside every root: a new
 * root, its key prefix chosen), or every root when no path is given or
 * the index is rebuilt. Paths that cannot be used are reported (counted in
 * plan->problems). FOUILLE_ENOTFOUND when there is nothing to walk and no
 * root recorded; FOUILLE_ENOMEM, FOUILLE_EDB. */
int fouille__plan_make(fouille__plan *plan, fouille__upd *u, const char *const *paths,
                       size_t n_paths);
void fouille__plan_free(fouille__plan *plan);
/* Scans the plan's targets (scan root i is target i). */
int fouille__plan_scan(const fouille__plan *plan, fouille__scan *scan,
                       const fouille_update_options *o);
/* Records the run's new roots (in the run's transaction). */
int fouille__plan_record(fouille__upd *u);
/* Deletes the files (and articles) of the walked parts that the scan did
 * not find, and the files indexed before roots were recorded that no root
 * adopted. */
int fouille__plan_delete_gone(fouille__upd *u);
/* Sets last_update of the roots walked. */
int fouille__plan_done(fouille__upd *u);
/* The absolute form of path (cwd prepended, ".", ".." and "//" resolved
 * as text); malloc'd, NULL when out of memory. */
char *fouille__plan_absolute(const char *path);

/* update_rows.c ---------------------------------------------------------------- */

/* Prepares the run's statements and the temporary seen-set table. */
int fouille__update_prepare(fouille__upd *u);
/* BEGIN IMMEDIATE (counters reset) / COMMIT. */
int fouille__update_tx_begin(fouille__upd *u);
/* Whether the index holds no article and no file (0 when it cannot tell). */
int fouille__update_index_empty(fouille__upd *u);
int fouille__update_tx_commit(fouille__upd *u);
/* The files row of key into *r (r->exists 0 when there is none). */
int fouille__update_file_get(fouille__upd *u, const char *key, fouille__file_row *r);
/* Deletes the articles of file file_id (FTS5 first); *n += how many. */
int fouille__update_file_articles_delete(fouille__upd *u, int64_t file_id, uint64_t *n);
/* The seen-set of the current file's rewrite: reset, add, test-and-add;
 * then delete the file's articles not seen. */
int fouille__update_seen_reset(fouille__upd *u);
int fouille__update_seen_add(fouille__upd *u, int64_t id);
int fouille__update_seen_check(fouille__upd *u, int64_t id, int *was_seen);
int fouille__update_stale_delete(fouille__upd *u);
/* Maps the last SQLite error to FOUILLE_EBUSY / FOUILLE_EDB. */
int fouille__update_fail(fouille__upd *u, const char *what);
/* Steps st to the end and resets it. */
int fouille__update_step(fouille__upd *u, sqlite3_stmt *st);
/* Runs statement `which` with one id; adds sqlite3_changes to *changed. */
int fouille__update_run_id(fouille__upd *u, int which, int64_t id, uint64_t *changed);
/* Commits and begins again once the batch (articles or bytes) is full. */
int fouille__update_tx_roll(fouille__upd *u);
/* Reports a problem (warnings counted) / a file's change to the callbacks. */
void fouille__update_problem(fouille__upd *u, const char *path, unsigned long line, const char *msg,
                             int warn);
void fouille__update_change(fouille__upd *u, const char *path, fouille_file_change c);
/* The fouille__warn_cb given to readers (ctx is the run). */
void fouille__update_on_problem(void *ctx, unsigned long line, const char *msg, int warn);
/* Removes from the FTS5 index the articles selected by statement `which`
 * (a FOUILLE__S_ROWS_… one, bound to id); deleting: the rows are about to be
 * deleted (logged as deletions in the change log), not rewritten. */
int fouille__update_fts_delete(fouille__upd *u, int which, int64_t id, int deleting);
/* Gives file id (indexed before roots were recorded) the run's root. */
int fouille__update_file_adopt(fouille__upd *u, int64_t id);
/* Reports that key belongs to a file of another root (root_id); counted as
 * skipped. */
int fouille__update_key_taken(fouille__upd *u, const char *path, const char *key, int64_t root_id,
                              int article);
/* Deletes article row id (FTS5 first); counted in articles_deleted. */
int fouille__update_article_delete(fouille__upd *u, int64_t id);
/* Inserts or updates the files row for key; *id (may be NULL) gets its id. */
int fouille__update_file_put(fouille__upd *u, const char *key, int64_t size, int64_t mtime,
                             uint64_t hash, const char *error, int64_t *id);
/* Records the current file as skipped with msg. */
int fouille__update_file_skipped(fouille__upd *u, const fouille__file_row *row, const char *msg,
                                 int drop_old);
/* 1 (and a message "article too large (…), skipped" in msg) when the
 * article does not fit in a row; 0 when it does. */
int fouille__update_article_too_big(fouille__upd *u, const char *key, const fouille__article *a,
                                    char *msg, size_t size);
/* 1 when the article fits in a row; else 0, reported and counted in
 * articles_skipped. */
int fouille__update_article_fits(fouille__upd *u, const char *key, const fouille__article *a);
/* Inserts the article; *id gets its row id, or 0 when its key exists
 * (nothing written then). */
int fouille__update_article_add(fouille__upd *u, const char *key, const fouille__article *a,
                                uint64_t hash, int64_t *id);
/* Inserts the article, or rewrites in place the row holding its key. */
int fouille__update_article_put(fouille__upd *u, const char *key, const fouille__article *a,
                                uint64_t hash, int64_t *id);

/* lexicon.c ------------------------------------------------------------------- */

/* Starts counting the words of the documents FTS5 reads on db (the
 * tokenizer's tap); with write, first counts every article when an upgrade
 * left the lexicon to be made. FOUILLE_OK, FOUILLE_EDB, FOUILLE_ENOMEM. */
int fouille__lexicon_open(fouille__lexicon **out, sqlite3 *db, const char *path, int write);
/* Stops counting and frees (NULL is allowed); uncommitted counts are lost. */
void fouille__lexicon_free(fouille__lexicon *lex);
/* The next FTS5 statement writes (sign 1) or deletes (-1) one article.
 * NULL lex: nothing. */
int fouille__lexicon_doc(fouille__lexicon *lex, int sign);
/* Drops the counts since the last flush (the transaction was rolled back). */
void fouille__lexicon_discard(fouille__lexicon *lex);
/* Writes the counts into the lexicon's rows, before the commit. */
int fouille__lexicon_flush(fouille__lexicon *lex);
/* The most bytes lex held so far, as of its flushes (0 for NULL): its words
 * and counts, the tap's table, the flush's buffers (fouille_update_summary's
 * lexicon_bytes). */
size_t fouille__lexicon_peak(const fouille__lexicon *lex);
/* Words kept in memory before they are flushed and forgotten (120,000;
 * tests lower it). */
extern size_t fouille__lexicon_keep_words;

/* update_whole.c: indexes the current whole-file article file. */
int fouille__update_whole(fouille__upd *u, const fouille__file_row *row);

/* update_jsonl.c: hashes a file by streaming it (*bytes += its size);
 * -1 with a message in err when it cannot be read. */
int fouille__update_hash_file(const char *path, uint64_t *h, uint64_t *bytes, char *err,
                              size_t errsz);
/* Indexes the current JSON Lines file: only changed lines are rewritten,
 * vanished ids deleted, duplicates warned about. */
int fouille__update_jsonl(fouille__upd *u, const fouille__file_row *row);

/* The change log (changes.c tells its rules), written in the run's
 * transaction by update_rows.c: each call gives the key a new sequence
 * number and drops its older entry. Article id (key) was added; article id
 * was rewritten in place; article id, whose key is the value key, is
 * being deleted. */
int fouille__changes_log_added(fouille__upd *u, int64_t id, const char *key);
int fouille__changes_log_rewritten(fouille__upd *u, int64_t id);
int fouille__changes_log_deleted(fouille__upd *u, int64_t id, sqlite3_value *key);
/* changes.c: a rebuild, before the schema reset, of an index of the given
 * schema: every live key is logged as deleted (the rebuild's adds then
 * replace the entries of the keys it writes again, so the keys it no
 * longer holds stay deleted). A log of schema 4 is upgraded first. */
int fouille__changes_rebuild(sqlite3 *db, const char *path, int schema);

/* index_write.c: FTS5 'optimize' on the write connection; the caller holds
 * the handle's write lock. */
int fouille__index_optimize_locked(fouille_index *index);

/* options_init.c: FOUILLE_EINVAL, with a message naming the struct, when options
 * or summary (either may be NULL) have an unknown version. */
int fouille__update_args_check(const fouille_update_options *options,
                               const fouille_update_summary *summary);
/* Copies a run's summary into the caller's, as much as its version holds
 * (to->version is kept). */
void fouille__update_summary_copy(fouille_update_summary *to, const fouille_update_summary *from);

#endif
