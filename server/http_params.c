/* Validation of HTTP request parameters for the JSON API: routes, numbers,
 * dates, sort order. Pure functions with bounded work, no I/O, so that any
 * bytes a client sends give a clear 400 message, never a crash. */
#include <string.h>

#include "http_private.h"

fouille__http_route fouille__http_route_of(const char *path, const char **key) {
  static const char articles[] = "/articles/";
  *key = NULL;
  if (!path) return FOUILLE__ROUTE_NONE;
  if (strcmp(path, "/search") == 0) return FOUILLE__ROUTE_SEARCH;
  if (strcmp(path, "/stats") == 0) return FOUILLE__ROUTE_STATS;
  if (strcmp(path, "/health") == 0) return FOUILLE__ROUTE_HEALTH;
  if (strncmp(path, articles, sizeof articles - 1) == 0 && path[sizeof articles - 1]) {
    *key = path + sizeof articles - 1;
    return FOUILLE__ROUTE_ARTICLE;
  }
  return FOUILLE__ROUTE_NONE;
}

int fouille__http_utf8_ok(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    unsigned c = *p++;
    size_t n;
    unsigned cp;
    if (c == 0) return 0;
    if (c < 0x80) continue;
    if (c >= 0xC2 && c <= 0xDF)
      n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
      n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
      n = 3, cp = c & 0x07;
    else
      return 0;
    if ((size_t)(end - p) < n) return 0;
    for (size_t i = 0; i < n; i++, p++) {
      if ((*p & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (*p & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
  }
  return 1;
}

void fouille__http_search_init(fouille__http_search *s) {
  fouille_search_options defaults = FOUILLE_SEARCH_OPTIONS_INIT;
  s->q = NULL;
  s->options = defaults;
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

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

static int num(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a real month and day. */
static int date_ok(const char *v) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  size_t n = v ? strlen(v) : 0;
  if (n != 4 && n != 7 && n != 10) return 0;
  if (!digits(v, 4)) return 0;
  if (n == 4) return 1;
  if (v[4] != '-' || !digits(v + 5, 2)) return 0;
  int year = num(v, 4), month = num(v + 5, 2);
  if (month < 1 || month > 12) return 0;
  if (n == 7) return 1;
  if (v[7] != '-' || !digits(v + 8, 2)) return 0;
  int day = num(v + 8, 2), leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max = mdays[month - 1] - (month == 2 && !leap);
  return day >= 1 && day <= max;
}

static int set_text(const char *name, const char *v, size_t max, const char **out) {
  size_t n = v ? strlen(v) : 0;
  if (n > max) return fouille_error_set(FOUILLE_EINVAL, "%s: longer than %zu bytes", name, max);
  if (!fouille__http_utf8_ok(v ? v : "", n))
    return fouille_error_set(FOUILLE_EINVAL, "%s: not valid UTF-8", name);
  *out = v;
  return FOUILLE_OK;
}

static int set_date(const char *name, const char *v, const char **out) {
  if (!date_ok(v))
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
  if (strcmp(name, "source") == 0) return set_text("source", v, 256, &o->source);
  if (strcmp(name, "sort") == 0) return set_sort(v, &o->sort);
  if (strcmp(name, "exact") == 0) return parse_int("exact", v, 0, 1, &o->exact);
  if (!fouille__http_utf8_ok(name, strnlen(name, 65)) || strlen(name) > 64 || !printable(name))
    return fouille_error_set(FOUILLE_EINVAL, "unknown parameter");
  return fouille_error_set(FOUILLE_EINVAL,
                           "%s: unknown parameter (expected q, limit, offset, "
                           "since, until, source, sort, passages, passage_length, exact)",
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
