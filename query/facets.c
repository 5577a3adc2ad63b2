/* Facets: the matches of a search counted by source, year and month in
 * one pass over (source, date) of every match. Each facet keeps the other
 * filters but not its own (sources whatever the source filters, dates
 * whatever since and until), so that a list shows what choosing one more
 * value would give. */
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

int fouille__search_facets(fouille__search *s, const char *expr) {
  tally t[FOUILLE__FACETS] = {{NULL, 0, 0}, {NULL, 0, 0}, {NULL, 0, 0}};
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

FOUILLE_EXTERN int fouille_facets_parse(unsigned *out, const char *list) {
  static const char *const names[FOUILLE__FACETS] = {"source", "year", "month"};
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
