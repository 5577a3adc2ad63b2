/* The plain-text reader: title line, body paragraphs, scraped noise
 * removed, CRLF, encodings, and empty or binary files refused. */
#include "read_collect.h"
#include "test_util.h"

#define NB "\xC2\xA0"

START_TEST(fixture_puces) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_txt, &c, "articles/txt/puces-nvidia.txt"), 0);
  ck_assert_int_eq(c.n, 1);
  ck_assert_int_eq(c.nproblems, 0);
  collected *a = &c.a[0];
  ck_assert_str_eq(a->title, "Pékin face à la pénurie de puces Nvidia");
  ck_assert_ptr_null(a->date);
  ck_assert_ptr_null(a->id);
  ck_assert(strncmp(a->body, "En octobre, plus de deux cents", 30) == 0);
  ck_assert(!body_has(a, ".jpg"));
  /* The repeated quote is kept once. */
  const char *q = "« La Chine est confrontée";
  char *first = strstr(a->body, q);
  ck_assert_ptr_nonnull(first);
  ck_assert_ptr_null(strstr(first + 1, q));
  ck_assert(body_has(a, "H100.\n« La Chine"));
  ck_assert(body_has(a, "mondiale.\n\nLe marché"));
  ck_assert(body_has(a, "Nvidia" NB "? Les industriels s’y préparent déjà."));
  ck_assert(a->body[a->body_len - 1] == '.');
  collector_free(&c);
}
END_TEST

START_TEST(fixture_velo) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_txt, &c, "articles/txt/velo-paris.txt"), 0);
  ck_assert_str_eq(c.a[0].title, "Le vélo gagne du terrain à Paris");
  ck_assert(body_has(&c.a[0], "cinq ans.\nLes pistes"));
  ck_assert(body_has(&c.a[0], "pointe.\n\nLa mairie"));
  collector_free(&c);
}
END_TEST

START_TEST(crlf_and_blank_lines) {
  collector c = {0};
  const char *s = "\r\n\r\n  Titre  \r\nLigne un\r\nLigne deux\r\n\r\n\r\n\r\nParagraphe deux\r\n";
  ck_assert_int_eq(read_str(fouille__read_txt, &c, s, -1), 0);
  ck_assert_str_eq(c.a[0].title, "Titre");
  ck_assert_str_eq(c.a[0].body, "Ligne un\nLigne deux\n\nParagraphe deux");
  collector_free(&c);
}
END_TEST

START_TEST(noise) {
  collector c = {0};
  const char *s = "Titre\nTitre\nimage.PNG\nphoto de vacances.jpg\nA\nA\nB\nA\nlogo.svg\n";
  ck_assert_int_eq(read_str(fouille__read_txt, &c, s, -1), 0);
  /* A file name with spaces is prose; a repeat only drops the next line. */
  ck_assert_str_eq(c.a[0].body, "photo de vacances.jpg\nA\nB\nA");
  collector_free(&c);
}
END_TEST

START_TEST(title_only) {
  collector c = {0};
  ck_assert_int_eq(read_str(fouille__read_txt, &c, "Seulement un titre", -1), 0);
  ck_assert_str_eq(c.a[0].title, "Seulement un titre");
  ck_assert_str_eq(c.a[0].body, "");
  collector_free(&c);
}
END_TEST

START_TEST(empty_and_binary) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_txt, &c, "broken/empty.txt"), FOUILLE_EPARSE);
  ck_assert_str_eq(fouille_error_last(), "empty file");
  ck_assert_int_eq(read_str(fouille__read_txt, &c, " \n\t\r\n" NB "\n", -1), FOUILLE_EPARSE);
  ck_assert_str_eq(fouille_error_last(), "empty file");
  ck_assert_int_eq(read_fixture(fouille__read_txt, &c, "broken/binaire.txt"), FOUILLE_EPARSE);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "binary file"));
  ck_assert_int_eq(c.n, 0);
  collector_free(&c);
}
END_TEST

START_TEST(latin1) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_txt, &c, "broken/latin1.txt"), 0);
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_str_eq(c.problems[0], "converted from Windows-1252");
  ck_assert_str_eq(c.a[0].title, "L’été caniculaire inquiète les œnologues");
  ck_assert(body_has(&c.a[0], "d’avance" NB ": « du jamais vu »"));
  ck_assert(body_has(&c.a[0], "120 € par hectare."));
  collector_free(&c);
}
END_TEST

START_TEST(invalid_utf8) {
  collector c = {0};
  ck_assert_int_eq(read_fixture(fouille__read_txt, &c, "broken/invalid-utf8.txt"), 0);
  ck_assert_int_eq(c.nwarnings, 1);
  ck_assert_ptr_nonnull(strstr(c.problems[0], "U+FFFD"));
  ck_assert_str_eq(c.a[0].title, "Réunion du conseil municipal");
  ck_assert(body_has(&c.a[0], "malgré \xEF\xBF\xBD\xEF\xBF\xBD des débats"));
  collector_free(&c);
}
END_TEST

START_TEST(callback_stops) {
  collector c = {.stop_with = 7};
  ck_assert_int_eq(read_str(fouille__read_txt, &c, "T\nB", -1), 7);
  collector_free(&c);
}
END_TEST

START_TEST(big_body_linear) {
  size_t lines = 200000, len = 0;
  char *s = malloc(lines * 40 + 16);
  len += (size_t)sprintf(s, "Grand fichier\n");
  for (size_t i = 0; i < lines; i++)
    len += (size_t)sprintf(s + len, "ligne numéro %zu du texte\n", i);
  collector c = {0};
  ck_assert_int_eq(read_str(fouille__read_txt, &c, s, len), 0);
  ck_assert(c.a[0].body_len > lines * 20);
  collector_free(&c);
  free(s);
}
END_TEST

/* Lines ended by CR only, one LF at the very end: the reader keeps where
 * it found the next LF and CR (a fresh search of both per line would be
 * quadratic here), and every line still ends at its own CR. */
START_TEST(cr_lines_one_lf) {
  size_t lines = 20000, len = 0;
  char *s = malloc(lines * 16 + 16);
  len += (size_t)sprintf(s, "Titre\r");
  for (size_t i = 0; i < lines; i++) len += (size_t)sprintf(s + len, "l%zu\r", i % 2 ? i : 0);
  s[len - 1] = '\n';
  collector c = {0};
  ck_assert_int_eq(read_str(fouille__read_txt, &c, s, len), 0);
  size_t n = 0;
  for (const char *p = c.a[0].body; *p; p++) n += *p == '\n';
  ck_assert_uint_eq(n, lines - 1); /* every line kept: none repeats the one before */
  ck_assert(body_has(&c.a[0], "l0\nl19999"));
  collector_free(&c);
  free(s);
}
END_TEST

/* Line ends of every kind, and the image-name lines dropped or kept. */
START_TEST(line_ends_and_image_names) {
  static const struct {
    const char *in, *body;
  } cases[] = {
      /* CR alone, LF alone, CRLF and LF CR (a line end, then an empty line). */
      {"Titre\rUn\r\rDeux\nTrois\r\nQuatre\n\rCinq\r", "Un\n\nDeux\nTrois\nQuatre\n\nCinq"},
      /* A tab, like a space, makes it prose; ".png" alone is not a name. */
      {"Titre\nA\n2817.JPEG\nB\nun\tnom.gif\nC\nx.webp\n.png\nD\npng\nsvg.svg\n",
       "A\nB\nun\tnom.gif\nC\n.png\nD\npng"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    collector c = {0};
    ck_assert_int_eq(read_str(fouille__read_txt, &c, cases[i].in, -1), 0);
    ck_assert_str_eq(c.a[0].title, "Titre");
    ck_assert_msg(strcmp(c.a[0].body, cases[i].body) == 0, "case %zu: '%s'", i, c.a[0].body);
    collector_free(&c);
  }
}
END_TEST

START_TEST(format_of) {
  ck_assert_int_eq(fouille__format_of("a/b.txt"), FOUILLE__FORMAT_TXT);
  ck_assert_int_eq(fouille__format_of("2019/Article.TXT"), FOUILLE__FORMAT_TXT);
  ck_assert_int_eq(fouille__format_of("x.md"), FOUILLE__FORMAT_MD);
  ck_assert_int_eq(fouille__format_of("x.Markdown"), FOUILLE__FORMAT_MD);
  ck_assert_int_eq(fouille__format_of("x.html"), FOUILLE__FORMAT_HTML);
  ck_assert_int_eq(fouille__format_of("x.HTM"), FOUILLE__FORMAT_HTML);
  ck_assert_int_eq(fouille__format_of("x.jsonl"), FOUILLE__FORMAT_JSONL);
  ck_assert_int_eq(fouille__format_of("x.ndjson"), FOUILLE__FORMAT_JSONL);
  ck_assert_int_eq(fouille__format_of(".hidden.txt"), FOUILLE__FORMAT_TXT);
  const char *none[] = {"x.json", "x.txt.gz", "x.pdf", "txt",     "dir.txt/file",
                        ".txt",   "x.",       "",      "x.htmlx", "x.tx"};
  for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
    ck_assert_msg(fouille__format_of(none[i]) == FOUILLE__FORMAT_NONE, "%s", none[i]);
  ck_assert_int_eq(fouille__format_of(NULL), FOUILLE__FORMAT_NONE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("read_txt");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, format_of);
  tcase_add_test(tc, fixture_puces);
  tcase_add_test(tc, fixture_velo);
  tcase_add_test(tc, crlf_and_blank_lines);
  tcase_add_test(tc, noise);
  tcase_add_test(tc, title_only);
  tcase_add_test(tc, empty_and_binary);
  tcase_add_test(tc, latin1);
  tcase_add_test(tc, invalid_utf8);
  tcase_add_test(tc, callback_stops);
  tcase_add_test(tc, big_body_linear);
  tcase_add_test(tc, line_ends_and_image_names);
  tcase_add_test(tc, cr_lines_one_lf);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
