/* Private to fouille-index: its command line parsed into a struct
 * (index_args.c), apart from main so that it can be tested and fuzzed. */
#ifndef FOUILLE_CLI_INDEX_ARGS_H
#define FOUILLE_CLI_INDEX_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "args_common.h"

#define FOUILLE__INDEX_MAX_FILE_MB (1ull << 40) /* --max-file-size, in MB */
#define FOUILLE__INDEX_BATCH_MAX 10000000       /* --batch */

typedef struct fouille__index_args {
  fouille__cli_action action;
  const char *db; /* --db, or NULL: $FOUILLE_DB or ./fouille.db */
  int rebuild, optimize, check, stats, dry_run, no_delete, quiet, json;
  const char **excludes; /* --exclude GLOBs (the array is owned) */
  size_t n_excludes;
  uint64_t max_bytes; /* --max-file-size in bytes, 0: the library's default */
  size_t batch;       /* --batch, 0: the library's default */
  const char *forget; /* --forget ROOT, or NULL */
  const char *input;  /* --stdin NAME, or NULL */
  int watch;          /* --watch: follow the PATHs (or every root) after the update */
  int update;         /* PATHs given, or nothing else asked: update every root */
  char **paths;       /* the PATHs: points into argv */
  int n_paths;
} fouille__index_args;

/* Parses argv[0..argc) (argv[0] the program; getopt_long may reorder argv,
 * and the strings must outlive *a). On success returns FOUILLE__CLI_OK with
 * *a filled; on a usage error writes one line on err and returns
 * FOUILLE__CLI_USAGE; out of memory: one line, FOUILLE__CLI_FAIL. Never
 * exits nor writes to stdout. Free *a with fouille__index_args_free in
 * every case. Uses getopt_long: not thread-safe. */
int fouille__index_args_parse(fouille__index_args *a, int argc, char **argv, FILE *err);

void fouille__index_args_free(fouille__index_args *a);

#endif
