/* Fouille: French full-text search for article archives, on SQLite FTS5.
 * The one header users include (the HTTP server, in its own library
 * libfouille-http, is declared in fouille/http.h). */
#ifndef FOUILLE_H
#define FOUILLE_H

#include "fouille/common.h"
#include "fouille/analyzer.h"
#include "fouille/index.h"
#include "fouille/query.h"
#include "fouille/fts5.h"
#include "fouille/export.h"
#include "fouille/opensearch.h"

#endif
