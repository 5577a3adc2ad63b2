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
#define FOUILLE_SCHEMA_VERSION 1

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

/* Opens (and, unless read_only, creates) the index at path. NULL options
 * mean defaults. On success *out is a handle to close with
 * fouille_index_close. Errors: FOUILLE_ENOTFOUND (read_only and no file),
 * FOUILLE_EDB (not a Fouille database, corrupt, unreadable),
 * FOUILLE_EVERSION (read_only and built by another analyzer/schema version;
 * a writable open accepts it and the next update rebuilds it).
 *
 * Threads: searches (fouille_search) may run concurrently from several
 * threads on one handle; each borrows a read connection from the handle's
 * pool. Updates, deletes and optimize are serialised on the handle's one
 * write connection; searches keep working while they run (WAL mode) and see
 * each committed batch. fouille_index_close must not race any other call. */
FOUILLE_EXTERN int fouille_index_open(fouille_index **out, const char *path,
                                      const fouille_index_options *options);

/* Closes the handle; NULL is allowed. */
FOUILLE_EXTERN void fouille_index_close(fouille_index *index);

/* The database file name given to fouille_index_open. */
FOUILLE_EXTERN const char *fouille_index_path(const fouille_index *index);

/* ---- Updating from an archive ----------------------------------------------- */

typedef enum fouille_file_change {
  FOUILLE_FILE_ADDED,
  FOUILLE_FILE_CHANGED,
  FOUILLE_FILE_DELETED,
  FOUILLE_FILE_UNCHANGED,
  FOUILLE_FILE_SKIPPED /* could not be read or parsed; see the error callback */
} fouille_file_change;

/* Progress of a running update, reported after each file. */
typedef struct fouille_progress {
  uint64_t files_seen;    /* files examined so far */
  uint64_t files_total;   /* files found by the scan (0 while scanning) */
  uint64_t articles_done; /* articles written so far */
  uint64_t bytes_read;    /* bytes of article files read so far */
  double elapsed_seconds;
} fouille_progress;

/* Return non-zero to stop the update (it then commits what is done and
 * returns FOUILLE_EABORT). */
typedef int (*fouille_progress_cb)(void *user, const fouille_progress *progress);

/* Called for each problem with a file or an article: path is the file,
 * line its line number (JSON Lines) or 0, message one line naming the
 * problem, is_warning non-zero when the article still went in (e.g. a date
 * that could not be parsed). */
typedef void (*fouille_problem_cb)(void *user, const char *path, unsigned long line,
                                   const char *message, int is_warning);

/* Called in dry-run mode (and otherwise, if set) with each file's change. */
typedef void (*fouille_change_cb)(void *user, const char *path, fouille_file_change change);

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
  void *user; /* passed to the callbacks */
} fouille_update_options;

#define FOUILLE_UPDATE_OPTIONS_VERSION 1
#define FOUILLE_UPDATE_OPTIONS_INIT                                                                \
  { FOUILLE_UPDATE_OPTIONS_VERSION, 0, 0, 0, 0, NULL, 0, 0, 0, NULL, NULL, NULL, NULL }

/* What an update did, counted in files (articles in the articles_* fields). */
typedef struct fouille_update_summary {
  uint64_t added, changed, deleted, unchanged, skipped; /* files */
  uint64_t articles_added, articles_updated, articles_deleted;
  uint64_t warnings;
  uint64_t bytes_read;
  double seconds;
  int rebuilt; /* 1 if the index was rebuilt (asked, or another analyzer/schema version) */
} fouille_update_summary;

/* Brings the index up to date with the files under paths (files or folders,
 * walked recursively; symlinks followed once, loops detected). A file whose
 * size and mtime match what is recorded costs a stat, one whose content hash
 * matches costs a read; otherwise its articles are replaced. Articles of
 * files that vanished under the given roots are deleted (unless no_delete).
 * Work is committed in batches: a killed run leaves a consistent index that
 * the next run completes. Files that cannot be read or parsed are reported
 * through options->problem, recorded, and skipped; the run goes on.
 * summary may be NULL. Returns FOUILLE_OK even when files were skipped
 * (check summary->skipped); FOUILLE_EBUSY if another writer holds the
 * database past busy_timeout_ms; FOUILLE_EDB/FOUILLE_EIO when the run itself
 * failed (disk full…: the last committed state stays usable). */
FOUILLE_EXTERN int fouille_index_update(fouille_index *index, const char *const *paths,
                                        size_t n_paths, const fouille_update_options *options,
                                        fouille_update_summary *summary);

/* Deletes the article with this key. FOUILLE_ENOTFOUND if there is none. */
FOUILLE_EXTERN int fouille_index_delete(fouille_index *index, const char *key);

/* Runs FTS5 'optimize' (merges the index into one segment). */
FOUILLE_EXTERN int fouille_index_optimize(fouille_index *index);

/* Checks the database, the FTS5 index, and that the FTS5 index agrees with
 * the articles table. Returns FOUILLE_OK when all is well; FOUILLE_EDB with
 * fouille_error_last() describing the first problem otherwise. */
FOUILLE_EXTERN int fouille_index_check(fouille_index *index);

/* Checks cheaply that the index can be read (one row of its meta table):
 * what a health check asks, where fouille_index_stats scans the whole
 * index. Errors: FOUILLE_EDB, FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_index_ping(fouille_index *index);

/* ---- Inspecting --------------------------------------------------------------- */

typedef struct fouille_stats {
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

/* Fills *out. Errors: FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_stats(fouille_index *index, fouille_stats *out);

/* A stored article. Strings are NUL-terminated UTF-8 or NULL when absent. */
typedef struct fouille_article {
  char *key, *title, *date, *source, *url, *author, *body;
} fouille_article;

/* Fetches the article with this key into *out (a new object the caller
 * frees with fouille_article_free). FOUILLE_ENOTFOUND if there is none. */
FOUILLE_EXTERN int fouille_index_get(fouille_index *index, const char *key, fouille_article **out);

/* Frees an article from fouille_index_get; NULL is allowed. */
FOUILLE_EXTERN void fouille_article_free(fouille_article *article);

#ifdef __cplusplus
}
#endif
#endif
