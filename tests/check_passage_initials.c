/* Passages stem only the words whose terms may start as a query term does
 * (analyzer_initials.h): the analyzer gives every term starting with a
 * wanted byte, and the passages of every article of an index built from
 * tests/data are the same, text and highlights, as with every word
 * analysed, for thousands of queries (every word, its prefix, its
 * accentless and elided forms, pairs, phrases, title:). */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer_initials.h"
#include "fouille.h"
#include "query_private.h"
#include "test_util.h"

/* Words whose terms start elsewhere or may have none, tables' words,
 * chains, marks, digits, elisions, upper case. */
static const char extra[] =
    "{\"id\":\"x1\",\"title\":\"Cas limites\",\"body\":\"Les yeux de l’impératrice. Ses Yeux "
    "brillent ; L'IMPÉRATRICE rit. La mère et les mères, les côtés, le pays. E\\u0301cole et "
    "e\\u0301te\\u0301 ; \\u0301s \\u0301 s. L’O.N.U. parle du Wi-Fi et de l’e-mail. 25 000 "
    "euros, 3,5 %. Aujourd’hui, presqu’île et quelqu’un. Les CPUs, les actrices, les "
    "travaux, les coraux. Ils publient, nous prenons, ils doivent, ils reçoivent. Jusqu’où ? "
    "Œuvres, œil, cœur, Ærø. Ça va. Ôter, île, ïambe. Yaourt, ayant, qui.\"}\n"
    "{\"id\":\"x2\",\"title\":\"Retraites\",\"body\":\"La réforme des retraites passe. Les "
    "retraités manifestent contre la réforme ; la retraite à 64 ans. Mot de passe oublié : "
    "le mot de passe se change. Un pilote d’imprimante, des pilotes d’imprimantes.\"}\n";

static char *dir;
static char **bodies;
static size_t n_bodies;
static fouille_analyzer *an;

/* Indexes tests/data/articles and the extra archive, then reads the bodies. */
static void setup(void) {
  dir = test_tmpdir();
  test_write(dir, "extra/cas.jsonl", extra, (size_t)-1);
  char db_path[4096], extra_dir[4096];
  snprintf(db_path, sizeof db_path, "%s/index.db", dir);
  snprintf(extra_dir, sizeof extra_dir, "%s/extra", dir);
  char articles[4096];
  snprintf(articles, sizeof articles, "%s", test_data("articles"));
  const char *roots[] = {articles, extra_dir};
  fouille_index *ix;
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  ck_assert_msg(fouille_index_update(&sum, ix, roots, 2, NULL) == FOUILLE_OK, "%s",
                fouille_error_last());
  fouille_index_close(ix);
  sqlite3 *db;
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT body FROM articles", -1, &st, NULL), SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    bodies = realloc(bodies, (n_bodies + 1) * sizeof *bodies);
    const char *b = (const char *)sqlite3_column_text(st, 0);
    bodies[n_bodies++] = strdup(b ? b : "");
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  ck_assert_uint_ge(n_bodies, 10);
  ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK);
}

static void teardown(void) {
  for (size_t i = 0; i < n_bodies; i++) free(bodies[i]);
  free(bodies), bodies = NULL, n_bodies = 0;
  fouille_analyzer_free(an);
  test_rmtree(dir);
  free(dir);
}

/* ---- The analyzer ----------------------------------------------------------- */

/* The terms given, each as "flags term start end\n", those starting with
 * want (NULL: all). */
typedef struct terms {
  char *s;
  size_t len;
  const char *want;
  size_t want_len;
} terms;

static int collect(int flags, const char *term, int len, int start, int end, void *p) {
  terms *t = p;
  if (t->want && ((size_t)len < t->want_len || memcmp(term, t->want, t->want_len) != 0)) return 0;
  char line[400];
  int n = snprintf(line, sizeof line, "%d %.*s %d %d\n", flags, len, term, start, end);
  t->s = realloc(t->s, t->len + (size_t)n + 1);
  memcpy(t->s + t->len, line, (size_t)n + 1);
  t->len += (size_t)n;
  return 0;
}

/* The terms equal to or starting with want are the same, in the same
 * order, whether every word is analysed or only those that may give one. */
static size_t same_terms(const char *text, const char *want, size_t want_len) {
  fouille__initials in;
  memset(&in, 0, sizeof in);
  fouille__initials_add(&in, want, want_len);
  terms all = {NULL, 0, want, want_len}, some = {NULL, 0, want, want_len};
  ck_assert_int_eq(
      fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, text, strlen(text), collect, &all), 0);
  ck_assert_int_eq(fouille__analyzer_run_initials(an, text, strlen(text), &in, collect, &some), 0);
  ck_assert_msg(all.len == some.len && (all.len == 0 || memcmp(all.s, some.s, all.len) == 0),
                "%.*s:\n%s\n---\n%s", (int)want_len, want, all.s ? all.s : "",
                some.s ? some.s : "");
  size_t n = all.len;
  free(all.s), free(some.s);
  return n;
}

/* For every term of the text, as a whole and its first one, two and three
 * bytes: the same terms equal to or starting with it. */
static void same_initial_terms(const char *text) {
  terms all = {NULL, 0, NULL, 0};
  ck_assert_int_eq(
      fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, text, strlen(text), collect, &all), 0);
  size_t compared = 0;
  for (char *line = all.s; line && *line;) {
    char *nl = strchr(line, '\n'), *term = strchr(line, ' ') + 1, *sp = strchr(term, ' ');
    size_t len = (size_t)(sp - term);
    for (size_t k = 1; k <= len; k = k < 3 ? k + 1 : (k < len ? len : len + 1))
      compared += same_terms(text, term, k);
    line = nl + 1;
  }
  free(all.s);
  ck_assert_uint_gt(compared, 0);
  for (int b = '0'; b <= 'z'; b++) { /* one byte, whether a term starts so or not */
    char w = (char)b;
    same_terms(text, &w, 1);
  }
}

START_TEST(analyzer_initials) {
  for (size_t i = 0; i < n_bodies; i++) same_initial_terms(bodies[i]);
  fouille__initials in;
  memset(&in, 0, sizeof in);
  terms t = {NULL, 0, NULL, 0};
  ck_assert_int_eq(fouille__analyzer_run_initials(an, "Les yeux", 8, &in, collect, &t), 0);
  ck_assert_ptr_null(t.s);             /* nothing looked for: the ASCII words are skipped */
  fouille__initials_add(&in, "oe", 2); /* "yeux" gives the stem of "oeil" */
  ck_assert_int_eq(fouille__analyzer_run_initials(an, "Les yeux", 8, &in, collect, &t), 0);
  ck_assert_ptr_nonnull(t.s);
  ck_assert_ptr_nonnull(strstr(t.s, " oeil "));
  free(t.s), t.s = NULL, t.len = 0;
  fouille__initials_add(&in, "de", 2); /* "doivent" gives the stem of "devoir" */
  ck_assert_int_eq(fouille__analyzer_run_initials(an, "ils doivent", 11, &in, collect, &t), 0);
  ck_assert_ptr_nonnull(t.s);
  ck_assert_ptr_nonnull(strstr(t.s, " devoir "));
  free(t.s);
  ck_assert_int_eq(fouille__analyzer_run_initials(an, "x", 1, NULL, collect, &t), FOUILLE_EINVAL);
}
END_TEST

/* ---- Passages ------------------------------------------------------------------ */

static size_t n_queries, n_compared, n_spans;

static void same_passages(const fouille__parsed *p, const char *body, int n, int length) {
  fouille_passage *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  size_t len = strlen(body);
  ck_assert_int_eq(fouille__passages_make_exhaustive(an, body, len, p->terms, NULL, p->n_terms, n,
                                                     length, &a, &na),
                   0);
  ck_assert_int_eq(
      fouille__passages_make(an, body, len, p->terms, NULL, p->n_terms, n, length, &b, &nb), 0);
  ck_assert_uint_eq(na, nb);
  for (size_t i = 0; i < na; i++) {
    ck_assert_str_eq(a[i].text, b[i].text);
    ck_assert_uint_eq(a[i].n_spans, b[i].n_spans);
    for (size_t k = 0; k < a[i].n_spans; k++) {
      ck_assert_uint_eq(a[i].spans[k].start, b[i].spans[k].start);
      ck_assert_uint_eq(a[i].spans[k].end, b[i].spans[k].end);
    }
    n_spans += a[i].n_spans;
  }
  n_compared++;
  fouille__passages_free(a, na);
  fouille__passages_free(b, nb);
}

/* Compares the passages of every body for query q (skipped when nothing in
 * it is searchable). */
static void compare(const char *q) {
  fouille__parsed p;
  int rc = fouille__query_parse(q, &p);
  if (rc == FOUILLE_EPARSE) return;
  ck_assert_msg(rc == FOUILLE_OK, "%s: %s", q, fouille_error_last());
  for (size_t i = 0; i < n_bodies; i++) {
    same_passages(&p, bodies[i], 2, 300);
    same_passages(&p, bodies[i], 3, 60);
  }
  n_queries++;
  fouille__parsed_free(&p);
}

/* The word without the accents of French letters (é -> e, ç -> c…). */
static void unaccent(const char *w, char *out) {
  static const char *const from[] = {"é", "è", "ê", "ë", "à", "â", "ä", "î", "ï", "ô", "ö",
                                     "ù", "û", "ü", "ç", "É", "È", "Ê", "À", "Ç", "Ô", "Î"};
  static const char to[] = "eeeeaaaiiooouuucEEEACOI";
  size_t k = 0;
  while (*w) {
    size_t i = 0, n = 0;
    for (; i < sizeof from / sizeof from[0]; i++)
      if (strncmp(w, from[i], n = strlen(from[i])) == 0) break;
    if (i < sizeof from / sizeof from[0])
      out[k++] = to[i], w += n;
    else
      out[k++] = *w++;
  }
  out[k] = '\0';
}

/* Queries made from word w (as written) and the next two words. */
static void word_queries(const char *w, const char *w2, const char *w3) {
  char q[1024], plain[512];
  size_t n = strlen(w), cut = n < 4 ? n : 4;
  while (cut < n && ((unsigned char)w[cut] & 0xC0) == 0x80) cut++;
  compare(w);
  snprintf(q, sizeof q, "%.*s*", (int)cut, w), compare(q);
  unaccent(w, plain), compare(plain);
  snprintf(q, sizeof q, "l'%s", plain), compare(q);
  snprintf(q, sizeof q, "L’%s", w), compare(q);
  snprintf(q, sizeof q, "title:%s %s", w, w2), compare(q);
  snprintf(q, sizeof q, "%s %s", w, w2), compare(q);
  snprintf(q, sizeof q, "\"%s %s %s\"", w, w2, w3), compare(q);
  snprintf(q, sizeof q, "%s OR %s -%s", w, w3, w2), compare(q);
}

/* A byte of a word: ASCII letters and digits, bytes of multibyte
 * characters but those starting with 0xC2 (no-break space, guillemets). */
static int word_byte(unsigned char c) {
  if (c >= 0x80) return c != 0xC2;
  return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* Splits text into words of word bytes, hyphens and apostrophes inside. */
static size_t split_words(const char *text, char words[][128], size_t max) {
  size_t n = 0, i = 0, len = strlen(text);
  while (i < len && n < max) {
    if (!word_byte((unsigned char)text[i])) {
      i++;
      continue;
    }
    size_t s = i;
    while (i < len && (word_byte((unsigned char)text[i]) ||
                       ((text[i] == '-' || text[i] == '\'') && i + 1 < len &&
                        word_byte((unsigned char)text[i + 1]))))
      i++;
    if (i - s < 128) memcpy(words[n], text + s, i - s), words[n++][i - s] = '\0';
  }
  return n;
}

START_TEST(passages_same) {
  static char words[4096][128];
  for (size_t b = 0; b < n_bodies; b++) {
    size_t n = split_words(bodies[b], words, 4096);
    for (size_t i = 0; i < n; i++) word_queries(words[i], words[(i + 1) % n], words[(i + 2) % n]);
  }
  compare("yeux"), compare("oeil"), compare("empereur"), compare("ecole"), compare("onu");
  compare("wifi"), compare("emails"), compare("25000"), compare("ia"), compare("presquile");
  compare("cpu"), compare("acteur"), compare("travail"), compare("publier"), compare("devoir");
  compare("recevoir"), compare("e*"), compare("s"), compare("oeuvre"), compare("coeur");
  compare("aro"), compare("ca"), compare("oter"), compare("ile"), compare("yaourt");
  compare("nucléaire*"), compare("retraite"), compare("mot de passe"), compare("pilotes");
  fprintf(stderr, "passages_same: %zu queries, %zu passage sets compared, %zu highlights\n",
          n_queries, n_compared, n_spans);
  ck_assert_uint_gt(n_queries, 1000);
  ck_assert_uint_gt(n_spans, 10000);
}
END_TEST

int main(void) {
  Suite *s = suite_create("passage_initials");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, analyzer_initials);
  tcase_add_test(tc, passages_same);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
