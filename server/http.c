/* The read-only HTTP JSON API on libmicrohttpd. A worker-thread pool
 * answers /search, /articles/{key}, /stats and /health from one index
 * handle (its reader pool makes searches concurrent). The server handle
 * (fouille_http_server_start … _free) leaves signals to its caller: _stop
 * writes to a pipe that _wait polls, so a signal handler may call it. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fouille/http.h"
#include "http_private.h"
#include "utf8.h"

typedef struct server {
  fouille_index *index; /* NULL until db_path opens */
  int owns_index;
  const char *db_path;
  const char *cors;
  int threads; /* workers: also the read connections of an index opened here */
  pthread_mutex_t open_lock;
} server;

/* Per-request state, created by the URI log callback before routing. */
typedef struct request {
  size_t uri_len;
} request;

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c) {
  request *r = calloc(1, sizeof *r);
  if (r) r->uri_len = uri ? strlen(uri) : 0;
  return r;
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
                      enum MHD_RequestTerminationCode toe) {
  free(*req_cls);
  *req_cls = NULL;
}

/* ---- Responses ------------------------------------------------------------- */

static enum MHD_Result send_text(server *s, struct MHD_Connection *c, unsigned status, char *body) {
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
  if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(resp, "Allow", "GET, HEAD");
  if (s->cors) {
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", s->cors);
    MHD_add_response_header(resp, "Vary", "Origin");
  }
  ret = MHD_queue_response(c, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Takes ownership of obj. */
static enum MHD_Result send_json(server *s, struct MHD_Connection *c, unsigned status,
                                 json_t *obj) {
  char *body = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
  json_decref(obj);
  return send_text(s, c, status, body);
}

/* A JSON string, or null when s is NULL or not valid UTF-8. */
static json_t *jstr(const char *s) {
  json_t *j = s ? json_string(s) : NULL;
  return j ? j : json_null();
}

static enum MHD_Result send_error(server *s, struct MHD_Connection *c, unsigned status,
                                  const char *message) {
  json_t *obj = json_object();
  json_object_set_new(obj, "error", jstr(message && *message ? message : "error"));
  json_object_set_new(obj, "status", json_integer(status));
  return send_json(s, c, status, obj);
}

/* Maps a library status to an HTTP status. */
static unsigned http_status(int rc) {
  switch (rc) {
  case FOUILLE_EPARSE:
  case FOUILLE_EINVAL:
  case FOUILLE_ETOOBIG:
    return MHD_HTTP_BAD_REQUEST;
  case FOUILLE_ENOTFOUND:
    return MHD_HTTP_NOT_FOUND;
  case FOUILLE_EDB:
  case FOUILLE_EBUSY:
  case FOUILLE_EIO:
  case FOUILLE_EVERSION:
    return MHD_HTTP_SERVICE_UNAVAILABLE;
  default:
    return MHD_HTTP_INTERNAL_SERVER_ERROR;
  }
}

static enum MHD_Result send_failure(server *s, struct MHD_Connection *c, int rc) {
  return send_error(s, c, http_status(rc), fouille_error_last());
}

/* ---- The index, opened late when need be ------------------------------------ */

static fouille_index *get_index(server *s) {
  fouille_index *ix;
  pthread_mutex_lock(&s->open_lock);
  if (!s->index && s->db_path) {
    fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
    o.read_only = 1;
    o.read_pool_size = s->threads;
    if (fouille_index_open(&s->index, s->db_path, &o) == FOUILLE_OK)
      s->owns_index = 1;
    else
      s->index = NULL;
  }
  ix = s->index;
  pthread_mutex_unlock(&s->open_lock);
  if (!ix && !*fouille_error_last())
    fouille_error_set(FOUILLE_EDB, "%s: index not available", s->db_path ? s->db_path : "index");
  return ix;
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

static enum MHD_Result do_search(server *s, struct MHD_Connection *c) {
  param_walk w = {.rc = FOUILLE_OK};
  fouille_results *res = NULL;
  fouille_index *ix;
  char *body = NULL;
  int rc;
  fouille__http_search_init(&w.search);
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_param, &w);
  if ((rc = w.rc) || (rc = fouille__http_search_finish(&w.search)))
    return send_error(s, c, MHD_HTTP_BAD_REQUEST, fouille_error_last());
  if (!(ix = get_index(s))) return send_failure(s, c, FOUILLE_EDB);
  if ((rc = fouille_search(&res, ix, w.search.q, &w.search.options)) == FOUILLE_OK)
    rc = fouille_results_to_json(&body, res);
  fouille_results_free(res);
  if (rc) return send_failure(s, c, rc);
  return send_text(s, c, MHD_HTTP_OK, body);
}

static enum MHD_Result do_article(server *s, struct MHD_Connection *c, const char *key) {
  fouille_article *a = NULL;
  fouille_index *ix;
  json_t *obj;
  int rc;
  if (!fouille__utf8_valid(key, strlen(key)))
    return send_error(s, c, MHD_HTTP_BAD_REQUEST, "article key: not valid UTF-8");
  if (!(ix = get_index(s))) return send_failure(s, c, FOUILLE_EDB);
  if ((rc = fouille_index_get(&a, ix, key))) return send_failure(s, c, rc);
  obj = json_object();
  json_object_set_new(obj, "key", jstr(a->key));
  json_object_set_new(obj, "title", jstr(a->title));
  json_object_set_new(obj, "date", jstr(a->date));
  json_object_set_new(obj, "source", jstr(a->source));
  json_object_set_new(obj, "url", jstr(a->url));
  json_object_set_new(obj, "author", jstr(a->author));
  json_object_set_new(obj, "body", jstr(a->body));
  fouille_article_free(a);
  return send_json(s, c, MHD_HTTP_OK, obj);
}

static json_t *stats_json(const fouille_stats *st) {
  return json_pack("{sI sI sI sI sI sI si si so}", "articles", (json_int_t)st->articles, "files",
                   (json_int_t)st->files, "files_with_errors", (json_int_t)st->files_with_errors,
                   "terms", (json_int_t)st->terms, "db_bytes", (json_int_t)st->db_bytes,
                   "text_bytes", (json_int_t)st->text_bytes, "analyzer_version",
                   st->analyzer_version, "schema_version", st->schema_version, "last_run",
                   st->last_run[0] ? jstr(st->last_run) : json_null());
}

static enum MHD_Result do_stats(server *s, struct MHD_Connection *c, int health) {
  fouille_stats st = FOUILLE_STATS_INIT;
  fouille_index *ix;
  int rc;
  if (!(ix = get_index(s))) return send_failure(s, c, FOUILLE_EDB);
  if (health) {
    if (fouille_index_ping(ix))
      return send_error(s, c, MHD_HTTP_SERVICE_UNAVAILABLE, fouille_error_last());
    return send_json(s, c, MHD_HTTP_OK, json_pack("{ss}", "status", "ok"));
  }
  if ((rc = fouille_index_stats(&st, ix))) return send_failure(s, c, rc);
  return send_json(s, c, MHD_HTTP_OK, stats_json(&st));
}

/* ---- Dispatch ----------------------------------------------------------------- */

static int has_body(struct MHD_Connection *c, size_t upload_size) {
  const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
  if (upload_size > 0) return 1;
  if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding")) return 1;
  return len && strspn(len, "0") != strlen(len);
}

static enum MHD_Result dispatch(server *s, struct MHD_Connection *c, const char *url) {
  const char *key;
  fouille_error_clear();
  switch (fouille__http_route_of(url, &key)) {
  case FOUILLE__ROUTE_SEARCH:
    return do_search(s, c);
  case FOUILLE__ROUTE_ARTICLE:
    return do_article(s, c, key);
  case FOUILLE__ROUTE_STATS:
    return do_stats(s, c, 0);
  case FOUILLE__ROUTE_HEALTH:
    return do_stats(s, c, 1);
  default:
    return send_error(s, c, MHD_HTTP_NOT_FOUND, "no such endpoint");
  }
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req_cls) {
  server *s = cls;
  request *r = *req_cls;
  if (!r) return MHD_NO;
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
    return send_error(s, c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD are allowed");
  if (has_body(c, *upload_size))
    return send_error(s, c, MHD_HTTP_CONTENT_TOO_LARGE, "requests must not have a body");
  if (r->uri_len > FOUILLE__HTTP_URI_MAX)
    return send_error(s, c, MHD_HTTP_URI_TOO_LONG, "request URI longer than 8192 bytes");
  return dispatch(s, c, url);
}

/* ---- Serving ------------------------------------------------------------------ */

typedef union sockaddr_any {
  struct sockaddr sa;
  struct sockaddr_in in4;
  struct sockaddr_in6 in6;
} sockaddr_any;

static int make_address(const char *addr, int port, sockaddr_any *out) {
  memset(out, 0, sizeof *out);
  if (port < 0 || port > 65535)
    return fouille_error_set(FOUILLE_EINVAL, "port %d: out of range", port);
  if (inet_pton(AF_INET, addr, &out->in4.sin_addr) == 1) {
    out->in4.sin_family = AF_INET;
    out->in4.sin_port = htons((uint16_t)port);
    return FOUILLE_OK;
  }
  if (inet_pton(AF_INET6, addr, &out->in6.sin6_addr) == 1) {
    out->in6.sin6_family = AF_INET6;
    out->in6.sin6_port = htons((uint16_t)port);
    return FOUILLE_OK;
  }
  return fouille_error_set(FOUILLE_EINVAL, "%s: not an IPv4 or IPv6 address", addr);
}

static struct MHD_Daemon *start(server *s, const fouille_http_options *o, sockaddr_any *sa) {
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
  if (sa->sa.sa_family == AF_INET6) flags |= MHD_USE_IPv6;
  return MHD_start_daemon(
      flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &sa->sa, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)s->threads, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)(o->max_connections > 0 ? o->max_connections : 64), MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)(o->timeout_seconds > 0 ? o->timeout_seconds : 10),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_URI_LOG_CALLBACK, uri_log, s,
      MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_END);
}

/* ---- The server handle ------------------------------------------------------ */

struct fouille_http_server {
  server s;
  struct MHD_Daemon *daemon; /* NULL once stopped */
  int port;
  int stop_r, stop_w; /* the self-pipe fouille_http_server_stop writes to */
  char *db_path, *cors;
};

FOUILLE_EXTERN int fouille_http_options_init(fouille_http_options *opts, unsigned int version) {
  static const fouille_http_options defaults = FOUILLE_HTTP_OPTIONS_INIT;
  if (!opts) return fouille_error_set(FOUILLE_EINVAL, "fouille_http_options: NULL");
  if (version != FOUILLE_HTTP_OPTIONS_VERSION)
    return fouille_error_set(FOUILLE_EINVAL, "fouille_http_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}

static int check_options(const fouille_http_options *o, fouille_index *index) {
  if (o->version != FOUILLE_HTTP_OPTIONS_VERSION)
    return fouille_error_set(FOUILLE_EINVAL, "fouille_http_options: unknown version %d",
                             o->version);
  if (!index && !o->db_path) return fouille_error_set(FOUILLE_EINVAL, "http: no index to serve");
  return FOUILLE_OK;
}

/* The stop pipe: close-on-exec, the write end non-blocking (a full pipe
 * already holds a stop request). */
static int make_stop_pipe(fouille_http_server *hs) {
  int fds[2];
  if (pipe(fds) != 0)
    return fouille_error_set(FOUILLE_EIO, "http: cannot create a pipe: %s", strerror(errno));
  hs->stop_r = fds[0], hs->stop_w = fds[1];
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  return FOUILLE_OK;
}

static char *dup_or_null(const char *s, int *oom) {
  char *d = s ? strdup(s) : NULL;
  if (s && !d) *oom = 1;
  return d;
}

/* The daemon's threads start with every signal blocked: they inherit the
 * mask of this thread, set for the call and put back. */
static int listen_on(fouille_http_server *hs, const fouille_http_options *o, const char *addr) {
  sockaddr_any sa;
  sigset_t all, old;
  int rc = make_address(addr, o->port, &sa);
  if (rc) return rc;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  hs->daemon = start(&hs->s, o, &sa);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (!hs->daemon)
    return fouille_error_set(FOUILLE_EIO, "%s:%d: cannot listen (address in use or not local?)",
                             addr, o->port);
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(hs->daemon, MHD_DAEMON_INFO_BIND_PORT);
  hs->port = info && info->port ? (int)info->port : o->port;
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_http_server_start(fouille_http_server **out, fouille_index *index,
                                             const fouille_http_options *opts) {
  static const fouille_http_options defaults = FOUILLE_HTTP_OPTIONS_INIT;
  const fouille_http_options *o = opts ? opts : &defaults;
  fouille_http_server *hs;
  int rc, oom = 0;
  if (!out) return fouille_error_set(FOUILLE_EINVAL, "http: no output");
  *out = NULL;
  if ((rc = check_options(o, index))) return rc;
  if (!(hs = calloc(1, sizeof *hs))) return fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  hs->stop_r = hs->stop_w = -1;
  hs->db_path = dup_or_null(o->db_path, &oom);
  hs->cors = dup_or_null(o->cors_origin, &oom);
  hs->s = (server){.index = index, .db_path = hs->db_path, .cors = hs->cors, .threads = 8};
  if (o->threads > 0) hs->s.threads = o->threads;
  pthread_mutex_init(&hs->s.open_lock, NULL);
  if (oom)
    rc = fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  else if (!(rc = make_stop_pipe(hs)))
    rc = listen_on(hs, o, o->address ? o->address : "127.0.0.1");
  if (rc) {
    fouille_http_server_free(hs);
    return rc;
  }
  *out = hs;
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_http_server_port(const fouille_http_server *hs) {
  return hs ? hs->port : -1;
}

FOUILLE_EXTERN void fouille_http_server_stop(fouille_http_server *hs) {
  if (!hs) return;
  int saved = errno;
  ssize_t n = write(hs->stop_w, "", 1); /* async-signal-safe */
  (void)n;                              /* EAGAIN: a request is already there */
  errno = saved;
}

FOUILLE_EXTERN int fouille_http_server_wait(fouille_http_server *hs) {
  if (!hs) return fouille_error_set(FOUILLE_EINVAL, "http: no server");
  while (hs->daemon) {
    struct pollfd p = {.fd = hs->stop_r, .events = POLLIN};
    int n = poll(&p, 1, -1);
    if (n < 0 && errno != EINTR)
      return fouille_error_set(FOUILLE_EIO, "http: waiting for a stop: %s", strerror(errno));
    if (n > 0) {
      MHD_stop_daemon(hs->daemon);
      hs->daemon = NULL;
    }
  }
  return FOUILLE_OK;
}

FOUILLE_EXTERN void fouille_http_server_free(fouille_http_server *hs) {
  if (!hs) return;
  if (hs->daemon) MHD_stop_daemon(hs->daemon);
  if (hs->stop_r >= 0) close(hs->stop_r);
  if (hs->stop_w >= 0) close(hs->stop_w);
  if (hs->s.owns_index) fouille_index_close(hs->s.index);
  pthread_mutex_destroy(&hs->s.open_lock);
  free(hs->db_path);
  free(hs->cors);
  free(hs);
}
