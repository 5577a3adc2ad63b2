/* Private: setting the thread-local error message. */
#ifndef FOUILLE_ERROR_PRIVATE_H
#define FOUILLE_ERROR_PRIVATE_H

#include "fouille/common.h"

#if defined(__GNUC__)
#define FOUILLE__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FOUILLE__PRINTF(a, b)
#endif

/* Records a printf-style message as the thread's last error; returns status,
 * so callers can write `return fouille__error(FOUILLE_EIO, "%s: …", path);`. */
int fouille__error(int status, const char *fmt, ...) FOUILLE__PRINTF(2, 3);

/* Clears the thread's last error. */
void fouille__error_clear(void);

#endif
