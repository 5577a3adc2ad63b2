/* Searching a Fouille index from C, with nothing but <fouille.h>:
 *   cc search.c $(pkg-config --cflags --libs fouille) -o search
 *   ./search fouille.db "vélo électrique"
 * Prints each hit's key and title, then its passages with matches in [ ]. */
#include <fouille.h>
#include <stdio.h>
#include <string.h>

static void print_passage(const fouille_passage *p) {
  size_t at = 0;
  fputs("    ", stdout);
  for (size_t i = 0; i < p->n_spans; i++) {
    const fouille_span *s = &p->spans[i];
    printf("%.*s[%.*s]", (int)(s->start - at), p->text + at, (int)(s->end - s->start),
           p->text + s->start);
    at = s->end;
  }
  printf("%s\n", p->text + at);
}

int main(int argc, char **argv) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_index *index = NULL;
  fouille_results *results = NULL;
  int status = 3;
  if (argc != 3) {
    fprintf(stderr, "usage: %s INDEX QUERY\n", argv[0]);
    return 2;
  }
  io.read_only = 1;
  so.limit = 5;
  if (fouille_index_open(&index, argv[1], &io) != FOUILLE_OK ||
      fouille_search(&results, index, argv[2], &so) != FOUILLE_OK) {
    fprintf(stderr, "search: %s\n", fouille_error_last());
    goto done;
  }
  printf("%llu hits for \"%s\" (Fouille %s)\n", (unsigned long long)fouille_results_total(results),
         argv[2], fouille_version());
  for (size_t i = 0; i < fouille_results_count(results); i++) {
    const fouille_hit *hit = fouille_results_hit(results, i);
    printf("%zu. %s  %s  (%.2f)\n", i + 1, hit->key, hit->title ? hit->title : "", hit->score);
    for (size_t j = 0; j < hit->n_passages; j++) print_passage(&hit->passages[j]);
  }
  status = fouille_results_count(results) > 0 ? 0 : 1;
done:
  fouille_results_free(results);
  fouille_index_close(index);
  return status;
}
