/* Sentence boundaries: French abbreviations, numbers, ellipses, guillemets,
 * initials, newlines, and hostile bytes. Each case lists the exact split. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_private.h"
#include "test_util.h"

/* The sentences of text joined by " | ", each trimmed of trailing spaces. */
static const char *split(const char *text) {
  static char out[4096];
  size_t starts[64], len = strlen(text);
  size_t n = fouille__sentences(text, len, starts, 64);
  ck_assert_uint_le(n, 64);
  out[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    size_t e = i + 1 < n ? starts[i + 1] : len;
    ck_assert_uint_lt(starts[i], e);
    while (e > starts[i] && strchr(" \t\r\n", text[e - 1])) e--;
    if (i) strcat(out, " | ");
    strncat(out, text + starts[i], e - starts[i]);
  }
  return out;
}

#define SPLITS(text, want) ck_assert_str_eq(split(text), want)

START_TEST(plain) {
  SPLITS("Il pleut. Le vent souffle! Qui vient?", "Il pleut. | Le vent souffle! | Qui vient?");
  SPLITS("Une seule phrase sans point", "Une seule phrase sans point");
  SPLITS("  Espaces devant. Et après.  ", "Espaces devant. | Et après.");
}
END_TEST

START_TEST(abbreviations) {
  SPLITS("M. Dupont est là. Mme Durand aussi.", "M. Dupont est là. | Mme Durand aussi.");
  SPLITS("Le Dr. House et Mme. Martin arrivent. Ensuite ?",
         "Le Dr. House et Mme. Martin arrivent. | Ensuite ?");
  SPLITS("Voir p. 12 et MM. Durand. Fin.", "Voir p. 12 et MM. Durand. | Fin.");
  SPLITS("En 52 av. J.-C. César arriva. Puis il partit.",
         "En 52 av. J.-C. César arriva. | Puis il partit.");
}
END_TEST

START_TEST(numbers) {
  SPLITS("Il a gagné 3,5 millions. Puis 3.5 autres. Fin.",
         "Il a gagné 3,5 millions. | Puis 3.5 autres. | Fin.");
  SPLITS("Voir www.exemple.fr pour tout. 12 personnes sont venues.",
         "Voir www.exemple.fr pour tout. | 12 personnes sont venues.");
}
END_TEST

START_TEST(etc) {
  SPLITS("Des pommes, des poires, etc. et des prunes. Voilà.",
         "Des pommes, des poires, etc. et des prunes. | Voilà.");
  SPLITS("Des pommes, des poires, etc. Le lendemain, rien.",
         "Des pommes, des poires, etc. | Le lendemain, rien.");
}
END_TEST

START_TEST(ellipses) {
  SPLITS("Il hésita... puis partit. Enfin... Le silence.",
         "Il hésita... puis partit. | Enfin... | Le silence.");
  SPLITS("Attendre… encore. Toujours… Jamais.", "Attendre… encore. | Toujours… | Jamais.");
}
END_TEST

START_TEST(quotes) {
  SPLITS("Il dit : « Je pars. » Puis il partit.", "Il dit : « Je pars. » | Puis il partit.");
  SPLITS("Il dit\xc2\xa0: «\xc2\xa0Non\xc2\xa0!\xc2\xa0» et il rit. Fin.",
         "Il dit\xc2\xa0: «\xc2\xa0Non\xc2\xa0!\xc2\xa0» et il rit. | Fin.");
  SPLITS("Elle cria \"Stop!\" Tout s'arrêta.", "Elle cria \"Stop!\" | Tout s'arrêta.");
  SPLITS("Fin. « Début » ici.", "Fin. | « Début » ici.");
}
END_TEST

START_TEST(runs) {
  SPLITS("Vraiment ?! Oui !!! Bon.", "Vraiment ?! | Oui !!! | Bon.");
  SPLITS("Quoi ?? Non.", "Quoi ?? | Non.");
}
END_TEST

START_TEST(newlines) {
  SPLITS("Titre sans point\nLe texte suit\n\nUn paragraphe. Fin",
         "Titre sans point | Le texte suit | Un paragraphe. | Fin");
  SPLITS("ligne en minuscule\r\nsuite en minuscule", "ligne en minuscule | suite en minuscule");
}
END_TEST

START_TEST(initials) {
  SPLITS("J. R. R. Tolkien écrivit. Puis il mourut.",
         "J. R. R. Tolkien écrivit. | Puis il mourut.");
}
END_TEST

START_TEST(hostile) {
  ck_assert_uint_eq(fouille__sentences("", 0, NULL, 0), 0);
  ck_assert_uint_eq(fouille__sentences(NULL, 0, NULL, 0), 0);
  size_t st[8];
  ck_assert_uint_eq(fouille__sentences(" \n\t ", 4, st, 8), 0);
  /* The count is returned even when starts[] is too small. */
  ck_assert_uint_eq(fouille__sentences("Un. Deux. Trois. Quatre.", 24, st, 2), 4);
  ck_assert_uint_eq(st[1], 4);
  const char bad[] = "Fin\xff. Début\xc3. Suite\0. Puis.\xe2\x80";
  size_t n = fouille__sentences(bad, sizeof bad - 1, st, 8);
  ck_assert_uint_ge(n, 1);
  ck_assert_uint_le(n, 8);
  for (size_t i = 0; i < n; i++) ck_assert_uint_lt(st[i], sizeof bad - 1);
  /* Random bytes: boundaries are increasing and inside the text. */
  static unsigned char junk[65536];
  static size_t many[65536];
  srand(7);
  for (size_t i = 0; i < sizeof junk; i++)
    junk[i] = (unsigned char)(rand() % 7 == 0 ? '.' : rand());
  n = fouille__sentences((const char *)junk, sizeof junk, many, 65536);
  for (size_t i = 1; i < n && i < 65536; i++) ck_assert_uint_gt(many[i], many[i - 1]);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sentence");
  TCase *t = tcase_create("core");
  tcase_add_test(t, plain);
  tcase_add_test(t, abbreviations);
  tcase_add_test(t, numbers);
  tcase_add_test(t, etc);
  tcase_add_test(t, ellipses);
  tcase_add_test(t, quotes);
  tcase_add_test(t, runs);
  tcase_add_test(t, newlines);
  tcase_add_test(t, initials);
  tcase_add_test(t, hostile);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
