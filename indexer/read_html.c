/* HTML articles, parsed with libxml2's forgiving HTML parser (no network):
 * metadata from Open Graph / <meta> / <time> / <title>, body text from
 * <article>, <main> or <body> without navigation, scripts and forms. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "libxml_load.h"
#include "read_util.h"

enum {
  M_OG_TITLE,
  M_TITLE,
  M_H1,
  M_PUBLISHED,
  M_TIME,
  M_DATE,
  M_DCDATE,
  M_OG_URL,
  M_CANONICAL,
  M_AUTHOR,
  M_SITE,
  M_COUNT
};

typedef struct page {
  char *meta[M_COUNT]; /* first value found of each */
  xmlNode *article, *main, *body;
} page;

static int is(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

static char *prop(const xmlNode *n, const char *name) {
  return (char *)fouille__xml->get_prop(n, (const xmlChar *)name);
}

/* Text content with whitespace collapsed and trimmed (malloc'd). */
static char *clean_text(const char *s) {
  fouille__buf o = {0};
  int space = 0;
  for (; s && *s; s++) {
    if (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
      space = 1;
      continue;
    }
    if (space && o.len) fouille__buf_putc(&o, ' ');
    space = 0;
    fouille__buf_putc(&o, *s);
  }
  const char *t = fouille__buf_cstr(&o);
  size_t n = o.len;
  char *r = t ? (fouille__trim(&t, &n), fouille__strndup(t, n)) : NULL;
  fouille__buf_free(&o);
  return r;
}

static void keep(page *p, int slot, char *value) {
  char *v = value ? clean_text(value) : NULL;
  fouille__xml_free(value);
  if (v && *v && !p->meta[slot])
    p->meta[slot] = v;
  else
    free(v);
}

static void meta_tag(page *p, const xmlNode *n) {
  static const struct {
    const char *key;
    int slot;
  } keys[] = {{"og:title", M_OG_TITLE}, {"article:published_time", M_PUBLISHED},
              {"date", M_DATE},         {"dcterms.date", M_DCDATE},
              {"dc.date", M_DCDATE},    {"og:url", M_OG_URL},
              {"author", M_AUTHOR},     {"og:site_name", M_SITE}};
  char *key = prop(n, "property");
  if (!key) key = prop(n, "name");
  for (size_t i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
    if (strcasecmp(key, keys[i].key) == 0) {
      keep(p, keys[i].slot, prop(n, "content"));
      break;
    }
  fouille__xml_free(key);
}

/* Next node in document order; skip_children jumps over n's subtree. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, int skip_children) {
  if (!skip_children && n->children) return n->children;
  while (n && n != root && !n->next) n = n->parent;
  return n && n != root ? n->next : NULL;
}

/* One pass over the whole document for metadata and the body container. */
static void survey(page *p, xmlNode *root) {
  for (xmlNode *n = root; n; n = next_node(n, root, 0)) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (is(n, "meta"))
      meta_tag(p, n);
    else if (is(n, "title"))
      keep(p, M_TITLE, (char *)fouille__xml->node_content(n));
    else if (is(n, "h1"))
      keep(p, M_H1, (char *)fouille__xml->node_content(n));
    else if (is(n, "time"))
      keep(p, M_TIME, prop(n, "datetime"));
    else if (is(n, "article") && !p->article)
      p->article = n;
    else if (is(n, "main") && !p->main)
      p->main = n;
    else if (is(n, "body") && !p->body)
      p->body = n;
    else if (is(n, "link")) {
      char *rel = prop(n, "rel");
      if (rel && strcasecmp(rel, "canonical") == 0) keep(p, M_CANONICAL, prop(n, "href"));
      fouille__xml_free(rel);
    }
  }
}

static int in_list(const xmlNode *n, const char *const *names) {
  for (; *names; names++)
    if (is(n, *names)) return 1;
  return 0;
}

static const char *const skipped[] = {
    "script", "style",  "noscript", "nav",    "header",   "footer", "aside", "form", "button",
    "svg",    "iframe", "template", "select", "textarea", "head",   "title", NULL};
static const char *const paragraphs[] = {
    "p",      "div", "h1",      "h2",   "h3", "h4", "h5",    "h6", "blockquote", "section",
    "figure", "pre", "article", "main", "ul", "ol", "table", "dl", "hr",         NULL};
static const char *const lines[] = {"br", "li", "tr", "figcaption", "dt", "dd", NULL};

typedef struct out {
  fouille__buf t;
  int pending; /* 0 none, 1 space, 2 newline, 3 paragraph */
} out;

static void brk(out *o, int level) {
  if (level > o->pending) o->pending = level;
}

static void text_node(out *o, const char *s) {
  for (; *s; s++) {
    if (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
      brk(o, 1);
      continue;
    }
    if (o->pending && o->t.len) {
      int k = o->pending;
      fouille__buf_add(&o->t, k == 3 ? "\n\n" : k == 2 ? "\n" : " ", k == 3 ? 2 : 1);
    }
    o->pending = 0;
    fouille__buf_putc(&o->t, *s);
  }
}

static int block_level(const xmlNode *n) {
  if (in_list(n, paragraphs)) return 3;
  if (in_list(n, lines)) return 2;
  return is(n, "td") || is(n, "th") ? 1 : 0;
}

/* Body text of root, iteratively (HTML soup can nest deeply). */
static void body_text(out *o, xmlNode *root) {
  xmlNode *n = root;
  while (n) {
    int skip = n->type == XML_ELEMENT_NODE && in_list(n, skipped);
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      text_node(o, (const char *)n->content);
    else if (n->type == XML_ELEMENT_NODE && !skip)
      brk(o, block_level(n));
    /* Leaving elements: each closed block ends its line or paragraph. */
    if (skip || !n->children) {
      while (n && n != root && !n->next) {
        n = n->parent;
        if (n && n->type == XML_ELEMENT_NODE) brk(o, block_level(n));
      }
      n = n && n != root ? n->next : NULL;
    } else {
      n = n->children;
    }
  }
}

/* The headline usually opens the article too: drop it from the body. */
static void drop_title(fouille__buf *b, const char *title) {
  size_t n = title ? strlen(title) : 0;
  if (!n || b->len < n || memcmp(b->data, title, n) != 0) return;
  if (b->len > n && b->data[n] != '\n') return;
  while (n < b->len && b->data[n] == '\n') n++;
  memmove(b->data, b->data + n, b->len - n);
  b->len -= n;
}

static const char *first(page *p, int a, int b, int c) {
  return p->meta[a] ? p->meta[a] : p->meta[b] ? p->meta[b] : c >= 0 ? p->meta[c] : NULL;
}

static int emit(page *p, out *o, const fouille__reader_ctx *rc) {
  char date[32];
  const char *title = first(p, M_OG_TITLE, M_TITLE, M_H1);
  const char *d = p->meta[M_PUBLISHED] ? p->meta[M_PUBLISHED] : first(p, M_TIME, M_DATE, M_DCDATE);
  drop_title(&o->t, title);
  if (!fouille__buf_cstr(&o->t))
    return fouille__error(FOUILLE_ENOMEM, "out of memory reading HTML");
  if (o->t.len == 0) return fouille__error(FOUILLE_EPARSE, "no text");
  fouille__article a = {.title = title,
                        .url = first(p, M_OG_URL, M_CANONICAL, -1),
                        .author = p->meta[M_AUTHOR],
                        .source = p->meta[M_SITE],
                        .body = o->t.data,
                        .body_len = o->t.len,
                        .date = d ? fouille__read_date(d, strlen(d), date, rc, 0) : NULL};
  return rc->on_article(rc->ctx, &a);
}

int fouille__read_html(const char *data, size_t len, const fouille__reader_ctx *rc) {
  char *owned = NULL;
  const char *t;
  size_t tlen;
  htmlDocPtr doc = NULL;
  page p = {0};
  out o = {0};
  int r = fouille__read_prepare(data, len, rc, &owned, &t, &tlen);
  if (r != 0 || (r = fouille__libxml_load()) != 0) goto done;
  if (tlen > INT_MAX) {
    r = fouille__error(FOUILLE_ETOOBIG, "HTML file too large");
    goto done;
  }
  doc = fouille__xml->read_memory(t, (int)tlen, NULL, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_COMPACT);
  xmlNode *root = doc ? fouille__xml->root_element(doc) : NULL;
  if (!root) {
    r = fouille__error(FOUILLE_EPARSE, "no text");
    goto done;
  }
  survey(&p, root);
  xmlNode *container = p.article ? p.article : p.main ? p.main : p.body ? p.body : root;
  body_text(&o, container);
  r = emit(&p, &o, rc);
done:
  for (int i = 0; i < M_COUNT; i++) free(p.meta[i]);
  fouille__buf_free(&o.t);
  if (doc) fouille__xml->free_doc(doc);
  free(owned);
  return r;
}
