/* fouille-index's command line: options into fouille__index_args, the
 * PATHs after them (options and PATHs may mix). Bounded and pure (no exit,
 * no stdout; errors are one line on the stream given) so that
 * tests/check_cli_args.c and fuzz/fuzz_cli_index.c can call it with any
 * argument vector. */
#include "index_args.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define TOOL "fouille-index"

/* Option values from 256: getopt_long's optopt then tells a short option
 * (1-255) from a long one. */
enum {
  OPT_DB = 256,
  OPT_REBUILD,
  OPT_OPTIMIZE,
  OPT_CHECK,
  OPT_STATS,
  OPT_DRY_RUN,
  OPT_EXCLUDE,
  OPT_NO_DELETE,
  OPT_QUIET,
  OPT_JSON,
  OPT_MAX_FILE_SIZE,
  OPT_BATCH,
  OPT_HELP,
  OPT_VERSION,
  OPT_FORGET,
  OPT_STDIN,
  OPT_WATCH
};

static const struct option long_opts[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"rebuild", no_argument, NULL, OPT_REBUILD},
    {"optimize", no_argument, NULL, OPT_OPTIMIZE},
    {"check", no_argument, NULL, OPT_CHECK},
    {"stats", no_argument, NULL, OPT_STATS},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"no-delete", no_argument, NULL, OPT_NO_DELETE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"json", no_argument, NULL, OPT_JSON},
    {"max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"forget", required_argument, NULL, OPT_FORGET},
    {"stdin", required_argument, NULL, OPT_STDIN},
    {"watch", no_argument, NULL, OPT_WATCH},
    {NULL, 0, NULL, 0}};

static int add_exclude(fouille__index_args *a, const char *glob, FILE *err) {
  const char **p = realloc(a->excludes, (a->n_excludes + 1) * sizeof *p);
  if (!p) {
    fprintf(err, TOOL ": out of memory\n");
    return FOUILLE__CLI_FAIL;
  }
  a->excludes = p;
  a->excludes[a->n_excludes++] = glob;
  return FOUILLE__CLI_OK;
}

/* The options with a number: --max-file-size MB and --batch N, from 1. */
static int set_number(fouille__index_args *a, int opt, const char *arg, FILE *err) {
  long long n;
  if (opt == OPT_MAX_FILE_SIZE) {
    if (fouille__cli_parse_int(arg, 1, (long long)FOUILLE__INDEX_MAX_FILE_MB, &n))
      return fouille__cli_usage_line(err, TOOL, "bad --max-file-size:", arg);
    a->max_bytes = (uint64_t)n << 20;
  } else {
    if (fouille__cli_parse_int(arg, 1, FOUILLE__INDEX_BATCH_MAX, &n))
      return fouille__cli_usage_line(err, TOOL, "bad --batch:", arg);
    a->batch = (size_t)n;
  }
  return FOUILLE__CLI_OK;
}

/* The flags: which int each option without an argument sets. */
static int *flag_of(fouille__index_args *a, int opt) {
  switch (opt) {
  case OPT_REBUILD:
    return &a->rebuild;
  case OPT_OPTIMIZE:
    return &a->optimize;
  case OPT_CHECK:
    return &a->check;
  case OPT_STATS:
    return &a->stats;
  case OPT_DRY_RUN:
    return &a->dry_run;
  case OPT_NO_DELETE:
    return &a->no_delete;
  case OPT_QUIET:
    return &a->quiet;
  case OPT_JSON:
    return &a->json;
  case OPT_WATCH:
    return &a->watch;
  default:
    return NULL;
  }
}

static int set_option(fouille__index_args *a, int opt, const char *arg, FILE *err) {
  int *flag = flag_of(a, opt);
  if (flag) *flag = 1;
  if (opt == OPT_DB) a->db = arg;
  if (opt == OPT_FORGET) a->forget = arg;
  if (opt == OPT_STDIN) a->input = arg;
  if (opt == OPT_EXCLUDE) return add_exclude(a, arg, err);
  if (opt == OPT_MAX_FILE_SIZE || opt == OPT_BATCH) return set_number(a, opt, arg, err);
  return FOUILLE__CLI_OK;
}

/* Options that exclude each other; what the run does without PATH. */
static int check_combination(fouille__index_args *a, FILE *err) {
  if ((a->forget || a->input) && a->n_paths)
    return fouille__cli_usage_line(
        err, TOOL, a->input ? "--stdin takes no PATH" : "--forget takes no PATH", NULL);
  if (a->input && a->dry_run)
    return fouille__cli_usage_line(err, TOOL, "--stdin writes: no --dry-run", NULL);
  if (a->watch && (a->dry_run || a->forget || a->input || a->check || a->stats || a->json))
    return fouille__cli_usage_line(
        err, TOOL, "--watch goes with none of --dry-run --forget --stdin --check --stats --json",
        NULL);
  a->update = a->n_paths > 0 || !(a->check || a->stats || a->optimize || a->forget || a->input);
  return FOUILLE__CLI_OK;
}

int fouille__index_args_parse(fouille__index_args *a, int argc, char **argv, FILE *err) {
  int opt, rc;
  memset(a, 0, sizeof *a);
  optind = 0; /* glibc: start afresh, even after an earlier parse */
  opterr = 0;
  while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
    if (opt == OPT_HELP || opt == OPT_VERSION) {
      a->action = opt == OPT_HELP ? FOUILLE__CLI_HELP : FOUILLE__CLI_VERSION;
      return FOUILLE__CLI_OK;
    }
    if (opt == '?' || opt == ':') return fouille__cli_bad_option(err, TOOL, argv, optind, optopt);
    if ((rc = set_option(a, opt, optarg, err))) return rc;
  }
  a->paths = argv + optind;
  a->n_paths = argc > optind ? argc - optind : 0;
  return check_combination(a, err);
}

void fouille__index_args_free(fouille__index_args *a) {
  free(a->excludes);
  a->excludes = NULL;
  a->n_excludes = 0;
}
