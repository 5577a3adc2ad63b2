/* fouille_writer: articles put and deleted by a program in a stream root,
 * through the update's row writes (update_rows.c) on the writer's own
 * connection: transactions begun at the first change, committed every
 * batch, commit_ms after their first change, and on commit and close. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "error.h"
#include "writer.h"

#define TX_BYTES (32u << 20)

FOUILLE_EXTERN int fouille_writer_options_init(fouille_writer_options *opts, unsigned int version) {
  static const fouille_writer_options defaults = FOUILLE_WRITER_OPTIONS_INIT;
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_writer_options: NULL");
  if (version != FOUILLE_WRITER_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_writer_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}

sqlite3 *fouille__writer_db(fouille_writer *w) { return w->u.db; }

/* ---- transactions --------------------------------------------------------------- */

static long ms_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

long fouille__writer_due_ms(const fouille_writer *w) {
  long left = (long)(w->o.commit_ms ? w->o.commit_ms : 1000) - ms_since(&w->tx_start);
  return !w->in_tx ? -1 : left > 0 ? left : 0;
}

static void rollback(fouille_writer *w) {
  if (!sqlite3_get_autocommit(w->u.db)) sqlite3_exec(w->u.db, "ROLLBACK", NULL, NULL, NULL);
  fouille__lexicon_discard(w->u.lex);
  w->in_tx = 0;
}

static int begin(fouille_writer *w) {
  if (w->in_tx) return FOUILLE_OK;
  int rc = fouille__update_tx_begin(&w->u);
  if (rc) return rc;
  w->in_tx = 1;
  clock_gettime(CLOCK_MONOTONIC, &w->tx_start);
  return FOUILLE_OK;
}

static int commit(fouille_writer *w) {
  if (!w->in_tx) return FOUILLE_OK;
  sqlite3_bind_int64(w->touch, 1, w->u.root_id);
  int rc = fouille__update_step(&w->u, w->touch);
  if (!rc) rc = fouille__update_tx_commit(&w->u);
  if (rc) rollback(w);
  w->in_tx = 0;
  return rc;
}

int fouille__writer_maybe_commit(fouille_writer *w) {
  if (!w->in_tx) return FOUILLE_OK;
  if (w->u.tx_articles >= w->u.batch || w->u.tx_bytes >= TX_BYTES ||
      fouille__writer_due_ms(w) == 0)
    return commit(w);
  return FOUILLE_OK;
}

/* ---- rows ------------------------------------------------------------------------ */

/* The article with this key: *found, its id, hash, file and root. */
static int lookup(fouille_writer *w, const char *key, int *found, int64_t *v) {
  sqlite3_stmt *get = w->u.st[FOUILLE__S_ART_GET];
  sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
  int s = sqlite3_step(get);
  for (int i = 0; i < 4; i++) v[i] = s == SQLITE_ROW ? sqlite3_column_int64(get, i) : 0;
  sqlite3_reset(get);
  *found = s == SQLITE_ROW;
  if (s != SQLITE_ROW && s != SQLITE_DONE) return fouille__update_fail(&w->u, "reading articles");
  if (*found && v[3] != w->u.root_id)
    return fouille__error(FOUILLE_EINVAL, "%s: key '%.200s' already belongs to another root",
                          w->name, key);
  return FOUILLE_OK;
}

static uint64_t article_hash(const fouille__article *a) {
  const char *f[6] = {a->title, a->date, a->source, a->url, a->author, a->tags};
  uint64_t h = XXH3_64bits(a->body, a->body_len);
  for (int i = 0; i < 6; i++) /* NULL and "" differ: the NUL is hashed */
    h = XXH3_64bits_withSeed(f[i] ? f[i] : "", f[i] ? strlen(f[i]) + 1 : 0, h + (uint64_t)i);
  return h;
}

int fouille__writer_put(fouille_writer *w, const char *key, const fouille__article *a) {
  char msg[200];
  int64_t v[4];
  int found, rc;
  if (fouille__update_article_too_big(&w->u, key, a, msg, sizeof msg))
    return fouille__error(FOUILLE_ETOOBIG, "%s: key '%.200s': %s", w->name, key, msg);
  uint64_t h = article_hash(a);
  if ((rc = lookup(w, key, &found, v))) return rc;
  if (found && (uint64_t)v[1] == h && v[2] == w->u.file_id) {
    w->sum.unchanged++; /* the same article again */
    return FOUILLE_OK;
  }
  if ((rc = begin(w)) || (rc = fouille__update_article_put(&w->u, key, a, h, &v[0]))) {
    rollback(w);
    return rc;
  }
  return fouille__writer_maybe_commit(w);
}

int fouille__writer_delete(fouille_writer *w, const char *key) {
  int64_t v[4];
  int found, rc;
  if ((rc = lookup(w, key, &found, v))) return rc;
  if (!found)
    return fouille__error(FOUILLE_ENOTFOUND, "%s: no article with key '%.200s'", w->name, key);
  if ((rc = begin(w)) || (rc = fouille__update_article_delete(&w->u, v[0]))) {
    rollback(w);
    return rc;
  }
  return fouille__writer_maybe_commit(w);
}

/* ---- the public calls ------------------------------------------------------------ */

static int utf8_ok(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
                                                : (*p & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0 || (n == 1 && *p < 0xC2) || (n == 3 && *p > 0xF4)) return 0;
    for (int i = 1; i <= n; i++)
      if ((p[i] & 0xC0) != 0x80) return 0;
    p += n + 1;
  }
  return 1;
}

static int check_article(fouille_writer *w, const char *key, const fouille_article_data *a) {
  const char *f[8] = {key, a->title, a->body, a->date, a->source, a->url, a->author, a->tags};
  static const char *const names[8] = {"key", "title", "body", "date",
                                       "source", "url", "author", "tags"};
  if (a->version != FOUILLE_ARTICLE_DATA_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_article_data: unknown version %d", a->version);
  if (!*key || !a->body)
    return fouille__error(FOUILLE_EINVAL, "%s: %s", w->name, *key ? "no body" : "empty key");
  for (int i = 0; i < 8; i++)
    if (f[i] && !utf8_ok(f[i]))
      return fouille__error(FOUILLE_EINVAL, "%s: %s is not valid UTF-8", w->name, names[i]);
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_writer_put(fouille_writer *w, const char *key,
                                      const fouille_article_data *a) {
  char date[32], msg[300];
  int rc;
  if (!w || !key || !a) return fouille__error(FOUILLE_EINVAL, "no writer, key or article");
  if ((rc = check_article(w, key, a))) return rc;
  fouille__article art = {.title = a->title, .source = a->source, .url = a->url,
                          .author = a->author, .tags = a->tags, .body = a->body,
                          .body_len = strlen(a->body)};
  if (a->date && fouille__date_normalize(a->date, date, sizeof date) == 0) {
    art.date = date;
  } else if (a->date && *a->date) {
    snprintf(msg, sizeof msg, "key '%.100s': unparsable date '%.100s' ignored", key, a->date);
    fouille__update_problem(&w->u, w->name, 0, msg, 1);
  }
  return fouille__writer_put(w, key, &art);
}

FOUILLE_EXTERN int fouille_writer_delete(fouille_writer *w, const char *key) {
  if (!w || !key || !*key) return fouille__error(FOUILLE_EINVAL, "no writer or key");
  return fouille__writer_delete(w, key);
}

FOUILLE_EXTERN int fouille_writer_commit(fouille_writer *w) {
  if (!w) return fouille__error(FOUILLE_EINVAL, "no writer");
  return commit(w);
}

FOUILLE_EXTERN int fouille_writer_close(fouille_writer *w) {
  if (!w) return FOUILLE_OK;
  int rc = w->u.db ? commit(w) : FOUILLE_OK;
  for (int i = 0; i < FOUILLE__S_COUNT; i++) sqlite3_finalize(w->u.st[i]);
  sqlite3_finalize(w->touch);
  fouille__lexicon_free(w->u.lex);
  fouille__sizes_log_free(w->u.sizes);
  sqlite3_close(w->u.db);
  free(w->name);
  free(w);
  return rc;
}

/* ---- opening --------------------------------------------------------------------- */

/* The first column of sql's first row, bound to text ?1 and number ?2. */
static int one_int(fouille__upd *u, const char *sql, const char *text, int64_t n, int64_t *out,
                   int *found) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(u->db, sql, -1, &st, NULL) != SQLITE_OK)
    return fouille__update_fail(u, "reading roots");
  sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count(st) > 1) sqlite3_bind_int64(st, 2, n);
  int s = sqlite3_step(st);
  *found = s == SQLITE_ROW;
  *out = *found ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  return s == SQLITE_ROW || s == SQLITE_DONE ? FOUILLE_OK : fouille__update_fail(u, "reading roots");
}

/* Finds the stream root named w->name, or records it, with its files row
 * (the file its articles belong to), in the caller's transaction. */
static int record_root(fouille_writer *w) {
  fouille__upd *u = &w->u;
  int64_t owner = 0;
  int found = 0, rc;
  if ((rc = one_int(u, "SELECT id FROM roots WHERE path=?1 AND kind='stream'", w->name, 0,
                    &u->root_id, &found)) ||
      (rc = one_int(u, "SELECT ifnull(root_id, -1) FROM files WHERE path=?1", w->name, 0, &owner,
                    &found)))
    return rc;
  if (found && owner != u->root_id)
    return fouille__error(FOUILLE_EINVAL, "%s: stream '%s': that name is a key of another root",
                          u->ix->path, w->name);
  if (!u->root_id) {
    if ((rc = one_int(u,
                      "INSERT INTO roots(kind, path, created) VALUES('stream', ?1,"
                      " strftime('%Y-%m-%dT%H:%M:%SZ','now')) RETURNING id",
                      w->name, 0, &u->root_id, &found)))
      return rc;
  }
  if ((rc = one_int(u, "SELECT id FROM files WHERE path=?1 AND root_id=?2", w->name, u->root_id,
                    &u->file_id, &found)) ||
      found)
    return rc;
  return fouille__update_file_put(u, w->name, -1, -1, 0, NULL, &u->file_id);
}

static int connect_writer(fouille_writer *w, fouille_index *ix) {
  int empty, av, sv, rc;
  if ((rc = fouille__schema_connect(&w->u.db, ix->path, SQLITE_OPEN_READWRITE,
                                    ix->busy_timeout_ms)) ||
      (rc = fouille__schema_exec(w->u.db, ix->path,
                                 "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16000;"
                                 " PRAGMA temp_store=MEMORY")) ||
      (rc = fouille__schema_probe(w->u.db, ix->path, &empty, &av, &sv)))
    return rc;
  if (empty || av != FOUILLE_ANALYZER_VERSION || sv != FOUILLE_SCHEMA_VERSION)
    return fouille__error(FOUILLE_EVERSION,
                          "%s: index built by analyzer %d, schema %d (this library uses %d, %d):"
                          " update it to rebuild it before writing",
                          ix->path, av, sv, FOUILLE_ANALYZER_VERSION, FOUILLE_SCHEMA_VERSION);
  if (sqlite3_prepare_v3(w->u.db,
                         "UPDATE roots SET last_update=strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                         " WHERE id=?1",
                         -1, SQLITE_PREPARE_PERSISTENT, &w->touch, NULL) != SQLITE_OK)
    return fouille__update_fail(&w->u, "preparing");
  if ((rc = fouille__update_prepare(&w->u)) || (rc = fouille__update_tx_begin(&w->u))) return rc;
  if (!(rc = record_root(w))) return fouille__update_tx_commit(&w->u);
  rollback(w);
  return rc;
}

static int check_open(fouille_writer **out, fouille_index *ix, const char *root,
                      const fouille_writer_options *o) {
  if (!out || !ix || !root) return fouille__error(FOUILLE_EINVAL, "no output, index or root");
  *out = NULL;
  if (o && o->version != FOUILLE_WRITER_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_writer_options: unknown version %d", o->version);
  if (ix->read_only) return fouille__error(FOUILLE_EINVAL, "%s: index opened read-only", ix->path);
  if (!*root || root[0] == '/' || !utf8_ok(root))
    return fouille__error(FOUILLE_EINVAL,
                          "%s: '%s': a stream's name is non-empty UTF-8 not starting with '/'",
                          ix->path, root);
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_writer_open(fouille_writer **out, fouille_index *ix, const char *root,
                                       const fouille_writer_options *options) {
  static const fouille_writer_options defaults = FOUILLE_WRITER_OPTIONS_INIT;
  fouille_writer *w = NULL;
  int rc = check_open(out, ix, root, options);
  if (rc) return rc;
  if (!(w = calloc(1, sizeof *w)) || !(w->name = strdup(root))) {
    free(w);
    return fouille__error(FOUILLE_ENOMEM, "out of memory");
  }
  w->o = options ? *options : defaults;
  w->uo = (fouille_update_options)FOUILLE_UPDATE_OPTIONS_INIT;
  w->uo.problem = w->o.problem;
  w->uo.payload = w->o.payload;
  w->sum = (fouille_update_summary)FOUILLE_UPDATE_SUMMARY_INIT;
  w->u.ix = ix;
  w->u.o = &w->uo;
  w->u.sum = &w->sum;
  w->u.path = w->name;
  w->u.batch = w->o.batch_articles ? w->o.batch_articles : 2000;
  if ((rc = connect_writer(w, ix))) {
    fouille_writer_close(w);
    return rc;
  }
  *out = w;
  return FOUILLE_OK;
}
