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

/* Prints {"update": …, "check": …, "stats": …} (NULL parts left out) on
 * out, with a newline. check_status is a FOUILLE_… code, check_msg its
 * message. Returns 0, or -1 when out of memory. */
int fouille__cli_json(FILE *out, const fouille_update_summary *update, int dry_run,
                      const int *check_status, const char *check_msg, const fouille_stats *stats);

#endif
