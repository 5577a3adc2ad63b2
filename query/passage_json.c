/* The one JSON writer for passages, shared by fouille_results_to_json and
 * the fouille_passages() SQL function: [{"text":…,"highlights":[[start,
 * end],…]},…], offsets in code points of the text (JavaScript and Python
 * slice with them), and JSON strings with invalid UTF-8 mended. */
#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "query_private.h"
#include "utf8.h"

json_t *fouille__json_text(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  fouille__buf b = FOUILLE__BUF_INIT; /* refused: invalid UTF-8 */
  fouille__buf_add_mended(&b, s, strlen(s));
  const char *t = fouille__buf_cstr(&b);
  j = t ? json_string(t) : NULL;
  fouille__buf_free(&b);
  return j;
}

/* Code points before byte `at` of text (len bytes), at clamped to len. */
static json_int_t code_points(const char *text, size_t len, size_t at) {
  return (json_int_t)fouille__utf8_count(text, at < len ? at : len);
}

static json_t *highlights(const fouille_passage *p) {
  size_t len = strlen(p->text);
  json_t *spans = json_array();
  for (size_t i = 0; spans && i < p->n_spans; i++) {
    json_int_t a = code_points(p->text, len, p->spans[i].start);
    json_int_t b = code_points(p->text, len, p->spans[i].end);
    if (json_array_append_new(spans, json_pack("[II]", a, b > a ? b : a)))
      json_decref(spans), spans = NULL;
  }
  return spans;
}

json_t *fouille__passages_json(const fouille_passage *ps, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n; i++) {
    json_t *spans = highlights(&ps[i]), *o = NULL;
    if (spans)
      o = json_pack("{s:o, s:o}", "text", fouille__json_text(ps[i].text), "highlights", spans);
    if (json_array_append_new(arr, o)) json_decref(arr), arr = NULL;
  }
  return arr;
}
