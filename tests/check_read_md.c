/* The Markdown reader: front matter fields, title fallbacks, and the body
 * reduced to prose (markup dropped, link texts kept, code blocks dropped,
 * entities decoded). */
#include "read_collect.h"
#include "test_util.h"

#define NB "\xC2\xA0"

static collector md(const char *s) {
  collector c = {0};
  ck_assert_int_eq(read_str(fouille__read_md, &c, s, -1), 0);
  ck_assert_int_eq(c.n, 1);
  return c;
}

START_TEST(fixture_front_matter) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_md, &c, "articles/md/avec-front-matter.md"), 0);
  ck_assert_int_eq(c.nproblems, 0);
  collected *a = &c.a[0];
  ck_assert_str_eq(a->title, "La France relance son programme nucléaire");
  ck_assert_str_eq(a->date, "2024-03-12");
  ck_assert_str_eq(a->author, "Claire Dubois");
  ck_assert_str_eq(a->source, "Le Quotidien de l’Énergie");
  ck_assert_str_eq(a->url, "https://exemple.fr/energie/nucleaire-relance");
  ck_assert_str_eq(a->tags, "énergie, nucléaire, politique industrielle");
  /* The "# " heading repeating the title leaves the body. */
  ck_assert(strncmp(a->body, "Le gouvernement a confirmé la construction de six nouveaux", 58) ==
            0);
  ck_assert(
      body_has(a, "bâtis à Penly en Normandie.\n\nUn chantier de vingt ans\n\nLes syndicats"));
  ck_assert(body_has(a, "attendue depuis longtemps" NB "; les opposants"));
  ck_assert(body_has(a, "Coût estimé" NB ": 52 milliards d’euros\nMise en service" NB ": 2035"));
  ck_assert(body_has(a, "\n\nChantier de Flamanville\n\n"));
  ck_assert(body_has(a, "\n\nLe nucléaire reste l’épine dorsale"));
  const char *gone[] = {"**", "*", "](", "http", "SELECT", "```", "> ", "#", "couleur", "- Co"};
  for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
    ck_assert_msg(!body_has(a, gone[i]), "'%s' left in the body", gone[i]);
  collector_free(&c);
}
END_TEST

START_TEST(fixture_heading_title) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_md, &c, "articles/md/sans-front-matter.md"), 0);
  collected *a = &c.a[0];
  ck_assert_str_eq(a->title,
                   "Inondations dans le Pas-de-Calais" NB ": l’État débloque une aide d’urgence");
  ck_assert_ptr_null(a->date);
  ck_assert_ptr_null(a->tags);
  ck_assert(strncmp(a->body, "Après trois semaines", 21) == 0);
  ck_assert(body_has(a, "de 50 millions d’euros. Les sinistrés"));
  ck_assert(body_has(a, "Commune   Foyers touchés\nBlendecques   400"));
  ck_assert(!body_has(a, "|"));
  ck_assert(!body_has(a, "---"));
  collector_free(&c);
}
END_TEST

START_TEST(broken_front_matter) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_md, &c, "broken/front-matter-cassee.md"), 0);
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_ptr_nonnull(strstr(c.problems[0], "front matter"));
  ck_assert_ptr_null(c.a[0].date);
  ck_assert(body_has(&c.a[0], "Ce paragraphe doit rester lisible malgré l’en-tête cassé."));
  collector_free(&c);
  c = md("---\ntitle: Sans fin\n\nTexte\n");
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_str_eq(c.a[0].title, "title: Sans fin");
  collector_free(&c);
}
END_TEST

/* Found by fuzzing: a front matter closed on the file's last line, with no
 * newline after it, put the body's start one byte past the end (md4c then
 * read far out of bounds). */
START_TEST(front_matter_at_end_of_file) {
  collector c = md("---\ntitle: \"Élection\"\n---");
  ck_assert_str_eq(c.a[0].title, "Élection");
  ck_assert_int_eq(c.nproblems, 0);
  collector_free(&c);
  c = md("---\r\ntitle: Fin\r\n---\r");
  ck_assert_str_eq(c.a[0].title, "Fin");
  collector_free(&c);
}
END_TEST

START_TEST(front_matter_forms) {
  collector c = md("---\n# commentaire\nTitle: 'L''été indien'\ndate: \"1er avril 2023\"\n"
                   "tags:\n  - sport\n  - 'Jeux olympiques'\nextra:\n  nested: ignoré\n"
                   "author: Jean # rédacteur\n...\nCorps du texte.\n");
  ck_assert_int_eq(c.nproblems, 0);
  ck_assert_str_eq(c.a[0].title, "L'été indien");
  ck_assert_str_eq(c.a[0].date, "2023-04-01");
  ck_assert_str_eq(c.a[0].tags, "sport, Jeux olympiques");
  ck_assert_str_eq(c.a[0].author, "Jean");
  ck_assert_str_eq(c.a[0].body, "Corps du texte.");
  collector_free(&c);
  c = md("---\ntitle: Titre\ndate: la semaine dernière\n---\nTexte\n");
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_str_eq(c.problems[0], "unparsable date 'la semaine dernière' ignored");
  ck_assert_ptr_null(c.a[0].date);
  collector_free(&c);
}
END_TEST

START_TEST(inline_markup) {
  collector c = md("Titre\n\nDu *gras* et __souligné__ ~~barré~~, du `code_inline` et "
                   "[un lien](http://x.fr/a_(b)) ou ![une image](i.png) et [réf][1] "
                   "<span class=\"x\">balise</span> &amp; &#233;t&eacute; \\*étoile\\* "
                   "snake_case 3 * 4 <https://exemple.fr>\n\n[1]: http://ref.example\n");
  ck_assert_str_eq(c.a[0].title, "Titre");
  ck_assert_str_eq(c.a[0].body,
                   "Du gras et souligné barré, du code_inline et un lien ou une image et réf "
                   "balise & été *étoile* snake_case 3 * 4 https://exemple.fr");
  collector_free(&c);
}
END_TEST

START_TEST(blocks) {
  collector c = md("# Titre principal\n\nUne phrase\ncoupée en deux.\n\n## Sous-titre ##\n"
                   "> citation\n> suite\n\n1. premier\n2) second\n* puce\n\n---\n\n~~~python\n"
                   "print('non')\n~~~\n\n    ```\nFin.\n");
  ck_assert_str_eq(c.a[0].title, "Titre principal");
  /* "    ```" opens no fence: the text after it is body text. */
  ck_assert_str_eq(c.a[0].body, "Une phrase coupée en deux.\n\nSous-titre\n\ncitation suite\n\n"
                                "premier\nsecond\npuce\n\nFin.");
  collector_free(&c);
}
END_TEST

/* Four spaces before ``` make an indented code block (CommonMark), not a
 * fence: it is dropped like any code, and what follows stays body text. */
START_TEST(indented_backticks) {
  collector c = md("Titre\n\nAvant le code.\n\n    ```\n    x = 1\nAprès le code, indexé.\n\n"
                   "Dernier paragraphe.\n");
  ck_assert_str_eq(c.a[0].title, "Titre");
  ck_assert_str_eq(c.a[0].body, "Avant le code.\n\nAprès le code, indexé.\n\nDernier paragraphe.");
  collector_free(&c);
  c = md("# Titre\n\n- item\n\n        ```\nSuite du texte.\n");
  ck_assert_str_eq(c.a[0].body, "item\n\nSuite du texte.");
  collector_free(&c);
}
END_TEST

/* Every HTML 4 named entity, decimal and hexadecimal references; names
 * nobody knows stay as written, code keeps them verbatim. */
START_TEST(entities) {
  collector c = md("Titre\n\n"
                   "&ecirc;tre &eacute; &#233; &#xE9; &#XE9; &hellip; &oelig;uvre &nbsp;fin\n\n"
                   "&inconnu; &eacutex; AT&T &amp &#0; `&eacute;`\n");
  ck_assert_str_eq(c.a[0].body, "être é é é é … œuvre " NB "fin\n\n"
                                "&inconnu; &eacutex; AT&T &amp \xEF\xBF\xBD &eacute;");
  collector_free(&c);
  c = md("# L&rsquo;&Eacute;t&eacute; &agrave; Paris\n\n[&Eacute;lys&eacute;e](http://x.fr) "
         "&lt;b&gt;\n");
  ck_assert_str_eq(c.a[0].title, "L’Été à Paris");
  ck_assert_str_eq(c.a[0].body, "Élysée <b>");
  collector_free(&c);
}
END_TEST

/* HTML blocks keep their text, without comments, scripts and styles. */
START_TEST(html_blocks) {
  collector c = md("Titre\n\n<div class=\"note\">\nTexte <b>important</b> &amp; <!-- caché -->\n"
                   "<script>alert(1)</script><p>Second</p>\n</div>\n\n<!-- commentaire -->\n\n"
                   "<style>p {}</style>\n\nSuite.\n");
  ck_assert_str_eq(c.a[0].body, "Texte important &\nSecond\n\nSuite.");
  collector_free(&c);
}
END_TEST

/* A level-1 heading underlined with "===" is a title too. */
START_TEST(setext_title) {
  collector c = md("Une introduction.\n\nLe vrai titre\n=============\n\nLe texte.\n");
  ck_assert_str_eq(c.a[0].title, "Le vrai titre");
  ck_assert_str_eq(c.a[0].body, "Une introduction.\n\nLe texte.");
  collector_free(&c);
}
END_TEST

START_TEST(title_fallback_first_line) {
  collector c = md("Première ligne sans dièse\n\n## Pas un titre de niveau un\nTexte.\n");
  ck_assert_str_eq(c.a[0].title, "Première ligne sans dièse");
  ck_assert_str_eq(c.a[0].body, "Pas un titre de niveau un\n\nTexte.");
  collector_free(&c);
}
END_TEST

/* Bytes that are not UTF-8 are converted or replaced (with a warning) as
 * by the other readers; CRLF ends lines too. */
START_TEST(encodings) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_md, &c, "broken/invalid-utf8.txt"), 0);
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_ptr_nonnull(strstr(c.problems[0], "U+FFFD"));
  ck_assert_str_eq(c.a[0].title, "Réunion du conseil municipal");
  ck_assert(body_has(&c.a[0], "malgré \xEF\xBF\xBD\xEF\xBF\xBD des débats"));
  collector_free(&c);
  c = md("Titre\r\n\r\nun\r\ndeux &eacute;\r\n\r\ntrois\rquatre\r\n");
  ck_assert_int_eq(c.nproblems, 0);
  ck_assert_str_eq(c.a[0].body, "un deux é\n\ntrois quatre");
  collector_free(&c);
  c = md("# L'\xE9t\xE9\n\nCaf\xE9 cr\xE8me.\n");
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_str_eq(c.a[0].title, "L'été");
  ck_assert_str_eq(c.a[0].body, "Café crème.");
  collector_free(&c);
}
END_TEST

/* Deep nesting of quotes, lists and HTML: no crash, the title still read. */
START_TEST(deep_nesting) {
  static const char *units[] = {"> ", "- ", "* > ", "<div>", "<i>", "_*"};
  size_t times = 100000;
  for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
    size_t k = strlen(units[u]), n = 3 + k * times + 2;
    char *s = malloc(n + 1);
    memcpy(s, "T\n\n", 3);
    for (size_t i = 0; i < times; i++) memcpy(s + 3 + i * k, units[u], k);
    memcpy(s + n - 2, "x\n", 3);
    collector c = {0};
    ck_assert_int_eq(read_str(fouille__read_md, &c, s, n), 0);
    ck_assert_str_eq(c.a[0].title, "T");
    collector_free(&c);
    free(s);
  }
}
END_TEST

START_TEST(hostile) {
  collector c = {0};
  ck_assert_int_eq(read_str(fouille__read_md, &c, "", 0), FOUILLE_EPARSE);
  ck_assert_int_eq(read_str(fouille__read_md, &c, "```\ncode seul\n```\n", -1), FOUILLE_EPARSE);
  ck_assert_int_eq(read_str(fouille__read_md, &c, "a\0b", 3), FOUILLE_EPARSE);
  ck_assert_int_eq(c.n, 0);
  /* Unbalanced markup, long bracket runs: no crash, text kept. */
  size_t n = 300000;
  char *s = malloc(n + 16);
  memcpy(s, "T\n", 2);
  for (size_t i = 2; i < n; i++) s[i] = "[(<`*_&!\\x]"[i % 11];
  s[n] = '\0';
  ck_assert_int_eq(read_str(fouille__read_md, &c, s, n), 0);
  ck_assert_int_eq(c.n, 1);
  free(s);
  collector_free(&c);
  /* Unclosed brackets are kept as text, in linear time. */
  n = 1000000;
  s = malloc(n + 1);
  memcpy(s, "T\n", 2);
  memset(s + 2, '[', n - 2);
  s[n] = '\0';
  ck_assert_int_eq(read_str(fouille__read_md, &c, s, n), 0);
  ck_assert_uint_eq(c.a[0].body_len, n - 2);
  free(s);
  collector_free(&c);
}
END_TEST

int main(void) {
  Suite *s = suite_create("read_md");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, fixture_front_matter);
  tcase_add_test(tc, fixture_heading_title);
  tcase_add_test(tc, broken_front_matter);
  tcase_add_test(tc, front_matter_at_end_of_file);
  tcase_add_test(tc, front_matter_forms);
  tcase_add_test(tc, inline_markup);
  tcase_add_test(tc, blocks);
  tcase_add_test(tc, indented_backticks);
  tcase_add_test(tc, entities);
  tcase_add_test(tc, html_blocks);
  tcase_add_test(tc, setext_title);
  tcase_add_test(tc, title_fallback_first_line);
  tcase_add_test(tc, encodings);
  tcase_add_test(tc, deep_nesting);
  tcase_add_test(tc, hostile);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
