/* Writes over HTTP: the bearer token (compared in constant time), the one
 * writer behind a mutex on a handle opened for writing at the first write,
 * and PUT (a JSON object), DELETE and POST (JSON Lines) turned into
 * fouille_writer calls, each committed before it returns. */
#define _GNU_SOURCE
#include "http_write.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fouille/common.h"

int fouille__http_writes_init(fouille__http_writes *w, const char *token, size_t max_body,
                              const char *db_path) {
  memset(w, 0, sizeof *w);
  w->max_body = max_body ? max_body : FOUILLE__HTTP_BODY_DEFAULT;
  if (!token) return FOUILLE_OK;
  if (strlen(token) < FOUILLE__HTTP_TOKEN_MIN)
    return fouille_error_set(FOUILLE_EINVAL, "http: the write token must be at least %d bytes",
                             FOUILLE__HTTP_TOKEN_MIN);
  if (!db_path) return fouille_error_set(FOUILLE_EINVAL, "http: writes need a database path");
  if (!(w->token = strdup(token)) || !(w->db_path = strdup(db_path)))
    return fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  w->token_len = strlen(token);
  pthread_mutex_init(&w->lock, NULL);
  w->locked_init = 1;
  return FOUILLE_OK;
}

void fouille__http_writes_destroy(fouille__http_writes *w) {
  fouille_writer_close(w->w);
  fouille_index_close(w->ix);
  if (w->locked_init) pthread_mutex_destroy(&w->lock);
  if (w->token) memset(w->token, 0, w->token_len);
  free(w->token);
  free(w->db_path);
  memset(w, 0, sizeof *w);
}

int fouille__http_writes_authorized(const fouille__http_writes *w, const char *authorization) {
  static const char bearer[] = "Bearer ";
  if (!w->token || !authorization || strncmp(authorization, bearer, sizeof bearer - 1)) return 0;
  const unsigned char *given = (const unsigned char *)authorization + sizeof bearer - 1;
  size_t n = strlen((const char *)given);
  unsigned char diff = n != w->token_len;
  for (size_t i = 0; i < w->token_len; i++) /* as long as the token, whatever is given */
    diff |= (unsigned char)w->token[i] ^ (i < n ? given[i] : 0);
  return diff == 0;
}

/* Under the lock: the handle and the writer, opened at the first write. */
static int ready(fouille__http_writes *w) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  int rc;
  io.read_pool_size = 1;
  if (!w->ix && (rc = fouille_index_open(&w->ix, w->db_path, &io))) return rc;
  if (!w->w && (rc = fouille_writer_open(&w->w, w->ix, FOUILLE__HTTP_WRITE_ROOT, NULL))) return rc;
  return FOUILLE_OK;
}

/* ---- PUT: one article as a JSON object ---------------------------------------- */

typedef struct put_fields {
  fouille_article_data a;
  char *tags; /* joined from an array, owned */
} put_fields;

static int tags_of(put_fields *f, json_t *v) {
  size_t i, n = 1;
  json_t *t;
  if (json_is_string(v) || json_is_null(v)) return f->a.tags = json_string_value(v), FOUILLE_OK;
  if (!json_is_array(v))
    return fouille_error_set(FOUILLE_EINVAL, "tags: expected a string or an array of strings");
  json_array_foreach(v, i, t) {
    if (!json_is_string(t)) return fouille_error_set(FOUILLE_EINVAL, "tags: expected strings");
    n += json_string_length(t) + 1;
  }
  if (!(f->tags = calloc(1, n))) return fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  json_array_foreach(v, i, t) {
    if (i) strcat(f->tags, ",");
    strcat(f->tags, json_string_value(t));
  }
  f->a.tags = f->tags;
  return FOUILLE_OK;
}

static const char **slot(put_fields *f, const char *name) {
  static const char *const names[] = {"title", "body", "date", "source", "url", "author"};
  const char **slots[] = {&f->a.title,  &f->a.body, &f->a.date,
                          &f->a.source, &f->a.url,  &f->a.author};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(name, names[i])) return slots[i];
  return NULL;
}

static int fields_of(put_fields *f, json_t *obj) {
  const char *name, **s;
  json_t *v;
  if (!json_is_object(obj))
    return fouille_error_set(FOUILLE_EINVAL, "body: expected a JSON object");
  json_object_foreach(obj, name, v) {
    if (!strcmp(name, "tags")) {
      int rc = tags_of(f, v);
      if (rc) return rc;
      continue;
    }
    if (!(s = slot(f, name)))
      return fouille_error_set(
          FOUILLE_EINVAL, "unknown field '%.64s' (title, body, date, source, url, author, tags)",
          name);
    if (!json_is_string(v) && !json_is_null(v))
      return fouille_error_set(FOUILLE_EINVAL, "%s: expected a string", name);
    *s = json_string_value(v);
  }
  if (!f->a.body || !*f->a.body)
    return fouille_error_set(FOUILLE_EINVAL, "body: missing (the article's text)");
  return FOUILLE_OK;
}

/* Under the lock: put and commit; added or changed counted. */
static int put_locked(fouille__http_writes *w, const char *key, const fouille_article_data *a,
                      fouille__http_counts *out) {
  fouille_article *old = NULL;
  int rc = ready(w), existed;
  if (rc) return rc;
  rc = fouille_index_get(&old, w->ix, key);
  fouille_article_free(old);
  if (rc && rc != FOUILLE_ENOTFOUND) return rc;
  existed = rc == FOUILLE_OK;
  if ((rc = fouille_writer_put(w->w, key, a)) || (rc = fouille_writer_commit(w->w))) return rc;
  if (existed)
    out->changed++;
  else
    out->added++;
  return FOUILLE_OK;
}

int fouille__http_write_put(fouille__http_writes *w, const char *key, const char *body, size_t len,
                            fouille__http_counts *out) {
  put_fields f = {.a = FOUILLE_ARTICLE_DATA_INIT};
  json_error_t err;
  json_t *obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
  int rc;
  if (!obj)
    return fouille_error_set(FOUILLE_EPARSE, "invalid JSON at line %d, column %d: %.120s", err.line,
                             err.column, err.text);
  if (!(rc = fields_of(&f, obj))) {
    pthread_mutex_lock(&w->lock);
    rc = put_locked(w, key, &f.a, out);
    pthread_mutex_unlock(&w->lock);
  }
  free(f.tags);
  json_decref(obj);
  return rc;
}

/* ---- DELETE and POST ---------------------------------------------------------- */

int fouille__http_write_delete(fouille__http_writes *w, const char *key,
                               fouille__http_counts *out) {
  int rc;
  pthread_mutex_lock(&w->lock);
  if (!(rc = ready(w)) && !(rc = fouille_writer_delete(w->w, key)) &&
      !(rc = fouille_writer_commit(w->w)))
    out->deleted++;
  pthread_mutex_unlock(&w->lock);
  return rc;
}

/* The body as a file descriptor to read from (an unlinked temporary file). */
static int body_fd(const char *body, size_t len) {
  FILE *f = tmpfile();
  int fd;
  if (!f) return fouille_error_set(FOUILLE_EIO, "http: no temporary file for the body");
  if ((len && fwrite(body, 1, len, f) != len) || fflush(f) || (fd = dup(fileno(f))) < 0) {
    fclose(f);
    return fouille_error_set(FOUILLE_EIO, "http: cannot keep the body in a temporary file");
  }
  fclose(f);
  lseek(fd, 0, SEEK_SET);
  return fd;
}

int fouille__http_write_jsonl(fouille__http_writes *w, const char *body, size_t len,
                              fouille__http_counts *out) {
  fouille_update_summary sum = {.version = FOUILLE_UPDATE_SUMMARY_VERSION};
  int fd = body_fd(body, len), rc;
  if (fd < 0) return fd;
  pthread_mutex_lock(&w->lock);
  if (!(rc = ready(w))) rc = fouille_writer_read_jsonl(&sum, w->w, fd);
  pthread_mutex_unlock(&w->lock);
  close(fd);
  out->added += sum.articles_added;
  out->changed += sum.articles_updated + sum.unchanged;
  out->deleted += sum.articles_deleted;
  out->skipped += sum.articles_skipped;
  return rc;
}
