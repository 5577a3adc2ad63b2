/* A Fouille index: one SQLite database holding the articles of an archive
 * and their FTS5 index. Open it, bring it up to date with the archive,
 * inspect it. Searching is in fouille/query.h. */
#ifndef FOUILLE_INDEX_H
#define FOUILLE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "fouille/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema version stored in the database (meta table). */
#define FOUILLE_SCHEMA_VERSION 5

typedef struct fouille_index fouille_index;

/* ---- Opening ---------------------------------------------------------- */

typedef struct fouille_index_options {
  int version;         /* FOUILLE_INDEX_OPTIONS_VERSION */
  int read_only;       /* open for searching only; never creates the file */
  int busy_timeout_ms; /* how long to wait for another writer (default 5000) */
  int read_pool_size;  /* read connections kept for concurrent searches (default 4) */
} fouille_index_options;

#define FOUILLE_INDEX_OPTIONS_VERSION 1
#define FOUILLE_INDEX_OPTIONS_INIT                                                                 \
  { FOUILLE_INDEX_OPTIONS_VERSION, 0, 5000, 4 }

/* Fills *opts with the defaults (FOUILLE_INDEX_OPTIONS_INIT) of the given
 * version (FOUILLE_INDEX_OPTIONS_VERSION). FOUILLE_OK, or FOUILLE_EINVAL
 * (NULL opts, unknown version). */
FOUILLE_EXTERN int fouille_index_options_init(fouille_index_options *opts, unsigned int version);

/* Opens (and, unless read_only, creates) the index at path. NULL options
 * mean defaults. On success *out is a handle the caller owns, to close with
 * fouille_index_close; on failure *out is NULL. Errors: FOUILLE_EINVAL (no
 * out or path, unknown options version), FOUILLE_ENOMEM, FOUILLE_ENOTFOUND
 * (read_only and no file), FOUILLE_EDB (not a Fouille database, corrupt,
 * unreadable), FOUILLE_EBUSY (another process holds the database past
 * busy_timeout_ms), FOUILLE_EVERSION (read_only and built by another
 * analyzer/schema version; a writable open accepts it and the next update
 * rebuilds it).
 *
 * Threads: searches (fouille_search) may run concurrently from several
 * threads on one handle; each borrows a read connection from the handle's
 * pool. Updates, deletes and optimize are serialised on the handle's one
 * write connection; searches keep working while they run (WAL mode) and see
 * each committed batch. fouille_index_close must not race any other call. */
FOUILLE_EXTERN int fouille_index_open(fouille_index **out, const char *path,
                                      const fouille_index_options *options);

/* Closes the handle; NULL is allowed. Cannot fail. */
FOUILLE_EXTERN void fouille_index_close(fouille_index *index);

/* The database file name given to fouille_index_open (NULL for a NULL
 * index). Owned by the handle: valid until fouille_index_close. */
FOUILLE_EXTERN const char *fouille_index_path(const fouille_index *index);

/* ---- Updating from an archive ----------------------------------------------- */

typedef enum fouille_file_change {
  FOUILLE_FILE_ADDED,
  FOUILLE_FILE_CHANGED,
  FOUILLE_FILE_DELETED,
  FOUILLE_FILE_UNCHANGED,
  FOUILLE_FILE_SKIPPED /* could not be read or parsed; see the error callback */
} fouille_file_change;

/* Progress of a running update, reported after each file. The library
 * sets version (see fouille/common.h). */
typedef struct fouille_progress {
  int version;            /* FOUILLE_PROGRESS_VERSION */
  uint64_t files_seen;    /* files examined so far */
  uint64_t files_total;   /* files found by the scan (0 while scanning) */
  uint64_t articles_done; /* articles written so far */
  uint64_t bytes_read;    /* bytes of article files read so far */
  double elapsed_seconds;
} fouille_progress;

#define FOUILLE_PROGRESS_VERSION 1

/* The callbacks of an update get the options' payload last. Strings and
 * structs they receive belong to the library and are valid during the call
 * only. */

/* Return non-zero to stop the update (it then commits what is done and
 * returns FOUILLE_EABORT). */
typedef int (*fouille_progress_cb)(const fouille_progress *progress, void *payload);

/* Called for each problem with a file or an article: path is the file,
 * line its line number (JSON Lines) or 0, message one line naming the
 * problem, is_warning non-zero when the article still went in (e.g. a date
 * that could not be parsed). */
typedef void (*fouille_problem_cb)(const char *path, unsigned long line, const char *message,
                                   int is_warning, void *payload);

/* Called in dry-run mode (and otherwise, if set) with each file's change. */
typedef void (*fouille_change_cb)(const char *path, fouille_file_change change, void *payload);

typedef struct fouille_update_options {
  int version;                 /* FOUILLE_UPDATE_OPTIONS_VERSION */
  int rebuild;                 /* forget everything and index from scratch */
  int dry_run;                 /* only report what would change */
  int no_delete;               /* keep articles whose files vanished */
  int optimize;                /* FTS5 'optimize' after the run */
  const char *const *excludes; /* glob patterns (fnmatch) on paths relative to a root, or names */
  size_t n_excludes;
  size_t batch_articles;   /* articles per transaction (default 2000) */
  uint64_t max_file_bytes; /* larger files are skipped (default 64 MiB; JSON Lines are streamed and
                              exempt) */
  fouille_progress_cb progress;
  fouille_problem_cb problem;
  fouille_change_cb change;
  void *payload; /* passed to the callbacks, last */
} fouille_update_options;

#define FOUILLE_UPDATE_OPTIONS_VERSION 1
#define FOUILLE_UPDATE_OPTIONS_INIT                                                                \
  { FOUILLE_UPDATE_OPTIONS_VERSION, 0, 0, 0, 0, NULL, 0, 0, 0, NULL, NULL, NULL, NULL }

/* Fills *opts with the defaults (FOUILLE_UPDATE_OPTIONS_INIT) of the given
 * version (FOUILLE_UPDATE_OPTIONS_VERSION). FOUILLE_OK, or FOUILLE_EINVAL
 * (NULL opts, unknown version). */
FOUILLE_EXTERN int fouille_update_options_init(fouille_update_options *opts, unsigned int version);

/* What an update did, counted in files (articles in the articles_* fields).
 * The caller sets version (FOUILLE_UPDATE_SUMMARY_INIT); the library fills
 * the rest. */
typedef struct fouille_update_summary {
  int version;                                          /* FOUILLE_UPDATE_SUMMARY_VERSION */
  uint64_t added, changed, deleted, unchanged, skipped; /* files */
  uint64_t articles_added, articles_updated, articles_deleted;
  uint64_t warnings;
  uint64_t bytes_read;
  double seconds;
  int rebuilt; /* 1 if the index was rebuilt (asked, or another analyzer/schema version) */
  /* Version 2: articles not indexed while their file went in (a malformed
   * JSON Lines line, an article over SQLite's size limit, a key that
   * belongs to another root); each was reported through options->problem. */
  uint64_t articles_skipped;
  /* Version 3: the most memory the run held for the lexicon's upkeep, in
   * bytes (the words seen and their counts, the tokenizer's table of them,
   * and the buffers of a flush into the lexicon's rows); 0 when it wrote
   * no article. The run flushes and forgets its words past a fixed budget
   * (120,000 words), which bounds it. */
  uint64_t lexicon_bytes;
} fouille_update_summary;

/* Versions 1 (without articles_skipped) and 2 (without lexicon_bytes) are
 * still accepted from callers. */
#define FOUILLE_UPDATE_SUMMARY_VERSION 3
#define FOUILLE_UPDATE_SUMMARY_INIT                                                                \
  { FOUILLE_UPDATE_SUMMARY_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 0, 0 }

/* Brings the index up to date with the files under paths (files or folders,
 * walked recursively; symlinks followed once, loops detected). The index
 * records the roots it is given: a path outside every recorded root is a
 * new root; a path inside a recorded folder root updates that part of it
 * only (keys stay relative to the root, and only files under that path
 * can be deleted); no paths (n_paths 0) update every recorded folder and
 * file root. A rebuild (asked, or after an analyzer or schema change)
 * reads every root again, and keeps the stream roots' articles, analysed
 * again. A recorded root that cannot be read is reported and its articles
 * kept. A file whose
 * size and mtime match what is recorded costs a stat, one whose content hash
 * matches costs a read; otherwise its articles are replaced. Articles of
 * files that vanished under the parts walked are deleted (unless
 * no_delete).
 * Work is committed in batches: a killed run leaves a consistent index that
 * the next run completes. Files that cannot be read or parsed are reported
 * through options->problem, recorded, and skipped; the run goes on.
 * summary (the caller's, may be NULL) must have its version set; once the
 * arguments are checked it is filled, even when the run fails. NULL
 * options mean defaults. Returns FOUILLE_OK even when
 * files were skipped (check summary->skipped); FOUILLE_EINVAL (no index,
 * NULL paths with n_paths > 0, index opened read-only, unknown options or
 * summary version); FOUILLE_ENOMEM; FOUILLE_EABORT when the progress
 * callback stopped it (what was done is committed); FOUILLE_ENOTFOUND
 * when n_paths is 0 and the index has no root recorded; FOUILLE_EBUSY if
 * another writer holds the database past busy_timeout_ms; FOUILLE_EDB or
 * FOUILLE_EIO when the run itself failed (disk full…: the last committed
 * state stays usable). */
FOUILLE_EXTERN int fouille_index_update(fouille_update_summary *summary, fouille_index *index,
                                        const char *const *paths, size_t n_paths,
                                        const fouille_update_options *options);

/* ---- Roots ------------------------------------------------------------------------ */

/* What an index was given, each recorded once (see docs/formats.md for the
 * keys): a folder, a file, or a named stream of articles written by a
 * program (fouille_writer_open). */
typedef enum fouille_root_kind {
  FOUILLE_ROOT_FOLDER = 0,
  FOUILLE_ROOT_FILE = 1,
  FOUILLE_ROOT_STREAM = 2
} fouille_root_kind;

/* A root as listed by fouille_index_roots. The library sets version (see
 * fouille/common.h). Strings belong to the list. */
typedef struct fouille_root {
  int version; /* FOUILLE_ROOT_VERSION */
  fouille_root_kind kind;
  const char *path;        /* a folder's or file's absolute path; a stream's name */
  const char *prefix;      /* a folder's key prefix ("" or "name:"); a file's key; "" */
  uint64_t files;          /* files indexed (0 for a stream) */
  uint64_t articles;       /* articles */
  const char *created;     /* ISO 8601 UTC: when it was recorded */
  const char *last_update; /* ISO 8601 UTC of its last completed update or commit, or "" */
} fouille_root;

#define FOUILLE_ROOT_VERSION 1

typedef struct fouille_roots fouille_roots;

/* Lists the index's roots, in the order they were recorded, into *out: a
 * new object the caller owns and frees with fouille_roots_free (NULL on
 * failure). Files indexed before roots were recorded (an index made by
 * schema 1) belong to no root until the next update given paths. Errors:
 * FOUILLE_EINVAL (no out or index), FOUILLE_ENOMEM, FOUILLE_EBUSY,
 * FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_roots(fouille_roots **out, fouille_index *index);

/* The number of roots in the list (0 for NULL). Cannot fail. */
FOUILLE_EXTERN size_t fouille_roots_count(const fouille_roots *roots);

/* The i-th root, or NULL when i is out of range. Owned by the list. */
FOUILLE_EXTERN const fouille_root *fouille_roots_get(const fouille_roots *roots, size_t i);

/* Frees a list from fouille_index_roots; NULL is allowed. Cannot fail. */
FOUILLE_EXTERN void fouille_roots_free(fouille_roots *roots);

/* Removes a root and all its files and articles, in one transaction
 * (readers see all of it or none of it). root is a folder's or file's path
 * as recorded (a relative path is made absolute against the current
 * folder) or a stream's name. With options->dry_run nothing changes; in
 * both cases options->change gets each file (FOUILLE_FILE_DELETED) and
 * summary (its version set, may be NULL) counts them (deleted,
 * articles_deleted). NULL options mean defaults (only dry_run, change and
 * payload are used). Errors: FOUILLE_EINVAL (no index or root, index
 * opened read-only, unknown options or summary version),
 * FOUILLE_ENOTFOUND (no such root), FOUILLE_ENOMEM, FOUILLE_EBUSY,
 * FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_forget(fouille_update_summary *summary, fouille_index *index,
                                        const char *root, const fouille_update_options *options);

/* ---- Writing articles from a program ----------------------------------------------- */

/* A writer puts and deletes articles held by a program (not files) into a
 * stream root of the index, under keys of the program's choosing, with the
 * guarantees of file indexing: changes are committed in batches (every
 * batch_articles changes, or commit_ms after the first uncommitted one,
 * whichever comes first, and on fouille_writer_commit / _close); a killed
 * program loses at most its uncommitted changes, never leaves half an
 * article; searches see each committed batch, whole articles only.
 * A writer has its own write connection: uncommitted changes hold the
 * index's write lock (other writers and updates wait, up to
 * busy_timeout_ms), so commit before pausing. Use a writer from one
 * thread at a time; close it before its index. A rebuild keeps a stream
 * root's articles (analysed again); fouille_index_forget removes them. */
typedef struct fouille_writer fouille_writer;

/* An article to put. Strings are NUL-terminated UTF-8, NULL when absent,
 * read during the call only. The caller sets version. */
typedef struct fouille_article_data {
  int version;       /* FOUILLE_ARTICLE_DATA_VERSION */
  const char *title; /* indexed */
  const char *body;  /* indexed; required */
  const char *date;  /* as the readers take it (ISO 8601, RFC 2822, "12 mars 2024"…),
                        stored as ISO 8601; an unparsable one is dropped with a warning */
  const char *source, *url, *author;
  const char *tags; /* comma-separated */
} fouille_article_data;

#define FOUILLE_ARTICLE_DATA_VERSION 1
#define FOUILLE_ARTICLE_DATA_INIT                                                                  \
  { FOUILLE_ARTICLE_DATA_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/* Asked by fouille_writer_read_jsonl; non-zero stops it. */
typedef int (*fouille_stop_cb)(void *payload);

typedef struct fouille_writer_options {
  int version;             /* FOUILLE_WRITER_OPTIONS_VERSION */
  size_t batch_articles;   /* changes per transaction (default 2000; also 32 MB of text) */
  unsigned int commit_ms;  /* a change is committed at most this long after the first
                              uncommitted one (default 1000): checked by each put and delete,
                              and by fouille_writer_read_jsonl while its input is idle */
  fouille_problem_cb problem; /* warnings (a date dropped) and, in fouille_writer_read_jsonl,
                                 lines skipped; path is the root's name */
  fouille_stop_cb stop;       /* fouille_writer_read_jsonl: asked after each read and at
                                 least once a second; NULL: never stops early */
  void *payload;              /* passed to the callbacks, last */
} fouille_writer_options;

#define FOUILLE_WRITER_OPTIONS_VERSION 1
#define FOUILLE_WRITER_OPTIONS_INIT                                                                \
  { FOUILLE_WRITER_OPTIONS_VERSION, 0, 0, NULL, NULL, NULL }

/* Fills *opts with the defaults (FOUILLE_WRITER_OPTIONS_INIT) of the given
 * version (FOUILLE_WRITER_OPTIONS_VERSION). FOUILLE_OK, or FOUILLE_EINVAL
 * (NULL opts, unknown version). */
FOUILLE_EXTERN int fouille_writer_options_init(fouille_writer_options *opts, unsigned int version);

/* Opens a writer on the stream root named root (recorded when new: a
 * non-empty UTF-8 name not starting with '/'). NULL options mean defaults.
 * On success *out is a writer the caller owns and closes with
 * fouille_writer_close; NULL on failure. Errors: FOUILLE_EINVAL (no out,
 * index or root, a bad name, a name that is another root's file key, the
 * index opened read-only, unknown options version), FOUILLE_EVERSION (the
 * index was built by another analyzer or schema version: update it to
 * rebuild it first), FOUILLE_ENOMEM, FOUILLE_EBUSY, FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_writer_open(fouille_writer **out, fouille_index *index, const char *root,
                                       const fouille_writer_options *options);

/* Puts the article under key (any non-empty UTF-8 string): added, or
 * replacing the root's article with that key in place (the same article
 * again writes nothing). Errors, with nothing written: FOUILLE_EINVAL (no
 * writer, key or article, no body, a string that is not UTF-8, unknown
 * article version, a key that belongs to another root), FOUILLE_ETOOBIG
 * (over SQLite's size limit of a row, 1 GB). Database errors
 * (FOUILLE_EDB, FOUILLE_EBUSY, FOUILLE_ENOMEM) roll back the uncommitted
 * changes. */
FOUILLE_EXTERN int fouille_writer_put(fouille_writer *writer, const char *key,
                                      const fouille_article_data *article);

/* Deletes the root's article with this key. Errors: FOUILLE_EINVAL (no
 * writer or key, a key that belongs to another root), FOUILLE_ENOTFOUND
 * (no such article); database errors as fouille_writer_put. */
FOUILLE_EXTERN int fouille_writer_delete(fouille_writer *writer, const char *key);

/* Commits the changes made so far (nothing to do is FOUILLE_OK). Errors:
 * FOUILLE_EINVAL (no writer), FOUILLE_EBUSY, FOUILLE_EDB (the changes are
 * then rolled back). */
FOUILLE_EXTERN int fouille_writer_commit(fouille_writer *writer);

/* Commits, then frees the writer (always, even when the commit fails);
 * NULL is allowed. Returns the commit's status. */
FOUILLE_EXTERN int fouille_writer_close(fouille_writer *writer);

/* Reads JSON Lines from fd until its end (the fields of .jsonl files; see
 * docs/formats.md) and puts each article under the key "ROOT#id"; a line
 * {"id": "…", "deleted": true} deletes that article. The input may be
 * endless (a pipe): changes are committed every batch_articles, and
 * commit_ms after the first uncommitted one even while no input comes.
 * Malformed lines and articles that cannot be put are reported through
 * options->problem (with their line number) and skipped. summary (its
 * version set, may be NULL) gets this call's counts: articles_added,
 * articles_updated, articles_deleted, unchanged (articles put again as
 * they were), articles_skipped, warnings, bytes_read, seconds. Returns
 * FOUILLE_OK at the end of the input (all committed), FOUILLE_EABORT when
 * options->stop asked (all committed), FOUILLE_EIO when fd cannot be read
 * (what was read is committed), FOUILLE_EINVAL (no writer, fd < 0, unknown
 * summary version), or a database error (uncommitted changes rolled
 * back). */
FOUILLE_EXTERN int fouille_writer_read_jsonl(fouille_update_summary *summary,
                                             fouille_writer *writer, int fd);

/* ---- Watching -------------------------------------------------------------------- */

/* Called after each pass of fouille_index_watch with what it did: full is 1
 * for a whole pass (the first one, after an inotify queue overflow or an
 * exhausted watch limit), 0 for a batch of n_paths changed paths. */
typedef void (*fouille_watch_batch_cb)(const fouille_update_summary *summary, size_t n_paths,
                                       int full, void *payload);

typedef struct fouille_watch_options {
  int version;                         /* FOUILLE_WATCH_OPTIONS_VERSION */
  const fouille_update_options *update; /* for every pass (NULL: defaults); rebuild and
                                           optimize apply to the first pass only, dry_run is
                                           refused */
  fouille_stop_cb stop;   /* asked at least every 100 ms; non-zero: index the changes seen
                             until then (a batch) and return FOUILLE_OK. NULL: never stops */
  fouille_watch_batch_cb batch; /* may be NULL */
  unsigned int quiet_ms;  /* a batch starts once no event came for this long (default 500) */
  unsigned int max_ms;    /* ... or this long after its first event (default 2000) */
  void *payload;          /* passed to stop and batch, last */
} fouille_watch_options;

#define FOUILLE_WATCH_OPTIONS_VERSION 1
#define FOUILLE_WATCH_OPTIONS_INIT                                                                 \
  { FOUILLE_WATCH_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, NULL }

/* Fills *opts with the defaults (FOUILLE_WATCH_OPTIONS_INIT) of the given
 * version (FOUILLE_WATCH_OPTIONS_VERSION). FOUILLE_OK, or FOUILLE_EINVAL
 * (NULL opts, unknown version). */
FOUILLE_EXTERN int fouille_watch_options_init(fouille_watch_options *opts, unsigned int version);

/* Updates the index with paths (n_paths 0: every recorded folder and file
 * root) as fouille_index_update does, then follows them with inotify
 * (Linux): folders recursively, new subfolders included. Events are
 * coalesced per path (quiet_ms, max_ms), editor temporary files (*.swp,
 * *.swx, *~, .#*, 4913) ignored, and each batch of changed paths is given
 * to fouille_index_update (a vanished path: its nearest existing folder, so
 * its articles are deleted). An inotify queue overflow is answered with a
 * full pass; so is a watch limit reached, reported once through
 * update->problem with a message naming fs.inotify.max_user_watches.
 * Problems with files go to update->problem; the watch goes on. Returns
 * FOUILLE_OK when stop asked; FOUILLE_EINVAL (no index, NULL paths with
 * n_paths > 0, read-only, dry_run, unknown options version); the first
 * pass's errors (FOUILLE_ENOTFOUND: no root recorded); FOUILLE_EIO
 * (inotify unavailable); FOUILLE_EDB, FOUILLE_EBUSY or FOUILLE_ENOMEM when
 * a pass failed (what it committed stays). */
FOUILLE_EXTERN int fouille_index_watch(fouille_index *index, const char *const *paths,
                                       size_t n_paths, const fouille_watch_options *options);

/* Deletes the article with this key. Errors: FOUILLE_EINVAL (no index or
 * key, index opened read-only), FOUILLE_ENOTFOUND (no such article),
 * FOUILLE_EBUSY, FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_delete(fouille_index *index, const char *key);

/* Runs FTS5 'optimize' (merges the index into one segment). Errors:
 * FOUILLE_EINVAL (no index, index opened read-only), FOUILLE_EBUSY,
 * FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_optimize(fouille_index *index);

/* Checks the database, the FTS5 index, and that the FTS5 index agrees with
 * the articles table. Returns FOUILLE_OK when all is well; FOUILLE_EDB with
 * fouille_error_last() describing the first problem otherwise; also
 * FOUILLE_EINVAL (no index), FOUILLE_EIO (FTS5's check needs write access
 * the process lacks), FOUILLE_EBUSY, FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_index_check(fouille_index *index);

/* Checks cheaply that the index can be read (one row of its meta table):
 * what a health check asks, where fouille_index_stats scans the whole
 * index. Errors: FOUILLE_EINVAL (no index), FOUILLE_EDB, FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_index_ping(fouille_index *index);

/* ---- Inspecting --------------------------------------------------------------- */

/* Filled by fouille_index_stats; the caller sets version
 * (FOUILLE_STATS_INIT). */
typedef struct fouille_stats {
  int version; /* FOUILLE_STATS_VERSION */
  uint64_t articles;
  uint64_t files;
  uint64_t files_with_errors;
  uint64_t terms;      /* distinct terms in the FTS5 index */
  uint64_t db_bytes;   /* size of the database file */
  uint64_t text_bytes; /* bytes of stored title + body */
  int analyzer_version;
  int schema_version;
  char last_run[32]; /* ISO 8601 UTC time of the last completed update, or "" */
} fouille_stats;

#define FOUILLE_STATS_VERSION 1
#define FOUILLE_STATS_INIT                                                                         \
  { FOUILLE_STATS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, "" }

/* Fills the caller's *out (its version set; the other fields are
 * overwritten). Errors: FOUILLE_EINVAL (no out or index, unknown version),
 * FOUILLE_ENOMEM, FOUILLE_EBUSY, FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_stats(fouille_stats *out, fouille_index *index);

/* A stored article. Strings are NUL-terminated UTF-8 or NULL when absent.
 * The library sets version (see fouille/common.h). */
typedef struct fouille_article {
  int version; /* FOUILLE_ARTICLE_VERSION */
  char *key, *title, *date, *source, *url, *author, *body;
} fouille_article;

#define FOUILLE_ARTICLE_VERSION 1

/* Fetches the article with this key into *out: a new object the caller owns
 * and frees with fouille_article_free (NULL on failure). Errors:
 * FOUILLE_EINVAL (no out, index or key), FOUILLE_ENOTFOUND (no such
 * article), FOUILLE_ENOMEM, FOUILLE_EBUSY, FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_get(fouille_article **out, fouille_index *index, const char *key);

/* Frees an article from fouille_index_get (and its strings); NULL is
 * allowed. Cannot fail. */
FOUILLE_EXTERN void fouille_article_free(fouille_article *article);

#ifdef __cplusplus
}
#endif
#endif
