/* Text encoding of article files: valid UTF-8 passes, a BOM is dropped,
 * old Windows-1252/Latin-1 archives are converted, stray bad bytes in
 * mostly-UTF-8 text become U+FFFD, and binary files are refused. */
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "error.h"
#include "read_util.h"
#include "utf8.h"

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

/* How many bytes at the start of s (n bytes) are plain ASCII (none >=
 * 0x80, < 0x20 or 0x7F), eight at a time without a branch per byte. The
 * lowest byte the word tricks flag is always a true one (a borrow only
 * flags bytes above it), so the bytes below it are plain. */
static size_t plain_run(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (n - i >= 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t low = (w - 0x2020202020202020ull) & ~w, del = w ^ 0x7F7F7F7F7F7F7F7Full;
    del = (del - 0x0101010101010101ull) & ~del;
    uint64_t m = (w | low | del) & 0x8080808080808080ull;
    if (m == 0) {
      i += 8;
      continue;
    }
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return i + (size_t)__builtin_ctzll(m) / 8;
#else
    break; /* the bytes one by one below */
#endif
  }
  while (i < n && s[i] >= 0x20 && s[i] < 0x7F) i++;
  return i;
}

/* Counts valid multi-byte sequences and invalid bytes; refuses binary. */
static int scan_bytes(const unsigned char *s, size_t len, scan *sc) {
  size_t ctrl = 0, i = 0;
  memset(sc, 0, sizeof *sc);
  if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
    return fouille__error(FOUILLE_EPARSE, "binary file (UTF-16 is not supported)");
  if (memchr(s, '\0', len)) return fouille__error(FOUILLE_EPARSE, "binary file (NUL bytes)");
  while (i < len) {
    /* Runs of plain ASCII, most of a French text, are skipped word by
     * word; only the bytes that end them are looked at one by one. */
    i += plain_run(s + i, len - i);
    if (i == len) break;
    if (s[i] < 0x80) {
      ctrl += is_ctrl(s[i]);
      i++;
      continue;
    }
    if (s[i] >= 0xC2 && s[i] <= 0xDF && i + 1 < len && fouille__utf8_cont(s[i + 1])) {
      sc->multi++; /* é, à, ç, «, NBSP…: valid two-byte sequences */
      i += 2;
      continue;
    }
    size_t k = fouille__utf8_len((const char *)s + i, len - i);
    if (k > 1) {
      sc->multi++;
      i += k;
    } else {
      if (sc->bad++ == 0) sc->first_bad = i;
      i++;
    }
  }
  if (ctrl > 0 && ctrl * 20 > len)
    return fouille__error(FOUILLE_EPARSE, "binary file (control characters)");
  return 0;
}

/* Windows-1252 (or Latin-1) to UTF-8, the five undefined bytes as U+FFFD. */
static void conv_cp1252(const unsigned char *s, size_t len, fouille__buf *o) {
  for (size_t i = 0; i < len; i++) {
    unsigned char b = s[i];
    utf8proc_int32_t c = b;
    utf8proc_uint8_t u[4];
    if (b >= 0x80 && b < 0xA0) c = cp1252_high[b - 0x80] ? cp1252_high[b - 0x80] : 0xFFFD;
    fouille__buf_add(o, (const char *)u, (size_t)utf8proc_encode_char(c, u));
  }
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
  fouille__buf o = FOUILLE__BUF_INIT;
  fouille__buf_reserve(&o, len * 3); /* each byte makes at most 3 */
  if (sc.bad == 0) {
    *kind = FOUILLE__UTF8_BOM;
    fouille__buf_add(&o, data + 3, len - 3);
  } else if (sc.multi >= 4 * sc.bad) {
    /* Mostly valid UTF-8: a few stray bytes from a bad copy-paste. */
    *kind = FOUILLE__UTF8_REPLACED;
    size_t skip = bom ? 3 : 0;
    fouille__buf_add_mended(&o, data + skip, len - skip);
  } else {
    *kind = FOUILLE__UTF8_CP1252;
    conv_cp1252(s, len, &o);
  }
  if (!(*out = fouille__buf_detach(&o, out_len)))
    return fouille__error(FOUILLE_ENOMEM, "out of memory converting text");
  return 1;
}

int fouille__to_utf8(const char *data, size_t len, char **out, size_t *out_len) {
  int kind;
  size_t bad;
  return fouille__utf8_convert(data, len, out, out_len, &kind, &bad);
}
