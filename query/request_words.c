/* How a query typed as a question is read: its request words ("comment",
 * "moyen", "besoin", "marche pas"…, by stem or form) kept but weighing
 * FOUILLE__REQUEST_WEIGHT of a subject word, the weights of an expression's
 * phrases, inverted pronouns ("peut-on") and typographic marks. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query_private.h"

/* Matched by stem: every inflection counts. Gathered from the ways people
 * ask on help desks and forums: wanting, needing and having to, being
 * able, looking for and finding, knowing and explaining, doing and
 * managing to, way and method and advice, help and politeness, trouble and
 * failure. Forms whose stem other words share are in by_form (the
 * archive's words were checked: "sais" is "saisie"'s stem, "dev" "devant"'s,
 * "font" "fonte"'s, "puiss" "puissant"'s). */
static const char *const by_stem[] = {
    /* wanting */
    "vouloir", "veux", "veut", "voulons", "voulez", "veulent", "voudrais", "voudrait", "voudrions",
    "voudriez", "voulu", "souhaiter", "souhaite", "souhaiterais", "désirer", "désire", "aimerais",
    "aimerait",
    /* needing, having to */
    "besoin", "devoir", "dois", "doit", "doivent", "devrais", "devrait",
    /* being able, possibility */
    "pouvoir", "peux", "peut", "pouvons", "pouvez", "peuvent", "pourrais", "pourrait", "pourrions",
    "pourriez", "possible", "possibilité", "impossible",
    /* looking for, finding, knowing, explaining */
    "chercher", "cherche", "trouver", "trouve", "savoir", "saurais", "expliquer", "explication",
    /* doing, managing to */
    "faire", "fais", "fait", "faisons", "faites", "réussir", "réussis", "parvenir", "parviens",
    /* way, method, advice */
    "façon", "manière", "méthode", "solution", "astuce", "conseil", "meilleur", "tutoriel",
    /* help, politeness */
    "aide", "aider", "aidez", "bonjour", "merci",
    /* trouble, failure */
    "problème", "souci", "échouer", "échoue", "échec", "panne"};

/* Matched by folded form only: their stems are other words' too ("moyenne",
 * "faute", "existant", "commentaire", "saisie", "devant", "puissant",
 * "IDE", "plantes", "bloquant", "questions debconf", "utilisateur"). */
static const char *const by_form[] = {
    "comment", "combien",  "moyen",   "moyens", "faut",     "faudrait",     "fallait",
    "existe",  "existent", "exister", "devons", "devez",    "puisse",       "sais",
    "sait",    "savez",    "ferais",  "ferait", "plante",   "planté",       "plantage",
    "bloqué",  "bloquée",  "idée",    "idées",  "question", "quelqu'un",    "svp",
    "stp",     "help",     "tuto",    "salut",  "truc",     "cordialement", "utiliser"};

/* Matched by folded form when the next word negates them ("ne marche
 * pas", "n'arrive plus"): else they are subject ("comment fonctionne le
 * noyau", "arrivée du courrier"). */
static const char *const negated[] = {"fonctionne", "fonctionnent", "fonctionnait", "marche",
                                      "marchent",   "marchait",     "arrive",       "arrivent",
                                      "arrivais",   "arrivons"};
static const char *const negations[] = {"pas", "plus", "jamais", "point", "rien"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The lists' terms, sorted, in static rows (no heap: the extension's copy
 * of this file may be unloaded with its tables). */
#define ROW 32 /* longer than any term of the lists */
typedef struct table {
  char (*v)[ROW];
  size_t n;
} table;

static char stem_rows[COUNT(by_stem)][ROW], form_rows[COUNT(by_form)][ROW];
static char negated_rows[COUNT(negated)][ROW];
static table stems = {stem_rows, 0}, forms = {form_rows, 0}, negated_forms = {negated_rows, 0};
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The first (not colocated) term of a word, NUL-terminated into buf. */
typedef struct first {
  char buf[FOUILLE_TERM_MAX + 1];
  int n; /* terms at their own position */
} first;

static int take_first(int flags, const char *term, int len, int start, int end, void *payload) {
  first *f = payload;
  (void)start, (void)end;
  if (flags & FOUILLE_TERM_COLOCATED) return 0;
  if (f->n++ == 0) memcpy(f->buf, term, (size_t)len), f->buf[len] = '\0';
  return 0;
}

/* The word's one term in mode, or NULL when it makes none or several. */
static const char *one_term(fouille_analyzer *an, fouille_analyze_mode mode, const char *w,
                            size_t len, first *f) {
  f->n = 0;
  if (fouille_analyzer_run(an, mode, w, len, take_first, f) != FOUILLE_OK || f->n != 1) return NULL;
  return f->buf;
}

static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }

/* The n words' terms in mode into t (room for n), sorted. */
static void table_make(table *t, fouille_analyzer *an, fouille_analyze_mode mode,
                       const char *const *words, size_t n) {
  first f;
  for (size_t i = 0; i < n; i++) {
    const char *term = one_term(an, mode, words[i], strlen(words[i]), &f);
    if (term && strlen(term) < ROW) strcpy(t->v[t->n++], term);
  }
  qsort(t->v, t->n, ROW, cmp_str);
}

/* Runs once per process: the lists through the analyzer, sorted. */
static void tables_make(void) {
  fouille_analyzer *an = NULL;
  if (fouille_analyzer_new(&an, -1) != FOUILLE_OK) return; /* no table: no request word */
  table_make(&stems, an, FOUILLE_ANALYZE_QUERY, by_stem, COUNT(by_stem));
  table_make(&forms, an, FOUILLE_ANALYZE_PREFIX, by_form, COUNT(by_form));
  table_make(&negated_forms, an, FOUILLE_ANALYZE_PREFIX, negated, COUNT(negated));
  fouille_analyzer_free(an);
}

static int in_table(const table *t, const char *term) {
  return term && t->n && bsearch(term, t->v, t->n, ROW, cmp_str) != NULL;
}

/* Whether [s, s + n) is one of the negations (ASCII, any case). */
static int is_negation(const char *s, size_t n) {
  for (size_t i = 0; s && i < COUNT(negations); i++)
    if (strlen(negations[i]) == n && strncasecmp(s, negations[i], n) == 0) return 1;
  return 0;
}

int fouille__is_request_word(fouille_analyzer *an, const char *word, size_t len, const char *next,
                             size_t next_len) {
  first f;
  pthread_once(&once, tables_make);
  if (!an || !word || len == 0 || len > FOUILLE_TERM_MAX) return 0;
  if (in_table(&stems, one_term(an, FOUILLE_ANALYZE_QUERY, word, len, &f))) return 1;
  const char *folded = one_term(an, FOUILLE_ANALYZE_PREFIX, word, len, &f);
  return in_table(&forms, folded) ||
         (is_negation(next, next_len) && in_table(&negated_forms, folded));
}

/* Frames of several words (folded, without elisions) whose words are
 * request words there, not elsewhere: "la marche à suivre", "à quoi sert",
 * "comment s'y prendre", "le mode d'emploi". */
static const char *const frames[][4] = {{"marche", "a", "suivre"}, {"a", "quoi", "sert"},
                                        {"a", "quoi", "servent"},  {"a", "quoi", "ca", "sert"},
                                        {"y", "prendre"},          {"mode", "emploi"}};

/* The number of words of the frame starting at folded[i] (n words), or 0. */
static size_t frame_at(char (*folded)[ROW], size_t i, size_t n) {
  for (size_t f = 0; f < COUNT(frames); f++) {
    size_t k = 0;
    while (k < 4 && frames[f][k] && i + k < n && strcmp(folded[i + k], frames[f][k]) == 0) k++;
    if (k == 4 || (k > 0 && !frames[f][k])) return k;
  }
  return 0;
}

void fouille__request_frames(fouille_analyzer *an, const char *const *words, const size_t *lens,
                             size_t n, int *marks) {
  char(*folded)[ROW] = malloc((n ? n : 1) * ROW);
  first f;
  if (!folded || !an) return free(folded);
  for (size_t i = 0; i < n; i++) { /* "" (no word) matches no frame */
    const char *t = words[i] ? one_term(an, FOUILLE_ANALYZE_PREFIX, words[i], lens[i], &f) : NULL;
    strcpy(folded[i], t && strlen(t) < ROW ? t : "");
  }
  for (size_t i = 0; i < n; i++)
    for (size_t k = frame_at(folded, i, n); k > 0; k--) marks[i + k - 1] = 1;
  free(folded);
}

/* ---- The weights of an expression's phrases ----------------------------------- */

/* The closing quote of the FTS5 string whose text starts at e ("" stands
 * for "), or NULL. */
static const char *quoted_end(const char *e) {
  for (; *e != '"' || e[1] == '"'; e += *e == '"' ? 2 : 1)
    if (!*e) return NULL;
  return e;
}

/* The weight of the quoted string whose text is [s, e): a request word's
 * when a word typed as a word (a term of p) has that text. */
static double string_weight(const fouille__parsed *p, const char *s, const char *e) {
  size_t n = (size_t)(e - s);
  for (size_t i = 0; i < p->n_terms; i++) {
    const fouille__qterm *t = &p->terms[i];
    if (!t->prefix && strlen(t->text) == n && memcmp(t->text, s, n) == 0)
      return t->request ? FOUILLE__REQUEST_WEIGHT : 1.0;
  }
  return 1.0;
}

int fouille__phrase_weights(const fouille__parsed *p, const char *expr, double **out, int *n_out) {
  int n = 0, cap = 0, any = 0;
  double *w = NULL;
  *out = NULL, *n_out = 0;
  for (const char *e = strchr(expr, '"'); e; e = strchr(e, '"')) {
    const char *end = quoted_end(e + 1);
    if (!end) break;
    if (n == cap) {
      double *v = realloc(w, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *v);
      if (!v) return free(w), FOUILLE_ENOMEM;
      w = v;
    }
    w[n] = strncmp(end + 1, " *", 2) == 0 ? 1.0 : string_weight(p, e + 1, end);
    any |= w[n++] != 1.0;
    e = end + 1;
  }
  if (any)
    *out = w, *n_out = n;
  else
    free(w); /* every phrase weighs 1: nothing to pass */
  return FOUILLE_OK;
}

/* ---- Typography ------------------------------------------------------------------ */

int fouille__typographic_mark(const char *p, size_t n) {
  static const char *const marks[] = {"\u00a0", "\u202f", "\u2009", "\u2007", "\u00ab", "\u00bb",
                                      "\u2026", "\u2013", "\u2014", "\u201c", "\u201d", "\u201e",
                                      "\u00bf", "\u00a1", "\u2039", "\u203a"};
  for (size_t i = 0; i < COUNT(marks); i++)
    if (strlen(marks[i]) == n && memcmp(marks[i], p, n) == 0) return 1;
  return 0;
}

/* ---- Inverted questions ---------------------------------------------------------- */

/* Subject pronouns after an inversion hyphen ("peut-on", "dois-je"), "ce"
 * of "est-ce", and "moi"/"toi" after an imperative ("aidez-moi"). */
static const char *const inverted[] = {"il",   "elle", "on",    "je", "tu",  "nous",
                                       "vous", "ils",  "elles", "ce", "moi", "toi"};

/* Whether [s, s + n) is word (ASCII, any case). */
static int is(const char *s, size_t n, const char *word) {
  return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* The length of [s, s + n) less its part after the last hyphen when that is
 * one of the words `list`, or n. */
static size_t cut_last(const char *s, size_t n, const char *const *list, size_t count) {
  const char *h = s + n;
  while (h > s && *--h != '-') {
  }
  if (h == s) return n;
  for (size_t i = 0; i < count; i++)
    if (is(h + 1, n - (size_t)(h + 1 - s), list[i])) return (size_t)(h - s);
  return n;
}

size_t fouille__inversion_cut(const char *word, size_t len) {
  static const char *const t[] = {"t"};
  if (is(word, len, "rendez-vous")) return len; /* a noun */
  size_t k = cut_last(word, len, inverted, COUNT(inverted));
  if (k < len) k = cut_last(word, k, t, 1); /* the euphonic t of "a-t-il" */
  return k;
}
