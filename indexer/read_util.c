/* Helpers shared by the article readers: text preparation with encoding
 * warnings, date normalisation with warnings, trimming. */
#include "read_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "utf8.h"

void fouille__warn(const fouille__reader_ctx *rc, unsigned long line, int is_warning,
                   const char *fmt, ...) {
  if (!rc || !rc->on_problem) return;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rc->on_problem(rc->ctx, line, msg, is_warning);
}

int fouille__read_prepare(const char *data, size_t len, const fouille__reader_ctx *rc, char **owned,
                          const char **text, size_t *tlen) {
  int kind = 0;
  size_t bad = 0;
  *owned = NULL;
  *text = data;
  *tlen = len;
  int r = fouille__utf8_convert(data, len, owned, tlen, &kind, &bad);
  if (r < 0) return r;
  if (r == 1) *text = *owned;
  if (kind == FOUILLE__UTF8_CP1252) fouille__warn(rc, 0, 1, "converted from Windows-1252");
  if (kind == FOUILLE__UTF8_REPLACED)
    fouille__warn(rc, 0, 1, "%zu invalid UTF-8 byte(s) replaced by U+FFFD", bad);
  return 0;
}

const char *fouille__read_date(const char *raw, size_t n, char *out, const fouille__reader_ctx *rc,
                               unsigned long line) {
  if (!raw) return NULL;
  fouille__trim(&raw, &n);
  if (n == 0) return NULL;
  char tmp[128];
  if (n < sizeof tmp) {
    memcpy(tmp, raw, n);
    tmp[n] = '\0';
    if (!memchr(raw, '\0', n) && fouille__date_normalize(tmp, out, 32) == 0) return out;
  }
  fouille__warn(rc, line, 1, "unparsable date '%.*s' ignored", (int)fouille__utf8_cut(raw, n, 60),
                raw);
  return NULL;
}

static size_t space_at(const unsigned char *s, size_t n) {
  if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))) return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
  if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF) return 3;
  return 0;
}

static size_t space_before(const unsigned char *s, size_t n) {
  if (n >= 1 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r'))) return 1;
  if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0) return 2;
  if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 && s[n - 1] == 0xAF) return 3;
  return 0;
}

void fouille__trim(const char **s, size_t *n) {
  const unsigned char *p = (const unsigned char *)*s;
  size_t k;
  while ((k = space_at(p, *n)) > 0) p += k, *n -= k;
  while ((k = space_before(p, *n)) > 0) *n -= k;
  *s = (const char *)p;
}

char *fouille__strndup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}
