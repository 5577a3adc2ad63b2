/* The HTTP JSON API's requests: a table of routes (path, allowed methods,
 * endpoint), the endpoints /search, /articles/{key}, /stats and /health,
 * the writes (PUT, DELETE, POST /articles, with a token: http_write.c),
 * and their JSON answers. Error bodies are built here from the
 * status and the request, never from the library's message when that may
 * name the database's path or hold SQL: the full message goes to the log
 * (fouille_http_options.log) instead. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_page.h"
#include "http_private.h"
#include "http_server.h"
#include "utf8.h"

/* One request being answered. */
typedef struct call {
  fouille__http_ctx *s;
  struct MHD_Connection *c;
  const char *url;
  const char *arg; /* the article key of /articles/{key} */
  fouille_index *ix;
  fouille__http_held *hold; /* released once the endpoint has answered */
  const char *method;
  fouille__http_request *r;
} call;

/* ---- Responses ------------------------------------------------------------- */

static enum MHD_Result send_text(call *k, unsigned status, char *body, const char *allow) {
  struct MHD_Response *resp;
  enum MHD_Result ret;
  if (!body) return MHD_NO; /* out of memory: drop the connection */
  resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(body);
    return MHD_NO;
  }
  MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  if (allow) MHD_add_response_header(resp, "Allow", allow);
  if (status == MHD_HTTP_UNAUTHORIZED)
    MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"fouille\"");
  if (k->s->cors) {
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", k->s->cors);
    MHD_add_response_header(resp, "Vary", "Origin");
  }
  ret = MHD_queue_response(k->c, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Takes ownership of obj. */
static enum MHD_Result send_json(call *k, unsigned status, json_t *obj, const char *allow) {
  char *body = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
  json_decref(obj);
  return send_text(k, status, body, allow);
}

/* A JSON string, or null when s is NULL or not valid UTF-8. */
static json_t *jstr(const char *s) {
  json_t *j = s ? json_string(s) : NULL;
  return j ? j : json_null();
}

static json_t *error_json(unsigned status, const char *message) {
  json_t *obj = json_object();
  json_object_set_new(obj, "error", jstr(message && *message ? message : "error"));
  json_object_set_new(obj, "status", json_integer(status));
  return obj;
}

static enum MHD_Result send_error(call *k, unsigned status, const char *message) {
  return send_json(k, status, error_json(status, message), NULL);
}

/* ---- Errors: public messages, details to the log ----------------------------- */

static int contains_ci(const char *s, const char *word) {
  size_t n = strlen(word);
  for (; *s; s++)
    if (strncasecmp(s, word, n) == 0) return 1;
  return 0;
}

/* The library's message for a bad request, unless it might reveal the
 * server (the database's path, SQL). */
static const char *bad_request_message(const call *k) {
  const char *msg = fouille_error_last(), *path = k->s->source.db_path;
  if (!*msg || contains_ci(msg, "sql") || (path && *path && strstr(msg, path)))
    return "bad request";
  return msg;
}

/* The status for a library failure and its public message (NULL: build it
 * from the request). opening: fouille__http_source_acquire failed. */
static unsigned failure_status(int rc, int opening, const char **msg) {
  static const char unavailable[] = "index not available: the database cannot be opened";
  *msg = NULL;
  switch (rc) {
  case FOUILLE_EPARSE:
  case FOUILLE_EINVAL:
  case FOUILLE_ETOOBIG:
    return opening ? (*msg = unavailable, MHD_HTTP_SERVICE_UNAVAILABLE) : MHD_HTTP_BAD_REQUEST;
  case FOUILLE_ENOTFOUND:
    if (opening) *msg = "index not available: no database file";
    return opening ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_NOT_FOUND;
  case FOUILLE_EBUSY:
    return *msg = "index busy: try again", MHD_HTTP_SERVICE_UNAVAILABLE;
  case FOUILLE_EVERSION:
    return *msg = "index built by another analyzer version: it must be rebuilt",
           MHD_HTTP_SERVICE_UNAVAILABLE;
  case FOUILLE_EDB:
  case FOUILLE_EIO:
    *msg = opening ? unavailable : "index not available: database error";
    return MHD_HTTP_SERVICE_UNAVAILABLE;
  case FOUILLE_ENOMEM:
    return *msg = "out of memory", MHD_HTTP_INTERNAL_SERVER_ERROR;
  default:
    return *msg = "internal error", MHD_HTTP_INTERNAL_SERVER_ERROR;
  }
}

static enum MHD_Result send_not_found_key(call *k) {
  static const char fmt[] = "no article with key '%s'";
  size_t n = sizeof fmt + strlen(k->arg);
  char *msg = malloc(n);
  if (!msg) return MHD_NO;
  snprintf(msg, n, fmt, k->arg);
  enum MHD_Result ret = send_error(k, MHD_HTTP_NOT_FOUND, msg);
  free(msg);
  return ret;
}

static enum MHD_Result send_failure(call *k, int rc, int opening) {
  const char *msg;
  unsigned status = failure_status(rc, opening, &msg);
  if (status >= 500 && k->s->log)
    k->s->log(status, k->url, fouille_error_last(), k->s->log_payload);
  if (status == MHD_HTTP_NOT_FOUND && k->arg) return send_not_found_key(k);
  return send_error(k, status, msg ? msg : bad_request_message(k));
}

/* Takes a hold on the index into k; 0, or -1 when *ret holds the 503. */
static int with_index(call *k, enum MHD_Result *ret) {
  int rc = fouille__http_source_acquire(&k->s->source, &k->ix, &k->hold);
  if (rc == FOUILLE_OK) return 0;
  *ret = send_failure(k, rc, 1);
  return -1;
}

/* ---- Endpoints --------------------------------------------------------------- */

typedef struct param_walk {
  fouille__http_search search;
  int rc;
} param_walk;

static enum MHD_Result on_param(void *cls, enum MHD_ValueKind kind, const char *name,
                                const char *value) {
  param_walk *w = cls;
  w->rc = fouille__http_search_param(&w->search, name, value);
  return w->rc == FOUILLE_OK ? MHD_YES : MHD_NO;
}

static enum MHD_Result do_search(call *k) {
  param_walk w = {.rc = FOUILLE_OK};
  fouille_results *res = NULL;
  enum MHD_Result ret;
  char *body = NULL;
  int rc;
  fouille__http_search_init(&w.search);
  MHD_get_connection_values(k->c, MHD_GET_ARGUMENT_KIND, on_param, &w);
  if (w.rc || fouille__http_search_finish(&w.search))
    return send_error(k, MHD_HTTP_BAD_REQUEST, fouille_error_last());
  if (with_index(k, &ret)) return ret;
  if ((rc = fouille_search(&res, k->ix, w.search.q, &w.search.options)) == FOUILLE_OK)
    rc = fouille_results_to_json(&body, res);
  fouille_results_free(res);
  if (rc) return send_failure(k, rc, 0);
  return send_text(k, MHD_HTTP_OK, body, NULL);
}

static json_t *article_json(const fouille_article *a) {
  json_t *obj = json_object();
  json_object_set_new(obj, "key", jstr(a->key));
  json_object_set_new(obj, "title", jstr(a->title));
  json_object_set_new(obj, "date", jstr(a->date));
  json_object_set_new(obj, "source", jstr(a->source));
  json_object_set_new(obj, "url", jstr(a->url));
  json_object_set_new(obj, "author", jstr(a->author));
  json_object_set_new(obj, "body", jstr(a->body));
  return obj;
}

static enum MHD_Result do_article(call *k) {
  fouille_article *a = NULL;
  enum MHD_Result ret;
  int rc;
  if (!fouille__utf8_valid(k->arg, strlen(k->arg)))
    return send_error(k, MHD_HTTP_BAD_REQUEST, "article key: not valid UTF-8");
  if (with_index(k, &ret)) return ret;
  if ((rc = fouille_index_get(&a, k->ix, k->arg))) return send_failure(k, rc, 0);
  json_t *obj = article_json(a);
  fouille_article_free(a);
  return send_json(k, MHD_HTTP_OK, obj, NULL);
}

static json_t *stats_json(const fouille_stats *st) {
  return json_pack("{sI sI sI sI sI sI si si so}", "articles", (json_int_t)st->articles, "files",
                   (json_int_t)st->files, "files_with_errors", (json_int_t)st->files_with_errors,
                   "terms", (json_int_t)st->terms, "db_bytes", (json_int_t)st->db_bytes,
                   "text_bytes", (json_int_t)st->text_bytes, "analyzer_version",
                   st->analyzer_version, "schema_version", st->schema_version, "last_run",
                   st->last_run[0] ? jstr(st->last_run) : json_null());
}

static enum MHD_Result do_stats(call *k) {
  fouille_stats st = FOUILLE_STATS_INIT;
  enum MHD_Result ret;
  int rc;
  if (with_index(k, &ret)) return ret;
  if ((rc = fouille_index_stats(&st, k->ix))) return send_failure(k, rc, 0);
  return send_json(k, MHD_HTTP_OK, stats_json(&st), NULL);
}

static enum MHD_Result do_health(call *k) {
  enum MHD_Result ret;
  int rc;
  if (with_index(k, &ret)) return ret;
  if ((rc = fouille_index_ping(k->ix))) return send_failure(k, rc, 1);
  return send_json(k, MHD_HTTP_OK, json_pack("{ss}", "status", "ok"), NULL);
}

/* The page's files (http_page.c); the rest of the answers are JSON. */
static enum MHD_Result do_page(call *k) {
  const fouille__http_asset *a = fouille__http_asset_find(k->url);
  struct MHD_Response *resp;
  enum MHD_Result ret;
  /* Only the plain names: "/%00" decodes to "/" but is no page of ours. */
  if (!a || k->r->path_len != strlen(k->url))
    return send_error(k, MHD_HTTP_NOT_FOUND, "no such endpoint");
  if (!(resp = fouille__http_page_response(a))) return MHD_NO;
  ret = MHD_queue_response(k->c, MHD_HTTP_OK, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* ---- Writes (with a token) ------------------------------------------------------- */

static enum MHD_Result send_counts(call *k, unsigned status, const fouille__http_counts *n) {
  return send_json(k, status,
                   json_pack("{sI sI sI sI}", "added", (json_int_t)n->added, "changed",
                             (json_int_t)n->changed, "deleted", (json_int_t)n->deleted, "skipped",
                             (json_int_t)n->skipped),
                   NULL);
}

static const char *body_of(call *k) { return k->r->body ? k->r->body : ""; }

static enum MHD_Result do_put(call *k) {
  fouille__http_counts n = {0};
  int rc;
  if (!fouille__utf8_valid(k->arg, strlen(k->arg)))
    return send_error(k, MHD_HTTP_BAD_REQUEST, "article key: not valid UTF-8");
  rc = fouille__http_write_put(&k->s->writes, k->arg, body_of(k), k->r->body_len, &n);
  if (rc) return send_failure(k, rc, 0);
  return send_counts(k, n.added ? MHD_HTTP_CREATED : MHD_HTTP_OK, &n);
}

static enum MHD_Result do_delete(call *k) {
  fouille__http_counts n = {0};
  int rc;
  if (!fouille__utf8_valid(k->arg, strlen(k->arg)))
    return send_error(k, MHD_HTTP_BAD_REQUEST, "article key: not valid UTF-8");
  if ((rc = fouille__http_write_delete(&k->s->writes, k->arg, &n))) return send_failure(k, rc, 0);
  return send_counts(k, MHD_HTTP_OK, &n);
}

static enum MHD_Result do_post(call *k) {
  fouille__http_counts n = {0};
  int rc = fouille__http_write_jsonl(&k->s->writes, body_of(k), k->r->body_len, &n);
  if (rc) return send_failure(k, rc, 0);
  return send_counts(k, MHD_HTTP_OK, &n);
}

/* /articles/{key} with writes on: GET and HEAD read, PUT and DELETE write. */
static enum MHD_Result do_article_rw(call *k) {
  if (!strcmp(k->method, "PUT")) return do_put(k);
  if (!strcmp(k->method, "DELETE")) return do_delete(k);
  return do_article(k);
}

/* ---- Routes ------------------------------------------------------------------ */

typedef enum MHD_Result (*endpoint_fn)(call *k);

static const struct route {
  fouille__http_route route; /* from fouille__http_route_of (http_params.c) */
  const char *methods;       /* accepted, as in the Allow header of a 405 */
  endpoint_fn answer;
  int writes; /* 0: always; 1: only with writes on; -1: only with writes off */
} routes[] = {
    {FOUILLE__ROUTE_SEARCH, "GET, HEAD", do_search, 0},
    {FOUILLE__ROUTE_ARTICLE, "GET, HEAD", do_article, -1},
    {FOUILLE__ROUTE_ARTICLE, "GET, HEAD, PUT, DELETE", do_article_rw, 1},
    {FOUILLE__ROUTE_ARTICLES, "POST", do_post, 1},
    {FOUILLE__ROUTE_STATS, "GET, HEAD", do_stats, 0},
    {FOUILLE__ROUTE_HEALTH, "GET, HEAD", do_health, 0},
    {FOUILLE__ROUTE_PAGE, "GET, HEAD", do_page, 0},
};

static const struct route *route_for(const fouille__http_ctx *s, const char *url,
                                     const char **arg) {
  fouille__http_route r = fouille__http_route_of(url, arg);
  int writes = s->writes.token ? 1 : -1;
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
    if (routes[i].route == r && (!routes[i].writes || routes[i].writes == writes))
      return &routes[i];
  return NULL;
}

/* Whether method is one of the comma-separated names in methods. */
static int allowed(const char *methods, const char *method) {
  size_t n = strlen(method);
  for (const char *p = methods; *p; p += strspn(p, ", ")) {
    size_t len = strcspn(p, ",");
    if (len == n && strncmp(p, method, n) == 0) return 1;
    p += len;
  }
  return 0;
}

/* Whether the headers announce a body. */
static int has_body(struct MHD_Connection *c) {
  const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
  if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding")) return 1;
  return len && strspn(len, "0") != strlen(len);
}

/* Whether a write's Content-Length is over the limit. */
static int body_over(call *k) {
  const char *len = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND, "Content-Length");
  char *end;
  if (!len) return 0;
  unsigned long long n = strtoull(len, &end, 10);
  return *end || n > k->s->writes.max_body;
}

static const char *write_refusal(call *k, unsigned *status) {
  const char *auth = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND, "Authorization");
  if (!fouille__http_writes_authorized(&k->s->writes, auth))
    return *status = MHD_HTTP_UNAUTHORIZED, "writes need the header 'Authorization: Bearer TOKEN'";
  if (!strcmp(k->method, "DELETE")) return NULL;
  if (body_over(k))
    return *status = MHD_HTTP_CONTENT_TOO_LARGE, "request body over the server's size limit";
  return NULL;
}

static int is_write(const char *method) {
  return !strcmp(method, "PUT") || !strcmp(method, "DELETE") || !strcmp(method, "POST");
}

/* The first call, headers in: refuses what cannot be answered (a queued
 * response closes the connection), else returns NULL. */
static const char *refusal(call *k, const fouille__http_request *r, const char *method,
                           unsigned *status, const char **allow) {
  const struct route *route = route_for(k->s, k->url, &k->arg);
  *allow = NULL;
  if (r->uri_len > FOUILLE__HTTP_URI_MAX)
    return *status = MHD_HTTP_URI_TOO_LONG, "request URI longer than 8192 bytes";
  if (route && !allowed(route->methods, method))
    return *status = MHD_HTTP_METHOD_NOT_ALLOWED, *allow = route->methods,
           "method not allowed: see the Allow header";
  if (route && is_write(method)) return write_refusal(k, status);
  if (has_body(k->c)) return *status = MHD_HTTP_CONTENT_TOO_LARGE, "requests must not have a body";
  return NULL;
}

/* A piece of a write's body (only writes get this far with one): kept up
 * to the limit; past it (no Content-Length announced it) dropped. */
static enum MHD_Result take_body(call *k, const char *data, size_t *size) {
  fouille__http_request *r = k->r;
  size_t n = *size;
  *size = 0;
  if (r->body_too_big || r->body_len + n > k->s->writes.max_body)
    return r->body_too_big = 1, MHD_YES;
  if (r->body_len + n + 1 > r->body_cap) {
    size_t cap = r->body_cap ? r->body_cap : 4096;
    while (cap < r->body_len + n + 1) cap *= 2;
    char *b = realloc(r->body, cap);
    if (!b) return MHD_NO;
    r->body = b, r->body_cap = cap;
  }
  memcpy(r->body + r->body_len, data, n);
  r->body_len += n;
  r->body[r->body_len] = '\0';
  return MHD_YES;
}

enum MHD_Result fouille__http_answer(void *cls, struct MHD_Connection *c, const char *url,
                                     const char *method, const char *version, const char *upload,
                                     size_t *upload_size, void **req_cls) {
  fouille__http_request *r = *req_cls;
  call k = {.s = cls, .c = c, .url = url, .method = method, .r = r};
  const struct route *route;
  const char *msg, *allow;
  unsigned status;
  enum MHD_Result ret;
  if (!r) return MHD_NO;
  fouille_error_clear();
  if (!r->headers_done) {
    r->headers_done = 1;
    if (!(msg = refusal(&k, r, method, &status, &allow))) return MHD_YES; /* wait for the end */
    return send_json(&k, status, error_json(status, msg), allow);
  }
  if (*upload_size) return take_body(&k, upload, upload_size);
  if (!(route = route_for(k.s, url, &k.arg)))
    return send_error(&k, MHD_HTTP_NOT_FOUND, "no such endpoint");
  if (r->body_too_big)
    return send_error(&k, MHD_HTTP_CONTENT_TOO_LARGE, "request body over the server's size limit");
  ret = route->answer(&k);
  fouille__http_source_release(&k.s->source, k.hold);
  return ret;
}
