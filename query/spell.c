/* Typo tolerance in fouille_search: in the search's snapshot, the query's
 * corrections are looked for (spell_core.c) with the connection's cached
 * term frequencies and lexicon; when a word was unknown to the index the
 * search runs on the corrected query (and on the query as typed should
 * that find nothing), else a rare word only earns a suggestion. The
 * exact option turns all of it off. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "search_private.h"
#include "spell_private.h"

typedef struct env_ctx {
  fouille__search *s;
  sqlite3_stmt *df;
  fouille__spell_lexicon *own; /* loaded for this search alone (no cache) */
  int tried;
} env_ctx;

FOUILLE_EXTERN const char *fouille_results_did_you_mean(const fouille_results *res) {
  return res ? res->did_you_mean : NULL;
}

FOUILLE_EXTERN int fouille_results_corrected(const fouille_results *res) {
  return res ? res->corrected : 0;
}

static double env_df(void *payload, const char *term) {
  env_ctx *e = payload;
  double df = fouille__search_cache_df(e->s->cache, term, 0);
  if (df >= 0) return df;
  if (!e->df && sqlite3_prepare_v2(e->s->r->db, "SELECT doc FROM articles_vocab WHERE term = ?1",
                                   -1, &e->df, NULL) != SQLITE_OK)
    return -1;
  sqlite3_reset(e->df);
  sqlite3_bind_text(e->df, 1, term, -1, SQLITE_STATIC);
  int rc = sqlite3_step(e->df);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
  df = rc == SQLITE_ROW ? sqlite3_column_double(e->df, 0) : 0;
  sqlite3_reset(e->df);
  /* A term the index lacks (a misspelled word) costs one seek to ask
   * again; kept, it would push out of the connection's few slots the
   * frequency of a common term, which costs a pass over its articles. */
  if (df > 0) fouille__search_cache_df_put(e->s->cache, term, 0, df);
  return df;
}

static int env_finds(void *payload, const char *expr, int *yes) {
  fouille__search *s = ((env_ctx *)payload)->s;
  const char *sql = fouille__search_filtered(s)
                        ? "SELECT 1 FROM articles_fts JOIN articles a ON a.id ="
                          " articles_fts.rowid WHERE articles_fts MATCH ?1" FILTER_SQL " LIMIT 1"
                        : "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?1 LIMIT 1";
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->r->db, sql, -1, &st, NULL) != SQLITE_OK)
    return fouille__search_db_error(s, "checking a correction");
  fouille__search_bind_filters(s, st, expr);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  *yes = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? FOUILLE_OK
                                               : fouille__search_db_error(s, "checking a correction");
}

/* The connection's lexicon, loaded once per version of the index. */
static const fouille__spell_lexicon *env_lexicon(void *payload, int load) {
  env_ctx *e = payload;
  int tried = 0;
  fouille__spell_lexicon *lex = fouille__search_cache_lexicon(e->s->cache, &tried);
  if (lex || tried || e->tried || !load) return lex ? lex : e->own;
  int waiting = 0;
  e->tried = 1;
  if (fouille__spell_lexicon_load(e->s->r->db, &lex, &waiting)) return NULL; /* no correction */
  if (waiting) return NULL; /* asked again next time: counting it leaves FTS5 as it was */
  if (e->s->cache)
    fouille__search_cache_lexicon_put(e->s->cache, lex);
  else
    e->own = lex;
  return lex;
}

/* The corrections of the query (the search's snapshot is open). */
static int correct(fouille__search *s, int context, fouille__spelled *out) {
  env_ctx e = {s, NULL, NULL, 0};
  fouille__spell_env env = {s->r->db, s->r->analyzer, env_df, env_finds, env_lexicon, &e};
  int rc = fouille__spell_correct(&env, s->res->query, context, out);
  sqlite3_finalize(e.df);
  fouille__spell_lexicon_free(e.own);
  return rc;
}

/* Forgets what a run left in the results, for another run. */
static void forget_run(fouille__search *s) {
  for (size_t i = 0; i < s->res->n_hits; i++) fouille__search_hit_free(&s->res->hits[i]);
  free(s->res->hits);
  free(s->res->expr);
  s->res->hits = NULL, s->res->n_hits = 0;
  s->res->expr = NULL, s->res->total = 0, s->res->fallback = 0;
  s->all_held = -1, s->df_sum = 0;
}

/* Runs the corrected query when there is one to run instead (falling back
 * to the query as typed when it finds nothing): *ran tells whether it ran. */
static int run_fixed(fouille__search *s, const fouille__parsed *p, fouille__spelled *sp,
                     int (*run)(fouille__search *, const fouille__parsed *), int *ran) {
  fouille__parsed fixed = {0};
  int rc = FOUILLE_OK;
  *ran = 0;
  if (!sp->replace || fouille__query_parse(sp->text, &fixed) != FOUILLE_OK) return rc;
  *ran = 1, s->res->corrected = 1;
  rc = run(s, &fixed);
  if (!rc && s->res->total == 0) {
    forget_run(s);
    free(sp->text), sp->text = NULL, s->res->corrected = 0;
    rc = run(s, p);
  }
  fouille__parsed_free(&fixed);
  return rc;
}

int fouille__spell_run(fouille__search *s, const fouille__parsed *p,
                       int (*run)(fouille__search *s, const fouille__parsed *p)) {
  fouille__spelled sp = {NULL, 0};
  int ran = 0, rc = s->o->exact ? FOUILLE_OK : correct(s, 0, &sp);
  if (!rc) rc = run_fixed(s, p, &sp, run, &ran);
  if (!rc && !ran) rc = run(s, p);
  /* No article holds every word as typed (the search tells): a word no
   * article writes may be a slip onto another word's stem. A correct
   * query pays nothing for this; a corrected one, a second search. */
  if (!rc && !ran && !sp.text && !s->o->exact && s->res->fallback &&
      !(rc = correct(s, 1, &sp)) && sp.replace) {
    forget_run(s);
    if (!(rc = run_fixed(s, p, &sp, run, &ran)) && !ran) rc = run(s, p);
  }
  s->res->did_you_mean = sp.text;
  return rc;
}
