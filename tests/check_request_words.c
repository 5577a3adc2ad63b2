/* Request words (query/request_words.c): the list by stem and by form, the
 * inverted question forms, and on a small help archive written here:
 * questions rank the article holding the subject first, request words are
 * never dropped (an article about a failure still ranks for a question
 * about a failure), phrase queries rank as they did without weights (the
 * SQL fouille_rank, which knows no request word), the bounded top k equals
 * row-by-row scoring with the weights, and passages favour the subject. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "fouille/fts5.h"
#include "query_private.h"
#include "test_util.h"

/* ---- The list ----------------------------------------------------------------- */

static int request(fouille_analyzer *an, const char *w, const char *next) {
  return fouille__is_request_word(an, w, strlen(w), next, next ? strlen(next) : 0);
}

START_TEST(by_stem_and_form) {
  fouille_analyzer *an = NULL;
  ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK);
  static const char *const yes[] = {
      "comment", "Comment",  "moyen",  "moyens",   "façon",    "FAÇONS",   "facon", "manières",
      "méthode", "methodes", "besoin", "voudrais", "veux",     "pouvons",  "peut",  "dois",
      "faut",    "faire",    "faites", "trouver",  "cherche",  "aide",     "aidez", "problèmes",
      "échoue",  "échouer",  "existe", "svp",      "possible", "quelqu'un"};
  static const char *const no[] = {"imprimer", "calques",   "moyenne",    "fonction",    "existant",
                                   "faute",    "recherche", "impression", "utilisateur", "grille",
                                   "",         "peut-être", "marché"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    ck_assert_msg(request(an, yes[i], NULL), "%s is a request word", yes[i]);
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    ck_assert_msg(!request(an, no[i], NULL), "%s is no request word", no[i]);
  /* Failure verbs only when negated: "ne marche pas", not "comment marche". */
  ck_assert(request(an, "marche", "pas") && request(an, "fonctionne", "plus"));
  ck_assert(request(an, "arrive", "PAS"));
  ck_assert(!request(an, "marche", "le") && !request(an, "fonctionne", NULL));
  ck_assert(!request(an, "arrive", "demain"));
  ck_assert(!fouille__is_request_word(NULL, "comment", 7, NULL, 0));
  fouille_analyzer_free(an);
}
END_TEST

START_TEST(inversions) {
  static const struct {
    const char *in, *out;
  } c[] = {{"peut-on", "peut"},
           {"a-t-il", "a"},
           {"A-T-ELLE", "A"},
           {"dois-je", "dois"},
           {"est-ce", "est"},
           {"y-a-t-il", "y-a"},
           {"faut-il", "faut"},
           {"pouvez-vous", "pouvez"},
           {"aidez-moi", "aidez"},
           {"vont-elles", "vont"},
           {"rendez-vous", "rendez-vous"},
           {"États-Unis", "États-Unis"},
           {"-on", "-on"},
           {"on", "on"},
           {"arc-en-ciel", "arc-en-ciel"},
           {"sais-tu", "sais"},
           {"va-t-on", "va"}};
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    size_t n = fouille__inversion_cut(c[i].in, strlen(c[i].in));
    ck_assert_msg(n == strlen(c[i].out) && strncmp(c[i].in, c[i].out, n) == 0, "%s gave %.*s",
                  c[i].in, (int)n, c[i].in);
  }
  ck_assert(fouille__is_stopword("y-a", 3) && fouille__is_stopword("est-ce-que", 10));
  ck_assert(fouille__is_stopword("qu'est-ce", 9) && !fouille__is_stopword("peut-on", 7));
}
END_TEST

/* ---- A help archive ----------------------------------------------------------- */

static char *dir, *db_path;
static fouille_index *ix;
static fouille_results *res;

/* c: the subject of a question; m: request words and part of the subject;
 * p, e: printing, and printing that fails; g, f: the grid and a "façon"
 * article; the others make the words' frequencies. */
static const char archive[] =
    "{\"id\":\"c\",\"title\":\"Fusionner des calques\",\"body\":\"Dans la fenêtre des calques, "
    "sélectionnez deux calques puis choisissez Fusionner.\",\"source\":\"aide\"}\n"
    "{\"id\":\"m\",\"title\":\"Un moyen simple de fusionner deux fichiers\",\"body\":\"Il existe "
    "toujours un moyen. Le moyen le plus simple de fusionner deux fichiers est la commande "
    "merge : un moyen sûr.\",\"source\":\"aide\"}\n"
    "{\"id\":\"p\",\"title\":\"L'impression\",\"body\":\"L'impression d'un document se lance "
    "depuis le menu Fichier. L'impression recto verso se règle dans les "
    "options.\",\"source\":\"aide\"}\n"
    "{\"id\":\"e\",\"title\":\"L'impression\",\"body\":\"Quand l'impression échoue, vérifiez "
    "l'imprimante puis relancez.\",\"source\":\"aide\"}\n"
    "{\"id\":\"g\",\"title\":\"La grille\",\"body\":\"La grille s'affiche dans la vue. "
    "Réglez son espacement dans les options.\",\"source\":\"aide\"}\n"
    "{\"id\":\"f\",\"title\":\"Une autre façon de régler l'affichage\",\"body\":\"Chaque façon "
    "de régler l'affichage a ses avantages ; cette façon est la plus rapide, une façon "
    "sûre.\",\"source\":\"aide\"}\n"
    "{\"id\":\"h\",\"title\":\"Comment faire ?\",\"body\":\"Comment faire pour trouver de "
    "l'aide : il faut chercher dans l'aide. Comment faire mieux ?\",\"source\":\"aide\"}\n"
    "{\"id\":\"o1\",\"title\":\"Options\",\"body\":\"Les options du document et de la "
    "vue.\",\"source\":\"aide\"}\n"
    "{\"id\":\"o2\",\"title\":\"Fichiers\",\"body\":\"Ouvrir et enregistrer des "
    "fichiers.\",\"source\":\"aide\"}\n"
    "{\"id\":\"o3\",\"title\":\"Vue\",\"body\":\"La vue montre le "
    "document.\",\"source\":\"aide\"}\n";

static void setup(void) {
  dir = test_tmpdir();
  test_write(dir, "arch/aide.jsonl", archive, (size_t)-1);
  db_path = malloc(strlen(dir) + 16);
  strcpy(db_path, dir), strcat(db_path, "/index.db");
  char arch[4096];
  snprintf(arch, sizeof arch, "%s/arch", dir);
  const char *paths[] = {arch};
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  ck_assert_msg(fouille_index_update(NULL, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
}

static void teardown(void) {
  fouille_results_free(res), res = NULL;
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir), free(db_path);
}

static void search_with(const char *q, const fouille_search_options *o) {
  fouille_results_free(res), res = NULL;
  ck_assert_msg(fouille_search(&res, ix, q, o) == FOUILLE_OK, "%s: %s", q, fouille_error_last());
}

static const char *id_at(size_t i) {
  const fouille_hit *h = fouille_results_hit(res, i);
  return h ? strrchr(h->key, '#') + 1 : "(none)";
}

/* The position of id among the hits, or -1. */
static int rank_of(const char *id) {
  for (size_t i = 0; i < fouille_results_count(res); i++)
    if (strcmp(id_at(i), id) == 0) return (int)i;
  return -1;
}

static void hit_ids(char *out, size_t cap);

/* The ids of expr's matches ranked by the SQL fouille_rank into out
 * (space-separated), scores[] their scores. Without query, fouille_rank
 * weighs every phrase alike (as fouille_search did before request words);
 * with it (after the column weights), as fouille_search does. */
static size_t sql_ranking(const char *expr, const char *query, char *out, size_t cap,
                          double *scores) {
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  size_t n = 0, at = 0;
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT a.key, fouille_rank(articles_fts%s) AS score FROM articles_fts JOIN articles"
           " a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ?1 ORDER BY score, a.date"
           " DESC, a.key",
           query ? ", 4.0, 1.0, ?2" : "");
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(fouille_fts5_register(db), FOUILLE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
  if (query) sqlite3_bind_text(st, 2, query, -1, SQLITE_TRANSIENT);
  out[0] = '\0';
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *k = strrchr((const char *)sqlite3_column_text(st, 0), '#') + 1;
    if (scores) scores[n] = -sqlite3_column_double(st, 1);
    at += (size_t)snprintf(out + at, cap - at, "%s%s", n++ ? " " : "", k);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

/* The hits must be the SQL ranking of their expression, keys and scores. */
static void same_as_sql(const char *q, const char *query) {
  char ids[512], want[512];
  double scores[64];
  size_t n = sql_ranking(fouille_results_expression(res), query, want, sizeof want, scores);
  hit_ids(ids, sizeof ids);
  ck_assert_msg(strcmp(ids, want) == 0, "%s: [%s], not [%s]", q, ids, want);
  ck_assert_uint_eq(n, fouille_results_count(res));
  for (size_t k = 0; k < n; k++)
    ck_assert_msg(fouille_results_hit(res, k)->score == scores[k], "%s: score %zu", q, k);
}

/* The hits' ids, space-separated. */
static void hit_ids(char *out, size_t cap) {
  size_t at = 0;
  out[0] = '\0';
  for (size_t i = 0; i < fouille_results_count(res); i++)
    at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? " " : "", id_at(i));
}

/* Questions rank the article holding the subject first, where weighing
 * every word alike (the SQL fouille_rank) puts a request word's article
 * first. */
START_TEST(questions_rank_the_subject) {
  static const struct {
    const char *q, *want, *unweighted;
  } c[] = {{"y a-t-il un moyen de fusionner deux calques ?", "c", "m"},
           {"de quelle façon régler la grille ?", "g", "f"},
           {"Comment faire pour fusionner des calques ?", "c", "h"}};
  char ids[512];
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    search_with(c[i].q, NULL);
    ck_assert_msg(strcmp(id_at(0), c[i].want) == 0, "%s: %s first", c[i].q, id_at(0));
    ck_assert_msg(!fouille_results_fallback(res), "%s: the subject is held", c[i].q);
    sql_ranking(fouille_results_expression(res), NULL, ids, sizeof ids, NULL);
    ck_assert_msg(strncmp(ids, c[i].unweighted, 1) == 0 && ids[1] == ' ', "%s: unweighted %s",
                  c[i].q, ids);
  }
}
END_TEST

/* By date, a question lists the articles holding its subject, not those
 * holding every request word (none) nor any word (all). */
START_TEST(by_date_the_subject) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.sort = FOUILLE_SORT_DATE;
  search_with("y a-t-il un moyen de fusionner deux calques ?", &o);
  ck_assert_uint_eq(fouille_results_total(res), 1);
  ck_assert_str_eq(id_at(0), "c");
  ck_assert(!fouille_results_fallback(res));
  search_with("de quelle façon régler la grille ?", &o);
  ck_assert_uint_eq(fouille_results_total(res), 1);
  ck_assert_str_eq(id_at(0), "g");
  search_with("comment faire ?", &o); /* request words only: all required */
  ck_assert_uint_eq(fouille_results_total(res), 1);
  ck_assert_str_eq(id_at(0), "h");
}
END_TEST

/* Request words are never dropped: the article about printing that fails
 * comes first for a question about printing that fails, while without
 * "échoue" the other printing article does; a query of request words only
 * finds them. */
START_TEST(never_dropped) {
  search_with("pourquoi l'impression échoue ?", NULL);
  ck_assert_str_eq(id_at(0), "e");
  ck_assert_int_ge(rank_of("p"), 1);
  search_with("pourquoi l'impression ?", NULL);
  ck_assert_str_eq(id_at(0), "p");
  search_with("comment faire ?", NULL);
  ck_assert_str_eq(id_at(0), "h");
  search_with("l'impression échoue", NULL);
  ck_assert_str_eq(id_at(0), "e");
}
END_TEST

/* Phrase queries holding request words rank exactly as without weights:
 * the same hits, in the same order, with the same scores as the SQL
 * fouille_rank. */
START_TEST(phrases_unchanged) {
  static const char *const q[] = {
      "\"moyen simple\"",           "\"comment faire\"",
      "\"l'impression échoue\"",    "\"moyen de fusionner\" \"deux calques\"",
      "\"façon de régler\" grille", "\"il faut chercher\" OR \"moyen\""};
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.limit = 64;
  for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
    search_with(q[i], &o);
    same_as_sql(q[i], NULL);
  }
}
END_TEST

/* The SQL fouille_rank given the query after the column weights ranks as
 * fouille_search does, request words included. */
START_TEST(sql_with_the_query) {
  static const char *const q[] = {
      "y a-t-il un moyen de fusionner deux calques ?", "de quelle façon régler la grille ?",
      "pourquoi l'impression échoue", "comment faire ?", "\"comment faire\" grille"};
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.limit = 64;
  for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
    search_with(q[i], &o);
    same_as_sql(q[i], q[i]);
  }
}
END_TEST

/* With request words, the top k from bounds (no filter) equals the
 * matches scored row by row (a source filter every article passes), keys
 * and scores. */
START_TEST(bounded_equals_rows) {
  static const char *const q[] = {"y a-t-il un moyen de fusionner deux calques ?",
                                  "comment faire pour régler la grille ?",
                                  "pourquoi l'impression échoue", "besoin d'aide : options"};
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  unsigned long before = fouille__search_bounded_runs();
  char a[512], b[512];
  double sa[64];
  o.limit = 5, o.passages = 0;
  for (int rep = 0; rep < 3; rep++)
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
      o.source = NULL;
      search_with(q[i], &o);
      hit_ids(a, sizeof a);
      for (size_t k = 0; k < fouille_results_count(res); k++)
        sa[k] = fouille_results_hit(res, k)->score;
      o.source = "aide";
      search_with(q[i], &o);
      hit_ids(b, sizeof b);
      ck_assert_msg(strcmp(a, b) == 0, "%s: [%s] and [%s]", q[i], a, b);
      for (size_t k = 0; k < fouille_results_count(res); k++)
        ck_assert_msg(fouille_results_hit(res, k)->score == sa[k], "%s: score %zu", q[i], k);
    }
  ck_assert_uint_gt(fouille__search_bounded_runs() - before, 0);
}
END_TEST

/* Passages: a sentence of request words no longer outweighs the sentence
 * holding the subject. */
START_TEST(passages_favour_the_subject) {
  static const char body[] = "Comment faire ? Voici comment faire vite. Fusionner les calques : "
                             "choisissez Fusionner.";
  fouille_analyzer *an = NULL;
  fouille__qterm t[4] = {
      {"comment", 0, 0, 1}, {"faire", 0, 0, 1}, {"fusionner", 0, 0, 0}, {"calques", 0, 0, 0}};
  fouille_passage *ps = NULL;
  size_t n = 0;
  ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK);
  ck_assert_int_eq(fouille__passages_make(an, body, strlen(body), t, NULL, 4, 1, 45, &ps, &n), 0);
  ck_assert_uint_eq(n, 1);
  ck_assert_msg(strstr(ps[0].text, "calques") != NULL, "%s", ps[0].text);
  fouille__passages_free(ps, n);
  t[0].request = t[1].request = 0; /* weighed alike: the request words' sentences win */
  ck_assert_int_eq(fouille__passages_make(an, body, strlen(body), t, NULL, 4, 1, 45, &ps, &n), 0);
  ck_assert_msg(strstr(ps[0].text, "calques") == NULL, "%s", ps[0].text);
  fouille__passages_free(ps, n);
  fouille_analyzer_free(an);
}
END_TEST

int main(void) {
  Suite *s = suite_create("request_words");
  TCase *l = tcase_create("list");
  tcase_add_test(l, by_stem_and_form);
  tcase_add_test(l, inversions);
  tcase_add_test(l, passages_favour_the_subject);
  suite_add_tcase(s, l);
  TCase *t = tcase_create("search");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, questions_rank_the_subject);
  tcase_add_test(t, never_dropped);
  tcase_add_test(t, by_date_the_subject);
  tcase_add_test(t, phrases_unchanged);
  tcase_add_test(t, sql_with_the_query);
  tcase_add_test(t, bounded_equals_rows);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
