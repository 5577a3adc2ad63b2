/* Highlight spans of passages land byte-exact on the words as written:
 * inflected, accented, NFD, elided, after emoji, prefixes, repeats, and
 * they follow the text through whitespace collapsing and cuts. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "query_private.h"
#include "test_util.h"

static fouille_analyzer *an;

static void setup(void) { ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK); }
static void teardown(void) { fouille_analyzer_free(an); }

/* The first passage of body for the query words (a trailing '*' makes a
 * prefix), with every span shown as [..]. */
static const char *marked_n(const char *body, int length, int n, const char **words) {
  static char out[8192];
  fouille__qterm terms[8];
  char copies[8][64];
  for (int i = 0; i < n; i++) {
    size_t l = strlen(words[i]);
    memcpy(copies[i], words[i], l + 1);
    int prefix = l > 0 && words[i][l - 1] == '*';
    if (prefix) copies[i][l - 1] = '\0';
    terms[i] = (fouille__qterm){copies[i], prefix, 0, 0};
  }
  fouille_passage *p = NULL;
  size_t np = 0;
  ck_assert_int_eq(
      fouille__passages_make(an, body, strlen(body), terms, NULL, (size_t)n, 1, length, &p, &np),
      FOUILLE_OK);
  ck_assert_uint_eq(np, 1);
  size_t o = 0, last = 0;
  for (size_t i = 0; i < p[0].n_spans; i++) {
    const fouille_span *s = &p[0].spans[i];
    ck_assert_uint_le(last, s->start);
    ck_assert_uint_lt(s->start, s->end);
    ck_assert_uint_le(s->end, strlen(p[0].text));
    memcpy(out + o, p[0].text + last, s->start - last), o += s->start - last;
    out[o++] = '[';
    memcpy(out + o, p[0].text + s->start, s->end - s->start), o += s->end - s->start;
    out[o++] = ']';
    last = s->end;
  }
  strcpy(out + o, p[0].text + last);
  fouille__passages_free(p, np);
  return out;
}

#define MARKED(body, want, ...)                                                                    \
  do {                                                                                             \
    const char *w_[] = {__VA_ARGS__};                                                              \
    ck_assert_str_eq(marked_n(body, 300, (int)(sizeof w_ / sizeof w_[0]), w_), want);              \
  } while (0)

START_TEST(inflected_and_accented) {
  MARKED("La sécurité des puces est en jeu.", "La [sécurité] des [puces] est en jeu.", "securite",
         "puce");
  MARKED("Les États-Unis achètent.", "Les [États]-Unis achètent.", "etats");
  MARKED("Les États-Unis achètent.", "Les [États]-[Unis] achètent.", "États-Unis");
  MARKED("LA SÉCURITÉ D’ABORD.", "LA [SÉCURITÉ] D’ABORD.", "sécurité");
}
END_TEST

START_TEST(nfd) {
  MARKED("Une E\xcc\x81tude du cas.", "Une [E\xcc\x81tude] du cas.", "étude");
  MARKED("Une \xc3\x89tude du cas.", "Une [\xc3\x89tude] du cas.", "etude");
}
END_TEST

START_TEST(elision) {
  MARKED("La sûreté de l’IA inquiète.", "La sûreté de l’[IA] inquiète.", "ia");
  MARKED("Jusqu'où l'économie ira-t-elle ?", "Jusqu'où l'[économie] ira-t-elle ?", "économie");
}
END_TEST

START_TEST(after_emoji) {
  MARKED("\xf0\x9f\x9a\x80 Les puces \xf0\x9f\x98\x80 volent.",
         "\xf0\x9f\x9a\x80 Les [puces] \xf0\x9f\x98\x80 volent.", "puce");
}
END_TEST

START_TEST(prefix) {
  MARKED("Le numérique et les nombres.", "Le [numérique] et les nombres.", "num*");
  MARKED("Le numérique et les nuages.", "Le numérique et les [nuages].", "nuag*");
}
END_TEST

START_TEST(repeats) {
  MARKED("Une puce, deux puces, trois puces.", "Une [puce], deux [puces], trois [puces].", "puce");
}
END_TEST

START_TEST(collapsed_whitespace) {
  MARKED("Les  puces\n\tvolent   haut.", "Les [puces] [volent] haut.", "puce", "volent");
}
END_TEST

START_TEST(title_only_not_highlighted) {
  fouille__qterm t[2] = {{"puce", 0, 1, 0}, {"volent", 0, 0, 0}};
  fouille_passage *p = NULL;
  size_t n = 0;
  const char *body = "Les puces volent.";
  ck_assert_int_eq(fouille__passages_make(an, body, strlen(body), t, NULL, 2, 1, 300, &p, &n), 0);
  ck_assert_uint_eq(n, 1);
  ck_assert_uint_eq(p[0].n_spans, 1);
  ck_assert_uint_eq(p[0].spans[0].start, 10);
  ck_assert_uint_eq(p[0].spans[0].end, 16);
  fouille__passages_free(p, n);
}
END_TEST

START_TEST(spans_after_cut) {
  char body[4096] = "";
  for (int i = 0; i < 40; i++) strcat(body, "alpha beta gamma ");
  strcat(body, "les puces ");
  for (int i = 0; i < 40; i++) strcat(body, "delta epsilon ");
  const char *w[] = {"puce"};
  const char *m = marked_n(body, 80, 1, w);
  ck_assert_msg(strstr(m, " les [puces] ") != NULL, "%s", m);
  ck_assert_msg(strncmp(m, "\xe2\x80\xa6", 3) == 0, "%s", m);
}
END_TEST

int main(void) {
  Suite *s = suite_create("highlight");
  TCase *t = tcase_create("core");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, inflected_and_accented);
  tcase_add_test(t, nfd);
  tcase_add_test(t, elision);
  tcase_add_test(t, after_emoji);
  tcase_add_test(t, prefix);
  tcase_add_test(t, repeats);
  tcase_add_test(t, collapsed_whitespace);
  tcase_add_test(t, title_only_not_highlighted);
  tcase_add_test(t, spans_after_cut);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
