/* Term statistics from the vocabulary (articles_vocab): the query terms'
 * document frequencies and IDF, for passages and for deciding whether the
 * column sizes are worth reading, and the floors under phrase frequencies
 * that fouille__rank_bounds starts from. Frequencies are kept in the
 * connection's cache while the index is unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rank_private.h"
#include "search_private.h"

#define EQ_SQL "SELECT doc FROM articles_vocab WHERE term = ?1"
#define PREFIX_SQL "SELECT sum(doc) FROM articles_vocab WHERE term >= ?1 AND term < ?2"

/* Documents holding an index term (prefix: the sum over the terms it
 * starts), from the connection's cache or st: EQ_SQL, or PREFIX_SQL for a
 * prefix. 0 when it cannot be read. */
static double term_df(fouille__search *s, sqlite3_stmt *st, const char *term, int prefix) {
  double df = fouille__search_cache_df(s->cache, term, prefix);
  if (df >= 0) return df;
  char hi[FOUILLE_TERM_MAX + 2];
  snprintf(hi, sizeof hi, "%s\xff", term);
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, term, -1, SQLITE_TRANSIENT);
  if (prefix) sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) != SQLITE_ROW) return 0;
  df = sqlite3_column_double(st, 0);
  fouille__search_cache_df_put(s->cache, term, prefix, df);
  return df;
}

/* ---- IDF of the query terms ---------------------------------------------------- */

typedef struct first_term {
  char buf[FOUILLE_TERM_MAX + 1];
  int found;
} first_term;

static int take_first(int flags, const char *term, int len, int start, int end, void *ctx) {
  first_term *f = ctx;
  (void)flags, (void)start, (void)end;
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  memcpy(f->buf, term, (size_t)len);
  f->buf[len] = '\0';
  f->found = 1;
  return 1; /* stop: the first term stands for the word */
}

/* Documents holding the term's first index term (a prefix: the sum over
 * the terms it starts, capped by the caller). */
static double doc_freq(fouille__search *s, sqlite3_stmt *eq, sqlite3_stmt *pre,
                       const fouille__qterm *t) {
  first_term f = {.found = 0};
  fouille_analyzer_run(s->r->analyzer, t->prefix ? FOUILLE_ANALYZE_PREFIX : FOUILLE_ANALYZE_QUERY,
                       t->text, strlen(t->text), take_first, &f);
  if (!f.found) return 0;
  return term_df(s, t->prefix ? pre : eq, f.buf, t->prefix != 0);
}

/* idf[i] = log((N - df + 0.5) / (df + 0.5) + 1) for each query term. */
int fouille__search_idf(fouille__search *s, const fouille__parsed *p, double *idf) {
  sqlite3_stmt *n_st = NULL, *eq = NULL, *pre = NULL;
  int rc = FOUILLE_OK;
  double n = 0;
  if ((n = fouille__search_cache_articles(s->cache)) < 0 &&
      sqlite3_prepare_v2(s->r->db, "SELECT count(*) FROM articles", -1, &n_st, NULL)) {
    rc = fouille__search_db_error(s, "reading term statistics");
    goto done;
  }
  if (n_st) {
    n = sqlite3_step(n_st) == SQLITE_ROW ? sqlite3_column_double(n_st, 0) : 0;
    fouille__search_cache_articles_put(s->cache, n);
  }
  if (sqlite3_prepare_v2(s->r->db, EQ_SQL, -1, &eq, NULL) ||
      sqlite3_prepare_v2(s->r->db, PREFIX_SQL, -1, &pre, NULL)) {
    rc = fouille__search_db_error(s, "reading term statistics");
    goto done;
  }
  for (size_t i = 0; i < p->n_terms; i++) {
    double df = doc_freq(s, eq, pre, &p->terms[i]);
    if (df > n) df = n;
    s->df_sum += df;
    idf[i] = fouille__rank_idf(n, df);
  }
done:
  sqlite3_finalize(n_st);
  sqlite3_finalize(eq);
  sqlite3_finalize(pre);
  return rc;
}

/* ---- Floors under phrase frequencies --------------------------------------------- */

/* A phrase's tokens as FTS5 gets them: positions, the most documents any
 * of them is in, and the fewest documents the terms of one position are
 * in together (the sum over the word and its colocated alternatives). */
typedef struct floor_ctx {
  fouille__search *s;
  sqlite3_stmt *eq;
  char *text; /* room for the phrase's text */
  int positions;
  long long most, sum, fewest;
} floor_ctx;

static void position_end(floor_ctx *f) {
  if (f->positions > 0 && (f->fewest < 0 || f->sum < f->fewest)) f->fewest = f->sum;
  f->sum = 0;
}

static int floor_token(int flags, const char *term, int len, int start, int end, void *p) {
  floor_ctx *f = p;
  char t[FOUILLE_TERM_MAX + 1];
  (void)start, (void)end;
  if (!(flags & FOUILLE_TERM_COLOCATED)) position_end(f), f->positions++;
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  memcpy(t, term, (size_t)len), t[len] = '\0';
  double df = term_df(f->s, f->eq, t, 0);
  if ((long long)df > f->most) f->most = (long long)df;
  f->sum += (long long)df;
  return 0;
}

/* The floor of the quoted string at *e (for one word, the most documents
 * one of its terms is in: the phrase matches any of them; for longer
 * phrases, 0) and its ceiling (the documents of its rarest position, -1
 * when it has none), moving *e past it and its " OR ". 0 when it cannot be
 * had. */
static int string_floor(floor_ctx *f, const char **e, long long *floor, long long *ceiling) {
  const char *end = fouille__expr_quoted_end(*e + 1);
  size_t k = 0;
  if (!end) return 0;
  for (const char *c = *e + 1; c < end; c += *c == '"' ? 2 : 1) f->text[k++] = *c;
  f->text[k] = '\0';
  f->positions = 0, f->most = 0, f->sum = 0, f->fewest = -1;
  if (fouille_analyzer_run(f->s->r->analyzer, FOUILLE_ANALYZE_QUERY, f->text, k, floor_token, f))
    return 0;
  position_end(f);
  *floor = f->positions == 1 ? f->most : 0;
  *ceiling = f->fewest;
  *e = end + 1;
  if (!strncmp(*e, " OR ", 4)) *e += 4;
  return 1;
}

int fouille__search_phrase_floors(fouille__search *s, const char *e, long long *floor,
                                  long long *ceiling, int cap) {
  floor_ctx f = {s, NULL, malloc(strlen(e) + 1), 0, 0, 0, -1};
  int n = 0;
  int ok = f.text && sqlite3_prepare_v2(s->r->db, EQ_SQL, -1, &f.eq, NULL) == SQLITE_OK;
  for (; ok && *e == '"'; n++) ok = n < cap && string_floor(&f, &e, &floor[n], &ceiling[n]);
  sqlite3_finalize(f.eq);
  free(f.text);
  return ok ? n : 0;
}
