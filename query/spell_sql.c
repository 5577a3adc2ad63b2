/* The SQL function fouille_suggest(text): the query corrected as a search
 * would correct it (spell_core.c) on the connection's Fouille index, or
 * NULL when it would search the words as typed. The lexicon is kept with
 * the function (one per connection) while the data versions of the
 * connection's databases stay the same. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "query_private.h"
#include "spell_private.h"

/* What the function keeps between calls on its connection. */
typedef struct suggest_cache {
  fouille__spell_lexicon *lex;
  unsigned int version; /* the databases' SQLITE_FCNTL_DATA_VERSION when it was read */
  int loaded;
} suggest_cache;

typedef struct call_env {
  sqlite3 *db;
  sqlite3_stmt *df;
  suggest_cache *cache;
} call_env;

static void cache_free(void *p) {
  suggest_cache *c = p;
  if (c) fouille__spell_lexicon_free(c->lex);
  free(c);
}

static double env_df(void *payload, const char *term) {
  call_env *e = payload;
  if (!e->df && sqlite3_prepare_v2(e->db, "SELECT doc FROM articles_vocab WHERE term = ?1", -1,
                                   &e->df, NULL) != SQLITE_OK)
    return -1;
  sqlite3_reset(e->df);
  sqlite3_bind_text(e->df, 1, term, -1, SQLITE_STATIC);
  int rc = sqlite3_step(e->df);
  double df = rc == SQLITE_ROW ? sqlite3_column_double(e->df, 0) : rc == SQLITE_DONE ? 0 : -1;
  sqlite3_reset(e->df);
  return df;
}

static int env_finds(void *payload, const char *expr, int *yes) {
  call_env *e = payload;
  sqlite3_stmt *st = NULL;
  *yes = 0;
  if (sqlite3_prepare_v2(e->db, "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?1 LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    return fouille__error(FOUILLE_EDB, "fouille_suggest: %s", sqlite3_errmsg(e->db));
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  *yes = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? FOUILLE_OK
             : fouille__error(FOUILLE_EDB, "fouille_suggest: %s", sqlite3_errmsg(e->db));
}

/* The sum of the data versions of db's databases (main and attached). */
static unsigned int data_version(sqlite3 *db) {
  unsigned int sum = 0;
  const char *name;
  for (int i = 0; (name = sqlite3_db_name(db, i)) != NULL; i++) {
    unsigned int v = 0;
    if (sqlite3_file_control(db, name, SQLITE_FCNTL_DATA_VERSION, &v) == SQLITE_OK) sum += v;
  }
  return sum;
}

static const fouille__spell_lexicon *env_lexicon(void *payload, int load) {
  call_env *e = payload;
  suggest_cache *c = e->cache;
  unsigned int version = data_version(e->db);
  int waiting = 0;
  if (c->loaded && c->version == version) return c->lex;
  if (!load) return NULL;
  fouille__spell_lexicon_free(c->lex);
  c->lex = NULL, c->loaded = 0;
  if (fouille__spell_lexicon_load(e->db, &c->lex, &waiting) == FOUILLE_OK)
    c->loaded = 1, c->version = version;
  return c->lex;
}

/* The corrections of q: of its unknown words, else, when no article holds
 * every word as typed, of the words no article writes. */
static int suggest(fouille__spell_env *env, const char *q, fouille__spelled *out) {
  fouille__parsed p;
  int held = 1, rc = fouille__spell_correct(env, q, 0, out);
  if (rc || out->text || fouille__query_parse(q, &p)) return rc;
  rc = env->finds(env->payload, p.expr, &held);
  fouille__parsed_free(&p);
  return rc || held ? rc : fouille__spell_correct(env, q, 1, out);
}

void fouille__sql_suggest(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *q = (const char *)sqlite3_value_text(argv[0]);
  call_env e = {sqlite3_context_db_handle(ctx), NULL, sqlite3_user_data(ctx)};
  fouille__spell_env env = {e.db, NULL, env_df, env_finds, env_lexicon, &e};
  fouille__spelled out = {NULL, 0};
  (void)argc;
  if (!q || !*q || strlen(q) > FOUILLE__QUERY_MAX) {
    sqlite3_result_null(ctx);
    return;
  }
  int rc = fouille_analyzer_new(&env.analyzer, -1);
  if (!rc) rc = suggest(&env, q, &out);
  sqlite3_finalize(e.df);
  fouille_analyzer_free(env.analyzer);
  if (rc == FOUILLE_ENOMEM)
    sqlite3_result_error_nomem(ctx);
  else if (out.text && !rc)
    sqlite3_result_text(ctx, out.text, -1, free), out.text = NULL;
  else
    sqlite3_result_null(ctx); /* nothing to correct, or no Fouille index to ask */
  free(out.text);
}

int fouille__sql_suggest_register(sqlite3 *db) {
  suggest_cache *c = calloc(1, sizeof *c);
  if (!c) return SQLITE_NOMEM;
  return sqlite3_create_function_v2(db, "fouille_suggest", 1, SQLITE_UTF8, c, fouille__sql_suggest,
                                    NULL, NULL, cache_free);
}
