/* Compiled with -std=c11 -pedantic -Werror: the public headers must build
 * as they are, alone, and link against the shared library. */
#include <fouille.h>
#include <fouille/http.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  fouille_search_options so = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT;
  fouille_stats st = FOUILLE_STATS_INIT;
  fouille_search_options so2;
  fouille_index_options io2;
  fouille_update_options uo2;
  fouille_http_options ho = FOUILLE_HTTP_OPTIONS_INIT, ho2;
  fouille_writer_options wo = FOUILLE_WRITER_OPTIONS_INIT, wo2;
  fouille_watch_options wa;
  fouille_article_data ad = FOUILLE_ARTICLE_DATA_INIT;
  if (strcmp(fouille_version(), FOUILLE_VERSION_STRING) != 0 || so.limit != 10) {
    fprintf(stderr, "unexpected version or defaults\n");
    return 1;
  }
  if (fouille_search_options_init(&so2, FOUILLE_SEARCH_OPTIONS_VERSION) != FOUILLE_OK ||
      fouille_index_options_init(&io2, FOUILLE_INDEX_OPTIONS_VERSION) != FOUILLE_OK ||
      fouille_update_options_init(&uo2, FOUILLE_UPDATE_OPTIONS_VERSION) != FOUILLE_OK ||
      fouille_http_options_init(&ho2, FOUILLE_HTTP_OPTIONS_VERSION) != FOUILLE_OK ||
      fouille_writer_options_init(&wo2, FOUILLE_WRITER_OPTIONS_VERSION) != FOUILLE_OK ||
      fouille_watch_options_init(&wa, FOUILLE_WATCH_OPTIONS_VERSION) != FOUILLE_OK || wa.stop != NULL ||
      wo2.version != wo.version || wo2.batch_articles != wo.batch_articles ||
      wo2.commit_ms != wo.commit_ms || ad.version != FOUILLE_ARTICLE_DATA_VERSION ||
      so2.version != so.version || so2.limit != so.limit || so2.passages != so.passages ||
      so2.passage_length != so.passage_length || so2.sort != so.sort || io2.version != io.version ||
      io2.busy_timeout_ms != io.busy_timeout_ms || io2.read_pool_size != io.read_pool_size ||
      uo2.version != uo.version || uo2.payload != NULL || uo2.batch_articles != 0 ||
      ho2.version != ho.version || ho2.address != NULL || ho2.port != 0) {
    fprintf(stderr, "options_init differs from the _INIT macros\n");
    return 1;
  }
  if (fouille_search_options_init(&so2, FOUILLE_SEARCH_OPTIONS_VERSION + 1) != FOUILLE_EINVAL ||
      fouille_index_options_init(&io2, 0) != FOUILLE_EINVAL ||
      fouille_update_options_init(NULL, FOUILLE_UPDATE_OPTIONS_VERSION) != FOUILLE_EINVAL ||
      fouille_http_options_init(&ho2, 1) != FOUILLE_EINVAL) {
    fprintf(stderr, "options_init accepted an unknown version or NULL\n");
    return 1;
  }
  if (sum.version != FOUILLE_UPDATE_SUMMARY_VERSION || st.version != FOUILLE_STATS_VERSION) {
    fprintf(stderr, "unexpected struct versions\n");
    return 1;
  }
  printf("fouille %s, analyzer %d, schema %d\n", fouille_version(), FOUILLE_ANALYZER_VERSION,
         FOUILLE_SCHEMA_VERSION);
  return 0;
}
