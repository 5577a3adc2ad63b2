/* fouille-export: moves an archive to OpenSearch or Elasticsearch. main()
 * only picks the mode; each mode (export_*.c) parses its own options and
 * calls the library. */
#include <stdio.h>
#include <string.h>

#include "args_common.h"
#include "export_modes.h"
#include "fouille.h"

static const struct {
  const char *option;
  int (*run)(int argc, char **argv);
} modes[] = {
    {"--opensearch-template", fouille__export_template},
};

static void usage(FILE *out) {
  fputs("usage: fouille-export --opensearch-template [--index-pattern P] [--shards N]\n"
        "                      [--replicas N]\n"
        "Print what an OpenSearch or Elasticsearch cluster needs to serve the archive.\n"
        "  --opensearch-template  the index template (settings, analysis, mappings)\n"
        "  --index-pattern P      indices it applies to (default fouille*)\n"
        "  --shards N, --replicas N  set them in the template (default: the cluster's)\n"
        "  --help, --version\n",
        out);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++)
      if (strcmp(argv[i], modes[m].option) == 0) return modes[m].run(argc, argv);
    if (strcmp(argv[i], "--help") == 0) return usage(stdout), FOUILLE__CLI_OK;
    if (strcmp(argv[i], "--version") == 0)
      return printf("fouille-export %s\n", fouille_version()), FOUILLE__CLI_OK;
  }
  return fouille__cli_usage_line(stderr, "fouille-export",
                                 "give a mode: --opensearch-template (see --help)", NULL);
}
