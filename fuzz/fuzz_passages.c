/* libFuzzer target: the passage builder (query/passage.c). Input: a first
 * line of query words (a trailing * makes a prefix), then the article body,
 * any bytes. Every passage must be valid UTF-8 with sorted, non-overlapping
 * spans inside its text, and the same as when every word is analysed
 * (fouille__passages_make_exhaustive). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "query_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TERMS 8

static void must(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz_passages: %s\n", what);
    abort();
  }
}

static int utf8_valid(const char *s, size_t len) {
  utf8proc_int32_t cp;
  for (size_t i = 0; i < len;) {
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &cp);
    if (n <= 0) return 0;
    i += (size_t)n;
  }
  return 1;
}

/* The passages of analysing every word: the same, text and spans. */
static void same(const fouille_passage *ps, size_t n, const fouille_passage *full, size_t n_full) {
  must(n == n_full, "not as many passages as with every word analysed");
  for (size_t i = 0; i < n; i++) {
    must(strcmp(ps[i].text, full[i].text) == 0, "another passage than with every word analysed");
    must(ps[i].n_spans == full[i].n_spans &&
             (ps[i].n_spans == 0 ||
              memcmp(ps[i].spans, full[i].spans, ps[i].n_spans * sizeof *ps[i].spans) == 0),
         "other highlights than with every word analysed");
  }
}

static void check(const fouille_passage *ps, size_t n, int n_passages) {
  must(n <= (size_t)n_passages, "more passages than asked");
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(ps[i].text), prev = 0;
    must(utf8_valid(ps[i].text, len), "passage is not valid UTF-8");
    for (size_t k = 0; k < ps[i].n_spans; k++) {
      const fouille_span *s = &ps[i].spans[k];
      must(s->start >= prev && s->start < s->end && s->end <= len, "bad span");
      prev = s->end;
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fouille_analyzer *an;
  if (!an && fouille_analyzer_new(&an, 0)) abort();
  if (size < 2) return 0;
  int n_passages = data[0] % 4, length = 20 + data[1] * 4;
  const char *in = (const char *)data + 2, *nl = memchr(in, '\n', size - 2);
  size_t head = nl ? (size_t)(nl - in) : 0;
  char *words = strndup(in, head);
  if (!words) return 0;
  fouille__qterm terms[MAX_TERMS];
  size_t n_terms = 0;
  for (char *save = NULL, *w = strtok_r(words, " ", &save); w && n_terms < MAX_TERMS;
       w = strtok_r(NULL, " ", &save)) {
    size_t wl = strlen(w);
    terms[n_terms].prefix = wl > 1 && w[wl - 1] == '*';
    if (terms[n_terms].prefix) w[wl - 1] = '\0';
    terms[n_terms].title_only = 0;
    terms[n_terms].request = 0;
    terms[n_terms++].text = w;
  }
  const char *body = nl ? nl + 1 : in;
  size_t body_len = size - 2 - (size_t)(body - in);
  fouille_passage *ps = NULL;
  size_t n = 0;
  int rc =
      fouille__passages_make(an, body, body_len, terms, NULL, n_terms, n_passages, length, &ps, &n);
  must(rc == FOUILLE_OK || rc == FOUILLE_EINVAL, "unexpected status");
  if (rc == FOUILLE_OK) check(ps, n, n_passages);
  fouille_passage *full = NULL;
  size_t n_full = 0;
  int rc_full = fouille__passages_make_exhaustive(an, body, body_len, terms, NULL, n_terms,
                                                  n_passages, length, &full, &n_full);
  must(rc_full == rc, "another status than with every word analysed");
  if (rc == FOUILLE_OK) same(ps, n, full, n_full);
  fouille__passages_free(full, n_full);
  fouille__passages_free(ps, n);
  free(words);
  return 0;
}
