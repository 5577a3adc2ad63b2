/* The query language: turns whatever a user typed into an FTS5 expression
 * that FTS5 always accepts. Every word becomes a quoted FTS5 string (the
 * fouille_fr tokenizer then folds, strips elisions and stems it), so no
 * input byte ever reaches FTS5's own syntax. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "query_private.h"
#include "utf8.h"

#define MAX_DEPTH 16  /* deeper parentheses are ignored */
#define MAX_UNITS 256 /* words kept per query; more are dropped */

enum col { COL_ANY = 0, COL_TITLE = 1, COL_BODY = 2 };
static const char *const col_names[] = {NULL, "title", "body"};

typedef enum { T_WORD, T_PHRASE, T_OR, T_LP, T_RP, T_END } tkind;

typedef struct tok {
  tkind kind;
  int neg, prefix, col;
  const char *s;
  size_t len;
} tok;

typedef struct qlist {
  fouille__qterm *v;
  size_t n, cap;
} qlist;

/* A parsed piece: an expression (malloc'd) and the terms it contributes. */
typedef struct unit {
  char *expr;
  int neg, stop, compound; /* compound: needs parentheses when combined */
  int request;             /* one request word (request_words.c) */
  const char *word;        /* the word typed, for a plain word's unit, else NULL */
  size_t word_len;
  qlist terms;
} unit;

typedef struct parser {
  const char *p, *end;
  tok cur;
  int depth, units, oom;
  fouille_analyzer *an;
} parser;

/* ---- Term lists ------------------------------------------------------------ */

static void ql_free(qlist *q) {
  for (size_t i = 0; i < q->n; i++) free(q->v[i].text);
  free(q->v);
  q->v = NULL, q->n = q->cap = 0;
}

static int ql_push(qlist *q, fouille__qterm t) {
  if (q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 4;
    fouille__qterm *v = realloc(q->v, cap * sizeof *v);
    if (!v) return -1;
    q->v = v, q->cap = cap;
  }
  q->v[q->n++] = t;
  return 0;
}

/* Moves all of src's terms to dst. */
static int ql_move(qlist *dst, qlist *src) {
  for (size_t i = 0; i < src->n; i++) {
    if (ql_push(dst, src->v[i])) return -1;
    src->v[i].text = NULL;
  }
  ql_free(src);
  return 0;
}

static void unit_free(unit *u) {
  free(u->expr);
  ql_free(&u->terms);
  memset(u, 0, sizeof *u);
}

/* ---- Bytes ------------------------------------------------------------------ */

static int is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the word character at p (letters, digits, apostrophes, any
 * valid non-ASCII character but typographic spaces and punctuation), 0
 * when p is not one. */
static size_t word_char(const char *p, const char *end) {
  const unsigned char *u = (const unsigned char *)p;
  if (u[0] < 0x80) return is_alnum(u[0]) || u[0] == '\'' || u[0] == '_' ? 1 : 0;
  size_t n = fouille__utf8_len(p, (size_t)(end - p));
  return n && !fouille__typographic_mark(p, n) ? n : 0;
}

/* Appends text as the body of an FTS5 string: invalid bytes and control
 * characters become spaces, '"' is doubled. */
static void add_fts5_text(fouille__buf *b, const char *s, size_t len) {
  const char *end = s + len;
  while (s < end) {
    size_t n = fouille__utf8_len(s, (size_t)(end - s));
    if (n == 1 && *s == '"')
      fouille__buf_add(b, "\"\"", 2);
    else if (n == 0 || (n == 1 && ((unsigned char)*s < 0x20 || *s == 0x7F)))
      fouille__buf_putc(b, ' ');
    else
      fouille__buf_add(b, s, n);
    s += n ? n : 1;
  }
}

/* ---- Lexer ---------------------------------------------------------------------- */

static int column_of(const char *s, size_t len) {
  if ((len == 5 && strncasecmp(s, "title", 5) == 0) ||
      (len == 5 && strncasecmp(s, "titre", 5) == 0))
    return COL_TITLE;
  if ((len == 4 && strncasecmp(s, "body", 4) == 0) || (len == 5 && strncasecmp(s, "texte", 5) == 0))
    return COL_BODY;
  return COL_ANY;
}

/* Reads a run of word characters from p, with inner hyphens, dots and
 * slashes: "1.1", "sources.list" and "debian/changelog" stay one unit that
 * the tokenizer turns into a phrase, as the analyzer splits them in text. */
static const char *scan_word(const char *p, const char *end) {
  for (;;) {
    size_t n = p < end ? word_char(p, end) : 0;
    if (n) {
      p += n;
    } else if (p + 1 < end && (*p == '-' || *p == '.' || *p == '/') && word_char(p + 1, end)) {
      p++;
    } else {
      return p;
    }
  }
}

static int starts_unit(const char *p, const char *end) {
  return p < end && (*p == '"' || *p == '(' || word_char(p, end));
}

static void lex_phrase(parser *ps, tok *t) {
  const char *s = ++ps->p, *q = memchr(s, '"', (size_t)(ps->end - s));
  t->kind = T_PHRASE, t->s = s;
  t->len = (size_t)((q ? q : ps->end) - s);
  ps->p = q ? q + 1 : ps->end; /* an unclosed quote closes at the end */
}

/* Reads the next token into ps->cur; unknown bytes are skipped. */
static void lex(parser *ps) {
  tok t = {T_END, 0, 0, COL_ANY, NULL, 0};
  while (ps->p < ps->end) {
    const char *p = ps->p;
    size_t n = word_char(p, ps->end);
    if (*p == '"') {
      lex_phrase(ps, &t);
      break;
    } else if (*p == '(' || *p == ')' || *p == '|') {
      t.kind = *p == '(' ? T_LP : *p == ')' ? T_RP : T_OR;
      ps->p++;
      break;
    } else if (*p == '-' && !t.neg && starts_unit(p + 1, ps->end)) {
      t.neg = 1, ps->p++;
      continue;
    } else if (!n) {
      ps->p++;
      continue;
    }
    const char *w = scan_word(p, ps->end);
    ps->p = w;
    int col = column_of(p, (size_t)(w - p));
    if (col && t.col == COL_ANY && w < ps->end && *w == ':' &&
        (starts_unit(w + 1, ps->end) || (w + 1 < ps->end && w[1] == '-'))) {
      t.col = col, ps->p = w + 1;
      continue;
    }
    if ((size_t)(w - p) == 2 && memcmp(p, "OR", 2) == 0 && !t.neg && !t.col) {
      t.kind = T_OR;
      break;
    }
    t.kind = T_WORD, t.s = p, t.len = (size_t)(w - p);
    while (ps->p < ps->end && *ps->p == '*') t.prefix = 1, ps->p++;
    if (!t.prefix) t.len = fouille__inversion_cut(t.s, t.len); /* "peut-on": "peut" */
    break;
  }
  ps->cur = t;
}

/* ---- Units ------------------------------------------------------------------------ */

static int count_term(int flags, const char *term, int len, int start, int end, void *payload) {
  (void)term, (void)len, (void)start, (void)end;
  if (!(flags & FOUILLE_TERM_COLOCATED)) ++*(int *)payload;
  return 0;
}

/* Number of index terms the tokenizer will make of s (0: drop the word). */
static int term_count(parser *ps, const char *s, size_t len, int prefix) {
  int n = 0;
  if (fouille_analyzer_run(ps->an, prefix ? FOUILLE_ANALYZE_PREFIX : FOUILLE_ANALYZE_QUERY, s, len,
                           count_term, &n) == FOUILLE_ENOMEM)
    ps->oom = 1;
  return n;
}

static int add_term(parser *ps, unit *u, const char *s, size_t len, int prefix, int col) {
  fouille__buf b = FOUILLE__BUF_INIT;
  add_fts5_text(&b, s, len);
  fouille__qterm t = {fouille__buf_detach(&b, NULL), prefix, col == COL_TITLE, 0};
  if (!t.text || ql_push(&u->terms, t)) {
    free(t.text);
    ps->oom = 1;
    return -1;
  }
  return 0;
}

/* The phrase's words become terms (stop words only if all are). */
static void phrase_terms(parser *ps, unit *u, const tok *t) {
  for (int pass = 0; pass < 2 && u->terms.n == 0; pass++) {
    const char *p = t->s, *end = t->s + t->len;
    while (p < end) {
      size_t n = word_char(p, end);
      if (!n) {
        p++;
        continue;
      }
      const char *w = scan_word(p, end);
      if ((pass == 1 || !fouille__is_stopword(p, (size_t)(w - p))) &&
          term_count(ps, p, (size_t)(w - p), 0) > 0)
        add_term(ps, u, p, (size_t)(w - p), 0, t->col);
      p = w;
    }
  }
}

/* Marks the word t a request word (request_words.c), looking at the next
 * token (ps->cur). */
static void mark_request(parser *ps, unit *u, const tok *t) {
  const tok *n = &ps->cur;
  int next = n->kind == T_WORD && !n->neg && !n->col;
  u->request = u->terms.v[u->terms.n - 1].request =
      fouille__is_request_word(ps->an, t->s, t->len, next ? n->s : NULL, next ? n->len : 0);
}

/* A word or phrase token as a unit; u->expr stays NULL when it holds no
 * searchable term. */
static void unit_leaf(parser *ps, const tok *t, unit *u) {
  memset(u, 0, sizeof *u);
  if (++ps->units > MAX_UNITS || term_count(ps, t->s, t->len, t->prefix) == 0) return;
  fouille__buf b = FOUILLE__BUF_INIT;
  if (t->col) fouille__buf_printf(&b, "%s : ", col_names[t->col]);
  fouille__buf_putc(&b, '"');
  add_fts5_text(&b, t->s, t->len);
  fouille__buf_puts(&b, t->prefix ? "\" *" : "\"");
  if (!(u->expr = fouille__buf_detach(&b, NULL))) {
    ps->oom = 1;
    return;
  }
  u->neg = t->neg;
  if (t->kind == T_WORD) {
    u->stop = !t->prefix && fouille__is_stopword(t->s, t->len);
    if (add_term(ps, u, t->s, t->len, t->prefix, t->col) == 0 && !t->prefix && !u->stop)
      mark_request(ps, u, t);
    if (!t->prefix && !t->neg && !t->col) u->word = t->s, u->word_len = t->len;
  } else {
    phrase_terms(ps, u, t);
  }
}

/* Joins the expressions of units with op ("AND"/"OR"), parenthesising
 * compound ones. Returns a malloc'd string or NULL (out of memory). */
static char *join(parser *ps, unit **us, size_t n, const char *op) {
  fouille__buf b = FOUILLE__BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    int paren = us[i]->compound && n > 1;
    if (i) fouille__buf_printf(&b, " %s ", op);
    fouille__buf_printf(&b, paren ? "(%s)" : "%s", us[i]->expr);
  }
  char *s = fouille__buf_detach(&b, NULL);
  if (!s) ps->oom = 1;
  return s;
}

/* Makes out the op-join of units, taking over their terms. */
static void combine(parser *ps, unit **us, size_t n, const char *op, unit *out) {
  out->expr = join(ps, us, n, op);
  out->compound = n > 1 || us[0]->compound;
  for (size_t i = 0; i < n; i++)
    if (ql_move(&out->terms, &us[i]->terms)) ps->oom = 1;
}

static void parse_seq(parser *ps, unit *out, unit *fallback);

/* One operand: a word, a phrase or a parenthesised sequence. */
static void parse_operand(parser *ps, unit *u) {
  tok t = ps->cur;
  lex(ps);
  if (t.kind != T_LP) {
    unit_leaf(ps, &t, u);
    return;
  }
  memset(u, 0, sizeof *u);
  if (ps->depth >= MAX_DEPTH) return; /* too deep: the parenthesis is ignored */
  ps->depth++;
  parse_seq(ps, u, NULL);
  ps->depth--;
  u->neg = t.neg;
  if (ps->cur.kind == T_RP) lex(ps);
}

/* operand (OR operand)*: negated or empty alternatives are dropped. */
static void parse_or(parser *ps, unit *out) {
  unit alts[64];
  unit *keep[64];
  size_t n = 0, k = 0;
  memset(out, 0, sizeof *out);
  for (;;) {
    parse_operand(ps, &alts[n++]);
    if (ps->cur.kind != T_OR || n == 64) break;
    while (ps->cur.kind == T_OR) lex(ps);
    if (ps->cur.kind == T_END || ps->cur.kind == T_RP) break;
  }
  if (n == 1) {
    *out = alts[0];
    return;
  }
  for (size_t i = 0; i < n; i++)
    if (alts[i].expr && !alts[i].neg) keep[k++] = &alts[i];
  if (k == 1) {
    *out = *keep[0];
    memset(keep[0], 0, sizeof *keep[0]);
  } else if (k > 1) {
    combine(ps, keep, k, "OR", out);
  }
  for (size_t i = 0; i < n; i++) unit_free(&alts[i]);
}

/* "(a) NOT (b)" from the positive and negated parts. */
static char *with_nots(parser *ps, char *pos, int pos_compound, char *neg, int neg_compound) {
  if (!pos || !neg) return pos;
  fouille__buf b = FOUILLE__BUF_INIT;
  fouille__buf_printf(&b, pos_compound ? "(%s)" : "%s", pos);
  fouille__buf_printf(&b, neg_compound ? " NOT (%s)" : " NOT %s", neg);
  free(pos);
  char *s = fouille__buf_detach(&b, NULL);
  if (!s) ps->oom = 1;
  return s;
}

typedef struct seq {
  unit *items;
  size_t n, cap;
} seq;

/* Reads or-groups up to the closing parenthesis (or the end). */
static void read_seq(parser *ps, seq *q) {
  while (ps->cur.kind != T_END && !(ps->cur.kind == T_RP && ps->depth > 0) && !ps->oom) {
    if (ps->cur.kind == T_OR || ps->cur.kind == T_RP) { /* stray: ignored */
      lex(ps);
      continue;
    }
    if (q->n == q->cap) {
      size_t cap = q->cap ? q->cap * 2 : 8;
      unit *v = realloc(q->items, cap * sizeof *v);
      if (!v) {
        ps->oom = 1;
        return;
      }
      q->items = v, q->cap = cap;
    }
    parse_or(ps, &q->items[q->n++]);
  }
}

/* The words of request frames ("marche à suivre", "à quoi sert") become
 * request words, stop words aside. */
static void mark_frames(parser *ps, seq *q) {
  const char **w = malloc((q->n + 1) * sizeof *w);
  size_t *len = malloc((q->n + 1) * sizeof *len);
  int *marks = calloc(q->n + 1, sizeof *marks);
  if (w && len && marks) {
    for (size_t i = 0; i < q->n; i++) w[i] = q->items[i].word, len[i] = q->items[i].word_len;
    fouille__request_frames(ps->an, w, len, q->n, marks);
    for (size_t i = 0; i < q->n; i++) {
      unit *u = &q->items[i];
      if (marks[i] && !u->stop && u->terms.n == 1) u->request = u->terms.v[0].request = 1;
    }
  }
  free(w), free(len), free(marks);
}

/* At the top level the every-word form asks for the subject only: request
 * words are left to ranking (the any-word form keeps them), unless nothing
 * else is left. out holds the AND of the np units of pos (reordered). */
static void subject_only(parser *ps, unit **pos, size_t np, unit *out) {
  size_t n = 0;
  for (size_t i = 0; i < np; i++)
    if (!pos[i]->request) pos[n++] = pos[i];
  if (n == 0 || n == np) return;
  free(out->expr);
  out->expr = join(ps, pos, n, "AND");
  out->compound = n > 1 || pos[0]->compound;
}

/* A sequence of or-groups, all required: stop words are dropped unless
 * nothing else is left; negated groups become NOT. fallback (top level
 * only, may be NULL) receives the any-word form, and the every-word form
 * then leaves request words out. */
static void parse_seq(parser *ps, unit *out, unit *fallback) {
  seq q = {0};
  memset(out, 0, sizeof *out);
  read_seq(ps, &q);
  if (fallback) mark_frames(ps, &q);
  unit **pos = malloc((q.n + 1) * sizeof *pos), **neg = malloc((q.n + 1) * sizeof *neg);
  size_t np = 0, nn = 0;
  if (!pos || !neg) {
    ps->oom = 1;
    goto done;
  }
  for (size_t i = 0; i < q.n; i++)
    if (q.items[i].expr && !q.items[i].neg && !q.items[i].stop) pos[np++] = &q.items[i];
  for (size_t i = 0, only_stop = np == 0; only_stop && i < q.n; i++) /* keep them then */
    if (q.items[i].expr && !q.items[i].neg) pos[np++] = &q.items[i];
  for (size_t i = 0; i < q.n; i++)
    if (q.items[i].expr && q.items[i].neg && !q.items[i].stop) neg[nn++] = &q.items[i];
  if (np == 0) {
    for (size_t i = 0; i < q.n; i++) /* only exclusions: reported by the caller */
      if (q.items[i].expr && q.items[i].neg) out->neg = 1;
    goto done;
  }
  char *nots = nn ? join(ps, neg, nn, "OR") : NULL;
  int nots_compound = nn > 1 || (nn == 1 && neg[0]->compound);
  if (fallback && np >= 2) {
    fallback->expr = with_nots(ps, join(ps, pos, np, "OR"), 1, nots, nots_compound);
    fallback->compound = 1;
  }
  combine(ps, pos, np, "AND", out);
  if (fallback) subject_only(ps, pos, np, out);
  out->expr = with_nots(ps, out->expr, out->compound, nots, nots_compound);
  out->compound |= nn > 0;
  free(nots);
done:
  free(pos);
  free(neg);
  for (size_t i = 0; i < q.n; i++) unit_free(&q.items[i]);
  free(q.items);
}

void fouille__parsed_free(fouille__parsed *p) {
  if (!p) return;
  free(p->expr);
  free(p->fallback);
  for (size_t i = 0; i < p->n_terms; i++) free(p->terms[i].text);
  free(p->terms);
  memset(p, 0, sizeof *p);
}

int fouille__query_parse(const char *query, fouille__parsed *out) {
  memset(out, 0, sizeof *out);
  if (!query) return fouille__error(FOUILLE_EPARSE, "empty query");
  size_t len = strnlen(query, FOUILLE__QUERY_MAX + 1);
  if (len > FOUILLE__QUERY_MAX)
    return fouille__error(FOUILLE_ETOOBIG, "query longer than %d bytes", FOUILLE__QUERY_MAX);
  parser ps = {query, query + len, {T_END, 0, 0, 0, NULL, 0}, 0, 0, 0, NULL};
  unit u = {0}, fb = {0};
  int rc = fouille_analyzer_new(&ps.an, -1);
  if (rc) return rc;
  lex(&ps);
  parse_seq(&ps, &u, &fb);
  if (ps.oom)
    rc = fouille__error(FOUILLE_ENOMEM, "out of memory parsing the query");
  else if (!u.expr && u.neg)
    rc = fouille__error(FOUILLE_EPARSE, "a query needs at least one word that is not excluded");
  else if (!u.expr)
    rc = fouille__error(FOUILLE_EPARSE, "empty query");
  if (rc) goto done;
  out->expr = u.expr, u.expr = NULL;
  out->fallback = fb.expr, fb.expr = NULL;
  out->terms = u.terms.v, out->n_terms = u.terms.n;
  u.terms.v = NULL, u.terms.n = 0;
done:
  unit_free(&u);
  unit_free(&fb);
  fouille_analyzer_free(ps.an);
  return rc;
}

FOUILLE_EXTERN int fouille_query_to_fts5(char **out, char **fallback, const char *query) {
  fouille__parsed p;
  if (!out) return fouille__error(FOUILLE_EINVAL, "fouille_query_to_fts5: no output");
  *out = NULL;
  if (fallback) *fallback = NULL;
  int rc = fouille__query_parse(query, &p);
  if (rc) return rc;
  *out = p.expr, p.expr = NULL;
  if (fallback) *fallback = p.fallback, p.fallback = NULL;
  fouille__parsed_free(&p);
  return FOUILLE_OK;
}
