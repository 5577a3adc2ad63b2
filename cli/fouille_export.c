/* fouille-export: the index to OpenSearch / Elasticsearch. main only
 * dispatches over the modes: --opensearch-template (export_template.c,
 * which parses its own options), --cursor, --bulk, --compact (export_run.c,
 * options in export_args.c). */
#include <stdio.h>
#include <string.h>

#include "export_args.h"
#include "export_modes.h"
#include "fouille.h"

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--opensearch-template") == 0) return fouille__export_template(argc, argv);
  fouille__export_args a;
  int rc = fouille__export_args_parse(&a, argc, argv, stderr);
  if (rc) return fputs("Try 'fouille-export --help'.\n", stderr), rc;
  if (a.action == FOUILLE__CLI_HELP) return fouille__export_usage(stdout), FOUILLE__CLI_OK;
  if (a.action == FOUILLE__CLI_VERSION)
    return printf("fouille-export %s\n", FOUILLE_VERSION_STRING), FOUILLE__CLI_OK;
  switch (a.mode) {
  case FOUILLE__EXPORT_CURSOR:
    return fouille__export_cursor_run(&a);
  case FOUILLE__EXPORT_BULK:
    return fouille__export_bulk_run(&a);
  case FOUILLE__EXPORT_COMPACT:
    return fouille__export_compact_run(&a);
  default:
    return FOUILLE__CLI_USAGE;
  }
}
