/* UTF-8 validation, decoding, counting and cutting for every layer, on
 * utf8proc_iterate (which refuses overlong forms, surrogates and code
 * points above U+10FFFF); ASCII never reaches it. */
#include "utf8.h"

#include <utf8proc.h>

size_t fouille__utf8_decode(const char *s, size_t n, int32_t *cp) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  *cp = -1;
  if (n == 0) return 0;
  if (p[0] < 0x80) {
    *cp = p[0];
    return 1;
  }
  utf8proc_int32_t c;
  utf8proc_ssize_t k = utf8proc_iterate(p, n > 4 ? 4 : (utf8proc_ssize_t)n, &c);
  if (k <= 0) return 1;
  *cp = c;
  return (size_t)k;
}

size_t fouille__utf8_len(const char *s, size_t n) {
  int32_t cp;
  size_t k = fouille__utf8_decode(s, n, &cp);
  return cp < 0 ? 0 : k;
}

int fouille__utf8_valid(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = fouille__utf8_len(s + i, n - i);
    if (k == 0) return 0;
    i += k;
  }
  return 1;
}

size_t fouille__utf8_count(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += !fouille__utf8_cont((unsigned char)s[i]);
  return c;
}

size_t fouille__utf8_cut(const char *s, size_t n, size_t max) {
  if (n <= max) return n;
  while (max > 0 && fouille__utf8_cont((unsigned char)s[max])) max--;
  return max;
}
