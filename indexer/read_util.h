/* Private: helpers shared by the article readers (text preparation with
 * encoding warnings, dates with warnings, trimming); they build text in
 * base's fouille__buf. */
#ifndef FOUILLE_READ_UTIL_H
#define FOUILLE_READ_UTIL_H

#include <stddef.h>

#include "buf.h"
#include "reader.h"

/* What fouille__utf8_convert did. */
enum { FOUILLE__UTF8_SAME = 0, FOUILLE__UTF8_BOM, FOUILLE__UTF8_CP1252, FOUILLE__UTF8_REPLACED };

/* fouille__to_utf8 with the kind of conversion done (*kind) and, for
 * REPLACED, the number of replaced bytes (*bad). */
int fouille__utf8_convert(const char *data, size_t len, char **out, size_t *out_len, int *kind,
                          size_t *bad);

/* Reports a problem if rc has a problem callback. */
void fouille__warn(const fouille__reader_ctx *rc, unsigned long line, int is_warning,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Makes data valid UTF-8 for a whole-file reader: *text and *tlen point into
 * data or into *owned (malloc'd, to free). Warns about conversions.
 * Returns 0, FOUILLE_EPARSE (binary) or FOUILLE_ENOMEM, error set. */
int fouille__read_prepare(const char *data, size_t len, const fouille__reader_ctx *rc, char **owned,
                          const char **text, size_t *tlen);

/* Normalises raw (n bytes) into out[32]; returns out, or NULL after the
 * warning "unparsable date '…' ignored". NULL/blank raw → NULL silently. */
const char *fouille__read_date(const char *raw, size_t n, char *out, const fouille__reader_ctx *rc,
                               unsigned long line);

/* Trims ASCII whitespace and NBSP (U+00A0, U+202F) at both ends. */
void fouille__trim(const char **s, size_t *n);

/* Copies s (n bytes) into a new NUL-terminated string, or NULL. */
char *fouille__strndup(const char *s, size_t n);

#endif
