/* Word segmentation on Unicode categories. Letters, marks and digits make
 * words; everything else (spaces of every width, punctuation, guillemets,
 * dashes, emoji, invalid bytes) separates them. Apostrophes between two
 * word characters and soft hyphens inside a word stay in the word. Han
 * ideographs and Hiragana, written without spaces between words, are a
 * word each (with the marks after them), as Unicode word boundaries
 * (UAX #29) have it. */
#include <utf8proc.h>

#include "analyzer_private.h"
#include "utf8.h"

static int is_apostrophe(int32_t c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

static int is_word_char(int32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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

/* A Han ideograph or a Hiragana letter: a word by itself. Han is its
 * Unicode script's letters (the iteration mark 々, the ideographic zero
 * and Hangzhou numerals, the unified and compatibility ideographs);
 * Hiragana its block's letters and marks of repetition. */
static int is_ideograph(int32_t c) {
  if (c < 0x3005) return 0;
  return c == 0x3005 || c == 0x3007 || (c >= 0x3021 && c <= 0x3029) ||
         (c >= 0x3038 && c <= 0x303B) ||
         (c >= 0x3041 && c <= 0x309F && c != 0x3099 && c != 0x309A && c != 0x309B && c != 0x309C) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

static int is_mark(int32_t c) {
  utf8proc_category_t cat = utf8proc_category(c);
  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

/* The code point at pos, its length in *k; -1 past the end. */
static int32_t peek(const fouille__segmenter *s, size_t pos, int *k) {
  int32_t c = -1;
  *k = 0;
  if (pos >= s->len) return -1;
  *k = (int)fouille__utf8_decode((const char *)s->text + pos, s->len - pos, &c);
  return c;
}

/* [0-9A-Za-z]: the ASCII word characters, tested without decoding. */
static int ascii_word(uint8_t b) {
  return (uint8_t)((b | 0x20) - 'a') < 26 || (uint8_t)(b - '0') < 10;
}

/* Decodes at pos with fast paths for ASCII and Latin-1 letters (é, à, ç…),
 * most of French text; the rest goes through utf8proc. */
static int32_t peek_fast(const fouille__segmenter *s, size_t pos, int *k) {
  const uint8_t *p = s->text + pos;
  if (p[0] < 0x80) {
    *k = 1;
    return p[0];
  }
  if (p[0] == 0xC3 && pos + 1 < s->len && fouille__utf8_cont(p[1])) {
    *k = 2;
    return 0xC0 + (p[1] & 0x3F);
  }
  return peek(s, pos, k);
}

static int word_char_fast(int32_t c) {
  if (c < 0x80) return ascii_word((uint8_t)c);
  if (c >= 0xC0 && c <= 0xFF) return c != 0xD7 && c != 0xF7; /* × ÷ */
  return is_word_char(c);
}

int fouille__segment_next(fouille__segmenter *s, size_t *start, size_t *end) {
  /* Locals, not s->pos: byte loads through uint8_t * may alias it, which
   * kept the compiler from holding the position in a register. */
  const uint8_t *t = s->text;
  size_t pos = s->pos, len = s->len;
  int k;
  int32_t c;
  while (pos < len) {
    if (t[pos] < 0x80) { /* ASCII: the common case, no decoding */
      if (ascii_word(t[pos])) break;
      pos++;
      continue;
    }
    c = peek_fast(s, pos, &k);
    if (c >= 0 && word_char_fast(c)) break;
    pos += (size_t)k;
  }
  if (pos >= len) {
    s->pos = pos;
    return 0;
  }
  *start = pos;
  if (t[pos] >= 0xE3 && is_ideograph(peek(s, pos, &k))) { /* and its marks */
    pos += (size_t)k;
    while (pos < len && (c = peek(s, pos, &k)) >= 0x300 && is_mark(c)) pos += (size_t)k;
    s->pos = *end = pos;
    return 1;
  }
  size_t last_end = pos;
  while (pos < len) {
    uint8_t b = t[pos];
    if (b < 0x80 && ascii_word(b)) {
      last_end = ++pos;
      continue;
    }
    if (b < 0x80 && b != '\'') break;
    c = peek_fast(s, pos, &k);
    if (c >= 0 && word_char_fast(c)) {
      if (b >= 0xE3 && is_ideograph(c)) break;
      pos += (size_t)k;
      last_end = pos;
      continue;
    }
    /* An apostrophe or a soft hyphen joins only if a word character follows. */
    if (c == 0xAD || is_apostrophe(c)) {
      int k2;
      int32_t next = peek(s, pos + (size_t)k, &k2);
      if (next >= 0 && is_word_char(next) &&
          !(next < 0x80 && next >= '0' && next <= '9' && c != 0xAD)) {
        pos += (size_t)k;
        continue;
      }
    }
    break;
  }
  s->pos = pos;
  *end = last_end;
  return 1;
}
