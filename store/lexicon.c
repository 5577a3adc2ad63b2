/* The lexicon's rows and words (lexicon.h): how a written word is spelled
 * in the lexicon, and the encoding of the entries a row holds, shared by
 * the indexer that writes them and the query engine that reads them. */
#include "lexicon.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "error.h"

/* ---- Varints ------------------------------------------------------------------------ */

static void put_bytes(fouille__lex_writer *w, const void *p, size_t n) {
  if (w->oom) return;
  if (w->len + n > w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 1024;
    while (cap < w->len + n) cap *= 2;
    unsigned char *b = realloc(w->buf, cap);
    if (!b) {
      w->oom = 1;
      return;
    }
    w->buf = b, w->cap = cap;
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
}

/* Makes room for n more bytes: 0, or -1 (w->oom set). */
static int room(fouille__lex_writer *w, size_t n) {
  if (w->oom) return -1;
  if (w->len + n <= w->cap) return 0;
  size_t cap = w->cap ? w->cap * 2 : 1024;
  while (cap < w->len + n) cap *= 2;
  unsigned char *b = realloc(w->buf, cap);
  if (!b) return w->oom = 1, -1;
  w->buf = b, w->cap = cap;
  return 0;
}

/* Writes v where room was made for it. */
static void put_varint(fouille__lex_writer *w, unsigned long long v) {
  while (v >= 0x80) w->buf[w->len++] = (unsigned char)(v | 0x80), v >>= 7;
  w->buf[w->len++] = (unsigned char)v;
}

/* Reads a varint at *p (before end) into *v: 1, or 0 when it runs out. */
static int get_varint(const unsigned char **p, const unsigned char *end, unsigned long long *v) {
  unsigned long long r = 0;
  for (int shift = 0; *p < end && shift < 64; shift += 7) {
    unsigned char b = *(*p)++;
    r |= (unsigned long long)(b & 0x7F) << shift;
    if (!(b & 0x80)) return *v = r, 1;
  }
  return 0;
}

/* ---- Writing ---------------------------------------------------------------------------- */

void fouille__lex_put(fouille__lex_writer *w, const char *word, int len, long long df,
                      long long plain, const char *stem, int stem_len,
                      const fouille__lex_form *forms, int n_forms) {
  int shared = 0;
  size_t need = 1 + 6 * 10 + (size_t)len + (size_t)stem_len;
  for (int i = 0; i < n_forms; i++) need += 20 + (size_t)forms[i].len;
  if (room(w, need)) return;
  if (w->len == 0) w->buf[w->len++] = FOUILLE__LEX_FORMAT, w->prev_len = 0;
  while (shared < len && shared < w->prev_len && word[shared] == w->prev[shared]) shared++;
  put_varint(w, (unsigned long long)shared);
  put_varint(w, (unsigned long long)(len - shared));
  put_bytes(w, word + shared, (size_t)(len - shared));
  put_varint(w, (unsigned long long)df);
  put_varint(w, (unsigned long long)plain);
  int prefix = stem_len <= len && memcmp(stem, word, (size_t)stem_len) == 0;
  put_varint(w, (unsigned long long)stem_len << 1 | (unsigned)!prefix);
  if (!prefix) put_bytes(w, stem, (size_t)stem_len);
  put_varint(w, (unsigned long long)n_forms);
  for (int i = 0; i < n_forms; i++) {
    put_varint(w, (unsigned long long)forms[i].len);
    put_bytes(w, forms[i].text, (size_t)forms[i].len);
    put_varint(w, (unsigned long long)forms[i].df);
  }
  memcpy(w->prev, word, (size_t)len);
  w->prev_len = len;
}

void fouille__lex_put_raw(fouille__lex_writer *w, const void *bytes, size_t n) {
  if (!room(w, n)) put_bytes(w, bytes, n);
}

void fouille__lex_put_copy(fouille__lex_writer *w, const void *bytes, size_t n, const char *word,
                           int len) {
  if (room(w, n + 1)) return;
  if (w->len == 0) w->buf[w->len++] = FOUILLE__LEX_FORMAT;
  put_bytes(w, bytes, n);
  memcpy(w->prev, word, (size_t)len);
  w->prev_len = len;
}

void fouille__lex_writer_reset(fouille__lex_writer *w) { w->len = 0, w->prev_len = 0; }

void fouille__lex_writer_free(fouille__lex_writer *w) {
  free(w->buf);
  memset(w, 0, sizeof *w);
}

/* ---- Reading ------------------------------------------------------------------------------ */

int fouille__lex_cursor_init(fouille__lex_cursor *c, const void *blob, int n) {
  memset(c, 0, sizeof *c);
  c->p = blob, c->end = c->p + (n > 0 ? n : 0);
  if (n < 1 || c->p[0] != FOUILLE__LEX_FORMAT) return -1;
  c->p++;
  return 0;
}

/* Skips n length-prefixed strings each followed by a varint. */
static int skip_forms(const unsigned char **p, const unsigned char *end, unsigned long long n) {
  unsigned long long len, df;
  for (; n > 0; n--) {
    if (!get_varint(p, end, &len) || len > (unsigned long long)(end - *p)) return 0;
    *p += len;
    if (!get_varint(p, end, &df)) return 0;
  }
  return 1;
}

int fouille__lex_cursor_next(fouille__lex_cursor *c) {
  fouille__lex_entry *e = &c->e;
  unsigned long long shared, rest, df, plain, stem, n_forms;
  if (c->p >= c->end) return 0;
  if (!get_varint(&c->p, c->end, &shared) || !get_varint(&c->p, c->end, &rest) ||
      shared > (unsigned long long)e->len || shared + rest > FOUILLE__LEX_WORD_MAX ||
      rest > (unsigned long long)(c->end - c->p))
    return -1;
  memcpy(e->word + shared, c->p, rest);
  c->p += rest;
  e->len = (int)(shared + rest), e->word[e->len] = '\0', e->shared = (int)shared;
  if (!get_varint(&c->p, c->end, &df) || !get_varint(&c->p, c->end, &plain) ||
      !get_varint(&c->p, c->end, &stem))
    return -1;
  e->df = (long long)df, e->plain = (long long)plain, e->stem_len = (int)(stem >> 1);
  if (stem & 1) {
    if ((unsigned long long)e->stem_len > (unsigned long long)(c->end - c->p)) return -1;
    e->stem = (const char *)c->p, c->p += e->stem_len;
  } else {
    if (e->stem_len > e->len) return -1;
    e->stem = e->word;
  }
  if (!get_varint(&c->p, c->end, &n_forms)) return -1;
  e->n_forms = (int)n_forms, e->forms = c->p;
  if (n_forms > 1000 || !skip_forms(&c->p, c->end, n_forms)) return -1;
  e->forms_end = c->p;
  return 1;
}

int fouille__lex_form_next(const fouille__lex_entry *e, const unsigned char **at,
                           fouille__lex_form *f) {
  unsigned long long len, df;
  if (*at >= e->forms_end || !get_varint(at, e->forms_end, &len) ||
      len > (unsigned long long)(e->forms_end - *at))
    return 0;
  f->text = (const char *)*at, f->len = (int)len;
  *at += len;
  if (!get_varint(at, e->forms_end, &df)) return 0;
  f->df = (long long)df;
  return 1;
}

/* ---- Spelling ------------------------------------------------------------------------------ */

static int is_wordy(utf8proc_int32_t cp) {
  utf8proc_category_t k = utf8proc_category(cp);
  return cp == '\'' || (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME);
}

/* Copies s (UTF-8, NUL-terminated) into out: apostrophes unified, and with
 * spell_out œ → oe, æ → ae. 1, or 0 when it holds something else than
 * letters, marks and apostrophes, or does not fit. *chars counts the
 * characters written. */
static int copy_word(const unsigned char *s, char *out, int *out_len, int spell_out, int *chars) {
  utf8proc_int32_t cp;
  int n = 0;
  *chars = 0;
  for (utf8proc_ssize_t k; *s; s += k, ++*chars) {
    if ((k = utf8proc_iterate(s, -1, &cp)) <= 0 || !is_wordy(cp)) return 0;
    if (cp == 0x2019 || cp == 0x02BC) cp = '\'';
    const char *sub = spell_out && cp == 0x153 ? "oe" : spell_out && cp == 0xE6 ? "ae" : NULL;
    *chars += sub != NULL;
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t m = sub ? 2 : utf8proc_encode_char(cp, enc);
    if (n + m > FOUILLE__LEX_WORD_MAX) return 0;
    memcpy(out + n, sub ? (const void *)sub : (const void *)enc, (size_t)m);
    n += (int)m;
  }
  out[n] = '\0', *out_len = n;
  return 1;
}

/* Spells w the long way, through utf8proc. */
static int spell_slow(const char *w, size_t n, char *form, int *form_len, char *word,
                      int *word_len) {
  utf8proc_uint8_t *f = NULL, *s = NULL;
  utf8proc_ssize_t r = 0;
  int chars = 0, ok = 0;
  if (n > 4 * FOUILLE__LEX_WORD_MAX) return 0;
  utf8proc_option_t o = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_IGNORE;
  if ((r = utf8proc_map((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &f,
                        o | UTF8PROC_CASEFOLD)) >= 0 &&
      (r = utf8proc_map(f, -1, &s, o | UTF8PROC_NULLTERM | UTF8PROC_STRIPMARK)) >= 0)
    ok = copy_word(f, form, form_len, 0, &chars) && copy_word(s, word, word_len, 1, &chars) &&
         chars >= FOUILLE__LEX_MIN_CHARS; /* the word's characters */
  free(f);
  free(s);
  return r == UTF8PROC_ERROR_NOMEM ? FOUILLE_ENOMEM : ok;
}

/* The letters of Latin-1 (U+00C0 to U+00FF) and œ, Œ, spelled once by
 * spell_slow: most French words hold no other non-ASCII letter, and
 * spelling them a letter at a time gives the same (no two of these
 * compose). */
typedef struct latin {
  char form[5], word[5];
  uint8_t form_len, word_len, ok;
} latin;

static latin latin_table[66]; /* 0 .. 63: U+00C0 + i; 64: Œ; 65: œ */
static pthread_once_t latin_once = PTHREAD_ONCE_INIT;

static void latin_init(void) {
  for (int i = 0; i < 66; i++) {
    unsigned cp = i < 64 ? 0xC0u + (unsigned)i : 0x152u + (unsigned)(i - 64);
    char in[8], form[FOUILLE__LEX_WORD_MAX + 1], word[FOUILLE__LEX_WORD_MAX + 1];
    int n = 0, fl = 0, wl = 0;
    in[n++] = (char)(0xC0 | cp >> 6), in[n++] = (char)(0x80 | (cp & 0x3F));
    memcpy(in + n, "aaaa", 4); /* long enough to be a word */
    latin *l = &latin_table[i];
    l->ok = spell_slow(in, 6, form, &fl, word, &wl) == 1 && fl - 4 <= 4 && wl - 4 <= 4;
    if (!l->ok) continue;
    memcpy(l->form, form, (size_t)fl - 4), l->form_len = (uint8_t)(fl - 4);
    memcpy(l->word, word, (size_t)wl - 4), l->word_len = (uint8_t)(wl - 4);
  }
}

/* The table entry of the character at w[i] (2 bytes), or NULL. */
static const latin *latin_at(const unsigned char *w, size_t i, size_t n) {
  if (i + 1 >= n || (w[i + 1] & 0xC0) != 0x80) return NULL;
  if (w[i] == 0xC3) return &latin_table[w[i + 1] - 0x80];
  if (w[i] == 0xC5 && (w[i + 1] == 0x92 || w[i + 1] == 0x93)) return &latin_table[w[i + 1] - 0x92 + 64];
  return NULL;
}

/* ASCII and Latin letters a character at a time: 1, 0 (left out), or -1
 * when the long way is needed. */
static int spell_latin(const char *w, size_t n, char *form, int *form_len, char *word,
                       int *word_len) {
  const unsigned char *u = (const unsigned char *)w;
  int fl = 0, wl = 0, chars = 0;
  pthread_once(&latin_once, latin_init);
  for (size_t i = 0; i < n;) {
    const latin *l = u[i] < 0x80 ? NULL : latin_at(u, i, n);
    if (u[i] < 0x80) {
      char c = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
      if (!((c >= 'a' && c <= 'z') || c == '\'')) return 0;
      if (fl >= FOUILLE__LEX_WORD_MAX || wl >= FOUILLE__LEX_WORD_MAX) return 0;
      form[fl++] = c, word[wl++] = c, i++;
      continue;
    }
    if (!l) return -1;
    if (!l->ok) return 0;
    if (fl + l->form_len > FOUILLE__LEX_WORD_MAX || wl + l->word_len > FOUILLE__LEX_WORD_MAX) return 0;
    memcpy(form + fl, l->form, l->form_len), fl += l->form_len;
    memcpy(word + wl, l->word, l->word_len), wl += l->word_len, i += 2;
  }
  form[fl] = word[wl] = '\0', *form_len = fl, *word_len = wl;
  for (int i = 0; i < wl; i++) chars += ((unsigned char)word[i] & 0xC0) != 0x80;
  return chars >= FOUILLE__LEX_MIN_CHARS; /* counted as copy_word does: in the word */
}

int fouille__lex_spell(const char *w, size_t n, char *form, int *form_len, char *word,
                       int *word_len) {
  int ok = spell_latin(w, n, form, form_len, word, word_len);
  return ok >= 0 ? ok : spell_slow(w, n, form, form_len, word, word_len);
}
