/* Snowball French stemming through libstemmer, on the accented,
 * case-folded word. One stemmer per analyzer: libstemmer is not
 * thread-safe. */
#include <libstemmer.h>
#include <stdlib.h>

#include "analyzer_private.h"
#include "error.h"

struct fouille__stemmer {
  struct sb_stemmer *sb;
};

fouille__stemmer *fouille__stemmer_new(void) {
  fouille__stemmer *st = calloc(1, sizeof *st);
  if (!st) return NULL;
  st->sb = sb_stemmer_new("french", "UTF_8");
  if (!st->sb) {
    free(st);
    return NULL;
  }
  return st;
}

void fouille__stemmer_free(fouille__stemmer *st) {
  if (!st) return;
  sb_stemmer_delete(st->sb);
  free(st);
}

int fouille__stem(fouille__stemmer *st, const char *word, size_t len, const char **out,
                  size_t *out_len) {
  const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)len);
  if (!s) return fouille__error(FOUILLE_ENOMEM, "out of memory in the stemmer");
  *out = (const char *)s;
  *out_len = (size_t)sb_stemmer_length(st->sb);
  return 0;
}
