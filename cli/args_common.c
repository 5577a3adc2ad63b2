/* Shared by the option parsers of fouille-index and fouille-query
 * (index_args.c, query_args.c): one-line usage messages that no argument
 * can stretch over several lines, and strict decimal numbers. */
#include "args_common.h"

#include <string.h>

#define ECHO_MAX 80 /* bytes of an argument echoed in a message */

/* Copies arg into buf (at least ECHO_MAX + 4 bytes): control bytes as '?',
 * cut at a UTF-8 character boundary with "…" when longer than ECHO_MAX. */
static void echo_arg(char *buf, const char *arg) {
  size_t n = strlen(arg), cut = n > ECHO_MAX ? ECHO_MAX : n;
  while (cut < n && cut > 0 && ((unsigned char)arg[cut] & 0xC0) == 0x80) cut--;
  for (size_t i = 0; i < cut; i++) {
    unsigned char c = (unsigned char)arg[i];
    buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
  }
  strcpy(buf + cut, cut < n ? "\xE2\x80\xA6" : "");
}

int fouille__cli_usage_line(FILE *err, const char *tool, const char *msg, const char *arg) {
  char shown[ECHO_MAX + 4];
  if (arg) {
    echo_arg(shown, arg);
    fprintf(err, "%s: %s %s\n", tool, msg, shown);
  } else {
    fprintf(err, "%s: %s\n", tool, msg);
  }
  return FOUILLE__CLI_USAGE;
}

int fouille__cli_bad_option(FILE *err, const char *tool, char **argv, int ind, int opt) {
  char short_opt[3] = {'-', (char)opt, '\0'};
  if (opt > 0 && opt < 256) return fouille__cli_usage_line(err, tool, "bad option:", short_opt);
  return fouille__cli_usage_line(err, tool, "bad option:", ind > 0 ? argv[ind - 1] : "?");
}

int fouille__cli_parse_int(const char *s, long long min, long long max, long long *out) {
  long long v = 0;
  if (!s || !*s) return -1;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    if (v > max / 10 || v * 10 > max - (*p - '0')) return -1; /* would pass max */
    v = v * 10 + (*p - '0');
  }
  if (v < min) return -1;
  *out = v;
  return 0;
}
