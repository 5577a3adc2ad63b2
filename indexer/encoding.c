/* Text encoding of article files: valid UTF-8 passes, a BOM is dropped,
 * old Windows-1252/Latin-1 archives are converted, stray bad bytes in
 * mostly-UTF-8 text become U+FFFD, and binary files are refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "error.h"
#include "read_util.h"

/* Windows-1252 0x80–0x9F; 0 marks the five undefined bytes (→ U+FFFD). */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

typedef struct scan {
  size_t multi, bad, first_bad;
} scan;

static int is_ctrl(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) ||
         c == 0x7F;
}

/* Counts valid multi-byte sequences and invalid bytes; refuses binary. */
static int scan_bytes(const unsigned char *s, size_t len, scan *sc) {
  size_t ctrl = 0, i = 0;
  memset(sc, 0, sizeof *sc);
  if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
    return fouille__error(FOUILLE_EPARSE, "binary file (UTF-16 is not supported)");
  if (memchr(s, '\0', len)) return fouille__error(FOUILLE_EPARSE, "binary file (NUL bytes)");
  while (i < len) {
    /* Eight plain ASCII bytes at once (no byte >= 0x80, < 0x20 or 0x7F):
     * most of a French text, checked without a branch per byte. */
    if (len - i >= 8) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      uint64_t low = (w - 0x2020202020202020ull) & ~w, del = w ^ 0x7F7F7F7F7F7F7F7Full;
      del = (del - 0x0101010101010101ull) & ~del;
      if (((w | low | del) & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    if (s[i] < 0x80) {
      ctrl += is_ctrl(s[i]);
      i++;
      continue;
    }
    if (s[i] >= 0xC2 && s[i] <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
      sc->multi++; /* é, à, ç, «, NBSP…: valid two-byte sequences */
      i += 2;
      continue;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i > 4 ? 4 : len - i), &c);
    if (k > 1) {
      sc->multi++;
      i += (size_t)k;
    } else {
      if (sc->bad++ == 0) sc->first_bad = i;
      i++;
    }
  }
  if (ctrl > 0 && ctrl * 20 > len)
    return fouille__error(FOUILLE_EPARSE, "binary file (control characters)");
  return 0;
}

static size_t put_cp(char *o, utf8proc_int32_t c) {
  return (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)o);
}

/* Each input byte becomes at most 3 output bytes in both conversions. */
static size_t conv_cp1252(const unsigned char *s, size_t len, char *o) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char b = s[i];
    utf8proc_int32_t c = b;
    if (b >= 0x80 && b < 0xA0) c = cp1252_high[b - 0x80] ? cp1252_high[b - 0x80] : 0xFFFD;
    n += put_cp(o + n, c);
  }
  return n;
}

static size_t conv_replace(const unsigned char *s, size_t len, char *o) {
  size_t n = 0, i = 0;
  while (i < len) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = 1;
    if (s[i] >= 0x80)
      k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i > 4 ? 4 : len - i), &c);
    if (k >= 1) {
      memcpy(o + n, s + i, (size_t)k);
      n += (size_t)k;
      i += (size_t)k;
    } else {
      n += put_cp(o + n, 0xFFFD);
      i++;
    }
  }
  return n;
}

int fouille__utf8_convert(const char *data, size_t len, char **out, size_t *out_len, int *kind,
                          size_t *bad) {
  const unsigned char *s = (const unsigned char *)data;
  scan sc;
  int rc = scan_bytes(s, len, &sc);
  *kind = FOUILLE__UTF8_SAME;
  *bad = sc.bad;
  if (rc != 0) return rc;
  int bom = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
  if (sc.bad == 0 && !bom) return 0;
  if (len > ((size_t)-1 - 1) / 3) return fouille__error(FOUILLE_ENOMEM, "file too large");
  char *o = malloc(len * 3 + 1);
  if (!o) return fouille__error(FOUILLE_ENOMEM, "out of memory converting text");
  size_t n;
  if (sc.bad == 0) {
    *kind = FOUILLE__UTF8_BOM;
    n = len - 3;
    memcpy(o, data + 3, n);
  } else if (sc.multi >= 4 * sc.bad) {
    /* Mostly valid UTF-8: a few stray bytes from a bad copy-paste. */
    *kind = FOUILLE__UTF8_REPLACED;
    size_t skip = bom ? 3 : 0;
    n = conv_replace(s + skip, len - skip, o);
  } else {
    *kind = FOUILLE__UTF8_CP1252;
    n = conv_cp1252(s, len, o);
  }
  o[n] = '\0';
  *out = o;
  *out_len = n;
  return 1;
}

int fouille__to_utf8(const char *data, size_t len, char **out, size_t *out_len) {
  int kind;
  size_t bad;
  return fouille__utf8_convert(data, len, out, out_len, &kind, &bad);
}
