/* fouille-export's modes --cursor, --bulk and --compact: thin calls of
 * fouille_export_cursor, fouille_export_bulk and
 * fouille_index_compact_changes (fouille/export.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export_args.h"
#include "fouille.h"

static const char *db_path(const fouille__export_args *a) {
  const char *env = getenv("FOUILLE_DB");
  return a->db ? a->db : env && *env ? env : "fouille.db";
}

/* Exit code for a failed call: a cursor the index refuses is a usage error. */
static int fail(int rc) {
  fprintf(stderr, "fouille-export: %s\n", fouille_error_last());
  return rc == FOUILLE_EINVAL ? FOUILLE__CLI_USAGE : FOUILLE__CLI_FAIL;
}

static int open_index(fouille_index **ix, const fouille__export_args *a, int writable) {
  fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
  o.read_only = !writable;
  o.read_pool_size = 1;
  int rc = fouille_index_open(ix, db_path(a), &o);
  return rc                ? fprintf(stderr, "fouille-export: %s\n", fouille_error_last()),
         FOUILLE__CLI_FAIL : FOUILLE__CLI_OK;
}

int fouille__export_cursor_run(const fouille__export_args *a) {
  fouille_index *ix = NULL;
  uint64_t cursor = 0;
  int rc = open_index(&ix, a, 0);
  if (!rc && (rc = fouille_export_cursor(&cursor, ix))) rc = fail(rc);
  if (!rc) printf("%" PRIu64 "\n", cursor);
  fouille_index_close(ix);
  return rc;
}

static int write_out(const char *data, size_t len, void *payload) {
  return fwrite(data, 1, len, (FILE *)payload) == len ? 0 : FOUILLE_EIO;
}

/* Writes the cursor to path through a temporary file renamed over it, so
 * that a reader sees the old cursor or the new one, never half of one. */
static int write_cursor_file(const char *path, uint64_t cursor) {
  size_t n = strlen(path) + 8;
  char *tmp = malloc(n);
  int ok = 0;
  if (tmp) {
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f) {
      ok = fprintf(f, "%" PRIu64 "\n", cursor) > 0;
      ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
      ok = fclose(f) == 0 && ok;
      ok = ok && rename(tmp, path) == 0;
      if (!ok) unlink(tmp);
    }
  }
  if (!ok)
    fprintf(stderr, "fouille-export: %s: cannot write the cursor: %s\n", path, strerror(errno));
  free(tmp);
  return ok ? FOUILLE__CLI_OK : FOUILLE__CLI_FAIL;
}

int fouille__export_bulk_run(const fouille__export_args *a) {
  fouille_index *ix = NULL;
  fouille_export_options o = FOUILLE_EXPORT_OPTIONS_INIT;
  fouille_export_summary s = FOUILLE_EXPORT_SUMMARY_INIT;
  o.index_name = a->index_name;
  int rc = open_index(&ix, a, 0);
  if (!rc && (rc = fouille_export_bulk(&s, ix, a->since, write_out, stdout, &o))) rc = fail(rc);
  fouille_index_close(ix);
  if (!rc && (fflush(stdout) != 0 || ferror(stdout))) {
    fprintf(stderr, "fouille-export: cannot write the output: %s\n", strerror(errno));
    rc = FOUILLE__CLI_FAIL;
  }
  if (rc) return rc;
  if (!a->quiet)
    fprintf(stderr,
            "fouille-export: cursor %" PRIu64 " (since %" PRIu64 ": %" PRIu64 " indexed, %" PRIu64
            " deleted, %" PRIu64 " bytes)\n",
            s.cursor, s.since, s.indexed, s.deleted, s.bytes);
  return a->cursor_file ? write_cursor_file(a->cursor_file, s.cursor) : FOUILLE__CLI_OK;
}

int fouille__export_compact_run(const fouille__export_args *a) {
  fouille_index *ix = NULL;
  uint64_t dropped = 0;
  int rc = open_index(&ix, a, 1);
  if (!rc && (rc = fouille_index_compact_changes(&dropped, ix, a->compact))) rc = fail(rc);
  if (!rc && !a->quiet)
    fprintf(stderr, "fouille-export: %" PRIu64 " deletions up to cursor %" PRIu64 " dropped\n",
            dropped, a->compact);
  fouille_index_close(ix);
  return rc;
}
