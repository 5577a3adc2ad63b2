/* Private to the HTTP server: writes over HTTP (http_write.c). One writer
 * at a time, behind a mutex, on a handle opened for writing on the
 * database's path at the first write; the served read-only handle keeps
 * answering readers meanwhile. Every write is committed before it returns. */
#ifndef FOUILLE_HTTP_WRITE_H
#define FOUILLE_HTTP_WRITE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "fouille/index.h"

#define FOUILLE__HTTP_WRITE_ROOT "http" /* the stream root of articles written over HTTP */
#define FOUILLE__HTTP_TOKEN_MIN 16      /* bytes */
#define FOUILLE__HTTP_BODY_DEFAULT ((size_t)16 << 20)

typedef struct fouille__http_writes {
  char *token; /* owned; NULL: writes are off */
  size_t token_len;
  size_t max_body; /* bytes of a request body */
  char *db_path;   /* owned */
  pthread_mutex_t lock;
  int locked_init;
  fouille_index *ix; /* opened for writing at the first write */
  fouille_writer *w;
} fouille__http_writes;

typedef struct fouille__http_counts {
  uint64_t added, changed, deleted, skipped;
} fouille__http_counts;

/* token NULL: writes off (nothing else is kept). FOUILLE_OK, FOUILLE_EINVAL
 * (a token under 16 bytes, no db_path), FOUILLE_ENOMEM. */
int fouille__http_writes_init(fouille__http_writes *w, const char *token, size_t max_body,
                              const char *db_path);

/* Commits and closes the writer and its handle. */
void fouille__http_writes_destroy(fouille__http_writes *w);

/* Whether the Authorization header value (may be NULL) is "Bearer TOKEN";
 * the token is compared in constant time. */
int fouille__http_writes_authorized(const fouille__http_writes *w, const char *authorization);

/* PUT: the JSON object in body put under key. FOUILLE_EPARSE or
 * FOUILLE_EINVAL with a message for the client (no path), or the
 * library's errors (opening the handle, writing, committing). */
int fouille__http_write_put(fouille__http_writes *w, const char *key, const char *body, size_t len,
                            fouille__http_counts *out);

/* DELETE: FOUILLE_ENOTFOUND when there is no such article of the root. */
int fouille__http_write_delete(fouille__http_writes *w, const char *key, fouille__http_counts *out);

/* POST: JSON Lines, each article put under "http#id"; malformed lines are
 * skipped and counted. */
int fouille__http_write_jsonl(fouille__http_writes *w, const char *body, size_t len,
                              fouille__http_counts *out);

#endif
