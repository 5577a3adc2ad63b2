/* Private: the growable byte buffer, the only one. The first failed
 * allocation is sticky: later calls do nothing and fouille__buf_error()
 * says FOUILLE_ENOMEM, so callers append freely and check once at the end.
 * It sets no error message (the caller knows what it was doing). */
#ifndef FOUILLE_BUF_H
#define FOUILLE_BUF_H

#include <stddef.h>

#include "error.h"

typedef struct fouille__buf {
  char *data;      /* NUL-terminated once anything was reserved; NULL before */
  size_t len, cap; /* callers may lower len (then cstr or detach re-ends it) */
  int error;       /* 0, or FOUILLE_ENOMEM since a failed allocation */
} fouille__buf;

#define FOUILLE__BUF_INIT                                                                          \
  { NULL, 0, 0, 0 }

/* Room for extra more bytes and a NUL; returns fouille__buf_error(b). */
int fouille__buf_reserve(fouille__buf *b, size_t extra);

/* Appends n bytes of s / a NUL-terminated string / one byte / printf. */
void fouille__buf_add(fouille__buf *b, const char *s, size_t n);
void fouille__buf_puts(fouille__buf *b, const char *s);
void fouille__buf_putc(fouille__buf *b, char c);
void fouille__buf_printf(fouille__buf *b, const char *fmt, ...) FOUILLE__PRINTF(2, 3);

/* Appends s[0..n) with every byte that is not part of valid UTF-8 as
 * U+FFFD (valid sequences, ASCII controls and NUL bytes are copied). */
void fouille__buf_add_mended(fouille__buf *b, const char *s, size_t n);

/* Empties b and forgets a past failure, keeping its memory: for buffers
 * reused from one piece of work to the next. */
void fouille__buf_reset(fouille__buf *b);

/* fouille__buf_reset then fouille__buf_add; returns fouille__buf_error(b). */
int fouille__buf_set(fouille__buf *b, const char *s, size_t n);

/* 0, or FOUILLE_ENOMEM once an allocation failed. */
int fouille__buf_error(const fouille__buf *b);

/* The content, NUL-terminated ("" when empty); NULL after a failure. */
const char *fouille__buf_cstr(fouille__buf *b);

/* Hands the content over (malloc'd, NUL-terminated, "" when empty; *len,
 * if len is not NULL, gets its length) and leaves b empty; NULL after a
 * failure, the memory then freed (the failure stays: fouille__buf_error). */
char *fouille__buf_detach(fouille__buf *b, size_t *len);

/* Frees the memory: b is then as FOUILLE__BUF_INIT made it. */
void fouille__buf_free(fouille__buf *b);

#endif
