/* libFuzzer target: arbitrary bytes through the French analyzer in all three
 * modes. Aborts when a term breaks the contract of fouille/analyzer.h:
 * valid UTF-8, at most FOUILLE_TERM_MAX bytes, sane non-decreasing ranges. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "fouille/analyzer.h"

typedef struct check {
  size_t len;
  int last_start;
} check;

static int utf8_valid(const char *s, int len) {
  utf8proc_int32_t cp;
  for (int i = 0; i < len;) {
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &cp);
    if (n <= 0) return 0;
    i += (int)n;
  }
  return 1;
}

static int on_term(int flags, const char *term, int term_len, int start, int end, void *payload) {
  check *c = payload;
  if (term_len <= 0 || term_len > FOUILLE_TERM_MAX || !utf8_valid(term, term_len)) {
    fprintf(stderr, "fuzz_analyzer: bad term (len %d)\n", term_len);
    abort();
  }
  if (start < 0 || start > end || (size_t)end > c->len || start < c->last_start) {
    fprintf(stderr, "fuzz_analyzer: bad range [%d, %d) len %zu last %d\n", start, end, c->len,
            c->last_start);
    abort();
  }
  c->last_start = start;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fouille_analyzer *cached, *uncached;
  if (!cached && (fouille_analyzer_new(&cached, 64) || fouille_analyzer_new(&uncached, -1)))
    abort();
  for (int mode = FOUILLE_ANALYZE_DOCUMENT; mode <= FOUILLE_ANALYZE_PREFIX; mode++) {
    fouille_analyzer *an = (size_t)mode == size % 3 ? uncached : cached;
    check c = {size, 0};
    int rc =
        fouille_analyzer_run(an, (fouille_analyze_mode)mode, (const char *)data, size, on_term, &c);
    if (rc != FOUILLE_OK) {
      fprintf(stderr, "fuzz_analyzer: run returned %d\n", rc);
      abort();
    }
  }
  return 0;
}
