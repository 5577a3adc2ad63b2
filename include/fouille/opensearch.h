/* Fouille on OpenSearch or Elasticsearch: the index template that rebuilds
 * the fouille_fr analysis from the engines' built-in analysis components,
 * generated from the analyzer's own tables. See docs/opensearch-analysis.md. */
#ifndef FOUILLE_OPENSEARCH_H
#define FOUILLE_OPENSEARCH_H

#include <stddef.h>

#include "fouille/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FOUILLE_OPENSEARCH_OPTIONS_VERSION 1

/* What the template may vary. */
typedef struct fouille_opensearch_options {
  int version;               /* FOUILLE_OPENSEARCH_OPTIONS_VERSION */
  const char *index_pattern; /* index names it applies to; NULL: "fouille*" */
  int shards;                /* index.number_of_shards; 0: left to the cluster */
  int replicas;              /* index.number_of_replicas; -1: left to the cluster */
} fouille_opensearch_options;

#define FOUILLE_OPENSEARCH_OPTIONS_INIT                                                            \
  { FOUILLE_OPENSEARCH_OPTIONS_VERSION, NULL, 0, -1 }

/* Sets *options to the defaults of that version. Returns FOUILLE_OK, or
 * FOUILLE_EINVAL for a version this library does not know. */
FOUILLE_EXTERN int fouille_opensearch_options_init(fouille_opensearch_options *options,
                                                   int version);

/* Writes into *out_json a new NUL-terminated UTF-8 string (free it with
 * free()): a composable index template (PUT _index_template/NAME) holding
 * the analysis settings (char filters, the standard tokenizer, token
 * filters, the analyzers fouille_fr for indexing and phrases and
 * fouille_fr_search for words), the mappings of title, body, date, source
 * and url, and in _meta the analyzer version and the highlighting
 * parameters for passages. The same library always gives the same bytes.
 * options may be NULL (defaults). Returns FOUILLE_OK; FOUILLE_EINVAL (bad
 * options: unknown version, negative shards, replicas below -1, an empty
 * pattern; *out_json is then NULL) or FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_opensearch_template(char **out_json,
                                               const fouille_opensearch_options *options);

#ifdef __cplusplus
}
#endif
#endif
