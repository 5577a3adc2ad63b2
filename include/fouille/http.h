/* Serving a Fouille index over HTTP: a small read-only JSON API
 * (/search, /articles/{key}, /stats, /health) on libmicrohttpd. */
#ifndef FOUILLE_HTTP_H
#define FOUILLE_HTTP_H

#include "fouille/common.h"
#include "fouille/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called once the server listens, with the port actually bound (useful
 * when port 0 asked for any free port). */
typedef void (*fouille_http_ready_cb)(void *user, const char *address, int port);

typedef struct fouille_http_options {
  int version;             /* FOUILLE_HTTP_OPTIONS_VERSION */
  const char *address;     /* IPv4 or IPv6 literal to bind (default "127.0.0.1") */
  int port;                /* 0: any free port (see ready) */
  const char *cors_origin; /* Access-Control-Allow-Origin value, or NULL for none */
  const char *db_path;     /* with a NULL index: opened read-only on first use (503 until then) */
  int max_connections;     /* concurrent connections (default 64) */
  int timeout_seconds;     /* idle time before a connection is closed (default 10) */
  int threads;             /* worker threads (default 8) */
  fouille_http_ready_cb ready;
  void *user;               /* passed to ready */
  volatile const int *stop; /* if set, serving ends soon after *stop becomes non-zero */
} fouille_http_options;

#define FOUILLE_HTTP_OPTIONS_VERSION 1
#define FOUILLE_HTTP_OPTIONS_INIT                                                                  \
  { FOUILLE_HTTP_OPTIONS_VERSION, NULL, 0, NULL, NULL, 0, 0, 0, NULL, NULL, NULL }

/* Serves index (read-only) until SIGINT or SIGTERM arrives (or *stop is
 * set), then stops accepting, finishes the requests in flight and returns
 * FOUILLE_OK. The calling thread blocks SIGINT and SIGTERM and waits for
 * them itself; call it from the main thread of a program that has no other
 * use for these signals. index may be NULL when opts->db_path is given.
 * The handle must stay open until the call returns; searches run
 * concurrently on it (see fouille_index_open). Errors: FOUILLE_EINVAL (bad
 * address or option), FOUILLE_EIO (cannot listen: port in use…). */
FOUILLE_EXTERN int fouille_http_serve(fouille_index *index, const fouille_http_options *opts);

#ifdef __cplusplus
}
#endif
#endif
