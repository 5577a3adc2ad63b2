/* Private to the HTTP server: what the request handling (http.c) and the
 * daemon with its connections (http_daemon.c) share. */
#ifndef FOUILLE_HTTP_SERVER_H
#define FOUILLE_HTTP_SERVER_H

#include <microhttpd.h>

#include "fouille/http.h"
#include "http_index.h"
#include "http_write.h"

/* What every request reads; set before the daemon starts. */
typedef struct fouille__http_ctx {
  fouille__http_source source; /* the index */
  const char *cors;            /* Access-Control-Allow-Origin, or NULL */
  unsigned header_timeout;     /* seconds of silence allowed before a request is complete */
  unsigned idle_timeout;       /* seconds of silence allowed between requests */
  fouille_http_log_fn log;
  void *log_payload;
  fouille__http_writes writes; /* token NULL: read-only */
} fouille__http_ctx;

/* Per-request state, made when the request line arrives (http_daemon.c). */
typedef struct fouille__http_request {
  size_t uri_len;
  size_t path_len;  /* of the URI before any '?', as sent (percent escapes undecoded) */
  int headers_done; /* the access handler has been called once */
  char *body;       /* a write's body, read so far (owned) */
  size_t body_len, body_cap;
  int body_too_big; /* a body without Content-Length went over the limit: the rest is dropped */
} fouille__http_request;

/* The MHD access handler: cls is the fouille__http_ctx, *req_cls the
 * fouille__http_request. A request refused on its headers (method, body,
 * URI length) is answered at the first call, which closes the connection;
 * the others at the second, once the request is complete, so that the
 * connection may be kept alive. */
enum MHD_Result fouille__http_answer(void *cls, struct MHD_Connection *c, const char *url,
                                     const char *method, const char *version, const char *upload,
                                     size_t *upload_size, void **req_cls);

#endif
