/* fouille_search_options: initialisation of either version, and the copy
 * fouille_search works from (fouille_search checks the values). */
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "fouille/query.h"
#include "search_private.h"

/* The fields version 1 had: those before exact. */
#define V1_SIZE offsetof(fouille_search_options, exact)

FOUILLE_EXTERN int fouille_search_options_init(fouille_search_options *opts, unsigned int version) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_search_options: NULL");
  if (version != 1 && version != FOUILLE_SEARCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_search_options: unknown version %u", version);
  memcpy(opts, &defaults, version == 1 ? V1_SIZE : sizeof defaults);
  opts->version = (int)version;
  return FOUILLE_OK;
}

int fouille__search_options_copy(fouille_search_options *dst, const fouille_search_options *src) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  *dst = defaults;
  if (!src) return FOUILLE_OK;
  if (src->version != 1 && src->version != FOUILLE_SEARCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_search_options: unknown version %d",
                          src->version);
  memcpy(dst, src, src->version == 1 ? V1_SIZE : sizeof *dst); /* a version 1 struct is smaller */
  dst->version = FOUILLE_SEARCH_OPTIONS_VERSION;
  return FOUILLE_OK;
}
