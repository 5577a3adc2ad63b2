/* The HTML reader: metadata from Open Graph, <meta>, <time>, <title>; body
 * text of <article>/<main>/<body> without chrome; soup and encodings. */
#include "read_collect.h"
#include "test_util.h"

#define NB "\xC2\xA0"

static collector html(const char *s) {
  collector c = {0};
  ck_assert_int_eq(read_str(fouille__read_html, &c, s, -1), 0);
  ck_assert_int_eq(c.n, 1);
  return c;
}

START_TEST(fixture_complete) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_html, &c, "articles/html/article-complet.html"), 0);
  ck_assert_int_eq(c.nproblems, 0);
  collected *a = &c.a[0];
  ck_assert_str_eq(a->title, "Les abeilles sauvages en déclin");
  ck_assert_str_eq(a->date, "2024-04-02T08:30:00+02:00");
  ck_assert_str_eq(a->url, "https://journal-vert.example/2024/04/abeilles");
  ck_assert_str_eq(a->author, "Julien Moreau");
  ck_assert_str_eq(a->source, "Le Journal Vert");
  ck_assert_ptr_null(a->tags);
  ck_assert_str_eq(a->body,
                   "Près d’un tiers des espèces d’abeilles sauvages sont menacées en Europe, selon "
                   "une étude publiée mardi.\n\nLes chercheurs pointent l’usage des pesticides et "
                   "la disparition des haies" NB ": «" NB "Sans elles, pas de pollinisation" NB
                   "», résume l’entomologiste Anne Roux.\n\nBourdons\nOsmies");
  collector_free(&c);
}
END_TEST

START_TEST(fixture_simple) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_html, &c, "articles/html/page-simple.html"), 0);
  collected *a = &c.a[0];
  ck_assert_str_eq(a->title, "Grève à la SNCF" NB ": trafic perturbé jeudi");
  ck_assert_str_eq(a->date, "2024-02-15");
  ck_assert_ptr_null(a->url);
  ck_assert_ptr_null(a->source);
  ck_assert_str_eq(a->body, "Publié le 15 février 2024\n\nLa circulation des TGV sera fortement "
                            "perturbée jeudi, annonce la direction.\nUn train sur deux circulera "
                            "sur l’axe Paris-Lyon.");
  collector_free(&c);
}
END_TEST

START_TEST(windows_1252_page) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_html, &c, "broken/windows-1252.html"), 0);
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_str_eq(c.problems[0], "converted from Windows-1252");
  ck_assert_str_eq(c.a[0].title, "Fête de la musique à Lyon");
  ck_assert(
      body_has(&c.a[0], "quais de Saône" NB ": « une ambiance incroyable », témoigne Chloé."));
  collector_free(&c);
}
END_TEST

START_TEST(utf8_page_declared_latin1) {
  /* The bytes win over a wrong declaration: no mojibake. */
  collector c = html("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                     "charset=iso-8859-1\"><title>Été</title></head><body><p>Noël à "
                     "Strasbourg</p></body></html>");
  ck_assert_str_eq(c.a[0].title, "Été");
  ck_assert_str_eq(c.a[0].body, "Noël à Strasbourg");
  collector_free(&c);
}
END_TEST

START_TEST(metadata_fallbacks) {
  collector c = html("<html><head><title>Titre de la page</title><meta name=\"DATE\" "
                     "content=\"12 mars 2024\"><link rel=\"canonical\" href=\"https://c.fr/x\">"
                     "</head><body><main><h1>Un h1</h1><p>Texte <b>gras</b> "
                     "et   espaces\n\tmultiples.</p></main><p>hors main</p></body></html>");
  ck_assert_str_eq(c.a[0].title, "Titre de la page");
  ck_assert_str_eq(c.a[0].date, "2024-03-12");
  ck_assert_str_eq(c.a[0].url, "https://c.fr/x");
  ck_assert_str_eq(c.a[0].body, "Un h1\n\nTexte gras et espaces multiples.");
  collector_free(&c);
  c = html("<body><h1>Seul   titre</h1><p>Corps.</p><time datetime=\"bientôt\">x</time></body>");
  ck_assert_str_eq(c.a[0].title, "Seul titre");
  ck_assert_str_eq(c.a[0].body, "Corps.\n\nx");
  ck_assert_ptr_null(c.a[0].date);
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_str_eq(c.problems[0], "unparsable date 'bientôt' ignored");
  collector_free(&c);
}
END_TEST

START_TEST(skipped_elements) {
  collector c = html("<body><nav>menu</nav><form><input>formulaire</form><p>Garde "
                     "ceci<script>pas ça</script><noscript>ni ça</noscript></p><aside>pub</aside>"
                     "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
                     "<svg><text>dessin</text></svg><template>modèle</template></body>");
  ck_assert_ptr_null(c.a[0].title);
  ck_assert_str_eq(c.a[0].body, "Garde ceci\n\na b\nc");
  collector_free(&c);
}
END_TEST

START_TEST(soup) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_html, &c, "broken/soupe.html"), 0);
  ck_assert_int_eq(c.n, 1);
  ck_assert(body_has(&c.a[0], "Un texte mal fermé qui continue"));
  ck_assert(body_has(&c.a[0], "Dernier paragraphe été ’"));
  ck_assert(!body_has(&c.a[0], "alert"));
  ck_assert(!body_has(&c.a[0], "commentaire"));
  collector_free(&c);
}
END_TEST

START_TEST(no_text) {
  collector c = {0};
  const char *empty[] = {"", "<html></html>",
                         "<html><head><title>T</title></head><body> "
                         "<script>x()</script></body></html>",
                         " \n\t ", "<!-- rien -->"};
  for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
    ck_assert_int_eq(read_str(fouille__read_html, &c, empty[i], -1), FOUILLE_EPARSE);
    ck_assert_msg(strcmp(fouille_error_last(), "no text") == 0, "%s: %s", empty[i],
                  fouille_error_last());
  }
  ck_assert_int_eq(read_str(fouille__read_html, &c, "<p>a\0b</p>", 10), FOUILLE_EPARSE);
  collector_free(&c);
}
END_TEST

START_TEST(deep_nesting) {
  size_t depth = 100000;
  char *s = malloc(depth * 5 + 32);
  size_t n = 0;
  for (size_t i = 0; i < depth; i++) memcpy(s + n, "<div>", 5), n += 5;
  memcpy(s + n, "profond", 7), n += 7;
  collector c = {0};
  int r = read_str(fouille__read_html, &c, s, n);
  ck_assert(r == 0 || r == FOUILLE_EPARSE);
  if (r == 0) ck_assert(body_has(&c.a[0], "profond"));
  collector_free(&c);
  free(s);
}
END_TEST

int main(void) {
  Suite *s = suite_create("read_html");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, fixture_complete);
  tcase_add_test(tc, fixture_simple);
  tcase_add_test(tc, windows_1252_page);
  tcase_add_test(tc, utf8_page_declared_latin1);
  tcase_add_test(tc, metadata_fallbacks);
  tcase_add_test(tc, skipped_elements);
  tcase_add_test(tc, soup);
  tcase_add_test(tc, no_text);
  tcase_add_test(tc, deep_nesting);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
