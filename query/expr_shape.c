/* The shape of the FTS5 expressions parse.c writes: every word a quoted
 * string, joined by AND or OR; the weight of each string (request words). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "search_private.h"

const char *fouille__expr_quoted_end(const char *e) {
  for (; *e != '"' || e[1] == '"'; e += *e == '"' ? 2 : 1)
    if (!*e) return NULL;
  return e;
}

int fouille__expr_flat_any_word(const char *e) {
  for (;;) {
    if (*e != '"' || !(e = fouille__expr_quoted_end(e + 1))) return 0;
    if (!*++e) return 1;
    if (strncmp(e, " OR ", 4)) return 0;
    e += 4;
  }
}

/* What fouille__rank_bounds' all_held answers for. */
int fouille__expr_and_of(const char *every_word, const char *any_word) {
  const char *e = every_word, *a = any_word;
  int quoted = 0;
  while (*a) {
    if (!quoted && !strncmp(a, " OR ", 4)) {
      if (strncmp(e, " AND ", 5)) return 0;
      a += 4, e += 5;
      continue;
    }
    if (*a == '"') quoted = !quoted;
    if (*e++ != *a++) return 0;
  }
  return *e == '\0';
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

int fouille__expr_phrase_weights(const fouille__parsed *p, const char *expr, double **out,
                                 int *n_out) {
  int n = 0, cap = 0, any = 0;
  double *w = NULL;
  *out = NULL, *n_out = 0;
  for (const char *e = strchr(expr, '"'); e; e = strchr(e, '"')) {
    const char *end = fouille__expr_quoted_end(e + 1);
    if (!end) break;
    if (n == cap) {
      double *v = realloc(w, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *v);
      if (!v) return free(w), fouille__error(FOUILLE_ENOMEM, "out of memory");
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
