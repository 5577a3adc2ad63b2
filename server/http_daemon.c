/* The HTTP server handle on libmicrohttpd: an epoll thread pool whose
 * workers answer requests (http.c) from one index (http_index.c). The
 * connections are bounded: how many (max_connections, per client address),
 * memory per connection, and time — a connection that has not finished
 * its request line and headers is closed after header_timeout seconds of
 * silence, one idle between requests after timeout seconds. The handle
 * (start … free) leaves signals to its caller: _stop writes to a pipe that
 * _wait polls, so a signal handler may call it. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http_server.h"

#define DEFAULT_MAX_CONNECTIONS 1024
#define DEFAULT_IDLE_TIMEOUT 10
#define DEFAULT_HEADER_TIMEOUT 5
#define DEFAULT_THREADS 8
#define CONNECTION_MEMORY (64 * 1024) /* request line, headers and MHD's buffers */

/* ---- Connections: a short timeout until a request is complete ---------------- */

/* The request line has arrived: until the headers are complete, the
 * connection has header_timeout seconds of silence. */
static void *request_begin(void *cls, const char *uri, struct MHD_Connection *c) {
  fouille__http_ctx *s = cls;
  fouille__http_request *r = calloc(1, sizeof *r);
  if (r) r->uri_len = uri ? strlen(uri) : 0, r->path_len = uri ? strcspn(uri, "?") : 0;
  MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, s->header_timeout);
  return r;
}

/* Answered: a connection kept alive waits for its next request for
 * idle_timeout seconds. Not on other ends (closed, timed out, shutting
 * down), where the connection is being torn down. */
static void request_end(void *cls, struct MHD_Connection *c, void **req_cls,
                        enum MHD_RequestTerminationCode toe) {
  fouille__http_ctx *s = cls;
  fouille__http_request *r = *req_cls;
  if (r) free(r->body);
  free(r);
  *req_cls = NULL;
  if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
    MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, s->idle_timeout);
}

/* ---- Listening --------------------------------------------------------------- */

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

/* The options as the daemon uses them: defaults applied, version 2 structs
 * read up to their end. */
typedef struct limits {
  unsigned threads, max_connections, per_ip;
} limits;

static void read_limits(const fouille_http_options *o, limits *l, fouille__http_ctx *s) {
  int v3 = o->version >= 3;
  l->threads = o->threads > 0 ? (unsigned)o->threads : DEFAULT_THREADS;
  l->max_connections =
      o->max_connections > 0 ? (unsigned)o->max_connections : DEFAULT_MAX_CONNECTIONS;
  if (l->max_connections < l->threads) l->max_connections = l->threads; /* one each at least */
  l->per_ip = v3 && o->max_connections_per_ip > 0 ? (unsigned)o->max_connections_per_ip : 0;
  s->idle_timeout = o->timeout_seconds > 0 ? (unsigned)o->timeout_seconds : DEFAULT_IDLE_TIMEOUT;
  s->header_timeout = v3 && o->header_timeout_seconds > 0 ? (unsigned)o->header_timeout_seconds
                                                          : DEFAULT_HEADER_TIMEOUT;
  s->log = v3 ? o->log : NULL;
  s->log_payload = v3 ? o->log_payload : NULL;
}

static struct MHD_Daemon *start(fouille__http_ctx *s, const limits *l, sockaddr_any *sa) {
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
  if (sa->sa.sa_family == AF_INET6) flags |= MHD_USE_IPv6;
  return MHD_start_daemon(
      flags, 0, NULL, NULL, fouille__http_answer, s, MHD_OPTION_SOCK_ADDR, &sa->sa,
      MHD_OPTION_THREAD_POOL_SIZE, l->threads, MHD_OPTION_CONNECTION_LIMIT, l->max_connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, l->per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
      s->header_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
      MHD_OPTION_URI_LOG_CALLBACK, request_begin, s, MHD_OPTION_NOTIFY_COMPLETED, request_end, s,
      MHD_OPTION_END);
}

/* ---- The server handle ------------------------------------------------------ */

struct fouille_http_server {
  fouille__http_ctx s;
  struct MHD_Daemon *daemon; /* NULL once stopped */
  int port;
  int stop_r, stop_w; /* the self-pipe fouille_http_server_stop writes to */
  char *cors;
};

FOUILLE_EXTERN int fouille_http_options_init(fouille_http_options *opts, unsigned int version) {
  static const fouille_http_options defaults = FOUILLE_HTTP_OPTIONS_INIT;
  if (!opts) return fouille_error_set(FOUILLE_EINVAL, "fouille_http_options: NULL");
  if (version == 2 || version == 3) { /* the caller's struct ends before the next version's */
    memcpy(opts, &defaults,
           version == 2 ? offsetof(fouille_http_options, header_timeout_seconds)
                        : offsetof(fouille_http_options, write_token));
    opts->version = (int)version;
    return FOUILLE_OK;
  }
  if (version != FOUILLE_HTTP_OPTIONS_VERSION)
    return fouille_error_set(FOUILLE_EINVAL, "fouille_http_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}

static int check_options(const fouille_http_options *o, fouille_index *index) {
  if (o->version < 2 || o->version > FOUILLE_HTTP_OPTIONS_VERSION)
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

/* The daemon's threads start with every signal blocked: they inherit the
 * mask of this thread, set for the call and put back. */
static int listen_on(fouille_http_server *hs, const fouille_http_options *o, const limits *l) {
  const char *addr = o->address ? o->address : "127.0.0.1";
  sockaddr_any sa;
  sigset_t all, old;
  int rc = make_address(addr, o->port, &sa);
  if (rc) return rc;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  hs->daemon = start(&hs->s, l, &sa);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (!hs->daemon)
    return fouille_error_set(FOUILLE_EIO, "%s:%d: cannot listen (address in use or not local?)",
                             addr, o->port);
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(hs->daemon, MHD_DAEMON_INFO_BIND_PORT);
  hs->port = info && info->port ? (int)info->port : o->port;
  return FOUILLE_OK;
}

/* Everything but the daemon: the context, the index source, the pipe. */
static int prepare(fouille_http_server *hs, fouille_index *index, const fouille_http_options *o,
                   limits *l) {
  int rc;
  hs->stop_r = hs->stop_w = -1;
  read_limits(o, l, &hs->s);
  if (o->cors_origin && !(hs->cors = strdup(o->cors_origin)))
    return fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  hs->s.cors = hs->cors;
  if ((rc = fouille__http_source_init(&hs->s.source, index, o->db_path, (int)l->threads)))
    return rc;
  int v4 = o->version >= 4;
  if ((rc = fouille__http_writes_init(&hs->s.writes, v4 ? o->write_token : NULL,
                                      v4 ? o->max_body_bytes : 0,
                                      o->db_path ? o->db_path : fouille_index_path(index))))
    return rc;
  return make_stop_pipe(hs);
}

FOUILLE_EXTERN int fouille_http_server_start(fouille_http_server **out, fouille_index *index,
                                             const fouille_http_options *opts) {
  static const fouille_http_options defaults = FOUILLE_HTTP_OPTIONS_INIT;
  const fouille_http_options *o = opts ? opts : &defaults;
  fouille_http_server *hs;
  limits l;
  int rc;
  if (!out) return fouille_error_set(FOUILLE_EINVAL, "http: no output");
  *out = NULL;
  if ((rc = check_options(o, index))) return rc;
  if (!(hs = calloc(1, sizeof *hs))) return fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  if ((rc = prepare(hs, index, o, &l)) || (rc = listen_on(hs, o, &l))) {
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
  fouille__http_writes_destroy(&hs->s.writes);
  fouille__http_source_destroy(&hs->s.source);
  free(hs->cors);
  free(hs);
}
