/* The cost of facets: fouille_search's latency (top 10, 2 passages) with
 * and without facets=source,year,month on the same handle, the queries
 * taken in turn round after round (the connection keeps the facets of its
 * last 4 searches: with 5 queries or more each search counts them anew);
 * then the same search twice in a row (the second gets the facets kept,
 * as when paging). Prints per query the medians of wall-clock and of the
 * thread's CPU time (steadier on a busy machine), their differences, the
 * total and the share of the index matched, as JSON lines.
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
static double once(fouille_index *ix, const char *q, unsigned facets, unsigned long long *total,
                   double *cpu) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *r = NULL;
  o.facets = facets;
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

/* Per query: wall, wall with facets, cpu, cpu with facets, wall and cpu kept. */
typedef struct sample {
  double *v[6];
  unsigned long long total;
} sample;

static void report(const char *q, sample *s, int repeat, unsigned long long articles) {
  double p[6];
  for (int k = 0; k < 6; k++) p[k] = bench_percentile(s->v[k], (size_t)repeat, 50), free(s->v[k]);
  printf(
      "{\"query\":\"%s\",\"total\":%llu,\"share\":%.3f,\"p50_ms\":%.2f,\"p50_facets_ms\":%.2f,"
      "\"facets_cost_ms\":%.2f,\"cpu_p50_ms\":%.2f,\"cpu_p50_facets_ms\":%.2f,"
      "\"facets_cost_cpu_ms\":%.2f,\"facets_kept_cost_ms\":%.2f,\"facets_kept_cost_cpu_ms\":%.2f}"
      "\n",
      q, s->total, articles ? (double)s->total / (double)articles : 0, p[0], p[1], p[1] - p[0],
      p[2], p[3], p[3] - p[2], p[4] - p[0], p[5] - p[2]);
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
  int repeat = atoi(argv[2]), nq = argc - 3;
  if (repeat < 1) repeat = 1;
  sample *s = calloc((size_t)nq, sizeof *s);
  double c;
  for (int i = 0; i < nq; i++) {
    for (int k = 0; k < 6; k++) s[i].v[k] = calloc((size_t)repeat, sizeof(double));
    once(ix, argv[3 + i], ALL_FACETS, &s[i].total, &c); /* warm */
  }
  for (int r = 0; r < repeat; r++)
    for (int i = 0; i < nq; i++) {
      const char *q = argv[3 + i];
      s[i].v[0][r] = once(ix, q, 0, &s[i].total, &s[i].v[2][r]);
      s[i].v[1][r] = once(ix, q, ALL_FACETS, &s[i].total, &s[i].v[3][r]);
      s[i].v[4][r] = once(ix, q, ALL_FACETS, &s[i].total, &s[i].v[5][r]); /* kept */
    }
  for (int i = 0; i < nq; i++) report(argv[3 + i], &s[i], repeat, st.articles);
  free(s);
  fouille_index_close(ix);
  return 0;
}
