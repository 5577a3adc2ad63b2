/* Private to fouille-export: one function per mode, each parsing its own
 * options (argv as main received it) and returning the exit code. */
#ifndef FOUILLE_CLI_EXPORT_MODES_H
#define FOUILLE_CLI_EXPORT_MODES_H

/* --opensearch-template [--index-pattern P] [--shards N] [--replicas N] */
int fouille__export_template(int argc, char **argv);

#endif
