/* Compiled with -std=c11 -pedantic -Werror: the public headers must build
 * as they are, alone, and link against the shared library. */
#include <fouille.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  (void)io;
  (void)uo;
  if (strcmp(fouille_version(), FOUILLE_VERSION_STRING) != 0 || so.limit != 10) {
    fprintf(stderr, "unexpected version or defaults\n");
    return 1;
  }
  printf("fouille %s, analyzer %d, schema %d\n", fouille_version(), FOUILLE_ANALYZER_VERSION,
         FOUILLE_SCHEMA_VERSION);
  return 0;
}
