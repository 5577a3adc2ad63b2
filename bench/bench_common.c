/* Helpers shared by the benchmark programs (see bench_common.h). */
#include "bench_common.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int bench_have_search(void) {
  return fouille_index_open && fouille_index_close && fouille_search && fouille_results_free &&
         fouille_results_count && fouille_results_hit;
}

int bench_cpu_clock;

double bench_now(void) {
  struct timespec ts;
  clock_gettime(bench_cpu_clock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_percentile(double *v, size_t n, double p) {
  if (n == 0) return 0;
  qsort(v, n, sizeof *v, cmp_double);
  size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
  return v[i < n ? i : n - 1];
}

static int is_word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int bench_plain_exprs(const char *query, char **and_expr, char **or_expr) {
  size_t n = strlen(query);
  char *a = malloc(n * 6 + 8), *o = malloc(n * 6 + 8);
  size_t la = 0, lo = 0, words = 0;
  if (!a || !o) goto fail;
  for (size_t i = 0; i < n;) {
    if (!is_word_byte((unsigned char)query[i])) {
      i++;
      continue;
    }
    if (words++) {
      a[la++] = ' ';
      memcpy(o + lo, " OR ", 4), lo += 4;
    }
    a[la++] = o[lo++] = '"';
    for (; i < n && is_word_byte((unsigned char)query[i]); i++) {
      char c = query[i];
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      a[la++] = o[lo++] = c;
    }
    a[la++] = o[lo++] = '"';
  }
  if (!words) goto fail;
  a[la] = o[lo] = 0;
  *and_expr = a;
  *or_expr = o;
  return 0;
fail:
  free(a);
  free(o);
  return -1;
}
