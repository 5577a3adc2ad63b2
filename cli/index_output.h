/* Private: formatting for fouille-index (index_output.c): the progress bar,
 * the summary line, stats as text, and the JSON documents of --json. */
#ifndef FOUILLE_INDEX_OUTPUT_H
#define FOUILLE_INDEX_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "fouille/index.h"

/* Draws the progress bar on one terminal line of out (\r, no newline). */
void fouille__cli_progress(FILE *out, const fouille_progress *p);

/* Erases the progress bar line. */
void fouille__cli_progress_clear(FILE *out);

/* "120 added, 3 changed, 1 deleted, … 4127 articles in 3.2 s" into buf. */
void fouille__cli_summary(char *buf, size_t size, const fouille_update_summary *s);

/* Writes the stats as "name: value" lines. */
void fouille__cli_stats(FILE *out, const fouille_stats *s);

/* Writes the roots as "root: …" lines. */
void fouille__cli_roots(FILE *out, const fouille_roots *roots);

/* "NAME: 3 added, 1 updated, … in 0.1 s" (articles) into buf. */
void fouille__cli_stream_summary(char *buf, size_t size, const char *name,
                                 const fouille_update_summary *s);

/* "ROOT: 3 files, 12 articles deleted" into buf. */
void fouille__cli_forget_summary(char *buf, size_t size, const char *root,
                                 const fouille_update_summary *s, int dry_run);

/* What --json prints; NULL parts are left out. */
typedef struct fouille__cli_report {
  const fouille_update_summary *update; /* "update" */
  int dry_run;
  const int *check_status; /* "check": a FOUILLE_… code and its message */
  const char *check_msg;
  const fouille_stats *stats; /* "stats", with "roots" when roots is set */
  const fouille_roots *roots;
  const char *forget_root; /* "forget": the root and forget's summary */
  const fouille_update_summary *forget;
  const char *stream_root; /* "stream": --stdin's root and summary */
  const fouille_update_summary *stream;
} fouille__cli_report;

/* Prints the report as one JSON object on out, with a newline. Returns 0,
 * or -1 when out of memory. */
int fouille__cli_json(FILE *out, const fouille__cli_report *r);

#endif
