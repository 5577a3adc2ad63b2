/* Dates as written in articles (ISO 8601, RFC 2822, French "1er avril
 * 2023", "12/03/2024"…) normalised to ISO 8601 at their own precision.
 * Strict: anything not understood is refused (-1), never guessed. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

typedef struct cur {
  const char *p;
} cur;

typedef struct when {
  int y, m, d; /* m, d: 0 when absent */
  int has_time, hh, mi, ss;
  int has_zone, off; /* offset in minutes */
} when;

static int read_num(cur *c, int min_digits, int max_digits, int *v) {
  int n = 0, x = 0;
  while (n < max_digits && isdigit((unsigned char)c->p[n])) x = x * 10 + (c->p[n++] - '0');
  if (n < min_digits || isdigit((unsigned char)c->p[n])) return 0;
  c->p += n;
  *v = x;
  return 1;
}

static int eat(cur *c, char ch) {
  if (*c->p != ch) return 0;
  c->p++;
  return 1;
}

static void skip_spaces(cur *c) {
  for (;;) {
    if (*c->p == ' ' || *c->p == '\t')
      c->p++;
    else if ((unsigned char)c->p[0] == 0xC2 && (unsigned char)c->p[1] == 0xA0)
      c->p += 2;
    else
      break;
  }
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int valid(const when *w) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (w->y < 1000 || w->y > 9999) return 0;
  if (w->m && (w->m < 1 || w->m > 12)) return 0;
  if (w->d && (!w->m || w->d < 1 || w->d > mdays[w->m - 1] + (w->m == 2 && leap(w->y)))) return 0;
  if (w->has_time && (w->hh > 23 || w->mi > 59 || w->ss > 60)) return 0;
  if (w->has_zone && (w->off < -14 * 60 || w->off > 14 * 60)) return 0;
  return 1;
}

/* ±HH:MM, ±HHMM, ±HH, Z, or RFC 2822 names. */
static int read_zone(cur *c, when *w) {
  static const struct {
    const char *name;
    int off;
  } names[] = {{"UTC", 0},       {"GMT", 0},       {"UT", 0},        {"Z", 0},
               {"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60}, {"CDT", -5 * 60},
               {"MST", -7 * 60}, {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60},
               {"CET", 60},      {"CEST", 120}};
  if (*c->p == '+' || *c->p == '-') {
    int sign = *c->p == '-' ? -1 : 1, h, m = 0;
    c->p++;
    if (!read_num(c, 2, 2, &h)) {
      if (!read_num(c, 4, 4, &h)) return 0;
      m = h % 100, h /= 100;
    } else if (eat(c, ':') && !read_num(c, 2, 2, &m)) {
      return 0;
    }
    if (m > 59) return 0;
    w->has_zone = 1, w->off = sign * (h * 60 + m);
    return 1;
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t n = strlen(names[i].name);
    if (strncasecmp(c->p, names[i].name, n) == 0 && !isalpha((unsigned char)c->p[n])) {
      c->p += n;
      w->has_zone = 1, w->off = names[i].off;
      return 1;
    }
  }
  return 0;
}

/* HH:MM[:SS[.frac]] */
static int read_time(cur *c, when *w) {
  if (!read_num(c, 2, 2, &w->hh) || !eat(c, ':') || !read_num(c, 2, 2, &w->mi)) return 0;
  w->ss = 0;
  if (eat(c, ':')) {
    if (!read_num(c, 2, 2, &w->ss)) return 0;
    if (*c->p == '.' || *c->p == ',') {
      c->p++;
      if (!isdigit((unsigned char)*c->p)) return 0;
      while (isdigit((unsigned char)*c->p)) c->p++;
    }
  }
  w->has_time = 1;
  return 1;
}

/* YYYY[-MM[-DD[(T| )time[zone]]]], also YYYY/MM/DD. */
static int parse_iso(cur *c, when *w) {
  if (!read_num(c, 4, 4, &w->y)) return 0;
  char sep = *c->p;
  if (sep != '-' && sep != '/') return 1;
  c->p++;
  if (!read_num(c, 2, 2, &w->m)) return 0;
  if (*c->p != sep) return 1;
  c->p++;
  if (!read_num(c, 2, 2, &w->d)) return 0;
  if (sep == '/' || (*c->p != 'T' && *c->p != 't' && *c->p != ' ')) return 1;
  if (*c->p == ' ' && !isdigit((unsigned char)c->p[1])) return 1;
  c->p++;
  if (!read_time(c, w)) return 0;
  if (*c->p == ' ') c->p++;
  if (*c->p) read_zone(c, w);
  return 1;
}

/* A month name, French (with or without accents) or English, full or
 * abbreviated (with optional dot). Returns 1–12 or 0. */
static int read_month(cur *c) {
  static const char *names[] = {
      "janvier",   "01", "février",  "02", "fevrier",   "02", "mars",     "03", "avril",    "04",
      "mai",       "05", "juin",     "06", "juillet",   "07", "août",     "08", "aout",     "08",
      "septembre", "09", "octobre",  "10", "novembre",  "11", "décembre", "12", "decembre", "12",
      "janv",      "01", "févr",     "02", "fevr",      "02", "avr",      "04", "juil",     "07",
      "sept",      "09", "oct",      "10", "nov",       "11", "déc",      "12", "dec",      "12",
      "january",   "01", "february", "02", "march",     "03", "april",    "04", "june",     "06",
      "july",      "07", "august",   "08", "september", "09", "october",  "10", "november", "11",
      "december",  "12", "jan",      "01", "feb",       "02", "mar",      "03", "apr",      "04",
      "may",       "05", "jun",      "06", "jul",       "07", "aug",      "08", "sep",      "09",
      "fév",       "02", "fev",      "02"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i += 2) {
    size_t n = strlen(names[i]);
    /* strncasecmp folds ASCII only: "Décembre" with a capital É is rare. */
    if (strncasecmp(c->p, names[i], n) != 0) continue;
    const unsigned char *after = (const unsigned char *)c->p + n; /* in bounds: it matched */
    if (!isalpha(after[0]) && (after[0] < 0x80 || (after[0] == 0xC2 && after[1] == 0xA0))) {
      c->p += n;
      eat(c, '.');
      return (names[i + 1][0] - '0') * 10 + (names[i + 1][1] - '0');
    }
  }
  return 0;
}

static void skip_weekday(cur *c) {
  static const char *days[] = {"lundi",    "mardi",  "mercredi", "jeudi",     "vendredi", "samedi",
                               "dimanche", "monday", "tuesday",  "wednesday", "thursday", "friday",
                               "saturday", "sunday", "mon",      "tue",       "wed",      "thu",
                               "fri",      "sat",    "sun"};
  for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
    size_t n = strlen(days[i]);
    if (strncasecmp(c->p, days[i], n) == 0 && !isalpha((unsigned char)c->p[n])) {
      c->p += n;
      eat(c, '.');
      eat(c, ',');
      skip_spaces(c);
      return;
    }
  }
}

/* [weekday] D[er] month YYYY [[à] HH:MM[:SS] | HHhMM] [zone] (RFC 2822 and French). */
static int parse_words(cur *c, when *w) {
  skip_weekday(c);
  if (!read_num(c, 1, 2, &w->d)) return 0;
  if (w->d == 1 && strncasecmp(c->p, "er", 2) == 0) c->p += 2;
  skip_spaces(c);
  if (!(w->m = read_month(c))) return 0;
  skip_spaces(c);
  if (!read_num(c, 4, 4, &w->y)) return 0;
  skip_spaces(c);
  if (!*c->p) return 1;
  if (strncmp(c->p, "à ", 3) == 0) c->p += 3, skip_spaces(c);
  cur t = *c;
  if (read_num(&t, 1, 2, &w->hh) && (*t.p == 'h' || *t.p == 'H')) {
    /* French "10h30": local time without zone, the date alone is kept. */
    t.p++;
    read_num(&t, 2, 2, &w->mi);
    *c = t;
    return 1;
  }
  if (!read_time(c, w)) return 0;
  skip_spaces(c);
  if (*c->p) read_zone(c, w);
  return 1;
}

/* DD/MM/YYYY or DD.MM.YYYY (French order: day first). */
static int parse_numeric_dmy(cur *c, when *w) {
  if (!read_num(c, 1, 2, &w->d)) return 0;
  char sep = *c->p;
  if (sep != '/' && sep != '.' && sep != '-') return 0;
  c->p++;
  if (!read_num(c, 1, 2, &w->m) || !eat(c, sep) || !read_num(c, 4, 4, &w->y)) return 0;
  return 1;
}

static void format(const when *w, char *out, size_t out_size) {
  if (!w->m)
    snprintf(out, out_size, "%04d", w->y);
  else if (!w->d)
    snprintf(out, out_size, "%04d-%02d", w->y, w->m);
  else if (!w->has_time || !w->has_zone)
    snprintf(out, out_size, "%04d-%02d-%02d", w->y, w->m, w->d);
  else if (w->off == 0)
    snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d:%02dZ", w->y, w->m, w->d, w->hh, w->mi,
             w->ss);
  else
    snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", w->y, w->m, w->d, w->hh,
             w->mi, w->ss, w->off < 0 ? '-' : '+', (w->off < 0 ? -w->off : w->off) / 60,
             (w->off < 0 ? -w->off : w->off) % 60);
}

int fouille__date_normalize(const char *in, char *out, size_t out_size) {
  if (out && out_size) out[0] = '\0';
  if (!in || !out || out_size < 32) return -1;
  int (*parsers[])(cur *, when *) = {parse_iso, parse_numeric_dmy, parse_words};
  cur start = {in};
  skip_spaces(&start);
  for (size_t i = 0; i < sizeof parsers / sizeof parsers[0]; i++) {
    when w = {0};
    cur c = start;
    if (!parsers[i](&c, &w)) continue;
    skip_spaces(&c);
    if (*c.p || !valid(&w)) continue;
    if (w.ss == 60) w.ss = 59; /* a leap second: keep it valid ISO */
    format(&w, out, out_size);
    return 0;
  }
  return -1;
}
