/* The shape of the FTS5 expressions parse.c writes: every word a quoted
 * string, joined by AND or OR. */
#include <string.h>

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
