/* Private to fouille-export: its command line parsed into a struct
 * (export_args.c), apart from main so that it can be tested; the modes run
 * in export_run.c. main (fouille_export.c) only dispatches. */
#ifndef FOUILLE_CLI_EXPORT_ARGS_H
#define FOUILLE_CLI_EXPORT_ARGS_H

#include <stdint.h>
#include <stdio.h>

#include "args_common.h"

typedef enum fouille__export_mode {
  FOUILLE__EXPORT_NONE = 0,
  FOUILLE__EXPORT_CURSOR,  /* --cursor */
  FOUILLE__EXPORT_BULK,    /* --bulk */
  FOUILLE__EXPORT_COMPACT, /* --compact CURSOR */
  FOUILLE__EXPORT_OTHER    /* a mode parsed elsewhere (first free value) */
} fouille__export_mode;

typedef struct fouille__export_args {
  fouille__cli_action action;
  fouille__export_mode mode;
  const char *db;          /* --db, or NULL: $FOUILLE_DB or ./fouille.db */
  uint64_t since;          /* --since CURSOR (0: everything) */
  uint64_t compact;        /* --compact CURSOR */
  const char *index_name;  /* --index NAME, or NULL */
  const char *cursor_file; /* --cursor-file FILE, or NULL */
  int quiet;               /* --quiet: nothing on stderr but errors */
} fouille__export_args;

/* Parses argv[0..argc). FOUILLE__CLI_OK with *a filled, or one line on err
 * and FOUILLE__CLI_USAGE. Never exits nor writes to stdout. getopt_long:
 * not thread-safe. */
int fouille__export_args_parse(fouille__export_args *a, int argc, char **argv, FILE *err);

/* The usage text. */
void fouille__export_usage(FILE *out);

/* The modes (export_run.c): exit codes FOUILLE__CLI_OK, _USAGE (a cursor
 * the index refuses), _FAIL. */
int fouille__export_cursor_run(const fouille__export_args *a);
int fouille__export_bulk_run(const fouille__export_args *a);
int fouille__export_compact_run(const fouille__export_args *a);

#endif
