/* fouille_search_options: initialisation of any version, and the copy
 * fouille_search works from (fouille_search checks the values). */
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "fouille/query.h"
#include "search_private.h"

/* The bytes of each version: version 1 ends before exact, version 2 before
 * sources; 0 for an unknown version. */
static size_t version_size(long version) {
  if (version == 1) return offsetof(fouille_search_options, exact);
  if (version == 2) return offsetof(fouille_search_options, sources);
  if (version == FOUILLE_SEARCH_OPTIONS_VERSION) return sizeof(fouille_search_options);
  return 0;
}

FOUILLE_EXTERN int fouille_search_options_init(fouille_search_options *opts, unsigned int version) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  size_t n = version_size((long)version);
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_search_options: NULL");
  if (!n)
    return fouille__error(FOUILLE_EINVAL, "fouille_search_options: unknown version %u", version);
  memcpy(opts, &defaults, n);
  opts->version = (int)version;
  return FOUILLE_OK;
}

int fouille__search_options_copy(fouille_search_options *dst, const fouille_search_options *src) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  *dst = defaults;
  if (!src) return FOUILLE_OK;
  size_t n = version_size(src->version);
  if (!n)
    return fouille__error(FOUILLE_EINVAL, "fouille_search_options: unknown version %d",
                          src->version);
  memcpy(dst, src, n); /* an older struct is smaller */
  dst->version = FOUILLE_SEARCH_OPTIONS_VERSION;
  return FOUILLE_OK;
}
