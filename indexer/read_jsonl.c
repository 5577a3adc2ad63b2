/* JSON Lines articles, one object per line: id, title, body/text/content,
 * date, url, source, author, tags (string or array). Plain lines are read
 * by the fast path (jsonl_yajl.c, yajl), the others parsed with jansson. A
 * malformed line is an error for that line only; the caller goes on. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "jsonl_yajl.h"
#include "read_util.h"

/* Strings of one line, NUL-free copies (jansson allows NUL with JSON_ALLOW_NUL). */
typedef struct fields {
  char *s[10];
  int n;
} fields;

static const char *keep(fields *f, const char *s, size_t n) {
  if (f->n >= 10) return NULL;
  char *c = malloc(n + 1);
  if (!c) return NULL;
  size_t k = 0;
  if (!memchr(s, '\0', n)) { /* the usual case: one memcpy, not a byte loop */
    memcpy(c, s, n);
    k = n;
  } else {
    for (size_t i = 0; i < n; i++)
      if (s[i]) c[k++] = s[i];
  }
  c[k] = '\0';
  f->s[f->n++] = c; /* owned by f: freed with the line's fields */
  return c;
}

static const char *str(fields *f, json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  return json_is_string(v) ? keep(f, json_string_value(v), json_string_length(v)) : NULL;
}

/* Tags: a string, or an array of strings joined with ", ". */
static const char *tags(fields *f, json_t *obj) {
  json_t *v = json_object_get(obj, "tags"), *e;
  if (!json_is_array(v)) return str(f, obj, "tags");
  fouille__buf t = {0};
  size_t i;
  json_array_foreach(v, i, e) {
    if (!json_is_string(e) || json_string_length(e) == 0) continue;
    if (t.len) fouille__buf_add(&t, ", ", 2);
    fouille__buf_add(&t, json_string_value(e), json_string_length(e));
  }
  const char *r = t.len && fouille__buf_cstr(&t) ? keep(f, t.data, t.len) : NULL;
  fouille__buf_free(&t);
  return r;
}

/* id: a string or an integer; missing → "L<line>". */
static const char *id_of(fields *f, json_t *obj, unsigned long lineno) {
  json_t *v = json_object_get(obj, "id");
  char buf[32];
  if (json_is_string(v) && json_string_length(v) > 0) return str(f, obj, "id");
  if (json_is_integer(v))
    snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
  else
    snprintf(buf, sizeof buf, "L%lu", lineno);
  return keep(f, buf, strlen(buf));
}

static int blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return 0;
  return 1;
}

static json_t *body_value(json_t *obj) {
  static const char *keys[] = {"body", "text", "content"};
  for (size_t i = 0; i < 3; i++) {
    json_t *v = json_object_get(obj, keys[i]);
    if (json_is_string(v)) return v;
  }
  return NULL;
}

static int emit(json_t *obj, unsigned long lineno, const fouille__reader_ctx *rc) {
  fields f = {0};
  char date[32];
  int r;
  json_t *b = body_value(obj);
  const char *raw_date = str(&f, obj, "date"),
             *body = b ? keep(&f, json_string_value(b), json_string_length(b)) : NULL;
  if (!b) {
    r = fouille__error(FOUILLE_EPARSE, "line %lu: no body/text/content field", lineno);
    goto done;
  }
  fouille__article a = {
      .id = id_of(&f, obj, lineno),
      .title = str(&f, obj, "title"),
      .url = str(&f, obj, "url"),
      .source = str(&f, obj, "source"),
      .author = str(&f, obj, "author"),
      .tags = tags(&f, obj),
      .body = body,
      .line = lineno,
      .date = fouille__read_date(raw_date, raw_date ? strlen(raw_date) : 0, date, rc, lineno)};
  if (!a.id || !body) {
    r = fouille__error(FOUILLE_ENOMEM, "line %lu: out of memory", lineno);
    goto done;
  }
  a.body_len = strlen(body);
  r = rc->on_article(rc->ctx, &a);
done:
  for (int i = 0; i < f.n; i++) free(f.s[i]);
  return r;
}

/* {"id": …, "deleted": true}: the article with that id is not there. */
static int emit_deleted(json_t *obj, unsigned long lineno, const fouille__reader_ctx *rc) {
  fields f = {0};
  json_t *v = json_object_get(obj, "id");
  fouille__article a = {.line = lineno, .deleted = 1};
  int r;
  if (!json_is_integer(v) && !(json_is_string(v) && json_string_length(v) > 0))
    r = fouille__error(FOUILLE_EPARSE, "line %lu: a deleted line needs an id", lineno);
  else if (!(a.id = id_of(&f, obj, lineno)))
    r = fouille__error(FOUILLE_ENOMEM, "line %lu: out of memory", lineno);
  else
    r = rc->on_article(rc->ctx, &a);
  for (int i = 0; i < f.n; i++) free(f.s[i]);
  return r;
}

/* The fast path's fields (jsonl_yajl.c) as emit() makes them from jansson's. */
static int emit_fast(const fouille__jsonl_fields *f, unsigned long lineno,
                     const fouille__reader_ctx *rc) {
  char id[32], date[32];
  const char *const *v = f->v;
  const char *body = v[FOUILLE__JF_BODY]   ? v[FOUILLE__JF_BODY]
                     : v[FOUILLE__JF_TEXT] ? v[FOUILLE__JF_TEXT]
                                           : v[FOUILLE__JF_CONTENT];
  size_t body_len = v[FOUILLE__JF_BODY]   ? f->n[FOUILLE__JF_BODY]
                    : v[FOUILLE__JF_TEXT] ? f->n[FOUILLE__JF_TEXT]
                                          : f->n[FOUILLE__JF_CONTENT];
  if (!body) return fouille__error(FOUILLE_EPARSE, "line %lu: no body/text/content field", lineno);
  snprintf(id, sizeof id, "L%lu", lineno);
  fouille__article a = {
      .id = f->n[FOUILLE__JF_ID] ? v[FOUILLE__JF_ID] : id,
      .title = v[FOUILLE__JF_TITLE],
      .url = v[FOUILLE__JF_URL],
      .source = v[FOUILLE__JF_SOURCE],
      .author = v[FOUILLE__JF_AUTHOR],
      .tags = v[FOUILLE__JF_TAGS],
      .body = body,
      .body_len = body_len,
      .line = lineno,
      .date = fouille__read_date(v[FOUILLE__JF_DATE], f->n[FOUILLE__JF_DATE], date, rc, lineno)};
  return rc->on_article(rc->ctx, &a);
}

/* 1 when the fast path read the line (*r: what to return). A deleted line
 * without a string id is jansson's (it tells the problem). */
static int read_fast(const char *line, size_t len, unsigned long lineno,
                     const fouille__reader_ctx *rc, int *r) {
  fouille__jsonl_fields f;
  int got = fouille__jsonl_fast(line, len, &f);
  if (got < 0) *r = fouille__error(FOUILLE_ENOMEM, "line %lu: out of memory", lineno);
  if (got <= 0) return got < 0;
  fouille__article a = {.line = lineno, .deleted = 1, .id = f.v[FOUILLE__JF_ID]};
  if (!f.deleted)
    *r = emit_fast(&f, lineno, rc);
  else if (f.n[FOUILLE__JF_ID])
    *r = rc->on_article(rc->ctx, &a);
  else
    got = 0;
  free(f.buf);
  return got;
}

int fouille__read_jsonl_line(const char *line, size_t len, unsigned long lineno,
                             const fouille__reader_ctx *rc) {
  int r = 0;
  if (blank(line, len)) return 1;
  if (read_fast(line, len, lineno, rc, &r)) return r;
  return fouille__read_jsonl_line_jansson(line, len, lineno, rc);
}

int fouille__read_jsonl_line_jansson(const char *line, size_t len, unsigned long lineno,
                                     const fouille__reader_ctx *rc) {
  json_error_t err;
  if (blank(line, len)) return 1;
  json_t *obj = json_loadb(line, len, JSON_ALLOW_NUL, &err);
  if (!obj) return fouille__error(FOUILLE_EPARSE, "line %lu: invalid JSON: %s", lineno, err.text);
  int r = !json_is_object(obj)
              ? fouille__error(FOUILLE_EPARSE, "line %lu: not a JSON object", lineno)
          : json_is_true(json_object_get(obj, "deleted")) ? emit_deleted(obj, lineno, rc)
                                                          : emit(obj, lineno, rc);
  json_decref(obj);
  return r;
}
