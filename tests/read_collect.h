/* Test helper for the reader suites: collects the articles and problems a
 * reader emits (deep copies, since the reader owns its strings). */
#ifndef FOUILLE_READ_COLLECT_H
#define FOUILLE_READ_COLLECT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "fouille/common.h"
#include "reader.h"
#include "test_util.h"

#define COLLECT_MAX 16

typedef struct collected {
  char *id, *title, *date, *source, *url, *author, *tags, *body;
  size_t body_len;
  unsigned long line;
} collected;

typedef struct collector {
  collected a[COLLECT_MAX];
  int n;
  char problems[8][256];
  unsigned long problem_lines[8];
  int nproblems, nwarnings, stop_with; /* stop_with: the callback's return */
} collector;

static inline char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static inline int valid_utf8(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0 || c == 0) return 0;
    i += (size_t)k;
  }
  return 1;
}

static inline int on_article(void *ctx, const fouille__article *a) {
  collector *c = ctx;
  const char *fields[] = {a->id, a->title, a->date, a->source, a->url, a->author, a->tags};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    ck_assert(!fields[i] || valid_utf8(fields[i], strlen(fields[i])));
  ck_assert_ptr_nonnull(a->body);
  ck_assert_uint_eq(strlen(a->body), a->body_len);
  ck_assert(valid_utf8(a->body, a->body_len));
  if (c->n < COLLECT_MAX) {
    collected *d = &c->a[c->n];
    d->id = dup_or_null(a->id), d->title = dup_or_null(a->title), d->date = dup_or_null(a->date);
    d->source = dup_or_null(a->source), d->url = dup_or_null(a->url);
    d->author = dup_or_null(a->author), d->tags = dup_or_null(a->tags);
    d->body = dup_or_null(a->body), d->body_len = a->body_len, d->line = a->line;
  }
  c->n++;
  return c->stop_with;
}

static inline void on_problem(void *ctx, unsigned long line, const char *msg, int is_warning) {
  collector *c = ctx;
  ck_assert(valid_utf8(msg, strlen(msg)));
  if (c->nproblems < 8) {
    strncpy(c->problems[c->nproblems], msg, 255);
    c->problem_lines[c->nproblems] = line;
  }
  c->nproblems++;
  c->nwarnings += is_warning != 0;
}

static inline void collector_free(collector *c) {
  for (int i = 0; i < c->n && i < COLLECT_MAX; i++) {
    collected *d = &c->a[i];
    free(d->id), free(d->title), free(d->date), free(d->source), free(d->url);
    free(d->author), free(d->tags), free(d->body);
  }
  memset(c, 0, sizeof *c);
}

static inline fouille__reader_ctx reader_ctx(collector *c) {
  fouille__reader_ctx rc = {on_article, on_problem, c};
  return rc;
}

typedef int (*whole_reader)(const char *, size_t, const fouille__reader_ctx *);

/* Runs a whole-file reader on a string (len -1: strlen); returns its status. */
static inline int read_str(whole_reader rd, collector *c, const char *s, size_t len) {
  fouille__reader_ctx rc = reader_ctx(c);
  return rd(s, len == (size_t)-1 ? strlen(s) : len, &rc);
}

/* Runs a whole-file reader on a fixture under tests/data. */
static inline int read_fixture(whole_reader rd, collector *c, const char *name) {
  size_t len;
  char *data = test_read(test_data(name), &len);
  ck_assert_msg(data != NULL, "missing fixture %s", name);
  int r = read_str(rd, c, data, len);
  free(data);
  return r;
}

/* True when the body contains needle. */
static inline int body_has(const collected *a, const char *needle) {
  return a->body && strstr(a->body, needle) != NULL;
}

#endif
