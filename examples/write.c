/* Writing articles from a program into a Fouille index, with nothing but
 * <fouille.h>:
 *   cc write.c $(pkg-config --cflags --libs fouille) -o write
 *   ./write fouille.db
 * Puts three articles held in memory into the stream root "exemple", under
 * keys of its own choosing, replaces one, deletes one, commits (closing the
 * writer commits), then searches them. */
#include <fouille.h>
#include <stdio.h>

static void problem(const char *root, unsigned long line, const char *msg, int is_warning,
                    void *payload) {
  (void)line;
  (void)payload;
  fprintf(stderr, "%s: %s%s\n", root, is_warning ? "warning: " : "", msg);
}

static const char *const keys[] = {"exemple/1", "exemple/2", "exemple/3"};
static const char *const titles[] = {"La montgolfière de Lyon", "Le marché de Noël",
                                     "Une dépêche à retirer"};
static const char *const bodies[] = {
    "Une montgolfière rouge a survolé Lyon ce matin.",
    "Le marché de Noël de Strasbourg ouvre ses portes.",
    "Cette dépêche sera supprimée par le programme.",
};

static int write_articles(fouille_index *index) {
  fouille_writer_options wo = FOUILLE_WRITER_OPTIONS_INIT;
  fouille_writer *writer = NULL;
  fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
  wo.batch_articles = 100; /* a commit every 100 changes, or every second */
  wo.problem = problem;
  if (fouille_writer_open(&writer, index, "exemple", &wo) != FOUILLE_OK) return -1;
  a.date = "12 mars 2024";
  a.source = "Exemple";
  for (int i = 0; i < 3; i++) {
    a.title = titles[i];
    a.body = bodies[i];
    if (fouille_writer_put(writer, keys[i], &a) != FOUILLE_OK) goto fail;
  }
  a.title = titles[0]; /* the same key again: replaced in place */
  a.body = "Deux montgolfières, une rouge et une bleue, ont survolé Lyon.";
  if (fouille_writer_put(writer, keys[0], &a) != FOUILLE_OK ||
      fouille_writer_delete(writer, keys[2]) != FOUILLE_OK)
    goto fail;
  return fouille_writer_close(writer) == FOUILLE_OK ? 0 : -1; /* commits */
fail:
  fouille_writer_close(writer);
  return -1;
}

int main(int argc, char **argv) {
  fouille_index *index = NULL;
  fouille_results *results = NULL;
  const char *queries[] = {"montgolfières", "dépêche"};
  int status = 3;
  if (argc != 2) {
    fprintf(stderr, "usage: %s INDEX\n", argv[0]);
    return 2;
  }
  if (fouille_index_open(&index, argv[1], NULL) != FOUILLE_OK || write_articles(index) != 0)
    goto done;
  for (int q = 0; q < 2; q++) {
    if (fouille_search(&results, index, queries[q], NULL) != FOUILLE_OK) goto done;
    printf("%s: %llu hits\n", queries[q], (unsigned long long)fouille_results_total(results));
    for (size_t i = 0; i < fouille_results_count(results); i++)
      printf("  %s  %s\n", fouille_results_hit(results, i)->key,
             fouille_results_hit(results, i)->title);
    fouille_results_free(results);
    results = NULL;
  }
  status = 0;
done:
  if (status) fprintf(stderr, "write: %s\n", fouille_error_last());
  fouille_results_free(results);
  fouille_index_close(index);
  return status;
}
