/* Facets: the matches of a search counted by source, year and month in
 * one pass over the rowids of every match, looked up in the connection's
 * table of sources and dates (facet_meta.c), or, without one, over the
 * (source, date) of every match's row. Each facet keeps the other filters
 * but not its own (sources whatever the source filters, dates whatever
 * since and until), so that a list shows what choosing one more value
 * would give. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "search_private.h"

/* A facet's counts while they are gathered: an open-addressing table. */
typedef struct tally {
  fouille_facet_value *v; /* slots; value NULL when empty */
  size_t n, cap;
} tally;

static uint64_t hash(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static int tally_grow(tally *t) {
  size_t cap = t->cap ? t->cap * 2 : 64;
  fouille_facet_value *v = calloc(cap, sizeof *v);
  if (!v) return FOUILLE_ENOMEM;
  for (size_t i = 0; i < t->cap; i++) {
    if (!t->v[i].value) continue;
    size_t j = hash(t->v[i].value, strlen(t->v[i].value)) & (cap - 1);
    while (v[j].value) j = (j + 1) & (cap - 1);
    v[j] = t->v[i];
  }
  free(t->v);
  t->v = v, t->cap = cap;
  return FOUILLE_OK;
}

/* Adds one to the first len bytes of value. */
static int tally_add(tally *t, const char *value, size_t len) {
  if ((t->n + 1) * 2 > t->cap && tally_grow(t)) return FOUILLE_ENOMEM;
  size_t j = hash(value, len) & (t->cap - 1);
  for (; t->v[j].value; j = (j + 1) & (t->cap - 1))
    if (strncmp(t->v[j].value, value, len) == 0 && !t->v[j].value[len])
      return t->v[j].count++, FOUILLE_OK;
  char *copy = malloc(len + 1);
  if (!copy) return FOUILLE_ENOMEM;
  memcpy(copy, value, len);
  copy[len] = '\0';
  t->v[j].value = copy, t->v[j].count = 1, t->n++;
  return FOUILLE_OK;
}

static void tally_free(tally *t) {
  for (size_t i = 0; i < t->cap; i++) free((char *)t->v[i].value);
  free(t->v);
}

static int by_count(const void *a, const void *b) {
  const fouille_facet_value *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->value, y->value);
}

static int by_value(const void *a, const void *b) {
  return strcmp(((const fouille_facet_value *)a)->value, ((const fouille_facet_value *)b)->value);
}

/* Moves t's values into res's facet i, sorted; t is left empty. */
static void tally_finish(tally *t, fouille_results *res, int i) {
  size_t n = 0;
  for (size_t j = 0; j < t->cap; j++)
    if (t->v[j].value) t->v[n++] = t->v[j];
  if (n > 1) qsort(t->v, n, sizeof *t->v, i == 0 ? by_count : by_value);
  res->facet[i] = t->v, res->n_facet[i] = n;
  t->v = NULL, t->n = t->cap = 0;
}

int fouille__filters_source_ok(const fouille__filters *f, const char *source) {
  if (!f->source && !f->sources) return 1;
  if (!source || (f->source && strcmp(source, f->source))) return 0;
  if (!f->sources) return 1;
  for (size_t i = 0; i < f->n_sources; i++)
    if (!strcmp(source, f->sources[i])) return 1;
  return 0;
}

int fouille__filters_date_ok(const fouille__filters *f, const char *date) {
  if (!f->since && !f->has_until) return 1;
  if (!date || (f->since && strcmp(date, f->since) < 0)) return 0;
  return !f->has_until || strcmp(date, f->until_end) < 0;
}

/* Counts one match (source, date) in the facets asked for. */
static int count_row(const fouille__search *s, tally *t, const char *source, const char *date) {
  unsigned want = s->o->facets;
  int rc = FOUILLE_OK;
  if (source && (want & FOUILLE_FACET_SOURCE) && fouille__filters_date_ok(&s->f, date))
    rc = tally_add(&t[0], source, strlen(source));
  if (!date || strlen(date) < 4 || !fouille__filters_source_ok(&s->f, source)) return rc;
  if (!rc && (want & FOUILLE_FACET_YEAR)) rc = tally_add(&t[1], date, 4);
  if (!rc && (want & FOUILLE_FACET_MONTH) && strlen(date) >= 7) rc = tally_add(&t[2], date, 7);
  return rc;
}

static int gather(fouille__search *s, const char *expr, tally *t) {
  static const char sql[] = "SELECT a.source, a.date FROM articles_fts JOIN articles a ON a.id ="
                            " articles_fts.rowid WHERE articles_fts MATCH ?1";
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK, step;
  if (sqlite3_prepare_v2(s->r->db, sql, -1, &st, NULL) != SQLITE_OK)
    return fouille__search_db_error(s, "counting facets");
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
    rc = count_row(s, t, (const char *)sqlite3_column_text(st, 0),
                   (const char *)sqlite3_column_text(st, 1));
  if (rc)
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory counting facets");
  else if (step != SQLITE_DONE)
    rc = fouille__search_db_error(s, "counting facets");
  sqlite3_finalize(st);
  return rc;
}

/* ---- From the table: counts in arrays ---------------------------------------- */

static int use_meta = 1;
void fouille__facets_use_meta(int on) { use_meta = on; }

typedef struct counts {
  const fouille__facet_meta *m;
  unsigned char *src_ok; /* per source index (0: none): passes the source filters */
  uint64_t *src, *year, *month;
  int32_t since, until_end; /* date codes: since <= d < until_end */
  int dated;                /* a date filter is set */
} counts;

/* The code just past every date within until (YYYY, YYYY-MM or YYYY-MM-DD). */
static int32_t until_end_code(const char *until) {
  int32_t c = fouille__facet_date_code(until);
  size_t n = strlen(until);
  return n == 4 ? c + 10000 : n == 7 ? c + 100 : c + 1;
}

static int counts_init(counts *k, const fouille__search *s, const fouille__facet_meta *m) {
  size_t years = m->year_max >= m->year_min ? (size_t)(m->year_max - m->year_min + 1) : 0;
  k->m = m;
  k->src_ok = malloc(m->n_names + 1);
  k->src = calloc(m->n_names + 1, sizeof *k->src);
  k->year = calloc(years + 1, sizeof *k->year);
  k->month = calloc(years * 12 + 1, sizeof *k->month);
  if (!k->src_ok || !k->src || !k->year || !k->month) return FOUILLE_ENOMEM;
  for (size_t i = 0; i <= m->n_names; i++)
    k->src_ok[i] = (unsigned char)fouille__filters_source_ok(&s->f, i ? m->names[i - 1] : NULL);
  k->dated = s->f.since || s->f.has_until;
  k->since = s->f.since ? fouille__facet_date_code(s->f.since) : 0;
  k->until_end = s->f.has_until ? until_end_code(s->o->until) : INT32_MAX;
  return FOUILLE_OK;
}

static void counts_free(counts *k) { free(k->src_ok), free(k->src), free(k->year), free(k->month); }

static void count_id(counts *k, sqlite3_int64 id) {
  const fouille__facet_meta *m = k->m;
  sqlite3_int64 at = id - m->first;
  if (at < 0 || (size_t)at >= m->n) return;
  unsigned src = m->src[at];
  int32_t d = m->date[at];
  if (src && (!k->dated || (d >= k->since && d < k->until_end))) k->src[src]++;
  if (d < 0 || !k->src_ok[src]) return;
  int y = d / 10000 - m->year_min, month = d / 100 % 100;
  k->year[y]++;
  if (month >= 1 && month <= 12) k->month[y * 12 + month - 1]++;
}

/* The values with a count, as res's facet i; names[j] or the year or month. */
static int emit(fouille_results *res, int i, const uint64_t *c, size_t n, const counts *k) {
  fouille_facet_value *v = calloc(n + 1, sizeof *v);
  size_t out = 0;
  if (!v) return FOUILLE_ENOMEM;
  res->facet[i] = v;
  for (size_t j = 0; j < n; j++) {
    char buf[16], *copy;
    if (!c[j]) continue;
    if (i == 0)
      copy = strdup(k->m->names[j]);
    else {
      int y = k->m->year_min + (int)(i == 1 ? j : j / 12);
      if (i == 1)
        snprintf(buf, sizeof buf, "%04d", y);
      else
        snprintf(buf, sizeof buf, "%04d-%02d", y, (int)(j % 12) + 1);
      copy = strdup(buf);
    }
    if (!copy) return FOUILLE_ENOMEM;
    v[out].value = copy, v[out].count = c[j], res->n_facet[i] = ++out;
  }
  if (i == 0 && out > 1) qsort(v, out, sizeof *v, by_count);
  return FOUILLE_OK;
}

static int from_meta(fouille__search *s, const char *expr, const fouille__facet_meta *m) {
  counts k = {0};
  sqlite3_stmt *st = NULL;
  int rc = counts_init(&k, s, m), step = SQLITE_DONE;
  size_t years = m->year_max >= m->year_min ? (size_t)(m->year_max - m->year_min + 1) : 0;
  if (!rc &&
      sqlite3_prepare_v2(s->r->db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1", -1,
                         &st, NULL) != SQLITE_OK)
    rc = fouille__search_db_error(s, "counting facets");
  if (st) sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) count_id(&k, sqlite3_column_int64(st, 0));
  if (!rc && step != SQLITE_DONE) rc = fouille__search_db_error(s, "counting facets");
  sqlite3_finalize(st);
  unsigned want = s->o->facets;
  if (!rc && (want & FOUILLE_FACET_SOURCE)) rc = emit(s->res, 0, k.src + 1, m->n_names, &k);
  if (!rc && (want & FOUILLE_FACET_YEAR)) rc = emit(s->res, 1, k.year, years, &k);
  if (!rc && (want & FOUILLE_FACET_MONTH)) rc = emit(s->res, 2, k.month, years * 12, &k);
  counts_free(&k);
  if (rc == FOUILLE_ENOMEM) rc = fouille__error(FOUILLE_ENOMEM, "out of memory counting facets");
  return rc;
}

/* ---- The facets ------------------------------------------------------------------ */

/* What the facets depend on: which, the expression, the filters. NULL when
 * out of memory. */
static char *facets_key(const fouille__search *s, const char *expr) {
  const char *parts[] = {expr, s->f.since, s->f.has_until ? s->f.until_end : NULL, s->f.source,
                         s->f.sources_json};
  size_t n = 16, at;
  for (size_t i = 0; i < 5; i++) n += (parts[i] ? strlen(parts[i]) : 0) + 2;
  char *k = malloc(n);
  if (!k) return NULL;
  at = (size_t)snprintf(k, n, "%u", s->o->facets);
  for (size_t i = 0; i < 5; i++)
    at +=
        (size_t)snprintf(k + at, n - at, "\x1f%s%s", parts[i] ? "=" : "", parts[i] ? parts[i] : "");
  return k;
}

static int from_meta_kept(fouille__search *s, const char *expr, fouille__facet_meta *m) {
  char *key = facets_key(s, expr);
  int rc = key ? fouille__facet_meta_recall(m, key, s->res) : FOUILLE_ENOMEM;
  if (rc == 0 && !(rc = from_meta(s, expr, m))) fouille__facet_meta_remember(m, key, s->res);
  free(key);
  if (rc == FOUILLE_ENOMEM) return fouille__error(FOUILLE_ENOMEM, "out of memory counting facets");
  return rc == 1 ? FOUILLE_OK : rc;
}

int fouille__search_facets(fouille__search *s, const char *expr) {
  tally t[FOUILLE__FACETS] = {{NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
  fouille__facet_meta *m = use_meta ? fouille__search_cache_meta(s) : NULL;
  if (m) return from_meta_kept(s, expr, m);
  int rc = gather(s, expr, t);
  for (int i = 0; i < FOUILLE__FACETS; i++) {
    if (!rc && (s->o->facets & (1u << i))) {
      tally_finish(&t[i], s->res, i);
      if (!s->res->facet[i]) s->res->facet[i] = calloc(1, sizeof *s->res->facet[i]);
      if (!s->res->facet[i]) rc = fouille__error(FOUILLE_ENOMEM, "out of memory counting facets");
    }
    tally_free(&t[i]);
  }
  return rc;
}

void fouille__search_facets_free(fouille_results *res) {
  for (int i = 0; i < FOUILLE__FACETS; i++) {
    for (size_t j = 0; j < res->n_facet[i]; j++) free((char *)res->facet[i][j].value);
    free(res->facet[i]);
  }
}

FOUILLE_EXTERN const fouille_facet_value *fouille_results_facet(const fouille_results *res,
                                                                fouille_facet facet, size_t *n) {
  int i = facet == FOUILLE_FACET_SOURCE ? 0 : facet == FOUILLE_FACET_YEAR ? 1 : 2;
  if (n) *n = 0;
  if (!res || (facet != FOUILLE_FACET_SOURCE && facet != FOUILLE_FACET_YEAR &&
               facet != FOUILLE_FACET_MONTH))
    return NULL;
  if (n) *n = res->n_facet[i];
  return res->facet[i];
}

const char *const fouille__facet_names[FOUILLE__FACET_COUNT] = {"source", "year", "month"};

FOUILLE_EXTERN int fouille_facets_parse(unsigned *out, const char *list) {
  const char *const *names = fouille__facet_names;
  unsigned bits = 0;
  if (!out || !list) return fouille__error(FOUILLE_EINVAL, "facets: no list");
  for (const char *p = list;; p++) {
    size_t len = strcspn(p, ","), i = 0;
    while (i < FOUILLE__FACETS && (strlen(names[i]) != len || strncmp(p, names[i], len))) i++;
    if (i == FOUILLE__FACETS)
      return fouille__error(FOUILLE_EINVAL,
                            "facets: unknown facet '%.*s' (expected source, year or month)",
                            (int)(len > 40 ? 40 : len), p);
    bits |= 1u << i;
    p += len;
    if (!*p) break;
  }
  *out = bits;
  return FOUILLE_OK;
}
