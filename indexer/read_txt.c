/* Plain-text articles: the first non-empty line is the title, the rest the
 * body. Scraped noise is cleaned: lines that are only an image file name,
 * and lines repeating the previous one. Paragraphs end with "\n\n". */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "read_util.h"

/* "28173f40….jpg" alone on a line: a leftover of a scraped <img>. The
 * extension is looked at first: most lines end in none, and are not
 * scanned again for spaces. */
static int is_image_name(const char *s, size_t n) {
  static const struct {
    const char *ext;
    size_t len;
  } exts[] = {{".jpg", 4}, {".jpeg", 5}, {".png", 4}, {".gif", 4}, {".webp", 5}, {".svg", 4}};
  int image = 0;
  for (size_t i = 0; i < sizeof exts / sizeof exts[0] && !image; i++)
    image = n > exts[i].len && strncasecmp(s + n - exts[i].len, exts[i].ext, exts[i].len) == 0;
  return image && !memchr(s, ' ', n) && !memchr(s, '\t', n);
}

/* The lines of a text. The next LF and CR at or after the cursor are kept
 * (len when there is none; NOT_SEARCHED at first) and looked for again only
 * once passed, so each byte is searched once per kind of line end however
 * they mix (a fresh memchr per line would be quadratic where one is rare). */
#define NOT_SEARCHED ((size_t)-1)
typedef struct lines {
  const char *t;
  size_t len, pos, lf, cr;
} lines;

static size_t next_of(const lines *l, int c, size_t known) {
  if (known != NOT_SEARCHED && known >= l->pos) return known;
  const char *p = memchr(l->t + l->pos, c, l->len - l->pos);
  return p ? (size_t)(p - l->t) : l->len;
}

/* Next line of text: CRLF, CR and LF all end a line. */
static int next_line(lines *l, const char **s, size_t *n) {
  if (l->pos >= l->len) return 0;
  l->lf = next_of(l, '\n', l->lf);
  l->cr = next_of(l, '\r', l->cr);
  size_t i = l->lf < l->cr ? l->lf : l->cr;
  *s = l->t + l->pos;
  *n = i - l->pos;
  if (i < l->len && l->t[i] == '\r' && i + 1 < l->len && l->t[i + 1] == '\n') i++;
  l->pos = i + 1;
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
  const char *s = NULL;
  size_t n = 0;
  body_state b = {0};
  lines l = {.lf = NOT_SEARCHED, .cr = NOT_SEARCHED};
  int r = fouille__read_prepare(data, len, rc, &owned, &l.t, &l.len);
  if (r != 0) goto done;
  while (next_line(&l, &s, &n)) {
    fouille__trim(&s, &n);
    if (n > 0) break;
  }
  if (n == 0) {
    r = fouille__error(FOUILLE_EPARSE, "empty file");
    goto done;
  }
  title = fouille__strndup(s, n);
  b.prev = s, b.prev_n = n;
  while (next_line(&l, &s, &n)) body_line(&b, s, n);
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
