/* The JSON Lines reader's fast path (read_jsonl.c): yajl's streaming parser
 * (libyajl, about 5 times faster than jansson's json_loadb on these lines,
 * which cost 40 % of a build's instructions) reads a line that is a flat
 * object of strings, true, false, null and short integers (tags: an array
 * of strings); its callbacks keep the wanted fields in one buffer. Anything
 * else is left to jansson, which gives the same fields or the error
 * message: this path only takes what yajl reads exactly as jansson does.
 * Where the two differ, the line goes to jansson:
 * - yajl's UTF-8 check lets overlong forms, surrogates and code points
 *   above U+10FFFF through: every key and string is checked strictly here;
 * - yajl decodes a lone or mismatched \u surrogate to "?" or to another
 *   code point, and \u0000 to a NUL byte: such escapes are looked for first;
 * - yajl takes \v and \f as white space, jansson does not;
 * - numbers: only integers of at most 15 digits in fields not wanted here
 *   (nothing jansson could find too big); a wanted field given as a number
 *   (an integer id, say) is jansson's;
 * - nesting other than tags' array, a wanted field given twice (jansson
 *   keeps the last), a key written with an escape, a top level that is not
 *   one object, anything after it but white space, and every syntax error
 *   (comments are off in yajl's API). */
#include "jsonl_yajl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "utf8.h"

static const char *const wanted[FOUILLE__JF_COUNT] = {
    "id", "title", "body", "text", "content", "date", "url", "source", "author", "tags", "deleted"};

enum { BEFORE, IN_OBJECT, IN_TAGS, AFTER };

typedef struct state {
  const char *line, *end;
  fouille__jsonl_fields *f;
  char *out;  /* where the next kept string goes, in f->buf */
  char *tags; /* IN_TAGS: where the joined tags begin */
  int where;  /* BEFORE, IN_OBJECT, IN_TAGS or AFTER the object */
  int key;    /* the current key's index in wanted, -1 for another */
  unsigned seen;
} state;

static int hex4(const char *p, const char *end) {
  unsigned v = 0;
  if (end - p < 4) return -1;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 16u;
    if (d == 16) return -1;
    v = v << 4 | d;
  }
  return (int)v;
}

/* 0 when the line holds \v or \f, \u0000, or a \u surrogate that is not a
 * high one followed by a low one: yajl reads those otherwise than jansson. */
static int same_escapes(const char *s, const char *end) {
  if (memchr(s, '\v', (size_t)(end - s)) || memchr(s, '\f', (size_t)(end - s))) return 0;
  for (const char *p = s; (p = memchr(p, '\\', (size_t)(end - p))); p += 2) {
    if (end - p < 2) return 0;
    if (p[1] != 'u') continue;
    int u = hex4(p + 2, end), lo;
    if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF)) return 0;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (end - p < 12 || p[6] != '\\' || p[7] != 'u') return 0;
      if ((lo = hex4(p + 8, end)) < 0xDC00 || lo > 0xDFFF) return 0;
      p += 6;
    }
  }
  return 1;
}

static int on_null(void *ctx) { return ((state *)ctx)->where == IN_OBJECT; }

static int on_boolean(void *ctx, int b) {
  state *x = ctx;
  if (x->where != IN_OBJECT) return 0;
  if (b && x->key == FOUILLE__JF_DELETED) x->f->deleted = 1;
  return 1;
}

/* An integer jansson reads as one, in a field not wanted here. */
static int on_number(void *ctx, const char *s, size_t n) {
  state *x = ctx;
  size_t i = s[0] == '-', d = n - i;
  if (x->where != IN_OBJECT || x->key >= 0 || d == 0 || d > 15 || (s[i] == '0' && d > 1)) return 0;
  for (; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

static int on_string(void *ctx, const unsigned char *us, size_t n) {
  state *x = ctx;
  const char *s = (const char *)us;
  fouille__jsonl_fields *f = x->f;
  if (!fouille__utf8_valid(s, n)) return 0;
  if (x->where == IN_OBJECT) {
    if (x->key < 0) return 1;
    memcpy(x->out, s, n);
    x->out[n] = '\0';
    f->v[x->key] = x->out, f->n[x->key] = n;
    x->out += n + 1;
    return 1;
  }
  if (x->where != IN_TAGS) return 0;
  if (n == 0) return 1; /* empty tags are left out */
  if (x->out > x->tags) memcpy(x->out, ", ", 2), x->out += 2;
  memcpy(x->out, s, n);
  x->out += n;
  return 1;
}

static int on_start_map(void *ctx) {
  state *x = ctx;
  if (x->where != BEFORE) return 0;
  x->where = IN_OBJECT;
  return 1;
}

/* A key yajl did not decode lies in the line; one with an escape does not
 * (yajl decodes it into its own buffer): jansson's. */
static int on_map_key(void *ctx, const unsigned char *us, size_t n) {
  state *x = ctx;
  const char *s = (const char *)us;
  uintptr_t at = (uintptr_t)s;
  if (at < (uintptr_t)x->line || at >= (uintptr_t)x->end || !fouille__utf8_valid(s, n)) return 0;
  x->key = -1;
  for (int k = 0; k < FOUILLE__JF_COUNT; k++)
    if (strlen(wanted[k]) == n && !memcmp(wanted[k], s, n)) {
      if (x->seen & 1u << k) return 0;
      x->seen |= 1u << k;
      x->key = k;
      break;
    }
  return 1;
}

/* The object's end stops yajl: what follows is looked at here (yajl does
 * not see a token cut by the end of the line, a lone quote say). */
static int on_end_map(void *ctx) {
  state *x = ctx;
  x->where = AFTER;
  return 0;
}

static int on_start_array(void *ctx) {
  state *x = ctx;
  if (x->where != IN_OBJECT || x->key != FOUILLE__JF_TAGS) return 0;
  x->where = IN_TAGS;
  x->tags = x->out;
  return 1;
}

static int on_end_array(void *ctx) {
  state *x = ctx;
  if (x->out > x->tags) {
    x->f->v[FOUILLE__JF_TAGS] = x->tags;
    x->f->n[FOUILLE__JF_TAGS] = (size_t)(x->out - x->tags);
  }
  *x->out++ = '\0';
  x->where = IN_OBJECT;
  return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

int fouille__jsonl_fast(const char *line, size_t len, fouille__jsonl_fields *f) {
  memset(f, 0, sizeof *f);
  if (!same_escapes(line, line + len)) return 0;
  /* Every kept string is no longer than its quoted form in the line. */
  if (!(f->buf = malloc(len + 1))) return -1;
  state x = {line, line + len, f, f->buf, NULL, BEFORE, -1, 0};
  yajl_handle h = yajl_alloc(&callbacks, NULL, &x);
  if (!h) {
    free(f->buf);
    f->buf = NULL;
    return -1;
  }
  int ok = yajl_parse(h, (const unsigned char *)line, len) == yajl_status_client_canceled &&
           x.where == AFTER;
  for (size_t at = ok ? yajl_get_bytes_consumed(h) : len; at < len; at++)
    if (line[at] != ' ' && line[at] != '\t' && line[at] != '\n' && line[at] != '\r') ok = 0;
  yajl_free(h);
  if (ok) return 1;
  free(f->buf);
  memset(f, 0, sizeof *f);
  return 0;
}
