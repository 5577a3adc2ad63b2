/* fouille-query: search a Fouille index from the command line. Thin: parses
 * options into fouille_search_options, calls fouille_search and prints with
 * the library's formatters. Exit 0 hits, 1 none, 2 usage, 3 failure. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fouille.h"
#include "fouille/http.h"
#include "fouille/query.h"

enum { OUT_TEXT, OUT_JSON, OUT_IDS, OUT_COUNT };
enum {
  OPT_DB = 256,
  OPT_LIMIT,
  OPT_OFFSET,
  OPT_PASSAGES,
  OPT_PLEN,
  OPT_SINCE,
  OPT_UNTIL,
  OPT_SOURCE,
  OPT_SORT,
  OPT_JSON,
  OPT_IDS,
  OPT_COUNT,
  OPT_EXACT,
  OPT_COLOR,
  OPT_SERVE,
  OPT_CORS,
  OPT_HELP,
  OPT_VERSION
};

typedef struct cli {
  const char *db;
  int output, color;
  char *query;
  fouille_search_options so;
  const char *serve, *cors; /* --serve [ADDR:]PORT, --cors ORIGIN */
} cli;

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
    "  --json               results as JSON\n"
    "  --ids                keys only, one per line, best first\n"
    "  --count              the number of matching articles only\n"
    "  --exact              the words as typed: no typo correction\n"
    "  --color auto|always|never\n"
    "  --serve [ADDR:]PORT  serve the HTTP JSON API instead (default address 127.0.0.1)\n"
    "  --cors ORIGIN        with --serve: allow browser pages from ORIGIN\n"
    "  --help, --version\n"
    "Exit status: 0 hits, 1 no hit, 2 usage error, 3 failure.\n";

static int usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "fouille-query: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
  fprintf(stderr, "Try 'fouille-query --help'.\n");
  return 2;
}

static int parse_int(const char *s, int max, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < 0 || v > max) return -1;
  *out = (int)v;
  return 0;
}

/* Joins the remaining arguments with spaces. */
static char *join_args(int argc, char **argv) {
  size_t n = 1;
  for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
  char *q = malloc(n);
  if (!q) return NULL;
  q[0] = '\0';
  for (int i = 0; i < argc; i++) strcat(i ? strcat(q, " ") : q, argv[i]);
  return q;
}

static int set_option(cli *c, int opt, const char *arg) {
  int *num = opt == OPT_LIMIT      ? &c->so.limit
             : opt == OPT_OFFSET   ? &c->so.offset
             : opt == OPT_PASSAGES ? &c->so.passages
             : opt == OPT_PLEN     ? &c->so.passage_length
                                   : NULL;
  int max = opt == OPT_LIMIT ? 1000 : opt == OPT_PASSAGES ? 100 : INT_MAX;
  if (num && (parse_int(arg, max, num) || (opt == OPT_PLEN && *num == 0)))
    return usage_error("bad number for this option:", arg);
  if (opt == OPT_SERVE) c->serve = arg;
  if (opt == OPT_CORS) c->cors = arg;
  if (opt == OPT_DB)
    c->db = arg;
  else if (opt == OPT_SINCE)
    c->so.since = arg;
  else if (opt == OPT_UNTIL)
    c->so.until = arg;
  else if (opt == OPT_SOURCE)
    c->so.source = arg;
  else if (opt == OPT_JSON)
    c->output = OUT_JSON;
  else if (opt == OPT_IDS)
    c->output = OUT_IDS;
  else if (opt == OPT_COUNT)
    c->output = OUT_COUNT, c->so.count_only = 1;
  else if (opt == OPT_EXACT)
    c->so.exact = 1;
  if (opt == OPT_SORT) {
    if (strcmp(arg, "relevance") && strcmp(arg, "date")) return usage_error("bad --sort:", arg);
    c->so.sort = strcmp(arg, "date") ? FOUILLE_SORT_RELEVANCE : FOUILLE_SORT_DATE;
  }
  if (opt == OPT_COLOR) {
    if (!strcmp(arg, "always"))
      c->color = 1;
    else if (!strcmp(arg, "never"))
      c->color = 0;
    else if (!strcmp(arg, "auto"))
      c->color = -1;
    else
      return usage_error("bad --color:", arg);
  }
  return 0;
}

/* The server SIGINT and SIGTERM stop (NULL outside serve_until_signal),
 * and whether one came before it was set. */
static _Atomic(fouille_http_server *) serving;
static volatile sig_atomic_t stop_asked;

static void on_stop_signal(int sig) {
  (void)sig;
  stop_asked = 1;
  fouille_http_server_stop(atomic_load(&serving)); /* async-signal-safe; NULL is allowed */
}

/* SIGINT and SIGTERM stop the server (a shell's background job inherits
 * SIGINT ignored: the handler overrides that); SIGPIPE is ignored. */
static void install_signals(void) {
  struct sigaction stop = {.sa_handler = on_stop_signal}, ign = {.sa_handler = SIG_IGN};
  sigemptyset(&stop.sa_mask);
  sigemptyset(&ign.sa_mask);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGPIPE, &ign, NULL);
}

/* Serves until SIGINT or SIGTERM. */
static int serve_until_signal(const fouille_http_options *ho) {
  fouille_http_server *hs = NULL;
  install_signals();
  if (fouille_http_server_start(&hs, NULL, ho) != FOUILLE_OK) {
    fprintf(stderr, "fouille-query: %s\n", fouille_error_last());
    return 3;
  }
  atomic_store(&serving, hs);
  if (stop_asked) fouille_http_server_stop(hs);
  int v6 = strchr(ho->address, ':') != NULL;
  fprintf(stderr, "fouille-query: listening on http://%s%s%s:%d/\n", v6 ? "[" : "", ho->address,
          v6 ? "]" : "", fouille_http_server_port(hs));
  int rc = fouille_http_server_wait(hs);
  atomic_store(&serving, NULL);
  if (rc) fprintf(stderr, "fouille-query: %s\n", fouille_error_last());
  fouille_http_server_free(hs);
  return rc ? 3 : 0;
}

/* --serve [ADDR:]PORT: the HTTP API until SIGINT/SIGTERM (fouille/http.h). */
static int serve(const cli *c, int n_words) {
  fouille_http_options ho = FOUILLE_HTTP_OPTIONS_INIT;
  char addr[64] = "127.0.0.1";
  const char *colon = strrchr(c->serve, ':'), *port = colon ? colon + 1 : c->serve;
  size_t n = colon ? (size_t)(colon - c->serve) : 0;
  if (n_words) return usage_error("--serve takes no QUERY", NULL);
  if (n >= sizeof addr || parse_int(port, 65535, &ho.port) || !*port)
    return usage_error("bad --serve, expected [ADDR:]PORT:", c->serve);
  if (colon) memcpy(addr, c->serve + (c->serve[0] == '['), n - 2 * (c->serve[0] == '['));
  if (colon) addr[n - 2 * (c->serve[0] == '[')] = '\0';
  ho.address = addr;
  ho.db_path = c->db;
  ho.cors_origin = c->cors;
  return serve_until_signal(&ho);
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(cli *c, int argc, char **argv) {
  static const struct option opts[] = {{"db", 1, NULL, OPT_DB},
                                       {"limit", 1, NULL, OPT_LIMIT},
                                       {"offset", 1, NULL, OPT_OFFSET},
                                       {"passages", 1, NULL, OPT_PASSAGES},
                                       {"passage-length", 1, NULL, OPT_PLEN},
                                       {"since", 1, NULL, OPT_SINCE},
                                       {"until", 1, NULL, OPT_UNTIL},
                                       {"source", 1, NULL, OPT_SOURCE},
                                       {"sort", 1, NULL, OPT_SORT},
                                       {"json", 0, NULL, OPT_JSON},
                                       {"ids", 0, NULL, OPT_IDS},
                                       {"count", 0, NULL, OPT_COUNT},
                                       {"exact", 0, NULL, OPT_EXACT},
                                       {"color", 1, NULL, OPT_COLOR},
                                       {"colour", 1, NULL, OPT_COLOR},
                                       {"serve", 1, NULL, OPT_SERVE},
                                       {"cors", 1, NULL, OPT_CORS},
                                       {"help", 0, NULL, OPT_HELP},
                                       {"version", 0, NULL, OPT_VERSION},
                                       {NULL, 0, NULL, 0}};
  int opt, rc;
  opterr = 0;
  while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
    if (opt == OPT_HELP) return fputs(usage_text, stdout), 0;
    if (opt == OPT_VERSION) return printf("fouille-query %s\n", fouille_version()), 0;
    if (opt == '?' || opt == ':') return usage_error("bad option:", argv[optind - 1]);
    if ((rc = set_option(c, opt, optarg))) return rc;
  }
  if (c->serve) return serve(c, argc - optind);
  if (optind >= argc) return usage_error("missing QUERY", NULL);
  if (!(c->query = join_args(argc - optind, argv + optind)))
    return fprintf(stderr, "fouille-query: out of memory\n"), 3;
  return -1;
}

static int print_results(const cli *c, const fouille_results *res) {
  int rc = 0;
  if (c->output == OUT_COUNT) {
    printf("%llu\n", (unsigned long long)fouille_results_total(res));
  } else if (c->output == OUT_IDS) {
    rc = fouille_results_print_keys(stdout, res);
  } else if (c->output == OUT_JSON) {
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

static int search(cli *c) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_index *ix = NULL;
  fouille_results *res = NULL;
  io.read_only = 1;
  io.read_pool_size = 1;
  int rc = fouille_index_open(&ix, c->db, &io);
  if (rc == FOUILLE_ENOTFOUND) {
    fprintf(stderr, "fouille-query: %s: no such index (run fouille-index first)\n", c->db);
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

int main(int argc, char **argv) {
  cli c = {NULL, OUT_TEXT, -1, NULL, FOUILLE_SEARCH_OPTIONS_INIT, NULL, NULL};
  c.db = getenv("FOUILLE_DB") && *getenv("FOUILLE_DB") ? getenv("FOUILLE_DB") : "fouille.db";
  int rc = parse_args(&c, argc, argv);
  if (rc < 0) rc = search(&c);
  free(c.query);
  return rc;
}
