/* fouille_results_to_json: the one JSON form of search results, shared by
 * fouille-query --json and the HTTP API. Highlight offsets are converted
 * from bytes to Unicode code points of the passage text, so that
 * JavaScript and Python can slice the text with them directly:
 *   {"query","total","fallback","did_you_mean","corrected",
 *    "hits":[{"key","title","date","source","url",
 *    "score","passages":[{"text","highlights":[[start,end],…]}]}]}
 * Absent fields are null; passages are written by passage_json.c. */
#include <jansson.h>
#include <math.h>

#include "error.h"
#include "fouille/query.h"
#include "query_private.h"

static json_t *hit_json(const fouille_hit *h) {
  json_t *ps = fouille__passages_json(h->passages, h->n_passages);
  if (!ps) return NULL;
  json_t *score = isfinite(h->score) ? json_real(h->score) : json_null();
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "key", fouille__json_text(h->key),
                   "title", fouille__json_text(h->title), "date", fouille__json_text(h->date),
                   "source", fouille__json_text(h->source), "url", fouille__json_text(h->url),
                   "score", score, "passages", ps);
}

/* "facets": {"source": {"AFP": 21, …}, "year": {…}, "month": {…}} when asked. */
static int facets_json(json_t *root, const fouille_results *res) {
  json_t *all = NULL;
  for (unsigned i = 0; i < FOUILLE__FACET_COUNT; i++) {
    size_t n;
    const fouille_facet_value *v = fouille_results_facet(res, (fouille_facet)(1u << i), &n);
    json_t *obj = v ? json_object() : NULL;
    for (size_t j = 0; obj && j < n; j++) /* a name not valid UTF-8 is left out */
      (void)json_object_set_new(obj, v[j].value, json_integer((json_int_t)v[j].count));
    if (!v) continue;
    if (!all && !(all = json_object())) return json_decref(obj), -1;
    if (!obj || json_object_set_new(all, fouille__facet_names[i], obj)) return json_decref(all), -1;
  }
  return all ? json_object_set_new(root, "facets", all) : 0;
}

FOUILLE_EXTERN int fouille_results_to_json(char **out, const fouille_results *res) {
  *out = NULL;
  json_t *hits = json_array(), *root = NULL;
  for (size_t i = 0; hits && i < fouille_results_count(res); i++)
    if (json_array_append_new(hits, hit_json(fouille_results_hit(res, i))))
      json_decref(hits), hits = NULL;
  if (hits)
    root = json_pack(
        "{s:o, s:I, s:b, s:o, s:b, s:o}", "query", fouille__json_text(fouille_results_query(res)),
        "total", (json_int_t)fouille_results_total(res), "fallback", fouille_results_fallback(res),
        "did_you_mean", fouille__json_text(fouille_results_did_you_mean(res)), "corrected",
        fouille_results_corrected(res), "hits", hits);
  if (root && facets_json(root, res)) json_decref(root), root = NULL;
  if (root) *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!*out) return fouille__error(FOUILLE_ENOMEM, "out of memory writing JSON");
  return FOUILLE_OK;
}
