/* Sentence boundaries for passages: a stop (. ! ? … and runs of them),
 * optional closing quotes, then a space and a word that does not start in
 * lower case ends a sentence; a newline always does. French abbreviations
 * ("M.", "Mme", "Dr.", "p."), initials ("J. R. R.") and numbers don't. */
#include <string.h>

#include "query_private.h"
#include "utf8.h"

/* The code point at text[i] (len > i), -1 for an invalid byte; *n
 * receives its length. */
static long cp_at(const unsigned char *t, size_t len, size_t i, size_t *n) {
  int32_t c;
  *n = fouille__utf8_decode((const char *)t + i, len - i, &c);
  return c;
}

static int is_newline(long c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

static int is_space(long c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == 0xa0 || c == 0x202f ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x3000 || is_newline(c);
}

static int is_stop(long c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }

/* Closing marks that may follow a stop: » ” ’ " ' ) ]. */
static int is_closer(long c) {
  return c == 0xbb || c == 0x201d || c == 0x2019 || c == '"' || c == '\'' || c == ')' || c == ']';
}

/* Lower-case letters (Latin, Greek, Cyrillic ranges French text meets) and
 * punctuation that continues a sentence. */
static int continues(long c) {
  if ((c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7)) return 1;
  if (c >= 0x100 && c <= 0x17f) return c & 1; /* Latin Extended-A: odd = lower */
  if ((c >= 0x3b1 && c <= 0x3c9) || (c >= 0x430 && c <= 0x45f)) return 1;
  return c == ',' || c == ';' || c == ':' || c == ')' || c == 0xbb || c == '%' || c == '-';
}

static int is_ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* The word before a period at text[dot]: "M", "Mme", "p"… */
static int abbreviation(const unsigned char *t, size_t dot) {
  static const char *const abbr[] = {
      "M",    "MM",  "Mme", "Mmes", "Mlle", "Mlles", "Me",   "Mgr", "Dr",  "Pr",  "St",  "Ste",
      "p",    "pp",  "cf",  "av",   "bd",   "vol",   "chap", "fig", "ex",  "art", "env", "janv",
      "févr", "oct", "nov", "déc",  "sept", "no",    "n°",   "vs",  "Vve", "Cie", "ibid"};
  size_t s = dot;
  while (s > 0 && (is_ascii_alpha(t[s - 1]) || t[s - 1] >= 0x80)) s--;
  size_t n = dot - s;
  if (n == 0) return 0;
  if (s > 0 && (t[s - 1] == '.' || t[s - 1] == '-') && n <= 2) return 1; /* "J.-C.", "p.ex." */
  if (n == 1 && t[s] >= 'A' && t[s] <= 'Z') return 1;                    /* initial */
  for (size_t i = 0; i < sizeof abbr / sizeof abbr[0]; i++)
    if (strlen(abbr[i]) == n && memcmp(abbr[i], t + s, n) == 0) return 1;
  return 0;
}

/* Skips spaces from i; *nl is set when a newline was crossed. */
static size_t skip_spaces(const unsigned char *t, size_t len, size_t i, int *nl) {
  size_t n;
  while (i < len) {
    long c = cp_at(t, len, i, &n);
    if (!is_space(c) && c != 0) break;
    if (is_newline(c)) *nl = 1;
    i += n;
  }
  return i;
}

/* After a stop starting at i: returns where the next sentence starts, or 0
 * when the stop does not end the sentence. */
static size_t after_stop(const unsigned char *t, size_t len, size_t i) {
  size_t n, first = i;
  long c = cp_at(t, len, i, &n);
  int single_dot = c == '.';
  i += n;
  while (i < len && is_stop(c = cp_at(t, len, i, &n))) single_dot = 0, i += n;
  while (i < len && is_closer(cp_at(t, len, i, &n))) i += n;
  int nl = 0;
  size_t j = skip_spaces(t, len, i, &nl);
  if (j == i && j < len) return 0;                         /* "3.5", "www.x.fr" */
  while (j < len && cp_at(t, len, j, &n) == 0xbb && !nl) { /* stop, space, "»" */
    i = j + n;
    j = skip_spaces(t, len, i, &nl);
  }
  if (j >= len) return len;
  if (nl) return j;
  if (single_dot && abbreviation(t, first)) return 0;
  return continues(cp_at(t, len, j, &n)) ? 0 : j;
}

/* Fast path: only . ! ? CR LF and the lead byte of … U+2028 U+2029 matter. */
static int maybe_boundary(unsigned char b) {
  return b == '.' || b == '!' || b == '?' || b == '\n' || b == '\r' || b == 0xe2;
}

size_t fouille__sentences(const char *text, size_t len, size_t *starts, size_t max) {
  const unsigned char *t = (const unsigned char *)text;
  size_t count = 0, n;
  int nl = 0;
  size_t i = text ? skip_spaces(t, len, 0, &nl) : len;
  if (i < len && max > 0) starts[0] = i;
  if (i < len) count = 1;
  while (i < len) {
    if (!maybe_boundary(t[i])) {
      i++;
      continue;
    }
    long c = cp_at(t, len, i, &n);
    size_t next = 0;
    if (is_newline(c))
      next = skip_spaces(t, len, i, &nl);
    else if (is_stop(c))
      next = after_stop(t, len, i);
    if (next == 0) {
      i += n;
      continue;
    }
    if (next >= len) break;
    if (count < max) starts[count] = next;
    count++;
    i = next;
  }
  return count;
}
