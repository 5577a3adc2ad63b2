/* fouille-export --opensearch-template: prints the index template that
 * rebuilds Fouille's French analysis on OpenSearch or Elasticsearch
 * (fouille_opensearch_template). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "args_common.h"
#include "export_modes.h"
#include "fouille.h"

#define TOOL "fouille-export"

static int parse(int argc, char **argv, fouille_opensearch_options *o) {
  static const struct option longs[] = {{"opensearch-template", no_argument, NULL, 't'},
                                        {"index-pattern", required_argument, NULL, 'i'},
                                        {"shards", required_argument, NULL, 's'},
                                        {"replicas", required_argument, NULL, 'r'},
                                        {NULL, 0, NULL, 0}};
  int opt;
  long long n;
  opterr = 0;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
    if (opt == 'i' && optarg[0])
      o->index_pattern = optarg;
    else if (opt == 'i')
      return fouille__cli_usage_line(stderr, TOOL, "empty --index-pattern", NULL);
    else if (opt == 's' || opt == 'r') {
      if (fouille__cli_parse_int(optarg, opt == 's' ? 1 : 0, 1024, &n))
        return fouille__cli_usage_line(
            stderr, TOOL,
            opt == 's' ? "--shards wants 1 to 1024:" : "--replicas wants 0 to 1024:", optarg);
      *(opt == 's' ? &o->shards : &o->replicas) = (int)n;
    } else if (opt != 't')
      return fouille__cli_bad_option(stderr, TOOL, argv, optind, optopt);
  }
  if (optind < argc)
    return fouille__cli_usage_line(stderr, TOOL, "unexpected argument:", argv[optind]);
  return FOUILLE__CLI_OK;
}

int fouille__export_template(int argc, char **argv) {
  fouille_opensearch_options o = FOUILLE_OPENSEARCH_OPTIONS_INIT;
  int rc = parse(argc, argv, &o);
  if (rc) return rc;
  char *json = NULL;
  if (fouille_opensearch_template(&json, &o)) {
    fprintf(stderr, TOOL ": %s\n", fouille_error_last());
    return FOUILLE__CLI_FAIL;
  }
  int failed = fputs(json, stdout) < 0 || fflush(stdout) != 0;
  free(json);
  if (failed) fprintf(stderr, TOOL ": standard output: write failed\n");
  return failed ? FOUILLE__CLI_FAIL : FOUILLE__CLI_OK;
}
