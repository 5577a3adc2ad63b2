/* The roots an index records, listed with their counts of files and
 * articles (fouille_index_roots). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "schema.h"

struct fouille_roots {
  size_t n;
  fouille_root *r;
  char **strings; /* 4 per root */
};

static const char *const list_sql =
    "SELECT r.kind, r.path, r.prefix, r.created, ifnull(r.last_update, ''),"
    " (SELECT count(*) FROM files f WHERE f.root_id=r.id AND r.kind<>'stream'),"
    " (SELECT count(*) FROM articles a WHERE a.file_id IN"
    "  (SELECT f.id FROM files f WHERE f.root_id=r.id))"
    " FROM roots r ORDER BY r.id";

static int add(fouille_roots *l, sqlite3_stmt *st) {
  fouille_root *r = realloc(l->r, (l->n + 1) * sizeof *r);
  if (r) l->r = r;
  char **s = r ? realloc(l->strings, (l->n + 1) * 4 * sizeof *s) : NULL;
  if (!s) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  l->strings = s;
  s += l->n * 4;
  for (int i = 0; i < 4; i++) {
    const char *v = (const char *)sqlite3_column_text(st, i + 1);
    s[i] = strdup(v ? v : "");
  }
  const char *kind = (const char *)sqlite3_column_text(st, 0);
  r += l->n++;
  r->version = FOUILLE_ROOT_VERSION;
  r->kind = kind && !strcmp(kind, "folder") ? FOUILLE_ROOT_FOLDER
            : kind && !strcmp(kind, "file") ? FOUILLE_ROOT_FILE
                                            : FOUILLE_ROOT_STREAM;
  r->path = s[0], r->prefix = s[1], r->created = s[2], r->last_update = s[3];
  r->files = (uint64_t)sqlite3_column_int64(st, 5);
  r->articles = (uint64_t)sqlite3_column_int64(st, 6);
  for (int i = 0; i < 4; i++)
    if (!s[i]) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  return FOUILLE_OK;
}

static int list_on(fouille_index *ix, sqlite3 *db, fouille_roots *l) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, s;
  if (sqlite3_prepare_v2(db, list_sql, -1, &st, NULL) != SQLITE_OK)
    return fouille__schema_fail(db, ix->path, "reading roots");
  while (rc == FOUILLE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) rc = add(l, st);
  if (rc == FOUILLE_OK && s != SQLITE_DONE) rc = fouille__schema_fail(db, ix->path, "reading roots");
  sqlite3_finalize(st);
  return rc;
}

FOUILLE_EXTERN int fouille_index_roots(fouille_roots **out, fouille_index *ix) {
  fouille__reader *r = NULL;
  fouille_roots *l = NULL;
  int rc;
  if (!out || !ix) return fouille__error(FOUILLE_EINVAL, "no index or output");
  *out = NULL;
  if (!(l = calloc(1, sizeof *l))) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  if ((rc = fouille__store_reader_acquire(ix, &r)) == FOUILLE_OK) {
    rc = list_on(ix, r->db, l);
    fouille__store_reader_release(ix, r);
  }
  if (rc != FOUILLE_OK) {
    fouille_roots_free(l);
    return rc;
  }
  *out = l;
  return FOUILLE_OK;
}

FOUILLE_EXTERN size_t fouille_roots_count(const fouille_roots *l) { return l ? l->n : 0; }

FOUILLE_EXTERN const fouille_root *fouille_roots_get(const fouille_roots *l, size_t i) {
  return l && i < l->n ? &l->r[i] : NULL;
}

FOUILLE_EXTERN void fouille_roots_free(fouille_roots *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n * 4; i++) free(l->strings[i]);
  free(l->strings);
  free(l->r);
  free(l);
}
