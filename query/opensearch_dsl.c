/* fouille_search_opensearch_dsl: a user's query as an OpenSearch /
 * Elasticsearch search body. The query is parsed by Fouille's own parser
 * (parse.c): the same errors, the same stop words dropped, the same
 * request words found. Its FTS5 expressions (a grammar this file reads
 * back: quoted strings, " *" for a prefix, "title : " / "body : ", NOT
 * over AND over OR, parentheses) become bool queries: a word is a match, a
 * phrase (a string of several words, "Covid-19" included) a match_phrase, a
 * prefix a prefix query on the folded text, each on title (boosted as
 * fouille_rank weighs it) and body. docs/opensearch.md says what differs. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "query_private.h"

#define TITLE_BOOST 4.0 /* fouille_rank's default column weights: title 4, body 1 */
#define PROXIMITY_SLOP 20

typedef struct dsl {
  const char *p, *end;
  fouille_analyzer *an;
  const double *w; /* each quoted string's weight, in order (NULL: all 1) */
  int n_w, i_w;
  int oom;
  /* a flat list of plain words (no column, prefix, NOT, AND, parenthesis):
   * the words, for the proximity clause */
  int flat, collect;
  fouille__buf words;
} dsl;

static void skip_spaces(dsl *d) {
  while (d->p < d->end && *d->p == ' ') d->p++;
}

/* Consumes the operator op (followed by a space) when it comes next. */
static int accept(dsl *d, const char *op) {
  size_t n = strlen(op);
  skip_spaces(d);
  if ((size_t)(d->end - d->p) > n && memcmp(d->p, op, n) == 0 && d->p[n] == ' ') {
    d->p += n;
    return 1;
  }
  return 0;
}

static int count_token(int flags, const char *term, int len, int start, int end, void *payload) {
  (void)term, (void)len, (void)start, (void)end;
  if (!(flags & FOUILLE_TERM_COLOCATED)) (*(int *)payload)++;
  return 0;
}

static int keep_term(int flags, const char *term, int len, int start, int end, void *payload) {
  (void)flags, (void)start, (void)end;
  fouille__buf *b = payload;
  if (b->len) fouille__buf_putc(b, ' ');
  fouille__buf_add(b, term, (size_t)len);
  return 0;
}

static json_t *clause(const char *kind, const char *field, const char *text, double boost) {
  json_t *body = json_object();
  json_object_set_new(body, kind[0] == 'p' && kind[1] == 'r' ? "value" : "query",
                      json_string(text));
  if (boost != 1.0) json_object_set_new(body, "boost", json_real(boost));
  return json_pack("{s:{s:o}}", kind, field, body);
}

/* A quoted string of the expression: text (unquoted), its column (NULL:
 * both), prefix or not, its weight. */
static json_t *leaf(dsl *d, const char *col, const char *text, int prefix, double w) {
  const char *kind = "match";
  fouille__buf folded = FOUILLE__BUF_INIT;
  int n = 0;
  fouille_analyzer_run(d->an, FOUILLE_ANALYZE_QUERY, text, strlen(text), count_token, &n);
  if (prefix) {
    fouille_analyzer_run(d->an, FOUILLE_ANALYZE_PREFIX, text, strlen(text), keep_term, &folded);
    kind = n > 1 ? "match_phrase_prefix" : "prefix";
    if (n <= 1 && fouille__buf_cstr(&folded)) text = fouille__buf_cstr(&folded);
  } else if (n > 1 || fouille__is_stopword(text, strlen(text))) {
    /* a stop word left in (the query holds nothing else): match_phrase
     * analyzes with the search_quote_analyzer, which keeps stop words */
    kind = "match_phrase";
  }
  json_t *title =
      !col || !strcmp(col, "title") ? clause(kind, "title", text, TITLE_BOOST * w) : NULL;
  json_t *body = !col || !strcmp(col, "body") ? clause(kind, "body", text, w) : NULL;
  fouille__buf_free(&folded);
  if (!title || !body) return title ? title : body;
  return json_pack("{s:{s:[o,o]}}", "bool", "should", title, body);
}

/* Reads a quoted string (d->p on its opening quote) into a new buffer. */
static char *quoted(dsl *d) {
  fouille__buf b = FOUILLE__BUF_INIT;
  for (d->p++; d->p < d->end; d->p++) {
    if (*d->p == '"' && !(d->p + 1 < d->end && d->p[1] == '"')) break;
    if (*d->p == '"') d->p++; /* "" is one quote */
    fouille__buf_putc(&b, *d->p);
  }
  d->p++;
  char *s = fouille__buf_detach(&b, NULL);
  if (!s) d->oom = 1;
  return s;
}

static json_t *or_expr(dsl *d);

static json_t *primary(dsl *d) {
  const char *col = NULL;
  skip_spaces(d);
  if (d->p < d->end && *d->p == '(') {
    d->p++, d->flat = 0;
    json_t *j = or_expr(d);
    skip_spaces(d);
    if (d->p < d->end && *d->p == ')') d->p++;
    return j;
  }
  if (accept(d, "title :"))
    col = "title";
  else if (accept(d, "body :"))
    col = "body";
  skip_spaces(d);
  if (d->p >= d->end || *d->p != '"') return NULL; /* not an expression of parse.c's */
  char *text = quoted(d);
  if (!text) return NULL;
  const char *q = d->p;
  while (q < d->end && *q == ' ') q++;
  int prefix = q < d->end && *q == '*';
  if (prefix) d->p = q + 1;
  double w = d->w && d->i_w < d->n_w ? d->w[d->i_w] : 1.0;
  d->i_w++;
  json_t *j = leaf(d, col, text, prefix, w);
  if (col || prefix || strchr(text, ' ')) d->flat = 0;
  if (d->collect && d->flat && w == 1.0) {
    if (d->words.len) fouille__buf_putc(&d->words, ' ');
    fouille__buf_puts(&d->words, text);
  }
  free(text);
  return j;
}

/* primary (NOT primary)*: FTS5's NOT binds tightest. */
static json_t *not_expr(dsl *d) {
  json_t *pos = primary(d), *neg = NULL;
  while (pos && accept(d, "NOT")) {
    d->flat = 0;
    if (!neg) neg = json_array();
    json_array_append_new(neg, primary(d));
  }
  return neg ? json_pack("{s:{s:[o],s:o}}", "bool", "must", pos, "must_not", neg) : pos;
}

/* Operands joined by op ("AND": all must match, "OR": one should). */
static json_t *joined(dsl *d, json_t *(*next)(dsl *), const char *op) {
  json_t *first = next(d), *all = NULL;
  while (first && accept(d, op)) {
    if (!all) all = json_pack("[o]", first);
    json_array_append_new(all, next(d));
  }
  if (!all) return first;
  if (op[0] == 'A') return d->flat = 0, json_pack("{s:{s:o}}", "bool", "must", all);
  return json_pack("{s:{s:o,s:i}}", "bool", "should", all, "minimum_should_match", 1);
}

static json_t *and_expr(dsl *d) { return joined(d, not_expr, "AND"); }
static json_t *or_expr(dsl *d) { return joined(d, and_expr, "OR"); }

/* The expression as a query; NULL when out of memory (or not parse.c's). */
static json_t *translate(dsl *d, const fouille__parsed *p, const char *expr) {
  double *w = NULL;
  int n_w = 0;
  if (fouille__phrase_weights(p, expr, &w, &n_w)) return d->oom = 1, NULL;
  d->p = expr, d->end = expr + strlen(expr), d->w = w, d->n_w = n_w, d->i_w = 0;
  json_t *j = or_expr(d);
  skip_spaces(d);
  if (d->p < d->end) json_decref(j), j = NULL; /* left over: not an expression of parse.c's */
  free(w);
  return j;
}

/* The filters of o: which & 1 the date range (since and until as
 * fouille_search applies them: until inclusive, every date it starts), in
 * date math; which & 2 the sources. */
static json_t *filters(const fouille_search_options *o, int which) {
  json_t *f = json_array(), *range = json_object();
  char until[48];
  if ((which & 1) && o->since && *o->since)
    json_object_set_new(range, "gte", json_string(o->since));
  if ((which & 1) && o->until && *o->until) {
    size_t n = strlen(o->until);
    snprintf(until, sizeof until, "%s||+1%s", o->until, n == 4 ? "y" : n == 7 ? "M" : "d");
    json_object_set_new(range, "lt", json_string(until));
  }
  if (json_object_size(range))
    json_array_append_new(f, json_pack("{s:{s:o}}", "range", "date", range));
  else
    json_decref(range);
  if ((which & 2) && o->source && *o->source)
    json_array_append_new(f, json_pack("{s:{s:s}}", "term", "source", o->source));
  if ((which & 2) && o->version >= 3 && o->sources && o->n_sources) {
    json_t *names = json_array();
    for (size_t i = 0; i < o->n_sources; i++)
      if (o->sources[i]) json_array_append_new(names, json_string(o->sources[i]));
    json_array_append_new(f, json_pack("{s:{s:o}}", "terms", "source", names));
  }
  return f;
}

static unsigned facets_of(const fouille_search_options *o) {
  return o->version >= 3 ? o->facets : 0;
}

/* One facet: an aggregation within the filters but its own (which), as
 * Fouille counts them. */
static json_t *facet(const fouille_search_options *o, int which, json_t *agg) {
  return json_pack("{s:{s:{s:o}},s:{s:o}}", "filter", "bool", "filter", filters(o, which), "aggs",
                   "counts", agg);
}

/* Facets: counted over every match (the filters go to post_filter, each
 * facet applies the others). */
static json_t *aggregations(const fouille_search_options *o) {
  json_t *aggs = json_object();
  unsigned f = facets_of(o);
  if (f & FOUILLE_FACET_SOURCE)
    json_object_set_new(
        aggs, "source",
        facet(o, 1, json_pack("{s:{s:s,s:i}}", "terms", "field", "source", "size", 1000)));
  for (int m = 0; m < 2; m++)
    if (f & (m ? FOUILLE_FACET_MONTH : FOUILLE_FACET_YEAR))
      json_object_set_new(aggs, m ? "month" : "year",
                          facet(o, 2,
                                json_pack("{s:{s:s,s:s,s:s,s:i}}", "date_histogram", "field",
                                          "date", "calendar_interval", m ? "month" : "year",
                                          "format", m ? "yyyy-MM" : "yyyy", "min_doc_count", 1)));
  return aggs;
}

/* Fouille's passages: the unified highlighter by sentence stands in (the
 * runbook shows how to make Fouille's own from the hit's body). */
static json_t *highlight(const fouille_search_options *o) {
  json_t *fields = json_pack("{s:{s:i}}", "title", "number_of_fragments", 0);
  if (o->passages > 0)
    json_object_set_new(fields, "body",
                        json_pack("{s:i,s:i}", "fragment_size", o->passage_length,
                                  "number_of_fragments", o->passages));
  return json_pack("{s:s,s:s,s:s,s:[s],s:[s],s:o}", "type", "unified", "boundary_scanner",
                   "sentence", "boundary_scanner_locale", "fr-FR", "pre_tags", "<mark>",
                   "post_tags", "</mark>", "fields", fields);
}

static json_t *sort(const fouille_search_options *o) {
  json_t *date = json_pack("{s:{s:s,s:s}}", "date", "order", "desc", "missing", "_last");
  return o->sort == FOUILLE_SORT_DATE ? json_pack("[o,s]", date, "_score")
                                      : json_pack("[s,o]", "_score", date);
}

/* The bool query: the any-word expression ranked (by date: every word
 * required), the all-words one as a bonus, proximity, the filters. */
static json_t *query(dsl *d, const fouille__parsed *p, const fouille_search_options *o) {
  int by_date = o->sort == FOUILLE_SORT_DATE;
  const char *main = p->fallback && !by_date ? p->fallback : p->expr;
  d->collect = 1;
  json_t *must = translate(d, p, main), *should = json_array();
  int flat = d->flat;
  d->collect = 0;
  if (main != p->expr) json_array_append_new(should, translate(d, p, p->expr));
  const char *w = fouille__buf_cstr(&d->words);
  if (flat && !by_date && w && strchr(w, ' '))
    json_array_append_new(should, json_pack("{s:{s:{s:s,s:i}}}", "match_phrase", "body", "query", w,
                                            "slop", PROXIMITY_SLOP));
  json_t *b = json_pack("{s:[o]}", "must", must);
  if (json_array_size(should))
    json_object_set_new(b, "should", should);
  else
    json_decref(should);
  json_t *f = filters(o, facets_of(o) ? 0 : 3);
  if (json_array_size(f))
    json_object_set_new(b, "filter", f);
  else
    json_decref(f);
  return must ? json_pack("{s:o}", "bool", b) : (json_decref(b), NULL);
}

static int check(char **out, const fouille_search_options *o) {
  if (!out) return fouille__error(FOUILLE_EINVAL, "fouille_search_opensearch_dsl: no output");
  *out = NULL;
  if (o->version < 1 || o->version > FOUILLE_SEARCH_OPTIONS_VERSION) /* 1: without exact */
    return fouille__error(FOUILLE_EINVAL, "fouille_search_options: unknown version %d", o->version);
  if (o->limit < 0 || o->offset < 0 || o->passages < 0 || o->passage_length < 1)
    return fouille__error(FOUILLE_EINVAL, "limit, offset, passages, passage length: out of range");
  int rc = o->since && *o->since ? fouille_search_check_date(o->since) : FOUILLE_OK;
  return rc ? rc : o->until && *o->until ? fouille_search_check_date(o->until) : FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_search_opensearch_dsl(char **out, const char *query_text,
                                                 const fouille_search_options *options) {
  static const fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  const fouille_search_options *o = options ? options : &defaults;
  fouille__parsed p;
  dsl d = {.flat = 1, .words = FOUILLE__BUF_INIT};
  int rc = check(out, o);
  if (rc || (rc = fouille__query_parse(query_text, &p))) return rc;
  if ((rc = fouille_analyzer_new(&d.an, -1))) return fouille__parsed_free(&p), rc;
  json_t *q = query(&d, &p, o), *body = NULL;
  if (q)
    body = json_pack("{s:o,s:i,s:i,s:b}", "query", q, "size", o->count_only ? 0 : o->limit, "from",
                     o->offset, "track_total_hits", 1);
  if (body && facets_of(o)) {
    json_t *post = filters(o, 3);
    if (json_array_size(post))
      json_object_set_new(body, "post_filter", json_pack("{s:{s:o}}", "bool", "filter", post));
    else
      json_decref(post);
    json_object_set_new(body, "aggs", aggregations(o));
  }
  if (body && !o->count_only) {
    json_object_set_new(body, "sort", sort(o));
    json_object_set_new(body, "_source",
                        json_pack("[s,s,s,s,s]", "title", "date", "source", "url", "body"));
    json_object_set_new(body, "highlight", highlight(o));
  }
  if (body) *out = json_dumps(body, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
  json_decref(body);
  fouille__buf_free(&d.words);
  fouille_analyzer_free(d.an);
  fouille__parsed_free(&p);
  return *out ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory writing the query");
}
