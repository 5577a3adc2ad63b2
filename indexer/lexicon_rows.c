/* Merges the counts of a batch into the lexicon's rows (store/lexicon.h):
 * for each row holding changed words, its entries and the changes are
 * merged in word order and written back, split into rows of at most
 * FOUILLE__LEX_ROW_MAX bytes. Plain UPDATE, INSERT and DELETE of one row
 * each: nothing here needs a statement journal (see update_rows.c). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lexicon_rows.h"
#include "schema.h"

#define ROW_TARGET (FOUILLE__LEX_ROW_MAX * 2 / 3) /* room to grow after a split */
/* Once a row's old entries are all merged, at most this many entries are
 * merged before they are written: the changes past the last row (all of
 * them in an empty lexicon) are written a few rows at a time, their next
 * taken up again from the last row written, so that the merge's buffers
 * stay small and in the cache. */
#define MERGE_CHUNK 256

enum { S_FIND, S_FIRST, S_NEXT, S_DEL, S_INS, S_UPD, S_CLEAR, S_N };

static const char *const sql[S_N] = {
    "SELECT first, entries FROM lexicon WHERE first <= ?1 ORDER BY first DESC LIMIT 1",
    "SELECT first, entries FROM lexicon ORDER BY first LIMIT 1",
    "SELECT first FROM lexicon WHERE first > ?1 ORDER BY first LIMIT 1",
    "DELETE FROM lexicon WHERE first = ?1",
    "INSERT INTO lexicon(first, entries) VALUES(?1, ?2)",
    "UPDATE lexicon SET entries = ?2 WHERE first = ?1",
    "DELETE FROM lexicon"};

/* An entry of the merged row. stem is NULL when it is the word's start. */
typedef struct mentry {
  char word[FOUILLE__LEX_WORD_MAX + 1];
  int len, stem_len, n_forms;
  long long df, plain;
  const char *stem;
  size_t forms_at; /* in r->forms */
  size_t at;       /* where write_rows encoded it in r->w */
  const unsigned char *raw; /* an unchanged entry's bytes in r->blob, to copy; or NULL */
  size_t raw_len;
} mentry;

typedef struct key {
  char s[FOUILLE__LEX_WORD_MAX + 1];
  int len, set;
} key;

struct fouille__lex_rows {
  sqlite3 *db;
  const char *path;
  sqlite3_stmt *st[S_N];
  fouille__lex_writer w, piece;
  unsigned char *blob; /* the row being merged */
  size_t blob_len, blob_cap;
  mentry *m;
  size_t n_m, cap_m;
  fouille__lex_form *forms;
  size_t n_forms, cap_forms;
  key row, next; /* the row's first word, the next row's */
};

static int fail(fouille__lex_rows *r, const char *what) {
  return fouille__schema_fail(r->db, r->path, what);
}

int fouille__lex_rows_open(fouille__lex_rows **out, sqlite3 *db, const char *path) {
  fouille__lex_rows *r = calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  r->db = db, r->path = path;
  for (int i = 0; i < S_N; i++)
    if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->st[i], NULL)) {
      int rc = fail(r, "preparing the lexicon");
      fouille__lex_rows_free(r);
      return rc;
    }
  *out = r;
  return FOUILLE_OK;
}

void fouille__lex_rows_free(fouille__lex_rows *r) {
  if (!r) return;
  for (int i = 0; i < S_N; i++) sqlite3_finalize(r->st[i]);
  fouille__lex_writer_free(&r->w);
  fouille__lex_writer_free(&r->piece);
  free(r->blob);
  free(r->m);
  free(r->forms);
  free(r);
}

size_t fouille__lex_rows_bytes(const fouille__lex_rows *r) {
  return r->w.cap + r->piece.cap + r->blob_cap + r->cap_m * sizeof *r->m +
         r->cap_forms * sizeof *r->forms;
}

static int cmp(const char *a, int na, const char *b, int nb) {
  for (int i = 0, n = na < nb ? na : nb; i < n; i++)
    if (a[i] != b[i]) return (unsigned char)a[i] - (unsigned char)b[i];
  return na - nb;
}

static int step_done(fouille__lex_rows *r, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? FOUILLE_OK : fail(r, "writing the lexicon");
}

int fouille__lex_rows_clear(fouille__lex_rows *r) { return step_done(r, r->st[S_CLEAR]); }

/* ---- Finding the row of a word -------------------------------------------------------- */

static void key_set(key *k, sqlite3_stmt *st) {
  int n = sqlite3_column_bytes(st, 0);
  const char *s = (const char *)sqlite3_column_text(st, 0);
  k->set = s && n <= FOUILLE__LEX_WORD_MAX;
  if (k->set) memcpy(k->s, s, (size_t)n), k->s[n] = '\0', k->len = n;
}

/* Copies the current row of st (first, entries) into r->row and r->blob. */
static int take_row(fouille__lex_rows *r, sqlite3_stmt *st) {
  size_t n = (size_t)sqlite3_column_bytes(st, 1);
  const void *b = sqlite3_column_blob(st, 1);
  key_set(&r->row, st);
  if (n > r->blob_cap) {
    unsigned char *p = realloc(r->blob, n);
    if (!p) return fouille__error(FOUILLE_ENOMEM, "out of memory");
    r->blob = p, r->blob_cap = n;
  }
  if (n) memcpy(r->blob, b, n);
  r->blob_len = n;
  return FOUILLE_OK;
}

/* Runs a row query: 1 with the row taken, 0 when none, or an error. */
static int row_query(fouille__lex_rows *r, sqlite3_stmt *st, int with_blob) {
  int rc = sqlite3_step(st), out = 0;
  if (rc == SQLITE_ROW) out = with_blob ? take_row(r, st) : (key_set(&r->next, st), 0);
  if (rc == SQLITE_ROW && out == 0) out = 1;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(r, "reading the lexicon");
  return out;
}

/* The row holding word (the first row for a word before it; none in an
 * empty lexicon) into r->row / r->blob, and the next row's first word. */
static int locate(fouille__lex_rows *r, const char *word, int len) {
  int rc;
  r->row.set = r->next.set = 0, r->blob_len = 0;
  sqlite3_bind_text(r->st[S_FIND], 1, word, len, SQLITE_STATIC);
  rc = row_query(r, r->st[S_FIND], 1);
  if (rc == 0) rc = row_query(r, r->st[S_FIRST], 1);
  if (rc <= 0) return rc;
  sqlite3_bind_text(r->st[S_NEXT], 1, r->row.s, r->row.len, SQLITE_STATIC);
  rc = row_query(r, r->st[S_NEXT], 0);
  return rc < 0 ? rc : FOUILLE_OK;
}

/* ---- Merging ------------------------------------------------------------------------------ */

static mentry *push_entry(fouille__lex_rows *r) {
  if (r->n_m == r->cap_m) {
    size_t cap = r->cap_m ? r->cap_m * 2 : 256;
    mentry *m = realloc(r->m, cap * sizeof *m);
    if (!m) return NULL;
    r->m = m, r->cap_m = cap;
  }
  mentry *e = &r->m[r->n_m++];
  e->forms_at = r->n_forms, e->n_forms = 0, e->raw = NULL;
  return e;
}

static int push_form(fouille__lex_rows *r, mentry *e, const char *text, int len, long long df) {
  if (df <= 0) return 0;
  if (r->n_forms == r->cap_forms) {
    size_t cap = r->cap_forms ? r->cap_forms * 2 : 256;
    fouille__lex_form *f = realloc(r->forms, cap * sizeof *f);
    if (!f) return -1;
    r->forms = f, r->cap_forms = cap;
  }
  r->forms[r->n_forms++] = (fouille__lex_form){text, len, df};
  e->n_forms++;
  return 0;
}

/* e's forms: those of old (may be NULL) merged with d's changes (may be
 * NULL), both sorted; forms left with no article go. */
static int merge_forms(fouille__lex_rows *r, mentry *e, const fouille__lex_entry *old,
                       const fouille__lex_delta *d) {
  const unsigned char *at = old ? old->forms : NULL;
  fouille__lex_form f;
  int have = old && fouille__lex_form_next(old, &at, &f), k = 0, nd = d ? d->n_forms : 0;
  while (have || k < nd) {
    const fouille__lex_form *g = k < nd ? &d->forms[k] : NULL;
    int c = !have ? 1 : !g ? -1 : cmp(f.text, f.len, g->text, g->len);
    long long df = (c <= 0 ? f.df : 0) + (c >= 0 ? g->df : 0);
    if (push_form(r, e, c <= 0 ? f.text : g->text, c <= 0 ? f.len : g->len, df))
      return fouille__error(FOUILLE_ENOMEM, "out of memory");
    if (c <= 0) have = fouille__lex_form_next(old, &at, &f);
    if (c >= 0) k++;
  }
  return FOUILLE_OK;
}

/* One merged entry from old (may be NULL) and d (may be NULL). */
static int merge_one(fouille__lex_rows *r, const fouille__lex_entry *old,
                     const fouille__lex_delta *d) {
  mentry *e = push_entry(r);
  if (!e) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  const char *w = old ? old->word : d->word;
  e->len = old ? old->len : d->len;
  memcpy(e->word, w, (size_t)e->len), e->word[e->len] = '\0';
  e->df = (old ? old->df : 0) + (d ? d->df : 0);
  e->plain = (old ? old->plain : 0) + (d ? d->plain : 0);
  e->stem_len = old ? old->stem_len : d->stem_len;
  e->stem = old ? (old->stem == old->word ? NULL : old->stem) : d->stem;
  int rc = merge_forms(r, e, old, d);
  if (!rc && e->df <= 0) r->n_forms = e->forms_at, r->n_m--; /* no article left */
  return rc;
}

/* The row's entries merged with d[*i ..) up to the next row's first word
 * (or, past the row's last entry, MERGE_CHUNK entries in all); *i moves
 * past the changes taken. An unchanged entry keeps its bytes
 * when the word it followed in the row is still the one before it (chain),
 * or it followed none. */
static int merge_row(fouille__lex_rows *r, const fouille__lex_delta *d, size_t n, size_t *i) {
  fouille__lex_cursor c;
  const unsigned char *at = NULL;
  int have = 0, chain = 1, rc = FOUILLE_OK;
  size_t start = *i;
  r->n_m = r->n_forms = 0;
  if (r->blob_len && fouille__lex_cursor_init(&c, r->blob, (int)r->blob_len) == 0)
    at = c.p, have = fouille__lex_cursor_next(&c) == 1;
  while (!rc && (have || *i < n)) {
    if (!have && r->n_m >= MERGE_CHUNK && *i > start) break;
    const fouille__lex_delta *x = *i < n ? &d[*i] : NULL;
    if (x && r->next.set && cmp(x->word, x->len, r->next.s, r->next.len) >= 0) x = NULL;
    if (!have && !x) break;
    int o = !have ? 1 : !x ? -1 : cmp(c.e.word, c.e.len, x->word, x->len);
    size_t before = r->n_m;
    rc = merge_one(r, o <= 0 ? &c.e : NULL, o >= 0 ? x : NULL);
    if (!rc && o < 0 && (chain || c.e.shared == 0))
      r->m[r->n_m - 1].raw = at, r->m[r->n_m - 1].raw_len = (size_t)(c.p - at);
    chain = o <= 0 && r->n_m > before; /* the input's entry is the output's last */
    if (o <= 0) at = c.p, have = fouille__lex_cursor_next(&c) == 1;
    if (o >= 0) ++*i;
  }
  return rc;
}

/* ---- Writing the merged entries back ----------------------------------------------------------- */

static void put_entry(fouille__lex_writer *w, const fouille__lex_rows *r, const mentry *e) {
  fouille__lex_put(w, e->word, e->len, e->df, e->plain, e->stem ? e->stem : e->word, e->stem_len,
                   r->forms + e->forms_at, e->n_forms);
}

/* Writes w as the row starting at entry e: over the old row when it
 * starts with the same word, else as a new one. */
static int write_piece(fouille__lex_rows *r, const fouille__lex_writer *w, const mentry *e,
                       int *reused) {
  if (w->oom) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  int same = r->row.set && !*reused && cmp(e->word, e->len, r->row.s, r->row.len) == 0;
  sqlite3_stmt *st = r->st[same ? S_UPD : S_INS];
  *reused |= same;
  sqlite3_bind_text(st, 1, e->word, e->len, SQLITE_STATIC);
  sqlite3_bind_blob(st, 2, w->buf, (int)w->len, SQLITE_STATIC);
  return step_done(r, st);
}

/* Entries [a, b) of r->w as one row: the first written again in full (it
 * follows no word in its row), the others copied as encoded. */
static int write_split(fouille__lex_rows *r, size_t a, size_t b, int *reused) {
  size_t end = b < r->n_m ? r->m[b].at : r->w.len;
  fouille__lex_writer_reset(&r->piece);
  put_entry(&r->piece, r, &r->m[a]);
  if (a + 1 < b) fouille__lex_put_raw(&r->piece, r->w.buf + r->m[a + 1].at, end - r->m[a + 1].at);
  return write_piece(r, &r->piece, &r->m[a], reused);
}

/* The merged entries as one row, or as rows of about the same size when
 * over FOUILLE__LEX_ROW_MAX bytes; the old row goes unless the first keeps
 * its first word. */
static int write_rows(fouille__lex_rows *r) {
  int reused = 0, rc = FOUILLE_OK;
  fouille__lex_writer_reset(&r->w);
  for (size_t k = 0; k < r->n_m; k++) {
    mentry *e = &r->m[k];
    e->at = r->w.len;
    if (e->raw)
      fouille__lex_put_copy(&r->w, e->raw, e->raw_len, e->word, e->len);
    else
      put_entry(&r->w, r, e);
  }
  size_t total = r->w.len, pieces = (total + ROW_TARGET - 1) / ROW_TARGET;
  int keep = r->row.set && r->n_m && cmp(r->m[0].word, r->m[0].len, r->row.s, r->row.len) == 0;
  if (r->row.set && !keep) {
    sqlite3_bind_text(r->st[S_DEL], 1, r->row.s, r->row.len, SQLITE_STATIC);
    if ((rc = step_done(r, r->st[S_DEL]))) return rc;
  }
  if (r->n_m && total <= FOUILLE__LEX_ROW_MAX) return write_piece(r, &r->w, &r->m[0], &reused);
  for (size_t a = 0, b; a < r->n_m && !rc; a = b) {
    for (b = a + 1; b < r->n_m && r->m[b].at - r->m[a].at < total / pieces;) b++;
    rc = write_split(r, a, b, &reused);
  }
  return rc;
}

int fouille__lex_rows_merge(fouille__lex_rows *r, const fouille__lex_delta *d, size_t n) {
  size_t i = 0;
  int rc = FOUILLE_OK;
  while (!rc && i < n) {
    size_t before = i;
    if ((rc = locate(r, d[i].word, d[i].len)) || (rc = merge_row(r, d, n, &i))) break;
    if (i == before) i++; /* cannot happen: the row takes at least d[i] */
    rc = write_rows(r);
  }
  return rc;
}
