/* Private: the writer (writer.c) and its JSON Lines stream
 * (writer_stream.c, which calls writer.c, never the other way). */
#ifndef FOUILLE_WRITER_H
#define FOUILLE_WRITER_H

#include <time.h>

#include "update.h"

struct fouille_writer {
  fouille__upd u;             /* row writes on the writer's own connection (u.db) */
  fouille_update_options uo;  /* u.o: the writer's problem callback and payload */
  fouille_update_summary sum; /* u.sum */
  fouille_writer_options o;
  char *name;          /* the stream root's name (u.path) */
  sqlite3_stmt *touch; /* sets the root's last_update */
  int in_tx;
  struct timespec tx_start; /* when the first uncommitted change was made */
};

/* Puts a (strings valid UTF-8, date normalised) under key: FOUILLE_ETOOBIG
 * or FOUILLE_EINVAL (key of another root) with nothing written, or a
 * database error after a rollback. */
int fouille__writer_put(fouille_writer *w, const char *key, const fouille__article *a);
/* Deletes the root's article key: FOUILLE_ENOTFOUND, FOUILLE_EINVAL as
 * above, or a database error after a rollback. */
int fouille__writer_delete(fouille_writer *w, const char *key);
/* Milliseconds until the uncommitted changes are due (0: now); -1: none. */
long fouille__writer_due_ms(const fouille_writer *w);
/* Commits when the batch is full or the changes are due. */
int fouille__writer_maybe_commit(fouille_writer *w);
/* The writer's connection (tests lower its limits). */
sqlite3 *fouille__writer_db(fouille_writer *w);

#endif
