/* Whole-file formats (.txt, .md, .html) in an update run: the file is read
 * and hashed once; an unchanged hash costs nothing more, otherwise its
 * articles are rewritten in place and those it no longer holds deleted. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "error.h"
#include "update.h"

static int on_whole_article(void *ctx, const fouille__article *a) {
  fouille__upd *u = ctx;
  int64_t id = 0;
  char *key = u->nth++ == 0 ? sqlite3_mprintf("%s", u->f->key)
                            : sqlite3_mprintf("%s#%d", u->f->key, u->nth);
  if (!key)
    u->fatal = fouille__error(FOUILLE_ENOMEM, "out of memory");
  else if (fouille__update_article_fits(u, key, a))
    u->fatal = fouille__update_article_put(u, key, a, u->line_hash, &id);
  if (!u->fatal && u->rewrite && id) u->fatal = fouille__update_seen_add(u, id);
  sqlite3_free(key);
  return u->fatal ? 1 : 0;
}

/* Reads the whole file into *buf; a one-line message in err on failure.
 * open/read, not stdio: no FILE or buffer to set up for each of 100k files. */
static int read_all(fouille__upd *u, char **buf, size_t *len, char *err, size_t errsz) {
  uint64_t max = u->o->max_file_bytes ? u->o->max_file_bytes : (64u << 20);
  struct stat st;
  *buf = NULL;
  *len = 0;
  int fd = open(u->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(err, errsz, "cannot read: %s", strerror(errno));
    goto done;
  }
  if ((uint64_t)st.st_size > max) {
    snprintf(err, errsz, "file too large (%llu MB > %llu MB)",
             (unsigned long long)((uint64_t)st.st_size >> 20), (unsigned long long)(max >> 20));
    goto done;
  }
  if (!(*buf = malloc((size_t)st.st_size + 1))) {
    snprintf(err, errsz, "out of memory");
    goto done;
  }
  while (*len < (size_t)st.st_size) {
    ssize_t k = read(fd, *buf + *len, (size_t)st.st_size - *len);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) snprintf(err, errsz, "cannot read: %s", strerror(errno));
    if (k <= 0) break;
    *len += (size_t)k;
  }
  (*buf)[*len] = '\0';
done:
  if (fd >= 0) close(fd);
  return err[0] ? -1 : 0;
}

static int parse_whole(const char *data, size_t len, int format, const fouille__reader_ctx *rc) {
  if (format == FOUILLE__FORMAT_MD) return fouille__read_md(data, len, rc);
  if (format == FOUILLE__FORMAT_HTML) return fouille__read_html(data, len, rc);
  return fouille__read_txt(data, len, rc);
}

int fouille__update_whole(fouille__upd *u, const fouille__file_row *row) {
  char *buf = NULL, err[512] = "";
  size_t len = 0;
  int rc = FOUILLE_OK;
  if (read_all(u, &buf, &len, err, sizeof err)) {
    rc = fouille__update_file_skipped(u, row, err, 0);
    goto done;
  }
  u->prog.bytes_read += len;
  u->sum->bytes_read += len;
  uint64_t h = XXH3_64bits(buf, len);
  if (row->exists && row->ok && row->hash == h) {
    u->sum->unchanged++;
    fouille__update_change(u, u->f->key, FOUILLE_FILE_UNCHANGED);
    rc = fouille__update_file_put(u, u->f->key, (int64_t)u->f->size, u->f->mtime_ns, h, NULL, NULL);
    goto done;
  }
  /* A changed file's articles are rewritten in place (same keys, same
   * rowids, ascending), then those it no longer holds are deleted. Deleting
   * them all first gave the new ones new rowids, and each step back in rowid
   * order made FTS5 flush its pending terms to a new segment: one segment
   * per changed file. */
  u->file_id = row->id; /* the files row keeps its id */
  if ((rc = fouille__update_file_put(u, u->f->key, (int64_t)len, u->f->mtime_ns, h, NULL,
                                     row->exists ? NULL : &u->file_id)))
    goto done;
  if (row->exists && (rc = fouille__update_seen_reset(u))) goto done;
  fouille__reader_ctx rctx = {on_whole_article, fouille__update_on_problem, u};
  u->nth = 0;
  u->line_hash = h;
  u->fatal = 0;
  u->rewrite = row->exists;
  fouille__error_clear();
  int prc = parse_whole(buf, len, u->f->format, &rctx);
  u->rewrite = 0;
  if (u->fatal) {
    rc = u->fatal;
    goto done;
  }
  if (row->exists && (rc = fouille__update_stale_delete(u))) goto done;
  if (prc != 0) {
    snprintf(err, sizeof err, "%s", fouille_error_last()[0] ? fouille_error_last() : "no article");
    rc = fouille__update_file_skipped(u, row, err, 0);
    goto done;
  }
  *(row->exists ? &u->sum->changed : &u->sum->added) += 1;
  fouille__update_change(u, u->f->key, row->exists ? FOUILLE_FILE_CHANGED : FOUILLE_FILE_ADDED);
done:
  free(buf);
  return rc;
}
