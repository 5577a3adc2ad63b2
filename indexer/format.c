/* Which reader handles a file: chosen by its extension, case-insensitive.
 * Anything else is not an article file and is ignored by the scan. */
#include <string.h>
#include <strings.h>

#include "reader.h"

static const struct {
  const char *ext;
  fouille__format format;
} formats[] = {
    {"txt", FOUILLE__FORMAT_TXT},      {"md", FOUILLE__FORMAT_MD},
    {"markdown", FOUILLE__FORMAT_MD},  {"html", FOUILLE__FORMAT_HTML},
    {"htm", FOUILLE__FORMAT_HTML},     {"jsonl", FOUILLE__FORMAT_JSONL},
    {"ndjson", FOUILLE__FORMAT_JSONL},
};

fouille__format fouille__format_of(const char *path) {
  if (!path) return FOUILLE__FORMAT_NONE;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base) return FOUILLE__FORMAT_NONE; /* no extension, or a dotfile */
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (strcasecmp(dot + 1, formats[i].ext) == 0) return formats[i].format;
  return FOUILLE__FORMAT_NONE;
}
