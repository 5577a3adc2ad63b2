/* The packed column sizes (sizes.h): the blocks' format, the writers' log
 * of the rows a transaction touched and their upkeep before its commit,
 * and the read of all of them for a search, checked against FTS5's own
 * figures like the read of FTS5's docsize records. */
#include "sizes.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "schema.h"

#define NC FOUILLE__FTS5_COLUMNS
#define BLK FOUILLE__SIZES_BLOCK
#define BLOCK_MAX (NC + BLK * NC * 4) /* bytes: NC widths, 256 rows of 4-byte entries */
#define DOCSIZE_TABLE "articles_fts_docsize"
#define MARKS_MAX (1u << 20) /* rowids marked: beyond, every block is made again */
#define PATCH_MAX (BLK / 8)  /* rows of a block read one by one: beyond, the block's range */

/* ---- The blocks' format ----------------------------------------------------------- */

/* The block of rowid id (floor(id / 256), negative rowids too). */
static long long block_of(long long id) { return id >= 0 ? id / BLK : -((-(id + 1)) / BLK) - 1; }

/* Packs sizes[BLK * NC] (-1: no row) into out (BLOCK_MAX bytes): its
 * length, 0 when the block has no row. */
static int block_pack(const int *sizes, unsigned char *out) {
  int last = -1, w[NC], at = NC;
  for (int c = 0; c < NC; c++) w[c] = 1;
  for (int s = 0; s < BLK; s++) {
    if (sizes[s * NC] < 0) continue;
    last = s;
    for (int c = 0; c < NC; c++) {
      unsigned v = (unsigned)sizes[s * NC + c] + 1u;
      while (w[c] < 4 && v >> (8 * w[c])) w[c]++;
    }
  }
  if (last < 0) return 0;
  for (int c = 0; c < NC; c++) out[c] = (unsigned char)w[c];
  for (int s = 0; s <= last; s++)
    for (int c = 0; c < NC; c++) {
      unsigned v = sizes[s * NC] < 0 ? 0u : (unsigned)sizes[s * NC + c] + 1u;
      for (int k = 0; k < w[c]; k++) out[at++] = (unsigned char)(v >> (8 * k));
    }
  return at;
}

/* Entry p of w bytes, little-endian. */
static inline unsigned long long entry(const unsigned char *p, int w) {
  switch (w) {
  case 1:
    return p[0];
  case 2:
    return p[0] | (unsigned)p[1] << 8;
  case 3:
    return p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16;
  default:
    return p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16 | (unsigned long long)p[3] << 24;
  }
}

/* Unpacks a block into sizes[BLK * NC] (left as they are where it has no
 * row): the rows it holds, or -1 when it is not in this format. */
static int block_unpack(const unsigned char *b, int n, int *sizes) {
  int stride = 0, rows = 0;
  _Static_assert(NC == 2, "a row is a title and a body");
  if (n < NC || b[0] < 1 || b[0] > 4 || b[1] < 1 || b[1] > 4) return -1;
  stride = b[0] + b[1];
  if (n == NC || (n - NC) % stride || (n - NC) / stride > BLK) return -1;
  for (int at = NC, s = 0; at < n; at += stride, s++) {
    unsigned long long t = entry(b + at, b[0]), y = entry(b + at + b[0], b[1]);
    if (!t && !y) continue;
    if (!t || !y || t > (unsigned long long)INT_MAX + 1 || y > (unsigned long long)INT_MAX + 1)
      return -1;
    sizes[s * NC] = (int)(t - 1), sizes[s * NC + 1] = (int)(y - 1);
    rows++;
  }
  return rows;
}

/* The stamp of version v: *n = 8 + v->n_structure bytes, malloc'd (NULL
 * when out of memory). */
static unsigned char *stamp_of(const fouille__fts5_version *v, int *n) {
  unsigned char *s = malloc(8 + (size_t)v->n_structure);
  if (!s) return NULL;
  for (int k = 0; k < 8; k++) s[k] = (unsigned char)((unsigned long long)v->schema >> (8 * k));
  memcpy(s + 8, v->structure, (size_t)v->n_structure);
  *n = 8 + v->n_structure;
  return s;
}

/* Whether the stamp row of db (article_sizes' first row, read by st) is
 * version v. */
static int stamp_is(sqlite3_stmt *st, const fouille__fts5_version *v) {
  int n = 0, same = 0;
  if (!v->structure || sqlite3_step(st) != SQLITE_ROW ||
      sqlite3_column_int64(st, 0) != FOUILLE__SIZES_STAMP)
    return 0;
  unsigned char *want = stamp_of(v, &n);
  same = want && sqlite3_column_bytes(st, 1) == n && !memcmp(sqlite3_column_blob(st, 1), want, n);
  free(want);
  return same;
}

/* ---- The read ------------------------------------------------------------------------ */

/* The number of blocks and the first and last: FOUILLE_OK or FOUILLE_EDB. */
static int blocks_span(sqlite3 *db, long long *lo, long long *hi, long long *count) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(db,
                         "SELECT min(block), max(block), count(*) FROM article_sizes"
                         " WHERE block > -9223372036854775807 - 1",
                         -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW)
    rc = fouille__error(FOUILLE_EDB, "reading the packed column sizes: %s", sqlite3_errmsg(db));
  else
    *lo = sqlite3_column_int64(st, 0), *hi = sqlite3_column_int64(st, 1),
    *count = sqlite3_column_int64(st, 2);
  sqlite3_finalize(st);
  return rc;
}

/* Trims ds (a whole number of blocks from rowid ds->first, holding rows)
 * to its first and last rows. */
static void trim(fouille__docsizes *ds) {
  long long first = 0, last = ds->n - 1;
  while (first < ds->n && ds->sizes[first * NC] < 0) first++;
  while (last > first && ds->sizes[last * NC] < 0) last--;
  if (first == ds->n) return;
  memmove(ds->sizes, ds->sizes + first * NC, (size_t)(last - first + 1) * NC * sizeof(int));
  ds->first += first, ds->n = last - first + 1;
}

/* Decodes every block after the stamp row (st steps on through them);
 * *rows gets the rows they hold. */
static int blocks_decode(sqlite3_stmt *st, fouille__docsizes *ds, long long *rows) {
  int s, k = 0;
  *rows = 0;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    long long b = sqlite3_column_int64(st, 0), at = b * BLK - ds->first;
    if (at < 0 || at >= ds->n ||
        (k = block_unpack(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1),
                          ds->sizes + at * NC)) <= 0)
      return fouille__error(
          FOUILLE_EDB, "article_sizes: block %lld is not in the format store/sizes.c writes", b);
    *rows += k;
  }
  return s == SQLITE_DONE ? FOUILLE_OK
                          : fouille__error(FOUILLE_EDB, "reading the packed column sizes: %s",
                                           sqlite3_errmsg(sqlite3_db_handle(st)));
}

/* The blocks into a new *out (NULL when too sparse, as FTS5's records'). */
static int blocks_read(sqlite3 *db, sqlite3_stmt *st, fouille__docsizes **out) {
  long long lo = 0, hi = 0, count = 0, rows = 0;
  fouille__docsizes *ds = NULL;
  int rc = blocks_span(db, &lo, &hi, &count);
  /* Too sparse for sure when 256 (hi - lo - 1) + 2, the fewest rowids
   * spanned, > 4 * 256 count (the most rows) + 4096: the test of
   * fouille__fts5_docsizes_read, applied exactly once the blocks are read. */
  if (rc || count == 0 || hi - lo > 4 * count + 16) return rc;
  if (!(ds = calloc(1, sizeof *ds)) ||
      !(ds->sizes = malloc((size_t)(hi - lo + 1) * BLK * NC * sizeof(int)))) {
    fouille__docsizes_free(ds);
    return fouille__error(FOUILLE_ENOMEM, "out of memory reading the packed column sizes");
  }
  ds->first = lo * BLK, ds->n = (hi - lo + 1) * BLK, ds->n_col = NC;
  memset(ds->sizes, 0xff, (size_t)ds->n * NC * sizeof(int));
  if (!(rc = blocks_decode(st, ds, &rows))) {
    trim(ds);
    if (rows && ds->n <= 4 * rows + 4096 && !(rc = fouille__docsizes_check(db, ds, 1)))
      *out = ds, ds = NULL;
  }
  fouille__docsizes_free(ds);
  return rc;
}

int fouille__sizes_hold(sqlite3 *db, const fouille__fts5_version *v) {
  sqlite3_stmt *st = NULL;
  int holds = sqlite3_prepare_v2(db,
                                 "SELECT block, sizes FROM article_sizes WHERE block ="
                                 " -9223372036854775807 - 1",
                                 -1, &st, NULL) == SQLITE_OK &&
              stamp_is(st, v);
  sqlite3_finalize(st);
  return holds;
}

int fouille__sizes_read(sqlite3 *db, const fouille__fts5_version *v, fouille__docsizes **out) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_ENOTFOUND;
  *out = NULL;
  /* No table (an index of an older Fouille, read-only): none. */
  if (sqlite3_prepare_v2(db, "SELECT block, sizes FROM article_sizes ORDER BY block", -1, &st,
                         NULL) == SQLITE_OK &&
      stamp_is(st, v))
    rc = blocks_read(db, st, out);
  sqlite3_finalize(st);
  return rc;
}

/* ---- The writers' log --------------------------------------------------------------- */

struct fouille__sizes_log {
  sqlite3 *db;
  const char *path;
  long long *marked; /* rowids, in the order met, repeats removed from time to time */
  size_t n, cap;
  int lost;  /* a rowid could not be marked (too many, out of memory): make them all */
  int holds; /* the blocks held for the index when the transaction began */
  /* The log whose hook this one's replaced (a log opened inside another's
   * span, as an optimize inside an update): it is told of every row too.
   * Only sizes logs set the write connection's update hook. */
  struct fouille__sizes_log *outer;
  sqlite3_stmt *range, *next, *get, *put, *del;
  unsigned char block[BLOCK_MAX];
  int sizes[BLK * NC];
};

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* Sorts the marked rowids and removes repeats. */
static void marked_unique(fouille__sizes_log *l) {
  size_t k = 0;
  if (l->n < 2) return;
  qsort(l->marked, l->n, sizeof *l->marked, cmp_ll);
  for (size_t i = 0; i < l->n; i++)
    if (!k || l->marked[k - 1] != l->marked[i]) l->marked[k++] = l->marked[i];
  l->n = k;
}

/* Marks rowid id (nothing to mark when every block is made again). */
static void mark(fouille__sizes_log *l, long long id) {
  if (!l->holds || l->lost || (l->n && l->marked[l->n - 1] == id)) return;
  if (l->n == l->cap && l->n) marked_unique(l);
  if (l->n == l->cap || l->n * 2 > l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    long long *m = cap > MARKS_MAX ? NULL : realloc(l->marked, cap * sizeof *m);
    if (!m) {
      l->lost = 1;
      return;
    }
    l->marked = m, l->cap = cap;
  }
  l->marked[l->n++] = id;
}

/* The update hook: every row FTS5 writes to or deletes from its docsize
 * table on this connection, whatever statement made it. */
static void on_update(void *log, int op, const char *db, const char *table, sqlite3_int64 id) {
  (void)op;
  if (strcmp(table, DOCSIZE_TABLE) || strcmp(db, "main")) return;
  for (fouille__sizes_log *l = log; l; l = l->outer) mark(l, id);
}

int fouille__sizes_log_open(fouille__sizes_log **out, sqlite3 *db, const char *path) {
  fouille__sizes_log *l = calloc(1, sizeof *l);
  *out = l;
  if (!l) return fouille__error(FOUILLE_ENOMEM, "%s: out of memory", path);
  l->db = db, l->path = path;
  l->outer = sqlite3_update_hook(db, on_update, l);
  return FOUILLE_OK;
}

void fouille__sizes_log_free(fouille__sizes_log *l) {
  if (!l) return;
  void *was = sqlite3_update_hook(l->db, NULL, NULL);
  void *back = was == l ? (void *)l->outer : was; /* not ours: put back */
  if (back) sqlite3_update_hook(l->db, on_update, back);
  sqlite3_finalize(l->range), sqlite3_finalize(l->next), sqlite3_finalize(l->get);
  sqlite3_finalize(l->put), sqlite3_finalize(l->del);
  free(l->marked);
  free(l);
}

/* The stamp row against the index's version now: *holds. */
static int stamp_holds(sqlite3 *db, int *holds) {
  fouille__fts5_version v = {0};
  int changed = 0, rc = fouille__fts5_version_read(db, &v, &changed);
  *holds = !rc && fouille__sizes_hold(db, &v);
  fouille__fts5_version_clear(&v);
  return rc;
}

int fouille__sizes_begin(fouille__sizes_log *l) {
  if (!l) return FOUILLE_OK;
  l->n = 0, l->lost = 0;
  stamp_holds(l->db, &l->holds); /* unreadable: made again at the commit */
  return FOUILLE_OK;
}

/* ---- The upkeep before a commit ------------------------------------------------------ */

static int fail(fouille__sizes_log *l) {
  return fouille__schema_fail(l->db, l->path, "keeping the packed column sizes");
}

/* Runs st (bound to block b and, unless n is 0, n bytes of blob). */
static int put_or_delete(fouille__sizes_log *l, sqlite3_stmt **st, const char *sql, long long b,
                         const void *blob, int n) {
  if (!*st && sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
    return fail(l);
  sqlite3_bind_int64(*st, 1, b);
  if (n) sqlite3_bind_blob(*st, 2, blob, n, SQLITE_STATIC);
  int s = sqlite3_step(*st);
  sqlite3_reset(*st);
  sqlite3_clear_bindings(*st);
  return s == SQLITE_DONE ? FOUILLE_OK : fail(l);
}

/* Row b of article_sizes: n bytes of blob, or none when n is 0. */
static int block_write(fouille__sizes_log *l, long long b, const void *blob, int n) {
  if (n)
    return put_or_delete(l, &l->put, "INSERT OR REPLACE INTO article_sizes VALUES(?1, ?2)", b, blob,
                         n);
  return put_or_delete(l, &l->del, "DELETE FROM article_sizes WHERE block = ?1", b, NULL, 0);
}

/* Makes block b again from FTS5's docsize rows (none: no block). */
static int block_make(fouille__sizes_log *l, long long b) {
  int rows = 0, rc = fouille__fts5_docsize_range(l->db, &l->range, b * BLK, BLK, l->sizes, &rows);
  return rc ? rc : block_write(l, b, l->block, rows ? block_pack(l->sizes, l->block) : 0);
}

/* Block b as stored into l->sizes (-1 where it has no row): *rows, -1 when
 * it is not in the format block_unpack reads. */
static int block_get(fouille__sizes_log *l, long long b, int *rows) {
  const char *sql = "SELECT sizes FROM article_sizes WHERE block = ?1";
  if (!l->get && sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &l->get, NULL))
    return fail(l);
  memset(l->sizes, 0xff, sizeof l->sizes);
  sqlite3_bind_int64(l->get, 1, b);
  int s = sqlite3_step(l->get);
  *rows = s != SQLITE_ROW ? 0
                          : block_unpack(sqlite3_column_blob(l->get, 0),
                                         sqlite3_column_bytes(l->get, 0), l->sizes);
  sqlite3_reset(l->get);
  return s == SQLITE_ROW || s == SQLITE_DONE ? FOUILLE_OK : fail(l);
}

/* Block b with the k rows ids (all in it) read again from FTS5's records,
 * one by one. */
static int block_patch(fouille__sizes_log *l, long long b, const long long *ids, size_t k) {
  int rows = 0, found = 0, rc = block_get(l, b, &rows);
  if (rc || rows < 0) return rc ? rc : block_make(l, b);
  for (size_t i = 0; i < k && !rc; i++)
    rc = fouille__fts5_docsize_range(l->db, &l->range, ids[i], 1,
                                     l->sizes + (ids[i] - b * BLK) * NC, &found);
  return rc ? rc : block_write(l, b, l->block, block_pack(l->sizes, l->block));
}

/* The blocks of the marked rowids: patched, or made again from their range
 * when they hold many. */
static int blocks_update(fouille__sizes_log *l) {
  int rc = FOUILLE_OK;
  marked_unique(l);
  for (size_t i = 0, j; i < l->n && !rc; i = j) {
    long long b = block_of(l->marked[i]);
    for (j = i; j < l->n && block_of(l->marked[j]) == b;) j++;
    rc = j - i > PATCH_MAX ? block_make(l, b) : block_patch(l, b, l->marked + i, j - i);
  }
  return rc;
}

/* Makes every block again: one for each 256 rowids holding a row. */
static int blocks_make_all(fouille__sizes_log *l) {
  long long from = LLONG_MIN, id = 0;
  int found = 1, rc = fouille__schema_exec(l->db, l->path,
                                           FOUILLE__SIZES_TABLE_SQL "DELETE FROM article_sizes");
  while (!rc && found && !(rc = fouille__fts5_docsize_next(l->db, &l->next, from, &id, &found)) &&
         found) {
    long long b = block_of(id);
    rc = block_make(l, b);
    if (b == block_of(LLONG_MAX)) break;
    from = (b + 1) * BLK;
  }
  return rc;
}

static int stamp_write(fouille__sizes_log *l) {
  fouille__fts5_version v = {0};
  int changed = 0, n = 0, rc = fouille__fts5_version_read(l->db, &v, &changed);
  unsigned char *s = rc ? NULL : stamp_of(&v, &n);
  if (!rc && !s) rc = fouille__error(FOUILLE_ENOMEM, "%s: out of memory", l->path);
  if (!rc) rc = block_write(l, FOUILLE__SIZES_STAMP, s, n);
  free(s);
  fouille__fts5_version_clear(&v);
  return rc;
}

int fouille__sizes_commit(fouille__sizes_log *l) {
  if (!l) return FOUILLE_OK; /* no log, no stamp: the blocks are not used */
  int now = 0,
      rc = fouille__schema_exec(l->db, l->path, "SAVEPOINT fouille_sizes; RELEASE fouille_sizes");
  /* FTS5 wrote its pending terms: its version now is the one committed. */
  if (!rc && l->holds && !l->lost && !l->n && !(rc = stamp_holds(l->db, &now)) && now)
    return FOUILLE_OK; /* nothing changed */
  if (!rc && (!l->holds || l->lost))
    rc = blocks_make_all(l);
  else if (!rc)
    rc = blocks_update(l);
  if (!rc) rc = stamp_write(l);
  if (!rc) l->n = 0, l->lost = 0, l->holds = 1;
  return rc;
}
