/* Picks the corrections of a query (docs/query-language.md#typo-tolerance).
 * The words that may be corrected are the searchable words of 5 letters
 * or more (not excluded, not prefixes, not stop words, no digits):
 * - unknown: none of its index terms is in the index. It is corrected to
 *   a lexicon word within its budget of edits (spell_costs.c), and the
 *   hits come from the corrected query;
 * - unwritten (looked at only when the query as typed finds no article
 *   holding every word): its stem is in the index but no article writes
 *   the word itself ("longes", "polies"). It is corrected when that
 *   makes an article hold every word;
 * - rare: in at most RARE_DF articles while a word one cheap slip away is
 *   in RARE_RATIO times more (and RARE_MIN at least): a suggestion only,
 *   the hits stay those of the query as typed.
 * Candidates of the same stem count once, and never the typed word's own
 * stem; they are ranked by cost, then by articles, and among those costing
 * at most SLACK more than the best, the first whose corrected query finds
 * articles holding every word wins. A query whose words are all written in
 * the archive and not rare never changes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "lexicon.h"
#include "query_private.h"
#include "spell_private.h"

#define MAX_WORDS 16 /* words of a query looked at (the first ones) */
#define PER_WORD 3   /* candidates of distinct stems kept per word */
#define TRIES 6      /* corrected queries tried for articles, at most */
#define SLACK 40     /* how much more than the best a candidate may cost to be tried */
#define RARE_DF 2
#define RARE_RATIO 20
#define RARE_MIN 10
#define RARE_COST 60

enum { K_NONE, K_UNKNOWN, K_UNWRITTEN, K_RARE }; /* what a word is (see above) */

typedef struct qword {
  size_t start, end; /* the word as typed (after an elided article), bytes of the query */
  char term[FOUILLE_TERM_MAX + 1], alt[FOUILLE_TERM_MAX + 1];
  char word[FOUILLE__LEX_WORD_MAX + 1]; /* folded */
  int word_len, kind, n_cand, pick;
  double df;
  fouille__spell_cand cand[PER_WORD]; /* distinct stems, best first */
} qword;

typedef struct speller {
  fouille__spell_env *env;
  const fouille__spell_lexicon *lex;
  int context, lex_asked; /* looking at unwritten words; the lexicon was asked for */
  const char *q;
  size_t len, tok; /* the query; where the token being analysed starts */
  qword w[MAX_WORDS];
  int n, open; /* words; whether the last one may still get its colocated term */
} speller;

/* ---- The words of the query ------------------------------------------------------------ */

/* Length of the word character at p (as parse.c: letters, digits, ', _,
 * any non-ASCII byte of a valid sequence), 0 when p is not one. */
static size_t word_char(const char *p, const char *end) {
  unsigned char c = (unsigned char)*p;
  if (c < 0x80)
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '\'' ||
           c == '_';
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (!n || (size_t)(end - p) < n) return 0;
  for (size_t i = 1; i < n; i++)
    if (((unsigned char)p[i] & 0xC0) != 0x80) return 0;
  return n;
}

/* A run of word characters, with inner hyphens, dots and slashes. */
static const char *scan_word(const char *p, const char *end) {
  for (;;) {
    size_t n = p < end ? word_char(p, end) : 0;
    if (n)
      p += n;
    else if (p + 1 < end && (*p == '-' || *p == '.' || *p == '/') && word_char(p + 1, end))
      p++;
    else
      return p;
  }
}

/* Past the unit an excluding '-' applies to: a phrase, a group, a word. */
static const char *skip_unit(const char *p, const char *end) {
  if (*p == '"') {
    const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
    return q ? q + 1 : end;
  }
  if (*p == '(') {
    int depth = 0;
    for (; p < end; p++)
      if ((*p == '(' && ++depth) || (*p == ')' && --depth == 0)) return p + (*p == ')');
    return end;
  }
  p = scan_word(p, end);
  while (p < end && *p == '*') p++;
  return p;
}

static int is_column(const char *s, size_t n) {
  static const char *const names[] = {"title", "titre", "body", "texte"};
  for (size_t i = 0; i < 4; i++)
    if (n == strlen(names[i]) && strncasecmp(s, names[i], n) == 0) return 1;
  return 0;
}

static int on_term(int flags, const char *term, int len, int start, int end, void *payload) {
  speller *sp = payload;
  if (len > FOUILLE_TERM_MAX) len = FOUILLE_TERM_MAX;
  if (flags & FOUILLE_TERM_COLOCATED) {
    if (sp->open) memcpy(sp->w[sp->n - 1].alt, term, (size_t)len), sp->w[sp->n - 1].alt[len] = 0;
    return 0;
  }
  if (sp->n == MAX_WORDS) return 1;
  qword *w = &sp->w[sp->n++];
  memset(w, 0, sizeof *w);
  w->start = sp->tok + (size_t)start, w->end = sp->tok + (size_t)end, w->pick = -1;
  memcpy(w->term, term, (size_t)len), w->term[len] = '\0';
  sp->open = 1;
  return 0;
}

/* The words of the token [p, end) as the analyzer cuts them. */
static int add_token(speller *sp, const char *p, const char *end) {
  sp->tok = (size_t)(p - sp->q), sp->open = 0;
  int rc = fouille_analyzer_run(sp->env->analyzer, FOUILLE_ANALYZE_QUERY, p, (size_t)(end - p),
                                on_term, sp);
  sp->open = 0;
  return rc == FOUILLE_ENOMEM ? rc : FOUILLE_OK;
}

/* The words that may be corrected, in order (see the top of the file). */
static int read_words(speller *sp) {
  const char *p = sp->q, *end = sp->q + sp->len;
  int phrase = 0, rc = FOUILLE_OK;
  while (p < end && !rc && sp->n < MAX_WORDS) {
    if (*p == '"' || (!phrase && *p == '-' && p + 1 < end &&
                      (p[1] == '"' || p[1] == '(' || word_char(p + 1, end)))) {
      if (*p == '"') phrase = !phrase, p++;
      else p = skip_unit(p + 1, end);
      continue;
    }
    if (!word_char(p, end)) {
      p++;
      continue;
    }
    const char *w = scan_word(p, end);
    int column = !phrase && w < end && *w == ':' && is_column(p, (size_t)(w - p));
    int skip = column || (!phrase && ((w - p == 2 && !memcmp(p, "OR", 2)) || (w < end && *w == '*')));
    if (!skip) rc = add_token(sp, p, w);
    p = w + column;
    while (p < end && *p == '*') p++;
  }
  return rc;
}

/* ---- Which words to correct ------------------------------------------------------------- */

static int char_count(const char *s, int n) {
  int c = 0;
  for (int i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static const fouille__spell_lexicon *lexicon(speller *sp) {
  if (!sp->lex_asked) sp->lex = sp->env->lexicon(sp->env->payload, 1), sp->lex_asked = 1;
  return sp->lex;
}

/* Whether some article writes the word: the lexicon in memory tells when
 * it is loaded, else one row of it (a query whose words are all written
 * needs no lexicon in memory). 1, 0, -1 (cannot tell). */
static int written(speller *sp, const qword *w) {
  const fouille__spell_lexicon *lex =
      sp->lex_asked ? sp->lex : sp->env->lexicon(sp->env->payload, 0);
  if (lex) return fouille__spell_lexicon_find(lex, w->word, w->word_len) >= 0;
  if (sp->lex_asked) return -1;
  return fouille__spell_lexicon_written(sp->env->db, w->word, w->word_len);
}

/* The articles holding one of the word's index terms, -1 when unknown. */
static double word_df(speller *sp, const qword *w) {
  double df = sp->env->df(sp->env->payload, w->term), alt = 0;
  if (df == 0 && w->alt[0]) alt = sp->env->df(sp->env->payload, w->alt);
  return df < 0 || alt < 0 ? -1 : df > alt ? df : alt;
}

/* Sets w->kind (the index is asked only about words long enough to be
 * corrected, the lexicon only in context). */
static int classify(speller *sp, qword *w) {
  const char *s = sp->q + w->start;
  size_t n = w->end - w->start;
  char form[FOUILLE__LEX_WORD_MAX + 1];
  int form_len, rc;
  if (fouille__is_stopword(s, n)) return FOUILLE_OK;
  if ((rc = fouille__lex_spell(s, n, form, &form_len, w->word, &w->word_len)) <= 0) return rc;
  if (!fouille__spell_budget(char_count(w->word, w->word_len))) return FOUILLE_OK;
  if ((w->df = word_df(sp, w)) < 0) return FOUILLE_OK; /* cannot tell: left alone */
  if (w->df == 0)
    w->kind = K_UNKNOWN;
  else if (sp->context && written(sp, w) == 0)
    w->kind = K_UNWRITTEN;
  else if (!sp->context && w->df <= RARE_DF)
    w->kind = K_RARE;
  return FOUILLE_OK;
}

/* ---- Candidates ------------------------------------------------------------------------------ */

static const char *stem_of(const fouille__spell_lexicon *lex, uint32_t i, int *len) {
  *len = lex->stem_len[i];
  return lex->text + lex->stem[i];
}

static int same_term(const char *t, const char *s, int len) {
  return (int)strlen(t) == len && memcmp(t, s, (size_t)len) == 0;
}

/* For a rare word: whether the candidate's stem is far more common. */
static int far_more_common(speller *sp, const qword *w, uint32_t c) {
  char stem[FOUILLE_TERM_MAX + 1];
  int len;
  const char *s = stem_of(sp->lex, c, &len);
  double df = sp->lex->df[c];
  memcpy(stem, s, (size_t)len), stem[len] = '\0';
  double in_index = sp->env->df(sp->env->payload, stem);
  if (in_index > df) df = in_index;
  return df >= RARE_MIN && df >= RARE_RATIO * w->df;
}

/* Whether candidate c is worth keeping for w: another index term than the
 * typed word's and the ones kept, and for a rare word far more common. */
static int worth(speller *sp, const qword *w, const fouille__spell_cand *c) {
  int len;
  const char *stem = stem_of(sp->lex, c->word, &len);
  if (same_term(w->term, stem, len) || (w->alt[0] && same_term(w->alt, stem, len))) return 0;
  for (int k = 0; k < w->n_cand; k++) {
    int kl;
    const char *ks = stem_of(sp->lex, w->cand[k].word, &kl);
    if (kl == len && !memcmp(ks, stem, (size_t)len)) return 0;
  }
  return w->kind != K_RARE || far_more_common(sp, w, c->word);
}

static void candidates(speller *sp, qword *w) {
  fouille__spell_word sw;
  fouille__spell_cand c[FOUILLE__SPELL_CANDS];
  if (!fouille__spell_word_init(&sw, w->word, w->word_len)) return;
  if (w->kind == K_RARE && sw.budget > RARE_COST) sw.budget = RARE_COST;
  int n = fouille__spell_walk(sp->lex, &sw, c, FOUILLE__SPELL_CANDS);
  for (int i = 0; i < n && w->n_cand < PER_WORD; i++)
    if ((!w->n_cand || c[i].cost <= w->cand[0].cost + SLACK) && worth(sp, w, &c[i]))
      w->cand[w->n_cand++] = c[i];
}

/* ---- The corrected query ------------------------------------------------------------------------ */

/* The query with each picked word replaced by its candidate's form. */
static char *rewrite(const speller *sp) {
  const fouille__spell_lexicon *lex = sp->lex;
  size_t cap = sp->len + 1, at = 0, o = 0;
  for (int i = 0; i < sp->n; i++)
    if (sp->w[i].pick >= 0) cap += strlen(lex->text + lex->form[sp->w[i].cand[sp->w[i].pick].word]);
  char *t = malloc(cap);
  for (int i = 0; t && i < sp->n; i++) {
    const qword *w = &sp->w[i];
    if (w->pick < 0) continue;
    const char *f = lex->text + lex->form[w->cand[w->pick].word];
    memcpy(t + o, sp->q + at, w->start - at), o += w->start - at;
    memcpy(t + o, f, strlen(f)), o += strlen(f);
    at = w->end;
  }
  if (t) memcpy(t + o, sp->q + at, sp->len - at), t[o + sp->len - at] = '\0';
  return t;
}

/* Whether the query with the current picks finds an article holding every
 * word (*yes), *text set to it. */
static int try_picks(speller *sp, char **text, int *yes) {
  fouille__parsed p;
  *yes = 0;
  free(*text);
  if (!(*text = rewrite(sp))) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  int rc = fouille__query_parse(*text, &p);
  if (rc == FOUILLE_EPARSE) return FOUILLE_OK;
  if (!rc) rc = sp->env->finds(sp->env->payload, p.expr, yes);
  fouille__parsed_free(&p);
  return rc;
}

/* Picks a candidate for each word of the kind: the best of each, unless
 * another one (its word's others best first) finds articles holding every
 * word while the best does not. *text: the query so corrected; for an
 * unwritten or rare word, only a query that finds such articles. */
static int choose(speller *sp, int kind, char **text) {
  int yes = 0, tries = 1, rc, choice = 0;
  for (int i = 0; i < sp->n; i++) {
    sp->w[i].pick = sp->w[i].kind == kind && sp->w[i].n_cand ? 0 : -1;
    choice |= sp->w[i].pick == 0 && sp->w[i].n_cand > 1;
  }
  if (kind == K_UNKNOWN && !choice) /* one candidate each, taken whatever the index says */
    return (*text = rewrite(sp)) ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory");
  if ((rc = try_picks(sp, text, &yes)) || yes) return rc;
  for (int i = 0; i < sp->n && tries < TRIES; i++) {
    qword *w = &sp->w[i];
    for (int k = 1; w->pick >= 0 && k < w->n_cand && tries < TRIES; k++, tries++) {
      w->pick = k;
      if ((rc = try_picks(sp, text, &yes)) || yes) return rc;
    }
    if (w->pick >= 0) w->pick = 0;
  }
  if (kind != K_UNKNOWN) return free(*text), *text = NULL, FOUILLE_OK;
  free(*text); /* back to the best of each, already known to find none: no search again */
  return (*text = rewrite(sp)) ? FOUILLE_OK : fouille__error(FOUILLE_ENOMEM, "out of memory");
}

/* The kind of correction to make: unknown words first. */
static int kind_to_fix(speller *sp) {
  int any[K_RARE + 1] = {0};
  for (int i = 0; i < sp->n; i++) any[sp->w[i].kind] = 1;
  int kind = any[K_UNKNOWN] ? K_UNKNOWN : any[K_UNWRITTEN] ? K_UNWRITTEN : any[K_RARE] ? K_RARE : 0;
  if (!kind || !lexicon(sp)) return 0;
  int found = 0;
  for (int i = 0; i < sp->n; i++)
    if (sp->w[i].kind == kind) candidates(sp, &sp->w[i]), found |= sp->w[i].n_cand > 0;
  return found ? kind : 0;
}

int fouille__spell_correct(fouille__spell_env *env, const char *query, int context,
                           fouille__spelled *out) {
  speller *sp = calloc(1, sizeof *sp);
  int rc, kind = 0;
  memset(out, 0, sizeof *out);
  if (!sp) return fouille__error(FOUILLE_ENOMEM, "out of memory");
  sp->env = env, sp->q = query, sp->len = strlen(query), sp->context = context;
  rc = read_words(sp);
  for (int i = 0; !rc && i < sp->n; i++) rc = classify(sp, &sp->w[i]);
  if (!rc && (kind = kind_to_fix(sp))) rc = choose(sp, kind, &out->text);
  out->replace = out->text && kind != K_RARE;
  if (rc) free(out->text), out->text = NULL, out->replace = 0;
  free(sp);
  return rc;
}
