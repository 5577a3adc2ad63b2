/* Fouille: shared definitions — export macro, version, error codes and the
 * thread-local last-error message every failing call leaves behind.
 *
 * API conventions (libgit2's), followed by every public header:
 *
 * - Out-parameters come first: fouille_x(T **out, subject, inputs…). On
 *   failure *out is left NULL (or zeroed) where the comment says so.
 * - Callbacks end with `void *payload`: the pointer given beside the
 *   callback (the `payload` field of an options struct, or the last
 *   argument of the function taking the callback), passed through untouched.
 * - Options structs begin with `int version`. Start from the
 *   FOUILLE_X_OPTIONS_INIT macro or fouille_x_options_init(&opts,
 *   FOUILLE_X_OPTIONS_VERSION) (FOUILLE_EINVAL for a version this library
 *   does not know), then change fields. Every function taking options takes
 *   NULL for the defaults and fails with FOUILLE_EINVAL, the message naming
 *   the struct, on an unknown version.
 * - Structs that may grow begin with `int version` too; fields are only ever
 *   added at the end, with a new FOUILLE_X_VERSION:
 *   - structs the caller provides (fouille_stats, fouille_update_summary,
 *     filled by the library; fouille_article_data, read by it): the caller
 *     sets version (FOUILLE_X_INIT or FOUILLE_X_VERSION); a version the
 *     library does not know fails with FOUILLE_EINVAL ("fouille_stats:
 *     unknown version N");
 *   - structs the library hands out (fouille_hit, fouille_passage,
 *     fouille_article, fouille_progress, fouille_root): the library sets
 *     version to its own FOUILLE_X_VERSION; a field declared by the
 *     caller's header exists when version is at least the caller's
 *     FOUILLE_X_VERSION.
 *   Everything else is an opaque handle read through functions
 *   (fouille_index, fouille_results, fouille_roots, fouille_writer,
 *   fouille_analyzer, fouille_http_server).
 * - Every function's comment lists the FOUILLE_E… codes it returns and who
 *   owns what it hands back (objects to free with their fouille_x_free, or
 *   memory that belongs to another object and dies with it). */
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
 * error has happened. Owned by the library (thread-local storage): valid
 * until the next failing Fouille call on this thread. */
FOUILLE_EXTERN const char *fouille_error_last(void);

/* Sets the calling thread's last error to a printf-style message (cut at
 * 1023 bytes) and returns status, whatever it is: for code built on Fouille
 * that reports through the same channel (the HTTP server library does). */
FOUILLE_EXTERN int fouille_error_set(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Clears the calling thread's last error. Cannot fail. */
FOUILLE_EXTERN void fouille_error_clear(void);

/* A static English name for a status code ("FOUILLE_EIO", …;
 * "FOUILLE_UNKNOWN" for other values). Never NULL; not to be freed. */
FOUILLE_EXTERN const char *fouille_status_name(int status);

/* The library's version string, e.g. "0.1.0" (static; not to be freed). */
FOUILLE_EXTERN const char *fouille_version(void);

#ifdef __cplusplus
}
#endif
#endif
