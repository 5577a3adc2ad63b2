/* Private to fouille_search's files: search.c runs a search in one read
 * snapshot, term_stats.c reads the terms' document frequencies, topk.c
 * scores the matches and keeps those that may reach the page, hits.c reads
 * the hits' articles and passages, search_cache.c keeps what holds while
 * the index is unchanged, expr_shape.c knows the expressions parse.c
 * writes. */
#ifndef FOUILLE_SEARCH_PRIVATE_H
#define FOUILLE_SEARCH_PRIVATE_H

#include <stdint.h>

#include "fouille/query.h"
#include "query_private.h"
#include "store.h"

/* Lower is better; switch to bm25(articles_fts, 5.0, 1.0) here if needed. */
#define RANK_SQL "fouille_rank(articles_fts)"
#define RANK_SIZES_SQL "fouille_rank(articles_fts, ?7)" /* ?7: fouille__rank_hints */
/* ?2 since, ?3 the end of until, ?4 source, ?8 the sources as a JSON array
 * (bound by fouille__search_bind_filters). */
#define FILTER_SQL                                                                                 \
  " AND (?2 IS NULL OR a.date >= ?2) AND (?3 IS NULL OR a.date < ?3)"                              \
  " AND (?4 IS NULL OR a.source = ?4)"                                                             \
  " AND (?8 IS NULL OR a.source IN (SELECT value FROM json_each(?8)))"

#define FOUILLE__FACETS FOUILLE__FACET_COUNT /* source, year, month */

struct fouille_results {
  char *query, *expr;
  uint64_t total;
  int fallback;
  char *did_you_mean; /* spell.c */
  int corrected;
  fouille_hit *hits;
  size_t n_hits;
  fouille_facet_value *facet[FOUILLE__FACETS]; /* values strdup'ed */
  size_t n_facet[FOUILLE__FACETS];
};

/* Filters as SQL bounds: date >= since, date < until_end, source = source. */
typedef struct fouille__filters {
  const char *since, *source;
  char until_end[16];
  int has_until;
  const char *const *sources; /* the options' list, and as a JSON array (owned) */
  size_t n_sources;
  char *sources_json;
} fouille__filters;

typedef struct fouille__search_cache fouille__search_cache;
typedef struct fouille__spell_lexicon fouille__spell_lexicon; /* spell_private.h */

typedef struct fouille__search {
  fouille__reader *r;
  const fouille_search_options *o;
  fouille__filters f;
  fouille_results *res;
  fouille__search_cache *cache; /* the connection's, or NULL */
  const fouille__docsizes *ds;  /* its column sizes, or NULL */
  uint64_t scored;              /* matches scored without ds */
  double df_sum;                /* the query terms' document frequencies */
  int all_held;                 /* from the bounds of the last scoring: -1 unknown */
  const fouille__parsed *p;     /* the query */
} fouille__search;

/* ---- options_init.c ---- */
/* *dst = src (NULL: the defaults) as this version's struct: a version 1
 * struct is copied up to the fields it has. FOUILLE_EINVAL for an unknown
 * version. */
int fouille__search_options_copy(fouille_search_options *dst, const fouille_search_options *src);

/* ---- search.c ---- */
int fouille__search_db_error(const fouille__search *s, const char *what);
/* Binds expr to ?1 and the filters to ?2, ?3, ?4. */
void fouille__search_bind_filters(const fouille__search *s, sqlite3_stmt *st, const char *expr);
int fouille__search_filtered(const fouille__search *s);

/* ---- facet_meta.c: each article's source and date, for facets ---- */
typedef struct fouille__facet_meta {
  sqlite3_int64 first; /* the ids first .. first + n - 1 */
  size_t n;
  uint16_t *src; /* per id: 0 none, else 1 + index in names */
  int32_t *date; /* per id: fouille__facet_date_code, -1 none */
  char **names;  /* the sources, sorted */
  size_t n_names;
  int year_min, year_max;      /* of the dates; year_max -1 when none */
  struct fouille__facet_slot { /* the last searches' facets, by key */
    char *key;
    fouille_facet_value *v[FOUILLE__FACETS];
    size_t n[FOUILLE__FACETS];
  } slots[4];
  size_t n_slots;
} fouille__facet_meta;

/* Reads the table from db; NULL when out of memory or the ids are too
 * sparse (facets then read each match's row). */
fouille__facet_meta *fouille__facet_meta_read(sqlite3 *db);
void fouille__facet_meta_free(fouille__facet_meta *m);
/* YYYY[-MM[-DD]] as the number YYYYMMDD, missing parts 0; -1 if no date. */
int32_t fouille__facet_date_code(const char *date);
/* Copies into res the facets remembered under key: 1 when found, 0 when
 * not, FOUILLE_ENOMEM. */
int fouille__facet_meta_recall(const fouille__facet_meta *m, const char *key, fouille_results *res);
/* Remembers res's facets under key (the oldest forgotten); best effort. */
void fouille__facet_meta_remember(fouille__facet_meta *m, const char *key,
                                  const fouille_results *res);

/* ---- facets.c ---- */
/* For tests: 0 makes facets read each match's row instead of the table. */
void fouille__facets_use_meta(int on);
/* Counts the facets s->o->facets asks for over expr's matches into s->res. */
int fouille__search_facets(fouille__search *s, const char *expr);
void fouille__search_facets_free(fouille_results *res);
/* Whether a source or a date passes the filters (as FILTER_SQL). */
int fouille__filters_source_ok(const fouille__filters *f, const char *source);
int fouille__filters_date_ok(const fouille__filters *f, const char *date);

/* ---- topk.c: the matches that may make the page ---- */

/* A scored match; rank is fouille_rank's value (lower is better). */
typedef struct fouille__cand {
  sqlite3_int64 id;
  double rank;
} fouille__cand;

typedef struct fouille__topk {
  fouille__cand *c;
  size_t n, cap, need; /* need = offset + limit */
  double cut;          /* matches ranked above cut cannot be in the top need */
  int has_cut;
} fouille__topk;

/* Room for the candidates of the top need: FOUILLE_OK or FOUILLE_ENOMEM. */
int fouille__topk_init(fouille__topk *t, size_t need);
/* Keeps the matches ranked at or above the need-th (ties included). */
void fouille__topk_prune(fouille__topk *t);
/* Scores every match of expr: *total gets their count, t the candidates. */
int fouille__search_score_all(fouille__search *s, const char *expr, fouille__topk *t,
                              uint64_t *total);

/* ---- hits.c ---- */
void fouille__search_hit_free(fouille_hit *h);
/* The page of t's candidates (sorted by rank, date, key) as the hits. */
int fouille__search_fetch_top(fouille__search *s, const fouille__topk *t);
/* The page of expr's matches, newest first, as the hits. */
int fouille__search_fetch_by_date(fouille__search *s, const char *expr);
/* The hits' passages; idf: fouille__search_idf's. */
int fouille__search_add_passages(fouille__search *s, const fouille__parsed *p, const double *idf);

/* ---- term_stats.c ---- */
/* idf[i] = BM25's IDF of each query term; adds their frequencies to s->df_sum. */
int fouille__search_idf(fouille__search *s, const fouille__parsed *p, double *idf);
/* A floor under the document frequency of each quoted string of a flat
 * expression (at most cap), and a ceiling over it (-1: none): the count
 * of strings, 0 when not had. */
int fouille__search_phrase_floors(fouille__search *s, const char *expr, long long *floor,
                                  long long *ceiling, int cap);

/* ---- search_cache.c: the query engine's part of the reader's cache ---- */
#define FOUILLE__QDF_PHRASES 16 /* phrase frequencies kept per expression, at most */

/* Sets s->cache (and s->ds when read) from the reader, emptied if the index
 * changed; both stay NULL when the version cannot be read. */
void fouille__search_cache_acquire(fouille__search *s);
void fouille__search_cache_release(fouille__search *s);
/* Reads the column sizes into s->ds when worth it (expected: the matches
 * this query is likely to have, 0 when unknown). */
void fouille__search_cache_want_sizes(fouille__search *s, double expected);
/* Fills h->df (df_n) with expr's phrase frequencies when known; keeps them. */
void fouille__search_cache_qdf(const fouille__search_cache *c, const char *expr,
                               fouille__rank_hints *h);
void fouille__search_cache_qdf_put(fouille__search_cache *c, const char *expr,
                                   const fouille__rank_hints *h);
/* A term's (prefix's) document frequency, or -1; keeps one. */
/* The article count of this version (count(*) walked the whole table on
 * every search), or -1 when not yet known. */
double fouille__search_cache_articles(const fouille__search_cache *c);
void fouille__search_cache_articles_put(fouille__search_cache *c, double n);
double fouille__search_cache_df(const fouille__search_cache *c, const char *term, int prefix);
void fouille__search_cache_df_put(fouille__search_cache *c, const char *term, int prefix,
                                  double df);
/* The connection's facet table for this version, read on first use
 * (NULL: none, see fouille__facet_meta_read). */
fouille__facet_meta *fouille__search_cache_meta(fouille__search *s);
/* fouille__rank_bounds' buffers kept with the connection (NULL: none). */
fouille__bounds_scratch **fouille__search_cache_scratch(fouille__search_cache *c);
/* The connection's lexicon for this version (spell.c): NULL, with *tried
 * set when it was looked for already (there is none to use). */
fouille__spell_lexicon *fouille__search_cache_lexicon(fouille__search_cache *c, int *tried);
/* Keeps lex (NULL: none) for this version; the cache frees it. */
void fouille__search_cache_lexicon_put(fouille__search_cache *c, fouille__spell_lexicon *lex);

/* ---- spell.c: typo tolerance ---- */
/* Runs the search (run) on the corrected query when a word of the query
 * is unknown to the index (on the query as typed when that finds nothing),
 * else on p; sets the results' did_you_mean and corrected. */
int fouille__spell_run(fouille__search *s, const fouille__parsed *p,
                       int (*run)(fouille__search *s, const fouille__parsed *p));

/* ---- expr_shape.c: the FTS5 expressions parse.c writes ---- */
/* The closing quote of a string whose text starts at e ("" inside stands
 * for "), or NULL when it is not closed. */
const char *fouille__expr_quoted_end(const char *e);
/* Whether e is a flat OR of quoted strings ("a" OR "b" …), the form
 * fouille__rank_bounds answers. */
int fouille__expr_flat_any_word(const char *e);
/* Whether every_word is any_word with AND for OR between the same strings. */
int fouille__expr_and_of(const char *every_word, const char *any_word);

#endif
