/* Private to the query side: the parsed form of a user's query and the
 * passage builder, shared by the library (search.c) and the extension's
 * SQL functions. None of this calls sqlite3_*. */
#ifndef FOUILLE_QUERY_PRIVATE_H
#define FOUILLE_QUERY_PRIVATE_H

#include <stddef.h>

#include "fouille/analyzer.h"
#include "fouille/query.h"

/* A word of the query that should be highlighted and scored in passages:
 * every positive word, phrase word and prefix (not negated ones, not stop
 * words outside phrases). text is the word as the user typed it. */
typedef struct fouille__qterm {
  char *text;
  int prefix;     /* typed as prefix* */
  int title_only; /* typed as title:word */
  int request;    /* a request word typed as a word (request_words.c) */
} fouille__qterm;

typedef struct fouille__parsed {
  char *expr;     /* FTS5 expression requiring every word; never NULL on success */
  char *fallback; /* any-word expression, NULL when it would equal expr */
  fouille__qterm *terms;
  size_t n_terms;
} fouille__parsed;

/* Parses a user's query (any bytes, any length up to FOUILLE__QUERY_MAX).
 * On success returns FOUILLE_OK and fills *out (free with
 * fouille__parsed_free). FOUILLE_EPARSE with a message for the user when
 * nothing searchable remains ("the query holds only stop words: …"),
 * FOUILLE_ETOOBIG when over the limit. Never produces an expression FTS5
 * rejects: every word is a quoted FTS5 string. */
int fouille__query_parse(const char *query, fouille__parsed *out);
void fouille__parsed_free(fouille__parsed *p);

#define FOUILLE__QUERY_MAX 4096 /* bytes */

/* What fouille_rank may be given instead of working it out per query or per
 * match, as its last argument through sqlite3_bind_pointer(…,
 * FOUILLE__RANK_HINTS_TYPE); the caller guarantees they hold for the
 * snapshot (see search_cache.c).
 * sizes: column sizes (tokens) of every row, read in one go instead of one
 * docsize lookup per match: sizes[(rowid - first) * n_col + c], -1 when the
 * row has no record; NULL: none.
 * df: the document frequency of each phrase of the query: used when df_n is
 * the phrase count, else counted as usual and written back (df_n set) when
 * they fit in df_cap; NULL: none. */
typedef struct fouille__bounds fouille__bounds;

typedef struct fouille__rank_hints {
  long long first, n;
  int n_col;
  int *sizes;
  long long *df;
  int df_cap, df_n;
  fouille__bounds *bounds; /* fouille__rank_bounds' answer, or NULL */
  /* For fouille__rank_bounds: a floor under each phrase's document
   * frequency (0: none known), and a ceiling over it (-1: none known),
   * df_min_n phrases; NULL: none. */
  const long long *df_min, *df_max;
  int df_min_n;
  /* A weight for each phrase's IDF, weight_n of them (request words weigh
   * less, request_words.c); NULL, or another count: every phrase weighs 1. */
  const double *weight;
  int weight_n;
} fouille__rank_hints;

/* fouille__rank_bounds(articles_fts, hints), run on the first row of a
 * query whose expression is a flat OR of quoted strings (no NOT, column or
 * prefix) and given sizes: counts the rows holding some phrase and gives
 * fouille_rank's value for every row that may rank in the top need (and
 * for no row that cannot). rows is malloc'd (the caller frees it); done
 * stays 0 when the query does not qualify (over 32 phrases, other columns,
 * a row without sizes, too many positions to keep). */
typedef struct fouille__scored {
  long long id;
  double rank;
} fouille__scored;

/* Buffers fouille__rank_bounds keeps from one query to the next (made on
 * first use; the caller keeps them per connection and frees them). */
typedef struct fouille__bounds_scratch fouille__bounds_scratch;
void fouille__bounds_scratch_free(fouille__bounds_scratch *s);

struct fouille__bounds {
  size_t need;                       /* in */
  fouille__bounds_scratch **scratch; /* in/out, or NULL */
  long long total;                   /* out */
  fouille__scored *rows;             /* out */
  size_t n;
  int all_held; /* out: some row holds every phrase */
  int done;
};

#define FOUILLE__RANK_HINTS_TYPE "fouille__rank_hints"

/* How many searches fouille__rank_bounds answered in this process (tests
 * check that the path they compare with the exhaustive ranking ran). */
unsigned long fouille__search_bounded_runs(void);
/* How many rows fouille__rank_bounds found hopeless after it had read one
 * of their phrases, in this process (tests check that the path ran). */
unsigned long fouille__rank_bounds_dropped(void);

/* Non-zero when word (UTF-8, any case/accents) is a French stop word. */
int fouille__is_stopword(const char *word, size_t len);
/* The i-th stop word (folded: lower case, no accents), or NULL past the
 * last: for the OpenSearch template. */
const char *fouille__stopword_at(size_t i);

/* Request words (request_words.c): what a question says besides its
 * subject ("comment", "moyen", "besoin", "peut", "marche"…). A request word
 * typed as a word weighs FOUILLE__REQUEST_WEIGHT of a subject word: its IDF
 * in fouille_rank and in passages is multiplied by it. */
#define FOUILLE__REQUEST_WEIGHT 0.15
/* Non-zero when word (UTF-8, one word) is a request word, by stem or form;
 * next (NULL: none) is the word typed after it ("marche" is one before
 * "pas"). an is used for analysis (the caller's). */
int fouille__is_request_word(fouille_analyzer *an, const char *word, size_t len, const char *next,
                             size_t next_len);
/* Non-zero when the n-byte character at p is a space or punctuation of
 * French typography that separates words ("calques ?" with a no-break
 * space, « », …, –, —, “ ”, ¿ ¡). */
int fouille__typographic_mark(const char *p, size_t n);
/* Sets marks[i] for the words (n of them, words[i] NULL: not a word) that
 * belong to a request frame of several words ("marche à suivre", "à quoi
 * sert"), leaving the others. */
void fouille__request_frames(fouille_analyzer *an, const char *const *words, const size_t *lens,
                             size_t n, int *marks);
/* The length of word without the pronoun an inverted question puts after
 * a hyphen ("peut-on", "a-t-il", "est-ce", "dois-je"): what remains. */
size_t fouille__inversion_cut(const char *word, size_t len);
/* The weight of each quoted string of expr (p's expression or fallback), in
 * FTS5's phrase order: FOUILLE__REQUEST_WEIGHT for a word p typed as a word
 * and found a request word, else 1. *out is malloc'd (*n_out of them), NULL
 * when all weigh 1. FOUILLE_OK or FOUILLE_ENOMEM (no message). */
int fouille__phrase_weights(const fouille__parsed *p, const char *expr, double **out, int *n_out);

/* Builds up to n_passages passages of about passage_length characters from
 * body, ranked by the IDF-weighted distinct query terms they hold and their
 * repeats, best first, non-overlapping, sentence-aligned, never cut inside
 * a word, "…" where text was cut, with every occurrence of a query term
 * highlighted (byte spans into the passage text). idf[i] weighs terms[i]
 * (NULL: all 1). When no term occurs in the body, the first sentences
 * stand in. an is used for analysis (caller's, not shared).
 * *out is an array of *n_out passages (text and spans malloc'd) to free
 * with fouille__passages_free. */
int fouille__passages_make(fouille_analyzer *an, const char *body, size_t body_len,
                           const fouille__qterm *terms, const double *idf, size_t n_terms,
                           int n_passages, int passage_length, fouille_passage **out,
                           size_t *n_out);
void fouille__passages_free(fouille_passage *passages, size_t n);
/* fouille__passages_make analysing every word of the body, as it did before
 * it skipped the words whose terms cannot start as a query term's does
 * (analyzer_initials.h): the same passages, for tests to compare. */
int fouille__passages_make_exhaustive(fouille_analyzer *an, const char *body, size_t body_len,
                                      const fouille__qterm *terms, const double *idf,
                                      size_t n_terms, int n_passages, int passage_length,
                                      fouille_passage **out, size_t *n_out);

/* passage_json.c, the one JSON writer for passages (jansson's json_t):
 * fouille__passages_json gives [{"text", "highlights": [[start, end], …]},
 * …] with offsets in code points, NULL when out of memory;
 * fouille__json_text a JSON string (null for NULL), invalid UTF-8 mended
 * to U+FFFD. */
struct json_t;
struct json_t *fouille__passages_json(const fouille_passage *passages, size_t n);
struct json_t *fouille__json_text(const char *s);

/* Sentence boundaries of text: fills starts[] (byte offsets, first is the
 * start of the first sentence) up to max; returns the count. Mindful of
 * "M.", "Mme.", "3,5", "etc.", ellipses, guillemets, initials. */
size_t fouille__sentences(const char *text, size_t len, size_t *starts, size_t max);

/* The facets' names, index i for the bit 1u << i (FOUILLE_FACET_SOURCE,
 * _YEAR, _MONTH): parsed by fouille_facets_parse, written by the text and
 * JSON output (facets.c). */
#define FOUILLE__FACET_COUNT 3
extern const char *const fouille__facet_names[FOUILLE__FACET_COUNT];

#endif
