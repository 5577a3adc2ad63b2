/* Private: the article readers, one per file format. Each turns a file's
 * bytes into articles; none touches SQLite. */
#ifndef FOUILLE_READER_H
#define FOUILLE_READER_H

#include <stddef.h>

/* One article as read from a file. All strings are NUL-terminated valid
 * UTF-8 (NULL when absent) and owned by the reader: valid only during the
 * callback. date is ISO 8601 (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ/±HH:MM)
 * or NULL. id is the article's id inside its file (JSON Lines) or NULL. */
typedef struct fouille__article {
  const char *id;
  const char *title, *date, *source, *url, *author, *tags;
  const char *body;
  size_t body_len;
  unsigned long line; /* line number in the file (JSON Lines), else 0 */
  int deleted;        /* a JSON Lines {"id": …, "deleted": true}: only id and line are set */
} fouille__article;

/* Receives each article; non-zero stops the reader, which returns it. */
typedef int (*fouille__article_cb)(void *ctx, const fouille__article *article);

/* Receives problems: line (0 when not line-based), a one-line message
 * without the path (the caller adds it), is_warning as in
 * fouille_problem_cb. */
typedef void (*fouille__warn_cb)(void *ctx, unsigned long line, const char *message,
                                 int is_warning);

typedef struct fouille__reader_ctx {
  fouille__article_cb on_article;
  fouille__warn_cb on_problem;
  void *ctx;
} fouille__reader_ctx;

/* The known formats, chosen by file extension (case-insensitive). */
typedef enum fouille__format {
  FOUILLE__FORMAT_NONE = 0, /* not an article file: ignored by the scan */
  FOUILLE__FORMAT_TXT,
  FOUILLE__FORMAT_MD,
  FOUILLE__FORMAT_HTML,
  FOUILLE__FORMAT_JSONL
} fouille__format;

fouille__format fouille__format_of(const char *path);

/* Whole-file readers: data/len is the file's raw content (any encoding,
 * any bytes). They return 0 after emitting the file's article(s),
 * FOUILLE_EPARSE (with fouille__error set, message without the path) when
 * the file holds no usable article (empty, binary…), or the callback's
 * non-zero value. */
int fouille__read_txt(const char *data, size_t len, const fouille__reader_ctx *rc);
int fouille__read_md(const char *data, size_t len, const fouille__reader_ctx *rc);
int fouille__read_html(const char *data, size_t len, const fouille__reader_ctx *rc);

/* JSON Lines are streamed: one call per line (without its newline).
 * Returns 0 after emitting the article (a line {"id": …, "deleted": true}
 * emits one with deleted set), 1 for a blank line (nothing to do), FOUILLE_EPARSE with fouille__error set for a malformed line
 * (message like "line 12: invalid JSON: …"), or the callback's value. */
int fouille__read_jsonl_line(const char *line, size_t len, unsigned long lineno,
                             const fouille__reader_ctx *rc);
/* The same through jansson alone (the fast path's reference, for tests). */
int fouille__read_jsonl_line_jansson(const char *line, size_t len, unsigned long lineno,
                                     const fouille__reader_ctx *rc);

/* Text encoding. Returns 1 and sets *out (malloc'd, NUL-terminated) to the
 * UTF-8 version of data when a conversion was needed (Windows-1252/Latin-1
 * detected, or stray invalid bytes replaced by U+FFFD), 0 when data is
 * already valid UTF-8 (*out untouched), FOUILLE_EPARSE when data looks
 * binary (NUL bytes, control characters), FOUILLE_ENOMEM. A UTF-8 BOM is
 * dropped (reported as a conversion). */
int fouille__to_utf8(const char *data, size_t len, char **out, size_t *out_len);

/* Normalises a date as written in an article (ISO 8601, RFC 2822,
 * "12 mars 2024", "12/03/2024"…) into ISO 8601 in out (at least 32 bytes).
 * Returns 0, or -1 when the date cannot be parsed (out is then ""). */
int fouille__date_normalize(const char *in, char *out, size_t out_size);

#endif
