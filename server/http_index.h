/* Private to the HTTP server: the index it answers from (http_index.c).
 * Either the caller's handle, or one opened read-only from a path on first
 * use and opened again when the file at that path is replaced or removed;
 * each request holds the handle it uses, so a replaced one is closed only
 * once its last request is done. */
#ifndef FOUILLE_HTTP_INDEX_H
#define FOUILLE_HTTP_INDEX_H

#include <pthread.h>

#include "fouille/index.h"

typedef struct fouille__http_held fouille__http_held;

typedef struct fouille__http_source {
  fouille_index *given; /* the caller's handle, or NULL */
  char *db_path;        /* owned; NULL with a given handle */
  int readers;          /* read connections of a handle opened here */
  pthread_mutex_t lock;
  fouille__http_held *current; /* the open handle for db_path, or NULL */
  int retiring;                /* replaced handles still held by requests */
} fouille__http_source;

/* FOUILLE_OK, or FOUILLE_ENOMEM (copying db_path). */
int fouille__http_source_init(fouille__http_source *src, fouille_index *given, const char *db_path,
                              int readers);

/* Closes a handle opened here; no request may hold it any more. */
void fouille__http_source_destroy(fouille__http_source *src);

/* The handle to answer from into *ix, and what to release afterwards into
 * *hold (NULL for a given handle). Errors: FOUILLE_ENOTFOUND (no file at
 * db_path), FOUILLE_EBUSY (the file was replaced and requests still use
 * the old one), or fouille_index_open's (FOUILLE_EDB, FOUILLE_EVERSION…),
 * the message naming the path. */
int fouille__http_source_acquire(fouille__http_source *src, fouille_index **ix,
                                 fouille__http_held **hold);

/* Ends a request's use of the handle (hold may be NULL). */
void fouille__http_source_release(fouille__http_source *src, fouille__http_held *hold);

#endif
