/* Private to the command-line tools: what both option parsers share (the
 * one-line usage message, numbers). Pure: no exit, no stdout. */
#ifndef FOUILLE_CLI_ARGS_COMMON_H
#define FOUILLE_CLI_ARGS_COMMON_H

#include <stdio.h>

/* Exit codes of both tools. */
enum { FOUILLE__CLI_OK = 0, FOUILLE__CLI_USAGE = 2, FOUILLE__CLI_FAIL = 3 };

/* What a command line asks for, once parsed. */
typedef enum fouille__cli_action {
  FOUILLE__CLI_RUN = 0, /* search, serve or index */
  FOUILLE__CLI_HELP,    /* print the usage text on stdout, exit 0 */
  FOUILLE__CLI_VERSION  /* print the version on stdout, exit 0 */
} fouille__cli_action;

/* Writes "TOOL: MSG ARG\n" on err, ARG (if not NULL) cut to 80
 * bytes at a character boundary and with control characters shown as '?',
 * so that the message is one line whatever the argument holds. Returns
 * FOUILLE__CLI_USAGE. */
int fouille__cli_usage_line(FILE *err, const char *tool, const char *msg, const char *arg);

/* The usage line for getopt_long's '?' (unknown option, or one missing its
 * argument): names the short option opt (1-255) or the argument
 * argv[ind - 1]. Returns FOUILLE__CLI_USAGE. */
int fouille__cli_bad_option(FILE *err, const char *tool, char **argv, int ind, int opt);

/* A decimal integer from min to max, digits only (a leading '+' or '-' and
 * spaces are refused). 0 and *out set, or -1. */
int fouille__cli_parse_int(const char *s, long long min, long long max, long long *out);

#endif
