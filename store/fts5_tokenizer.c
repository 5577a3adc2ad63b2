/* The FTS5 tokenizer "fouille_fr" (v1 API, as SQLite 3.40 has): FTS5's
 * create/delete/tokenize around the French analyzer, one analyzer (and so
 * one stem cache) per tokenizer instance, and the connection's tap that
 * shows the indexer the words of the documents FTS5 reads (fts5_tap.h). */
#include <stdlib.h>

#include "analyzer_notes.h"
#include "error.h"
#include "fouille/analyzer.h"
#include "fts5_tap.h"
#include "sqlite_glue.h"

typedef struct tokenizer {
  fouille_analyzer *analyzer;
  fouille__fts5_tap *tap; /* the connection's */
  uint32_t tap_gen;       /* the tap's generation the analyzer's notes are of */
  int notes;              /* whether the analyzer keeps notes */
  uint64_t *note;         /* the note of the word being read (analyzer_notes.h) */
} tokenizer;

typedef struct token_ctx {
  void *fts5_ctx;
  int (*x_token)(void *, int, const char *, int, int, int);
  const char *text;
  fouille__fts5_tap *tap; /* NULL unless set and reading a document */
  tokenizer *tk;
} token_ctx;

int fouille__sqlite_code(int status) {
  if (status > 0) return status; /* already an SQLite code, from a callback */
  if (status == FOUILLE_ENOMEM) return SQLITE_NOMEM;
  return SQLITE_ERROR;
}

int fouille__fts5_cache_entries = 0;

static int tok_create(void *tap, const char **argv, int argc, Fts5Tokenizer **out) {
  (void)argv;
  *out = NULL;
  if (argc > 0) return SQLITE_ERROR; /* fouille_fr takes no options */
  tokenizer *t = calloc(1, sizeof *t);
  if (!t || fouille_analyzer_new(&t->analyzer, fouille__fts5_cache_entries) != FOUILLE_OK) {
    free(t);
    return SQLITE_NOMEM;
  }
  t->tap = tap;
  *out = (Fts5Tokenizer *)t;
  return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p) {
  tokenizer *t = (tokenizer *)p;
  if (t) fouille_analyzer_free(t->analyzer);
  free(t);
}

static int forward(int flags, const char *term, int len, int start, int end, void *payload) {
  token_ctx *c = payload;
  int f = (flags & FOUILLE_TERM_COLOCATED) ? FTS5_TOKEN_COLOCATED : 0;
  return c->x_token(c->fts5_ctx, f, term, len, start, end);
}

/* The tap's turn for a term other than a noted word read while none is
 * held (forward_tapped): out of line, for forward_tapped to stay small. */
__attribute__((noinline)) static int tap_term(token_ctx *c, int flags, const char *term, int len,
                                              int start, int end) {
  int colocated = flags & FOUILLE_TERM_COLOCATED;
  uint32_t epoch = colocated ? 0 : fouille__analyzer_notes_epoch(c->tk->analyzer);
  int rc = fouille__fts5_tap_term(c->tap, colocated, term, len, c->text + start, end - start,
                                  colocated ? NULL : c->tk->note, epoch);
  return rc ? fouille__sqlite_code(rc) : 0;
}

/* forward, showing the word to the tap first (not a word too short for
 * it, nor its colocated term unless the word waits for it). Most words are
 * found by their note (fts5_tap.h). */
static int forward_tapped(int flags, const char *term, int len, int start, int end, void *payload) {
  token_ctx *c = payload;
  if (end - start >= FOUILLE__TAP_MIN_BYTES) {
    fouille__fts5_tap *t = c->tap;
    uint64_t *note = c->tk->note, v;
    int rc = 0;
    if (flags & FOUILLE_TERM_COLOCATED) {
      if (t->held) rc = tap_term(c, flags, term, len, start, end);
    } else if (!t->held && note && (v = *note) != 0) {
      if ((rc = fouille__fts5_tap_noted(t, note, v))) rc = fouille__sqlite_code(rc);
    } else {
      rc = tap_term(c, flags, term, len, start, end);
    }
    if (rc) return rc;
  }
  return forward(flags, term, len, start, end, payload);
}

static int tok_tokenize(Fts5Tokenizer *t, void *fts5_ctx, int flags, const char *text, int len,
                        int (*x_token)(void *, int, const char *, int, int, int)) {
  fouille_analyze_mode mode = FOUILLE_ANALYZE_DOCUMENT;
  if (flags & FTS5_TOKENIZE_PREFIX)
    mode = FOUILLE_ANALYZE_PREFIX;
  else if (flags & FTS5_TOKENIZE_QUERY)
    mode = FOUILLE_ANALYZE_QUERY;
  tokenizer *tk = (tokenizer *)t;
  token_ctx c = {fts5_ctx, x_token, text, NULL, tk};
  int rc = FOUILLE_OK;
  if (tk->tap && tk->tap->add && (flags & FTS5_TOKENIZE_DOCUMENT)) {
    c.tap = tk->tap;
    if (!tk->notes && (rc = fouille__analyzer_notes_on(tk->analyzer, &tk->note)))
      return fouille__sqlite_code(rc);
    if (!tk->notes || tk->tap_gen != c.tap->gen) /* notes of words the tap forgot */
      fouille__analyzer_notes_clear(tk->analyzer), tk->tap_gen = c.tap->gen;
    tk->notes = 1;
  }
  rc = fouille_analyzer_run(tk->analyzer, mode, text, len < 0 ? 0 : (size_t)len,
                            c.tap ? forward_tapped : forward, &c);
  if (!rc && c.tap && c.tap->held) {
    c.tap->epoch = fouille__analyzer_notes_epoch(tk->analyzer);
    rc = fouille__fts5_tap_end(c.tap);
  }
  return rc == 0 ? SQLITE_OK : fouille__sqlite_code(rc);
}

fts5_api *fouille__fts5_api(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

static void tap_free(void *tap) { fouille__fts5_tap_free(tap); }

int fouille__fts5_tokenizer_register(sqlite3 *db) {
  static fts5_tokenizer methods = {tok_create, tok_delete, tok_tokenize};
  fts5_api *api = fouille__fts5_api(db);
  if (!api || api->iVersion < 2)
    return fouille__error(FOUILLE_EDB, "this SQLite has no FTS5 (need SQLite 3.40+ with FTS5)");
  fouille__fts5_tap *tap = calloc(1, sizeof *tap);
  if (!tap) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  /* FTS5 frees the tap when the connection closes. */
  if (api->xCreateTokenizer(api, "fouille_fr", tap, &methods, tap_free) != SQLITE_OK) {
    fouille__fts5_tap_free(tap); /* FTS5 3.40 does not free it when it fails */
    return fouille__error(FOUILLE_EDB, "cannot register the fouille_fr tokenizer: %s",
                          sqlite3_errmsg(db));
  }
  return FOUILLE_OK;
}

fouille__fts5_tap *fouille__fts5_tap_of(sqlite3 *db) {
  fts5_api *api = fouille__fts5_api(db);
  void *tap = NULL;
  fts5_tokenizer methods;
  if (!api || api->xFindTokenizer(api, "fouille_fr", &tap, &methods) != SQLITE_OK) return NULL;
  return tap;
}
