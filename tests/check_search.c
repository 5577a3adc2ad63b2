/* fouille_search on a small French archive indexed by the library itself:
 * accents, elisions, inflections, phrases, NOT, OR, prefixes, title:,
 * the any-word fallback, date and source filters, sorting, paging, totals,
 * passages, and errors. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fouille.h"
#include "fouille/fts5.h"
#include "query_private.h"
#include "test_util.h"

static char *dir, *db_path;
static fouille_index *ix;
static fouille_results *res;

static const char archive[] =
    "{\"id\":\"a1\",\"title\":\"La sécurité des réseaux\",\"body\":\"L’État renforce la sécurité "
    "informatique. Les pirates attaquent les hôpitaux.\",\"date\":\"2024-03-12\",\"source\":\"Le "
    "Monde\",\"url\":\"https://exemple.fr/a1\"}\n"
    "{\"id\":\"a2\",\"title\":\"Les puces électroniques\",\"body\":\"Les États-Unis fabriquent "
    "des puces. La sécurité des puces est un enjeu.\",\"date\":\"2023-06-01\",\"source\":\"AFP\"}\n"
    "{\"id\":\"a3\",\"title\":\"Vélo à Paris\",\"body\":\"Les pistes cyclables de Paris sont "
    "pleines. La mairie investit.\",\"date\":\"2024-01-05\",\"source\":\"AFP\"}\n"
    "{\"id\":\"a4\",\"title\":\"Chalutiers bretons\",\"body\":\"Les pêcheurs de Lorient rentrent "
    "au port. La mer est forte : la sécurité en mer d’abord.\",\"date\":\"2022-11-20\","
    "\"source\":\"Ouest\"}\n"
    "{\"id\":\"a5\",\"title\":\"Marché du blé\",\"body\":\"Le prix du blé s’envole à Chicago.\","
    "\"date\":\"2024-03-30\",\"source\":\"AFP\"}\n";

static void setup(void) {
  dir = test_tmpdir();
  test_write(dir, "arch/depeches.jsonl", archive, (size_t)-1);
  db_path = malloc(strlen(dir) + 16);
  strcpy(db_path, dir), strcat(db_path, "/index.db");
  char arch[4096];
  snprintf(arch, sizeof arch, "%s/arch", dir);
  const char *paths[] = {arch};
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  ck_assert_msg(fouille_index_update(&sum, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
  ck_assert_uint_eq(sum.articles_added, 5);
}

static void teardown(void) {
  fouille_results_free(res), res = NULL;
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir), free(db_path);
}

/* Runs q and returns the total. */
static uint64_t search_with(const char *q, const fouille_search_options *o) {
  fouille_results_free(res), res = NULL;
  ck_assert_msg(fouille_search(&res, ix, q, o) == FOUILLE_OK, "%s: %s", q, fouille_error_last());
  return fouille_results_total(res);
}

static uint64_t search(const char *q) { return search_with(q, NULL); }

/* Non-zero when the hit list holds the article with id (e.g. "a1"). */
static int has(const char *id) {
  for (size_t i = 0; i < fouille_results_count(res); i++) {
    const char *k = fouille_results_hit(res, i)->key, *h = strrchr(k, '#');
    if (h && strcmp(h + 1, id) == 0) return 1;
  }
  return 0;
}

static const char *id_at(size_t i) {
  const fouille_hit *h = fouille_results_hit(res, i);
  ck_assert_ptr_nonnull(h);
  return strrchr(h->key, '#') + 1;
}

START_TEST(accents_elisions_inflections) {
  ck_assert_uint_eq(search("securite"), 3);
  ck_assert(has("a1") && has("a2") && has("a4"));
  ck_assert_uint_eq(search("SÉCURITÉ"), 3);
  uint64_t etat = search("état");
  ck_assert_uint_eq(search("L’Etat"), etat);
  ck_assert(has("a1"));
  ck_assert_uint_eq(search("l'etat"), etat);
  ck_assert_uint_eq(search("puce"), 1);
  ck_assert(has("a2"));
  ck_assert_uint_eq(search("etats-unis"), 1);
  ck_assert_uint_eq(search("xylophone"), 0);
  ck_assert_uint_eq(fouille_results_count(res), 0);
}
END_TEST

START_TEST(operators) {
  ck_assert_uint_eq(search("\"pistes cyclables\""), 1);
  ck_assert(has("a3"));
  ck_assert_uint_eq(search("\"cyclables pistes\""), 0);
  ck_assert_uint_eq(search("securite -puces"), 2);
  ck_assert(has("a1") && has("a4") && !has("a2"));
  ck_assert_uint_eq(search("velo OR chalutiers"), 2);
  ck_assert_uint_eq(search("secu*"), 3);
  ck_assert_uint_eq(search("title:securite"), 1);
  ck_assert(has("a1"));
  ck_assert_uint_eq(search("'; DROP TABLE articles; --"), 0);
  ck_assert_uint_eq(search("securite"), 3); /* still there */
}
END_TEST

START_TEST(fallback) {
  ck_assert_uint_eq(search("velo lorient"), 2);
  ck_assert_int_eq(fouille_results_fallback(res), 1);
  ck_assert(has("a3") && has("a4"));
  ck_assert_ptr_nonnull(strstr(fouille_results_expression(res), "OR"));
  ck_assert_uint_eq(search("securite puces"), 3); /* a2 holds both; a1, a4 one */
  ck_assert_int_eq(fouille_results_fallback(res), 0);
  ck_assert_str_eq(fouille_results_query(res), "securite puces");
}
END_TEST

/* By relevance the any-word form is ranked, those holding every word first;
 * by date (and its count) every word is still required. */
START_TEST(any_word_ranking) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  ck_assert_uint_eq(search("securite mer"), 3);
  ck_assert_str_eq(id_at(0), "a4"); /* the only one with "mer" */
  ck_assert_int_eq(fouille_results_fallback(res), 0);
  ck_assert_ptr_nonnull(strstr(fouille_results_expression(res), "OR"));
  o.count_only = 1;
  ck_assert_uint_eq(search_with("securite mer", &o), 3);
  ck_assert_int_eq(fouille_results_fallback(res), 0);
  o.count_only = 0, o.sort = FOUILLE_SORT_DATE;
  ck_assert_uint_eq(search_with("securite mer", &o), 1);
  ck_assert_uint_eq(fouille_results_count(res), 1);
  ck_assert_str_eq(id_at(0), "a4");
  ck_assert_uint_eq(search_with("velo lorient", &o), 2); /* none holds both */
  ck_assert_int_eq(fouille_results_fallback(res), 1);
  o.sort = FOUILLE_SORT_RELEVANCE;
  ck_assert_uint_eq(search_with("securite -mer puces", &o), 2); /* NOT still excludes */
  ck_assert_str_eq(id_at(0), "a2");
  ck_assert(!has("a4"));
}
END_TEST

START_TEST(relevance_and_fields) {
  ck_assert_uint_eq(search("securite"), 3);
  ck_assert_str_eq(id_at(0), "a1"); /* in the title too */
  for (size_t i = 1; i < fouille_results_count(res); i++)
    ck_assert(fouille_results_hit(res, i - 1)->score >= fouille_results_hit(res, i)->score);
  const fouille_hit *h = fouille_results_hit(res, 0);
  ck_assert_str_eq(h->title, "La sécurité des réseaux");
  ck_assert_str_eq(h->date, "2024-03-12");
  ck_assert_str_eq(h->source, "Le Monde");
  ck_assert_str_eq(h->url, "https://exemple.fr/a1");
  search("puce");
  ck_assert_ptr_null(fouille_results_hit(res, 0)->url);
}
END_TEST

START_TEST(passages) {
  search("puce");
  const fouille_hit *h = fouille_results_hit(res, 0);
  ck_assert_uint_ge(h->n_passages, 1);
  const fouille_passage *p = &h->passages[0];
  ck_assert_uint_ge(p->n_spans, 1);
  ck_assert_int_eq(strncmp(p->text + p->spans[0].start, "puces", 5), 0);
  ck_assert_uint_eq(p->spans[0].end - p->spans[0].start, 5);
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.passages = 0;
  search_with("puce", &o);
  ck_assert_uint_eq(fouille_results_hit(res, 0)->n_passages, 0);
}
END_TEST

START_TEST(filters) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.since = "2024";
  ck_assert_uint_eq(search_with("securite", &o), 1);
  ck_assert(has("a1"));
  o.since = NULL, o.until = "2023";
  ck_assert_uint_eq(search_with("securite", &o), 2);
  o.until = "2023-06";
  ck_assert_uint_eq(search_with("securite", &o), 2); /* the whole month */
  o.until = "2023-05";
  ck_assert_uint_eq(search_with("securite", &o), 1);
  ck_assert(has("a4"));
  o.since = "2023-06-01", o.until = "2024-03-12";
  ck_assert_uint_eq(search_with("securite", &o), 2);
  o.since = o.until = NULL, o.source = "AFP";
  ck_assert_uint_eq(search_with("securite", &o), 1);
  ck_assert(has("a2"));
  o.source = "afp";
  ck_assert_uint_eq(search_with("securite", &o), 0);
}
END_TEST

START_TEST(bad_dates) {
  const char *bad[] = {"2024-13", "24", "2024/03/01", "abc", "2024-03-32", "2024-3-1", "2024-03-"};
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    o.since = bad[i];
    ck_assert_int_eq(fouille_search(&res, ix, "securite", &o), FOUILLE_EPARSE);
    ck_assert_ptr_null(res);
    ck_assert_ptr_nonnull(strstr(fouille_error_last(), "(use YYYY-MM-DD)"));
    ck_assert_ptr_nonnull(strstr(fouille_error_last(), bad[i]));
  }
  o.since = NULL, o.until = "2024-00";
  ck_assert_int_eq(fouille_search(&res, ix, "securite", &o), FOUILLE_EPARSE);
}
END_TEST

START_TEST(sort_by_date) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.sort = FOUILLE_SORT_DATE;
  ck_assert_uint_eq(search_with("securite", &o), 3);
  ck_assert_str_eq(id_at(0), "a1");
  ck_assert_str_eq(id_at(1), "a2");
  ck_assert_str_eq(id_at(2), "a4");
  ck_assert_uint_eq(search_with("securite OR ble OR velo", &o), 5);
  ck_assert_str_eq(id_at(0), "a5");
}
END_TEST

START_TEST(paging_and_count) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.limit = 1;
  ck_assert_uint_eq(search_with("securite", &o), 3);
  ck_assert_uint_eq(fouille_results_count(res), 1);
  ck_assert_str_eq(id_at(0), "a1");
  o.limit = 10, o.offset = 1;
  ck_assert_uint_eq(search_with("securite", &o), 3);
  ck_assert_uint_eq(fouille_results_count(res), 2);
  ck_assert(!has("a1"));
  o.offset = 5;
  ck_assert_uint_eq(search_with("securite", &o), 3);
  ck_assert_uint_eq(fouille_results_count(res), 0);
  o.offset = 0, o.count_only = 1;
  ck_assert_uint_eq(search_with("securite", &o), 3);
  ck_assert_uint_eq(fouille_results_count(res), 0);
}
END_TEST

START_TEST(errors) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  ck_assert_int_eq(fouille_search(&res, ix, "", NULL), FOUILLE_EPARSE);
  ck_assert_int_eq(fouille_search(&res, ix, "-securite", NULL), FOUILLE_EPARSE);
  ck_assert_int_eq(fouille_search(&res, ix, NULL, NULL), FOUILLE_EPARSE);
  o.limit = -1;
  ck_assert_int_eq(fouille_search(&res, ix, "securite", &o), FOUILLE_EINVAL);
  o.limit = 10, o.version = 99;
  ck_assert_int_eq(fouille_search(&res, ix, "securite", &o), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_search(&res, NULL, "securite", NULL), FOUILLE_EINVAL);
  ck_assert_ptr_null(res);
  fouille_results_free(NULL);
  ck_assert_uint_eq(fouille_results_count(NULL), 0);
  ck_assert_ptr_null(fouille_results_hit(NULL, 0));
}
END_TEST

/* Whatever the query, fouille_search answers or refuses with a message. */
START_TEST(hostile_queries) {
  const char *qs[] = {"'; DROP TABLE articles; --",
                      "NEAR(a b)",
                      "\"",
                      "((((securite",
                      "**",
                      "secu* -",
                      "title:",
                      "title:-securite puces",
                      "x\xff\xfey",
                      "\x01\x7f",
                      "é*",
                      "’*",
                      "l'*",
                      "-(a OR b) (c",
                      "securite\" OR \"puces"};
  unsigned seed = 7;
  char buf[120];
  for (size_t i = 0; i < 200; i++) {
    const char *q = buf;
    if (i < sizeof qs / sizeof qs[0]) {
      q = qs[i];
    } else {
      size_t n = (size_t)(rand_r(&seed) % (sizeof buf - 1)) + 1;
      for (size_t k = 0; k < n; k++) buf[k] = (char)(1 + rand_r(&seed) % 255);
      buf[n] = '\0';
    }
    fouille_results_free(res), res = NULL;
    int rc = fouille_search(&res, ix, q, NULL);
    ck_assert_msg(rc == FOUILLE_OK || rc == FOUILLE_EPARSE, "%s: %d %s", q, rc,
                  fouille_error_last());
    ck_assert(rc == FOUILLE_OK || *fouille_error_last());
  }
}
END_TEST

/* Searches from several threads on one handle agree with a lone search. */
static void *searcher(void *arg) {
  intptr_t bad = 0;
  for (int i = 0; i < 40; i++) {
    fouille_results *r = NULL;
    const char *q = i % 2 ? "securite" : "velo OR puce";
    if (fouille_search(&r, ix, q, NULL) != FOUILLE_OK ||
        fouille_results_total(r) != (uint64_t)(i % 2 ? 3 : 2) || fouille_results_count(r) == 0 ||
        fouille_results_hit(r, 0)->n_passages == 0)
      bad++;
    fouille_results_free(r);
  }
  (void)arg;
  return (void *)bad;
}

START_TEST(threads) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, searcher, NULL), 0);
  for (int i = 0; i < 4; i++) {
    void *bad;
    pthread_join(t[i], &bad);
    ck_assert_ptr_null(bad);
  }
}
END_TEST

/* ---- Exact top k ----------------------------------------------------------------- */

/* Many articles with equal scores (same title and body), some without a
 * date, two sources: the top k must equal the first k of every match
 * ranked in SQL by fouille_rank, date DESC, key, whatever the limit and
 * offset, whether the column sizes are read ahead or not, and after the
 * index changed under the same handle. */
static char *tk_arch;

static void topk_write(int first, int n, int shift, const char *file) {
  size_t cap = (size_t)n * 400 + 1;
  char *buf = malloc(cap), *o = buf;
  for (int i = first; i < first + n; i++) {
    int g = i % 7, reps = 1 + (i + shift) % 3;
    o += sprintf(o, "{\"id\":\"t%04d\",\"title\":\"%s\",\"body\":\"", i,
                 g == 0   ? "Le réseau"
                 : g == 1 ? "Sécurité du réseau"
                          : "Note");
    for (int r = 0; r < reps; r++) o += sprintf(o, "Le réseau tient. ");
    o += sprintf(o, "%s\"", g < 4 ? "La sécurité aussi." : "Rien d'autre.");
    if (i % 5) o += sprintf(o, ",\"date\":\"2024-0%d-01\"", 1 + i % 4);
    o += sprintf(o, ",\"source\":\"%s\"}\n", i % 2 ? "AFP" : "Ouest");
  }
  test_write(tk_arch, file, buf, (size_t)(o - buf));
  free(buf);
}

static void topk_update(void) {
  const char *paths[] = {tk_arch};
  ck_assert_msg(fouille_index_update(NULL, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
}

static void topk_setup(void) {
  dir = test_tmpdir();
  db_path = malloc(strlen(dir) + 16);
  strcpy(db_path, dir), strcat(db_path, "/index.db");
  tk_arch = malloc(strlen(dir) + 8);
  strcpy(tk_arch, dir), strcat(tk_arch, "/arch");
  topk_write(0, 400, 0, "a.jsonl");
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  topk_update();
}

static void topk_teardown(void) {
  teardown();
  free(tk_arch);
}

/* Compares one search with the exhaustive SQL ranking. */
static void topk_check(sqlite3 *db, const char *q, int limit, int offset, const char *source) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  o.limit = limit, o.offset = offset, o.source = source, o.passages = 0;
  uint64_t total = search_with(q, &o);
  sqlite3_stmt *st;
  ck_assert_int_eq(
      sqlite3_prepare_v2(db,
                         "SELECT a.key, fouille_rank(articles_fts) AS score FROM"
                         " articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                         " WHERE articles_fts MATCH ?1 AND (?4 IS NULL OR a.source = ?4)"
                         " ORDER BY score, a.date DESC, a.key LIMIT ?2 OFFSET ?3",
                         -1, &st, NULL),
      SQLITE_OK);
  sqlite3_bind_text(st, 1, fouille_results_expression(res), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 2, limit), sqlite3_bind_int(st, 3, offset);
  if (source) sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
  size_t i = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const fouille_hit *h = fouille_results_hit(res, i);
    ck_assert_msg(h != NULL, "%s limit %d offset %d: hit %zu missing", q, limit, offset, i);
    ck_assert_msg(strcmp(h->key, (const char *)sqlite3_column_text(st, 0)) == 0,
                  "%s limit %d offset %d: hit %zu is %s, not %s", q, limit, offset, i, h->key,
                  sqlite3_column_text(st, 0));
    ck_assert(h->score == -sqlite3_column_double(st, 1));
    i++;
  }
  sqlite3_finalize(st);
  ck_assert_uint_eq(i, fouille_results_count(res));
  ck_assert_uint_gt(total, 0);
}

static void topk_all(void) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(fouille_fts5_register(db), FOUILLE_OK);
  static const char *const queries[] = {"reseau", "reseau securite", "securite", "note reseau"};
  static const int pages[][2] = {{10, 0}, {1, 0}, {3, 2}, {10, 5}, {50, 17}, {1000, 0}, {5, 900}};
  for (int rep = 0; rep < 2; rep++) /* the second time with the sizes read ahead */
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
      for (size_t p = 0; p < sizeof pages / sizeof *pages; p++) {
        topk_check(db, queries[q], pages[p][0], pages[p][1], NULL);
        topk_check(db, queries[q], pages[p][0], pages[p][1], "AFP");
      }
  sqlite3_close(db);
}

START_TEST(topk_exact_with_ties) {
  topk_all();
  topk_write(400, 150, 0, "b.jsonl"); /* more matches: other frequencies */
  topk_update();
  topk_all();
  topk_write(0, 400, 1, "a.jsonl"); /* the same articles, other sizes */
  topk_update();
  topk_all();
  test_write(tk_arch, "a.jsonl", "", 0); /* fewer */
  topk_update();
  topk_all();
}
END_TEST

/* Varied articles (lengths, repeats, words side by side or apart, in the
 * title or not, accents and plurals): the top k of multi-word queries,
 * answered phrase by phrase from bounds once the sizes are read, must be
 * the exhaustive one, scores to the last bit, and the count every match. */
static const char *const vocab[] = {
    "réseau",  "réseaux", "sécurité", "vélo",      "vélos",  "velo",     "système", "fichiers",
    "fichier", "mot",     "passe",    "paquet",    "debian", "noyau",    "linux",   "serveur",
    "web",     "apache",  "données",  "base",      "ligne",  "commande", "le",      "la",
    "des",     "de",      "un",       "installer", "enjeux", "enjeu",    "groupes", "utilisateurs"};

static unsigned lcg(unsigned *x) { return (*x = *x * 1103515245u + 12345u) >> 16; }

static void varied_setup(void) {
  size_t n_vocab = sizeof vocab / sizeof *vocab, cap = 600 * 3000, at = 0;
  char *buf = malloc(cap);
  unsigned x = 7;
  dir = test_tmpdir();
  db_path = malloc(strlen(dir) + 16);
  strcpy(db_path, dir), strcat(db_path, "/index.db");
  for (int i = 0; i < 600; i++) {
    at += (size_t)sprintf(buf + at, "{\"id\":\"v%03d\",\"title\":\"", i);
    for (unsigned w = 0, n = 1 + lcg(&x) % 4; w < n; w++)
      at += (size_t)sprintf(buf + at, "%s%s", w ? " " : "", vocab[lcg(&x) % n_vocab]);
    at += (size_t)sprintf(buf + at, "\",\"source\":\"%s\",\"body\":\"", i % 3 ? "AFP" : "Ouest");
    for (unsigned w = 0, n = 3 + lcg(&x) % 200; w < n; w++) {
      unsigned r = lcg(&x) % 100;
      const char *word = r < 4                   ? "mot de passe"
                         : r < 7                 ? "système de fichiers"
                         : r < 9                 ? "archive"
                         : r == 9 && i % 40 == 0 ? "zèbre"
                                                 : vocab[lcg(&x) % n_vocab];
      at += (size_t)sprintf(buf + at, "%s%s", word, lcg(&x) % 9 ? " " : ". ");
    }
    at += (size_t)sprintf(buf + at, "\"}\n");
  }
  char *arch = malloc(strlen(dir) + 8);
  strcpy(arch, dir), strcat(arch, "/arch");
  test_write(arch, "v.jsonl", buf, at);
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  const char *paths[] = {arch};
  ck_assert_msg(fouille_index_update(NULL, ix, paths, 1, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
  free(arch);
  free(buf);
}

START_TEST(topk_bounded_equals_exhaustive) {
  static const char *const queries[] = {"reseau securite",
                                        "systeme de fichiers",
                                        "mot de passe",
                                        "\"mot de passe\"",
                                        "velos electriques",
                                        "installer un paquet debian",
                                        "reseau reseau",
                                        "enjeux",
                                        "noyau linux serveur web apache",
                                        "base de donnees",
                                        "l'utilisateur groupes",
                                        "velo",
                                        "zebre archive",
                                        "archive zebres reseau",
                                        "archives \"mot de passe\" zebre"};
  static const int pages[][2] = {{10, 0}, {1, 0}, {3, 2}, {25, 10}, {1000, 0}};
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(fouille_fts5_register(db), FOUILLE_OK);
  unsigned long before = fouille__search_bounded_runs();
  for (int rep = 0; rep < 3; rep++) /* the sizes are read ahead after a while */
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
      for (size_t p = 0; p < sizeof pages / sizeof *pages; p++) {
        topk_check(db, queries[q], pages[p][0], pages[p][1], NULL);
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(db,
                                            "SELECT count(*) FROM articles_fts WHERE"
                                            " articles_fts MATCH ?1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, fouille_results_expression(res), -1, SQLITE_TRANSIENT);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        ck_assert_msg((uint64_t)sqlite3_column_int64(st, 0) == fouille_results_total(res),
                      "%s: total %llu", queries[q], (unsigned long long)fouille_results_total(res));
        sqlite3_finalize(st);
        /* The fallback flag: no article holds every word. */
        char *every = NULL, *any = NULL;
        ck_assert_int_eq(fouille_query_to_fts5(&every, &any, queries[q]), FOUILLE_OK);
        ck_assert_int_eq(sqlite3_prepare_v2(db,
                                            "SELECT count(*) FROM articles_fts WHERE"
                                            " articles_fts MATCH ?1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, every, -1, SQLITE_TRANSIENT);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        ck_assert_msg(fouille_results_fallback(res) == (sqlite3_column_int64(st, 0) == 0),
                      "%s: fallback %d", queries[q], fouille_results_fallback(res));
        sqlite3_finalize(st);
        free(every), free(any);
        topk_check(db, queries[q], pages[p][0], pages[p][1], "AFP"); /* row by row */
      }
  sqlite3_close(db);
  ck_assert_uint_gt(fouille__search_bounded_runs() - before, 100);
}
END_TEST

/* What a connection keeps between searches (term statistics, the article
 * count, column sizes) follows writes: after articles are added on the
 * same handle, every score equals, to the last bit, what a
 * freshly opened handle gives. */
static void scores_of(fouille_index *on, const char *q, double *out, size_t *n) {
  fouille_results *r = NULL;
  ck_assert_msg(fouille_search(&r, on, q, NULL) == FOUILLE_OK, "%s", fouille_error_last());
  *n = fouille_results_count(r);
  for (size_t i = 0; i < *n; i++) out[i] = fouille_results_hit(r, i)->score;
  fouille_results_free(r);
}

START_TEST(statistics_follow_writes) {
  double before[10], after[10], fresh[10];
  size_t nb, na, nf;
  scores_of(ix, "sécurité", before, &nb);
  ck_assert_uint_eq(nb, 3);
  fouille_writer *w = NULL;
  ck_assert_msg(fouille_writer_open(&w, ix, "ajouts", NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
  for (int i = 0; i < 6; i++) {
    char key[16];
    snprintf(key, sizeof key, "n%d", i);
    fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
    a.title = "Un marché de plein vent";
    a.body = i < 2 ? "La sécurité du marché est assurée." : "Les légumes sont frais.";
    ck_assert_int_eq(fouille_writer_put(w, key, &a), FOUILLE_OK);
  }
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  scores_of(ix, "sécurité", after, &na);
  ck_assert_uint_eq(na, 5);
  fouille_index *other = NULL;
  ck_assert_int_eq(fouille_index_open(&other, db_path, NULL), FOUILLE_OK);
  scores_of(other, "sécurité", fresh, &nf);
  fouille_index_close(other);
  ck_assert_uint_eq(nf, na);
  for (size_t i = 0; i < na; i++)
    ck_assert_msg(after[i] == fresh[i], "hit %zu: %.17g on the same handle, %.17g fresh", i,
                  after[i], fresh[i]);
  /* More articles without the word: its IDF, so the first score, went up. */
  ck_assert(after[0] != before[0]);
}
END_TEST

int main(void) {
  Suite *s = suite_create("search");
  TCase *t = tcase_create("core");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, accents_elisions_inflections);
  tcase_add_test(t, operators);
  tcase_add_test(t, fallback);
  tcase_add_test(t, relevance_and_fields);
  tcase_add_test(t, passages);
  tcase_add_test(t, filters);
  tcase_add_test(t, bad_dates);
  tcase_add_test(t, any_word_ranking);
  tcase_add_test(t, sort_by_date);
  tcase_add_test(t, paging_and_count);
  tcase_add_test(t, errors);
  tcase_add_test(t, threads);
  tcase_add_test(t, hostile_queries);
  tcase_add_test(t, statistics_follow_writes);
  suite_add_tcase(s, t);
  TCase *k = tcase_create("topk");
  tcase_add_checked_fixture(k, topk_setup, topk_teardown);
  tcase_set_timeout(k, 60);
  tcase_add_test(k, topk_exact_with_ties);
  suite_add_tcase(s, k);
  TCase *v = tcase_create("bounded");
  tcase_add_checked_fixture(v, varied_setup, teardown);
  tcase_set_timeout(v, 120);
  tcase_add_test(v, topk_bounded_equals_exhaustive);
  suite_add_tcase(s, v);
  return test_run_suite(s);
}
