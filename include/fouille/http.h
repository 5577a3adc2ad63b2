/* Serving a Fouille index over HTTP: a small JSON API (/search,
 * /articles/{key}, /stats, /health; writes with a token) on libmicrohttpd. */
#ifndef FOUILLE_HTTP_H
#define FOUILLE_HTTP_H

#include "fouille/common.h"
#include "fouille/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called for every answer with a status of 500 or more, with the
 * library's full message (which may name the database's path: the
 * answer's body does not). From the server's worker threads, possibly
 * several at once. */
typedef void (*fouille_http_log_fn)(unsigned int status, const char *path, const char *message,
                                    void *payload);

typedef struct fouille_http_options {
  int version;             /* FOUILLE_HTTP_OPTIONS_VERSION */
  const char *address;     /* IPv4 or IPv6 literal to bind (default "127.0.0.1") */
  int port;                /* 0: any free port (see fouille_http_server_port) */
  const char *cors_origin; /* Access-Control-Allow-Origin value, or NULL for none */
  const char *db_path;     /* with a NULL index: opened read-only on first use (503 until then) */
  int max_connections;     /* concurrent connections (default 1024); more wait in the backlog */
  int timeout_seconds;     /* silence between requests before closing (default 10) */
  int threads;             /* worker threads (default 8) */
  /* Version 3: */
  int header_timeout_seconds; /* a request line or headers not finished after this much
                                 silence: the connection is closed (default 5) */
  int max_connections_per_ip; /* per client address; 0: no limit (the default) */
  fouille_http_log_fn log;    /* NULL: no log */
  void *log_payload;
  /* Version 4: */
  const char *write_token; /* non-NULL: PUT and DELETE /articles/{key} and POST /articles are
                              accepted with "Authorization: Bearer TOKEN" (at least 16 bytes);
                              they write to a stream root named "http" through a handle opened
                              for writing on db_path (required). NULL: read-only */
  size_t max_body_bytes;   /* largest request body accepted (default 16 MiB) */
} fouille_http_options;

/* Version 4 adds write_token and max_body_bytes (HTTP writes). Version 3 adds header_timeout_seconds, max_connections_per_ip, log and
 * log_payload; a version 2 struct (without them) is still accepted by
 * fouille_http_options_init and fouille_http_server_start, as are version 3
 * structs (without the version 4 fields: read-only). Version 2: the
 * ready callback, its user pointer and the stop flag of version 1 are gone
 * (see fouille_http_server_port and _stop). */
#define FOUILLE_HTTP_OPTIONS_VERSION 4
#define FOUILLE_HTTP_OPTIONS_INIT                                                                  \
  { FOUILLE_HTTP_OPTIONS_VERSION, NULL, 0, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, 0 }

/* Fills *opts with the defaults (FOUILLE_HTTP_OPTIONS_INIT) of the given
 * version (FOUILLE_HTTP_OPTIONS_VERSION, or 2 or 3: only the fields of that
 * version are written). FOUILLE_OK, or FOUILLE_EINVAL (NULL opts, unknown
 * version). */
FOUILLE_EXTERN int fouille_http_options_init(fouille_http_options *opts, unsigned int version);

/* A running server. The library touches no signal disposition and no
 * other thread's signal mask: its own threads block every signal, so that
 * a process-directed signal goes to one of the caller's threads. Stopping
 * on SIGINT or SIGTERM is the caller's business: a handler that calls
 * fouille_http_server_stop. */
typedef struct fouille_http_server fouille_http_server;

/* Starts serving index (read-only) with worker threads and returns once the
 * server listens. NULL options mean defaults; index may be NULL when
 * opts->db_path is given (the server then opens and owns that handle).
 * Strings in opts are copied. A given index must stay open until
 * fouille_http_server_free returns; searches run concurrently on it (see
 * fouille_index_open). On success *out is a server the caller owns: stop
 * it, wait for it, free it; on failure *out is NULL. Errors: FOUILLE_EINVAL
 * (no out, no index nor db_path, bad address or port, unknown options
 * version, a write_token shorter than 16 bytes or without db_path), FOUILLE_ENOMEM, FOUILLE_EIO (cannot listen: port in use…, or
 * no pipe for stopping). */
FOUILLE_EXTERN int fouille_http_server_start(fouille_http_server **out, fouille_index *index,
                                             const fouille_http_options *opts);

/* The port the server listens on: the one asked for, or the one the system
 * chose when opts->port was 0; -1 for a NULL server. Cannot fail. */
FOUILLE_EXTERN int fouille_http_server_port(const fouille_http_server *server);

/* Blocks until fouille_http_server_stop is called (before or during the
 * wait), then stops accepting connections, lets each worker thread finish
 * the request it is answering, closes the connections and returns
 * FOUILLE_OK (at once when already stopped). One thread at a time may
 * wait. Errors: FOUILLE_EINVAL (NULL server), FOUILLE_EIO (waiting failed;
 * the server still runs). */
FOUILLE_EXTERN int fouille_http_server_wait(fouille_http_server *server);

/* Asks the server to stop: fouille_http_server_wait then returns. Safe from
 * any thread and from a signal handler (one write(2) to a pipe; errno is
 * preserved); calling it again does no harm. NULL is allowed. Cannot
 * fail. */
FOUILLE_EXTERN void fouille_http_server_stop(fouille_http_server *server);

/* Stops the server if it still runs (as fouille_http_server_wait does),
 * closes the index it opened from db_path, and frees it; NULL is allowed.
 * Must not race fouille_http_server_wait nor _stop: call it once they have
 * returned, and once no signal handler can reach the server any more.
 * Cannot fail. */
FOUILLE_EXTERN void fouille_http_server_free(fouille_http_server *server);

#ifdef __cplusplus
}
#endif
#endif
