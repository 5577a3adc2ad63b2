/* The JSON Lines reader's fast path (read_jsonl.c): one pass over a line
 * that is a flat object of strings, true, false, null and short integers
 * (tags: an array of strings), the wanted fields decoded into one buffer.
 * jansson spent about 140 instructions a byte on such lines, 40 % of a
 * build's instructions. Anything else (nested values, other numbers, a
 * wanted field given twice, a key with an escape, \u0000, a lone surrogate,
 * invalid UTF-8, bad syntax) is left to jansson, which gives the same
 * fields or the error message: this path only takes what it reads exactly
 * as jansson does. */
#include "jsonl_fast.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

typedef struct parser {
  const char *p, *end;
  char *out; /* where the next decoded string goes */
} parser;

static const char *const wanted[FOUILLE__JF_COUNT] = {
    "id", "title", "body", "text", "content", "date", "url", "source", "author", "tags", "deleted"};

static void ws(parser *x) {
  while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' || *x->p == '\r'))
    x->p++;
}

static int hex4(const char *p, const char *end, unsigned *v) {
  *v = 0;
  if (end - p < 4) return 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 16u;
    if (d == 16) return 0;
    *v = *v << 4 | d;
  }
  return 1;
}

/* \uXXXX (p after the u; a surrogate pair takes both) as UTF-8 at *o. */
static const char *unicode(const char *p, const char *end, char **o) {
  unsigned u, lo;
  if (!hex4(p, end, &u) || u == 0 || (u >= 0xDC00 && u <= 0xDFFF)) return NULL;
  p += 4;
  if (u >= 0xD800 && u <= 0xDBFF) {
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end, &lo) || lo < 0xDC00 ||
        lo > 0xDFFF)
      return NULL;
    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    p += 6;
  }
  unsigned char *b = (unsigned char *)*o;
  if (u < 0x80) {
    *b++ = (unsigned char)u;
  } else if (u < 0x800) {
    *b++ = (unsigned char)(0xC0 | u >> 6), *b++ = (unsigned char)(0x80 | (u & 0x3F));
  } else if (u < 0x10000) {
    *b++ = (unsigned char)(0xE0 | u >> 12), *b++ = (unsigned char)(0x80 | (u >> 6 & 0x3F));
    *b++ = (unsigned char)(0x80 | (u & 0x3F));
  } else {
    *b++ = (unsigned char)(0xF0 | u >> 18), *b++ = (unsigned char)(0x80 | (u >> 12 & 0x3F));
    *b++ = (unsigned char)(0x80 | (u >> 6 & 0x3F)), *b++ = (unsigned char)(0x80 | (u & 0x3F));
  }
  *o = (char *)b;
  return p;
}

/* The string whose opening quote is at x->p, decoded at x->out and
 * NUL-terminated; 0 when not for this path. */
static int string(parser *x, const char **s, size_t *len) {
  static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
  const char *p = x->p + 1, *end = x->end;
  char *o = x->out;
  for (;;) {
    const char *q = p;
    unsigned char high = 0;
    while (q < end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
      high |= (unsigned char)*q++;
    if (q == end || (unsigned char)*q < 0x20) return 0;
    if ((high & 0x80) && !fouille__utf8_valid(p, (size_t)(q - p))) return 0;
    memcpy(o, p, (size_t)(q - p));
    o += q - p;
    p = q + 1;
    if (*q == '"') break;
    const char *e = p < end ? strchr(esc_in, *p) : NULL;
    if (p < end && *p == 'u') {
      if (!(p = unicode(p + 1, end, &o))) return 0;
    } else if (e && *p) {
      *o++ = esc_out[e - esc_in];
      p++;
    } else {
      return 0;
    }
  }
  *o = '\0';
  *s = x->out, *len = (size_t)(o - x->out);
  x->out = o + 1, x->p = p;
  return 1;
}

/* true, false or null; 1 for true. -1 when it is none of them. */
static int literal(parser *x) {
  static const char *const words[] = {"false", "true", "null"};
  for (int i = 0; i < 3; i++) {
    size_t n = strlen(words[i]);
    if ((size_t)(x->end - x->p) >= n && !memcmp(x->p, words[i], n)) {
      x->p += n;
      return i == 1;
    }
  }
  return -1;
}

/* An integer jansson reads as such (at most 15 digits); 0 when not one. */
static int integer(parser *x) {
  const char *p = x->p + (*x->p == '-'), *d = p;
  while (p < x->end && *p >= '0' && *p <= '9') p++;
  if (p == d || p - d > 15 || (*d == '0' && p - d > 1)) return 0;
  if (p < x->end && (*p == '.' || *p == 'e' || *p == 'E')) return 0;
  x->p = p;
  return 1;
}

/* tags as an array of strings, joined with ", " (empty ones left out). */
static int string_array(parser *x, fouille__jsonl_fields *f) {
  char *start = x->out, *at = start;
  const char *s;
  size_t n;
  x->p++;
  ws(x);
  if (x->p < x->end && *x->p == ']') return x->p++, 1;
  for (;;) {
    if (x->p == x->end || *x->p != '"') return 0;
    x->out = at + (at > start ? 2 : 0);
    if (!string(x, &s, &n)) return 0;
    if (n && at > start) memcpy(at, ", ", 2);
    if (n) at = (char *)s + n;
    ws(x);
    if (x->p < x->end && *x->p == ']') break;
    if (x->p == x->end || *x->p != ',') return 0;
    x->p++;
    ws(x);
  }
  x->p++;
  *at = '\0';
  x->out = at + 1;
  if (at > start) f->v[FOUILLE__JF_TAGS] = start, f->n[FOUILLE__JF_TAGS] = (size_t)(at - start);
  return 1;
}

/* The value at x->p, of wanted field k (-1: another field). */
static int value(parser *x, int k, fouille__jsonl_fields *f) {
  const char *s;
  size_t n;
  if (x->p == x->end) return 0;
  if (*x->p == '"') {
    if (!string(x, &s, &n)) return 0;
    if (k >= 0) f->v[k] = s, f->n[k] = n;
    return 1;
  }
  if (*x->p == '[') return k == FOUILLE__JF_TAGS && string_array(x, f);
  if (*x->p == '-' || (*x->p >= '0' && *x->p <= '9')) return k < 0 && integer(x);
  int t = literal(x);
  if (t == 1 && k == FOUILLE__JF_DELETED) f->deleted = 1;
  return t >= 0;
}

/* A key without escapes: its index in wanted, -1 for another; -2: not for this path. */
static int key(parser *x) {
  const char *s;
  size_t n;
  char *mark = x->out;
  if (x->p == x->end || *x->p != '"') return -2;
  const char *q = memchr(x->p + 1, '"', (size_t)(x->end - x->p - 1));
  if (!q || memchr(x->p + 1, '\\', (size_t)(q - x->p - 1)) || !string(x, &s, &n)) return -2;
  x->out = mark;
  for (int k = 0; k < FOUILLE__JF_COUNT; k++)
    if (strlen(wanted[k]) == n && !memcmp(wanted[k], s, n)) return k;
  return -1;
}

static int object(parser *x, fouille__jsonl_fields *f) {
  unsigned seen = 0;
  ws(x);
  if (x->p == x->end || *x->p != '{') return 0;
  x->p++;
  ws(x);
  if (x->p < x->end && *x->p == '}') return x->p++, 1;
  for (;;) {
    int k = key(x);
    if (k == -2 || (k >= 0 && (seen & 1u << k))) return 0;
    if (k >= 0) seen |= 1u << k;
    ws(x);
    if (x->p == x->end || *x->p != ':') return 0;
    x->p++;
    ws(x);
    if (!value(x, k, f)) return 0;
    ws(x);
    if (x->p < x->end && *x->p == '}') return x->p++, 1;
    if (x->p == x->end || *x->p != ',') return 0;
    x->p++;
    ws(x);
  }
}

int fouille__jsonl_fast(const char *line, size_t len, fouille__jsonl_fields *f) {
  memset(f, 0, sizeof *f);
  if (!(f->buf = malloc(len + 1))) return -1;
  parser x = {line, line + len, f->buf};
  if (object(&x, f)) {
    ws(&x);
    if (x.p == x.end) return 1;
  }
  free(f->buf);
  memset(f, 0, sizeof *f);
  return 0;
}
