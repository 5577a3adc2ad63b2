/* fouille_opensearch_template: the composable index template for OpenSearch
 * and Elasticsearch (settings with the analysis of opensearch_analysis.c,
 * the mappings of an article's fields, and the highlighting parameters
 * that give sentence passages), as indented JSON. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fouille/analyzer.h"
#include "fouille/opensearch.h"
#include "opensearch_private.h"

static json_t *text_field(void) {
  /* Offsets in the postings: the unified highlighter needs no re-analysis. */
  return json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "text", "analyzer", "fouille_fr",
                   "search_analyzer", "fouille_fr_search", "search_quote_analyzer", "fouille_fr",
                   "index_options", "offsets");
}

/* Passages as Fouille makes them: whole sentences holding the query's words. */
static json_t *highlight(void) {
  return json_pack("{s:s, s:s, s:s, s:i, s:i, s:[s], s:[s], s:{s:{}, s:{s:i}}}", "type", "unified",
                   "boundary_scanner", "sentence", "boundary_scanner_locale", "fr-FR",
                   "fragment_size", 200, "number_of_fragments", 3, "pre_tags", "<mark>",
                   "post_tags", "</mark>", "fields", "body", "title", "number_of_fragments", 0);
}

static json_t *mappings(void) {
  return json_pack("{s:b, s:{s:{s:i, s:s, s:o}}, s:{s:o, s:o, s:{s:s, s:s}, s:{s:s}, s:{s:s}}}",
                   "dynamic", 0, "_meta", "fouille", "analyzer_version", FOUILLE_ANALYZER_VERSION,
                   "generated_by", "fouille-export --opensearch-template", "highlight", highlight(),
                   "properties", "title", text_field(), "body", text_field(), "date", "type",
                   "date", "format", "strict_date_optional_time", "source", "type", "keyword",
                   "url", "type", "keyword");
}

static json_t *settings(const fouille_opensearch_options *o) {
  json_t *index = json_object(), *s = json_object();
  if (index && o->shards > 0)
    json_object_set_new(index, "number_of_shards", json_integer(o->shards));
  if (index && o->replicas >= 0)
    json_object_set_new(index, "number_of_replicas", json_integer(o->replicas));
  json_object_set_new(s, "index", index);
  json_object_set_new(s, "analysis", fouille__opensearch_analysis());
  if (!json_object_get(s, "index") || !json_object_get(s, "analysis")) return json_decref(s), NULL;
  return s;
}

static int check_options(const fouille_opensearch_options *o) {
  if (o->version != FOUILLE_OPENSEARCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_opensearch_options: unknown version %d",
                          o->version);
  if (o->shards < 0) return fouille__error(FOUILLE_EINVAL, "shards: %d is not a count", o->shards);
  if (o->replicas < -1)
    return fouille__error(FOUILLE_EINVAL, "replicas: %d is not a count", o->replicas);
  if (o->index_pattern && !o->index_pattern[0])
    return fouille__error(FOUILLE_EINVAL, "index pattern: empty");
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_opensearch_options_init(fouille_opensearch_options *options,
                                                   int version) {
  if (version != FOUILLE_OPENSEARCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_opensearch_options: unknown version %d",
                          version);
  *options = (fouille_opensearch_options)FOUILLE_OPENSEARCH_OPTIONS_INIT;
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_opensearch_template(char **out_json,
                                               const fouille_opensearch_options *options) {
  static const fouille_opensearch_options defaults = FOUILLE_OPENSEARCH_OPTIONS_INIT;
  const fouille_opensearch_options *o = options ? options : &defaults;
  *out_json = NULL;
  int rc = check_options(o);
  if (rc) return rc;
  json_t *t = json_pack(
      "{s:[s], s:i, s:{s:s, s:i}, s:{s:o, s:o}}", "index_patterns",
      o->index_pattern ? o->index_pattern : "fouille*", "priority", 100, "_meta", "description",
      "Fouille's French analysis (fouille_fr) on built-in components", "analyzer_version",
      FOUILLE_ANALYZER_VERSION, "template", "settings", settings(o), "mappings", mappings());
  char *s = t ? json_dumps(t, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(t);
  if (!s) return fouille__error(FOUILLE_ENOMEM, "out of memory writing the OpenSearch template");
  size_t n = strlen(s);
  char *out = realloc(s, n + 2);
  if (!out) return free(s), fouille__error(FOUILLE_ENOMEM, "out of memory");
  out[n] = '\n', out[n + 1] = '\0';
  *out_json = out;
  return FOUILLE_OK;
}
