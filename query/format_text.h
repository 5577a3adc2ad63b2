/* Private: the plain-text form of search results, used by fouille-query. */
#ifndef FOUILLE_FORMAT_TEXT_H
#define FOUILLE_FORMAT_TEXT_H

#include <stdio.h>

#include "fouille/query.h"

/* Prints results to out: per hit "N. Title — date — source — key" (N counts
 * from first_rank), its passages indented with highlights (ANSI bold colour
 * when color is non-zero, [brackets] otherwise), then "N matching articles"
 * and a line when the any-word fallback ran. Control characters in stored
 * text are printed as spaces. Returns 0 or FOUILLE_EIO. */
int fouille__results_print_text(FILE *out, const fouille_results *results, size_t first_rank,
                                int color);

/* Prints the keys of the hits, one per line, best first. */
int fouille__results_print_ids(FILE *out, const fouille_results *results);

#endif
