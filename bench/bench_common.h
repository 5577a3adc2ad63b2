/* Shared by the benchmark programs: a clock, percentiles, the plain-FTS5
 * baseline's query (words ANDed, then ORed when nothing matches), and weak
 * references to the search API so that the benchmarks build and report
 * "unavailable" before the library has it. */
#ifndef FOUILLE_BENCH_COMMON_H
#define FOUILLE_BENCH_COMMON_H

#include <stddef.h>

#include "fouille.h"

#pragma weak fouille_index_open
#pragma weak fouille_index_close
#pragma weak fouille_search
#pragma weak fouille_results_free
#pragma weak fouille_results_count
#pragma weak fouille_results_hit

/* Non-zero when the library provides searching. */
int bench_have_search(void);

/* Monotonic seconds. */
/* Non-zero: bench_now reads the calling thread's CPU time instead of the
 * wall clock (what a search costs on a machine busy with other work). */
extern int bench_cpu_clock;
double bench_now(void);

/* The p-th percentile (0..100) of v[0..n) (sorts v). */
double bench_percentile(double *v, size_t n, double p);

/* Builds the plain FTS5 MATCH expressions for a user's query: each run of
 * letters/digits (ASCII lower-cased, other bytes kept) becomes a quoted
 * string; *and_expr joins them with spaces (AND), *or_expr with " OR ".
 * Both malloc'd; returns -1 when the query has no word. */
int bench_plain_exprs(const char *query, char **and_expr, char **or_expr);

#endif
