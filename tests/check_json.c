/* fouille_results_to_json: valid JSON (parsed back with jansson), the
 * documented fields, null for absent ones, and highlight offsets in code
 * points of the passage text, with accents and emoji before the match. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "test_util.h"

static char *dir;
static fouille_index *ix;
static fouille_results *res;
static json_t *root;

static const char archive[] =
    "{\"id\":\"e1\",\"title\":\"L’été à vélo\",\"body\":\"Café ☕ et crêpes 🥞🚲 : le "
    "vélo "
    "électrique séduit les Français. Un vélo coûte cher.\",\"date\":\"2024-07-14\","
    "\"source\":\"Été \\\"Infos\\\"\",\"url\":\"https://exemple.fr/e1\"}\n"
    "{\"id\":\"e2\",\"title\":\"Sans date\",\"body\":\"Les trains arrivent en gare.\"}\n";

static void setup(void) {
  dir = test_tmpdir();
  test_write(dir, "arch/ete.jsonl", archive, (size_t)-1);
  char db[4096], arch[4096];
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  const char *paths[] = {arch};
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_update(NULL, ix, paths, 1, NULL), FOUILLE_OK);
}

static void teardown(void) {
  json_decref(root), root = NULL;
  fouille_results_free(res), res = NULL;
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir);
}

/* Searches q and parses the JSON back into root. */
static void to_json(const char *q) {
  char *s = NULL;
  json_error_t err;
  fouille_results_free(res), res = NULL;
  json_decref(root), root = NULL;
  ck_assert_int_eq(fouille_search(&res, ix, q, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_results_to_json(&s, res), FOUILLE_OK);
  root = json_loads(s, 0, &err);
  ck_assert_msg(root != NULL, "invalid JSON: %s: %s", err.text, s);
  free(s);
}

/* The UTF-8 bytes of code points [a, b) of s, in a static buffer. */
static const char *slice(const char *s, size_t a, size_t b) {
  static char out[256];
  size_t cp = 0, n = 0;
  for (const char *p = s; *p; p++) {
    int lead = ((unsigned char)*p & 0xC0) != 0x80;
    if (lead) cp++;
    if (cp > a && cp <= b && n < sizeof out - 1) out[n++] = *p;
  }
  out[n] = '\0';
  return out;
}

START_TEST(fields) {
  to_json("velo");
  ck_assert_str_eq(json_string_value(json_object_get(root, "query")), "velo");
  ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 1);
  ck_assert(json_is_false(json_object_get(root, "fallback")));
  json_t *hits = json_object_get(root, "hits");
  ck_assert_uint_eq(json_array_size(hits), 1);
  json_t *h = json_array_get(hits, 0);
  ck_assert_str_eq(json_string_value(json_object_get(h, "title")), "L’été à vélo");
  ck_assert_str_eq(json_string_value(json_object_get(h, "date")), "2024-07-14");
  ck_assert_str_eq(json_string_value(json_object_get(h, "source")), "Été \"Infos\"");
  ck_assert_str_eq(json_string_value(json_object_get(h, "url")), "https://exemple.fr/e1");
  ck_assert(json_is_real(json_object_get(h, "score")));
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(h, "key")), "#e1"));
}
END_TEST

START_TEST(nulls) {
  to_json("trains");
  json_t *h = json_array_get(json_object_get(root, "hits"), 0);
  ck_assert(json_is_null(json_object_get(h, "date")));
  ck_assert(json_is_null(json_object_get(h, "source")));
  ck_assert(json_is_null(json_object_get(h, "url")));
}
END_TEST

START_TEST(code_point_offsets) {
  to_json("velo electrique");
  json_t *ps = json_object_get(json_array_get(json_object_get(root, "hits"), 0), "passages");
  ck_assert_uint_ge(json_array_size(ps), 1);
  json_t *p = json_array_get(ps, 0);
  const char *text = json_string_value(json_object_get(p, "text"));
  json_t *hl = json_object_get(p, "highlights");
  ck_assert_uint_ge(json_array_size(hl), 2);
  size_t i, seen_velo = 0, seen_elec = 0;
  json_t *span;
  json_array_foreach(hl, i, span) {
    size_t a = (size_t)json_integer_value(json_array_get(span, 0));
    size_t b = (size_t)json_integer_value(json_array_get(span, 1));
    ck_assert_uint_lt(a, b);
    const char *w = slice(text, a, b);
    ck_assert_msg(!strcmp(w, "vélo") || !strcmp(w, "électrique"), "span [%zu,%zu] = '%s'", a, b, w);
    seen_velo += !strcmp(w, "vélo"), seen_elec += !strcmp(w, "électrique");
  }
  ck_assert(seen_velo >= 1 && seen_elec == 1);
}
END_TEST

START_TEST(fallback_and_empty) {
  to_json("velo trains");
  ck_assert(json_is_true(json_object_get(root, "fallback")));
  ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 2);
  to_json("xylophone \"\\ \x01");
  ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 0);
  ck_assert_uint_eq(json_array_size(json_object_get(root, "hits")), 0);
  ck_assert_str_eq(json_string_value(json_object_get(root, "query")), "xylophone \"\\ \x01");
}
END_TEST

int main(void) {
  Suite *s = suite_create("json");
  TCase *t = tcase_create("core");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, fields);
  tcase_add_test(t, nulls);
  tcase_add_test(t, code_point_offsets);
  tcase_add_test(t, fallback_and_empty);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
