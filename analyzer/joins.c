/* Words written in pieces that readers type whole: dotted acronyms (O.N.U.
 * -> onu), hyphenated words (Wi-Fi -> wifi, week-end -> weekend) and digit
 * groups split by a no-break or thin space (25 000 -> 25000). The pieces
 * stay separate terms; the joined word is added at the first piece. */
#include <string.h>
#include <utf8proc.h>

#include "alternatives.h"
#include "analyzer_private.h"
#include "utf8.h"

#define MAX_PIECES 8

typedef enum kind { NONE, ACRONYM, HYPHEN, DIGITS } kind;

/* Length of a hyphen (- U+2010 U+2011) at p, or 0. */
static size_t hyphen_at(const unsigned char *p, size_t n) {
  if (n >= 1 && p[0] == '-') return 1;
  if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x90 || p[2] == 0x91)) return 3;
  return 0;
}

/* Length of a digit-group space (U+00A0, U+202F, U+2009) at p, or 0. */
static size_t group_space_at(const unsigned char *p, size_t n) {
  if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0) return 2;
  if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89)) return 3;
  return 0;
}

static size_t separator_at(kind k, const unsigned char *p, size_t n) {
  if (k == ACRONYM) return n >= 1 && p[0] == '.';
  return k == HYPHEN ? hyphen_at(p, n) : group_space_at(p, n);
}

/* Length of the separator of kind k ending right before pos, or 0. */
static size_t separator_before(kind k, const unsigned char *t, size_t pos) {
  for (size_t n = 1; n <= 3 && n <= pos; n++)
    if (separator_at(k, t + pos - n, n) == n) return n;
  return 0;
}

/* Whether the character ending right before pos is a letter, mark or digit. */
static int word_char_before(const unsigned char *t, size_t pos) {
  size_t i = pos;
  while (i > 0 && pos - i < 4 && (t[i - 1] & 0xC0) == 0x80) i--;
  if (i == 0) return 0;
  int32_t cp;
  fouille__utf8_decode((const char *)t + i - 1, pos - i + 1, &cp);
  if (cp < 0) return 0;
  utf8proc_category_t c = utf8proc_category(cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) || c == UTF8PROC_CATEGORY_ND;
}

static int all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return n > 0;
}

static int single_letter(const char *s, size_t n) {
  int32_t cp;
  if (n == 0 || fouille__utf8_decode(s, n, &cp) != n || cp < 0) return 0;
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL;
}

/* Whether the piece s may be piece number i of a chain of kind k. */
static int piece_ok(kind k, const char *s, size_t n, int i) {
  if (k == ACRONYM) return single_letter(s, n);
  if (k == DIGITS) return all_digits(s, n) && (i == 0 ? n <= 3 : n == 3);
  return 1;
}

static kind kind_of(const char *s, size_t n, const unsigned char *after, size_t left) {
  if (hyphen_at(after, left)) return HYPHEN;
  if (left >= 1 && after[0] == '.' && single_letter(s, n)) return ACRONYM;
  if (group_space_at(after, left) && all_digits(s, n) && n <= 3) return DIGITS;
  return NONE;
}

/* A joined hyphenated word holds a letter: "2020-2021" stays apart. */
static int has_letter(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 1;
  return 0;
}

size_t fouille__join_chain(const char *text, size_t len, size_t seg_start, size_t start, size_t end,
                           char *out, size_t *chain_end) {
  const unsigned char *t = (const unsigned char *)text;
  kind k = kind_of(text + start, end - start, t + end, len - end);
  if (k == NONE || end - start > FOUILLE__ALT_WORD_MAX) return 0;
  size_t before = separator_before(k, t, seg_start);
  if (before && word_char_before(t, seg_start - before)) return 0; /* inside a chain */
  size_t n = end - start, pos = end;
  memcpy(out, text + start, n);
  int pieces = 1;
  for (;;) {
    size_t sep = separator_at(k, t + pos, len - pos), s, e;
    fouille__segmenter seg = {t, len, pos + sep};
    if (!sep || pieces == MAX_PIECES || !fouille__segment_next(&seg, &s, &e) || s != pos + sep ||
        !piece_ok(k, text + s, e - s, pieces) || n + (e - s) > FOUILLE__ALT_WORD_MAX)
      break;
    memcpy(out + n, text + s, e - s);
    n += e - s, pos = e, pieces++;
  }
  if (pieces < 2 || (k == HYPHEN && !has_letter(out, n))) return 0;
  *chain_end = pos;
  return n;
}
