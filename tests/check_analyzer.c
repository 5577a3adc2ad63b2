/* The French analyzer: every rule of the pipeline, the hard cases, exact
 * offsets, hostile input, and conformance with Snowball's French
 * vocabulary (Debian's snowball-data). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "analyzer_notes.h"
#include "fouille/analyzer.h"
#include "test_util.h"

#define MAX_TOKENS 64

typedef struct token {
  char term[FOUILLE_TERM_MAX + 1];
  int flags, start, end;
} token;

typedef struct tokens {
  token t[MAX_TOKENS];
  int n, total;
  size_t len;
  int bad; /* a token broke an invariant */
} tokens;

static int valid_utf8(const char *s, int n) {
  int i = 0;
  while (i < n) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, n - i, &c);
    if (k <= 0) return 0;
    i += (int)k;
  }
  return 1;
}

static int collect(int flags, const char *term, int len, int start, int end, void *payload) {
  tokens *ts = payload;
  if (start < 0 || end < start || (size_t)end > ts->len || len <= 0 || len > FOUILLE_TERM_MAX ||
      !valid_utf8(term, len))
    ts->bad = 1;
  if (ts->total > 0 && ts->n > 0 && start < ts->t[ts->n - 1].start) ts->bad = 1;
  ts->total++;
  if (ts->n < MAX_TOKENS) {
    token *t = &ts->t[ts->n++];
    memcpy(t->term, term, (size_t)len);
    t->term[len] = '\0';
    t->flags = flags;
    t->start = start;
    t->end = end;
  }
  return 0;
}

static fouille_analyzer *an;

static void setup(void) { ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK); }
static void teardown(void) { fouille_analyzer_free(an); }

static tokens *run_mode(fouille_analyze_mode mode, const char *text, size_t len) {
  /* A ring of results, so that a test can hold a few at once. */
  static tokens ring[4];
  static int next;
  tokens *ts = &ring[next++ % 4];
  memset(ts, 0, sizeof *ts);
  ts->len = len;
  ck_assert_int_eq(fouille_analyzer_run(an, mode, text, len, collect, ts), FOUILLE_OK);
  ck_assert_msg(!ts->bad, "invariant broken on input '%.*s'", (int)(len > 60 ? 60 : len), text);
  return ts;
}

static tokens *run(const char *text) {
  return run_mode(FOUILLE_ANALYZE_DOCUMENT, text, strlen(text));
}

/* The primary (non-colocated) terms, space-separated. */
static const char *primaries(const tokens *ts) {
  static char buf[4096];
  buf[0] = '\0';
  for (int i = 0; i < ts->n; i++) {
    if (ts->t[i].flags & FOUILLE_TERM_COLOCATED) continue;
    if (buf[0]) strcat(buf, " ");
    strcat(buf, ts->t[i].term);
  }
  return buf;
}

/* The text a token covers. */
static const char *surface(const char *text, const token *t) {
  static char buf[256];
  snprintf(buf, sizeof buf, "%.*s", t->end - t->start, text + t->start);
  return buf;
}

#define ASSERT_TERMS(text, expected) ck_assert_str_eq(primaries(run(text)), expected)

START_TEST(segmentation_basics) {
  ASSERT_TERMS("", "");
  ASSERT_TERMS("   \n\t ", "");
  ASSERT_TERMS("Les puces", "le puc");
  ASSERT_TERMS("«\u00A0La Chine\u00A0»", "la chin");
  ASSERT_TERMS("avant—après–pendant", "avant apres pend");
  ASSERT_TERMS("entrée/sortie", "entre sort");
}
END_TEST

START_TEST(spaces_of_every_width) {
  /* NBSP, narrow NBSP before punctuation and as a thousands separator,
   * thin space: all separate words, numbers never merge. */
  ASSERT_TERMS("Pourquoi\u202F? Parce que\u202F; enfin\u00A0:", "pourquoi parc que enfin");
  ASSERT_TERMS("10\u202F000 euros", "10 000 euros");
  ASSERT_TERMS("1\u2009500", "1 500");
}
END_TEST

START_TEST(elision_both_apostrophes) {
  const char *a = "l'État", *b = "l\u2019État", *c = "l\u02BCÉtat";
  tokens *ts = run(a);
  ck_assert_int_eq(ts->n >= 1, 1);
  ck_assert_str_eq(ts->t[0].term, "etat");
  ck_assert_int_eq(ts->t[0].start, 2);
  ck_assert_str_eq(surface(a, &ts->t[0]), "État");
  ts = run(b);
  ck_assert_str_eq(ts->t[0].term, "etat");
  ck_assert_str_eq(surface(b, &ts->t[0]), "État");
  ts = run(c);
  ck_assert_str_eq(ts->t[0].term, "etat");
  ck_assert_str_eq(surface(c, &ts->t[0]), "État");
}
END_TEST

START_TEST(elision_every_form_any_case) {
  ASSERT_TERMS("Jusqu\u2019où", "ou");
  ASSERT_TERMS("JUSQU'OÙ", "ou");
  ASSERT_TERMS("L\u2019IA", "ia");
  ASSERT_TERMS("qu'il d'abord j'ai m'a n'est s'il t'es c'est", "il abord ai a est il e est");
  ASSERT_TERMS("lorsqu'on puisqu'elle quoiqu'ils", "on elle il");
  /* An apostrophe with nothing after it is not an elision. */
  ASSERT_TERMS("l'", "l");
  const char *t = "de l\u2019IA";
  tokens *ts = run(t);
  ck_assert_str_eq(surface(t, &ts->t[1]), "IA");
}
END_TEST

START_TEST(inner_apostrophes_keep_the_word) {
  ASSERT_TERMS("aujourd'hui", "aujourd'hui");
  ASSERT_TERMS("aujourd\u2019hui", "aujourd'hui");
  ASSERT_TERMS("presqu'île", "presqu'il");
  ASSERT_TERMS("quelqu'un", "quelqu'un");
  ASSERT_TERMS("prud'homme", "prud'homm");
  /* A quote closing a word is no apostrophe. */
  ASSERT_TERMS("'citation' fin", "citat fin");
}
END_TEST

START_TEST(hyphens_split_into_consecutive_tokens) {
  const char *t = "États-Unis";
  tokens *ts = run(t);
  ck_assert_str_eq(primaries(ts), "etat unis");
  ck_assert_str_eq(surface(t, &ts->t[0]), "États");
  ck_assert_str_eq(surface(t, &ts->t[ts->n - 1]), "Unis");
  ASSERT_TERMS("porte\u2011monnaie", "port monnai"); /* non-breaking hyphen */
}
END_TEST

START_TEST(case_nfc_and_nfd) {
  const char *nfd = "E\u0301te\u0301 e\u0301te\u0301";
  tokens *ts = run(nfd);
  ck_assert_str_eq(primaries(ts), primaries(run("Été été")));
  ts = run(nfd);
  ck_assert_int_eq(ts->t[0].start, 0);
  ck_assert_int_eq(ts->t[0].end, 7); /* E + U+0301 + t + e + U+0301 */
}
END_TEST

START_TEST(ligatures) {
  ck_assert_str_eq(primaries(run("cœur Œuvre ex æquo")), primaries(run("coeur OEuvre ex aequo")));
}
END_TEST

START_TEST(soft_hyphen_ignored) {
  const char *t = "sécu\u00ADrité";
  tokens *ts = run(t);
  ck_assert_str_eq(primaries(ts), primaries(run("sécurité")));
  ck_assert_int_eq(ts->t[0].start, 0);
  ck_assert_int_eq(ts->t[0].end, (int)strlen(t));
}
END_TEST

START_TEST(digits_kept_never_merged) {
  ASSERT_TERMS("H100 A800", "h100 a800");
  ASSERT_TERMS("Covid-19", "covid 19");
  ASSERT_TERMS("3,5 millions", "3 5 million");
  ASSERT_TERMS("3.5", "3 5");
  ASSERT_TERMS("100", "100");
  tokens *ts = run("H100");
  ck_assert_int_eq(ts->n, 1);
  ck_assert_str_ne(ts->t[0].term, "100");
}
END_TEST

START_TEST(emoji_are_separators_offsets_exact) {
  const char *t = "puces🚀Nvidia 👍🏽 IA";
  tokens *ts = run(t);
  ck_assert_str_eq(primaries(ts), "puc nvidi ia");
  ck_assert_str_eq(surface(t, &ts->t[0]), "puces");
  ck_assert_str_eq(surface(t, &ts->t[1]), "Nvidia");
  ck_assert_str_eq(surface(t, &ts->t[ts->n - 1]), "IA");
}
END_TEST

START_TEST(stems_with_accents_then_folds) {
  ASSERT_TERMS("puce puces", "puc puc");
  ASSERT_TERMS("nationale nationales national", "national national national");
  ASSERT_TERMS("sécurité", "secur");
  ASSERT_TERMS("continuer continuait", "continu continu");
}
END_TEST

START_TEST(accentless_spelling_colocated) {
  /* The document side holds both stems at one position... */
  const char *words[][2] = {{"sécurité", "securite"}, {"journée", "journee"}, {"créées", "creees"}};
  for (int i = 0; i < 3; i++) {
    tokens *doc = run(words[i][0]);
    char q[64];
    snprintf(q, sizeof q, "%s",
             primaries(run_mode(FOUILLE_ANALYZE_QUERY, words[i][1], strlen(words[i][1]))));
    int found = 0;
    for (int k = 0; k < doc->n; k++) {
      if (strcmp(doc->t[k].term, q) == 0) found = 1;
      if (k > 0) ck_assert_int_eq(doc->t[k].start, doc->t[0].start);
    }
    ck_assert_msg(found, "%s does not hold the stem of %s (%s)", words[i][0], words[i][1], q);
  }
  /* ...the colocated one flagged as such, and only when it differs. */
  tokens *ts = run("sécurité");
  ck_assert_int_eq(ts->n, 2);
  ck_assert_int_eq(ts->t[0].flags, 0);
  ck_assert_int_eq(ts->t[1].flags, FOUILLE_TERM_COLOCATED);
  ck_assert_int_eq(run("maison")->n, 1);
  /* The query side does the same. */
  ck_assert_int_eq(run_mode(FOUILLE_ANALYZE_QUERY, "sécurité", strlen("sécurité"))->n, 2);
}
END_TEST

static void fold(const char *in, char *out, size_t size);

/* Non-zero when some term of the document text a is a term of the query b. */
static int meet(const char *a, const char *b) {
  tokens *doc = run(a), *q = run_mode(FOUILLE_ANALYZE_QUERY, b, strlen(b));
  for (int i = 0; i < doc->n; i++)
    for (int k = 0; k < q->n; k++)
      if (strcmp(doc->t[i].term, q->t[k].term) == 0) return 1;
  return 0;
}

START_TEST(letters_without_decomposition_fold) {
  /* Analyzer 5: letters that have no accent to strip fold too, so that a
   * reader typing without them finds the word, both ways. */
  ASSERT_TERMS("Søren Ørsted", "soren orsted");
  ASSERT_TERMS("Łódź", "lodz");
  ASSERT_TERMS("đ ð ħ ƒ þ ĸ ŋ ı", "d d h f th q n i");
  ASSERT_TERMS("İstanbul İ", "istanbul i"); /* the Turkish capital dotted I */
  ck_assert(meet("Søren", "Soren"));
  ck_assert(meet("Soren", "Søren"));
  ck_assert(meet("Łódź", "lodz"));
  /* Fullwidth forms are their ASCII letters and digits, folded after
   * stemming like accents (Snowball sees no vowel in them). */
  const char *t = "ＬｉｂｒｅＯｆｆｉｃｅ Ｃａｌｃ ａ １２";
  tokens *ts = run(t);
  ck_assert_str_eq(primaries(ts), "libreoffice calc a 12");
  ck_assert_str_eq(ts->t[1].term, "libreoffic"); /* the accentless spelling's stem */
  ck_assert_str_eq(surface(t, &ts->t[2]), "Ｃａｌｃ");
  ck_assert(meet("Ｃａｌｃ", "calc"));
  /* The word keeps its accentless alternative. */
  ck_assert(meet("Søren", "soren"));
}
END_TEST

START_TEST(ideographs_are_a_word_each) {
  /* Analyzer 5: a Han ideograph (and a Hiragana letter) is a word by itself,
   * at consecutive positions, with its own byte offsets. */
  const char *t = "Le 中国 est";
  tokens *ts = run(t);
  ck_assert_str_eq(primaries(ts), "le 中 国 est");
  ck_assert_int_eq(ts->n, 4); /* four positions, nothing colocated */
  ck_assert_int_eq(ts->t[1].start, 3);
  ck_assert_int_eq(ts->t[1].end, 6);
  ck_assert_int_eq(ts->t[2].start, 6);
  ck_assert_int_eq(ts->t[2].end, 9);
  ck_assert_str_eq(surface(t, &ts->t[2]), "国");
  ASSERT_TERMS("中国", "中 国");
  /* Next to Latin letters and digits, without a space. */
  ASSERT_TERMS("abc中国def 2020年", "abc 中 国 def 2020 年");
  /* Hiragana one by one, a Katakana run stays one word; Hangul too. */
  ASSERT_TERMS("ひらカタカナ", "ひ ら カタカナ");
  ASSERT_TERMS("한국어", "한국어");
  /* An ideograph outside the BMP, then a variation selector kept with it. */
  t = "\xF0\xA0\x80\x80\xE8\x91\x9B\xF3\xA0\x84\x80x";
  ts = run(t);
  ck_assert_int_eq(ts->n, 3);
  ck_assert_int_eq(ts->t[1].start, 4);
  ck_assert_int_eq(ts->t[1].end, 11);
  ck_assert_str_eq(ts->t[2].term, "x");
}
END_TEST

START_TEST(plural_mark_colocated) {
  /* Snowball keeps these plurals' s or x: the colocated stem drops it, so
   * singular and plural meet both ways, accents or not. */
  const char *pairs[][2] = {{"vélos", "velo"},   {"numéros", "numero"}, {"connus", "connu"},
                            {"enjeux", "enjeu"}, {"jeux", "jeu"},       {"bijoux", "bijou"}};
  for (int i = 0; i < 6; i++) {
    ck_assert_msg(meet(pairs[i][0], pairs[i][1]), "%s vs %s", pairs[i][0], pairs[i][1]);
    char plain[64];
    fold(pairs[i][0], plain, sizeof plain);
    ck_assert_msg(meet(pairs[i][1], plain), "%s vs %s", pairs[i][1], plain);
  }
  ASSERT_TERMS("vélos virus", "velos virus"); /* Snowball's stem stays first */
  /* Short words keep their s. */
  ck_assert(!meet("mais", "mai") && !meet("fois", "foi") && !meet("mois", "moi"));
  ck_assert_int_eq(run("mais")->n, 1);
  /* The mark is the word's, not the stem's: "utilisateurs" stems to
   * "utilis", and "utilisation", "utiliser" must not gain a term "utili". */
  const char *one_term[] = {"utilisateurs", "utilisation", "utiliser", "analyse", "précis"};
  for (int i = 0; i < 5; i++) {
    ck_assert_msg(run(one_term[i])->n == 1, "%s: %d terms", one_term[i], run(one_term[i])->n);
    ck_assert_int_eq(run_mode(FOUILLE_ANALYZE_QUERY, one_term[i], strlen(one_term[i]))->n, 1);
  }
}
END_TEST

START_TEST(prefix_mode_folds_without_stemming) {
  tokens *ts = run_mode(FOUILLE_ANALYZE_PREFIX, "l'Écono", strlen("l'Écono"));
  ck_assert_int_eq(ts->n, 1);
  ck_assert_str_eq(ts->t[0].term, "econo");
  /* Short prefixes, or those Snowball leaves alone, stay one folded term. */
  const char *one[] = {"nucl", "pari", "puce", "econo", "intern"};
  for (int i = 0; i < 5; i++)
    ck_assert_msg(run_mode(FOUILLE_ANALYZE_PREFIX, one[i], strlen(one[i]))->n == 1, "%s", one[i]);
  /* A longer prefix Snowball would cut also gives its stem, colocated, so
   * that a whole word typed as a prefix finds itself. */
  const char *two[][3] = {{"Sécuri", "securi", "secur"},
                          {"nucléaire", "nucleaire", "nucleair"},
                          {"sécurité", "securite", "secur"}};
  for (int i = 0; i < 3; i++) {
    ts = run_mode(FOUILLE_ANALYZE_PREFIX, two[i][0], strlen(two[i][0]));
    ck_assert_int_eq(ts->n, 2);
    ck_assert_str_eq(ts->t[0].term, two[i][1]);
    ck_assert_str_eq(ts->t[1].term, two[i][2]);
    ck_assert_int_eq(ts->t[1].flags, FOUILLE_TERM_COLOCATED);
  }
  /* The stem of a prefix is no shorter than 4 letters: "pari*" is no "par*". */
  ck_assert_int_eq(run_mode(FOUILLE_ANALYZE_PREFIX, "paris", 5)->n, 1);
}
END_TEST

START_TEST(huge_token_is_cut) {
  size_t n = 1 << 20;
  char *big = malloc(n);
  memset(big, 'a', n);
  tokens *ts = run_mode(FOUILLE_ANALYZE_DOCUMENT, big, n);
  ck_assert_int_eq(ts->n, 1);
  ck_assert_int_eq((int)strlen(ts->t[0].term), FOUILLE_TERM_MAX);
  ck_assert_int_eq(ts->t[0].start, 0);
  ck_assert_int_eq(ts->t[0].end, (int)n);
  /* Multi-byte characters are cut on a boundary. */
  for (size_t i = 0; i + 1 < n; i += 2) {
    big[i] = (char)0xC3;
    big[i + 1] = (char)0xA9;
  }
  ts = run_mode(FOUILLE_ANALYZE_DOCUMENT, big, n);
  ck_assert_int_eq(ts->n, 1);
  free(big);
}
END_TEST

START_TEST(empty_and_null_input) {
  tokens ts = {.len = 0};
  ck_assert_int_eq(fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, NULL, 0, collect, &ts), 0);
  ck_assert_int_eq(ts.total, 0);
  ck_assert_int_ne(fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, NULL, 5, collect, &ts), 0);
  ck_assert_str_ne(fouille_error_last(), "");
}
END_TEST

START_TEST(invalid_utf8_is_a_separator) {
  const char t[] = "abc\xff\xfe"
                   "déf\xc3"
                   "ghi\xe2\x80"
                   "jkl\xed\xa0\x80mno";
  tokens *ts = run_mode(FOUILLE_ANALYZE_DOCUMENT, t, sizeof t - 1);
  ck_assert_str_eq(primaries(ts), "abc def ghi jkl mno");
  /* Random bytes: no crash, invariants hold (checked in collect). */
  srand(42);
  char buf[512];
  for (int round = 0; round < 2000; round++) {
    size_t n = (size_t)(rand() % (int)sizeof buf);
    for (size_t i = 0; i < n; i++) buf[i] = (char)(rand() % 256);
    for (int mode = 0; mode < 3; mode++) run_mode((fouille_analyze_mode)mode, buf, n);
  }
}
END_TEST

static int stop_after_one(int flags, const char *term, int len, int start, int end, void *payload) {
  (*(int *)payload)++;
  return 7;
}

START_TEST(callback_can_stop) {
  int calls = 0;
  ck_assert_int_eq(fouille_analyzer_run(an, 0, "un deux trois", 13, stop_after_one, &calls), 7);
  ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(cache_changes_nothing) {
  const char *text = "La sécurité de l’IA : les puces Nvidia H100, aujourd'hui, les États-Unis. "
                     "La sécurité, encore la sécurité ; les journées créées.";
  char with[4096], without[4096];
  fouille_analyzer *plain;
  ck_assert_int_eq(fouille_analyzer_new(&plain, -1), 0);
  for (int pass = 0; pass < 2; pass++) snprintf(with, sizeof with, "%s", primaries(run(text)));
  fouille_analyzer *saved = an;
  an = plain;
  snprintf(without, sizeof without, "%s", primaries(run(text)));
  an = saved;
  fouille_analyzer_free(plain);
  ck_assert_str_eq(with, without);
  unsigned long long lookups, hits;
  fouille_analyzer_cache_stats(&lookups, &hits, an);
  ck_assert(hits > 0 && hits < lookups);
  /* A tiny cache that overflows all the time still answers right. */
  fouille_analyzer *tiny;
  ck_assert_int_eq(fouille_analyzer_new(&tiny, 2), 0);
  an = tiny;
  for (int pass = 0; pass < 3; pass++) ck_assert_str_eq(primaries(run(text)), with);
  an = saved;
  fouille_analyzer_free(tiny);
}
END_TEST

/* Notes (analyzer_notes.h): each cached word shows its own note, kept while
 * the cache keeps the word, all 0 again when it empties (another epoch) or
 * when cleared; an uncached word shows none. */
typedef struct note_ctx {
  uint64_t **note;
  const char *text;
  int marked, found, none;
} note_ctx;

static uint64_t mark_of(const char *w, int n) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < n; i++) h = (h ^ (uint8_t)w[i]) * 1099511628211ull;
  return h | 1;
}

static int on_noted(int flags, const char *term, int len, int start, int end, void *p) {
  note_ctx *c = p;
  (void)term, (void)len;
  if (flags & FOUILLE_TERM_COLOCATED) return 0;
  uint64_t *n = *c->note, m = mark_of(c->text + start, end - start);
  if (!n) return c->none++, 0;
  ck_assert_msg(*n == 0 || *n == m, "another word's note on %.*s", end - start, c->text + start);
  if (*n)
    c->found++;
  else
    *n = m, c->marked++;
  return 0;
}

START_TEST(notes_follow_cached_words) {
  const char *text = "La sécurité de l’IA : les puces Nvidia, aujourd'hui, les États-Unis. "
                     "La sécurité, encore la sécurité ; les journées créées, les puces.";
  uint64_t *note = (uint64_t *)1;
  note_ctx c = {&note, text, 0, 0, 0};
  fouille_analyzer *big, *tiny, *none;
  ck_assert_int_eq(fouille_analyzer_new(&big, 0), 0);
  ck_assert_int_eq(fouille__analyzer_notes_on(big, &note), FOUILLE_OK);
  ck_assert_ptr_null(note);
  for (int pass = 0; pass < 2; pass++)
    ck_assert_int_eq(
        fouille_analyzer_run(big, FOUILLE_ANALYZE_DOCUMENT, text, strlen(text), on_noted, &c), 0);
  ck_assert_int_gt(c.marked, 10);
  ck_assert_int_gt(c.found, c.marked); /* the second pass finds every note */
  ck_assert_int_eq(c.none, 0);
  uint32_t epoch = fouille__analyzer_notes_epoch(big);
  fouille__analyzer_notes_clear(big);
  c.marked = c.found = 0;
  fouille_analyzer_run(big, FOUILLE_ANALYZE_DOCUMENT, text, strlen(text), on_noted, &c);
  ck_assert_int_gt(c.marked, 10);
  ck_assert_uint_eq(fouille__analyzer_notes_epoch(big), epoch); /* never emptied */
  ck_assert_uint_gt(fouille__analyzer_cache_bytes(big), 0);
  fouille_analyzer_free(big);
  /* A cache of 4 words empties itself all the time: no note outlives it. */
  ck_assert_int_eq(fouille_analyzer_new(&tiny, 4), 0);
  ck_assert_int_eq(fouille__analyzer_notes_on(tiny, &note), FOUILLE_OK);
  for (int pass = 0; pass < 3; pass++)
    fouille_analyzer_run(tiny, FOUILLE_ANALYZE_DOCUMENT, text, strlen(text), on_noted, &c);
  ck_assert_uint_gt(fouille__analyzer_notes_epoch(tiny), 5);
  fouille_analyzer_free(tiny);
  /* Without a cache, no word has a note. */
  ck_assert_int_eq(fouille_analyzer_new(&none, -1), 0);
  ck_assert_int_eq(fouille__analyzer_notes_on(none, &note), FOUILLE_OK);
  c.none = 0;
  fouille_analyzer_run(none, FOUILLE_ANALYZE_DOCUMENT, text, strlen(text), on_noted, &c);
  ck_assert_int_gt(c.none, 10);
  fouille_analyzer_free(none);
}
END_TEST

/* Removes accents from a Snowball expected stem, as the analyzer does. */
static void fold(const char *in, char *out, size_t size) {
  utf8proc_uint8_t *m = NULL;
  utf8proc_map((const utf8proc_uint8_t *)in, 0, &m,
               UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
  snprintf(out, size, "%s", m ? (const char *)m : in);
  free(m);
}

static void chomp(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

/* The vocabulary's words the analyzer stems on purpose otherwise: the
 * over-stemmed words of analyzer/word_tables.c. */
static int over_stemmed(const char *w) {
  static const char *const listed[] = {"côté", "côtés", "fils",   "gens", "mâle",  "mâles",
                                       "mère", "parti", "partis", "pays", "pêche", "tâche"};
  for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
    if (strcmp(w, listed[i]) == 0) return 1;
  return 0;
}

START_TEST(snowball_french_vocabulary_conformance) {
  const char *dir = getenv("FOUILLE_SNOWBALL_DIR");
  char vp[512], op[512];
  snprintf(vp, sizeof vp, "%s/voc.txt", dir ? dir : "/usr/share/snowball/data/french");
  snprintf(op, sizeof op, "%s/output.txt", dir ? dir : "/usr/share/snowball/data/french");
  FILE *voc = fopen(vp, "r"), *out = fopen(op, "r");
  ck_assert_msg(voc && out, "%s missing: install the Debian package snowball-data", vp);
  char word[256], stem[256], want[256];
  int total = 0, ok = 0, listed = 0;
  while (fgets(word, sizeof word, voc) && fgets(stem, sizeof stem, out)) {
    chomp(word);
    chomp(stem);
    fold(stem, want, sizeof want);
    tokens *ts = run(word);
    total++;
    if (ts->n >= 1 && strcmp(ts->t[0].term, want) == 0) {
      ok++;
    } else if (over_stemmed(word)) {
      listed++;
    } else {
      fprintf(stderr, "conformance: %s -> %s, want %s\n", word, ts->n ? ts->t[0].term : "", want);
    }
  }
  fclose(voc);
  fclose(out);
  fprintf(stderr, "Snowball French vocabulary: %d/%d words give the expected stem\n", ok, total);
  ck_assert_int_gt(total, 20000);
  /* Every other word gives Snowball's stem, and the rate stays >= 99.9 %. */
  ck_assert_int_eq(ok + listed, total);
  ck_assert_int_eq(listed, 12);
  ck_assert_int_ge(ok * 1000, total * 999);
}
END_TEST

int main(void) {
  Suite *s = suite_create("analyzer");
  TCase *tc = tcase_create("rules");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, segmentation_basics);
  tcase_add_test(tc, spaces_of_every_width);
  tcase_add_test(tc, elision_both_apostrophes);
  tcase_add_test(tc, elision_every_form_any_case);
  tcase_add_test(tc, inner_apostrophes_keep_the_word);
  tcase_add_test(tc, hyphens_split_into_consecutive_tokens);
  tcase_add_test(tc, case_nfc_and_nfd);
  tcase_add_test(tc, ligatures);
  tcase_add_test(tc, soft_hyphen_ignored);
  tcase_add_test(tc, digits_kept_never_merged);
  tcase_add_test(tc, emoji_are_separators_offsets_exact);
  tcase_add_test(tc, stems_with_accents_then_folds);
  tcase_add_test(tc, accentless_spelling_colocated);
  tcase_add_test(tc, plural_mark_colocated);
  tcase_add_test(tc, letters_without_decomposition_fold);
  tcase_add_test(tc, ideographs_are_a_word_each);
  tcase_add_test(tc, prefix_mode_folds_without_stemming);
  tcase_add_test(tc, huge_token_is_cut);
  tcase_add_test(tc, empty_and_null_input);
  tcase_add_test(tc, invalid_utf8_is_a_separator);
  tcase_add_test(tc, callback_can_stop);
  tcase_add_test(tc, cache_changes_nothing);
  tcase_add_test(tc, notes_follow_cached_words);
  tcase_add_test(tc, snowball_french_vocabulary_conformance);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
