/* fouille-export's command line: modes --cursor, --bulk, --compact and
 * their options, parsed into fouille__export_args. */
#include "export_args.h"

#include <getopt.h>
#include <stdint.h>
#include <string.h>

#define TOOL "fouille-export"

void fouille__export_usage(FILE *out) {
  fputs("usage: fouille-export [--db FILE] --cursor\n"
        "       fouille-export [--db FILE] --bulk [--since CURSOR] [--index NAME]\n"
        "                      [--cursor-file FILE] [--quiet]\n"
        "       fouille-export [--db FILE] --compact CURSOR\n"
        "       fouille-export --opensearch-template [--index-pattern P] [--shards N]\n"
        "                      [--replicas N]\n"
        "Export the index to OpenSearch or Elasticsearch (docs/opensearch.md).\n"
        "  --db FILE           index file (default $FOUILLE_DB or ./fouille.db)\n"
        "  --cursor            print the index's current cursor (its latest change)\n"
        "  --bulk              write _bulk NDJSON on stdout: the articles added or\n"
        "                      changed since CURSOR (index actions), those deleted\n"
        "                      (delete actions); then the cursor reached on stderr\n"
        "  --since CURSOR      start after this cursor (default 0: every article)\n"
        "  --index NAME        name the target index in every action (\"_index\")\n"
        "  --cursor-file FILE  also write the cursor reached to FILE (replaced\n"
        "                      atomically once the export is complete)\n"
        "  --compact CURSOR    drop the deletions up to CURSOR from the change log\n"
        "                      (exports since an older cursor are refused after)\n"
        "  --quiet             nothing on stderr but errors\n"
        "  --opensearch-template  print the index template (settings, analysis,\n"
        "                      mappings) rebuilding Fouille's French analysis\n"
        "  --index-pattern P   indices the template applies to (default fouille*)\n"
        "  --shards N, --replicas N  set them in the template (default: the cluster's)\n"
        "  --help, --version\n",
        out);
}

static int cursor_arg(const char *s, uint64_t *out, FILE *err) {
  long long v;
  if (fouille__cli_parse_int(s, 0, INT64_MAX, &v))
    return fouille__cli_usage_line(err, TOOL,
                                   "a cursor is a whole number from 0 (--since, --compact):", s);
  *out = (uint64_t)v;
  return FOUILLE__CLI_OK;
}

static int set_mode(fouille__export_args *a, fouille__export_mode m, FILE *err) {
  if (a->mode && a->mode != m)
    return fouille__cli_usage_line(err, TOOL, "give one of --cursor, --bulk, --compact, --opensearch-template", NULL);
  a->mode = m;
  return FOUILLE__CLI_OK;
}

static int one_option(fouille__export_args *a, int opt, FILE *err) {
  switch (opt) {
  case 'd':
    a->db = optarg;
    return FOUILLE__CLI_OK;
  case 'c':
    return set_mode(a, FOUILLE__EXPORT_CURSOR, err);
  case 'b':
    return set_mode(a, FOUILLE__EXPORT_BULK, err);
  case 'k':
    if (set_mode(a, FOUILLE__EXPORT_COMPACT, err)) return FOUILLE__CLI_USAGE;
    return cursor_arg(optarg, &a->compact, err);
  case 's':
    return cursor_arg(optarg, &a->since, err);
  case 'i':
    if (!*optarg) return fouille__cli_usage_line(err, TOOL, "--index: empty name", NULL);
    a->index_name = optarg;
    return FOUILLE__CLI_OK;
  case 'f':
    a->cursor_file = optarg;
    return FOUILLE__CLI_OK;
  case 'q':
    a->quiet = 1;
    return FOUILLE__CLI_OK;
  case 'h':
    a->action = FOUILLE__CLI_HELP;
    return FOUILLE__CLI_OK;
  case 'V':
    a->action = FOUILLE__CLI_VERSION;
    return FOUILLE__CLI_OK;
  default:
    return FOUILLE__CLI_USAGE;
  }
}

int fouille__export_args_parse(fouille__export_args *a, int argc, char **argv, FILE *err) {
  static const struct option longs[] = {{"db", required_argument, NULL, 'd'},
                                        {"cursor", no_argument, NULL, 'c'},
                                        {"bulk", no_argument, NULL, 'b'},
                                        {"compact", required_argument, NULL, 'k'},
                                        {"since", required_argument, NULL, 's'},
                                        {"index", required_argument, NULL, 'i'},
                                        {"cursor-file", required_argument, NULL, 'f'},
                                        {"quiet", no_argument, NULL, 'q'},
                                        {"help", no_argument, NULL, 'h'},
                                        {"version", no_argument, NULL, 'V'},
                                        {NULL, 0, NULL, 0}};
  int opt, since_given = 0, rc;
  memset(a, 0, sizeof *a);
  opterr = 0;
  optind = 0; /* glibc: start afresh, even after an earlier parse */
  while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
    if (opt == '?' || opt == ':') return fouille__cli_bad_option(err, TOOL, argv, optind, optopt);
    since_given |= opt == 's' || opt == 'i' || opt == 'f';
    if ((rc = one_option(a, opt, err))) return rc;
  }
  if (a->action != FOUILLE__CLI_RUN) return FOUILLE__CLI_OK;
  if (optind < argc) return fouille__cli_usage_line(err, TOOL, "unexpected argument", argv[optind]);
  if (!a->mode)
    return fouille__cli_usage_line(err, TOOL, "give --cursor, --bulk, --compact or --opensearch-template", NULL);
  if (since_given && a->mode != FOUILLE__EXPORT_BULK)
    return fouille__cli_usage_line(err, TOOL, "--since, --index and --cursor-file go with --bulk",
                                   NULL);
  return FOUILLE__CLI_OK;
}
