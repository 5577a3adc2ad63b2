/* Plain-text articles: the first non-empty line is the title, the rest the
 * body. Scraped noise is cleaned: lines that are only an image file name,
 * and lines repeating the previous one. Paragraphs end with "\n\n". */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "read_util.h"

/* "28173f40….jpg" alone on a line: a leftover of a scraped <img>. */
static int is_image_name(const char *s, size_t n) {
  static const char *exts[] = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg"};
  for (size_t i = 0; i < n; i++)
    if (s[i] == ' ' || s[i] == '\t') return 0;
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    size_t k = strlen(exts[i]);
    if (n > k && strncasecmp(s + n - k, exts[i], k) == 0) return 1;
  }
  return 0;
}

/* Next line of text [*pos, len): CRLF, CR and LF all end a line. */
static int next_line(const char *t, size_t len, size_t *pos, const char **s, size_t *n) {
  if (*pos >= len) return 0;
  size_t i = *pos;
  while (i < len && t[i] != '\n' && t[i] != '\r') i++;
  *s = t + *pos;
  *n = i - *pos;
  if (i < len && t[i] == '\r' && i + 1 < len && t[i + 1] == '\n') i++;
  *pos = i + 1;
  return 1;
}

typedef struct body_state {
  fouille__buf out;
  const char *prev; /* previous non-empty line (trimmed) */
  size_t prev_n;
  int blank; /* a blank line was seen since the last kept line */
} body_state;

static void body_line(body_state *b, const char *s, size_t n) {
  fouille__trim(&s, &n);
  if (n == 0) {
    b->blank = 1;
    return;
  }
  if (is_image_name(s, n) || (n == b->prev_n && memcmp(s, b->prev, n) == 0)) return;
  b->prev = s, b->prev_n = n;
  if (b->out.len > 0) fouille__buf_add(&b->out, b->blank ? "\n\n" : "\n", b->blank ? 2 : 1);
  fouille__buf_add(&b->out, s, n);
  b->blank = 0;
}

int fouille__read_txt(const char *data, size_t len, const fouille__reader_ctx *rc) {
  char *owned = NULL, *title = NULL;
  const char *t, *s = NULL;
  size_t tlen, pos = 0, n = 0;
  body_state b = {0};
  int r = fouille__read_prepare(data, len, rc, &owned, &t, &tlen);
  if (r != 0) goto done;
  while (next_line(t, tlen, &pos, &s, &n)) {
    fouille__trim(&s, &n);
    if (n > 0) break;
  }
  if (n == 0) {
    r = fouille__error(FOUILLE_EPARSE, "empty file");
    goto done;
  }
  title = fouille__strndup(s, n);
  b.prev = s, b.prev_n = n;
  while (next_line(t, tlen, &pos, &s, &n)) body_line(&b, s, n);
  const char *body = fouille__buf_cstr(&b.out);
  if (!title || !body) {
    r = fouille__error(FOUILLE_ENOMEM, "out of memory reading text");
    goto done;
  }
  fouille__article a = {.title = title, .body = body, .body_len = b.out.len};
  r = rc->on_article(rc->ctx, &a);
done:
  fouille__buf_free(&b.out);
  free(title);
  free(owned);
  return r;
}
