/* libFuzzer target: fouille-index's option parser (cli/index_args.c).
 * Input: the arguments, separated by NUL bytes (argv[0] is the program).
 * Aborts when an argument vector breaks a promise of fuzz/cli_args_props.h:
 * exit code 0, 2 or 3, at most one line of message, values in range. */
#include <stdint.h>

#include "cli_args_props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fouille__index_args a;
  char *buf, *msg = NULL;
  size_t len = 0;
  int argc;
  char **argv = cli_props_split_args(data, size, "fouille-index", &buf, &argc);
  int rc = cli_props_run_index(&a, argc, argv, &msg, &len);
  const char *bad = cli_props_index(rc, &a, argc, argv, msg, len);
  if (bad) {
    fprintf(stderr, "fuzz_cli_index: %s (exit %d, message [%s])\n", bad, rc, msg);
    abort();
  }
  fouille__index_args_free(&a);
  free(msg);
  free(argv);
  free(buf);
  return 0;
}
