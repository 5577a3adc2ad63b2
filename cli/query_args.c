/* fouille-query's command line: options into fouille__query_args, the
 * QUERY words joined, --serve [ADDR:]PORT split. Bounded and pure (no
 * exit, no stdout; errors are one line on the stream given) so that
 * tests/check_cli_args.c and fuzz/fuzz_cli_query.c can call it with any
 * argument vector. */
#include "query_args.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define TOOL "fouille-query"

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
  OPT_MAX_CONN,
  OPT_MAX_PER_IP,
  OPT_TOKEN_FILE,
  OPT_MAX_BODY,
  OPT_FACETS,
  OPT_DSL,
  OPT_HELP,
  OPT_VERSION
};

static const struct option long_opts[] = {{"db", 1, NULL, OPT_DB},
                                          {"limit", 1, NULL, OPT_LIMIT},
                                          {"offset", 1, NULL, OPT_OFFSET},
                                          {"passages", 1, NULL, OPT_PASSAGES},
                                          {"passage-length", 1, NULL, OPT_PLEN},
                                          {"since", 1, NULL, OPT_SINCE},
                                          {"until", 1, NULL, OPT_UNTIL},
                                          {"source", 1, NULL, OPT_SOURCE},
                                          {"sort", 1, NULL, OPT_SORT},
                                          {"facets", 1, NULL, OPT_FACETS},
                                          {"json", 0, NULL, OPT_JSON},
                                          {"ids", 0, NULL, OPT_IDS},
                                          {"count", 0, NULL, OPT_COUNT},
                                          {"exact", 0, NULL, OPT_EXACT},
                                          {"color", 1, NULL, OPT_COLOR},
                                          {"colour", 1, NULL, OPT_COLOR},
                                          {"serve", 1, NULL, OPT_SERVE},
                                          {"cors", 1, NULL, OPT_CORS},
                                          {"max-connections", 1, NULL, OPT_MAX_CONN},
                                          {"max-connections-per-ip", 1, NULL, OPT_MAX_PER_IP},
                                          {"write-token-file", 1, NULL, OPT_TOKEN_FILE},
                                          {"max-body-mb", 1, NULL, OPT_MAX_BODY},
                                          {"opensearch-dsl", 0, NULL, OPT_DSL},
                                          {"help", 0, NULL, OPT_HELP},
                                          {"version", 0, NULL, OPT_VERSION},
                                          {NULL, 0, NULL, 0}};

/* The numeric options: where each goes and its range. */
static int *number_slot(fouille__query_args *a, int opt, long long *min, long long *max) {
  *min = 0;
  switch (opt) {
  case OPT_LIMIT:
    return *max = FOUILLE__QUERY_LIMIT_MAX, &a->so.limit;
  case OPT_OFFSET:
    return *max = 0x7fffffff, &a->so.offset;
  case OPT_PASSAGES:
    return *max = FOUILLE__QUERY_PASSAGES_MAX, &a->so.passages;
  case OPT_PLEN:
    return *min = 1, *max = FOUILLE__QUERY_PASSAGE_LENGTH_MAX, &a->so.passage_length;
  case OPT_MAX_CONN:
    return *min = 1, *max = FOUILLE__QUERY_CONNECTIONS_MAX, &a->max_connections;
  case OPT_MAX_PER_IP:
    return *max = FOUILLE__QUERY_CONNECTIONS_MAX, &a->max_per_ip;
  case OPT_MAX_BODY:
    return *min = 1, *max = FOUILLE__QUERY_BODY_MB_MAX, &a->max_body_mb;
  default:
    return NULL;
  }
}

/* [ADDR:]PORT, ADDR an IPv4 literal, an IPv6 one in brackets, or any
 * text the server will judge (exit 3 when it cannot listen on it). */
static int parse_serve(fouille__query_args *a, const char *s, FILE *err) {
  const char *colon = strrchr(s, ':'), *addr = s;
  size_t n = colon ? (size_t)(colon - s) : 0;
  long long port;
  if (colon && s[0] == '[') {
    if (n < 3 || s[n - 1] != ']') goto bad;
    addr = s + 1, n -= 2;
  }
  if (colon && (n == 0 || n >= sizeof a->address || memchr(addr, '[', n) || memchr(addr, ']', n)))
    goto bad;
  if (fouille__cli_parse_int(colon ? colon + 1 : s, 0, 65535, &port)) goto bad;
  if (colon) memcpy(a->address, addr, n), a->address[n] = '\0';
  a->port = (int)port;
  a->serve = 1;
  return FOUILLE__CLI_OK;
bad:
  return fouille__cli_usage_line(err, TOOL, "bad --serve, expected [ADDR:]PORT:", s);
}

static int set_choice(fouille__query_args *a, int opt, const char *arg, FILE *err) {
  if (opt == OPT_SORT) {
    if (strcmp(arg, "relevance") && strcmp(arg, "date"))
      return fouille__cli_usage_line(err, TOOL, "bad --sort:", arg);
    a->so.sort = strcmp(arg, "date") ? FOUILLE_SORT_RELEVANCE : FOUILLE_SORT_DATE;
    return FOUILLE__CLI_OK;
  }
  if (!strcmp(arg, "always"))
    a->color = 1;
  else if (!strcmp(arg, "never"))
    a->color = 0;
  else if (!strcmp(arg, "auto"))
    a->color = -1;
  else
    return fouille__cli_usage_line(err, TOOL, "bad --color:", arg);
  return FOUILLE__CLI_OK;
}

static int set_option(fouille__query_args *a, int opt, const char *arg, FILE *err) {
  long long min, max, v;
  int *num = number_slot(a, opt, &min, &max);
  if (num) {
    if (fouille__cli_parse_int(arg, min, max, &v))
      return fouille__cli_usage_line(err, TOOL, "bad number for this option:", arg);
    *num = (int)v;
  }
  if (opt == OPT_SORT || opt == OPT_COLOR) return set_choice(a, opt, arg, err);
  if (opt == OPT_SERVE) return parse_serve(a, arg, err);
  if (opt == OPT_FACETS && fouille_facets_parse(&a->so.facets, arg))
    return fouille__cli_usage_line(err, TOOL, "bad --facets (expected source, year, month):", arg);
  if (opt == OPT_DB) a->db = arg;
  if (opt == OPT_CORS) a->cors = arg;
  if (opt == OPT_TOKEN_FILE) a->token_file = arg;
  if (opt == OPT_SINCE) a->so.since = arg;
  if (opt == OPT_UNTIL) a->so.until = arg;
  if (opt == OPT_SOURCE) a->so.source = arg;
  if (opt == OPT_JSON) a->output = FOUILLE__OUT_JSON;
  if (opt == OPT_IDS) a->output = FOUILLE__OUT_IDS;
  if (opt == OPT_COUNT) a->output = FOUILLE__OUT_COUNT, a->so.count_only = 1;
  if (opt == OPT_EXACT) a->so.exact = 1;
  if (opt == OPT_DSL) a->dsl = 1;
  return FOUILLE__CLI_OK;
}

/* Joins argv[0..argc) with spaces into a new string (NULL: out of memory). */
static char *join_args(int argc, char **argv) {
  size_t n = 1, at = 0;
  for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
  char *q = malloc(n);
  for (int i = 0; q && i < argc; i++) {
    size_t len = strlen(argv[i]);
    if (i) q[at++] = ' ';
    memcpy(q + at, argv[i], len), at += len;
  }
  if (q) q[at] = '\0';
  return q;
}

static void defaults(fouille__query_args *a) {
  static const fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  memset(a, 0, sizeof *a);
  a->output = FOUILLE__OUT_TEXT;
  a->color = -1;
  a->so = so;
  strcpy(a->address, "127.0.0.1");
}

int fouille__query_args_parse(fouille__query_args *a, int argc, char **argv, FILE *err) {
  int opt, rc;
  defaults(a);
  optind = 0; /* glibc: start afresh, even after an earlier parse */
  opterr = 0;
  while ((opt = getopt_long(argc, argv, "+", long_opts, NULL)) != -1) {
    if (opt == OPT_HELP || opt == OPT_VERSION) {
      a->action = opt == OPT_HELP ? FOUILLE__CLI_HELP : FOUILLE__CLI_VERSION;
      return FOUILLE__CLI_OK;
    }
    if (opt == '?' || opt == ':') return fouille__cli_bad_option(err, TOOL, argv, optind, optopt);
    if ((rc = set_option(a, opt, optarg, err))) return rc;
  }
  if (!a->serve && (a->token_file || a->max_body_mb))
    return fouille__cli_usage_line(err, TOOL, "--write-token-file and --max-body-mb need --serve",
                                   NULL);
  if (a->serve && a->dsl)
    return fouille__cli_usage_line(err, TOOL, "--opensearch-dsl takes a QUERY, not --serve", NULL);
  if (a->serve)
    return optind < argc ? fouille__cli_usage_line(err, TOOL, "--serve takes no QUERY", NULL)
                         : FOUILLE__CLI_OK;
  if (optind >= argc) return fouille__cli_usage_line(err, TOOL, "missing QUERY", NULL);
  if (!(a->query = join_args(argc - optind, argv + optind))) {
    fprintf(err, TOOL ": out of memory\n");
    return FOUILLE__CLI_FAIL;
  }
  return FOUILLE__CLI_OK;
}

void fouille__query_args_free(fouille__query_args *a) {
  free(a->query);
  a->query = NULL;
}
