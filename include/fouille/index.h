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
#define FOUILLE_SCHEMA_VERSION 3

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
} fouille_update_summary;

#define FOUILLE_UPDATE_SUMMARY_VERSION 1
#define FOUILLE_UPDATE_SUMMARY_INIT                                                                \
  { FOUILLE_UPDATE_SUMMARY_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0 }

/* Brings the index up to date with the files under paths (files or folders,
 * walked recursively; symlinks followed once, loops detected). A file whose
 * size and mtime match what is recorded costs a stat, one whose content hash
 * matches costs a read; otherwise its articles are replaced. Articles of
 * files that vanished under the given roots are deleted (unless no_delete).
 * Work is committed in batches: a killed run leaves a consistent index that
 * the next run completes. Files that cannot be read or parsed are reported
 * through options->problem, recorded, and skipped; the run goes on.
 * summary (the caller's, may be NULL) must have its version set; once the
 * arguments are checked it is filled, even when the run fails. NULL
 * options mean defaults. Returns FOUILLE_OK even when
 * files were skipped (check summary->skipped); FOUILLE_EINVAL (no index,
 * NULL paths with n_paths > 0, index opened read-only, unknown options or
 * summary version); FOUILLE_ENOMEM; FOUILLE_EABORT when the progress
 * callback stopped it (what was done is committed); FOUILLE_EBUSY if
 * another writer holds the database past busy_timeout_ms; FOUILLE_EDB or
 * FOUILLE_EIO when the run itself failed (disk full…: the last committed
 * state stays usable). */
FOUILLE_EXTERN int fouille_index_update(fouille_update_summary *summary, fouille_index *index,
                                        const char *const *paths, size_t n_paths,
                                        const fouille_update_options *options);

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
