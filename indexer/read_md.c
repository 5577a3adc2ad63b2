/* Markdown articles: an optional YAML front matter (flat keys: title, date,
 * author, source, url, tags) and a body reduced to prose: markup dropped,
 * link and image texts kept, code blocks dropped, paragraphs "\n\n". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "error.h"
#include "read_util.h"

enum { F_TITLE, F_DATE, F_AUTHOR, F_SOURCE, F_URL, F_TAGS, F_COUNT };
static const char *field_names[F_COUNT] = {"title", "date", "author", "source", "url", "tags"};

typedef struct md {
  char *field[F_COUNT];
  fouille__buf body, line; /* line: scratch for one processed line */
  int pending; /* separator owed before the next text: 0 none, 1 " ", 2 "\n", 3 "\n\n" */
} md;

typedef struct span {
  const char *s;
  size_t n;
} span;

/* Next line of [*pos, len), without its CR/LF. */
static int next_line(const char *t, size_t len, size_t *pos, span *l) {
  if (*pos >= len) return 0;
  size_t i = *pos;
  while (i < len && t[i] != '\n' && t[i] != '\r') i++;
  l->s = t + *pos, l->n = i - *pos;
  if (i < len && t[i] == '\r' && i + 1 < len && t[i + 1] == '\n') i++;
  *pos = i + 1;
  return 1;
}

static int line_is(span l, const char *what) {
  fouille__trim(&l.s, &l.n);
  return l.n == strlen(what) && memcmp(l.s, what, l.n) == 0;
}

/* ---- Front matter ------------------------------------------------------ */

/* A YAML scalar: "double" (with \" \\ escapes), 'single' ('' escape), or
 * plain (a " #" starts a comment). Returns NULL on a broken quote. */
static char *yaml_scalar(span v) {
  fouille__trim(&v.s, &v.n);
  fouille__buf o = {0};
  char q = v.n ? v.s[0] : 0;
  if (q == '"' || q == '\'') {
    size_t i = 1;
    for (; i < v.n; i++) {
      if (v.s[i] == q && !(q == '\'' && i + 1 < v.n && v.s[i + 1] == '\'')) break;
      if ((q == '"' && v.s[i] == '\\') || (q == '\'' && v.s[i] == '\'')) i += i + 1 < v.n;
      fouille__buf_putc(&o, v.s[i]);
    }
    if (i >= v.n) goto broken;
    span rest = {v.s + i + 1, v.n - i - 1};
    fouille__trim(&rest.s, &rest.n);
    if (rest.n && rest.s[0] != '#') goto broken;
  } else {
    for (size_t i = 0; i < v.n && !(v.s[i] == '#' && i && v.s[i - 1] == ' '); i++)
      fouille__buf_putc(&o, v.s[i]);
    while (o.len && o.data[o.len - 1] == ' ') o.len--;
  }
  return fouille__buf_detach(&o, NULL);
broken:
  fouille__buf_free(&o);
  return NULL;
}

/* Appends one tag to the comma-joined list. */
static int add_tag(fouille__buf *tags, span v) {
  char *t = yaml_scalar(v);
  if (!t) return -1;
  if (*t) {
    if (tags->len) fouille__buf_add(tags, ", ", 2);
    fouille__buf_add(tags, t, strlen(t));
  }
  free(t);
  return 0;
}

/* "[a, 'b', c]": a flow sequence without nesting. */
static int flow_tags(fouille__buf *tags, span v) {
  if (v.n < 2 || v.s[v.n - 1] != ']') return -1;
  size_t i = 1, start = 1;
  char q = 0;
  for (; i < v.n - 1; i++) {
    if (q && v.s[i] == q)
      q = 0;
    else if (!q && (v.s[i] == '"' || v.s[i] == '\''))
      q = v.s[i];
    else if (!q && (v.s[i] == '[' || v.s[i] == ']'))
      return -1;
    else if (!q && v.s[i] == ',') {
      if (add_tag(tags, (span){v.s + start, i - start}) != 0) return -1;
      start = i + 1;
    }
  }
  return q ? -1 : add_tag(tags, (span){v.s + start, i - start});
}

static int field_of(span key) {
  for (int f = 0; f < F_COUNT; f++)
    if (key.n == strlen(field_names[f]) && strncasecmp(key.s, field_names[f], key.n) == 0) return f;
  return -1;
}

/* One "key: value" or "- item" line; *cur is the key a list belongs to. */
static int fm_line(md *m, fouille__buf *tags, span l, int *cur) {
  span t = l;
  fouille__trim(&t.s, &t.n);
  if (t.n == 0 || t.s[0] == '#') return 0;
  if (t.s[0] == '-' && (t.n == 1 || t.s[1] == ' ')) { /* "- item" */
    if (*cur == -2) return -1;                        /* a list without a key */
    return *cur == F_TAGS ? add_tag(tags, (span){t.s + 1, t.n - 1}) : 0;
  }
  if (l.s[0] == ' ' || l.s[0] == '\t') return *cur >= 0 && *cur != F_TAGS ? -1 : 0; /* nested */
  const char *colon = memchr(t.s, ':', t.n);
  if (!colon || colon == t.s) return -1;
  span key = {t.s, (size_t)(colon - t.s)}, v = {colon + 1, t.n - key.n - 1};
  fouille__trim(&v.s, &v.n);
  int f = field_of(key);
  *cur = f;
  if (f < 0 || v.n == 0) return 0;
  if (f == F_TAGS) return v.s[0] == '[' ? flow_tags(tags, v) : add_tag(tags, v);
  free(m->field[f]);
  m->field[f] = yaml_scalar(v);
  return m->field[f] ? 0 : -1;
}

/* Parses the front matter at the start of t; returns the offset where the
 * body begins (0 when there is none, or it is broken: then warns). */
static size_t front_matter(md *m, const char *t, size_t len, const fouille__reader_ctx *rc) {
  size_t pos = 0;
  span l;
  if (!next_line(t, len, &pos, &l) || !line_is(l, "---")) return 0;
  fouille__buf tags = {0};
  int cur = -2, bad = 0;
  unsigned long lineno = 1;
  while (next_line(t, len, &pos, &l)) {
    lineno++;
    if (line_is(l, "---") || line_is(l, "...")) {
      if (!bad && !tags.error) {
        m->field[F_TAGS] = tags.len ? fouille__buf_detach(&tags, NULL) : NULL;
        fouille__buf_free(&tags);
        return pos;
      }
      break;
    }
    if (!bad && fm_line(m, &tags, l, &cur) != 0) bad = (int)lineno;
  }
  fouille__buf_free(&tags);
  for (int f = 0; f < F_COUNT; f++) free(m->field[f]), m->field[f] = NULL;
  if (bad)
    fouille__warn(rc, 0, 1, "broken front matter (line %d), read as body", bad);
  else
    fouille__warn(rc, 0, 1, "unterminated front matter, read as body");
  return 0;
}

/* ---- Inline markup ----------------------------------------------------- */

/* Look-ahead for closing brackets and backticks is bounded per scan and in
 * total per line (a budget), so hostile "[[[[…" lines stay linear. */
#define MD_SCAN_MAX 2048

static void inline_text(fouille__buf *o, const char *s, size_t n, int depth, size_t *budget);

static int wordish(const char *s, size_t n, size_t i) {
  return i < n && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80);
}

/* Index of the bracket closing the one at open, or n. */
static size_t scan_end(size_t n, size_t from, size_t *budget) {
  size_t w = n - from < MD_SCAN_MAX ? n - from : MD_SCAN_MAX;
  w = w < *budget ? w : *budget;
  *budget -= w;
  return from + w;
}

static size_t closing(const char *s, size_t n, size_t open, char o, char c, size_t *budget) {
  int d = 0;
  size_t end = scan_end(n, open, budget);
  for (size_t i = open; i < end; i++) {
    if (s[i] == '\\')
      i++;
    else if (s[i] == o)
      d++;
    else if (s[i] == c && --d == 0)
      return i;
  }
  return n;
}

/* [text](url), ![alt](src), [text][ref], [text]: keeps the text. */
static size_t link(fouille__buf *o, const char *s, size_t n, size_t i, int depth, size_t *budget) {
  size_t close = closing(s, n, i, '[', ']', budget);
  if (close == n || depth > 3) {
    fouille__buf_putc(o, '[');
    return i + 1;
  }
  if (s[i + 1] != '^') inline_text(o, s + i + 1, close - i - 1, depth + 1, budget);
  size_t j = close + 1;
  if (j < n && (s[j] == '(' || s[j] == '[')) {
    size_t k = closing(s, n, j, s[j], s[j] == '(' ? ')' : ']', budget);
    if (k < n) j = k + 1;
  }
  return j;
}

/* `code` keeps its text; an unmatched run of backticks is dropped. */
static size_t code_span(fouille__buf *o, const char *s, size_t n, size_t i, size_t *budget) {
  size_t k = 0;
  while (i + k < n && s[i + k] == '`') k++;
  size_t end = scan_end(n, i, budget);
  for (size_t j = i + k; j + k <= end; j++) {
    size_t r = 0;
    while (j + r < n && s[j + r] == '`') r++;
    if (r == k) {
      fouille__buf_add(o, s + i + k, j - i - k);
      return j + k;
    }
    j += r;
  }
  return i + k;
}

/* <tag …> is dropped, <http://…> keeps its address. */
static size_t html_tag(fouille__buf *o, const char *s, size_t n, size_t i) {
  size_t end = n - i > MD_SCAN_MAX ? i + MD_SCAN_MAX : n, j = i + 1;
  int ok = j < n && (isalpha((unsigned char)s[j]) || s[j] == '/' || s[j] == '!');
  while (ok && j < end && s[j] != '>' && s[j] != '<') j++;
  if (!ok || j >= end || s[j] != '>') {
    fouille__buf_putc(o, '<');
    return i + 1;
  }
  if (n - i > 8 &&
      (strncmp(s + i + 1, "http://", 7) == 0 || strncmp(s + i + 1, "https://", 8) == 0))
    fouille__buf_add(o, s + i + 1, j - i - 1);
  return j + 1;
}

/* &amp; &nbsp; &#233; &#xE9; … */
static size_t entity(fouille__buf *o, const char *s, size_t n, size_t i) {
  static const struct {
    const char *name, *utf8;
  } ents[] = {{"amp", "&"},
              {"lt", "<"},
              {"gt", ">"},
              {"quot", "\""},
              {"apos", "'"},
              {"nbsp", "\xC2\xA0"},
              {"rsquo", "\xE2\x80\x99"},
              {"laquo", "\xC2\xAB"},
              {"raquo", "\xC2\xBB"},
              {"eacute", "\xC3\xA9"},
              {"egrave", "\xC3\xA8"},
              {"agrave", "\xC3\xA0"},
              {"ccedil", "\xC3\xA7"}};
  size_t j = i + 1;
  while (j < n && j - i < 12 && (isalnum((unsigned char)s[j]) || s[j] == '#')) j++;
  if (j < n && s[j] == ';' && j > i + 1) {
    if (s[i + 1] == '#') {
      int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
      long c = strtol(s + i + 2 + hex, NULL, hex ? 16 : 10);
      utf8proc_uint8_t b[4];
      if (c > 0 && utf8proc_codepoint_valid((utf8proc_int32_t)c)) {
        fouille__buf_add(o, (const char *)b, (size_t)utf8proc_encode_char((utf8proc_int32_t)c, b));
        return j + 1;
      }
    }
    for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++)
      if (strlen(ents[k].name) == j - i - 1 && memcmp(s + i + 1, ents[k].name, j - i - 1) == 0) {
        fouille__buf_add(o, ents[k].utf8, strlen(ents[k].utf8));
        return j + 1;
      }
  }
  fouille__buf_putc(o, '&');
  return i + 1;
}

/* Emphasis markers: "*" unless alone between spaces, "_" at word edges
 * (snake_case keeps its underscores), "~~". */
static size_t emphasis(fouille__buf *o, const char *s, size_t n, size_t i) {
  char c = s[i];
  if (c == '~') {
    if (i + 1 < n && s[i + 1] == '~') return i + 2;
  } else if (c == '*') {
    int alone = (i == 0 || s[i - 1] == ' ') && (i + 1 == n || s[i + 1] == ' ');
    if (!alone) return i + 1;
  } else if (!(i > 0 && wordish(s, n, i - 1) && wordish(s, n, i + 1))) {
    return i + 1;
  }
  fouille__buf_putc(o, c);
  return i + 1;
}

static void inline_text(fouille__buf *o, const char *s, size_t n, int depth, size_t *budget) {
  size_t i = 0;
  while (i < n) {
    char c = s[i];
    if (c == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
      fouille__buf_putc(o, s[i + 1]);
      i += 2;
    } else if (c == '`')
      i = code_span(o, s, n, i, budget);
    else if (c == '!' && i + 1 < n && s[i + 1] == '[')
      i = link(o, s, n, i + 1, depth, budget);
    else if (c == '[')
      i = link(o, s, n, i, depth, budget);
    else if (c == '<')
      i = html_tag(o, s, n, i);
    else if (c == '&')
      i = entity(o, s, n, i);
    else if (c == '*' || c == '_' || c == '~')
      i = emphasis(o, s, n, i);
    else
      fouille__buf_putc(o, c), i++;
  }
}

/* ---- Blocks ------------------------------------------------------------- */

typedef struct block_state {
  char fence;     /* '`' or '~' inside a fenced code block, else 0 */
  size_t fence_n; /* length of the opening fence */
  size_t h1_start, h1_end, first_start, first_end;
  int has_h1, has_first;
} block_state;

static size_t run_of(span t, char c) {
  size_t k = 0;
  while (k < t.n && t.s[k] == c) k++;
  return k;
}

/* 1 for a horizontal rule or a setext underline, 2 for a table's separator
 * row, else 0. */
static int is_rule(span t) {
  size_t marks = 0, pipes = 0;
  for (size_t i = 0; i < t.n; i++) {
    char c = t.s[i];
    if (c == '-' || c == '*' || c == '_' || c == '=')
      marks++;
    else if (c == '|')
      pipes++;
    else if (c != ' ' && c != ':' && c != '\t')
      return 0;
  }
  return pipes && marks ? 2 : marks >= 3;
}

/* Strips list markers "- ", "* ", "+ ", "1. ", "1) ". */
static int list_marker(span *t) {
  size_t k = 0;
  if (t->n >= 2 && (t->s[0] == '-' || t->s[0] == '*' || t->s[0] == '+') && t->s[1] == ' ')
    k = 2;
  else {
    while (k < t->n && k < 9 && isdigit((unsigned char)t->s[k])) k++;
    if (!(k && k + 1 < t->n && (t->s[k] == '.' || t->s[k] == ')') && t->s[k + 1] == ' ')) return 0;
    k += 2;
  }
  t->s += k, t->n -= k;
  return 1;
}

/* Emits one processed line with the separator it asks for (1 space, 2
 * newline, 3 paragraph); returns its start offset in the body. */
static size_t emit(md *m, int sep) {
  span t = {m->line.data, m->line.len};
  fouille__trim(&t.s, &t.n);
  if (t.n == 0) return (size_t)-1;
  if (m->body.len) {
    int k = m->pending > sep ? m->pending : sep;
    fouille__buf_add(&m->body, k == 3 ? "\n\n" : k == 2 ? "\n" : " ", k == 3 ? 2 : 1);
  }
  m->pending = 0;
  size_t start = m->body.len;
  fouille__buf_add(&m->body, t.s, t.n);
  return start;
}

/* Opens or closes a fenced code block; returns 1 when the line is part of one. */
static int fence(block_state *b, span t) {
  size_t k = t.n ? run_of(t, t.s[0]) : 0;
  if (b->fence) {
    span rest = {t.s + k, t.n - k};
    fouille__trim(&rest.s, &rest.n);
    if (k >= b->fence_n && t.s[0] == b->fence && rest.n == 0) b->fence = 0;
    return 1;
  }
  if (k < 3 || (t.s[0] != '`' && t.s[0] != '~')) return 0;
  b->fence = t.s[0], b->fence_n = k;
  return 1;
}

static void block_line(md *m, block_state *b, span l) {
  span t = l;
  fouille__trim(&t.s, &t.n);
  if (fence(b, t)) {
    m->pending = 3;
    return;
  }
  while (t.n && t.s[0] == '>') t.s++, t.n--, fouille__trim(&t.s, &t.n);
  int rule = t.n ? is_rule(t) : 1;
  if (rule == 2) return; /* a table's |---|---| row */
  if (rule) {
    m->pending = 3;
    return;
  }
  if (t.s[0] == '[') { /* "[ref]: url" reference definitions */
    size_t budget = MD_SCAN_MAX, k = closing(t.s, t.n, 0, '[', ']', &budget);
    if (k + 1 < t.n && t.s[k + 1] == ':') return;
  }
  size_t h = run_of(t, '#');
  int sep = 1;
  if (h >= 1 && h <= 6 && (h == t.n || t.s[h] == ' ')) {
    t.s += h, t.n -= h;
    while (t.n && (t.s[t.n - 1] == '#' || t.s[t.n - 1] == ' ')) t.n--;
    sep = 3;
  } else if (list_marker(&t) || memchr(t.s, '|', t.n)) {
    sep = 2;
  }
  m->line.len = 0;
  size_t budget = 4 * t.n + 4 * MD_SCAN_MAX;
  inline_text(&m->line, t.s, t.n, 0, &budget);
  for (size_t i = 0; sep == 2 && i < m->line.len; i++) /* table pipes → spaces */
    if (m->line.data[i] == '|') m->line.data[i] = ' ';
  size_t start = emit(m, sep);
  if (start == (size_t)-1) return;
  if (!b->has_first) b->has_first = 1, b->first_start = start, b->first_end = m->body.len;
  if (h == 1 && sep == 3 && !b->has_h1) b->has_h1 = 1, b->h1_start = start, b->h1_end = m->body.len;
  if (sep == 3) m->pending = 3;
}

/* Removes [start, end) and the separator after it from the body. */
static void cut(fouille__buf *body, size_t start, size_t end) {
  while (end < body->len && (body->data[end] == '\n' || body->data[end] == ' ')) end++;
  if (end == body->len)
    while (start > 0 && (body->data[start - 1] == '\n' || body->data[start - 1] == ' ')) start--;
  memmove(body->data + start, body->data + end, body->len - end);
  body->len -= end - start;
}

/* Title: front matter, else the first "# " heading, else the first line;
 * a heading or line used as the title leaves the body. */
static int pick_title(md *m, const block_state *b) {
  size_t s = 0, e = 0;
  if (b->has_h1)
    s = b->h1_start, e = b->h1_end;
  else if (b->has_first && !m->field[F_TITLE])
    s = b->first_start, e = b->first_end;
  if (e == s || m->body.error) return m->body.error ? -1 : 0;
  if (m->field[F_TITLE] && (strlen(m->field[F_TITLE]) != e - s ||
                            memcmp(m->field[F_TITLE], m->body.data + s, e - s) != 0))
    return 0;
  if (!m->field[F_TITLE] && !(m->field[F_TITLE] = fouille__strndup(m->body.data + s, e - s)))
    return -1;
  cut(&m->body, s, e);
  return 0;
}

int fouille__read_md(const char *data, size_t len, const fouille__reader_ctx *rc) {
  char *owned = NULL, date[32];
  const char *t;
  size_t tlen, pos;
  md m = {0};
  block_state b = {0};
  span l;
  int r = fouille__read_prepare(data, len, rc, &owned, &t, &tlen);
  if (r != 0) goto done;
  pos = front_matter(&m, t, tlen, rc);
  while (next_line(t, tlen, &pos, &l)) block_line(&m, &b, l);
  if (pick_title(&m, &b) != 0 || !fouille__buf_cstr(&m.body) || fouille__buf_error(&m.line)) {
    r = fouille__error(FOUILLE_ENOMEM, "out of memory reading Markdown");
    goto done;
  }
  if (!m.field[F_TITLE] && m.body.len == 0) {
    r = fouille__error(FOUILLE_EPARSE, "empty file");
    goto done;
  }
  const char *d = m.field[F_DATE];
  fouille__article a = {.title = m.field[F_TITLE],
                        .author = m.field[F_AUTHOR],
                        .source = m.field[F_SOURCE],
                        .url = m.field[F_URL],
                        .tags = m.field[F_TAGS],
                        .body = m.body.data,
                        .body_len = m.body.len,
                        .date = d ? fouille__read_date(d, strlen(d), date, rc, 0) : NULL};
  r = rc->on_article(rc->ctx, &a);
done:
  for (int f = 0; f < F_COUNT; f++) free(m.field[f]);
  fouille__buf_free(&m.body);
  fouille__buf_free(&m.line);
  free(owned);
  return r;
}
