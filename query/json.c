/* fouille_results_to_json: the one JSON form of search results, shared by
 * fouille-query --json and the HTTP API. Highlight offsets are converted
 * from bytes to Unicode code points of the passage text, so that
 * JavaScript and Python can slice the text with them directly:
 *   {"query","total","fallback","did_you_mean","corrected",
 *    "hits":[{"key","title","date","source","url",
 *    "score","passages":[{"text","highlights":[[start,end],…]}]}]}
 * Absent fields are null. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fouille/query.h"

/* Code points in the first n bytes of s (continuation bytes don't count). */
static size_t code_points(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n && s[i]; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* A JSON string, or null for NULL; invalid UTF-8 becomes U+FFFD. */
static json_t *str(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  size_t n = strlen(s);
  char *t = malloc(n * 3 + 1), *w = t;
  if (!t) return NULL;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x80)
      *w++ = (char)*p;
    else
      memcpy(w, "\xEF\xBF\xBD", 3), w += 3;
  }
  *w = '\0';
  j = json_string(t);
  free(t);
  return j;
}

static json_t *passage_json(const fouille_passage *p) {
  json_t *spans = json_array();
  for (size_t i = 0; spans && i < p->n_spans; i++) {
    size_t a = code_points(p->text, p->spans[i].start);
    size_t b = a + code_points(p->text + p->spans[i].start, p->spans[i].end - p->spans[i].start);
    if (json_array_append_new(spans, json_pack("[II]", (json_int_t)a, (json_int_t)b))) {
      json_decref(spans);
      return NULL;
    }
  }
  return spans ? json_pack("{s:o, s:o}", "text", str(p->text), "highlights", spans) : NULL;
}

static json_t *hit_json(const fouille_hit *h) {
  json_t *ps = json_array();
  for (size_t i = 0; ps && i < h->n_passages; i++)
    if (json_array_append_new(ps, passage_json(&h->passages[i]))) json_decref(ps), ps = NULL;
  if (!ps) return NULL;
  json_t *score = isfinite(h->score) ? json_real(h->score) : json_null();
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "key", str(h->key), "title",
                   str(h->title), "date", str(h->date), "source", str(h->source), "url",
                   str(h->url), "score", score, "passages", ps);
}

FOUILLE_EXTERN int fouille_results_to_json(char **out, const fouille_results *res) {
  *out = NULL;
  json_t *hits = json_array(), *root = NULL;
  for (size_t i = 0; hits && i < fouille_results_count(res); i++)
    if (json_array_append_new(hits, hit_json(fouille_results_hit(res, i))))
      json_decref(hits), hits = NULL;
  if (hits)
    root = json_pack("{s:o, s:I, s:b, s:o, s:b, s:o}", "query", str(fouille_results_query(res)),
                     "total", (json_int_t)fouille_results_total(res), "fallback",
                     fouille_results_fallback(res), "did_you_mean",
                     str(fouille_results_did_you_mean(res)), "corrected",
                     fouille_results_corrected(res), "hits", hits);
  if (root) *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!*out) return fouille__error(FOUILLE_ENOMEM, "out of memory writing JSON");
  return FOUILLE_OK;
}
