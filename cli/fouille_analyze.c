/* fouille-analyze: the token oracle. Prints the terms the French analyzer
 * makes of a text (each with its position, its byte range in the input and
 * whether it is a colocated alternative), to answer "why does X not find
 * Y". Thin: the analyzer is the library's, this only prints. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/analyzer.h"

enum { EXIT_OKAY = 0, EXIT_USAGE = 2, EXIT_FAIL = 3 };
#define INPUT_MAX (64u << 20) /* the indexer's default file limit */

typedef struct term_list {
  json_t *terms; /* array of objects, or NULL when printing text */
  FILE *out;
  const char *text;
  long position; /* FTS5's: alternatives share their word's */
} term_list;

static void usage(FILE *out) {
  fputs("usage: fouille-analyze [--json] [--query | --prefix] [TEXT | -]\n"
        "       fouille-analyze --lines [--query | --prefix] < JSON-LINES\n"
        "Print the index terms Fouille's French analyzer makes of TEXT (or of\n"
        "standard input with - or no TEXT).\n"
        "  --json     one JSON object: analyzer version, mode and terms\n"
        "  --lines    each input line a JSON string; one JSON object a line out\n"
        "  --query    analyze as a query's words (same terms as documents)\n"
        "  --prefix   analyze as a prefix query (folded, not stemmed)\n"
        "  --help, --version\n",
        out);
}

static int usage_error(const char *msg) {
  fprintf(stderr, "fouille-analyze: %s\nTry 'fouille-analyze --help'.\n", msg);
  return EXIT_USAGE;
}

/* Reads all of fp (at most INPUT_MAX bytes) into a new buffer. */
static char *read_all(FILE *fp, size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, fp);
    if (n < cap || ferror(fp) || cap >= INPUT_MAX) break;
    char *bigger = realloc(buf, cap * 2);
    if (!bigger) free(buf);
    buf = bigger, cap *= 2;
  }
  if (buf && (ferror(fp) || n >= INPUT_MAX)) free(buf), buf = NULL;
  *len = n;
  return buf;
}

static int print_term(int flags, const char *term, int len, int start, int end, void *payload) {
  term_list *l = payload;
  int colocated = (flags & FOUILLE_TERM_COLOCATED) != 0;
  if (!colocated) l->position++;
  if (!l->terms) {
    fprintf(l->out, "%ld\t%.*s\t%d-%d\t%.*s%s\n", l->position, len, term, start, end, end - start,
            l->text + start, colocated ? "\tcolocated" : "");
    return 0;
  }
  /* Terms are valid UTF-8; the written word is too, unless the input was
   * not (then null rather than a refusal). */
  json_t *written = json_stringn(l->text + start, (size_t)(end - start));
  json_t *t = json_pack("{s:I, s:s%, s:i, s:i, s:o, s:b}", "position", (json_int_t)l->position,
                        "term", term, (size_t)len, "start", start, "end", end, "text",
                        written ? written : json_null(), "colocated", colocated);
  return !t || json_array_append_new(l->terms, t) != 0;
}

static const char *mode_name(fouille_analyze_mode mode) {
  return mode == FOUILLE_ANALYZE_QUERY    ? "query"
         : mode == FOUILLE_ANALYZE_PREFIX ? "prefix"
                                          : "document";
}

/* Runs a on text and prints its terms as text lines or one JSON object. */
static int analyze_with(fouille_analyzer *a, const char *text, size_t len,
                        fouille_analyze_mode mode, int as_json) {
  term_list l = {as_json ? json_array() : NULL, stdout, text, -1};
  int rc = (as_json && !l.terms) ? FOUILLE_ENOMEM : FOUILLE_OK;
  if (rc == FOUILLE_OK) rc = fouille_analyzer_run(a, mode, text, len, print_term, &l);
  if (rc == FOUILLE_OK && as_json) {
    json_t *doc = json_pack("{s:i, s:s, s:O}", "analyzer_version", FOUILLE_ANALYZER_VERSION, "mode",
                            mode_name(mode), "terms", l.terms);
    if (!doc || json_dumpf(doc, stdout, JSON_COMPACT | JSON_ENSURE_ASCII) != 0) rc = FOUILLE_ENOMEM;
    if (doc) fputc('\n', stdout);
    json_decref(doc);
  }
  json_decref(l.terms);
  return rc;
}

static int analyze(const char *text, size_t len, fouille_analyze_mode mode, int as_json) {
  fouille_analyzer *a = NULL;
  int rc = fouille_analyzer_new(&a, -1);
  if (rc == FOUILLE_OK) rc = analyze_with(a, text, len, mode, as_json);
  fouille_analyzer_free(a);
  if (rc != FOUILLE_OK) fprintf(stderr, "fouille-analyze: %s\n", fouille_error_last());
  return rc == FOUILLE_OK ? EXIT_OKAY : EXIT_FAIL;
}

/* --lines: each line of standard input is one text as a JSON string; each
 * gives one line of output, its JSON object (one analyzer for all). */
static int analyze_lines(fouille_analyze_mode mode) {
  fouille_analyzer *a = NULL;
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int rc = fouille_analyzer_new(&a, 0);
  while (rc == FOUILLE_OK && (n = getline(&line, &cap, stdin)) >= 0) {
    json_t *text = json_loadb(line, (size_t)n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    lineno++;
    if (json_is_string(text))
      rc = analyze_with(a, json_string_value(text), json_string_length(text), mode, 1);
    else
      rc = FOUILLE_EINVAL;
    json_decref(text);
  }
  free(line);
  fouille_analyzer_free(a);
  if (rc == FOUILLE_EINVAL)
    fprintf(stderr, "fouille-analyze: standard input, line %zu: not a JSON string\n", lineno);
  else if (rc != FOUILLE_OK)
    fprintf(stderr, "fouille-analyze: %s\n", fouille_error_last());
  return rc == FOUILLE_OK ? EXIT_OKAY : EXIT_FAIL;
}

static int parse_options(int argc, char **argv, fouille_analyze_mode *mode, int *as_json) {
  static const struct option longs[] = {{"json", no_argument, NULL, 'j'},
                                        {"lines", no_argument, NULL, 'l'},
                                        {"query", no_argument, NULL, 'q'},
                                        {"prefix", no_argument, NULL, 'p'},
                                        {"help", no_argument, NULL, 'h'},
                                        {"version", no_argument, NULL, 'V'},
                                        {NULL, 0, NULL, 0}};
  int opt;
  opterr = 0;
  while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
    if (opt == 'j' || opt == 'l')
      *as_json = opt == 'l' ? 2 : *as_json == 2 ? 2 : 1;
    else if (opt == 'q')
      *mode = FOUILLE_ANALYZE_QUERY;
    else if (opt == 'p')
      *mode = FOUILLE_ANALYZE_PREFIX;
    else if (opt == 'h')
      return usage(stdout), -1;
    else if (opt == 'V')
      return printf("fouille-analyze %s\n", fouille_version()), -1;
    else
      return usage_error("unknown option");
  }
  if (argc - optind > 1) return usage_error("give one TEXT (quote it) or - for standard input");
  if (*as_json == 2 && argc > optind) return usage_error("--lines reads standard input: no TEXT");
  return EXIT_OKAY;
}

int main(int argc, char **argv) {
  fouille_analyze_mode mode = FOUILLE_ANALYZE_DOCUMENT;
  int as_json = 0, rc = parse_options(argc, argv, &mode, &as_json);
  if (rc) return rc < 0 ? EXIT_OKAY : rc;
  if (as_json == 2) return analyze_lines(mode);
  if (optind < argc && strcmp(argv[optind], "-") != 0)
    return analyze(argv[optind], strlen(argv[optind]), mode, as_json);
  size_t len = 0;
  char *text = read_all(stdin, &len);
  if (!text) {
    fprintf(stderr, "fouille-analyze: standard input: cannot read it (or over 64 MiB)\n");
    return EXIT_FAIL;
  }
  rc = analyze(text, len, mode, as_json);
  free(text);
  return rc;
}
