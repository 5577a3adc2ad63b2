/* The promises of the command-line parsers (cli/query_args.c,
 * cli/index_args.c, cli/export_args.c), checked by the fuzz targets
 * fuzz_cli_query and fuzz_cli_index and by tests/check_cli_args.c: any argument vector gives
 * an exit code of 0, 2 or 3, at most one line of message (none on
 * success; printable, bounded), and values within their documented
 * ranges. Each check returns NULL, or what was broken. */
#ifndef FOUILLE_CLI_ARGS_PROPS_H
#define FOUILLE_CLI_ARGS_PROPS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_args.h"
#include "index_args.h"
#include "query_args.h"

#define CLI_PROPS_MESSAGE_MAX 400 /* bytes of the one line */

/* The message: none on success, else one printable line ending in '\n'. */
static inline const char *cli_props_message(int rc, const char *msg, size_t len) {
  if (rc != FOUILLE__CLI_OK && rc != FOUILLE__CLI_USAGE && rc != FOUILLE__CLI_FAIL)
    return "exit code not 0, 2 or 3";
  if (rc == FOUILLE__CLI_OK) return len ? "a message on success" : NULL;
  if (len == 0 || msg[len - 1] != '\n') return "an error without a one-line message";
  if (len > CLI_PROPS_MESSAGE_MAX) return "a message too long";
  for (size_t i = 0; i + 1 < len; i++)
    if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f) return "a control character in the message";
  return NULL;
}

static inline const char *cli_props_query(int rc, const fouille__query_args *a, const char *msg,
                                          size_t len) {
  const char *bad = cli_props_message(rc, msg, len);
  const fouille_search_options *o = &a->so;
  if (bad || rc != FOUILLE__CLI_OK || a->action != FOUILLE__CLI_RUN) return bad;
  if (o->limit < 0 || o->limit > FOUILLE__QUERY_LIMIT_MAX || o->offset < 0 || o->passages < 0 ||
      o->passages > FOUILLE__QUERY_PASSAGES_MAX || o->passage_length < 1 ||
      o->passage_length > FOUILLE__QUERY_PASSAGE_LENGTH_MAX)
    return "a search option out of range";
  if (a->color < -1 || a->color > 1 || a->output < FOUILLE__OUT_TEXT ||
      a->output > FOUILLE__OUT_COUNT)
    return "a bad --color or output";
  if (a->max_connections < 0 || a->max_connections > FOUILLE__QUERY_CONNECTIONS_MAX ||
      a->max_per_ip < 0 || a->max_per_ip > FOUILLE__QUERY_CONNECTIONS_MAX)
    return "a connection limit out of range";
  if (!a->serve) return a->query ? NULL : "no QUERY";
  if (a->query) return "a QUERY with --serve";
  if (a->port < 0 || a->port > 65535) return "--serve port out of range";
  if (!memchr(a->address, '\0', sizeof a->address) || !a->address[0] || strpbrk(a->address, "[]"))
    return "a bad --serve address";
  return NULL;
}

static inline const char *cli_props_index(int rc, const fouille__index_args *a, int argc,
                                          char **argv, const char *msg, size_t len) {
  const char *bad = cli_props_message(rc, msg, len);
  if (bad || rc != FOUILLE__CLI_OK || a->action != FOUILLE__CLI_RUN) return bad;
  if (a->n_paths < 0 || a->n_paths >= argc || a->paths < argv ||
      a->paths + a->n_paths > argv + argc)
    return "PATHs outside the argument vector";
  /* Without PATH an update means every recorded root; --forget and --stdin
   * take no PATH, --stdin no --dry-run. */
  if (!a->n_paths && !a->update && !a->check && !a->stats && !a->optimize && !a->forget &&
      !a->input)
    return "nothing to do";
  if ((a->forget || a->input) && a->n_paths) return "a PATH with --forget or --stdin";
  if (a->input && a->dry_run) return "--stdin with --dry-run";
  if (a->batch > FOUILLE__INDEX_BATCH_MAX || a->max_bytes > (FOUILLE__INDEX_MAX_FILE_MB << 20) ||
      a->n_excludes > (size_t)argc)
    return "an option out of range";
  return NULL;
}

static inline const char *cli_props_export(int rc, const fouille__export_args *a, const char *msg,
                                           size_t len) {
  const char *bad = cli_props_message(rc, msg, len);
  if (bad || rc != FOUILLE__CLI_OK || a->action != FOUILLE__CLI_RUN) return bad;
  if (a->mode != FOUILLE__EXPORT_CURSOR && a->mode != FOUILLE__EXPORT_BULK &&
      a->mode != FOUILLE__EXPORT_COMPACT)
    return "no mode";
  if (a->mode != FOUILLE__EXPORT_BULK && (a->since || a->index_name || a->cursor_file))
    return "a --bulk option without --bulk";
  if (a->since > (uint64_t)INT64_MAX || a->compact > (uint64_t)INT64_MAX)
    return "a cursor out of range";
  if (a->index_name && !a->index_name[0]) return "an empty --index";
  return NULL;
}

static inline int cli_props_run_export(fouille__export_args *a, int argc, char **argv, char **msg,
                                       size_t *len) {
  FILE *err = open_memstream(msg, len);
  if (!err) abort();
  int rc = fouille__export_args_parse(a, argc, argv, err);
  fclose(err);
  return rc;
}

/* Parses with the query parser, its message into a memory stream. */
static inline int cli_props_run_query(fouille__query_args *a, int argc, char **argv, char **msg,
                                      size_t *len) {
  FILE *err = open_memstream(msg, len);
  if (!err) abort();
  int rc = fouille__query_args_parse(a, argc, argv, err);
  fclose(err);
  return rc;
}

static inline int cli_props_run_index(fouille__index_args *a, int argc, char **argv, char **msg,
                                      size_t *len) {
  FILE *err = open_memstream(msg, len);
  if (!err) abort();
  int rc = fouille__index_args_parse(a, argc, argv, err);
  fclose(err);
  return rc;
}

/* data split on NUL bytes into argv[1..] (argv[0] is name), for the fuzz
 * targets; the caller frees the vector and *buf. */
static inline char **cli_props_split_args(const unsigned char *data, size_t size, const char *name,
                                          char **buf, int *argc) {
  size_t n = 3; /* argv[0], the last piece, NULL */
  for (size_t i = 0; i < size; i++) n += data[i] == 0;
  char **argv = malloc(n * sizeof *argv);
  *buf = malloc(size + 1);
  if (!argv || !*buf) abort();
  memcpy(*buf, data, size);
  (*buf)[size] = '\0';
  argv[0] = (char *)name;
  *argc = 1;
  for (char *p = *buf; size && p <= *buf + size; p += strlen(p) + 1) argv[(*argc)++] = p;
  argv[*argc] = NULL;
  return argv;
}

#endif
