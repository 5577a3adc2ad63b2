/* Each article's source and date as small numbers, read once per version
 * of the index on a read connection (kept in its cache): facets then
 * count a query's matches from their rowids alone, with no lookup in the
 * articles table per match (about 50 ms at 100,000 articles, against a
 * few ms). Read from the covering indexes on source and date. The last
 * searches' facets are kept with it (paging or re-sorting asks again for
 * the same ones). */
#include <stdlib.h>
#include <string.h>

#include "search_private.h"

#define SOURCES_MAX 65535 /* more distinct sources: facets read the rows instead */

static void values_free(fouille_facet_value *v, size_t n) {
  for (size_t i = 0; i < n; i++) free((char *)v[i].value);
  free(v);
}

static void slot_clear(struct fouille__facet_slot *s) {
  free(s->key), s->key = NULL;
  for (int i = 0; i < FOUILLE__FACETS; i++)
    values_free(s->v[i], s->n[i]), s->v[i] = NULL, s->n[i] = 0;
}

void fouille__facet_meta_free(fouille__facet_meta *m) {
  if (!m) return;
  for (size_t i = 0; i < sizeof m->slots / sizeof m->slots[0]; i++) slot_clear(&m->slots[i]);
  for (size_t i = 0; i < m->n_names; i++) free(m->names[i]);
  free(m->names), free(m->src), free(m->date), free(m);
}

/* A copy of src[0..n) in *dst (NULL src: none asked, *dst NULL). */
static int values_copy(fouille_facet_value **dst, size_t *dn, const fouille_facet_value *src,
                       size_t n) {
  *dst = NULL, *dn = 0;
  if (!src) return FOUILLE_OK;
  if (!(*dst = calloc(n + 1, sizeof **dst))) return FOUILLE_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    if (!((*dst)[i].value = strdup(src[i].value))) return FOUILLE_ENOMEM;
    (*dst)[i].count = src[i].count, *dn = i + 1;
  }
  return FOUILLE_OK;
}

int fouille__facet_meta_recall(const fouille__facet_meta *m, const char *key,
                               fouille_results *res) {
  for (size_t i = 0; i < sizeof m->slots / sizeof m->slots[0]; i++) {
    const struct fouille__facet_slot *s = &m->slots[i];
    if (!s->key || strcmp(s->key, key)) continue;
    for (int f = 0; f < FOUILLE__FACETS; f++)
      if (values_copy(&res->facet[f], &res->n_facet[f], s->v[f], s->n[f])) return FOUILLE_ENOMEM;
    return 1;
  }
  return 0;
}

void fouille__facet_meta_remember(fouille__facet_meta *m, const char *key,
                                  const fouille_results *res) {
  struct fouille__facet_slot *s = &m->slots[m->n_slots++ % (sizeof m->slots / sizeof m->slots[0])];
  slot_clear(s);
  int rc = !(s->key = strdup(key));
  for (int f = 0; f < FOUILLE__FACETS && !rc; f++)
    rc = values_copy(&s->v[f], &s->n[f], res->facet[f], res->n_facet[f]);
  if (rc) slot_clear(s);
}

/* YYYY[-MM[-DD]…] as YYYYMMDD, missing parts 0; -1 when not a date. */
int32_t fouille__facet_date_code(const char *d) {
  int32_t v = 0;
  if (!d) return -1;
  for (int i = 0; i < 4; i++) {
    if (d[i] < '0' || d[i] > '9') return -1;
    v = v * 10 + (d[i] - '0');
  }
  v *= 10000;
  if (d[4] == '-' && d[5] >= '0' && d[5] <= '9' && d[6] >= '0' && d[6] <= '9') {
    v += ((d[5] - '0') * 10 + (d[6] - '0')) * 100;
    if (d[7] == '-' && d[8] >= '0' && d[8] <= '9' && d[9] >= '0' && d[9] <= '9')
      v += (d[8] - '0') * 10 + (d[9] - '0');
  }
  return v;
}

static int add_name(fouille__facet_meta *m, const char *name, size_t *cap) {
  if (m->n_names == SOURCES_MAX) return -1;
  if (m->n_names == *cap) {
    size_t c = *cap ? *cap * 2 : 64;
    char **n = realloc(m->names, c * sizeof *n);
    if (!n) return -1;
    m->names = n, *cap = c;
  }
  return (m->names[m->n_names] = strdup(name)) ? (int)m->n_names++ : -1;
}

/* Sources: the index on source gives them sorted, each name once. */
static int read_sources(sqlite3 *db, fouille__facet_meta *m) {
  sqlite3_stmt *st = NULL;
  size_t cap = 0;
  int rc = -1, step;
  if (sqlite3_prepare_v2(db,
                         "SELECT source, id FROM articles INDEXED BY articles_source"
                         " WHERE source IS NOT NULL ORDER BY source",
                         -1, &st, NULL) != SQLITE_OK)
    goto done;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *s = (const char *)sqlite3_column_text(st, 0);
    sqlite3_int64 at = sqlite3_column_int64(st, 1) - m->first;
    if (!s || at < 0 || (size_t)at >= m->n) continue;
    if ((!m->n_names || strcmp(m->names[m->n_names - 1], s)) && add_name(m, s, &cap) < 0) goto done;
    m->src[at] = (uint16_t)m->n_names;
  }
  rc = step == SQLITE_DONE ? 0 : -1;
done:
  sqlite3_finalize(st);
  return rc;
}

static int read_dates(sqlite3 *db, fouille__facet_meta *m) {
  sqlite3_stmt *st = NULL;
  int rc = -1, step;
  if (sqlite3_prepare_v2(db,
                         "SELECT date, id FROM articles INDEXED BY articles_date"
                         " WHERE date IS NOT NULL",
                         -1, &st, NULL) != SQLITE_OK)
    goto done;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 at = sqlite3_column_int64(st, 1) - m->first;
    if (at < 0 || (size_t)at >= m->n) continue;
    int32_t d = fouille__facet_date_code((const char *)sqlite3_column_text(st, 0));
    m->date[at] = d;
    if (d >= 0 && d / 10000 < m->year_min) m->year_min = d / 10000;
    if (d >= 0 && d / 10000 > m->year_max) m->year_max = d / 10000;
  }
  rc = step == SQLITE_DONE ? 0 : -1;
done:
  sqlite3_finalize(st);
  return rc;
}

/* The id range; 0 when the table suits (ids not too sparse), else -1. */
static int id_range(sqlite3 *db, fouille__facet_meta *m) {
  sqlite3_stmt *st = NULL;
  int ok = 0;
  if (sqlite3_prepare_v2(db, "SELECT min(id), max(id), count(*) FROM articles", -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    sqlite3_int64 lo = sqlite3_column_int64(st, 0), hi = sqlite3_column_int64(st, 1);
    sqlite3_int64 n = sqlite3_column_int64(st, 2);
    ok = n > 0 && hi >= lo && hi - lo < 4 * n + 1024 && hi - lo < (1 << 27);
    m->first = lo, m->n = ok ? (size_t)(hi - lo + 1) : 0;
  }
  sqlite3_finalize(st);
  return ok ? 0 : -1;
}

fouille__facet_meta *fouille__facet_meta_read(sqlite3 *db) {
  fouille__facet_meta *m = calloc(1, sizeof *m);
  if (!m || id_range(db, m) || !(m->src = calloc(m->n, sizeof *m->src)) ||
      !(m->date = malloc(m->n * sizeof *m->date)))
    goto fail;
  for (size_t i = 0; i < m->n; i++) m->date[i] = -1;
  m->year_min = 9999, m->year_max = -1;
  if (read_sources(db, m) || read_dates(db, m)) goto fail;
  return m;
fail:
  fouille__facet_meta_free(m);
  return NULL;
}
