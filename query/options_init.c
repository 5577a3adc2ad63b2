/* fouille_search_options: initialisation (fouille_search checks them). */
#include "error.h"
#include "fouille/query.h"

FOUILLE_EXTERN int fouille_search_options_init(fouille_search_options *opts, unsigned int version) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_search_options: NULL");
  if (version != FOUILLE_SEARCH_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_search_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}
