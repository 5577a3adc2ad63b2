/* fouille-query: search a Fouille index from the command line. Thin: parses
 * options into fouille_search_options, calls fouille_search and prints with
 * the library's formatters. Exit 0 hits, 1 none, 2 usage, 3 failure. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fouille.h"
#include "fouille/query.h"
#include "query_args.h"
#include "query_serve.h"

static const char usage_text[] =
    "Usage: fouille-query [--db FILE] [options] QUERY...\n"
    "Search a Fouille index. QUERY: words (articles holding all rank first),\n"
    "\"exact phrase\", -word, a OR b, prefix*, title:word, body:word, (grouping).\n"
    "Options come first: every argument from the first word on is the query (use --\n"
    "before a leading -word).\n"
    "  --db FILE            index (default $FOUILLE_DB or ./fouille.db)\n"
    "  --limit N            hits to show (default 10, at most 1000)\n"
    "  --offset N           hits to skip\n"
    "  --passages N         passages per hit (default 2)\n"
    "  --passage-length N   passage length in characters (default 300)\n"
    "  --since DATE         only articles from DATE (YYYY, YYYY-MM or YYYY-MM-DD)\n"
    "  --until DATE         only articles up to DATE, inclusive\n"
    "  --source NAME        only articles from this source\n"
    "  --sort relevance|date\n"
    "  --facets LIST        also count the matches by source, year, month (e.g. source,year)\n"
    "  --json               results as JSON\n"
    "  --ids                keys only, one per line, best first\n"
    "  --count              the number of matching articles only\n"
    "  --exact              the words as typed: no typo correction\n"
    "  --color auto|always|never\n"
    "  --opensearch-dsl     print the OpenSearch/Elasticsearch query body for QUERY\n"
    "                       (with the options above) instead of searching\n"
    "  --serve [ADDR:]PORT  serve the HTTP JSON API instead (default address 127.0.0.1)\n"
    "  --cors ORIGIN        with --serve: allow browser pages from ORIGIN\n"
    "  --max-connections N  with --serve: concurrent connections (default 1024)\n"
    "  --max-connections-per-ip N  with --serve: per client address (default 0: no limit)\n"
    "  --write-token-file FILE  with --serve: accept PUT, DELETE and POST /articles with\n"
    "                       'Authorization: Bearer TOKEN', TOKEN read from FILE (mode 600)\n"
    "  --max-body-mb N      with --serve: largest request body, in MiB (default 16)\n"
    "  --help, --version\n"
    "Exit status: 0 hits, 1 no hit, 2 usage error, 3 failure.\n";

static int print_results(const fouille__query_args *c, const fouille_results *res) {
  int rc = 0;
  if (c->output == FOUILLE__OUT_COUNT) {
    printf("%llu\n", (unsigned long long)fouille_results_total(res));
  } else if (c->output == FOUILLE__OUT_IDS) {
    rc = fouille_results_print_keys(stdout, res);
  } else if (c->output == FOUILLE__OUT_JSON) {
    char *json = NULL;
    if (!(rc = fouille_results_to_json(&json, res))) puts(json);
    free(json);
  } else {
    int color = c->color >= 0 ? c->color : isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    rc = fouille_results_print_text(stdout, res, (size_t)c->so.offset + 1, color);
    if (!rc && fouille_results_corrected(res))
      printf("Pour chercher « %s » tel quel : fouille-query --exact\n", fouille_results_query(res));
  }
  if (rc) fprintf(stderr, "fouille-query: %s\n", fouille_error_last());
  if (rc) return 3;
  return fouille_results_total(res) > 0 ? 0 : 1;
}

static int search(const fouille__query_args *c, const char *db) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_index *ix = NULL;
  fouille_results *res = NULL;
  io.read_only = 1;
  io.read_pool_size = 1;
  int rc = fouille_index_open(&ix, db, &io);
  if (rc == FOUILLE_ENOTFOUND) {
    fprintf(stderr, "fouille-query: %s: no such index (run fouille-index first)\n", db);
    return 3;
  }
  if (!rc) rc = fouille_search(&res, ix, c->query, &c->so);
  if (rc) {
    fprintf(stderr, "fouille-query: %s%s\n", fouille_error_last(),
            rc == FOUILLE_EVERSION ? " (with fouille-index)" : "");
    rc = rc == FOUILLE_EPARSE || rc == FOUILLE_ETOOBIG || rc == FOUILLE_EINVAL ? 2 : 3;
  } else {
    rc = print_results(c, res);
  }
  fouille_results_free(res);
  fouille_index_close(ix);
  return rc;
}

/* --opensearch-dsl: the same errors as a search of the same query. */
static int print_dsl(const fouille__query_args *c) {
  char *body = NULL;
  int rc = fouille_search_opensearch_dsl(&body, c->query, &c->so);
  if (rc) {
    fprintf(stderr, "fouille-query: %s\n", fouille_error_last());
    return rc == FOUILLE_EPARSE || rc == FOUILLE_ETOOBIG || rc == FOUILLE_EINVAL ? 2 : 3;
  }
  rc = puts(body) < 0 ? 3 : 0;
  free(body);
  return rc;
}

int main(int argc, char **argv) {
  fouille__query_args a;
  const char *env = getenv("FOUILLE_DB");
  int rc = fouille__query_args_parse(&a, argc, argv, stderr);
  const char *db = a.db ? a.db : env && *env ? env : "fouille.db";
  if (rc == FOUILLE__CLI_USAGE) fputs("Try 'fouille-query --help'.\n", stderr);
  if (rc == FOUILLE__CLI_OK && a.action == FOUILLE__CLI_HELP) fputs(usage_text, stdout);
  if (rc == FOUILLE__CLI_OK && a.action == FOUILLE__CLI_VERSION)
    printf("fouille-query %s\n", fouille_version());
  if (rc == FOUILLE__CLI_OK && a.action == FOUILLE__CLI_RUN)
    rc = a.serve ? fouille__query_serve(&a, db) : a.dsl ? print_dsl(&a) : search(&a, db);
  fouille__query_args_free(&a);
  return rc;
}
