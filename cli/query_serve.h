/* Private to fouille-query: --serve (query_serve.c). */
#ifndef FOUILLE_CLI_QUERY_SERVE_H
#define FOUILLE_CLI_QUERY_SERVE_H

#include "query_args.h"

/* Serves the index db over HTTP as a asks until SIGINT or SIGTERM. Returns
 * the exit code: 0 stopped cleanly, 3 cannot listen. */
int fouille__query_serve(const fouille__query_args *a, const char *db);

#endif
