/* Private: the UTF-8 helpers, the only ones. Strict: no overlong form, no
 * surrogate, nothing above U+10FFFF, no sequence cut by the end. Stateless,
 * so the HTTP server links its own copy (see CMakeLists.txt). */
#ifndef FOUILLE_UTF8_H
#define FOUILLE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Non-zero for a continuation byte (10xxxxxx), which starts no code point. */
static inline int fouille__utf8_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Length (1 to 4) of the valid sequence at s, n bytes on, or 0 when the
 * bytes there are not one (or n is 0). */
size_t fouille__utf8_len(const char *s, size_t n);

/* Decodes the code point at s (n > 0 bytes on): returns its length and sets
 * *cp, or returns 1 and sets *cp to -1 on an invalid byte, so that loops
 * always advance. n == 0: returns 0, *cp = -1. */
size_t fouille__utf8_decode(const char *s, size_t n, int32_t *cp);

/* Non-zero when s[0..n) is valid UTF-8 throughout (NUL is a valid code
 * point: callers that refuse it check for it). */
int fouille__utf8_valid(const char *s, size_t n);

/* Code points in s[0..n) of valid UTF-8; in invalid text, every byte that
 * is not a continuation byte counts as one. */
size_t fouille__utf8_count(const char *s, size_t n);

/* The longest prefix of s (n bytes) of at most max bytes that does not end
 * inside a sequence: n when n <= max. */
size_t fouille__utf8_cut(const char *s, size_t n, size_t max);

#endif
