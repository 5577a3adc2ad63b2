/* The query engine's part of a read connection's cache (the store's
 * fouille__reader_cache holds it, opaque, and frees it when the connection
 * closes): the document frequencies that passages and bounds looked up,
 * the phrase frequencies fouille_rank counted per expression, and the
 * buffers of fouille__rank_bounds. They hold for one version of the
 * full-text index: the store counts versions (generation) and the part is
 * emptied when it moves on.
 * fouille_rank needs each match's column sizes: one docsize lookup per
 * match is most of its cost on common words, while reading them all costs
 * about a fifth of that per row; so they are read (by the store, once per
 * version) when the matches scored without them add up to a quarter of
 * the rows, or a query is expected to match a 32nd of them (never for a
 * one-off query on rare words). The first search of a connection cannot
 * count on later ones to share the cost (a fouille-query run makes one):
 * it reads them from FTS5's records only when expected to match a quarter
 * of the rows, where reading them pays for itself in that search alone;
 * packed sizes (store/sizes.h: a few hundred bytes per 256 rows) cost it
 * as little as a later search, so it reads those at a 32nd too.
 * Facets' table of each article's source and date (facet_meta.c) is read
 * the first time a search asks for facets in a version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_private.h"
#include "spell_private.h"

#define DF_SLOTS 256
#define QDF_SLOTS 64         /* expressions whose phrase frequencies are kept */
#define FIRST_SEARCH_SHARE 4 /* the first search: see above */

typedef struct df_slot {
  char term[FOUILLE_TERM_MAX + 1];
  int prefix;
  double df;
} df_slot;

/* fouille_rank's document frequency of each phrase of an FTS5 expression. */
typedef struct qdf_slot {
  char *expr;
  long long df[FOUILLE__QDF_PHRASES];
  int n;
} qdf_slot;

struct fouille__search_cache {
  unsigned long generation; /* the store's version these hold for */
  uint64_t debt;            /* matches scored without the sizes */
  df_slot df[DF_SLOTS];
  size_t n_df;
  qdf_slot qdf[QDF_SLOTS];
  size_t n_qdf;
  fouille__bounds_scratch *scratch; /* kept across versions: remade by size */
  fouille__facet_meta *meta;        /* facets' table, once asked for */
  int meta_read;
  fouille__spell_lexicon *lexicon; /* this version's, loaded on first need */
  int lexicon_tried;
  double articles; /* the article count, when articles_known */
  int articles_known;
  int searched; /* a search ran on this connection (in any version) */
};

static void cache_reset(fouille__search_cache *c) {
  for (size_t i = 0; i < QDF_SLOTS; i++) free(c->qdf[i].expr), c->qdf[i].expr = NULL;
  c->n_qdf = 0, c->n_df = 0, c->debt = 0;
  fouille__facet_meta_free(c->meta);
  c->meta = NULL, c->meta_read = 0;
  fouille__spell_lexicon_free(c->lexicon);
  c->lexicon = NULL, c->lexicon_tried = 0;
  c->articles_known = 0;
}

static void cache_free(void *p) {
  fouille__search_cache *c = p;
  if (!c) return;
  cache_reset(c);
  fouille__bounds_scratch_free(c->scratch);
  free(c);
}

/* The reader's part, made on first use and emptied for a new version;
 * NULL when out of memory. */
static fouille__search_cache *cache_of(fouille__reader *r) {
  fouille__search_cache *c = r->cache.query;
  if (!c) {
    if (!(c = calloc(1, sizeof *c))) return NULL;
    r->cache.query = c, r->cache.query_free = cache_free;
    c->generation = r->cache.generation;
  }
  if (c->generation != r->cache.generation) cache_reset(c), c->generation = r->cache.generation;
  return c;
}

void fouille__search_cache_acquire(fouille__search *s) {
  if (fouille__store_reader_snapshot(s->r) || !(s->cache = cache_of(s->r))) return;
  s->ds = s->r->cache.sizes; /* when already read for this version */
}

void fouille__search_cache_want_sizes(fouille__search *s, double expected) {
  long long rows = 0;
  if (!s->cache || s->ds || (s->cache->debt == 0 && expected <= 0)) return;
  if (fouille__fts5_docsize_max_rowid(s->r->db, &rows)) rows = 0;
  int share = s->cache->searched ? 32 : FIRST_SEARCH_SHARE;
  if (share < 32 && expected >= (double)rows / 32 && expected < (double)rows / share &&
      fouille__store_reader_sizes_cheap(s->r))
    share = 32;
  if (s->cache->debt >= (uint64_t)(rows / 4) || expected >= (double)rows / share)
    s->ds = fouille__store_reader_sizes(s->r);
}

void fouille__search_cache_release(fouille__search *s) {
  if (s->cache) s->cache->searched = 1;
  if (s->cache && !s->ds) s->cache->debt += s->scored;
  s->cache = NULL, s->ds = NULL;
}

void fouille__search_cache_qdf(const fouille__search_cache *c, const char *expr,
                               fouille__rank_hints *h) {
  for (size_t i = 0; c && i < QDF_SLOTS; i++) {
    const qdf_slot *q = &c->qdf[i];
    if (q->expr && !strcmp(q->expr, expr)) {
      memcpy(h->df, q->df, (size_t)q->n * sizeof *q->df), h->df_n = q->n;
      return;
    }
  }
}

void fouille__search_cache_qdf_put(fouille__search_cache *c, const char *expr,
                                   const fouille__rank_hints *h) {
  if (!c || h->df_n <= 0 || h->df_n > FOUILLE__QDF_PHRASES) return;
  qdf_slot *q = &c->qdf[c->n_qdf++ % QDF_SLOTS]; /* oldest out when full */
  free(q->expr);
  if (!(q->expr = strdup(expr))) return;
  memcpy(q->df, h->df, (size_t)h->df_n * sizeof *h->df), q->n = h->df_n;
}

double fouille__search_cache_df(const fouille__search_cache *c, const char *term, int prefix) {
  for (size_t i = 0; c && i < c->n_df && i < DF_SLOTS; i++)
    if (c->df[i].prefix == prefix && !strcmp(c->df[i].term, term)) return c->df[i].df;
  return -1;
}

void fouille__search_cache_df_put(fouille__search_cache *c, const char *term, int prefix,
                                  double df) {
  if (!c) return;
  df_slot *d = &c->df[c->n_df++ % DF_SLOTS]; /* oldest out when full */
  snprintf(d->term, sizeof d->term, "%s", term);
  d->prefix = prefix, d->df = df;
}

fouille__facet_meta *fouille__search_cache_meta(fouille__search *s) {
  fouille__search_cache *c = s->cache;
  if (!c) return NULL;
  if (!c->meta_read) c->meta = fouille__facet_meta_read(s->r->db), c->meta_read = 1;
  return c->meta;
}

double fouille__search_cache_articles(const fouille__search_cache *c) {
  return c && c->articles_known ? c->articles : -1;
}

void fouille__search_cache_articles_put(fouille__search_cache *c, double n) {
  if (c) c->articles = n, c->articles_known = 1;
}

fouille__bounds_scratch **fouille__search_cache_scratch(fouille__search_cache *c) {
  return c ? &c->scratch : NULL;
}

fouille__spell_lexicon *fouille__search_cache_lexicon(fouille__search_cache *c, int *tried) {
  *tried = c && c->lexicon_tried;
  return c ? c->lexicon : NULL;
}

void fouille__search_cache_lexicon_put(fouille__search_cache *c, fouille__spell_lexicon *lex) {
  if (!c) {
    fouille__spell_lexicon_free(lex);
    return;
  }
  fouille__spell_lexicon_free(c->lexicon);
  c->lexicon = lex, c->lexicon_tried = 1;
}
