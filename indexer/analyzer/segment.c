/* Word segmentation on Unicode categories. Letters, marks and digits make
 * words; everything else (spaces of every width, punctuation, guillemets,
 * dashes, emoji, invalid bytes) separates them. Apostrophes between two
 * word characters and soft hyphens inside a word stay in the word. */
#include <utf8proc.h>

#include "analyzer_private.h"

int fouille__utf8_decode(const uint8_t *p, size_t n, int32_t *cp) {
  if (p[0] < 0x80) {
    *cp = p[0];
    return 1;
  }
  utf8proc_int32_t c;
  utf8proc_ssize_t k = utf8proc_iterate(p, n > 4 ? 4 : (utf8proc_ssize_t)n, &c);
  if (k <= 0) {
    *cp = -1;
    return 1;
  }
  *cp = c;
  return (int)k;
}

static int is_apostrophe(int32_t c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

static int is_word_char(int32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (c == 0x02BC) return 0; /* a modifier letter, but used as an apostrophe */
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
    return 1;
  default:
    return 0;
  }
}

/* The code point at pos, its length in *k; -1 past the end. */
static int32_t peek(const fouille__segmenter *s, size_t pos, int *k) {
  int32_t c = -1;
  *k = 0;
  if (pos >= s->len) return -1;
  *k = fouille__utf8_decode(s->text + pos, s->len - pos, &c);
  return c;
}

int fouille__segment_next(fouille__segmenter *s, size_t *start, size_t *end) {
  int k;
  int32_t c;
  while ((c = peek(s, s->pos, &k)) != -1 || k > 0) {
    if (c >= 0 && is_word_char(c)) break;
    s->pos += (size_t)k;
  }
  if (s->pos >= s->len) return 0;
  *start = s->pos;
  size_t last_end = s->pos;
  while (s->pos < s->len) {
    c = peek(s, s->pos, &k);
    if (c >= 0 && is_word_char(c)) {
      s->pos += (size_t)k;
      last_end = s->pos;
      continue;
    }
    /* An apostrophe or a soft hyphen joins only if a word character follows. */
    if (c == 0xAD || is_apostrophe(c)) {
      int k2;
      int32_t next = peek(s, s->pos + (size_t)k, &k2);
      if (next >= 0 && is_word_char(next) && !(next < 0x80 && next >= '0' && next <= '9' && c != 0xAD)) {
        s->pos += (size_t)k;
        continue;
      }
    }
    break;
  }
  *end = last_end;
  return 1;
}
