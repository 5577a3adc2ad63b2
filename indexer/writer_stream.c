/* fouille_writer_read_jsonl: JSON Lines from a file descriptor (a file, a
 * pipe, possibly endless) into a writer: keys ROOT#id, "deleted" lines,
 * commits every batch and, while the input is idle, when commit_ms is due. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "writer.h"

typedef struct stream {
  fouille_writer *w;
  char *line; /* the line being read */
  size_t len, cap, max;
  unsigned long lineno;
  int discarding; /* a line too long: skipped up to its end */
  int fatal;      /* a database error met in a callback */
} stream;

/* A line not put: reported with the message of the error it met (without
 * the writer's name or the reader's "line N: "). */
static void skip_line(stream *s, unsigned long line, const char *msg) {
  const char *m = msg, *p;
  size_t n = strlen(s->w->name);
  if (strncmp(m, s->w->name, n) == 0 && m[n] == ':') m += n + 1;
  if (strncmp(m, " line ", 6) == 0 || strncmp(m, "line ", 5) == 0)
    if ((p = strchr(m + 1, ':'))) m = p + 1;
  while (*m == ' ') m++;
  fouille__update_problem(&s->w->u, s->w->name, line, *m ? m : "unreadable line", 0);
  s->w->sum.articles_skipped++;
}

static int on_article(void *ctx, const fouille__article *a) {
  stream *s = ctx;
  char *key = sqlite3_mprintf("%s#%s", s->w->name, a->id), msg[300];
  int rc = !key              ? fouille__error(FOUILLE_ENOMEM, "out of memory")
           : a->deleted ? fouille__writer_delete(s->w, key)
                        : fouille__writer_put(s->w, key, a);
  if (rc == FOUILLE_ENOTFOUND && a->deleted) {
    snprintf(msg, sizeof msg, "no article '%.250s' to delete", key);
    fouille__update_problem(&s->w->u, s->w->name, a->line, msg, 1);
    rc = FOUILLE_OK;
  } else if (rc == FOUILLE_EINVAL || rc == FOUILLE_ETOOBIG) {
    skip_line(s, a->line, fouille_error_last());
    rc = FOUILLE_OK;
  }
  sqlite3_free(key);
  s->fatal = rc;
  return rc ? 1 : 0;
}

static void on_problem(void *ctx, unsigned long line, const char *msg, int warn) {
  stream *s = ctx;
  fouille__update_problem(&s->w->u, s->w->name, line, msg, warn);
}

static int one_line(stream *s) {
  fouille__reader_ctx rctx = {on_article, on_problem, s};
  size_t n = s->len;
  while (n > 0 && s->line[n - 1] == '\r') n--;
  s->lineno++;
  if (s->discarding) {
    char msg[200];
    snprintf(msg, sizeof msg, "line too long (over %zu MB), skipped", s->max >> 20);
    skip_line(s, s->lineno, msg);
    return FOUILLE_OK;
  }
  s->fatal = 0;
  fouille__error_clear();
  int prc = fouille__read_jsonl_line(s->line, n, s->lineno, &rctx);
  if (s->fatal) return s->fatal;
  if (prc < 0) skip_line(s, s->lineno, fouille_error_last());
  return FOUILLE_OK;
}

/* Adds n bytes of input; each complete line is put. */
static int feed(stream *s, const char *data, size_t n) {
  int rc = FOUILLE_OK;
  while (n > 0 && rc == FOUILLE_OK) {
    const char *nl = memchr(data, '\n', n);
    size_t k = nl ? (size_t)(nl - data) : n;
    if (!s->discarding && s->len + k > s->max) s->discarding = 1;
    if (!s->discarding && s->len + k + 1 > s->cap) {
      size_t cap = (s->len + k + 1) * 2;
      char *p = realloc(s->line, cap);
      if (!p) return fouille__error(FOUILLE_ENOMEM, "%s: out of memory", s->w->name);
      s->line = p, s->cap = cap;
    }
    if (!s->discarding) memcpy(s->line + s->len, data, k), s->len += k;
    if (nl) {
      rc = one_line(s);
      s->len = 0, s->discarding = 0;
    }
    data += k + (nl ? 1 : 0), n -= k + (nl ? 1 : 0);
  }
  return rc;
}

/* Reads until the end of fd, a stop or an error. */
static int read_loop(stream *s, int fd) {
  char chunk[65536];
  fouille_writer *w = s->w;
  for (;;) {
    if (w->o.stop && w->o.stop(w->o.payload))
      return fouille__error(FOUILLE_EABORT, "%s: stopped", w->name);
    long due = fouille__writer_due_ms(w);
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, due < 0 || due > 1000 ? 1000 : (int)due), rc;
    if (r == 0 && (rc = fouille__writer_maybe_commit(w))) return rc;
    if (r == 0 || (r < 0 && errno == EINTR)) continue;
    ssize_t k = r < 0 ? -1 : read(fd, chunk, sizeof chunk);
    if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (k < 0) return fouille__error(FOUILLE_EIO, "%s: cannot read: %s", w->name, strerror(errno));
    if (k == 0) return s->len || s->discarding ? one_line(s) : FOUILLE_OK; /* a last line */
    w->sum.bytes_read += (uint64_t)k;
    if ((rc = feed(s, chunk, (size_t)k))) return rc;
  }
}

FOUILLE_EXTERN int fouille_writer_read_jsonl(fouille_update_summary *summary, fouille_writer *w,
                                             int fd) {
  struct timespec t0, t1;
  if (!w || fd < 0) return fouille__error(FOUILLE_EINVAL, "no writer or input");
  if (fouille__update_args_check(NULL, summary)) return FOUILLE_EINVAL;
  stream s = {.w = w};
  /* Twice SQLite's limit: a longer line cannot make an article that fits. */
  s.max = 2 * (size_t)sqlite3_limit(w->u.db, SQLITE_LIMIT_LENGTH, -1) + (1u << 20);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  memset(&w->sum, 0, sizeof w->sum);
  w->sum.version = FOUILLE_UPDATE_SUMMARY_VERSION;
  int rc = read_loop(&s, fd);
  if (rc == FOUILLE_OK || rc == FOUILLE_EABORT || rc == FOUILLE_EIO) {
    char why[1024];
    snprintf(why, sizeof why, "%s", fouille_error_last());
    int crc = fouille_writer_commit(w);
    if (crc) rc = crc;
    else if (rc) fouille__error(rc, "%s", why); /* the commit cleared nothing, but be sure */
  }
  free(s.line);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  w->sum.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  if (summary) fouille__update_summary_copy(summary, &w->sum);
  return rc;
}
