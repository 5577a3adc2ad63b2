/* fouille_index_options: initialisation and version check. */
#include "error.h"
#include "store.h"

FOUILLE_EXTERN int fouille_index_options_init(fouille_index_options *opts, unsigned int version) {
  static const fouille_index_options defaults = FOUILLE_INDEX_OPTIONS_INIT;
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_index_options: NULL");
  if (version != FOUILLE_INDEX_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_index_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}

int fouille__index_options_check(const fouille_index_options *o) {
  if (o && o->version != FOUILLE_INDEX_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_index_options: unknown version %d", o->version);
  return FOUILLE_OK;
}
