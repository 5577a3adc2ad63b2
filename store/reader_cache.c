/* A read connection's cache (store.h): the full-text index's version, the
 * column sizes read for it, and the query engine's opaque part. */
#include <string.h>

#include "error.h"
#include "sizes.h"
#include "store.h"

int fouille__store_reader_snapshot(fouille__reader *r) {
  fouille__reader_cache *c = &r->cache;
  int changed = 0, rc = fouille__fts5_version_read(r->db, &c->version, &changed);
  if (changed) {
    fouille__docsizes_free(c->sizes);
    c->sizes = NULL, c->sizes_read = 0;
    c->generation++;
  }
  return rc;
}

const fouille__docsizes *fouille__store_reader_sizes(fouille__reader *r) {
  fouille__reader_cache *c = &r->cache;
  if (c->sizes_read) return c->sizes;
  /* Once per version: sparse rowids or a refused format stay so until the
   * index changes; out of memory may pass. The packed sizes when they hold
   * for this version (a few rows), else FTS5's records (one row each). */
  int rc = fouille__sizes_read(r->db, &c->version, &c->sizes);
  if (rc != FOUILLE_OK && rc != FOUILLE_ENOMEM) rc = fouille__fts5_docsizes_read(r->db, &c->sizes);
  c->sizes_read = rc != FOUILLE_ENOMEM;
  return c->sizes;
}

int fouille__store_reader_sizes_cheap(fouille__reader *r) {
  return r->cache.sizes || fouille__sizes_hold(r->db, &r->cache.version);
}

void fouille__reader_cache_free(fouille__reader_cache *c) {
  fouille__docsizes_free(c->sizes);
  fouille__fts5_version_clear(&c->version);
  if (c->query_free) c->query_free(c->query);
  memset(c, 0, sizeof *c);
}
