/* eval: the development evaluation. Known-item queries (query<TAB>expected
 * id) run through fouille_search (with typo tolerance, and exact: the
 * words as typed) and through FTS5 baselines; prints MRR@10 and success@1
 * of each, the queries Fouille misses at rank 1, the corrections made, and
 * a final JSON line. With --min-mrr X, exits 1 when Fouille's MRR@10 < X.
 * With --same-as-exact, exits 1 when a query searched as typed (not
 * corrected) gets other hits than with exact: correctly spelled queries
 * must never change. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

#define MAX_ITEMS 5000

#define ENGINES 4 /* fouille, plain_fts5, fts5_fouille_fr, fouille_exact */

typedef struct item {
  char *query, *id;
  int rank[ENGINES]; /* per engine: 1-based rank in the top 10, 0 when absent */
  char *top_f;       /* Fouille's first hit (key), for failure reports */
  char *keys[2];     /* Fouille's top 10 keys with typo tolerance / exact */
  char *did_you_mean;
  int corrected;
} item;

typedef struct score {
  double mrr, s1, s10;
} score;

static item items[MAX_ITEMS];
static size_t n_items;

static int load_items(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char buf[4096];
  while (n_items < MAX_ITEMS && fgets(buf, sizeof buf, f)) {
    buf[strcspn(buf, "\r\n")] = 0;
    char *tab = strchr(buf, '\t');
    if (buf[0] == '#' || !tab) continue;
    *tab = 0;
    items[n_items].query = strdup(buf);
    items[n_items++].id = strdup(tab + 1);
  }
  fclose(f);
  return n_items ? 0 : -1;
}

/* A Fouille key of a JSON Lines article is "<file>#<id>": it names the
 * expected article when it is the id or ends with "#" + id. */
static int key_matches(const char *key, const char *id) {
  size_t k = strlen(key), n = strlen(id);
  if (k == n) return strcmp(key, id) == 0;
  return k > n && key[k - n - 1] == '#' && strcmp(key + k - n, id) == 0;
}

/* A key without its "<file>#" prefix, for the failure list. */
static const char *short_key(const char *key) {
  const char *h = key ? strchr(key, '#') : NULL;
  return !key ? "(none)" : h ? h + 1 : key;
}

/* The hits' keys, one per line. */
static char *keys_of(const fouille_results *res) {
  size_t n = 1;
  for (size_t r = 0; r < fouille_results_count(res); r++)
    n += strlen(fouille_results_hit(res, r)->key) + 1;
  char *k = malloc(n);
  if (!k) return NULL;
  k[0] = '\0';
  for (size_t r = 0; r < fouille_results_count(res); r++)
    strcat(strcat(k, fouille_results_hit(res, r)->key), "\n");
  return k;
}

/* Engine 0 (typo tolerance) or 3 (exact). */
static void search_one(fouille_index *ix, item *it, int exact) {
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *res = NULL;
  int e = exact ? 3 : 0;
  so.passages = 0, so.exact = exact;
  if (fouille_search(&res, ix, it->query, &so) != 0)
    fprintf(stderr, "eval: query \"%s\": %s\n", it->query, fouille_error_last());
  for (size_t r = 0; r < fouille_results_count(res); r++) {
    const char *key = fouille_results_hit(res, r)->key;
    if (r == 0 && !exact) it->top_f = strdup(key);
    if (!it->rank[e] && key_matches(key, it->id)) it->rank[e] = (int)r + 1;
  }
  it->keys[exact] = keys_of(res);
  if (!exact && fouille_results_did_you_mean(res))
    it->did_you_mean = strdup(fouille_results_did_you_mean(res));
  if (!exact) it->corrected = fouille_results_corrected(res);
  fouille_results_free(res);
}

static int eval_fouille(const char *db_path) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_index *ix = NULL;
  io.read_only = 1;
  if (fouille_index_open(&ix, db_path, &io) != 0) {
    fprintf(stderr, "eval: %s: %s\n", db_path, fouille_error_last());
    return -1;
  }
  for (size_t i = 0; i < n_items; i++) search_one(ix, &items[i], 0), search_one(ix, &items[i], 1);
  fouille_index_close(ix);
  return 0;
}

/* The corrections made, and the queries whose hits changed without one:
 * their count (the --same-as-exact failures). */
static size_t report_corrections(void) {
  size_t changed = 0, corrected = 0, suggested = 0;
  for (size_t i = 0; i < n_items; i++) {
    item *it = &items[i];
    int same = it->keys[0] && it->keys[1] && strcmp(it->keys[0], it->keys[1]) == 0;
    corrected += it->corrected, suggested += it->did_you_mean && !it->corrected;
    if (it->did_you_mean)
      printf("%s  %-40s -> %-40s rank %d (exact %d)\n", it->corrected ? "fix " : "hint",
             it->query, it->did_you_mean, it->rank[0], it->rank[3]);
    if (!same && !it->corrected) {
      changed++;
      printf("CHANGED without correction: %s\n", it->query);
    }
  }
  printf("typo tolerance: %zu queries corrected, %zu suggestions only, %zu changed without"
         " correction\n",
         corrected, suggested, changed);
  return changed;
}

/* The FTS5 baselines: the query's words ANDed (each a quoted string, no
 * stop-word removal), ORed when the AND finds nothing; bm25 with title
 * weight 5; top 10. Engine 1 is plain FTS5 (unicode61 remove_diacritics 2,
 * plain_loader's table); engine 2 is the same query on Fouille's own
 * articles_fts (the fouille_fr analyzer, bm25, no Fouille ranking): it
 * tells the analyzer's share of the gain from the ranking's. */
static const char *const baseline_sql[3] = {
    NULL, "SELECT key FROM t WHERE t MATCH ? ORDER BY bm25(t, 5.0, 1.0) LIMIT 10",
    "SELECT a.key FROM articles_fts f JOIN articles a ON a.id = f.rowid"
    " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT 10"};

static void rank_one(sqlite3_stmt *st, item *it, int engine) {
  char *e[2];
  if (bench_plain_exprs(it->query, &e[0], &e[1]) != 0) return;
  int n = 0;
  for (int pass = 0; pass < 2 && n == 0; pass++) {
    sqlite3_bind_text(st, 1, e[pass], -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *key = (const char *)sqlite3_column_text(st, 0);
      n++;
      if (!it->rank[engine] && key && key_matches(key, it->id)) it->rank[engine] = n;
    }
    sqlite3_reset(st);
  }
  free(e[0]);
  free(e[1]);
}

static int eval_baseline(const char *db_path, int engine) {
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int rc = -1;
  if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      (engine == 2 && fouille_fts5_register(db) != 0) ||
      sqlite3_prepare_v2(db, baseline_sql[engine], -1, &st, NULL) != SQLITE_OK)
    goto done;
  for (size_t i = 0; i < n_items; i++) rank_one(st, &items[i], engine);
  rc = 0;
done:
  if (rc) fprintf(stderr, "eval: %s: %s\n", db_path, db ? sqlite3_errmsg(db) : "?");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rc;
}

static score compute(int engine) {
  score s = {0, 0, 0};
  for (size_t i = 0; i < n_items; i++) {
    int r = items[i].rank[engine];
    if (r) s.mrr += 1.0 / r, s.s10 += 1;
    if (r == 1) s.s1 += 1;
  }
  s.mrr /= (double)n_items, s.s1 /= (double)n_items, s.s10 /= (double)n_items;
  return s;
}

static const char *const engine_name[ENGINES] = {"fouille", "plain_fts5", "fts5_fouille_fr",
                                                 "fouille_exact"};

/* The table, then one JSON line; engines that did not run show n/a/null. */
static void report(const int ran[ENGINES]) {
  for (size_t i = 0; ran[0] && i < n_items; i++)
    if (items[i].rank[0] != 1)
      printf("miss  fouille rank %-2d plain rank %-2d  %-40s want %s  got %s\n", items[i].rank[0],
             items[i].rank[1], items[i].query, items[i].id, short_key(items[i].top_f));
  printf("%-16s %8s %10s %11s  (%zu queries)\n", "engine", "MRR@10", "success@1", "success@10",
         n_items);
  for (int e = 0; e < ENGINES; e++) {
    score s = compute(e);
    if (ran[e])
      printf("%-16s %8.4f %10.4f %11.4f\n", engine_name[e], s.mrr, s.s1, s.s10);
    else
      printf("%-16s %8s %10s %11s\n", engine_name[e], "n/a", "n/a", "n/a");
  }
  printf("{\"bench\":\"eval\",\"queries\":%zu", n_items);
  for (int e = 0; e < ENGINES; e++) {
    score s = compute(e);
    printf(",\"%s\":", engine_name[e]);
    if (ran[e])
      printf("{\"mrr10\":%.4f,\"success1\":%.4f,\"success10\":%.4f}", s.mrr, s.s1, s.s10);
    else
      printf("null");
  }
  printf("}\n");
}

int main(int argc, char **argv) {
  const char *fdb = NULL, *pdb = NULL, *path = NULL;
  double min_mrr = -1;
  int same_as_exact = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--same-as-exact"))
      same_as_exact = 1;
    else if (!strcmp(argv[i], "--fouille") && i + 1 < argc)
      fdb = argv[++i];
    else if (!strcmp(argv[i], "--plain") && i + 1 < argc)
      pdb = argv[++i];
    else if (!strcmp(argv[i], "--min-mrr") && i + 1 < argc)
      min_mrr = atof(argv[++i]);
    else
      path = argv[i];
  }
  if (!path || !fdb || !pdb) {
    fprintf(stderr,
            "usage: eval --fouille DB --plain DB [--min-mrr X] [--same-as-exact] QUERIES.tsv\n");
    return 2;
  }
  if (load_items(path) != 0) {
    fprintf(stderr, "eval: %s: no query<TAB>id line\n", path);
    return 3;
  }
  int ran[ENGINES] = {bench_have_search(), 1, 1, bench_have_search()};
  if (!ran[0]) fprintf(stderr, "eval: fouille_search is not in the library yet: baselines only\n");
  if ((ran[0] && eval_fouille(fdb) != 0) || eval_baseline(pdb, 1) != 0) return 3;
  ran[2] = eval_baseline(fdb, 2) == 0; /* needs Fouille's schema; optional */
  size_t changed = ran[0] ? report_corrections() : 0;
  report(ran);
  if (!ran[0]) return 77; /* skipped: nothing to hold Fouille to */
  if (same_as_exact && changed) {
    fprintf(stderr, "eval: %zu queries got other hits without being corrected\n", changed);
    return 1;
  }
  score f = compute(0);
  if (min_mrr >= 0 && f.mrr < min_mrr) {
    fprintf(stderr, "eval: Fouille MRR@10 %.4f is below the bar %.4f\n", f.mrr, min_mrr);
    return 1;
  }
  return 0;
}
