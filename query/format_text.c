/* The plain-text form of search results for terminals and pipes: one
 * header line per hit, indented passages with the matched words marked,
 * and the total. Stored text is hostile: control characters are blanked
 * so that an article cannot drive the terminal. */
#include <string.h>

#include "error.h"
#include <stdio.h>

#include "fouille/query.h"
#include "query_private.h"

#define HL_ON "\033[1;33m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define OFF "\033[0m"

/* Writes n bytes of s with control characters (newlines too) as spaces. */
static void put_clean(FILE *out, const char *s, size_t n) {
  for (size_t i = 0; i < n && s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
    fputc(c < 0x20 || c == 0x7F ? ' ' : c, out);
  }
}

static void put_str(FILE *out, const char *s) {
  if (s) put_clean(out, s, strlen(s));
}

static void print_header(FILE *out, const fouille_hit *h, size_t rank, int color) {
  fprintf(out, "%zu. %s", rank, color ? BOLD : "");
  put_str(out, h->title && *h->title ? h->title : "(sans titre)");
  fputs(color ? OFF DIM : "", out);
  const char *meta[] = {h->date, h->source, h->key};
  for (size_t i = 0; i < 3; i++)
    if (meta[i] && *meta[i]) fputs(" — ", out), put_str(out, meta[i]);
  fputs(color ? OFF "\n" : "\n", out);
}

static void print_passage(FILE *out, const fouille_passage *p, int color) {
  size_t at = 0, len = strlen(p->text);
  fputs("   ", out);
  for (size_t i = 0; i < p->n_spans; i++) {
    const fouille_span *sp = &p->spans[i];
    if (sp->start < at || sp->end > len || sp->end < sp->start) continue; /* bad span: skip */
    put_clean(out, p->text + at, sp->start - at);
    fputs(color ? HL_ON : "[", out);
    put_clean(out, p->text + sp->start, sp->end - sp->start);
    fputs(color ? OFF : "]", out);
    at = sp->end;
  }
  put_clean(out, p->text + at, len - at);
  fputc('\n', out);
}

/* "source: AFP 21, Reuters 3" per facet asked for. */
static void print_facets(FILE *out, const fouille_results *res) {
  for (unsigned i = 0; i < FOUILLE__FACET_COUNT; i++) {
    size_t n;
    const fouille_facet_value *v = fouille_results_facet(res, (fouille_facet)(1u << i), &n);
    if (!v) continue;
    fprintf(out, "%s:", fouille__facet_names[i]);
    for (size_t j = 0; j < n; j++) {
      fputs(j ? ", " : " ", out);
      put_str(out, v[j].value);
      fprintf(out, " %llu", (unsigned long long)v[j].count);
    }
    fputc('\n', out);
  }
}

/* Typo tolerance, in French: the corrected query the hits come from, or
 * the one suggested. */
static void print_correction(FILE *out, const fouille_results *res, int color) {
  const char *fixed = fouille_results_did_you_mean(res);
  if (!fixed) return;
  fputs(fouille_results_corrected(res) ? "Résultats pour « " : "Vouliez-vous dire « ", out);
  fputs(color ? BOLD : "", out), put_str(out, fixed), fputs(color ? OFF : "", out);
  fputs(fouille_results_corrected(res) ? " » (au lieu de « " : " » ?\n\n", out);
  if (!fouille_results_corrected(res)) return;
  put_str(out, fouille_results_query(res));
  fputs(" », qui ne se trouve pas tel quel dans l’archive)\n\n", out);
}

FOUILLE_EXTERN int fouille_results_print_text(FILE *out, const fouille_results *res,
                                              size_t first_rank, int color) {
  size_t n = fouille_results_count(res);
  print_correction(out, res, color);
  for (size_t i = 0; i < n; i++) {
    const fouille_hit *h = fouille_results_hit(res, i);
    print_header(out, h, first_rank + i, color);
    for (size_t k = 0; k < h->n_passages; k++) print_passage(out, &h->passages[k], color);
    fputc('\n', out);
  }
  uint64_t total = fouille_results_total(res);
  fprintf(out, "%llu matching article%s\n", (unsigned long long)total, total == 1 ? "" : "s");
  if (fouille_results_fallback(res))
    fputs("(no article holds every word: showing articles with any of them)\n", out);
  print_facets(out, res);
  if (fflush(out) || ferror(out)) return fouille__error(FOUILLE_EIO, "cannot write the results");
  return FOUILLE_OK;
}

FOUILLE_EXTERN int fouille_results_print_keys(FILE *out, const fouille_results *res) {
  for (size_t i = 0; i < fouille_results_count(res); i++) {
    put_str(out, fouille_results_hit(res, i)->key);
    fputc('\n', out);
  }
  if (fflush(out) || ferror(out)) return fouille__error(FOUILLE_EIO, "cannot write the results");
  return FOUILLE_OK;
}
