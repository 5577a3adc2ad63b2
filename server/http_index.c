/* The index the HTTP server answers from. A handle opened from db_path is
 * tied to the file it opened (device and inode): when a request finds that
 * the path names another file or none (the database replaced by a rename,
 * or removed), the handle is retired — closed once the requests holding it
 * are done, FOUILLE_EBUSY until then — and the next request opens the new
 * file, or gets FOUILLE_ENOTFOUND until a file is back. One stat(2) per
 * request; the lock is held while a handle opens or closes. */
#include "http_index.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fouille__http_held {
  fouille_index *ix;
  unsigned refs; /* requests using ix */
  int retired;   /* no longer current: close when refs drops to 0 */
  dev_t dev;
  ino_t ino;
};

int fouille__http_source_init(fouille__http_source *src, fouille_index *given, const char *db_path,
                              int readers) {
  memset(src, 0, sizeof *src);
  src->given = given;
  src->readers = readers;
  pthread_mutex_init(&src->lock, NULL);
  if (!given && db_path && !(src->db_path = strdup(db_path)))
    return fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  return FOUILLE_OK;
}

static void held_free(fouille__http_held *h) {
  if (!h) return;
  fouille_index_close(h->ix);
  free(h);
}

void fouille__http_source_destroy(fouille__http_source *src) {
  held_free(src->current);
  src->current = NULL;
  pthread_mutex_destroy(&src->lock);
  free(src->db_path);
  src->db_path = NULL;
}

/* Opens db_path (whose file is st) as the current handle; under the lock. */
static int open_current(fouille__http_source *src, const struct stat *st) {
  fouille_index_options o = FOUILLE_INDEX_OPTIONS_INIT;
  fouille__http_held *h = calloc(1, sizeof *h);
  int rc;
  if (!h) return fouille_error_set(FOUILLE_ENOMEM, "out of memory");
  o.read_only = 1;
  o.read_pool_size = src->readers;
  if ((rc = fouille_index_open(&h->ix, src->db_path, &o)) != FOUILLE_OK) {
    free(h);
    return rc;
  }
  h->dev = st->st_dev, h->ino = st->st_ino;
  src->current = h;
  return FOUILLE_OK;
}

/* Retires the current handle if db_path no longer names its file: closed
 * now if no request holds it, else by the last one to release it. Under
 * the lock. */
static void retire_if_replaced(fouille__http_source *src, int have, const struct stat *st) {
  fouille__http_held *h = src->current;
  if (!h || (have && h->dev == st->st_dev && h->ino == st->st_ino)) return;
  src->current = NULL;
  if (h->refs == 0) {
    held_free(h);
  } else {
    h->retired = 1;
    src->retiring++;
  }
}

/* The old file's handle is closed before the new file is opened: SQLite
 * finds the -shm file of the same name then unused, and starts it afresh. */
int fouille__http_source_acquire(fouille__http_source *src, fouille_index **ix,
                                 fouille__http_held **hold) {
  struct stat st;
  int rc = FOUILLE_OK, have;
  *ix = src->given, *hold = NULL;
  if (src->given) return FOUILLE_OK;
  have = src->db_path && stat(src->db_path, &st) == 0;
  pthread_mutex_lock(&src->lock);
  retire_if_replaced(src, have, &st);
  if (src->retiring)
    rc = fouille_error_set(FOUILLE_EBUSY, "%s: replaced, the old file still in use", src->db_path);
  else if (!have)
    rc = fouille_error_set(FOUILLE_ENOTFOUND, "%s: no such file", src->db_path ? src->db_path : "");
  else if (!src->current)
    rc = open_current(src, &st);
  if (rc == FOUILLE_OK) {
    src->current->refs++;
    *hold = src->current, *ix = src->current->ix;
  }
  pthread_mutex_unlock(&src->lock);
  return rc;
}

void fouille__http_source_release(fouille__http_source *src, fouille__http_held *hold) {
  if (!hold) return;
  pthread_mutex_lock(&src->lock);
  if (--hold->refs == 0 && hold->retired) {
    held_free(hold);
    src->retiring--;
  }
  pthread_mutex_unlock(&src->lock);
}
