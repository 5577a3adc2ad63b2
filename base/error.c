/* Thread-local error messages: a failing call records one line naming the
 * object and the problem, which fouille_error_last() hands to the caller. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[1024];

FOUILLE_EXTERN const char *fouille_error_last(void) { return last_error; }

FOUILLE_EXTERN const char *fouille_version(void) { return FOUILLE_VERSION_STRING; }

int fouille__error(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, ap);
  va_end(ap);
  return status;
}

void fouille__error_clear(void) { last_error[0] = '\0'; }

FOUILLE_EXTERN int fouille_error_set(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, ap);
  va_end(ap);
  return status;
}

FOUILLE_EXTERN void fouille_error_clear(void) { last_error[0] = '\0'; }

FOUILLE_EXTERN const char *fouille_status_name(int status) {
  static const char *const names[] = {"FOUILLE_OK",        "FOUILLE_ERROR",  "FOUILLE_ENOMEM",
                                      "FOUILLE_EINVAL",    "FOUILLE_EIO",    "FOUILLE_EDB",
                                      "FOUILLE_ENOTFOUND", "FOUILLE_EBUSY",  "FOUILLE_EVERSION",
                                      "FOUILLE_EPARSE",    "FOUILLE_EABORT", "FOUILLE_ETOOBIG"};
  int i = -status;
  if (i < 0 || i >= (int)(sizeof names / sizeof names[0])) return "FOUILLE_UNKNOWN";
  return names[i];
}
