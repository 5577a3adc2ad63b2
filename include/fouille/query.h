/* Searching a Fouille index: parse a user's query, rank the articles, and
 * return the best passages of each hit with the matched words marked. */
#ifndef FOUILLE_QUERY_H
#define FOUILLE_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fouille/common.h"
#include "fouille/index.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fouille_sort {
  FOUILLE_SORT_RELEVANCE = 0, /* score, then newer date, then key */
  FOUILLE_SORT_DATE = 1       /* newest first, then score */
} fouille_sort;

typedef struct fouille_search_options {
  int version;        /* FOUILLE_SEARCH_OPTIONS_VERSION */
  int limit;          /* hits to return (default 10, at most 1000) */
  int offset;         /* hits to skip */
  int passages;       /* passages per hit (default 2; 0 for none) */
  int passage_length; /* target passage length in characters (default 300) */
  const char *since;  /* ISO date (YYYY, YYYY-MM or YYYY-MM-DD) or NULL */
  const char *until;  /* inclusive, same forms, or NULL */
  const char *source; /* exact source name or NULL */
  fouille_sort sort;
  int count_only; /* only compute the total */
  /* Version 2: */
  int exact; /* non-zero: no typo tolerance (the words as typed) */
  /* Version 3: any of these n_sources exact source names (applied with
   * source, when both are set); NULL for no such filter. */
  const char *const *sources;
  size_t n_sources;
  unsigned facets; /* version 3: FOUILLE_FACET_… bits to count, 0 for none */
} fouille_search_options;

/* Facets: the matches counted by source, by year or by month of their date
 * (see fouille_results_facet). */
typedef enum fouille_facet {
  FOUILLE_FACET_SOURCE = 1,
  FOUILLE_FACET_YEAR = 2,
  FOUILLE_FACET_MONTH = 4
} fouille_facet;

/* Version 2 added exact, version 3 sources, n_sources and facets. Structs
 * of versions 1 and 2 (without them) are still taken: they search with typo
 * tolerance (version 1), one source at most and no facets. */
#define FOUILLE_SEARCH_OPTIONS_VERSION 3
#define FOUILLE_SEARCH_OPTIONS_INIT                                                                \
  {                                                                                                \
    FOUILLE_SEARCH_OPTIONS_VERSION, 10, 0, 2, 300, NULL, NULL, NULL, FOUILLE_SORT_RELEVANCE, 0, 0, \
        NULL, 0, 0                                                                                 \
  }

/* Fills *opts with the defaults (FOUILLE_SEARCH_OPTIONS_INIT) of the given
 * version (FOUILLE_SEARCH_OPTIONS_VERSION, or 1: then only the fields
 * version 1 had are written). FOUILLE_OK, or FOUILLE_EINVAL (NULL opts,
 * unknown version). */
FOUILLE_EXTERN int fouille_search_options_init(fouille_search_options *opts, unsigned int version);

/* Parses a comma-separated list of facet names ("source", "year",
 * "month"; "source,year") into *out, FOUILLE_FACET_… bits. FOUILLE_OK, or
 * FOUILLE_EINVAL naming the unknown name (an empty list is one). */
FOUILLE_EXTERN int fouille_facets_parse(unsigned *out, const char *list);

/* A highlighted span: byte offsets [start, end) into the passage text. */
typedef struct fouille_span {
  size_t start, end;
} fouille_span;

/* Hits and passages belong to their results (see fouille_results_free).
 * The library sets version (see fouille/common.h). */
typedef struct fouille_passage {
  int version;      /* FOUILLE_PASSAGE_VERSION */
  const char *text; /* NUL-terminated UTF-8, "…" marks cut text */
  size_t n_spans;
  const fouille_span *spans; /* sorted, non-overlapping */
} fouille_passage;

#define FOUILLE_PASSAGE_VERSION 1

typedef struct fouille_hit {
  int version;                                   /* FOUILLE_HIT_VERSION */
  const char *key, *title, *date, *source, *url; /* NULL when absent */
  double score;                                  /* higher is better */
  size_t n_passages;
  const fouille_passage *passages;
} fouille_hit;

#define FOUILLE_HIT_VERSION 1

typedef struct fouille_results fouille_results;

/* Runs query (the user's text, see docs/query-language.md) on index.
 * NULL options mean defaults. On success *out holds the results (possibly
 * no hits), which the caller owns and frees with fouille_results_free; on
 * failure *out is NULL. Errors: FOUILLE_EPARSE (the query has no searchable
 * word, or a bad date filter: the message says which), FOUILLE_ETOOBIG (a
 * query over the parser's limits), FOUILLE_EINVAL (no out or index, bad
 * option, unknown options version), FOUILLE_ENOMEM, FOUILLE_EBUSY,
 * FOUILLE_EDB. Safe to call from several threads on one index (see
 * fouille_index_open). */
FOUILLE_EXTERN int fouille_search(fouille_results **out, fouille_index *index, const char *query,
                                  const fouille_search_options *options);

/* Checks a since or until value as fouille_search does: FOUILLE_OK for
 * YYYY, YYYY-MM or YYYY-MM-DD with a real month and day, else
 * FOUILLE_EPARSE with the message "bad date '…' (use YYYY-MM-DD)". For
 * front ends that validate their parameters before searching. */
FOUILLE_EXTERN int fouille_search_check_date(const char *date);

/* Frees results; NULL is allowed. Hits, passages and strings obtained from
 * them die with it. Cannot fail. */
FOUILLE_EXTERN void fouille_results_free(fouille_results *results);

/* The accessors below cannot fail; a NULL results reads as empty. */

/* Number of hits held (at most limit). */
FOUILLE_EXTERN size_t fouille_results_count(const fouille_results *results);

/* The i-th hit (0-based, best first), or NULL if i is out of range. Owned
 * by results. */
FOUILLE_EXTERN const fouille_hit *fouille_results_hit(const fouille_results *results, size_t i);

/* Total number of matching articles (before limit/offset). By relevance,
 * the articles holding any of the words (those holding every word rank
 * first unless one missing a word matches the others far better); by date,
 * those holding every word, or any of them when no article holds all. */
FOUILLE_EXTERN uint64_t fouille_results_total(const fouille_results *results);

/* Non-zero when no article holds every word (of the subject, for a question;
 * within the filters): the hits hold only some of them. */
FOUILLE_EXTERN int fouille_results_fallback(const fouille_results *results);

/* The query as given (never NULL). Owned by results. */
FOUILLE_EXTERN const char *fouille_results_query(const fouille_results *results);

/* The FTS5 expression the query was turned into, for debugging (never
 * NULL). Owned by results. */
FOUILLE_EXTERN const char *fouille_results_expression(const fouille_results *results);

/* A facet's value and the number of matches that have it. */
typedef struct fouille_facet_value {
  const char *value; /* a source name, "YYYY" or "YYYY-MM" */
  uint64_t count;
} fouille_facet_value;

/* The counts of facet (one FOUILLE_FACET_… bit) asked for with
 * fouille_search_options.facets: *n receives how many values, and the
 * array (owned by results) is returned; NULL and 0 when not asked for.
 * Counted over every match (not only the page), with the filters applied
 * but a facet's own: sources are counted within the date filters but
 * whatever the source filters, years and months within the source
 * filters but whatever the dates, so that a list shows what adding a
 * value would give. Sources come most matches first (then by name),
 * years and months in date order; matches without a source or date are
 * not counted. */
FOUILLE_EXTERN const fouille_facet_value *fouille_results_facet(const fouille_results *results,
                                                                fouille_facet facet, size_t *n);

/* Typo tolerance (docs/query-language.md#typo-tolerance): the query with
 * its misspelled words corrected, each written as the archive most often
 * writes it ("transparence", "complètement"), or NULL when nothing was
 * corrected (or the search was exact). Owned by results. */
FOUILLE_EXTERN const char *fouille_results_did_you_mean(const fouille_results *results);

/* Non-zero when the hits (and the total) come from the corrected query
 * (fouille_results_did_you_mean): a word of the query is in no article.
 * Zero when the query was searched as typed, did_you_mean then being at
 * most a suggestion (a rare word near a far more common one). */
FOUILLE_EXTERN int fouille_results_corrected(const fouille_results *results);

/* ---- Formatting ---------------------------------------------------------------- */

/* Serialises results as the JSON object documented in docs/json.md
 * ({"query","total","fallback","hits":[…]}, highlight offsets in code
 * points of the passage text). *out is a NUL-terminated string the caller
 * owns and frees with free() (NULL on failure). Errors: FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_results_to_json(char **out, const fouille_results *results);

/* Prints results as fouille-query shows them: a first line in French when
 * the query was corrected ("Résultats pour « … » (au lieu de « … », …)")
 * or a correction is suggested ("Vouliez-vous dire « … » ?"), then per hit
 * "N. Title — date — source — key" (N counts from first_rank), its
 * passages indented with the matched words marked (ANSI bold colour when
 * color is non-zero, [brackets] otherwise), then "N matching articles" and
 * a line when only some words were found. Control characters in stored
 * text print as spaces. Returns FOUILLE_OK or FOUILLE_EIO (out could not
 * be written). */
FOUILLE_EXTERN int fouille_results_print_text(FILE *out, const fouille_results *results,
                                              size_t first_rank, int color);

/* Prints the keys of the hits, one per line, best first. Returns FOUILLE_OK
 * or FOUILLE_EIO (out could not be written). */
FOUILLE_EXTERN int fouille_results_print_keys(FILE *out, const fouille_results *results);

/* Turns a user's query into a safe FTS5 MATCH expression on a Fouille
 * table, requiring every word (of a question's subject: its request words,
 * "comment", "moyen"…, are left to ranking), into *out. *fallback (may be NULL)
 * receives the any-word expression, or NULL when there is none: what
 * fouille_search ranks by relevance, and what the SQL function
 * fouille_query() returns when there is one (else *out). The caller owns
 * both strings and frees them with free(); both are NULL on failure.
 * Errors: FOUILLE_EPARSE with a message for the user when the query has no
 * searchable word, FOUILLE_ETOOBIG (over the parser's limits),
 * FOUILLE_EINVAL (no out), FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_query_to_fts5(char **out, char **fallback, const char *query);

/* Writes into *out the OpenSearch / Elasticsearch search body (JSON,
 * indented) that asks that engine for what fouille_search would answer, as
 * closely as it allows (docs/opensearch.md lists what differs): the query
 * parsed by Fouille's own parser into a bool query (match and
 * match_phrase on title, boosted, and body; prefix; must_not), the
 * all-words form and a proximity phrase as bonuses, the since, until and
 * source filters (post_filter with facets, counted as aggregations), size
 * and from, the sort, and highlighting by sentence.
 * Needs no index. NULL options mean defaults. The caller frees *out with
 * free() (NULL on failure). Errors: those of fouille_search for the same
 * query and options (FOUILLE_EPARSE: no searchable word, a bad date;
 * FOUILLE_ETOOBIG; FOUILLE_EINVAL), FOUILLE_ENOMEM. */
/* Fouille's passages of any text for query (the user's text): what the
 * SQL function fouille_passages() gives for an indexed article, for hits
 * that come from elsewhere (an OpenSearch cluster fed by fouille-export:
 * pass the hit's stored body). Up to n_passages (0-100) passages of about
 * passage_length (1-100000) characters, as JSON:
 * [{"text":…,"highlights":[[start,end],…]}] (offsets in code points). Every
 * query term weighs 1, as in fouille_passages() (fouille_search weighs
 * them by their IDF in the index). The SQL function
 * fouille_passages_text(text, query, n, length) does the same. *out is
 * freed with free() (NULL on failure). Errors: FOUILLE_EPARSE (no
 * searchable word), FOUILLE_ETOOBIG, FOUILLE_EINVAL (no out, query or
 * text, n or length out of range), FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_passages_text(char **out, const char *query, const char *text,
                                         size_t len, int n_passages, int passage_length);

FOUILLE_EXTERN int fouille_search_opensearch_dsl(char **out, const char *query,
                                                 const fouille_search_options *options);

#ifdef __cplusplus
}
#endif
#endif
