/* Fouille's French analyzer: UTF-8 text in, index terms out, each with the
 * byte range of the word the author wrote. Pure C; no SQLite. */
#ifndef FOUILLE_ANALYZER_H
#define FOUILLE_ANALYZER_H

#include <stddef.h>

#include "fouille/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the terms produced for some text change: an index built
 * with another version must be rebuilt. */
#define FOUILLE_ANALYZER_VERSION 5

/* Longest term handed to the callback, in bytes; longer words are cut (at a
 * character boundary) so that one giant "word" cannot bloat the index. */
#define FOUILLE_TERM_MAX 256

typedef struct fouille_analyzer fouille_analyzer;

/* How the text is used. */
typedef enum fouille_analyze_mode {
  FOUILLE_ANALYZE_DOCUMENT = 0, /* text being indexed */
  FOUILLE_ANALYZE_QUERY = 1,    /* a query's words: same terms as documents */
  FOUILLE_ANALYZE_PREFIX = 2    /* a prefix query: folded, not stemmed (a long
                                 * prefix also gives its stem, colocated) */
} fouille_analyze_mode;

/* Flags passed with each term. */
enum {
  /* The term is an alternative for the previous one, at the same position
   * (FTS5_TOKEN_COLOCATED): the stem of the word written without accents,
   * less a final plural s or x that Snowball keeps ("velos" -> "velo"), of
   * another spelling of it ("acteur" for "actrice", "publi" for "publient"),
   * or of the word joined across hyphens, dots or digit-group spaces ("onu"
   * for "O.N.U.", spanning the whole chain). See docs/analyzer.md. */
  FOUILLE_TERM_COLOCATED = 0x0001
};

/* Called once per term. term is not NUL-terminated and only valid during
 * the call. [start, end) is the byte range, in the text given to
 * fouille_analyzer_run, of the word as written (after an elided "l’", before
 * any trailing punctuation). payload is the one given to
 * fouille_analyzer_run. A non-zero return stops the run, and
 * fouille_analyzer_run returns that value. */
typedef int (*fouille_term_cb)(int flags, const char *term, int term_len, int start, int end,
                               void *payload);

/* Creates an analyzer into *out. cache_entries bounds the word→stem cache:
 * 0 means the default (65536 entries), a negative value disables the cache.
 * Returns FOUILLE_OK or FOUILLE_ENOMEM (*out is then NULL). The caller owns
 * the analyzer: free it with fouille_analyzer_free. An analyzer is not
 * thread-safe: use one per thread. */
FOUILLE_EXTERN int fouille_analyzer_new(fouille_analyzer **out, int cache_entries);

/* Frees an analyzer; NULL is allowed. Cannot fail. */
FOUILLE_EXTERN void fouille_analyzer_free(fouille_analyzer *analyzer);

/* Analyzes len bytes of text (need not be NUL-terminated nor valid UTF-8:
 * invalid bytes separate words), calling cb(…, payload) for each term.
 * Returns FOUILLE_OK, FOUILLE_EINVAL (no analyzer or callback, NULL text
 * with a non-zero len, text longer than INT_MAX), FOUILLE_ENOMEM, or the
 * callback's non-zero value. */
FOUILLE_EXTERN int fouille_analyzer_run(fouille_analyzer *analyzer, fouille_analyze_mode mode,
                                        const char *text, size_t len, fouille_term_cb cb,
                                        void *payload);

/* Cache statistics since creation into *lookups and *hits (either may be
 * NULL; both 0 for a NULL analyzer). Cannot fail. */
FOUILLE_EXTERN void fouille_analyzer_cache_stats(unsigned long long *lookups,
                                                 unsigned long long *hits,
                                                 const fouille_analyzer *analyzer);

#ifdef __cplusplus
}
#endif
#endif
