/* bench_query: query latency, top 10 with 2 passages each, through
 * fouille_search, beside plain FTS5 + snippet() on the plain database
 * (plain_loader), over the same queries in the same run. Prints one JSON
 * object: p50/p95/p99 per engine, their ratio, and how often Fouille's top
 * 10 equals the top 10 of a 1000-hit search and the first 10 of every match
 * ranked in SQL by fouille_rank, date DESC, key, keys and scores (ranking
 * shortcuts check). --cold: each timed search on a freshly opened handle
 * (nothing cached from earlier queries, like a one-shot fouille-query).
 * --exact: searches without typo tolerance (to time what it costs).
 * --cpu: times each search in the thread's CPU time, not the wall clock
 * (comparisons on a machine busy with other work).
 * --verbose: each query's least and median time over the repeats (the
 * least is the steadiest on a busy machine: other work only adds).
 * --versus FILE: what typo tolerance adds to a query needing a correction:
 * FILE holds, line by line, the correction of each query (its
 * did_you_mean, or the query itself); every round searches QUERIES with
 * typo tolerance, then FILE exact, in the same process, and each query's
 * least time (over the rounds) minus its correction's is summed up
 * (median, p75, p90, p95, max, count over 2 ms). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "fouille/fts5.h"

#define MAX_QUERIES 10000

typedef struct stats {
  double p50, p95, p99, mean;
  long hits, empty;
} stats;

static char *queries[MAX_QUERIES];
static size_t n_queries;
static double min_ms[2][MAX_QUERIES], med_ms[2][MAX_QUERIES]; /* per query: plain, fouille */
static int exact;                                             /* --exact */

static int load_into(const char *path, char **into, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char buf[4096];
  while (*n < MAX_QUERIES && fgets(buf, sizeof buf, f)) {
    buf[strcspn(buf, "\t\r\n")] = 0; /* a TSV's first column works too */
    if (buf[0] == 0 || buf[0] == '#') continue;
    into[(*n)++] = strdup(buf);
  }
  fclose(f);
  return *n ? 0 : -1;
}

static int load_queries(const char *path) { return load_into(path, queries, &n_queries); }

/* Each query's least and median time over the repeats (ms: repeat rounds
 * of n_queries), into min_ms[e] and med_ms[e]. */
static void per_query(const double *ms, int repeat, int e) {
  double v[64];
  for (size_t i = 0; i < n_queries; i++) {
    int n = repeat < 64 ? repeat : 64;
    for (int r = 0; r < n; r++) v[r] = ms[(size_t)r * n_queries + i];
    med_ms[e][i] = bench_percentile(v, (size_t)n, 50);
    min_ms[e][i] = v[0]; /* sorted by bench_percentile */
  }
}

static void summarize(double *ms, size_t n, stats *s) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) sum += ms[i];
  s->mean = n ? sum / (double)n : 0;
  s->p50 = bench_percentile(ms, n, 50);
  s->p95 = bench_percentile(ms, n, 95);
  s->p99 = bench_percentile(ms, n, 99);
}

/* One plain query: AND of the words, OR when the AND finds nothing. */
static int plain_one(sqlite3_stmt *st, const char *q, long *hits) {
  char *and_e, *or_e;
  if (bench_plain_exprs(q, &and_e, &or_e) != 0) return 0;
  long n = 0;
  for (int pass = 0; pass < 2 && n == 0; pass++) {
    sqlite3_bind_text(st, 1, pass ? or_e : and_e, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
      n++;
      (void)sqlite3_column_text(st, 2); /* make sure the snippet is built */
    }
    sqlite3_reset(st);
  }
  free(and_e);
  free(or_e);
  *hits += n;
  return n == 0;
}

static int bench_plain(const char *db_path, int repeat, stats *s) {
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  double *ms = malloc(sizeof *ms * n_queries * (size_t)repeat);
  int rc = -1;
  if (!ms || sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) goto done;
  /* Top 10 by rank in the inner query; snippets for those 10 rows only. No
   * rank or bm25() in the outer query: either scores every match again (4-6x
   * slower on common words); the 10 rows come in rowid order. */
  const char *sql = "SELECT key, title, snippet(t, 1, '[', ']', '…', 64) FROM t"
                    " WHERE t MATCH ?1 AND rowid IN"
                    " (SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rank LIMIT 10)";
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) goto done;
  for (size_t i = 0; i < n_queries; i++) plain_one(st, queries[i], &(long){0}); /* warm */
  size_t k = 0;
  for (int r = 0; r < repeat; r++)
    for (size_t i = 0; i < n_queries; i++) {
      double t0 = bench_now();
      int empty = plain_one(st, queries[i], &s->hits);
      ms[k++] = (bench_now() - t0) * 1e3;
      if (r == 0) s->empty += empty;
    }
  per_query(ms, repeat, 0);
  summarize(ms, k, s);
  rc = 0;
done:
  if (rc) fprintf(stderr, "bench_query: %s: %s\n", db_path, db ? sqlite3_errmsg(db) : "?");
  sqlite3_finalize(st);
  sqlite3_close(db);
  free(ms);
  return rc;
}

static int fouille_one(fouille_index *ix, const char *q, long *hits) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *res = NULL;
  o.exact = exact;
  int rc = fouille_search(&res, ix, q, &o);
  size_t n = rc == 0 ? fouille_results_count(res) : 0;
  fouille_results_free(res);
  *hits += (long)n;
  return n == 0;
}

/* Non-zero when the top 10 of a default search equals the first 10 of a
 * 1000-hit search (what an exhaustive ranking returns). */
static int same_as_exhaustive(fouille_index *ix, const char *q) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *a = NULL, *b = NULL;
  o.passages = 0, o.exact = exact;
  int rc = fouille_search(&a, ix, q, &o);
  o.limit = 1000;
  if (rc == 0) rc = fouille_search(&b, ix, q, &o);
  int same = rc == 0;
  for (size_t i = 0; same && i < fouille_results_count(a); i++)
    same = strcmp(fouille_results_hit(a, i)->key, fouille_results_hit(b, i)->key) == 0;
  if (rc != 0) same = fouille_results_count(a) == 0; /* e.g. only stop words: both fail */
  fouille_results_free(a);
  fouille_results_free(b);
  return same;
}

/* Non-zero when the top 10 of a default search has the keys and scores of
 * the exhaustive ranking in SQL (what fouille_search did before top k). */
static int same_as_sql(sqlite3 *db, fouille_index *ix, const char *q) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *r = NULL;
  sqlite3_stmt *st = NULL;
  o.passages = 0, o.exact = exact;
  if (fouille_search(&r, ix, q, &o) != 0) return 1; /* e.g. only stop words */
  int same =
      sqlite3_prepare_v2(db,
                         "SELECT a.key, fouille_rank(articles_fts) AS score FROM articles_fts"
                         " JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts"
                         " MATCH ?1 ORDER BY score, a.date DESC, a.key LIMIT 10",
                         -1, &st, NULL) == SQLITE_OK;
  size_t i = 0;
  if (same) sqlite3_bind_text(st, 1, fouille_results_expression(r), -1, SQLITE_STATIC);
  while (same && sqlite3_step(st) == SQLITE_ROW) {
    const fouille_hit *h = fouille_results_hit(r, i++);
    same = h && strcmp(h->key, (const char *)sqlite3_column_text(st, 0)) == 0 &&
           h->score == -sqlite3_column_double(st, 1);
  }
  same = same && i == fouille_results_count(r);
  sqlite3_finalize(st);
  fouille_results_free(r);
  return same;
}

static int bench_fouille(const char *db_path, int repeat, int cold, stats *s, size_t *same,
                         size_t *same_sql) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_index *ix = NULL;
  io.read_only = 1;
  double *ms = malloc(sizeof *ms * n_queries * (size_t)repeat);
  int rc = ms ? fouille_index_open(&ix, db_path, &io) : FOUILLE_ENOMEM;
  if (rc) {
    fprintf(stderr, "bench_query: %s: %s\n", db_path, fouille_error_last());
    free(ms);
    return -1;
  }
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      fouille_fts5_register(db) == 0)
    for (size_t i = 0; i < n_queries; i++) *same_sql += (size_t)same_as_sql(db, ix, queries[i]);
  sqlite3_close(db);
  for (size_t i = 0; i < n_queries; i++) *same += (size_t)same_as_exhaustive(ix, queries[i]);
  size_t k = 0;
  for (int r = 0; r < repeat; r++)
    for (size_t i = 0; i < n_queries; i++) {
      if (cold) fouille_index_close(ix), ix = NULL, fouille_index_open(&ix, db_path, &io);
      double t0 = bench_now();
      int empty = ix ? fouille_one(ix, queries[i], &s->hits) : 1;
      ms[k++] = (bench_now() - t0) * 1e3;
      if (r == 0) s->empty += empty;
    }
  per_query(ms, repeat, 1);
  summarize(ms, k, s);
  fouille_index_close(ix);
  free(ms);
  return 0;
}

static char *versus[MAX_QUERIES];
static size_t n_versus;

/* --versus: each query with typo tolerance against its correction exact,
 * alternating by rounds; prints the differences of the least times. */
static int bench_versus(const char *db_path, int repeat, int verbose) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_index *ix = NULL;
  io.read_only = 1;
  double *d = malloc(sizeof *d * n_queries);
  if (!d || fouille_index_open(&ix, db_path, &io)) {
    fprintf(stderr, "bench_query: %s: %s\n", db_path, fouille_error_last());
    free(d);
    return -1;
  }
  long hits = 0;
  for (size_t i = 0; i < n_queries; i++) fouille_one(ix, queries[i], &hits); /* warm */
  for (size_t i = 0; i < n_queries; i++) min_ms[0][i] = min_ms[1][i] = 1e300;
  for (int r = 0; r < repeat; r++)
    for (int k = 0; k < 2; k++) /* which goes first alternates, as it may be slower */
      for (size_t i = 0, pass = (size_t)(k ^ (r & 1)); i < n_queries; i++) {
        exact = (int)pass;
        double t0 = bench_now();
        fouille_one(ix, pass ? versus[i] : queries[i], &hits);
        double ms = (bench_now() - t0) * 1e3;
        if (ms < min_ms[pass][i]) min_ms[pass][i] = ms;
      }
  size_t over = 0;
  for (size_t i = 0; i < n_queries; i++) {
    d[i] = min_ms[0][i] - min_ms[1][i];
    over += d[i] > 2.0;
    if (verbose)
      fprintf(stderr, "%+8.3f ms  %8.3f  %8.3f  %s\n", d[i], min_ms[0][i], min_ms[1][i],
              queries[i]);
  }
  printf("{\"bench\":\"correction\",\"queries\":%zu,\"repeat\":%d,", n_queries, repeat);
  printf("\"added_ms\":{\"p50\":%.3f,\"p75\":%.3f,\"p90\":%.3f,\"p95\":%.3f,",
         bench_percentile(d, n_queries, 50), bench_percentile(d, n_queries, 75),
         bench_percentile(d, n_queries, 90), bench_percentile(d, n_queries, 95));
  printf("\"max\":%.3f,\"over_2ms\":%zu}}\n", bench_percentile(d, n_queries, 100), over);
  fouille_index_close(ix);
  free(d);
  return 0;
}

static void print_stats(const char *name, const stats *s, int repeat) {
  printf("\"%s\":{\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"p99_ms\":%.3f,\"mean_ms\":%.3f,"
         "\"hits_per_query\":%.2f,\"queries_without_hit\":%ld}",
         name, s->p50, s->p95, s->p99, s->mean,
         n_queries ? (double)s->hits / (double)(n_queries * (size_t)repeat) : 0, s->empty);
}

int main(int argc, char **argv) {
  const char *fdb = NULL, *pdb = NULL, *qpath = NULL, *vpath = NULL;
  int repeat = 3, verbose = 0, cold = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fouille") && i + 1 < argc)
      fdb = argv[++i];
    else if (!strcmp(argv[i], "--plain") && i + 1 < argc)
      pdb = argv[++i];
    else if (!strcmp(argv[i], "--verbose"))
      verbose = 1;
    else if (!strcmp(argv[i], "--cold"))
      cold = 1;
    else if (!strcmp(argv[i], "--cpu"))
      bench_cpu_clock = 1;
    else if (!strcmp(argv[i], "--exact"))
      exact = 1;
    else if (!strcmp(argv[i], "--versus") && i + 1 < argc)
      vpath = argv[++i];
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else
      qpath = argv[i];
  }
  if (!qpath || repeat < 1 || (!fdb && !pdb)) {
    fprintf(
        stderr,
        "usage: bench_query [--fouille DB] [--plain DB] [--repeat N] [--cold] [--exact] [--cpu] "
        "[--verbose] [--versus CORRECTIONS] QUERIES\n");
    return 2;
  }
  if (load_queries(qpath) != 0) {
    fprintf(stderr, "bench_query: %s: no query read\n", qpath);
    return 3;
  }
  if (vpath) {
    int rc = 0;
    if (load_into(vpath, versus, &n_versus) || n_versus != n_queries || !fdb) {
      fprintf(stderr, "bench_query: --versus %s: one line per query, and --fouille\n", vpath);
      rc = 3;
    } else if (bench_versus(fdb, repeat, verbose)) {
      rc = 3;
    }
    for (size_t i = 0; i < n_queries; i++) free(queries[i]);
    for (size_t i = 0; i < n_versus; i++) free(versus[i]);
    return rc;
  }
  stats fs = {0}, ps = {0};
  size_t same = 0, same_sql = 0;
  int have_f = fdb && bench_have_search(), ok_f = 0, ok_p = 0;
  if (fdb && !have_f) fprintf(stderr, "bench_query: fouille_search is not in the library yet\n");
  if (have_f) ok_f = bench_fouille(fdb, repeat, cold, &fs, &same, &same_sql) == 0;
  if (pdb) ok_p = bench_plain(pdb, repeat, &ps) == 0;
  printf("{\"bench\":\"query\",\"queries\":%zu,\"repeat\":%d,\"cold\":%s,", n_queries, repeat,
         cold ? "true" : "false");
  if (ok_f)
    print_stats("fouille", &fs, repeat),
        printf(",\"top10_equals_exhaustive\":%zu,\"top10_equals_sql\":%zu,", same, same_sql);
  else
    printf("\"fouille\":null,");
  if (ok_p)
    print_stats("plain_fts5", &ps, repeat), printf(",");
  else
    printf("\"plain_fts5\":null,");
  printf("\"ratio_p50\":%.3f}\n", ok_f && ok_p && ps.p50 > 0 ? fs.p50 / ps.p50 : 0);
  for (size_t i = 0; verbose && i < n_queries; i++) /* for tuning */
    fprintf(stderr, "fouille min %8.3f median %8.3f ms  plain min %8.3f median %8.3f ms  %s\n",
            min_ms[1][i], med_ms[1][i], min_ms[0][i], med_ms[0][i], queries[i]);
  for (size_t i = 0; i < n_queries; i++) free(queries[i]);
  return (have_f && !ok_f) || (pdb && !ok_p) ? 3 : 0;
}
