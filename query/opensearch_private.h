/* Private to the query engine: the parts of the OpenSearch template. */
#ifndef FOUILLE_OPENSEARCH_PRIVATE_H
#define FOUILLE_OPENSEARCH_PRIVATE_H

#include <jansson.h>

/* One character the analyzer maps to a string before segmenting (fold.c,
 * segment.c), as written into the mapping char filter. */
typedef struct fouille__char_map {
  unsigned from;
  const char *to;
} fouille__char_map;
extern const fouille__char_map fouille__opensearch_char_maps[]; /* ends with {0, NULL} */

/* The "analysis" settings object (new reference), or NULL out of memory. */
json_t *fouille__opensearch_analysis(void);

#endif
