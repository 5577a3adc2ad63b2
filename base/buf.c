/* The growable byte buffer every layer appends to: doubling growth, sizes
 * checked against overflow and PTRDIFF_MAX before any allocation, and a
 * sticky FOUILLE_ENOMEM after the first failure. */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static int fail(fouille__buf *b) { return b->error = FOUILLE_ENOMEM; }

int fouille__buf_reserve(fouille__buf *b, size_t extra) {
  if (b->error) return b->error;
  if (extra > (size_t)PTRDIFF_MAX - 1 - b->len) return fail(b);
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap = cap > (size_t)PTRDIFF_MAX / 2 ? need : cap * 2;
  char *p = realloc(b->data, cap);
  if (!p) return fail(b);
  b->data = p, b->cap = cap;
  b->data[b->len] = '\0';
  return 0;
}

void fouille__buf_add(fouille__buf *b, const char *s, size_t n) {
  if (fouille__buf_reserve(b, n)) return;
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void fouille__buf_puts(fouille__buf *b, const char *s) { fouille__buf_add(b, s, strlen(s)); }

void fouille__buf_putc(fouille__buf *b, char c) { fouille__buf_add(b, &c, 1); }

void fouille__buf_printf(fouille__buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || fouille__buf_reserve(b, (size_t)n)) {
    if (n < 0) fail(b);
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void fouille__buf_add_mended(fouille__buf *b, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && !b->error) {
    size_t k = 0, m; /* the valid run at i, copied in one go */
    while (i + k < n && (m = fouille__utf8_len(s + i + k, n - i - k)) > 0) k += m;
    fouille__buf_add(b, s + i, k);
    i += k;
    if (i < n) fouille__buf_add(b, "\xEF\xBF\xBD", 3), i++;
  }
}

void fouille__buf_reset(fouille__buf *b) {
  b->len = 0;
  b->error = 0;
  if (b->data) b->data[0] = '\0';
}

int fouille__buf_set(fouille__buf *b, const char *s, size_t n) {
  fouille__buf_reset(b);
  fouille__buf_add(b, s, n);
  return b->error;
}

int fouille__buf_error(const fouille__buf *b) { return b->error; }

const char *fouille__buf_cstr(fouille__buf *b) {
  if (fouille__buf_reserve(b, 0)) return NULL;
  b->data[b->len] = '\0'; /* the caller may have lowered len */
  return b->data;
}

char *fouille__buf_detach(fouille__buf *b, size_t *len) {
  char *p = (char *)fouille__buf_cstr(b);
  if (len) *len = p ? b->len : 0;
  if (!p) free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void fouille__buf_free(fouille__buf *b) {
  free(b->data);
  *b = (fouille__buf)FOUILLE__BUF_INIT;
}
