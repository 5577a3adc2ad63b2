/* Validation of HTTP request parameters for the JSON API: routes, numbers,
 * dates (by the library's check), sort order, UTF-8 (by base's helpers).
 * Pure functions with bounded work, no I/O, so that any bytes a client
 * sends give a clear 400 message, never a crash. */
#include <string.h>

#include "http_private.h"
#include "utf8.h"

fouille__http_route fouille__http_route_of(const char *path, const char **key) {
  static const char articles[] = "/articles/";
  *key = NULL;
  if (!path) return FOUILLE__ROUTE_NONE;
  if (strcmp(path, "/search") == 0) return FOUILLE__ROUTE_SEARCH;
  if (strcmp(path, "/stats") == 0) return FOUILLE__ROUTE_STATS;
  if (strcmp(path, "/health") == 0) return FOUILLE__ROUTE_HEALTH;
  if (strcmp(path, "/articles") == 0) return FOUILLE__ROUTE_ARTICLES;
  if (!strcmp(path, "/") || !strcmp(path, "/page.css") || !strcmp(path, "/page.js"))
    return FOUILLE__ROUTE_PAGE;
  if (strncmp(path, articles, sizeof articles - 1) == 0 && path[sizeof articles - 1]) {
    *key = path + sizeof articles - 1;
    return FOUILLE__ROUTE_ARTICLE;
  }
  return FOUILLE__ROUTE_NONE;
}

void fouille__http_search_init(fouille__http_search *s) {
  fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  s->q = NULL;
  s->options = defaults;
  s->n_sources = 0;
}

/* A decimal integer in [min, max], digits only (no sign, no spaces). */
static int parse_int(const char *name, const char *v, int min, int max, int *out) {
  long n = 0;
  size_t i = 0;
  if (!v || !*v) goto bad;
  for (; v[i]; i++) {
    if (v[i] < '0' || v[i] > '9' || i >= 9) goto bad;
    n = n * 10 + (v[i] - '0');
  }
  if (n < min || n > max) goto bad;
  *out = (int)n;
  return FOUILLE_OK;
bad:
  return fouille_error_set(FOUILLE_EINVAL, "%s: must be an integer from %d to %d", name, min, max);
}

static int set_text(const char *name, const char *v, size_t max, const char **out) {
  size_t n = v ? strlen(v) : 0;
  if (n > max) return fouille_error_set(FOUILLE_EINVAL, "%s: longer than %zu bytes", name, max);
  if (!fouille__utf8_valid(v ? v : "", n))
    return fouille_error_set(FOUILLE_EINVAL, "%s: not valid UTF-8", name);
  *out = v;
  return FOUILLE_OK;
}

/* The library's own check (fouille_search makes it again), this message. */
static int set_date(const char *name, const char *v, const char **out) {
  if (fouille_search_check_date(v) != FOUILLE_OK)
    return fouille_error_set(FOUILLE_EINVAL, "%s: expected a date YYYY, YYYY-MM or YYYY-MM-DD",
                             name);
  *out = v;
  return FOUILLE_OK;
}

static int set_sort(const char *v, fouille_sort *out) {
  if (v && strcmp(v, "relevance") == 0)
    *out = FOUILLE_SORT_RELEVANCE;
  else if (v && strcmp(v, "date") == 0)
    *out = FOUILLE_SORT_DATE;
  else
    return fouille_error_set(FOUILLE_EINVAL, "sort: expected relevance or date");
  return FOUILLE_OK;
}

static int add_source(fouille__http_search *s, const char *v) {
  if (s->n_sources == FOUILLE__HTTP_SOURCES_MAX)
    return fouille_error_set(FOUILLE_EINVAL, "source: more than %d given",
                             FOUILLE__HTTP_SOURCES_MAX);
  int rc = set_text("source", v, 256, &s->sources[s->n_sources]);
  if (rc) return rc;
  if (++s->n_sources == 1)
    s->options.source = s->sources[0];
  else
    s->options.source = NULL, s->options.sources = s->sources, s->options.n_sources = s->n_sources;
  return FOUILLE_OK;
}

static int set_facets(const char *v, unsigned *out) {
  if (!v || fouille_facets_parse(out, v))
    return fouille_error_set(FOUILLE_EINVAL, "facets: expected a list of source, year, month");
  return FOUILLE_OK;
}

/* No control characters: an unknown name is echoed in a one-line message. */
static int printable(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f) return 0;
  return 1;
}

int fouille__http_search_param(fouille__http_search *s, const char *name, const char *v) {
  fouille_search_options *o = &s->options;
  if (!name) name = "";
  if (strcmp(name, "q") == 0) return set_text("q", v, FOUILLE__HTTP_Q_MAX, &s->q);
  if (strcmp(name, "limit") == 0)
    return parse_int("limit", v, 1, FOUILLE__HTTP_LIMIT_MAX, &o->limit);
  if (strcmp(name, "offset") == 0)
    return parse_int("offset", v, 0, FOUILLE__HTTP_OFFSET_MAX, &o->offset);
  if (strcmp(name, "passages") == 0)
    return parse_int("passages", v, 0, FOUILLE__HTTP_PASSAGES_MAX, &o->passages);
  if (strcmp(name, "passage_length") == 0)
    return parse_int("passage_length", v, 40, FOUILLE__HTTP_PASSAGE_LENGTH_MAX, &o->passage_length);
  if (strcmp(name, "since") == 0) return set_date("since", v, &o->since);
  if (strcmp(name, "until") == 0) return set_date("until", v, &o->until);
  if (strcmp(name, "source") == 0) return add_source(s, v);
  if (strcmp(name, "facets") == 0) return set_facets(v, &o->facets);
  if (strcmp(name, "sort") == 0) return set_sort(v, &o->sort);
  if (strcmp(name, "exact") == 0) return parse_int("exact", v, 0, 1, &o->exact);
  if (!fouille__utf8_valid(name, strnlen(name, 65)) || strlen(name) > 64 || !printable(name))
    return fouille_error_set(FOUILLE_EINVAL, "unknown parameter");
  return fouille_error_set(FOUILLE_EINVAL,
                           "%s: unknown parameter (expected q, limit, offset, since, until, "
                           "source, sort, facets, passages, passage_length, exact)",
                           name);
}

int fouille__http_search_finish(fouille__http_search *s) {
  const char *p = s->q;
  if (!p) return fouille_error_set(FOUILLE_EINVAL, "q: missing (the words to search for)");
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  if (!*p) return fouille_error_set(FOUILLE_EINVAL, "q: empty (the words to search for)");
  if (s->options.since && s->options.until && strlen(s->options.since) == 10 &&
      strlen(s->options.until) == 10 && strcmp(s->options.since, s->options.until) > 0)
    return fouille_error_set(FOUILLE_EINVAL, "since: after until");
  return FOUILLE_OK;
}
