/* Fouille: shared definitions — export macro, version, error codes and the
 * thread-local last-error message every failing call leaves behind. */
#ifndef FOUILLE_COMMON_H
#define FOUILLE_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define FOUILLE_EXTERN __attribute__((visibility("default")))
#else
#define FOUILLE_EXTERN
#endif

#define FOUILLE_VERSION_MAJOR 0
#define FOUILLE_VERSION_MINOR 1
#define FOUILLE_VERSION_PATCH 0
#define FOUILLE_VERSION_STRING "0.1.0"

/* Status codes: every int-returning function returns FOUILLE_OK (0) or one of
 * these negative values, and then fouille_error_last() says what happened. */
enum fouille_status {
  FOUILLE_OK = 0,
  FOUILLE_ERROR = -1,     /* generic failure */
  FOUILLE_ENOMEM = -2,    /* out of memory */
  FOUILLE_EINVAL = -3,    /* invalid argument or option */
  FOUILLE_EIO = -4,       /* a file could not be read or written */
  FOUILLE_EDB = -5,       /* the database failed (corrupt, full, read-only…) */
  FOUILLE_ENOTFOUND = -6, /* no such article, file or index */
  FOUILLE_EBUSY = -7,     /* another process holds the index */
  FOUILLE_EVERSION = -8,  /* built by another analyzer or schema version */
  FOUILLE_EPARSE = -9,    /* input could not be parsed (query, JSON, HTML…) */
  FOUILLE_EABORT = -10,   /* a callback asked to stop */
  FOUILLE_ETOOBIG = -11   /* input over a configured limit */
};

/* The message of the last error on the calling thread. Never NULL; "" when no
 * error has happened. Valid until the next failing Fouille call on this
 * thread. */
FOUILLE_EXTERN const char *fouille_error_last(void);

/* Sets the calling thread's last error to a printf-style message and
 * returns status: for code built on Fouille that reports through the same
 * channel (the HTTP server library does). */
FOUILLE_EXTERN int fouille_error_set(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Clears the calling thread's last error. */
FOUILLE_EXTERN void fouille_error_clear(void);

/* A static English name for a status code ("FOUILLE_EIO", …). */
FOUILLE_EXTERN const char *fouille_status_name(int status);

/* The library's version string, e.g. "0.1.0". */
FOUILLE_EXTERN const char *fouille_version(void);

#ifdef __cplusplus
}
#endif
#endif
