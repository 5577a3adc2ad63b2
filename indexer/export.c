/* fouille_export_bulk and fouille_export_cursor: the change log (changes.c)
 * read in one snapshot and written as OpenSearch / Elasticsearch _bulk
 * NDJSON, one article at a time (bounded memory), flushed in 64 KB
 * pieces. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "changes.h"
#include "error.h"
#include "fouille/export.h"
#include "store.h"
#include "utf8.h"

#define FLUSH_BYTES (64u << 10)

typedef struct exporter {
  fouille_index *ix;
  fouille_export_write_cb write;
  void *payload;
  const fouille_export_options *o;
  fouille_export_summary *sum;
  fouille__buf out;
} exporter;

FOUILLE_EXTERN int fouille_export_options_init(fouille_export_options *opts, unsigned int version) {
  static const fouille_export_options defaults = FOUILLE_EXPORT_OPTIONS_INIT;
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_export_options: NULL");
  if (version != FOUILLE_EXPORT_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_export_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}

/* Appends s[0..n) as a JSON string: quotes, escapes, and U+FFFD for every
 * byte that is not part of valid UTF-8. */
static void json_str(fouille__buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t i = 0, run = 0;
  fouille__buf_putc(b, '"');
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      i++;
      continue;
    }
    fouille__buf_add(b, s + run, i - run);
    if (c >= 0x80) {
      size_t len = fouille__utf8_len(s + i, n - i);
      if (len)
        fouille__buf_add(b, s + i, len);
      else
        fouille__buf_puts(b, "\xef\xbf\xbd");
      i += len ? len : 1;
    } else {
      char e[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
      if (c == '"' || c == '\\')
        e[1] = (char)c, e[2] = 0;
      else if (c == '\n')
        e[1] = 'n', e[2] = 0;
      else if (c == '\t')
        e[1] = 't', e[2] = 0;
      fouille__buf_puts(b, e);
      i++;
    }
    run = i;
  }
  fouille__buf_add(b, s + run, n - run);
  fouille__buf_putc(b, '"');
}

static int flush(exporter *x, int force) {
  if (fouille__buf_error(&x->out)) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  if (!x->out.len || (!force && x->out.len < FLUSH_BYTES)) return FOUILLE_OK;
  int rc = x->write(x->out.data, x->out.len, x->payload);
  if (rc)
    return rc == FOUILLE_EABORT
               ? fouille__error(FOUILLE_EABORT, "export stopped")
               : fouille__error(FOUILLE_EIO, "%s: export: cannot write the output", x->ix->path);
  x->sum->bytes += x->out.len;
  fouille__buf_reset(&x->out);
  return FOUILLE_OK;
}

static void action(exporter *x, const char *verb, sqlite3_stmt *st) {
  fouille__buf_printf(&x->out, "{\"%s\":{", verb);
  if (x->o->index_name) {
    fouille__buf_puts(&x->out, "\"_index\":");
    json_str(&x->out, x->o->index_name, strlen(x->o->index_name));
    fouille__buf_putc(&x->out, ',');
  }
  fouille__buf_puts(&x->out, "\"_id\":");
  json_str(&x->out, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
  fouille__buf_puts(&x->out, "}}\n");
}

/* One row of the query in bulk(): key, then the article's fields (NULL
 * when it is gone). */
static int row(exporter *x, sqlite3_stmt *st) {
  static const char *const names[] = {"title", "body", "date", "source", "url"};
  if (sqlite3_column_type(st, 1) == SQLITE_NULL) { /* id: the article is gone */
    action(x, "delete", st);
    x->sum->deleted++;
    return flush(x, 0);
  }
  action(x, "index", st);
  char sep = '{';
  for (int k = 0; k < 5; k++) {
    const char *v = (const char *)sqlite3_column_text(st, 2 + k);
    if (!v) continue;
    fouille__buf_putc(&x->out, sep);
    fouille__buf_printf(&x->out, "\"%s\":", names[k]);
    json_str(&x->out, v, (size_t)sqlite3_column_bytes(st, 2 + k));
    sep = ',';
  }
  fouille__buf_puts(&x->out, sep == '{' ? "{}\n" : "}\n");
  x->sum->indexed++;
  return flush(x, 0);
}

static int check_since(fouille_index *ix, uint64_t since, uint64_t cursor, uint64_t floor) {
  if (since > cursor)
    return fouille__error(FOUILLE_EINVAL,
                          "%s: cursor %" PRIu64 " is ahead of this index's change log (at %" PRIu64
                          "): a cursor of another index, or of one built again from scratch?"
                          " export everything (cursor 0) into a new index",
                          ix->path, since, cursor);
  if (since && since < floor)
    return fouille__error(FOUILLE_EINVAL,
                          "%s: cursor %" PRIu64 " is older than the change log's compaction"
                          " (deletions up to %" PRIu64 " were dropped): export everything"
                          " (cursor 0) into a new index",
                          ix->path, since, floor);
  return FOUILLE_OK;
}

/* The export proper, in the reader's read transaction. */
static int bulk(exporter *x, sqlite3 *db, uint64_t since) {
  sqlite3_stmt *st = NULL;
  uint64_t floor = 0;
  int rc = fouille__changes_state(db, x->ix->path, &x->sum->cursor, &floor), s;
  if (!rc) rc = check_since(x->ix, since, x->sum->cursor, floor);
  if (rc) return rc;
  if (sqlite3_prepare_v2(db,
                         "SELECT coalesce(c.key, a.key), a.id, a.title, a.body, a.date,"
                         " a.source, a.url FROM changes c LEFT JOIN articles a ON a.id=c.id"
                         " WHERE c.seq>?1 AND c.seq<=?2 AND (?1>0 OR a.id IS NOT NULL)"
                         " AND (c.key IS NOT NULL OR a.id IS NOT NULL) ORDER BY c.seq",
                         -1, &st, NULL) != SQLITE_OK)
    return fouille__schema_fail(db, x->ix->path, "reading the change log");
  sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)x->sum->cursor);
  while (rc == FOUILLE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) rc = row(x, st);
  if (rc == FOUILLE_OK && s != SQLITE_DONE)
    rc = fouille__schema_fail(db, x->ix->path, "reading the change log");
  sqlite3_finalize(st);
  return rc ? rc : flush(x, 1);
}

static int check_args(fouille_export_summary *summary, fouille_index *ix,
                      fouille_export_write_cb write, const fouille_export_options *o,
                      uint64_t since) {
  if (!ix || !write) return fouille__error(FOUILLE_EINVAL, "no index or write callback");
  if (o && o->version != FOUILLE_EXPORT_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_export_options: unknown version %d", o->version);
  if (summary && summary->version != FOUILLE_EXPORT_SUMMARY_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_export_summary: unknown version %d",
                          summary->version);
  if (since > INT64_MAX) return fouille__error(FOUILLE_EINVAL, "cursor out of range");
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_export_bulk(fouille_export_summary *summary, fouille_index *ix,
                                       uint64_t since, fouille_export_write_cb write, void *payload,
                                       const fouille_export_options *options) {
  static const fouille_export_options defaults = FOUILLE_EXPORT_OPTIONS_INIT;
  fouille_export_summary local = FOUILLE_EXPORT_SUMMARY_INIT;
  fouille__reader *r = NULL;
  int rc = check_args(summary, ix, write, options, since);
  if (rc) return rc;
  exporter x = {ix, write, payload, options ? options : &defaults, &local, FOUILLE__BUF_INIT};
  local.since = since;
  if ((rc = fouille__store_reader_acquire(ix, &r))) return rc;
  /* One pass over every article: read, not mapped (a mapping would count
   * the whole index in the process's resident memory). */
  sqlite3_exec(r->db, "PRAGMA mmap_size=0", NULL, NULL, NULL);
  if (sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    rc = fouille__schema_fail(r->db, ix->path, "reading");
  if (!rc) rc = bulk(&x, r->db, since);
  if (!sqlite3_get_autocommit(r->db)) sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
  sqlite3_exec(r->db, "PRAGMA mmap_size=2147418112", NULL, NULL, NULL); /* as the store sets it */
  fouille__store_reader_release(ix, r);
  fouille__buf_free(&x.out);
  if (summary) *summary = local;
  return rc;
}

FOUILLE_EXTERN int fouille_export_cursor(uint64_t *out, fouille_index *ix) {
  fouille__reader *r = NULL;
  uint64_t floor = 0;
  if (!out || !ix) return fouille__error(FOUILLE_EINVAL, "no output or index");
  *out = 0;
  int rc = fouille__store_reader_acquire(ix, &r);
  if (rc) return rc;
  rc = fouille__changes_state(r->db, ix->path, out, &floor);
  fouille__store_reader_release(ix, r);
  return rc;
}
