/* Markdown articles: an optional YAML front matter, then a body parsed by
 * md4c (CommonMark plus GitHub's tables, strikethrough and task lists) and
 * reduced to prose.
 *
 * Front matter: between a first "---" line and a "---" or "..." line, flat
 * keys in any case: title, date, author, source, url, tags (a string, a
 * "[a, 'b']" list or "- item" lines); other keys are ignored. Read here
 * rather than by libyaml, which refuses plain values holding ": ", as
 * French typography has many titles ("Inondations : l'État…"). Broken or
 * unterminated: a warning, and the whole file is read as body.
 *
 * Body: paragraphs, headings, quotes, tables, code and HTML blocks are
 * separated by "\n\n", list items, table rows and hard breaks by "\n",
 * table cells by three spaces; a soft line break is a space. Emphasis,
 * heading and list marks are dropped; link and image texts are kept, not
 * their URLs. Entities are decoded: HTML 4 names (libxml2's table), &#233;
 * and &#xE9; (U+FFFD for an invalid code point); unknown names stay as
 * written. Inline `code` keeps its text (mostly a name within a sentence);
 * code blocks, fenced or indented, are dropped: code is not French prose
 * and would only add noise to stems and passages. Inline HTML tags are
 * dropped, their text kept; an HTML block goes through libxml2's HTML
 * parser, which keeps its text without scripts, styles and comments.
 *
 * Title: the front matter's, else the first level-1 heading ("# Titre" or
 * underlined with "==="), else the first line of text. A heading or line
 * used as the title leaves the body, as does a heading repeating the front
 * matter's title. */
#include <limits.h>
#include <md4c.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "error.h"
#include "libxml_load.h"
#include "read_util.h"

enum { F_TITLE, F_DATE, F_AUTHOR, F_SOURCE, F_URL, F_TAGS, F_COUNT };
static const char *field_names[F_COUNT] = {"title", "date", "author", "source", "url", "tags"};

/* Separators owed before the next text, weakest first. */
enum { SEP_NONE, SEP_SPACE, SEP_CELL, SEP_LINE, SEP_PARA };
static const char *const sep_text[] = {"", " ", "   ", "\n", "\n\n"};

/* The first level-1 heading: h1 goes from H1_NONE to H1_DONE. */
enum { H1_NONE, H1_EMPTY, H1_IN, H1_DONE };

typedef struct md {
  char *field[F_COUNT];
  fouille__buf body, html;   /* html: the raw text of the current HTML block */
  htmlParserCtxtPtr xml;     /* parses HTML blocks, made on first use */
  int pending;               /* SEP_… owed before the next text */
  int in_code, in_html;      /* inside a code block, an HTML block */
  int h1;                    /* H1_… */
  int has_first, first_open; /* the first line of text: seen, still going on */
  size_t h1_start, h1_end, first_start, first_end; /* offsets in body */
  size_t doc_len; /* the Markdown text's length, md4c's texts' bound */
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
  *pos = i < len ? i + 1 : len; /* a last line without its newline ends at len */
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
  return fouille__buf_cstr(&o) ? o.data : NULL;
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
        m->field[F_TAGS] = tags.len ? (char *)fouille__buf_cstr(&tags) : NULL;
        if (!tags.len) fouille__buf_free(&tags);
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

/* ---- Body text --------------------------------------------------------- */

static void brk(md *m, int sep) {
  if (sep > m->pending) m->pending = sep;
}

static void trim_end(fouille__buf *b) {
  while (b->len && (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\t')) b->len--;
}

/* Appends text, after the separator owed when the body has text already;
 * notes where the first line and the first level-1 heading start. */
static void put(md *m, const char *s, size_t n) {
  if (m->pending || !m->body.len)
    while (n && (*s == ' ' || *s == '\t' || *s == '\n')) s++, n--;
  if (!n) return;
  if (m->pending && m->body.len) {
    trim_end(&m->body);
    if (m->first_open && m->pending != SEP_CELL) m->first_open = 0, m->first_end = m->body.len;
    fouille__buf_add(&m->body, sep_text[m->pending], strlen(sep_text[m->pending]));
  }
  m->pending = SEP_NONE;
  if (!m->has_first) m->has_first = m->first_open = 1, m->first_start = m->body.len;
  if (m->h1 == H1_EMPTY) m->h1 = H1_IN, m->h1_start = m->body.len;
  fouille__buf_add(&m->body, s, n);
}

/* &name; (the HTML 4 names), &#233;, &#xE9;. md4c hands over only
 * &[A-Za-z][A-Za-z0-9]{1,47}; and &#[0-9]{1,7}; or &#[xX][0-9a-fA-F]{1,6};
 * so strtoul stops at the ';' and cannot overflow. */
static void entity(md *m, const char *s, size_t n) {
  unsigned long c = 0;
  char name[64];
  if (n > 3 && s[1] == '#') {
    int hex = s[2] == 'x' || s[2] == 'X';
    c = strtoul(s + 2 + hex, NULL, hex ? 16 : 10);
    if (c == 0 || c > 0x10FFFF || !utf8proc_codepoint_valid((utf8proc_int32_t)c)) c = 0xFFFD;
  } else if (n >= 3 && n - 2 < sizeof name) {
    memcpy(name, s + 1, n - 2);
    name[n - 2] = '\0';
    const htmlEntityDesc *e = fouille__xml->entity_lookup((const xmlChar *)name);
    c = e ? e->value : 0;
  }
  utf8proc_uint8_t b[4];
  if (c)
    put(m, (const char *)b, (size_t)utf8proc_encode_char((utf8proc_int32_t)c, b));
  else
    put(m, s, n);
}

/* ---- HTML blocks ------------------------------------------------------- */

static const char *const html_skipped[] = {"script", "style", "noscript", "template",
                                           "svg",    "head",  NULL};

static int html_skip(const xmlNode *n) {
  for (const char *const *s = html_skipped; *s; s++)
    if (strcasecmp((const char *)n->name, *s) == 0) return 1;
  return 0;
}

/* Block elements (and unknown ones) and <br> end a line. */
static void html_break(md *m, const xmlNode *n) {
  const htmlElemDesc *d = fouille__xml->tag_lookup(n->name);
  if (!d || !d->isinline || strcasecmp((const char *)n->name, "br") == 0) brk(m, SEP_LINE);
}

/* The words of a text node; its whitespace runs become spaces. */
static void put_words(md *m, const char *s) {
  static const char ws[] = " \t\n\r\f\v";
  while (*s) {
    size_t k = strcspn(s, ws);
    put(m, s, k);
    s += k;
    if (*s) brk(m, SEP_SPACE);
    s += strspn(s, ws);
  }
}

/* The text under root, iteratively (HTML soup can nest deeply). */
static void html_text(md *m, xmlNode *root) {
  xmlNode *n = root;
  while (n) {
    int skip = n->type == XML_ELEMENT_NODE && html_skip(n);
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      put_words(m, (const char *)n->content);
    else if (n->type == XML_ELEMENT_NODE && !skip)
      html_break(m, n);
    if (skip || !n->children) {
      while (n && n != root && !n->next) {
        n = n->parent;
        if (n && n->type == XML_ELEMENT_NODE) html_break(m, n);
      }
      n = n && n != root ? n->next : NULL;
    } else {
      n = n->children;
    }
  }
}

/* 1 when some text lies outside the tags: blocks of bare tags ("<div>")
 * skip the parser. */
static int html_has_text(const char *s, size_t n) {
  int in_tag = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '<' || s[i] == '>')
      in_tag = s[i] == '<';
    else if (!in_tag && !strchr(" \t\n\r\f\v", s[i]))
      return 1;
  }
  return 0;
}

static void html_block(md *m) {
  fouille__buf *h = &m->html;
  if (h->error || h->len > INT_MAX || !html_has_text(h->data, h->len)) return;
  if (!m->xml && !(m->xml = fouille__xml->new_parser())) return;
  htmlDocPtr doc = fouille__xml->ctxt_read_memory(m->xml, h->data, (int)h->len, NULL, "UTF-8",
                                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                                      HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                                      HTML_PARSE_COMPACT);
  if (!doc) return;
  html_text(m, fouille__xml->root_element(doc));
  fouille__xml->free_doc(doc);
}

/* ---- md4c callbacks ---------------------------------------------------- */

static int block_sep(MD_BLOCKTYPE type) {
  switch (type) {
  case MD_BLOCK_DOC:
  case MD_BLOCK_THEAD:
  case MD_BLOCK_TBODY:
    return SEP_NONE;
  case MD_BLOCK_UL:
  case MD_BLOCK_OL:
  case MD_BLOCK_LI:
  case MD_BLOCK_TR:
    return SEP_LINE;
  case MD_BLOCK_TH:
  case MD_BLOCK_TD:
    return SEP_CELL;
  default:
    return SEP_PARA;
  }
}

static int h1_detail(MD_BLOCKTYPE type, const void *detail) {
  return type == MD_BLOCK_H && ((const MD_BLOCK_H_DETAIL *)detail)->level == 1;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  md *m = ud;
  brk(m, block_sep(type));
  if (type == MD_BLOCK_CODE) m->in_code = 1;
  if (type == MD_BLOCK_HTML) m->in_html = 1, m->html.len = 0;
  if (h1_detail(type, detail) && m->h1 == H1_NONE) m->h1 = H1_EMPTY;
  return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  md *m = ud;
  if (type == MD_BLOCK_CODE) m->in_code = 0;
  if (type == MD_BLOCK_HTML) m->in_html = 0, html_block(m);
  if (h1_detail(type, detail) && m->h1 == H1_EMPTY) m->h1 = H1_NONE;
  if (h1_detail(type, detail) && m->h1 == H1_IN) {
    trim_end(&m->body);
    m->h1 = H1_DONE, m->h1_end = m->body.len;
  }
  brk(m, block_sep(type));
  return m->body.error || m->html.error ? -1 : 0;
}

static int on_span(MD_SPANTYPE type, void *detail, void *ud) { return 0; }

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud) {
  md *m = ud;
  /* A text longer than the document is md4c's size gone wrong (the fuzzer
   * once saw a 4 GiB one): stop the parse rather than read past the text. */
  if (n > m->doc_len) return -1;
  if (m->in_code) return 0;
  if (m->in_html) {
    fouille__buf_add(&m->html, s, n);
    return 0;
  }
  if (type == MD_TEXT_NORMAL || type == MD_TEXT_CODE)
    put(m, s, n);
  else if (type == MD_TEXT_ENTITY)
    entity(m, s, n);
  else if (type == MD_TEXT_NULLCHAR)
    put(m, "\xEF\xBF\xBD", 3);
  else if (type == MD_TEXT_SOFTBR)
    brk(m, SEP_SPACE);
  else if (type == MD_TEXT_BR)
    brk(m, SEP_LINE);
  return m->body.error ? -1 : 0; /* inline HTML tags are dropped */
}

/* ---- Title and article ------------------------------------------------- */

/* Removes [start, end) and the separator after it from the body. */
static void cut(fouille__buf *body, size_t start, size_t end) {
  while (end < body->len && (body->data[end] == '\n' || body->data[end] == ' ')) end++;
  if (end == body->len)
    while (start > 0 && (body->data[start - 1] == '\n' || body->data[start - 1] == ' ')) start--;
  memmove(body->data + start, body->data + end, body->len - end);
  body->len -= end - start;
}

/* Title: front matter, else the first level-1 heading, else the first line;
 * a heading or line used as the title leaves the body. */
static int pick_title(md *m) {
  size_t s = 0, e = 0;
  if (m->h1 == H1_DONE)
    s = m->h1_start, e = m->h1_end;
  else if (m->has_first && !m->field[F_TITLE])
    s = m->first_start, e = m->first_end;
  if (e == s) return 0;
  if (m->field[F_TITLE] && (strlen(m->field[F_TITLE]) != e - s ||
                            memcmp(m->field[F_TITLE], m->body.data + s, e - s) != 0))
    return 0;
  if (!m->field[F_TITLE] && !(m->field[F_TITLE] = fouille__strndup(m->body.data + s, e - s)))
    return -1;
  cut(&m->body, s, e);
  return 0;
}

/* Parses the Markdown text into m's body and title. */
static int parse_body(md *m, const char *t, size_t len) {
  static const MD_PARSER parser = {.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
                                            MD_FLAG_TASKLISTS | MD_FLAG_COLLAPSEWHITESPACE,
                                   .enter_block = enter_block,
                                   .leave_block = leave_block,
                                   .enter_span = on_span,
                                   .leave_span = on_span,
                                   .text = on_text};
  m->doc_len = len;
  if (md_parse(t, (MD_SIZE)len, &parser, m) != 0 || m->body.error) return -1;
  trim_end(&m->body);
  if (m->first_open) m->first_end = m->body.len;
  return pick_title(m) != 0 || !fouille__buf_cstr(&m->body) ? -1 : 0;
}

static int emit(md *m, const fouille__reader_ctx *rc) {
  char date[32];
  const char *d = m->field[F_DATE];
  if (!m->field[F_TITLE] && m->body.len == 0) return fouille__error(FOUILLE_EPARSE, "empty file");
  fouille__article a = {.title = m->field[F_TITLE],
                        .author = m->field[F_AUTHOR],
                        .source = m->field[F_SOURCE],
                        .url = m->field[F_URL],
                        .tags = m->field[F_TAGS],
                        .body = m->body.data,
                        .body_len = m->body.len,
                        .date = d ? fouille__read_date(d, strlen(d), date, rc, 0) : NULL};
  return rc->on_article(rc->ctx, &a);
}

int fouille__read_md(const char *data, size_t len, const fouille__reader_ctx *rc) {
  char *owned = NULL;
  const char *t;
  size_t tlen, pos;
  md m = {0};
  int r = fouille__read_prepare(data, len, rc, &owned, &t, &tlen);
  if (r != 0 || (r = fouille__libxml_load()) != 0) goto done; /* entities, HTML blocks */
  if (tlen > UINT_MAX) {                                      /* md4c's sizes are unsigned */
    r = fouille__error(FOUILLE_ETOOBIG, "Markdown file too large");
    goto done;
  }
  pos = front_matter(&m, t, tlen, rc);
  if (parse_body(&m, t + pos, tlen - pos) != 0)
    r = fouille__error(FOUILLE_ENOMEM, "out of memory reading Markdown");
  else
    r = emit(&m, rc);
done:
  for (int f = 0; f < F_COUNT; f++) free(m.field[f]);
  fouille__buf_free(&m.body);
  fouille__buf_free(&m.html);
  if (m.xml) fouille__xml->free_parser(m.xml);
  free(owned);
  return r;
}
