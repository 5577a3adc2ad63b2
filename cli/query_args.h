/* Private to fouille-query: its command line parsed into a struct
 * (query_args.c), apart from main so that it can be tested and fuzzed. */
#ifndef FOUILLE_CLI_QUERY_ARGS_H
#define FOUILLE_CLI_QUERY_ARGS_H

#include <stdio.h>

#include "args_common.h"
#include "fouille/query.h"

enum { FOUILLE__OUT_TEXT, FOUILLE__OUT_JSON, FOUILLE__OUT_IDS, FOUILLE__OUT_COUNT };

#define FOUILLE__QUERY_LIMIT_MAX 1000
#define FOUILLE__QUERY_PASSAGES_MAX 100
#define FOUILLE__QUERY_PASSAGE_LENGTH_MAX 100000
#define FOUILLE__QUERY_CONNECTIONS_MAX 1000000
#define FOUILLE__QUERY_BODY_MB_MAX 4096

typedef struct fouille__query_args {
  fouille__cli_action action;
  const char *db; /* --db, or NULL: $FOUILLE_DB or ./fouille.db */
  int output;     /* FOUILLE__OUT_… */
  int color;      /* 1 always, 0 never, -1 auto */
  char *query;    /* the QUERY words joined with spaces (owned); NULL with --serve */
  fouille_search_options so;
  int serve;              /* --serve given: serve HTTP instead of searching */
  char address[64];       /* --serve's address without brackets (default 127.0.0.1) */
  int port;               /* --serve's port, 0-65535 */
  const char *cors;       /* --cors ORIGIN or NULL */
  int max_connections;    /* --max-connections, 0: the server's default */
  int max_per_ip;         /* --max-connections-per-ip, 0: no limit */
  const char *token_file; /* --write-token-file FILE: writes allowed with its token; NULL: none */
  int max_body_mb;        /* --max-body-mb, 0: the server's default (16) */
  int dsl;                /* --opensearch-dsl: print the OpenSearch query, search nothing */
} fouille__query_args;

/* Parses argv[0..argc) (argv[0] the program; argv may be reordered, and
 * the strings must outlive *a). On success returns FOUILLE__CLI_OK with *a
 * filled; on a usage error writes one line on err and returns
 * FOUILLE__CLI_USAGE; out of memory: one line, FOUILLE__CLI_FAIL. Never
 * exits nor writes to stdout. Free *a with fouille__query_args_free in
 * every case. Uses getopt_long: not thread-safe. */
int fouille__query_args_parse(fouille__query_args *a, int argc, char **argv, FILE *err);

void fouille__query_args_free(fouille__query_args *a);

#endif
