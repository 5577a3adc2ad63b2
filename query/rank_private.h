/* Private: fouille_rank's constants, shared with the bounds that let
 * topk.c score exactly only the rows that may reach the top. */
#ifndef FOUILLE_RANK_PRIVATE_H
#define FOUILLE_RANK_PRIVATE_H

#include <stdint.h>

#include "query_private.h"
#include "sqlite_glue.h"

#define RANK_K1 1.2
#define RANK_B 0.75
#define RANK_TITLE_WEIGHT 4.0
#define RANK_PROXIMITY 0.4   /* share of the IDF sum when phrases are adjacent */
#define RANK_PROXIMITY_K 2.0 /* tokens of gap that halve the proximity bonus */
#define RANK_TITLE_BONUS 0.6 /* share of its IDF a phrase in the title earns */
#define RANK_ADJACENT 1.0    /* share of a pair's mean IDF when it stands as typed */
/* The lead: a phrase found in the body earns RANK_LEAD of its IDF when its
 * first instance there is the first token, half of that at RANK_LEAD_K
 * tokens, a third at twice RANK_LEAD_K... */
#define RANK_LEAD 0.5
#define RANK_LEAD_K 50.0
static inline double fouille__rank_lead(int o) {
  return RANK_LEAD * RANK_LEAD_K / (RANK_LEAD_K + (double)o);
}
/* Share of its IDF each phrase the row holds earns: k1 + 1, the most its
 * BM25 part can give. Any-word queries are ranked (search.c): a row missing
 * a word loses that word's BM25 part and as much again as its best match,
 * so rows holding every word come first unless the others match far better. */
#define RANK_COORDINATION (RANK_K1 + 1.0)

/* An instance of a phrase in a row: phrase, column, token offset. */
typedef struct fouille__inst {
  int p, c, o;
} fouille__inst;

/* A query's constants for fouille_rank and per-row scratch
 * (rank_score.c). weight defaults to RANK_TITLE_WEIGHT for the title
 * (column 0 when there are two or more), 1 for the others; idf, avg and
 * size are the caller's to fill. */
typedef struct fouille__rank_data {
  int n_phrase, n_col, title, body; /* title/body: column indexes or -1 */
  double *idf;                      /* per phrase */
  double *avg;                      /* per column: average length */
  double *weight;                   /* per column */
  double *tf;                       /* per phrase x column: instances in this row */
  int64_t *last;                    /* per phrase: last (column, offset) counted */
  int *size, *count;                /* per phrase: tokens; instances in the window */
  fouille__rank_hints *hints;       /* from the caller, or NULL */
  fouille__inst *inst;              /* a row's instances, inst_cap allocated */
  int inst_cap;
} fouille__rank_data;

/* sqlite3_malloc'd; NULL when out of memory. */
fouille__rank_data *fouille__rank_data_new(int n_phrase, int n_col);
void fouille__rank_data_free(void *d);
/* Room for n instances in d->inst: SQLITE_OK or SQLITE_NOMEM. */
int fouille__rank_data_reserve(fouille__rank_data *d, int n);
/* BM25's IDF of a phrase held by df of rows rows. */
double fouille__rank_idf(double rows, double df);
/* The weight of phrase p of n_phrase from the hints (1 without). */
double fouille__rank_weight(const fouille__rank_hints *h, int p, int n_phrase);
/* The row's score (higher is better) from its instances, sorted by column,
 * offset, then phrase (xInst's order), and its column sizes in tokens. */
double fouille__rank_row(fouille__rank_data *d, const fouille__inst *v, int n, const int *col_size);

/* Registers fouille__rank_bounds() (rank_bounds.c). */
int fouille__rank_bounds_register(fts5_api *api);

#endif
