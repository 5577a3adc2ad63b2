/* fouille_update_options: initialisation; version checks of the structs
 * fouille_index_update takes. */
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "update.h"

FOUILLE_EXTERN int fouille_update_options_init(fouille_update_options *opts, unsigned int version) {
  static const fouille_update_options defaults = FOUILLE_UPDATE_OPTIONS_INIT;
  if (!opts) return fouille__error(FOUILLE_EINVAL, "fouille_update_options: NULL");
  if (version != FOUILLE_UPDATE_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_update_options: unknown version %u", version);
  *opts = defaults;
  return FOUILLE_OK;
}

int fouille__update_args_check(const fouille_update_options *o, const fouille_update_summary *s) {
  if (o && o->version != FOUILLE_UPDATE_OPTIONS_VERSION)
    return fouille__error(FOUILLE_EINVAL, "fouille_update_options: unknown version %d", o->version);
  if (s && (s->version < 1 || s->version > FOUILLE_UPDATE_SUMMARY_VERSION))
    return fouille__error(FOUILLE_EINVAL, "fouille_update_summary: unknown version %d", s->version);
  return FOUILLE_OK;
}

void fouille__update_summary_copy(fouille_update_summary *to, const fouille_update_summary *from) {
  int version = to->version;
  /* A version 1 struct ends before articles_skipped, a version 2 one
   * before lexicon_bytes. */
  memcpy(to, from,
         version == 1   ? offsetof(fouille_update_summary, articles_skipped)
         : version == 2 ? offsetof(fouille_update_summary, lexicon_bytes)
                        : sizeof *to);
  to->version = version;
}
