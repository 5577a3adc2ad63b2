/* Private: one update run. update.c runs it (scan, files, gone files,
 * rebuild) and hands each file to update_whole.c or update_jsonl.c, which
 * both write through update_rows.c. Calls go that way only. */
#ifndef FOUILLE_UPDATE_H
#define FOUILLE_UPDATE_H

#include <stdint.h>
#include <time.h>

#include "reader.h"
#include "scan.h"
#include "schema.h"

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
  FOUILLE__S_COUNT
};

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
  char *path_buf; /* holds path */
  size_t path_cap;
  /* the file being indexed */
  const fouille__scan_file *f;
  const char *path; /* its path, to open and in messages */
  int64_t file_id;
  int nth;            /* articles emitted by a whole-file reader */
  uint64_t line_hash; /* hash of the JSON line being read */
  int fatal;          /* database error met inside a reader callback */
  int one_tx;         /* rebuild: the whole run is one transaction */
  int rewrite;        /* a changed whole file: record its articles as seen */
  int fresh;          /* a JSON Lines file new to the index: none of its keys exist */
  fouille__lexicon *lex;
} fouille__upd;

/* A files row as found before indexing the file. */
typedef struct fouille__file_row {
  int exists, ok;
  int64_t id, size, mtime_ns;
  uint64_t hash;
} fouille__file_row;

/* update_rows.c ---------------------------------------------------------------- */

/* Prepares the run's statements and the temporary seen-set table. */
int fouille__update_prepare(fouille__upd *u);
/* BEGIN IMMEDIATE (counters reset) / COMMIT. */
int fouille__update_tx_begin(fouille__upd *u);
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
 * (a FOUILLE__S_ROWS_… one, bound to id). */
int fouille__update_fts_delete(fouille__upd *u, int which, int64_t id);
/* Inserts or updates the files row for key; *id (may be NULL) gets its id. */
int fouille__update_file_put(fouille__upd *u, const char *key, int64_t size, int64_t mtime,
                             uint64_t hash, const char *error, int64_t *id);
/* Records the current file as skipped with msg. */
int fouille__update_file_skipped(fouille__upd *u, const fouille__file_row *row, const char *msg,
                                 int drop_old);
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
/* Writes the counts into the lexicon's rows, before the commit. */
int fouille__lexicon_flush(fouille__lexicon *lex);
/* Words kept in memory between batches (65536; tests lower it). */
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

/* index_write.c: FTS5 'optimize' on the write connection; the caller holds
 * the handle's write lock. */
int fouille__index_optimize_locked(fouille_index *index);

/* options_init.c: FOUILLE_EINVAL, with a message naming the struct, when options
 * or summary (either may be NULL) have an unknown version. */
int fouille__update_args_check(const fouille_update_options *options,
                               const fouille_update_summary *summary);

#endif
