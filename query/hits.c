/* The hits of a page: their articles' fields in the final order (by rank
 * from the candidates, or by date straight from SQL) and their passages. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "search_private.h"

void fouille__search_hit_free(fouille_hit *h) {
  free((char *)h->key), free((char *)h->title), free((char *)h->date);
  free((char *)h->source), free((char *)h->url);
  fouille__passages_free((fouille_passage *)h->passages, h->n_passages);
}

static char *col_dup(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? strdup((const char *)t) : NULL;
}

/* A hit from columns key, title, date, source, url, score. */
static int read_hit(sqlite3_stmt *st, fouille_hit *h) {
  memset(h, 0, sizeof *h);
  h->version = FOUILLE_HIT_VERSION;
  h->key = col_dup(st, 0), h->title = col_dup(st, 1), h->date = col_dup(st, 2);
  h->source = col_dup(st, 3), h->url = col_dup(st, 4);
  h->score = -sqlite3_column_double(st, 5);
  if (!h->key) return fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
  return FOUILLE_OK;
}

/* ---- By date ------------------------------------------------------------------------ */

/* Date order only: every match needs its date, so SQL sorts them all. */
static const char *const date_sql =
    "SELECT a.key, a.title, a.date, a.source, a.url, h.score FROM (SELECT articles_fts.rowid AS id,"
    " " RANK_SIZES_SQL
    " AS score, a.date AS date, a.key AS key FROM articles_fts JOIN articles a ON"
    " a.id = articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL
    " ORDER BY date DESC, score, key LIMIT ?5 OFFSET ?6) h JOIN articles a ON a.id = h.id"
    " ORDER BY h.date DESC, h.score, h.key";

int fouille__search_fetch_by_date(fouille__search *s, const char *expr) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, step;
  size_t cap = (size_t)s->o->limit;
  fouille__rank_hints h = {0, 0, 0, NULL, NULL, 0, 0, NULL, NULL, NULL, 0, NULL, 0};
  double *weight = NULL; /* request words weigh less, for ties */
  if (fouille__phrase_weights(s->p, expr, &weight, &h.weight_n))
    return fouille__error(FOUILLE_ENOMEM, "out of memory ranking matches");
  h.weight = weight;
  if (sqlite3_prepare_v2(s->r->db, date_sql, -1, &st, NULL)) {
    rc = fouille__search_db_error(s, "ranking matches");
    goto done;
  }
  fouille__search_bind_filters(s, st, expr);
  sqlite3_bind_pointer(st, 7, &h, FOUILLE__RANK_HINTS_TYPE, NULL);
  sqlite3_bind_int(st, 5, s->o->limit);
  sqlite3_bind_int(st, 6, s->o->offset);
  if (!(s->res->hits = calloc(cap, sizeof *s->res->hits))) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
    goto done;
  }
  while ((step = sqlite3_step(st)) == SQLITE_ROW && s->res->n_hits < cap) {
    rc = read_hit(st, &s->res->hits[s->res->n_hits]);
    s->res->n_hits++;
    if (rc) goto done;
  }
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    rc = fouille__search_db_error(s, "ranking matches");
done:
  sqlite3_finalize(st);
  free(weight);
  return rc;
}

/* ---- By rank ------------------------------------------------------------------------ */

/* A candidate with what breaks ties and what the hit shows. */
typedef struct row {
  double rank;
  fouille_hit h;
} row;

static int cmp_null_last(const char *a, const char *b) { /* date DESC, NULL last */
  if (!a || !b) return !a - !b;
  return -strcmp(a, b);
}

/* fouille_rank, then date DESC, then key: the SQL order this replaces. */
static int cmp_row(const void *pa, const void *pb) {
  const row *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  int c = cmp_null_last(a->h.date, b->h.date);
  return c ? c : strcmp(a->h.key, b->h.key);
}

/* Reads the candidates' articles into rows[0..*n). */
static int read_candidates(fouille__search *s, const fouille__topk *t, row *rows, size_t *n) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(s->r->db,
                         "SELECT key, title, date, source, url FROM articles WHERE id = ?1", -1,
                         &st, NULL) != SQLITE_OK)
    return fouille__search_db_error(s, "reading hits");
  for (size_t i = 0; i < t->n && !rc; i++) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, t->c[i].id);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) continue; /* cannot happen in one snapshot */
    if (step != SQLITE_ROW) {
      rc = fouille__search_db_error(s, "reading hits");
    } else if ((rc = read_hit(st, &rows[*n].h))) {
      fouille__search_hit_free(&rows[*n].h);
    } else {
      rows[*n].rank = t->c[i].rank, rows[(*n)++].h.score = -t->c[i].rank;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* Moves rows [offset, need) into the results' hits. */
static int keep_page(fouille__search *s, const fouille__topk *t, row *rows, size_t n) {
  size_t off = (size_t)s->o->offset, end = n < t->need ? n : t->need, k = 0;
  if (off < end && !(s->res->hits = calloc(end - off, sizeof *s->res->hits)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
  for (size_t i = off; i < end; i++) s->res->hits[k++] = rows[i].h, rows[i].h.key = NULL;
  s->res->n_hits = k;
  return FOUILLE_OK;
}

int fouille__search_fetch_top(fouille__search *s, const fouille__topk *t) {
  row *rows = calloc(t->n ? t->n : 1, sizeof *rows);
  size_t n = 0;
  if (!rows) return fouille__error(FOUILLE_ENOMEM, "out of memory reading hits");
  int rc = read_candidates(s, t, rows, &n);
  if (!rc) {
    qsort(rows, n, sizeof *rows, cmp_row);
    rc = keep_page(s, t, rows, n);
  }
  for (size_t i = 0; i < n; i++)
    if (rows[i].h.key) fouille__search_hit_free(&rows[i].h);
  free(rows);
  return rc;
}

/* ---- Passages ----------------------------------------------------------------------- */

static int body_of(fouille__search *s, sqlite3_stmt *st, const char *key) {
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW || step == SQLITE_DONE) return step;
  return fouille__search_db_error(s, "reading an article");
}

int fouille__search_add_passages(fouille__search *s, const fouille__parsed *p, const double *idf) {
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(s->r->db, "SELECT body FROM articles WHERE key = ?1", -1, &st, NULL))
    return fouille__search_db_error(s, "reading an article");
  for (size_t i = 0; i < s->res->n_hits && !rc; i++) {
    fouille_hit *h = &s->res->hits[i];
    fouille_passage *ps = NULL;
    size_t n = 0;
    if ((rc = body_of(s, st, h->key)) < 0) break;
    const char *body = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    size_t len = body ? (size_t)sqlite3_column_bytes(st, 0) : 0;
    rc = fouille__passages_make(s->r->analyzer, body ? body : "", len, p->terms, idf, p->n_terms,
                                s->o->passages, s->o->passage_length, &ps, &n);
    if (!rc) h->passages = ps, h->n_passages = n;
  }
  sqlite3_finalize(st);
  return rc;
}
