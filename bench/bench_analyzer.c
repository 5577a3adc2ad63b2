/* bench_analyzer: the French analyzer alone over the bodies of a JSON Lines
 * corpus — tokens/s with the default stem cache, with the cache disabled,
 * the cache hit rate, and N threads (one analyzer each) for scaling.
 * Prints one JSON object on stdout; scripts/bench collects it. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fouille/analyzer.h"

typedef struct corpus {
  char **body;
  size_t *len;
  size_t n, cap;
  size_t bytes;
} corpus;

typedef struct run {
  const corpus *c;
  size_t from, to; /* [from, to) articles */
  int cache;       /* cache_entries given to fouille_analyzer_new */
  unsigned long long tokens, lookups, hits;
  int rc;
} run;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int corpus_add(corpus *c, const char *s, size_t len) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 1024;
    char **b = realloc(c->body, cap * sizeof *b);
    if (!b) return -1;
    c->body = b;
    size_t *l = realloc(c->len, cap * sizeof *l);
    if (!l) return -1;
    c->len = l;
    c->cap = cap;
  }
  if (!(c->body[c->n] = malloc(len + 1))) return -1;
  memcpy(c->body[c->n], s, len);
  c->body[c->n][len] = 0;
  c->len[c->n++] = len;
  c->bytes += len;
  return 0;
}

/* Reads "title" + "body" of each line of a JSON Lines file. */
static int corpus_load(corpus *c, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int rc = 0;
  while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
    json_t *o = json_loadb(line, (size_t)n, 0, NULL);
    const char *body = json_string_value(json_object_get(o, "body"));
    if (body) rc = corpus_add(c, body, strlen(body));
    json_decref(o);
  }
  free(line);
  fclose(f);
  return rc;
}

static int count_term(int flags, const char *term, int term_len, int start, int end,
                      void *payload) {
  (void)flags, (void)term, (void)term_len, (void)start, (void)end;
  ++*(unsigned long long *)payload;
  return 0;
}

static void *run_thread(void *arg) {
  run *r = arg;
  fouille_analyzer *a = NULL;
  r->rc = fouille_analyzer_new(&a, r->cache);
  for (size_t i = r->from; r->rc == 0 && i < r->to; i++)
    r->rc = fouille_analyzer_run(a, FOUILLE_ANALYZE_DOCUMENT, r->c->body[i], r->c->len[i],
                                 count_term, &r->tokens);
  if (a) fouille_analyzer_cache_stats(&r->lookups, &r->hits, a);
  fouille_analyzer_free(a);
  return NULL;
}

/* Runs n_threads threads, each with its own analyzer over the whole corpus
 * (so scaling = throughput ratio); returns seconds. */
static double measure(const corpus *c, int cache, int n_threads, run *total) {
  pthread_t tid[64];
  run r[64];
  memset(total, 0, sizeof *total);
  double t0 = now();
  for (int t = 0; t < n_threads; t++) {
    r[t] = (run){.c = c, .cache = cache};
    r[t].from = 0;
    r[t].to = c->n;
    pthread_create(&tid[t], NULL, run_thread, &r[t]);
  }
  for (int t = 0; t < n_threads; t++) {
    pthread_join(tid[t], NULL);
    total->tokens += r[t].tokens;
    total->lookups += r[t].lookups;
    total->hits += r[t].hits;
    if (r[t].rc) total->rc = r[t].rc;
  }
  return now() - t0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median tokens/s over `repeat` runs; fills *last with the last run. */
static double median_rate(const corpus *c, int cache, int threads, int repeat, run *last) {
  double rates[64];
  for (int i = 0; i < repeat; i++) {
    double s = measure(c, cache, threads, last);
    rates[i] = s > 0 ? (double)last->tokens / s : 0;
  }
  qsort(rates, (size_t)repeat, sizeof *rates, cmp_double);
  return rates[repeat / 2];
}

int main(int argc, char **argv) {
  int repeat = 3, threads = 2;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = atoi(argv[++i]);
    else
      path = argv[i];
  }
  if (!path || repeat < 1 || repeat > 64 || threads < 1 || threads > 64) {
    fprintf(stderr, "usage: bench_analyzer [--repeat N<=64] [--threads N<=64] CORPUS.jsonl\n");
    return 2;
  }
  corpus c = {0};
  if (corpus_load(&c, path) != 0 || c.n == 0) {
    fprintf(stderr, "bench_analyzer: %s: no article body read\n", path);
    return 3;
  }
  run cached, nocache, multi;
  double r_cached = median_rate(&c, 0, 1, repeat, &cached);
  double r_nocache = median_rate(&c, -1, 1, repeat, &nocache);
  double r_multi = median_rate(&c, 0, threads, repeat, &multi);
  if (cached.rc || nocache.rc || multi.rc || cached.tokens != nocache.tokens) {
    fprintf(stderr, "bench_analyzer: analyzer failed (%d) or cache changed the tokens\n",
            cached.rc ? cached.rc : nocache.rc);
    return 3;
  }
  printf("{\"bench\":\"analyzer\",\"articles\":%zu,\"bytes\":%zu,\"tokens\":%llu,"
         "\"tokens_per_s_cache\":%.0f,\"tokens_per_s_nocache\":%.0f,\"cache_speedup\":%.3f,"
         "\"cache_hit_rate\":%.4f,\"mb_per_s_cache\":%.2f,\"threads\":%d,"
         "\"tokens_per_s_threads\":%.0f,\"thread_scaling\":%.3f,\"repeat\":%d}\n",
         c.n, c.bytes, cached.tokens, r_cached, r_nocache, r_nocache > 0 ? r_cached / r_nocache : 0,
         cached.lookups ? (double)cached.hits / (double)cached.lookups : 0,
         r_cached * (double)c.bytes / (double)cached.tokens / 1e6, threads, r_multi,
         r_cached > 0 ? r_multi / r_cached : 0, repeat);
  for (size_t i = 0; i < c.n; i++) free(c.body[i]);
  free(c.body);
  free(c.len);
  return 0;
}
