/* Normalisation around the stemmer: before it, NFC + case folding with one
 * apostrophe and no ligatures; after it, accent folding. ASCII words, the
 * common case, never reach utf8proc. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "analyzer_private.h"
#include "error.h"
#include "utf8.h"

/* out = s[0..n), or FOUILLE_ENOMEM with the message set. */
static int set(fouille__buf *out, const char *s, size_t n) {
  if (fouille__buf_set(out, s, n)) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  return 0;
}

static int is_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return 0;
  return 1;
}

/* Replaces U+2019 and U+02BC by ', œ by oe, æ by ae, and i + U+0307 (what
 * case folding makes of İ, the Turkish capital I) by i, in place. */
static void unify(fouille__buf *b) {
  size_t r = 0, w = 0;
  unsigned char *p = (unsigned char *)b->data;
  while (r < b->len) {
    if (r + 2 < b->len && p[r] == 0xE2 && p[r + 1] == 0x80 && p[r + 2] == 0x99) {
      p[w++] = '\'';
      r += 3;
    } else if (r + 1 < b->len && p[r] == 0xCA && p[r + 1] == 0xBC) {
      p[w++] = '\'';
      r += 2;
    } else if (r + 1 < b->len && p[r] == 0xC5 && p[r + 1] == 0x93) { /* œ */
      p[w++] = 'o';
      p[w++] = 'e';
      r += 2;
    } else if (r + 2 < b->len && p[r] == 'i' && p[r + 1] == 0xCC && p[r + 2] == 0x87) {
      p[w++] = 'i'; /* the dot above an i, which has one */
      r += 3;
    } else if (r + 1 < b->len && p[r] == 0xC3 && p[r + 1] == 0xA6) { /* æ */
      p[w++] = 'a';
      p[w++] = 'e';
      r += 2;
    } else {
      p[w++] = p[r++];
    }
  }
  b->len = w;
  b->data[w] = '\0';
}

static int map_with(const char *word, size_t len, utf8proc_option_t opts, fouille__buf *out) {
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)word, (utf8proc_ssize_t)len, &mapped, opts);
  if (n < 0) {
    /* Segmentation only passes valid UTF-8; keep the bytes as they are. */
    return set(out, word, len);
  }
  int rc = set(out, (const char *)mapped, (size_t)n);
  free(mapped);
  return rc;
}

int fouille__normalize(const char *word, size_t len, fouille__buf *out) {
  if (is_ascii(word, len)) {
    fouille__buf_reset(out);
    if (fouille__buf_reserve(out, len)) return fouille__error(FOUILLE_ENOMEM, "out of memory");
    for (size_t i = 0; i < len; i++) {
      char c = word[i];
      out->data[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out->data[len] = '\0';
    out->len = len;
    return 0;
  }
  int rc = map_with(word, len,
                    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, out);
  if (rc == 0) unify(out);
  return rc;
}

/* The folding of c in fold_table.c, or NULL. */
static const char *table_fold(int32_t c) {
  size_t lo = 0, hi = fouille__fold_table_size;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (fouille__fold_table[mid].cp == (unsigned)c) return fouille__fold_table[mid].to;
    if (fouille__fold_table[mid].cp < (unsigned)c)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* Replaces, in place, the letters of fold_table.c by their folding, never
 * longer than the letter (the table maps 2 to 3 bytes to 1 or 2). */
static void fold_letters(fouille__buf *b) {
  size_t r = 0, w = 0;
  while (r < b->len) {
    if ((unsigned char)b->data[r] < 0x80) {
      b->data[w++] = b->data[r++];
      continue;
    }
    int32_t c;
    size_t k = fouille__utf8_decode(b->data + r, b->len - r, &c);
    const char *to = c >= 0 ? table_fold(c) : NULL;
    size_t n = to ? strlen(to) : 0;
    if (to && n <= k) {
      memcpy(b->data + w, to, n);
      w += n;
    } else {
      memmove(b->data + w, b->data + r, k);
      w += k;
    }
    r += k;
  }
  b->len = w;
  b->data[w] = '\0';
}

int fouille__fold_accents(const char *word, size_t len, fouille__buf *out) {
  if (is_ascii(word, len)) return set(out, word, len);
  int rc = map_with(word, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK, out);
  /* Most accented words are ASCII once their marks are gone. */
  if (rc == 0 && !is_ascii(out->data, out->len)) fold_letters(out);
  return rc;
}

int fouille__has_digit(const char *word, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (word[i] >= '0' && word[i] <= '9') return 1;
  if (is_ascii(word, len)) return 0;
  size_t i = 0;
  while (i < len) {
    int32_t cp;
    i += fouille__utf8_decode(word + i, len - i, &cp);
    if (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ND) return 1;
  }
  return 0;
}
