/* Analyzer 4 end to end: an index built by the library, searched with
 * fouille_search, finds French as the press writes it from what readers
 * type (O.N.U. by onu, Wi-Fi by wifi, 25 000 by 25000, nucléaire*, actrice
 * by acteur, publient by publier) and keeps unrelated words apart. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "test_util.h"

static char *dir;
static fouille_index *ix;
static fouille_results *res;

#define DOC(id, body) "{\"id\":\"" id "\",\"title\":\"Dépêche\",\"body\":\"" body "\"}\n"

static const char archive[] = DOC("onu", "L'O.N.U. et l'U.E. condamnent l'attaque.")
    DOC("wifi", "Le Wi-Fi gratuit arrive dans les gares ce week-end.")
        DOC("nbsp", "Ils étaient 25\\u00a0000 manifestants, 1\\u202f500 selon la police.")
            DOC("nucl", "Le programme nucléaire iranien inquiète.")
                DOC("actr", "L'actrice a reçu un prix.")
                    DOC("publ", "Les éditeurs publient moins de romans.")
                        DOC("parent", "Un parent d'élève témoigne.")
                            DOC("cpu", "Les CPUs et les GPUs manquent.")
                                DOC("ile", "La presqu’île de Crozon attire les touristes.");

static void setup(void) {
  dir = test_tmpdir();
  test_write(dir, "arch/press.jsonl", archive, (size_t)-1);
  char db[4096], arch[4096];
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  const char *paths[] = {arch};
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_msg(fouille_index_update(&sum, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
  ck_assert_uint_eq(sum.articles_added, 9);
}

static void teardown(void) {
  fouille_results_free(res), res = NULL;
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir);
}

/* The ids found for q, space-separated, in rank order: the analyzer's
 * work alone (exact: no typo tolerance, which would take parer for
 * parent). */
static const char *found(const char *q) {
  static char buf[512];
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  so.exact = 1;
  fouille_results_free(res), res = NULL;
  ck_assert_msg(fouille_search(&res, ix, q, &so) == FOUILLE_OK, "%s: %s", q, fouille_error_last());
  buf[0] = '\0';
  for (size_t i = 0; i < fouille_results_count(res); i++) {
    const char *k = fouille_results_hit(res, i)->key, *h = strrchr(k, '#');
    if (buf[0]) strcat(buf, " ");
    strcat(buf, h ? h + 1 : k);
  }
  return buf;
}

/* The first highlighted span of the first hit's first passage. */
static const char *first_span(const char *q) {
  static char buf[128];
  found(q);
  const fouille_hit *h = fouille_results_hit(res, 0);
  ck_assert_ptr_nonnull(h);
  ck_assert_uint_ge(h->n_passages, 1);
  const fouille_passage *p = &h->passages[0];
  ck_assert_uint_ge(p->n_spans, 1);
  snprintf(buf, sizeof buf, "%.*s", (int)(p->spans[0].end - p->spans[0].start),
           p->text + p->spans[0].start);
  return buf;
}

START_TEST(written_pieces_typed_whole) {
  ck_assert_str_eq(found("onu"), "onu");
  ck_assert_str_eq(found("ue"), "onu");
  ck_assert_str_eq(found("O.N.U."), "onu");
  ck_assert_str_eq(found("wifi"), "wifi");
  ck_assert_str_eq(found("wi fi"), "wifi");
  ck_assert_str_eq(found("\"wi fi\""), "wifi");
  ck_assert_str_eq(found("Wi-Fi"), "wifi");
  ck_assert_str_eq(found("weekend"), "wifi");
  ck_assert_str_eq(found("25000"), "nbsp");
  ck_assert_str_eq(found("1500"), "nbsp");
  ck_assert_str_eq(found("presquile"), "ile");
  /* The joined word is highlighted whole. */
  ck_assert_str_eq(first_span("wifi"), "Wi-Fi");
  ck_assert_str_eq(first_span("onu"), "O.N.U");
}
END_TEST

START_TEST(inflections) {
  ck_assert_str_eq(found("acteur"), "actr");
  ck_assert_str_eq(found("publier"), "publ");
  ck_assert_str_eq(found("cpu"), "cpu");
  ck_assert_str_eq(found("gpu"), "cpu");
  ck_assert_str_eq(found("parent"), "parent");
  ck_assert_str_eq(found("parer"), "");
  ck_assert_str_eq(first_span("publier"), "publient");
}
END_TEST

START_TEST(prefixes_longer_than_the_stem) {
  ck_assert_str_eq(found("nucléaire*"), "nucl");
  ck_assert_str_eq(found("nucleaire*"), "nucl");
  ck_assert_str_eq(found("nucl*"), "nucl");
  ck_assert_str_eq(found("manifestants*"), "nbsp");
  ck_assert_str_eq(first_span("nucléaire*"), "nucléaire");
}
END_TEST

int main(void) {
  Suite *s = suite_create("search_french");
  TCase *t = tcase_create("core");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, written_pieces_typed_whole);
  tcase_add_test(t, inflections);
  tcase_add_test(t, prefixes_longer_than_the_stem);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
