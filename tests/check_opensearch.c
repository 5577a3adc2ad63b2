/* The OpenSearch template (fouille_opensearch_template): valid JSON, the
 * same bytes each time, every entry of the analyzer's tables in it, and
 * each of its rules giving the term the analyzer gives (the conformance
 * run, scripts/conformance-lucene, checks the whole chain against Lucene). */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "alternatives.h"
#include "analyzer_private.h"
#include "export_tables.h"
#include "fouille.h"
#include "opensearch_private.h"
#include "query_private.h"
#include "test_util.h"

static json_t *tpl;
static fouille_analyzer *an;

static void setup(void) {
  char *s = NULL;
  ck_assert_int_eq(fouille_opensearch_template(&s, NULL), FOUILLE_OK);
  json_error_t err;
  tpl = json_loads(s, 0, &err);
  ck_assert_msg(tpl != NULL, "template JSON: %s at line %d", err.text, err.line);
  free(s);
  ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK);
}

static void teardown(void) {
  json_decref(tpl);
  fouille_analyzer_free(an);
}

static json_t *analysis(const char *section, const char *name) {
  json_t *a =
      json_object_get(json_object_get(json_object_get(tpl, "template"), "settings"), "analysis");
  json_t *x = json_object_get(json_object_get(a, section), name);
  ck_assert_msg(x != NULL, "analysis.%s.%s missing", section, name);
  return x;
}

static int in_strings(json_t *array, const char *s) {
  size_t i;
  json_t *v;
  json_array_foreach(array, i, v) if (strcmp(json_string_value(v), s) == 0) return 1;
  return 0;
}

/* The term a stemmer_override filter gives word, or NULL. */
static const char *override_of(const char *filter, const char *word, char *out, size_t size) {
  size_t i, wn = strlen(word);
  json_t *v;
  json_array_foreach(json_object_get(analysis("filter", filter), "rules"), i, v) {
    const char *r = json_string_value(v), *arrow = strstr(r, " => ");
    for (const char *k = r; k < arrow;) {
      const char *e = strstr(k, ", ");
      if (!e || e > arrow) e = arrow;
      if ((size_t)(e - k) == wn && memcmp(k, word, wn) == 0) {
        snprintf(out, size, "%s", arrow + 4);
        return out;
      }
      k = e == arrow ? arrow : e + 2;
    }
  }
  return NULL;
}

START_TEST(same_bytes_each_time) {
  char *a = NULL, *b = NULL;
  ck_assert_int_eq(fouille_opensearch_template(&a, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_opensearch_template(&b, NULL), FOUILLE_OK);
  ck_assert_str_eq(a, b);
  free(a), free(b);
  json_t *fr = analysis("analyzer", "fouille_fr"),
         *search = analysis("analyzer", "fouille_fr_search");
  ck_assert_str_eq(json_string_value(json_object_get(fr, "tokenizer")), "fouille_standard");
  ck_assert(in_strings(json_object_get(search, "filter"), "fouille_stop"));
  ck_assert(!in_strings(json_object_get(fr, "filter"), "fouille_stop"));
  json_t *body = json_object_get(
      json_object_get(json_object_get(json_object_get(tpl, "template"), "mappings"), "properties"),
      "body");
  ck_assert_str_eq(json_string_value(json_object_get(body, "search_quote_analyzer")), "fouille_fr");
}
END_TEST

START_TEST(options) {
  char *s = NULL;
  fouille_opensearch_options o = FOUILLE_OPENSEARCH_OPTIONS_INIT;
  o.version = 99;
  ck_assert_int_eq(fouille_opensearch_template(&s, &o), FOUILLE_EINVAL);
  ck_assert_ptr_null(s);
  ck_assert(strstr(fouille_error_last(), "fouille_opensearch_options") != NULL);
  ck_assert_int_eq(fouille_opensearch_options_init(&o, 7), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_opensearch_options_init(&o, FOUILLE_OPENSEARCH_OPTIONS_VERSION),
                   FOUILLE_OK);
  ck_assert_int_eq(o.replicas, -1);
  o.shards = -2;
  ck_assert_int_eq(fouille_opensearch_template(&s, &o), FOUILLE_EINVAL);
  o.shards = 6, o.replicas = 2, o.index_pattern = "archive-*";
  ck_assert_int_eq(fouille_opensearch_template(&s, &o), FOUILLE_OK);
  json_t *t = json_loads(s, 0, NULL);
  ck_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "index_patterns"), 0)),
                   "archive-*");
  json_decref(t);
  free(s);
}
END_TEST

START_TEST(every_table_entry) {
  json_t *articles = json_object_get(analysis("filter", "fouille_elision"), "articles");
  const char *w, *t;
  char got[256], own[256];
  for (size_t i = 0; (w = fouille__elision_article(i)); i++)
    ck_assert_msg(in_strings(articles, w), "elision %s missing", w);
  for (size_t i = 0; fouille__over_stemmed_at(i, &w, &t); i++) {
    ck_assert_msg(override_of("fouille_over_stemmed", w, got, sizeof got), "%s missing", w);
    ck_assert_str_eq(got, t);
  }
  for (size_t i = 0; fouille__irregular_at(i, &w, &t); i++) {
    char base[256];
    ck_assert_int_eq(fouille__export_term(w, strlen(w), own, sizeof own), 0);
    ck_assert_int_eq(fouille__export_term(t, strlen(t), base, sizeof base), 0);
    if (strcmp(own, base) == 0) continue; /* nothing to add */
    ck_assert_msg(override_of("fouille_irregular", w, got, sizeof got), "irregular %s missing", w);
    ck_assert_str_eq(got, base);
  }
  json_t *stop = json_object_get(analysis("filter", "fouille_stop"), "stopwords");
  for (size_t i = 0; (w = fouille__stopword_at(i)); i++) {
    ck_assert_int_eq(fouille__export_term(w, strlen(w), own, sizeof own), 0);
    ck_assert_msg(in_strings(stop, own), "stop word %s (%s) missing", w, own);
  }
  const fouille__suffix_rule *r;
  for (size_t i = 0; (r = fouille__feminine_rule_at(i)); i++) {
    char name[32];
    snprintf(name, sizeof name, "fouille_feminine_%zu", i + 1);
    ck_assert(strstr(json_string_value(json_object_get(analysis("filter", name), "pattern")),
                     r->from) != NULL);
  }
}
END_TEST

typedef struct found {
  const char *want;
  int colocated;
} found;

static int find_term(int flags, const char *term, int len, int start, int end, void *ctx) {
  found *f = ctx;
  if ((flags & FOUILLE_TERM_COLOCATED) && strlen(f->want) == (size_t)len &&
      memcmp(term, f->want, (size_t)len) == 0)
    f->colocated = 1;
  return 0;
}

/* Each rule of a stemmer_override filter: the analyzer gives the word that
 * term, colocated. */
static int check_rules(const char *filter) {
  size_t i;
  int n = 0;
  json_t *v;
  json_array_foreach(json_object_get(analysis("filter", filter), "rules"), i, v) {
    const char *r = json_string_value(v), *arrow = strstr(r, " => ");
    for (const char *k = r; k < arrow; n++) {
      const char *e = strstr(k, ", ");
      if (!e || e > arrow) e = arrow;
      found f = {arrow + 4, 0};
      ck_assert_int_eq(
          fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, k, (size_t)(e - k), find_term, &f),
          FOUILLE_OK);
      ck_assert_msg(f.colocated, "%s: %.*s does not give %s", filter, (int)(e - k), k, f.want);
      k = e == arrow ? arrow : e + 2;
    }
  }
  return n;
}

START_TEST(rules_give_the_analyzers_terms) {
  ck_assert_int_gt(check_rules("fouille_irregular"), 100);
  ck_assert_int_gt(check_rules("fouille_verb_forms"), 50000);
  static const char *const forms[][2] = {{"publient", "publi"}, {"prennent", "prendr"},
                                         {"doivent", "devoir"}, {"achètent", "achet"},
                                         {"parlions", "parl"},  {"vendeuse", "vendeur"}};
  char got[256];
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    ck_assert_msg(override_of("fouille_verb_forms", forms[i][0], got, sizeof got), "%s",
                  forms[i][0]);
    ck_assert_str_eq(got, forms[i][1]);
  }
  ck_assert_ptr_null(override_of("fouille_verb_forms", "parent", got, sizeof got));
  ck_assert_ptr_null(override_of("fouille_verb_forms", "moment", got, sizeof got));
}
END_TEST

typedef struct list {
  char s[4096];
} list;

static int append(int flags, const char *term, int len, int start, int end, void *ctx) {
  list *l = ctx;
  size_t n = strlen(l->s);
  snprintf(l->s + n, sizeof l->s - n, "%s%.*s ", flags ? "+" : "", len, term);
  return 0;
}

/* Each character the mapping char filter rewrites: the analyzer gives the
 * same terms for the text with the character and with its replacement. */
START_TEST(char_maps_match_the_analyzer) {
  for (const fouille__char_map *m = fouille__opensearch_char_maps; m->from; m++) {
    char ch[8] = {0}, a[64], b[64];
    utf8proc_encode_char((utf8proc_int32_t)m->from, (utf8proc_uint8_t *)ch);
    snprintf(a, sizeof a, "l%sabcd c%sur presqu%s\xC3\xAEle", ch, ch, ch);
    snprintf(b, sizeof b, "l%sabcd c%sur presqu%s\xC3\xAEle", m->to, m->to, m->to);
    list la = {""}, lb = {""};
    fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, a, strlen(a), append, &la);
    fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, b, strlen(b), append, &lb);
    ck_assert_msg(strcmp(la.s, lb.s) == 0, "U+%04X: %s vs %s", m->from, la.s, lb.s);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("opensearch");
  TCase *tc = tcase_create("template");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, same_bytes_each_time);
  tcase_add_test(tc, options);
  tcase_add_test(tc, every_table_entry);
  tcase_add_test(tc, rules_give_the_analyzers_terms);
  tcase_add_test(tc, char_maps_match_the_analyzer);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
