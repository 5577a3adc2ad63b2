/* Typo tolerance (query/spell*.c): the costs and gates of an edit, the
 * lexicon walk, corrections of unknown, unwritten and rare words, stop
 * words and correct queries left alone (hits identical to exact for every
 * word of the archive), exact, JSON and text output, and the SQL function
 * fouille_suggest(). */
#include <check.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille.h"
#include "spell_private.h"
#include "test_util.h"

/* ---- Costs and gates ------------------------------------------------------------- */

static fouille__spell_word word(const char *w) {
  fouille__spell_word s;
  ck_assert_int_eq(fouille__spell_word_init(&s, w, (int)strlen(w)), 1);
  return s;
}

START_TEST(gates) {
  fouille__spell_word s;
  ck_assert_int_eq(fouille__spell_budget(4), 0);
  ck_assert_int_eq(fouille__spell_budget(5), FOUILLE__SPELL_EDIT);
  ck_assert_int_eq(fouille__spell_budget(8), FOUILLE__SPELL_EDIT);
  ck_assert_int_eq(fouille__spell_budget(9), 2 * FOUILLE__SPELL_EDIT);
  ck_assert_int_eq(fouille__spell_word_init(&s, "chat", 4), 0);
  /* Characters, not bytes: "élève" is 5 characters in 7 bytes. */
  ck_assert_int_eq(fouille__spell_word_init(&s, "\xc3\xa9l\xc3\xa8ve", 7), 1);
  ck_assert_int_eq(s.n, 5);
  ck_assert_int_eq(s.budget, FOUILLE__SPELL_EDIT);
  ck_assert_int_eq(fouille__spell_word_init(&s, "\xc3\xa9l\xc3\xa8", 5), 0);
}
END_TEST

START_TEST(french_costs) {
  fouille__spell_word s = word("transparance");
  int plain = FOUILLE__SPELL_EDIT;
  /* "an" for "en" is cheap; a key next to the right one too; others not. */
  ck_assert_int_lt(fouille__spell_sub(&s, 8, 'e'), plain);
  ck_assert_int_lt(fouille__spell_sub(&s, 1, 't'), plain); /* r -> t: AZERTY neighbours */
  ck_assert_int_eq(fouille__spell_sub(&s, 1, 'p'), plain);
  /* The first letter costs more. */
  ck_assert_int_gt(fouille__spell_sub(&s, 0, 'r'), fouille__spell_sub(&s, 1, 't'));
  ck_assert_int_gt(fouille__spell_ins('x', 0, 0), plain);
  /* Doubled letters, e, s, h: cheap; a swap counts less than an edit. */
  ck_assert_int_lt(fouille__spell_ins('p', 'p', 2), plain);
  ck_assert_int_lt(fouille__spell_ins('e', 'm', 6), plain);
  ck_assert_int_lt(fouille__spell_ins('s', 'n', 6), plain);
  ck_assert_int_eq(fouille__spell_ins('k', 'n', 6), plain);
  ck_assert_int_lt(fouille__spell_swap(3), plain);
  ck_assert_int_gt(fouille__spell_swap(1), fouille__spell_swap(3));
  s = word("reductiions");
  ck_assert_int_lt(s.del[6], plain); /* the doubled i */
  s = word("appelez");
  ck_assert_int_gt(s.n_ends, 0); /* -ez: an ending of the same sound as -er, -é… */
}
END_TEST

/* ---- An index ------------------------------------------------------------------------- */

static char *dir;
static char db[4200];
static fouille_index *ix;

static void article(FILE *f, int i, const char *title, const char *body) {
  fprintf(f, "{\"id\":\"a%d\",\"title\":\"%s\",\"body\":\"%s\"}\n", i, title, body);
}

static void setup(void) {
  char arch[4300], path[4400];
  dir = test_tmpdir();
  snprintf(db, sizeof db, "%s/index.db", dir);
  snprintf(arch, sizeof arch, "%s/arch", dir);
  snprintf(path, sizeof path, "%s/articles.jsonl", arch);
  test_write(arch, "articles.jsonl", "", 0);
  FILE *f = fopen(path, "w");
  int i = 0;
  for (; i < 30; i++)
    article(f, i, "La transparence de la vie publique",
            "La transparence, complètement nécessaire, et les réductions d'impôt rapidement.");
  article(f, i++, "Une faute", "Une transparance rare, écrite une fois.");
  for (int k = 0; k < 5; k++)
    article(f, i++, "Polices de caractères", "Plusieurs polices séparées par des virgules.");
  article(f, i++, "Poli", "Un élève poli et une surface polie.");
  article(f, i++, "Appeler", "Il faut appeler le service, appelez-le.");
  article(f, i++, "Réseau", "Le réseau ferré, les réseaux des villes, le système.");
  fclose(f);
  const char *roots[] = {arch};
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_index_update(NULL, ix, roots, 1, NULL), FOUILLE_OK);
}

static void teardown(void) {
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir);
}

typedef struct found {
  char dym[256], keys[4096], json[8192];
  int corrected, total;
} found;

static found search(const char *q, int exact) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *r;
  found f = {{0}, {0}, {0}, 0, 0};
  char *json = NULL;
  o.exact = exact, o.limit = 50, o.passages = 0;
  ck_assert_int_eq(fouille_search(&r, ix, q, &o), FOUILLE_OK);
  if (fouille_results_did_you_mean(r)) snprintf(f.dym, sizeof f.dym, "%s", fouille_results_did_you_mean(r));
  f.corrected = fouille_results_corrected(r), f.total = (int)fouille_results_total(r);
  for (size_t i = 0; i < fouille_results_count(r); i++)
    strcat(strcat(f.keys, fouille_results_hit(r, i)->key), " ");
  ck_assert_int_eq(fouille_results_to_json(&json, r), FOUILLE_OK);
  snprintf(f.json, sizeof f.json, "%s", json);
  free(json);
  fouille_results_free(r);
  return f;
}

static void expect(const char *q, const char *dym, int corrected) {
  found f = search(q, 0);
  ck_assert_msg(strcmp(f.dym, dym) == 0, "%s: did_you_mean '%s', want '%s'", q, f.dym, dym);
  ck_assert_msg(f.corrected == corrected, "%s: corrected %d", q, f.corrected);
}

START_TEST(unknown_words_corrected) {
  expect("rapidemnt", "rapidement", 1);
  expect("reductiions", "réductions", 1);     /* written as the archive writes it */
  expect("complètemnt", "complètement", 1);
  expect("apeler", "appeler", 1);               /* a doubled consonant */
  expect("transparence rapidemnt", "transparence rapidement", 1);
  expect("\"vie publiqe\"", "\"vie publique\"", 1); /* in a phrase */
  found f = search("rapidemnt", 0), e = search("rapidemnt", 1);
  ck_assert_int_eq(f.total, 30);
  ck_assert_int_eq(e.total, 0);
  ck_assert_str_eq(e.dym, ""); /* exact: no correction */
}
END_TEST

/* A version 1 options struct (before exact, heap-allocated to its size so
 * that the sanitizers see a read past it) is taken: typo tolerance on. */
START_TEST(options_version_1) {
  size_t v1 = offsetof(fouille_search_options, exact);
  fouille_search_options *o = malloc(v1);
  fouille_results *r;
  int version = 0;
  ck_assert_ptr_nonnull(o);
  ck_assert_int_eq(fouille_search_options_init(o, 1), FOUILLE_OK);
  memcpy(&version, o, sizeof version); /* o->version: GCC sees a struct too big for v1 bytes */
  ck_assert_int_eq(version, 1);
  ck_assert_int_eq(fouille_search(&r, ix, "rapidemnt", o), FOUILLE_OK);
  ck_assert_str_eq(fouille_results_did_you_mean(r), "rapidement");
  ck_assert_int_eq(fouille_results_corrected(r), 1);
  fouille_results_free(r);
  free(o);
}
END_TEST

START_TEST(gates_kept) {
  expect("xppeler", "", 0);         /* a wrong first letter costs more than one edit */
  expect("rapdmnt", "", 0);         /* two edits on 7 letters */
  expect("trnsparnce", "transparence", 1); /* two edits on 10 letters */
  expect("-rapidemnt transparence", "", 0); /* an excluded word is left alone */
  expect("rapidemn*", "", 0);       /* so is a prefix */
  expect("dans", "", 0);            /* stop words are never corrected */
}
END_TEST

START_TEST(rare_word_suggested) {
  found f = search("transparance", 0), e = search("transparance", 1);
  ck_assert_str_eq(f.dym, "transparence");
  ck_assert_int_eq(f.corrected, 0); /* its word is in the archive: hits as typed */
  ck_assert_str_eq(f.keys, e.keys);
  ck_assert_int_eq(f.total, 1);
}
END_TEST

/* No article holds "polies" and "séparées": the word no article writes
 * becomes the one that makes them meet. */
START_TEST(unwritten_word_in_context) {
  expect("polies separees", "polices separees", 1);
  expect("polies", "", 0); /* alone, its stem finds "polie" */
}
END_TEST

/* Every word of the archive searched alone, and in pairs: the same hits
 * with typo tolerance as without, and never a correction. */
START_TEST(correct_queries_unchanged) {
  sqlite3 *s;
  sqlite3_stmt *st;
  char prev[128] = "", q[300];
  int n = 0;
  ck_assert_int_eq(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(s, "SELECT DISTINCT term FROM articles_vocab", -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_finalize(st);
  ck_assert_int_eq(sqlite3_prepare_v2(s, "SELECT title || ' ' || body FROM articles", -1, &st, NULL),
                   SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    char text[2048], *save = NULL;
    snprintf(text, sizeof text, "%s", (const char *)sqlite3_column_text(st, 0));
    for (char *w = strtok_r(text, " ,.'-", &save); w; w = strtok_r(NULL, " ,.'-", &save)) {
      snprintf(q, sizeof q, "%s %s", prev, w);
      for (int pair = 0; pair < 2; pair++) {
        found f = search(pair ? q : w, 0), e = search(pair ? q : w, 1);
        ck_assert_msg(!f.corrected, "%s corrected to %s", pair ? q : w, f.dym);
        ck_assert_msg(strcmp(f.keys, e.keys) == 0, "%s: other hits", pair ? q : w);
        n++;
      }
      snprintf(prev, sizeof prev, "%s", w);
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(s);
  ck_assert_int_gt(n, 100);
}
END_TEST

START_TEST(json_and_text) {
  found f = search("rapidemnt", 0);
  ck_assert_ptr_nonnull(strstr(f.json, "\"did_you_mean\":\"rapidement\",\"corrected\":true,"));
  f = search("rapidement", 0);
  ck_assert_ptr_nonnull(strstr(f.json, "\"did_you_mean\":null,\"corrected\":false,"));
  fouille_results *r;
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  ck_assert_int_eq(fouille_search(&r, ix, "rapidemnt", NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_results_print_text(out, r, 1, 0), FOUILLE_OK);
  fouille_results_free(r);
  fclose(out);
  ck_assert_ptr_nonnull(strstr(buf, "Résultats pour « rapidement » (au lieu de « rapidemnt »"));
  free(buf);
  buf = NULL, out = open_memstream(&buf, &len);
  ck_assert_int_eq(fouille_search(&r, ix, "transparance", NULL), FOUILLE_OK);
  ck_assert_int_eq(fouille_results_print_text(out, r, 1, 0), FOUILLE_OK);
  fouille_results_free(r);
  fclose(out);
  ck_assert_ptr_nonnull(strstr(buf, "Vouliez-vous dire « transparence » ?"));
  free(buf);
}
END_TEST

static char *sql_text(sqlite3 *s, const char *sql) {
  sqlite3_stmt *st;
  char *out = NULL;
  ck_assert_int_eq(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  if (sqlite3_column_text(st, 0)) out = strdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

/* fouille_suggest() through the loadable extension, as any client. */
/* ---- The walk ---------------------------------------------------------------------------- */

/* A lexicon of the one word i of x (the walk prices it alone). */
static fouille__spell_lexicon one_word(const fouille__spell_lexicon *x, size_t i, uint32_t *at,
                                       uint8_t *bytes, uint32_t *nsv) {
  fouille__spell_lexicon o = *x;
  const char *w = x->text + x->word[i];
  at[0] = x->word[i], nsv[0] = 1;
  bytes[0] = 0, bytes[1] = (uint8_t)w[0], bytes[2] = (uint8_t)strlen(w);
  o.word = at, o.df = x->df + i, o.lcp = bytes, o.after = bytes + 1, o.len = bytes + 2;
  o.nsv = nsv, o.n = 1;
  return o;
}

/* The walk finds, in order, the words that pricing each word alone finds
 * (cost, then articles, then lexicon order), and the arrays that let it
 * skip runs of words say what they should. */
START_TEST(walk_is_exhaustive) {
  sqlite3 *s = NULL;
  fouille__spell_lexicon *x = NULL;
  int waiting = 1;
  ck_assert_int_eq(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(fouille__spell_lexicon_load(s, &x, &waiting), FOUILLE_OK);
  ck_assert_int_eq(waiting, 0);
  ck_assert_ptr_nonnull(x);
  ck_assert_uint_gt(x->n, 20);
  for (size_t i = 0; i < x->n; i++) {
    const char *a = i ? x->text + x->word[i - 1] : "", *b = x->text + x->word[i];
    size_t k = 0, j = i + 1;
    while (i && a[k] && a[k] == b[k]) k++;
    ck_assert_uint_eq(x->lcp[i], k);
    ck_assert_uint_eq(x->after[i], (uint8_t)b[k]);
    ck_assert_uint_eq(x->len[i], strlen(b));
    while (j < x->n && x->lcp[j] >= x->lcp[i]) j++;
    ck_assert_uint_eq(x->nsv[i], j);
  }
  const char *typed[] = {"transparance", "rapidemnt",   "reseaus",   "polises",    "appelez",
                         "systeme",      "complètemnt", "separrees", "caracteres", "viiles"};
  for (size_t t = 0; t < sizeof typed / sizeof *typed; t++) {
    fouille__spell_word w = word(typed[t]);
    fouille__spell_cand got[FOUILLE__SPELL_CANDS], want[FOUILLE__SPELL_CANDS], c;
    int n = fouille__spell_walk(x, &w, got, FOUILLE__SPELL_CANDS), m = 0;
    for (size_t i = 0; i < x->n; i++) {
      uint32_t at, nsv;
      uint8_t bytes[3];
      fouille__spell_lexicon o = one_word(x, i, &at, bytes, &nsv);
      if (fouille__spell_walk(&o, &w, &c, 1) != 1) continue;
      c.word = (uint32_t)i;
      int k = m < FOUILLE__SPELL_CANDS ? m++ : m; /* insertion after its equals */
      while (k > 0 && (want[k - 1].cost > c.cost ||
                       (want[k - 1].cost == c.cost && x->df[want[k - 1].word] < x->df[i])))
        k--;
      if (k >= FOUILLE__SPELL_CANDS) continue;
      memmove(&want[k + 1], &want[k],
              (size_t)((m < FOUILLE__SPELL_CANDS ? m : FOUILLE__SPELL_CANDS) - 1 - k) * sizeof c);
      want[k] = c;
    }
    ck_assert_msg(n == m, "%s: %d candidates, want %d", typed[t], n, m);
    ck_assert_int_gt(n, 0);
    for (int i = 0; i < n; i++) {
      ck_assert_uint_eq(got[i].word, want[i].word);
      ck_assert_int_eq(got[i].cost, want[i].cost);
    }
  }
  fouille__spell_lexicon_free(x);
  sqlite3_close(s);
}
END_TEST

START_TEST(sql_suggest) {
  sqlite3 *s = test_memory_db(1);
  char attach[4300];
  snprintf(attach, sizeof attach, "ATTACH '%s' AS ix", db);
  ck_assert_int_eq(sqlite3_exec(s, attach, NULL, NULL, NULL), SQLITE_OK);
  char *a = sql_text(s, "SELECT fouille_suggest('choisir rapidemnt')");
  ck_assert_str_eq(a, "choisir rapidement");
  free(a);
  ck_assert_ptr_null(sql_text(s, "SELECT fouille_suggest('rapidement')"));
  ck_assert_ptr_null(sql_text(s, "SELECT fouille_suggest('')"));
  ck_assert_ptr_null(sql_text(s, "SELECT fouille_suggest(NULL)"));
  sqlite3_close(s);
}
END_TEST

int main(void) {
  Suite *s = suite_create("spell");
  TCase *costs = tcase_create("costs"), *tc = tcase_create("search");
  tcase_add_test(costs, gates);
  tcase_add_test(costs, french_costs);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, unknown_words_corrected);
  tcase_add_test(tc, options_version_1);
  tcase_add_test(tc, gates_kept);
  tcase_add_test(tc, rare_word_suggested);
  tcase_add_test(tc, unwritten_word_in_context);
  tcase_add_test(tc, correct_queries_unchanged);
  tcase_add_test(tc, json_and_text);
  tcase_add_test(tc, sql_suggest);
  tcase_add_test(tc, walk_is_exhaustive);
  suite_add_tcase(s, costs);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
