/* Private to the HTTP server: routing and request-parameter validation,
 * kept free of libmicrohttpd so they can be unit-tested and fuzzed. */
#ifndef FOUILLE_HTTP_PRIVATE_H
#define FOUILLE_HTTP_PRIVATE_H

#include <stddef.h>

#include "fouille/query.h"

#define FOUILLE__HTTP_URI_MAX 8192 /* bytes of request line target */
#define FOUILLE__HTTP_Q_MAX 4096   /* bytes of the q parameter */
#define FOUILLE__HTTP_LIMIT_MAX 100
#define FOUILLE__HTTP_OFFSET_MAX 10000
#define FOUILLE__HTTP_PASSAGES_MAX 10
#define FOUILLE__HTTP_PASSAGE_LENGTH_MAX 2000
#define FOUILLE__HTTP_SOURCES_MAX 32 /* source parameters in one request */

typedef enum fouille__http_route {
  FOUILLE__ROUTE_NONE = 0, /* unknown path: 404 */
  FOUILLE__ROUTE_SEARCH,
  FOUILLE__ROUTE_ARTICLE,
  FOUILLE__ROUTE_STATS,
  FOUILLE__ROUTE_HEALTH,
  FOUILLE__ROUTE_ARTICLES, /* /articles itself: POST with writes on */
  FOUILLE__ROUTE_PAGE      /* the search page: /, /page.css, /page.js */
} fouille__http_route;

/* Maps a (percent-decoded) path to a route; for ROUTE_ARTICLE *key points
 * into path at the article key (never empty). */
fouille__http_route fouille__http_route_of(const char *path, const char **key);

/* A /search request being validated. q and the option strings point into
 * the caller's parameter values, which must outlive it. */
typedef struct fouille__http_search {
  const char *q;
  fouille_search_options options;
  const char *sources[FOUILLE__HTTP_SOURCES_MAX]; /* each source parameter */
  size_t n_sources;
} fouille__http_search;

/* Defaults: no q, the library's defaults for the rest. */
void fouille__http_search_init(fouille__http_search *s);

/* Applies one query-string parameter (name and value as decoded, value may
 * be NULL for "?name"). FOUILLE_EINVAL with a one-line message naming the
 * parameter when the name is unknown or the value is bad. */
int fouille__http_search_param(fouille__http_search *s, const char *name, const char *value);

/* Final checks once every parameter is in: q present and not blank. (One
 * source parameter sets options.source, several options.sources, which
 * then points into s.) */
int fouille__http_search_finish(fouille__http_search *s);

#endif
