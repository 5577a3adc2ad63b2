/* libFuzzer target: arbitrary bytes through the txt, md and html readers, the
 * JSON Lines reader (line by line, its fast path against jansson alone), the
 * encoding converter and the date parser. Every string they emit must be
 * valid UTF-8 without NUL bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "fouille/common.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *what, const char *s, size_t len) {
  utf8proc_int32_t cp;
  for (size_t i = 0; i < len;) {
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &cp);
    if (n <= 0 || cp == 0) {
      fprintf(stderr, "fuzz_readers: %s: invalid UTF-8 at byte %zu\n", what, i);
      abort();
    }
    i += (size_t)n;
  }
}

static void check_str(const char *what, const char *s) {
  if (s) check_utf8(what, s, strlen(s));
}

static int on_article(void *ctx, const fouille__article *a) {
  check_str("id", a->id);
  check_str("title", a->title);
  check_str("date", a->date);
  check_str("source", a->source);
  check_str("url", a->url);
  check_str("author", a->author);
  check_str("tags", a->tags);
  if (a->body) {
    if (strlen(a->body) != a->body_len) {
      fprintf(stderr, "fuzz_readers: body_len %zu != strlen %zu\n", a->body_len, strlen(a->body));
      abort();
    }
    check_utf8("body", a->body, a->body_len);
  }
  return 0;
}

static void on_problem(void *ctx, unsigned long line, const char *message, int is_warning) {
  if (!message || !*message) abort();
}

static void check_status(const char *reader, int rc) {
  if (rc == 0 || rc == 1 || rc == FOUILLE_EPARSE || rc == FOUILLE_ENOMEM || rc == FOUILLE_ETOOBIG)
    return;
  fprintf(stderr, "fuzz_readers: %s returned %d\n", reader, rc);
  abort();
}

/* The JSON Lines fast path (jsonl_yajl.c) must give what jansson alone
 * gives: the same status, articles, problems and message, as one hash. */
static uint64_t fnv(uint64_t h, const char *s) {
  for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
  return (h ^ (s ? 0xfe : 0xff)) * 1099511628211u;
}

static int trace_article(void *ctx, const fouille__article *a) {
  uint64_t *h = ctx;
  const char *v[] = {a->id, a->title, a->date, a->source, a->url, a->author, a->tags, a->body};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) *h = fnv(*h, v[i]);
  *h = (*h ^ a->body_len ^ (uint64_t)a->line << 24 ^ (uint64_t)a->deleted << 48) * 1099511628211u;
  return on_article(NULL, a);
}

static void trace_problem(void *ctx, unsigned long line, const char *message, int is_warning) {
  uint64_t *h = ctx;
  *h = fnv(*h ^ line ^ (uint64_t)is_warning << 40, message);
  on_problem(NULL, line, message, is_warning);
}

static void jsonl_line(const char *s, size_t n, unsigned long lineno) {
  uint64_t a = 1, b = 1;
  const fouille__reader_ctx ra = {trace_article, trace_problem, &a},
                            rb = {trace_article, trace_problem, &b};
  int x = fouille__read_jsonl_line(s, n, lineno, &ra);
  if (x < 0) a = fnv(a, fouille_error_last());
  int y = fouille__read_jsonl_line_jansson(s, n, lineno, &rb);
  if (y < 0) b = fnv(b, fouille_error_last());
  check_status("jsonl", x);
  if ((x != y || a != b) && x != FOUILLE_ENOMEM && y != FOUILLE_ENOMEM) {
    fprintf(stderr, "fuzz_readers: line %lu: the JSON Lines fast path gives %d, jansson %d\n",
            lineno, x, y);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const fouille__reader_ctx rc = {on_article, on_problem, NULL};
  const char *d = (const char *)data;
  check_status("txt", fouille__read_txt(d, size, &rc));
  check_status("md", fouille__read_md(d, size, &rc));
  check_status("html", fouille__read_html(d, size, &rc));
  char *u8 = NULL, date[32];
  size_t u8_len = 0;
  int crc = fouille__to_utf8(d, size, &u8, &u8_len);
  if (crc == 1) check_utf8("to_utf8", u8, u8_len);
  free(u8);
  if (crc != 0 && crc != 1 && crc != FOUILLE_EPARSE) abort();
  if (size < 64 && memchr(d, 0, size) == NULL && crc == 0) {
    char in[64];
    memcpy(in, d, size);
    in[size] = '\0';
    if (fouille__date_normalize(in, date, sizeof date) == 0) check_str("date", date);
  }
  unsigned long lineno = 1;
  for (size_t at = 0; at <= size; lineno++) {
    const char *nl = memchr(d + at, '\n', size - at);
    size_t end = nl ? (size_t)(nl - d) : size;
    jsonl_line(d + at, end - at, lineno);
    at = end + 1;
  }
  return 0;
}
