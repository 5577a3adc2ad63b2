/* fouille_search: parse the query, count and rank the matching articles in
 * one read transaction (a consistent snapshot), fall back to any-word when
 * nothing holds every word, and build passages for the hits returned. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "query_sqlite.h"
#include "search_private.h"

#define LIMIT_MAX 1000

/* ---- Results ------------------------------------------------------------------- */

FOUILLE_EXTERN void fouille_results_free(fouille_results *res) {
  if (!res) return;
  for (size_t i = 0; i < res->n_hits; i++) fouille__search_hit_free(&res->hits[i]);
  free(res->hits);
  fouille__search_facets_free(res);
  free(res->query);
  free(res->expr);
  free(res->did_you_mean);
  free(res);
}

FOUILLE_EXTERN size_t fouille_results_count(const fouille_results *res) {
  return res ? res->n_hits : 0;
}

FOUILLE_EXTERN const fouille_hit *fouille_results_hit(const fouille_results *res, size_t i) {
  return res && i < res->n_hits ? &res->hits[i] : NULL;
}

FOUILLE_EXTERN uint64_t fouille_results_total(const fouille_results *res) {
  return res ? res->total : 0;
}

FOUILLE_EXTERN int fouille_results_fallback(const fouille_results *res) {
  return res ? res->fallback : 0;
}

FOUILLE_EXTERN const char *fouille_results_query(const fouille_results *res) {
  return res && res->query ? res->query : "";
}

FOUILLE_EXTERN const char *fouille_results_expression(const fouille_results *res) {
  return res && res->expr ? res->expr : "";
}

/* ---- Options ------------------------------------------------------------------- */

/* The sources as a JSON array for SQL's json_each. */
static int sources_make(const fouille_search_options *o, fouille__filters *f) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < o->n_sources; i++) {
    if (!o->sources[i])
      return json_decref(a), fouille__error(FOUILLE_EINVAL, "sources: NULL name at %zu", i);
    json_t *v = json_string(o->sources[i]);
    if (!v) return json_decref(a), fouille__error(FOUILLE_EINVAL, "sources: not valid UTF-8");
    if (json_array_append_new(a, v)) json_decref(a), a = NULL;
  }
  f->sources = o->sources, f->n_sources = o->n_sources;
  f->sources_json = a ? json_dumps(a, JSON_COMPACT) : NULL;
  json_decref(a);
  return f->sources_json ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory");
}

/* Dates are stored as ISO text, so a prefix comparison does: every date
 * starting with until sorts below until + "~". */
static int filters_make(const fouille_search_options *o, fouille__filters *f) {
  int rc;
  memset(f, 0, sizeof *f);
  if (o->since && *o->since && (rc = fouille_search_check_date(o->since))) return rc;
  if (o->until && *o->until && (rc = fouille_search_check_date(o->until))) return rc;
  f->since = o->since && *o->since ? o->since : NULL;
  f->source = o->source && *o->source ? o->source : NULL;
  if (o->until && *o->until) f->has_until = 1, snprintf(f->until_end, 16, "%s~", o->until);
  return o->sources ? sources_make(o, f) : FOUILLE_OK;
}

static int check_options(const fouille_search_options *o) {
  if (o->limit < 0 || o->limit > LIMIT_MAX)
    return fouille__error(FOUILLE_EINVAL, "limit must be from 0 to %d", LIMIT_MAX);
  if (o->offset < 0) return fouille__error(FOUILLE_EINVAL, "offset must not be negative");
  if (o->passages < 0 || o->passages > 100)
    return fouille__error(FOUILLE_EINVAL, "passages must be from 0 to 100");
  if (o->passage_length < 1 || o->passage_length > 100000)
    return fouille__error(FOUILLE_EINVAL, "passage length must be from 1 to 100000");
  if (o->facets & ~(unsigned)(FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR | FOUILLE_FACET_MONTH))
    return fouille__error(FOUILLE_EINVAL, "facets: unknown facet bits");
  return FOUILLE_OK;
}

static int count(fouille__search *s, const char *expr, uint64_t *total) {
  const char *sql = fouille__search_filtered(s)
                        ? "SELECT count(*) FROM articles_fts JOIN articles a ON a.id ="
                          " articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL
                        : "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1";
  sqlite3_stmt *st = NULL;
  int rc = FOUILLE_OK;
  if (sqlite3_prepare_v2(s->r->db, sql, -1, &st, NULL) != SQLITE_OK) {
    rc = fouille__search_db_error(s, "counting matches");
    goto done;
  }
  fouille__search_bind_filters(s, st, expr);
  if (sqlite3_step(st) != SQLITE_ROW) {
    rc = fouille__search_db_error(s, "counting matches");
    goto done;
  }
  *total = (uint64_t)sqlite3_column_int64(st, 0);
done:
  sqlite3_finalize(st);
  return rc;
}

/* ---- Search ------------------------------------------------------------------------ */

/* Whether the best ranked candidate holds every word (p->expr). */
static int best_holds_all(fouille__search *s, const fouille__parsed *p, const fouille__topk *t,
                          int *held) {
  sqlite3_stmt *st = NULL;
  size_t best = 0;
  for (size_t i = 1; i < t->n; i++)
    if (t->c[i].rank < t->c[best].rank) best = i;
  if (sqlite3_prepare_v2(s->r->db,
                         "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = ?2",
                         -1, &st, NULL) != SQLITE_OK)
    return fouille__search_db_error(s, "counting matches");
  sqlite3_bind_text(st, 1, p->expr, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, t->c[best].id);
  int step = sqlite3_step(st);
  sqlite3_finalize(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return fouille__search_db_error(s, "counting matches");
  *held = step == SQLITE_ROW;
  return FOUILLE_OK;
}

/* Whether some article within the filters holds every word: the bounds
 * may tell, else the best candidate ranked usually does, else the
 * articles that do are counted. */
static int every_word_held(fouille__search *s, const fouille__parsed *p, const fouille__topk *t,
                           int *held) {
  uint64_t n = 0;
  int rc;
  *held = 0;
  if (s->all_held >= 0 && fouille__expr_and_of(p->expr, p->fallback))
    return *held = s->all_held, FOUILLE_OK;
  if (t->n > 0 && ((rc = best_holds_all(s, p, t, held)) || *held)) return rc;
  rc = count(s, p->expr, &n);
  *held = n > 0;
  return rc;
}

/* Counts, and when ranking scores, the matches of expr. */
static int match(fouille__search *s, const char *expr, fouille__topk *t, int by_rank) {
  return by_rank ? fouille__search_score_all(s, expr, t, &s->res->total)
                 : count(s, expr, &s->res->total);
}

/* Counts (and ranks, by relevance) the matches. By relevance that is the
 * any-word form when there is one: fouille_rank puts the articles holding
 * every word first unless one missing a word matches the others far
 * better. By date nothing would push those down: every word is required,
 * any word only when no article holds them all. Sets *expr to the one. */
static int match_or_fall_back(fouille__search *s, const fouille__parsed *p, fouille__topk *t,
                              int by_rank, const char **expr) {
  int held = 0, rc;
  *expr = s->o->sort != FOUILLE_SORT_DATE && p->fallback ? p->fallback : p->expr;
  rc = match(s, *expr, t, by_rank);
  if (!rc && *expr == p->fallback && s->res->total > 0) rc = every_word_held(s, p, t, &held);
  s->res->fallback = *expr == p->fallback && !held;
  if (!rc && s->res->total == 0 && p->fallback && *expr != p->fallback) {
    *expr = p->fallback;
    s->res->fallback = 1;
    rc = match(s, *expr, t, by_rank);
  }
  if (!rc && !(s->res->expr = strdup(*expr))) rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
  return rc;
}

/* Term statistics first, when passages need them or ranking does: they
 * tell whether the column sizes are worth reading before scoring. */
static int term_stats(fouille__search *s, const fouille__parsed *p, int by_rank, double **idf) {
  if (!by_rank && !(s->o->passages > 0 && !s->o->count_only && s->o->limit > 0)) return FOUILLE_OK;
  if (!(*idf = calloc(p->n_terms + 1, sizeof **idf)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory");
  return fouille__search_idf(s, p, *idf);
}

/* The page of hits and their passages. */
static int page(fouille__search *s, const fouille__parsed *p, const char *expr, fouille__topk *t,
                int by_rank, const double *idf) {
  int rc;
  if (s->o->count_only || s->res->total == 0 || s->o->limit == 0) return FOUILLE_OK;
  if (by_rank) {
    fouille__topk_prune(t);
    rc = fouille__search_fetch_top(s, t);
  } else {
    rc = fouille__search_fetch_by_date(s, expr);
  }
  if (!rc && s->o->passages > 0 && s->res->n_hits > 0) rc = fouille__search_add_passages(s, p, idf);
  return rc;
}

static int run(fouille__search *s, const fouille__parsed *p) {
  int by_rank = !s->o->count_only && s->o->limit > 0 && s->o->sort != FOUILLE_SORT_DATE, rc;
  fouille__topk t = {NULL, 0, 0, 0, 0, 0};
  double *idf = NULL;
  const char *expr = NULL;
  s->p = p; /* the query as typed, or as corrected (spell.c) */
  if (!(rc = term_stats(s, p, by_rank, &idf)) &&
      !(rc = by_rank ? fouille__topk_init(&t, (size_t)s->o->offset + (size_t)s->o->limit) : 0) &&
      !(rc = match_or_fall_back(s, p, &t, by_rank, &expr)) &&
      !(rc = s->o->facets ? fouille__search_facets(s, expr) : FOUILLE_OK))
    rc = page(s, p, expr, &t, by_rank, idf);
  free(idf);
  free(t.c);
  return rc;
}

static int in_snapshot(fouille__search *s, const fouille__parsed *p) {
  if (sqlite3_exec(s->r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return fouille__search_db_error(s, "starting a read");
  fouille__search_cache_acquire(s);
  int rc = fouille__spell_run(s, p, run);
  fouille__search_cache_release(s);
  if (sqlite3_exec(s->r->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !rc)
    rc = fouille__search_db_error(s, "ending a read");
  return rc;
}

FOUILLE_EXTERN int fouille_search(fouille_results **out, fouille_index *index, const char *query,
                                  const fouille_search_options *options) {
  fouille_search_options o;
  fouille__parsed p = {0};
  fouille__search s = {.o = &o, .all_held = -1, .p = &p};
  int rc;
  if (out) *out = NULL;
  if (!out || !index) return fouille__error(FOUILLE_EINVAL, "fouille_search: no index");
  if ((rc = fouille__search_options_copy(&o, options))) return rc;
  if ((rc = check_options(s.o)) || (rc = filters_make(s.o, &s.f))) goto done;
  if ((rc = fouille__query_parse(query, &p))) return rc;
  if (!(s.res = calloc(1, sizeof *s.res)) || !(s.res->query = strdup(query))) {
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory");
    goto done;
  }
  if ((rc = fouille__store_reader_acquire_current(index, &s.r))) goto done;
  if (!s.r->functions_registered && !(rc = fouille__query_register(s.r->db)))
    s.r->functions_registered = 1;
  if (!rc) rc = in_snapshot(&s, &p);
  fouille__store_reader_release(index, s.r);
  if (!rc) *out = s.res, s.res = NULL;
done:
  fouille_results_free(s.res);
  fouille__parsed_free(&p);
  free(s.f.sources_json);
  return rc;
}
