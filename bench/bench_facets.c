/* The cost of facets: fouille_search's latency (top 10, 2 passages) with
 * and without facets=source,year,month, on the same handle, alternating,
 * for each query given; prints the medians of wall-clock and of the
 * thread's CPU time (less sensitive to a busy machine), their differences,
 * the total and the share of the index each query matches, as JSON lines.
 *   bench_facets DB REPEAT QUERY... */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_common.h"

#define ALL_FACETS (FOUILLE_FACET_SOURCE | FOUILLE_FACET_YEAR | FOUILLE_FACET_MONTH)

static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall-clock milliseconds; *cpu gets the CPU milliseconds. */
static double once(fouille_index *ix, const char *q, unsigned facets, const char *source,
                   unsigned long long *total, double *cpu) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *r = NULL;
  o.facets = facets, o.source = source;
  double t0 = bench_now(), c0 = cpu_now();
  if (fouille_search(&r, ix, q, &o)) {
    fprintf(stderr, "bench_facets: %s: %s\n", q, fouille_error_last());
    exit(1);
  }
  double t = bench_now() - t0;
  *cpu = (cpu_now() - c0) * 1000;
  *total = (unsigned long long)fouille_results_total(r);
  fouille_results_free(r);
  return t * 1000;
}

static void measure(fouille_index *ix, const char *q, const char *source, int repeat,
                    unsigned long long articles) {
  double *v[4]; /* wall, wall with facets, cpu, cpu with facets */
  unsigned long long total = 0;
  double c;
  for (int k = 0; k < 4; k++) v[k] = calloc((size_t)repeat, sizeof *v[k]);
  once(ix, q, 0, source, &total, &c), once(ix, q, ALL_FACETS, source, &total, &c); /* warm */
  for (int i = 0; i < repeat; i++) {
    v[0][i] = once(ix, q, 0, source, &total, &v[2][i]);
    v[1][i] = once(ix, q, ALL_FACETS, source, &total, &v[3][i]);
  }
  double p[4];
  for (int k = 0; k < 4; k++) p[k] = bench_percentile(v[k], (size_t)repeat, 50), free(v[k]);
  printf("{\"query\":\"%s\",\"total\":%llu,\"share\":%.3f,\"p50_ms\":%.2f,\"p50_facets_ms\":%.2f,"
         "\"facets_cost_ms\":%.2f,\"cpu_p50_ms\":%.2f,\"cpu_p50_facets_ms\":%.2f,"
         "\"facets_cost_cpu_ms\":%.2f}\n",
         q, total, articles ? (double)total / (double)articles : 0, p[0], p[1], p[1] - p[0], p[2],
         p[3], p[3] - p[2]);
}

int main(int argc, char **argv) {
  fouille_index *ix = NULL;
  fouille_stats st = FOUILLE_STATS_INIT;
  if (argc < 4) {
    fprintf(stderr, "usage: bench_facets DB REPEAT QUERY...\n");
    return 2;
  }
  if (fouille_index_open(&ix, argv[1], NULL) || fouille_index_stats(&st, ix)) {
    fprintf(stderr, "bench_facets: %s: %s\n", argv[1], fouille_error_last());
    return 1;
  }
  int repeat = atoi(argv[2]);
  if (repeat < 1) repeat = 1;
  for (int i = 3; i < argc; i++) measure(ix, argv[i], NULL, repeat, st.articles);
  fouille_index_close(ix);
  return 0;
}
