/* libFuzzer target: the HTTP API's pure request parsing (server/http_params.c).
 * Input: a path, a newline, then name=value pairs split on '&'. Checks that
 * base's fouille__utf8_valid agrees with utf8proc, that accepted values stay in
 * their documented ranges, and that every rejection carries a one-line message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "fouille/common.h"
#include "http_private.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int utf8proc_ok(const char *s, size_t len) {
  utf8proc_int32_t cp;
  for (size_t i = 0; i < len;) {
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &cp);
    if (n <= 0) return 0;
    i += (size_t)n;
  }
  return 1;
}

static void must_fail_cleanly(int rc) {
  const char *msg = fouille_error_last();
  if (rc != FOUILLE_EINVAL || !msg || !*msg || strchr(msg, '\n')) {
    fprintf(stderr, "fuzz_http_params: status %d, message [%s]\n", rc, msg ? msg : "(null)");
    abort();
  }
}

static void check_options(const fouille__http_search *s) {
  const fouille_search_options *o = &s->options;
  if (o->limit < 1 || o->limit > FOUILLE__HTTP_LIMIT_MAX || o->offset < 0 ||
      o->offset > FOUILLE__HTTP_OFFSET_MAX || o->passages < 0 ||
      o->passages > FOUILLE__HTTP_PASSAGES_MAX ||
      o->passage_length > FOUILLE__HTTP_PASSAGE_LENGTH_MAX) {
    fprintf(stderr, "fuzz_http_params: option out of range\n");
    abort();
  }
  if (s->q && !utf8proc_ok(s->q, strlen(s->q))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 1);
  if (!buf) return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  if (!fouille__utf8_valid(buf, size) != !utf8proc_ok(buf, size)) {
    fprintf(stderr, "fuzz_http_params: utf8_ok disagrees with utf8proc\n");
    abort();
  }
  char *params = strchr(buf, '\n');
  if (params) *params++ = '\0';
  const char *key = NULL;
  fouille__http_route r = fouille__http_route_of(buf, &key);
  if ((r == FOUILLE__ROUTE_ARTICLE) != (key != NULL) || (key && !*key)) abort();
  fouille__http_search s;
  fouille__http_search_init(&s);
  for (char *p = params, *next; p; p = next) {
    next = strchr(p, '&');
    if (next) *next++ = '\0';
    char *v = strchr(p, '=');
    if (v) *v++ = '\0';
    int rc = fouille__http_search_param(&s, p, v);
    if (rc != FOUILLE_OK) must_fail_cleanly(rc);
  }
  int rc = fouille__http_search_finish(&s);
  if (rc == FOUILLE_OK)
    check_options(&s);
  else
    must_fail_cleanly(rc);
  free(buf);
  return 0;
}
