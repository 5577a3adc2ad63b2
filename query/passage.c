/* Passages: the body is analysed once to find the words that match the
 * query's terms (byte ranges as written; only the words whose terms may
 * start as a term does are stemmed), split into sentences, and the best
 * windows of one to three sentences become passages with highlight spans. */
#include <stdlib.h>
#include <string.h>

#include "analyzer_initials.h"
#include "buf.h"
#include "error.h"
#include "query_private.h"
#include "utf8.h"

#define MAX_TARGETS 256
#define WINDOW_SENTENCES 3
#define REPEAT_WEIGHT 0.3
#define REPEAT_CAP 3

typedef struct target {
  char term[FOUILLE_TERM_MAX];
  int len, qterm, prefix;
} target;

typedef struct hit {
  size_t start, end;
  int qterm;
} hit;

typedef struct window {
  size_t first, last; /* sentence indexes, inclusive */
  double score;
} window;

typedef struct ctx {
  target *targets;
  int n_targets, qterm, prefix;
  int exhaustive; /* every word analysed, not only those the targets may start */
  hit *hits;
  size_t n_hits, cap_hits;
  size_t n_terms;
  const fouille__qterm *terms;
  const double *idf;
  const char *body;
  size_t len;
  size_t *starts, *ends, *chars, *hfirst; /* per sentence */
  size_t n_sent;
  int length;
} ctx;

/* ---- Matching ------------------------------------------------------------ */

static int add_target(int flags, const char *term, int len, int start, int end, void *p) {
  ctx *c = p;
  (void)flags, (void)start, (void)end;
  if (c->n_targets >= MAX_TARGETS || len <= 0 || len > FOUILLE_TERM_MAX) return 0;
  target *t = &c->targets[c->n_targets++];
  memcpy(t->term, term, (size_t)len);
  t->len = len;
  t->qterm = c->qterm;
  t->prefix = c->prefix;
  return 0;
}

static int match(const ctx *c, const char *term, int len) {
  for (int i = 0; i < c->n_targets; i++) {
    const target *t = &c->targets[i];
    if (t->prefix ? len >= t->len && memcmp(term, t->term, (size_t)t->len) == 0
                  : len == t->len && memcmp(term, t->term, (size_t)len) == 0)
      return t->qterm;
  }
  return -1;
}

static int on_body_term(int flags, const char *term, int len, int start, int end, void *p) {
  ctx *c = p;
  if (c->n_hits > 0 && (size_t)start < c->hits[c->n_hits - 1].end)
    return 0; /* a colocated twin of a word already matched, or a piece of a
               * joined word (Wi-Fi found by wifi) already highlighted whole */
  (void)flags;
  int q = match(c, term, len);
  if (q < 0) return 0;
  if (c->n_hits == c->cap_hits) {
    size_t cap = c->cap_hits ? 2 * c->cap_hits : 64;
    hit *h = realloc(c->hits, cap * sizeof *h);
    if (!h) return FOUILLE_ENOMEM;
    c->hits = h, c->cap_hits = cap;
  }
  c->hits[c->n_hits++] = (hit){(size_t)start, (size_t)end, q};
  return 0;
}

static int find_hits(ctx *c, fouille_analyzer *an) {
  for (size_t i = 0; i < c->n_terms; i++) {
    if (c->terms[i].title_only || !c->terms[i].text) continue;
    c->qterm = (int)i;
    c->prefix = c->terms[i].prefix != 0;
    int rc = fouille_analyzer_run(an, c->prefix ? FOUILLE_ANALYZE_PREFIX : FOUILLE_ANALYZE_QUERY,
                                  c->terms[i].text, strlen(c->terms[i].text), add_target, c);
    if (rc) return rc;
  }
  if (c->n_targets == 0) return 0;
  if (c->exhaustive)
    return fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, c->body, c->len, on_body_term, c);
  /* A word matches a target only with a term starting as the target does:
   * the words that cannot give one go unstemmed (analyzer_initials.h). */
  fouille__initials in;
  memset(&in, 0, sizeof in);
  for (int i = 0; i < c->n_targets; i++)
    fouille__initials_add(&in, c->targets[i].term, (size_t)c->targets[i].len);
  return fouille__analyzer_run_initials(an, c->body, c->len, &in, on_body_term, c);
}

/* ---- Sentences ----------------------------------------------------------- */

static int is_ws(unsigned char b) { return b <= ' '; }

/* Whitespace and controls, collapsed to one space in passages. */
static int is_blank(unsigned char b) { return b <= ' ' || b == 0x7f; }

static size_t count_chars(const char *s, size_t a, size_t b) {
  return b > a ? fouille__utf8_count(s + a, b - a) : 0;
}

static int split_sentences(ctx *c) {
  size_t max = c->len / 64 + 16;
  for (;;) {
    size_t *s = realloc(c->starts, max * sizeof *s);
    if (!s) return FOUILLE_ENOMEM;
    c->starts = s;
    c->n_sent = fouille__sentences(c->body, c->len, s, max);
    if (c->n_sent <= max) break;
    max = c->n_sent;
  }
  size_t n = c->n_sent ? c->n_sent : 1;
  c->ends = malloc(n * sizeof(size_t));
  c->chars = malloc(n * sizeof(size_t));
  c->hfirst = malloc((n + 1) * sizeof(size_t));
  if (!c->ends || !c->chars || !c->hfirst) return FOUILLE_ENOMEM;
  size_t h = 0;
  for (size_t i = 0; i < c->n_sent; i++) {
    size_t e = i + 1 < c->n_sent ? c->starts[i + 1] : c->len;
    while (e > c->starts[i] && is_ws((unsigned char)c->body[e - 1])) e--;
    c->ends[i] = e;
    c->chars[i] = count_chars(c->body, c->starts[i], e);
    while (h < c->n_hits && c->hits[h].start < c->starts[i]) h++;
    c->hfirst[i] = h;
  }
  c->hfirst[c->n_sent] = c->n_hits;
  return 0;
}

/* ---- Windows --------------------------------------------------------------- */

/* A term's weight: its IDF (1 without), less for a request word. */
static double idf_of(const ctx *c, int q) {
  return (c->idf ? c->idf[q] : 1.0) * (c->terms[q].request ? FOUILLE__REQUEST_WEIGHT : 1.0);
}

/* IDF of the distinct terms in hits [a, b) plus a capped share for repeats. */
static double score_hits(const ctx *c, size_t a, size_t b, unsigned *counts) {
  double s = 0;
  for (size_t i = a; i < b; i++) {
    int q = c->hits[i].qterm;
    if (counts[q] == 0)
      s += idf_of(c, q);
    else if (counts[q] <= REPEAT_CAP)
      s += REPEAT_WEIGHT * idf_of(c, q);
    counts[q]++;
  }
  for (size_t i = a; i < b; i++) counts[c->hits[i].qterm] = 0;
  return s;
}

static size_t window_chars(const ctx *c, size_t first, size_t last) {
  size_t n = 0;
  for (size_t i = first; i <= last; i++) n += c->chars[i] + (i > first);
  return n;
}

static int cmp_window(const void *pa, const void *pb) {
  const window *a = pa, *b = pb;
  if (a->score != b->score) return a->score < b->score ? 1 : -1;
  size_t la = a->last - a->first, lb = b->last - b->first;
  if (la != lb) return la < lb ? -1 : 1;
  return a->first < b->first ? -1 : a->first > b->first;
}

/* Every window holding a match, scored, best first. */
static int rank_windows(const ctx *c, window **out, size_t *n_out) {
  window *w = NULL;
  size_t n = 0, cap = 0;
  unsigned *counts = calloc(c->n_terms ? c->n_terms : 1, sizeof *counts);
  if (!counts) return FOUILLE_ENOMEM;
  for (size_t i = 0; i < c->n_sent; i++) {
    for (size_t j = i; j < c->n_sent && j < i + WINDOW_SENTENCES; j++) {
      if (j > i && window_chars(c, i, j) > (size_t)c->length) break;
      if (c->hfirst[i] == c->hfirst[j + 1]) continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 64;
        window *nw = realloc(w, cap * sizeof *nw);
        if (!nw) {
          free(w), free(counts);
          return FOUILLE_ENOMEM;
        }
        w = nw;
      }
      double s = score_hits(c, c->hfirst[i], c->hfirst[j + 1], counts);
      s *= 1.0 + 0.05 * (1.0 - (double)c->hits[c->hfirst[i]].start / (double)c->len);
      w[n++] = (window){i, j, s};
    }
  }
  free(counts);
  if (n) qsort(w, n, sizeof *w, cmp_window);
  *out = w, *n_out = n;
  return 0;
}

/* Grows a chosen window with unused neighbours while it fits the length. */
static void extend(const ctx *c, window *w, unsigned char *used) {
  size_t n = window_chars(c, w->first, w->last);
  while (w->last + 1 < c->n_sent && !used[w->last + 1] &&
         n + 1 + c->chars[w->last + 1] <= (size_t)c->length)
    n += 1 + c->chars[++w->last], used[w->last] = 1;
  while (w->first > 0 && !used[w->first - 1] && n + 1 + c->chars[w->first - 1] <= (size_t)c->length)
    n += 1 + c->chars[--w->first], used[w->first] = 1;
}

/* ---- Text, cuts and highlight spans ----------------------------------------- */

/* Moves i by n code points (back when dir < 0) within [lo, hi]. */
static size_t walk(const char *s, size_t i, size_t n, int dir, size_t lo, size_t hi) {
  while (n > 0 && (dir < 0 ? i > lo : i < hi)) {
    i += dir;
    while (i > lo && i < hi && fouille__utf8_cont((unsigned char)s[i])) i += dir;
    n--;
  }
  return i;
}

typedef struct cursor {
  size_t byte, chr;
} cursor;

/* Advances k to byte `to`, counting code points, stopping past limit. */
static void advance(const char *s, cursor *k, size_t to, size_t limit) {
  while (k->byte < to && k->chr <= limit)
    k->chr += !fouille__utf8_cont((unsigned char)s[k->byte++]);
  while (k->byte < to && fouille__utf8_cont((unsigned char)s[k->byte])) k->byte++;
}

/* Cuts [*a, *b) to about length characters around its best hits, at spaces. */
static void cut(const ctx *c, size_t *a, size_t *b) {
  const char *s = c->body;
  size_t L = (size_t)c->length, hs = *a, he = *a, best = 0, h0 = 0, span = L > 8 ? L - 2 : L;
  while (h0 < c->n_hits && c->hits[h0].start < *a) h0++;
  cursor ci = {*a, 0}, cj = {*a, 0};
  for (size_t i = h0, j = h0; i < c->n_hits && c->hits[i].end <= *b; i++) {
    advance(s, &ci, c->hits[i].start, (size_t)-1);
    if (j < i) j = i, cj = ci;
    advance(s, &cj, c->hits[j].end, (size_t)-1);
    while (j + 1 < c->n_hits && c->hits[j + 1].end <= *b) {
      cursor t = cj;
      advance(s, &t, c->hits[j + 1].end, ci.chr + span);
      if (t.byte < c->hits[j + 1].end || t.chr - ci.chr > span) break;
      cj = t, j++;
    }
    if (j - i + 1 > best) best = j - i + 1, hs = c->hits[i].start, he = c->hits[j].end;
  }
  size_t used = count_chars(s, hs, he), room = used < L ? L - used : 0;
  size_t na = walk(s, hs, room / 3, -1, *a, *b);
  size_t nb = walk(s, he, room - count_chars(s, na, hs), 1, *a, *b);
  if (nb == *b) na = walk(s, hs, room - count_chars(s, he, nb), -1, *a, *b);
  if (na > *a) { /* start after a space, never inside a word */
    size_t k = na;
    while (k < hs && !is_ws((unsigned char)s[k - 1])) k++;
    na = k < hs ? k : hs;
  }
  if (nb < *b) {
    size_t k = nb;
    while (k > he && !is_ws((unsigned char)s[k])) k--;
    nb = k > he ? k : best ? he : nb; /* one giant word: cut it rather than lose it */
  }
  while (na < nb && is_ws((unsigned char)s[na])) na++;
  while (nb > na && is_ws((unsigned char)s[nb - 1])) nb--;
  *a = na, *b = nb;
}

/* Copies [a, b) collapsing whitespace, mending invalid UTF-8, mapping the
 * hits inside to spans of the new text. */
static int make_passage(const ctx *c, size_t a, size_t b, int cut_a, int cut_b,
                        fouille_passage *p) {
  const char *s = c->body;
  size_t h = 0, nh = 0, k;
  while (h < c->n_hits && c->hits[h].start < a) h++;
  for (k = h; k < c->n_hits && c->hits[k].end <= b; k++) nh++;
  fouille__buf o = FOUILLE__BUF_INIT;
  fouille__buf_reserve(&o, 3 * (b - a) + 6); /* U+FFFD for every byte, two "…" */
  fouille_span *sp = malloc((nh ? nh : 1) * sizeof *sp);
  if (cut_a) fouille__buf_add(&o, "\xe2\x80\xa6", 3);
  size_t ns = 0, i = a;
  while (sp && i <= b) {
    if (ns < nh && c->hits[h + ns].end == i) sp[ns++].end = o.len;
    if (ns < nh && c->hits[h + ns].start == i) sp[ns].start = o.len;
    if (i == b) break;
    size_t n = fouille__utf8_len(s + i, b - i);
    if (n == 0) {
      fouille__buf_add(&o, "\xef\xbf\xbd", 3), i++;
    } else if (is_blank((unsigned char)s[i])) {
      while (i < b && is_blank((unsigned char)s[i]) && !(ns < nh && c->hits[h + ns].start == i))
        i++;
      fouille__buf_putc(&o, ' ');
    } else {
      fouille__buf_add(&o, s + i, n), i += n;
    }
  }
  if (cut_b) fouille__buf_add(&o, "\xe2\x80\xa6", 3);
  char *text = fouille__buf_detach(&o, NULL);
  if (!text || !sp) {
    free(text), free(sp);
    return fouille__error(FOUILLE_ENOMEM, "passage: out of memory");
  }
  *p = (fouille_passage){FOUILLE_PASSAGE_VERSION, text, ns, sp};
  return 0;
}

/* Turns a window into a passage, cut when longer than the length. */
static int emit(const ctx *c, const window *w, fouille_passage *p) {
  size_t a = c->starts[w->first], b = c->ends[w->last];
  if (count_chars(c->body, a, b) > (size_t)c->length) cut(c, &a, &b);
  return make_passage(c, a, b, a > c->starts[w->first], b < c->ends[w->last], p);
}

/* ---- Entry points ------------------------------------------------------------- */

void fouille__passages_free(fouille_passage *passages, size_t n) {
  if (!passages) return;
  for (size_t i = 0; i < n; i++) {
    free((char *)passages[i].text);
    free((fouille_span *)passages[i].spans);
  }
  free(passages);
}

static int choose(ctx *c, int n_passages, fouille_passage *out, size_t *n_out) {
  window *w = NULL;
  size_t nw = 0;
  unsigned char *used = calloc(c->n_sent, 1);
  int rc = used ? rank_windows(c, &w, &nw) : FOUILLE_ENOMEM;
  if (rc) goto done;
  if (nw == 0) { /* no match in the body: the opening stands in */
    window first = {0, 0, 0};
    used[0] = 1;
    extend(c, &first, used);
    rc = emit(c, &first, &out[0]);
    *n_out = rc ? 0 : 1;
    goto done;
  }
  size_t k = 0; /* pick first, then grow, so that growing hides no match */
  for (size_t i = 0; i < nw && k < (size_t)n_passages; i++) {
    size_t j = w[i].first;
    while (j <= w[i].last && !used[j]) j++;
    if (j <= w[i].last) continue;
    memset(used + w[i].first, 1, w[i].last - w[i].first + 1);
    w[k++] = w[i];
  }
  for (size_t i = 0; i < k; i++) {
    extend(c, &w[i], used);
    if ((rc = emit(c, &w[i], &out[*n_out])) != 0) goto done;
    (*n_out)++;
  }
done:
  free(w), free(used);
  return rc;
}

static int make(ctx *c, fouille_analyzer *an, int n_passages, fouille_passage **out,
                size_t *n_out) {
  *out = NULL, *n_out = 0;
  if (!c->body || c->len == 0 || n_passages <= 0) return FOUILLE_OK;
  int rc = FOUILLE_ENOMEM;
  fouille_passage *res = calloc((size_t)n_passages, sizeof *res);
  c->targets = malloc(MAX_TARGETS * sizeof *c->targets);
  if (!res || !c->targets) goto done;
  if ((rc = find_hits(c, an)) != 0 || (rc = split_sentences(c)) != 0) goto done;
  if (c->n_sent > 0) rc = choose(c, n_passages, res, n_out);
done:
  if (rc == FOUILLE_ENOMEM) fouille__error(rc, "passages: out of memory");
  if (rc)
    fouille__passages_free(res, *n_out), *n_out = 0;
  else
    *out = res;
  free(c->targets), free(c->hits), free(c->starts), free(c->ends), free(c->chars), free(c->hfirst);
  return rc;
}

int fouille__passages_make(fouille_analyzer *an, const char *body, size_t body_len,
                           const fouille__qterm *terms, const double *idf, size_t n_terms,
                           int n_passages, int passage_length, fouille_passage **out,
                           size_t *n_out) {
  ctx c = {.terms = terms, .idf = idf, .n_terms = n_terms, .body = body, .len = body_len};
  c.length = passage_length > 0 ? passage_length : 300;
  return make(&c, an, n_passages, out, n_out);
}

int fouille__passages_make_exhaustive(fouille_analyzer *an, const char *body, size_t body_len,
                                      const fouille__qterm *terms, const double *idf,
                                      size_t n_terms, int n_passages, int passage_length,
                                      fouille_passage **out, size_t *n_out) {
  ctx c = {.terms = terms, .idf = idf, .n_terms = n_terms, .body = body, .len = body_len};
  c.length = passage_length > 0 ? passage_length : 300;
  c.exhaustive = 1;
  return make(&c, an, n_passages, out, n_out);
}
