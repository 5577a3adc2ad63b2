/* The analysis part of the OpenSearch template: char filters, tokenizer and
 * token filters rebuilding fouille_fr from built-in components. Each table
 * it writes comes from the analyzer (export_tables.c) or from the query
 * engine's stop words; docs/opensearch-analysis.md explains each piece. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "alternatives.h"
#include "analyzer_private.h"
#include "export_tables.h"
#include "fouille/analyzer.h"
#include "opensearch_private.h"
#include "query_private.h"

/* Java regular expressions (OpenSearch's pattern_replace and keyword_marker
 * use java.util.regex). W: a character of a word for the analyzer's
 * segmentation (segment.c): letters, marks, digits. */
#define W "[\\p{L}\\p{M}\\p{Nd}\\p{Nl}]"
#define NOT_W "[^\\p{L}\\p{M}\\p{Nd}\\p{Nl}]"
#define CHAIN "[\\p{L}\\p{M}\\p{Nd}\\p{Nl}']"
#define HYPHEN "[-\\u2010\\u2011]"
#define GROUP_SPACE "[\\u00A0\\u202F\\u2009]"
#define LETTER "[\\p{Lu}\\p{Ll}]"
/* A piece and its hyphen, written out 7 times below: Java's look-behind
 * takes no repeated group of variable length. */
#define PIECE CHAIN "{1,64}" HYPHEN

/* The separators joins.c joins (turned into "_", which the standard
 * tokenizer keeps inside a word and word_delimiter_graph splits on, adding
 * the joined word): a hyphen between word characters in a chain of at most
 * 8 pieces holding a non-digit; a no-break, narrow no-break or thin space
 * between digit groups (1 to 3 digits, then groups of 3); the dot after a
 * single letter followed by another single letter (O.N.U.). */
static const char joins_pattern[] =
    HYPHEN "(?<=" W HYPHEN ")(?=" W ")(?<!" PIECE PIECE PIECE PIECE PIECE PIECE PIECE CHAIN
           "{1,64}" HYPHEN ")"
           "(?:(?<=[\\p{L}\\p{M}\\p{Nl}[\\p{Nd}&&[^0-9]]][-\\u2010\\u2011\\p{L}\\p{M}\\p{Nd}\\p{"
           "Nl}']{0,200})"
           "|(?=[-\\u2010\\u2011\\p{L}\\p{M}\\p{Nd}\\p{Nl}']{0,200}[\\p{L}\\p{M}\\p{Nl}[\\p{Nd}&&["
           "^0-9]]]))"
           "|" GROUP_SPACE "(?=[0-9]{3}(?!" W
           "))(?<=(?:^|[^\\p{L}\\p{M}\\p{Nd}\\p{Nl}\\u00A0\\u202F\\u2009]|(?:^|" NOT_W
           ")" GROUP_SPACE ")[0-9]{1,3}(?:" GROUP_SPACE "[0-9]{3}){0,6}" GROUP_SPACE ")"
           "|\\.(?=" LETTER "(?!" W "))(?<=(?:^|[^\\p{L}\\p{M}\\p{Nd}\\p{Nl}.]|(?:^|" NOT_W
           ")\\.)(?:" LETTER "\\.){0,6}" LETTER "\\.)";

/* Symbols the standard tokenizer makes emoji tokens of (or letters, for
 * the circled ones), which would leave a gap in the positions once removed:
 * the analyzer's segmentation skips them as separators (a superset of
 * Unicode's Extended_Pictographic, with the emoji variation selector and
 * the keycap, so that "1️⃣" is the digit 1 as in the analyzer). */
static const char symbols_pattern[] =
    "[\\u00A9\\u00AE\\u203C\\u2049\\u2122\\u2139\\u2190-\\u21FF\\u2300-\\u23FF\\u2460-\\u24FF"
    "\\u25A0-\\u27BF\\u2900-\\u297F\\u2B00-\\u2BFF\\u3030\\u303D\\u3297\\u3299\\uFE0E\\uFE0F\\u20E3"
    "\\x{1F000}-\\x{1FAFF}\\x{1FC00}-\\x{1FFFD}\\x{E0020}-\\x{E007F}]";

/* Characters the standard tokenizer (Unicode word boundaries) keeps inside
 * a word but the analyzer's segmentation treats as separators: MidLetter,
 * MidNum, MidNumLet and ExtendNumLet characters other than the apostrophe,
 * and format characters (joiners, directional marks, BOM). The dot, the
 * digit-group spaces and the hyphens are the joins' (fouille_dots). */
static const unsigned separators[] = {
    '_',    ':',    ',',    ';',    0x00B7, 0x0387, 0x2027, 0xFE13, 0xFE55, 0xFF1A, 0x037E,
    0x0589, 0x060C, 0x060D, 0x066C, 0x07F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C,
    0xFF1B, 0x2018, 0x2024, 0xFE52, 0xFF07, 0xFF0E, 0x203F, 0x2040, 0x2054, 0xFE33, 0xFE34,
    0xFE4D, 0xFE4E, 0xFE4F, 0xFF3F, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B,
    0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068,
    0x2069, 0x206A, 0x206B, 0x206C, 0x206D, 0x206E, 0x206F, 0xFEFF, 0x061C, 0x180E};

/* What fold.c and segment.c do to single characters: the apostrophes
 * U+2019 and U+02BC are ', the ligatures are expanded, a soft hyphen is
 * dropped, İ is i (check_opensearch checks each against the analyzer). */
const fouille__char_map fouille__opensearch_char_maps[] = {
    {0x2019, "'"},  {0x02BC, "'"}, {0x0153, "oe"}, {0x0152, "oe"}, {0x00E6, "ae"},
    {0x00C6, "ae"}, {0x00AD, ""},  {0x0130, "i"},  {0, NULL}};

static int char_mapped(unsigned c) {
  for (const fouille__char_map *m = fouille__opensearch_char_maps; m->from; m++)
    if (m->from == c) return 1;
  return 0;
}

/* Appends code point c to s as the mapping rules write it: ASCII letters,
 * digits and the apostrophe as they are, the rest as \uXXXX. */
static void put_char(char **s, unsigned c) {
  if (c == '\'' || (c < 0x80 && ((c | 0x20) - 'a' < 26 || c - '0' < 10)))
    *(*s)++ = (char)c;
  else
    *s += sprintf(*s, "\\u%04X", c);
}

/* Appends the rule "FROM => TO" (TO UTF-8; " " and "" written as escapes). */
static int add_rule(json_t *rules, const unsigned *from, size_t n, const char *to) {
  char buf[128], *s = buf;
  for (size_t i = 0; i < n; i++) put_char(&s, from[i]);
  s += sprintf(s, " => ");
  for (size_t i = 0, len = strlen(to); i < len;) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)to + i, (utf8proc_ssize_t)(len - i), &c);
    if (k <= 0) return -1;
    put_char(&s, (unsigned)c), i += (size_t)k;
  }
  return json_array_append_new(rules, json_stringn(buf, (size_t)(s - buf)));
}

/* A Latin letter followed by a combining mark (NFD text) -> the composed
 * letter: the analyzer applies NFC first. */
static int add_compositions(json_t *rules) {
  for (unsigned base = 'A'; base <= 'z'; base++) {
    if (base > 'Z' && base < 'a') continue;
    for (unsigned mark = 0x300; mark < 0x370; mark++) {
      utf8proc_uint8_t in[8], *out = NULL;
      utf8proc_ssize_t n = 1 + utf8proc_encode_char((utf8proc_int32_t)mark, in + 1);
      in[0] = (utf8proc_uint8_t)base;
      utf8proc_ssize_t m = utf8proc_map(in, n, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
      utf8proc_int32_t c = -1;
      int single = m > 0 && utf8proc_iterate(out, m, &c) == m;
      unsigned from[2] = {base, mark};
      int rc = single ? add_rule(rules, from, 2, (const char *)out) : 0;
      free(out);
      if (rc) return -1;
    }
  }
  return 0;
}

/* Whether c is in a Latin block, where the stemmer needs the accents. */
static int latin(unsigned c) {
  return c < 0x250 || (c >= 0x1E00 && c < 0x1F00) || (c >= 0x2C60 && c < 0x2C80) ||
         (c >= 0xA720 && c < 0xA800) || (c >= 0xAB30 && c < 0xAB70) || (c >= 0xFB00 && c < 0xFB07);
}

/* c mapped by utf8proc with opts, as UTF-8 into out (64 bytes). */
static void map_char(unsigned c, utf8proc_option_t opts, char *out) {
  utf8proc_uint8_t in[4], *m = NULL;
  utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)c, in);
  n = utf8proc_map(in, n, &m, opts);
  snprintf(out, 64, "%s", n >= 0 && m ? (const char *)m : "");
  free(m);
}

/* What the analyzer's normalisation does that Lucene's lower-casing does
 * not: full case folding (ß -> ss, µ -> μ, the ﬁ ligature -> fi) and, for
 * letters outside the Latin blocks, where Snowball French changes nothing,
 * the accent folding done before stemming rather than after (ά -> α,
 * ѓ -> г, ガ -> カ); marks are dropped (a mark after a Latin letter that has
 * a composed form is composed first, by the longer rules above). */
static int add_foldings(json_t *rules) {
  for (unsigned c = 0xA0; c < 0x10000; c++) {
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    int mark =
        cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
    if ((!mark && (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)) || char_mapped(c))
      continue;
    char folded[64], lower[64];
    map_char(c,
             UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                 (latin(c) && !mark ? 0 : UTF8PROC_STRIPMARK),
             folded);
    map_char((unsigned)utf8proc_tolower((utf8proc_int32_t)c), UTF8PROC_STABLE, lower);
    if (strcmp(folded, lower) != 0 && add_rule(rules, &c, 1, folded)) return -1;
  }
  return 0;
}

static json_t *char_filters(void) {
  json_t *chars = json_array(), *dots = json_array();
  for (size_t i = 0; chars && i < sizeof separators / sizeof separators[0]; i++)
    if (add_rule(chars, &separators[i], 1, " ")) return json_decref(chars), json_decref(dots), NULL;
  for (const fouille__char_map *m = fouille__opensearch_char_maps; chars && m->from; m++)
    if (add_rule(chars, &m->from, 1, m->to)) return json_decref(chars), json_decref(dots), NULL;
  static const unsigned dot[] = {'.', 0x202F};
  for (size_t i = 0; dots && i < 2; i++) add_rule(dots, &dot[i], 1, " ");
  if (!chars || !dots || add_compositions(chars) || add_foldings(chars))
    return json_decref(chars), json_decref(dots), NULL;
  return json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:o}, s:{s:s, s:s, s:s}, s:{s:s, s:o}}",
                   "fouille_symbols", "type", "pattern_replace", "pattern", symbols_pattern,
                   "replacement", " ", "fouille_chars", "type", "mapping", "mappings", chars,
                   "fouille_joins", "type", "pattern_replace", "pattern", joins_pattern,
                   "replacement", "_", "fouille_dots", "type", "mapping", "mappings", dots);
}

/* Appends "word => term", or adds the word to the last rule when it has
 * the same term ("a, b => term"): the rules come sorted by term. */
static int push_rule(void *ctx, const char *word, const char *term) {
  json_t *rules = ctx, *last = json_array_get(rules, json_array_size(rules) - 1);
  const char *s = last ? json_string_value(last) : NULL, *arrow = s ? strstr(s, " => ") : NULL;
  if (!arrow || strcmp(arrow + 4, term) != 0) arrow = NULL, last = NULL;
  size_t keys = arrow ? (size_t)(arrow - s) : 0, size = keys + strlen(word) + strlen(term) + 8;
  char *buf = malloc(size);
  if (!buf) return FOUILLE_ENOMEM;
  if (arrow)
    snprintf(buf, size, "%.*s, %s => %s", (int)keys, s, word, term);
  else
    snprintf(buf, size, "%s => %s", word, term);
  int rc = last ? json_string_set(last, buf) : json_array_append_new(rules, json_string(buf));
  free(buf);
  return rc ? FOUILLE_ENOMEM : 0;
}

static json_t * override(fouille__rule_kind kind) {
  json_t *rules = json_array();
  if (!rules || fouille__export_rules(kind, push_rule, rules)) return json_decref(rules), NULL;
  return json_pack("{s:s, s:o}", "type", "stemmer_override", "rules", rules);
}

static json_t *replace(const char *pattern, const char *replacement) {
  return json_pack("{s:s, s:s, s:s}", "type", "pattern_replace", "pattern", pattern, "replacement",
                   replacement);
}

static json_t *elision(void) {
  json_t *articles = json_array();
  for (size_t i = 0; articles && fouille__elision_article(i); i++)
    json_array_append_new(articles, json_string(fouille__elision_article(i)));
  return json_pack("{s:s, s:b, s:o}", "type", "elision", "articles_case", 1, "articles", articles);
}

static int by_string(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The terms of the stop words (the query engine drops those words from
 * bag-of-words queries; phrases keep them). */
static json_t *stop(void) {
  char terms[256][64];
  const char *sorted[256] = {NULL};
  size_t n = 0;
  for (const char *w; n < 256 && (w = fouille__stopword_at(n)); n++) {
    if (fouille__export_term(w, strlen(w), terms[n], sizeof terms[n])) return NULL;
    sorted[n] = terms[n];
  }
  qsort(sorted, n, sizeof *sorted, by_string);
  json_t *list = json_array();
  for (size_t i = 0; list && i < n; i++)
    if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
      json_array_append_new(list, json_string(sorted[i]));
  return json_pack("{s:s, s:o, s:b}", "type", "stop", "stopwords", list, "ignore_case", 0);
}

/* -trice -> -teur, -ive -> -if… (alternatives.c), one pattern_replace each,
 * named fouille_feminine_1… into filters; their names, comma-separated,
 * into names. */
static int feminines(json_t *filters, char *names, size_t size) {
  const fouille__suffix_rule *r;
  names[0] = '\0';
  for (size_t i = 0; (r = fouille__feminine_rule_at(i)); i++) {
    char name[32], pattern[128], to[32];
    snprintf(name, sizeof name, "fouille_feminine_%zu", i + 1);
    snprintf(pattern, sizeof pattern, "^(?=\\P{Nd}{5,64}$)(?!ma%s$)(.{%zu,})%s$", r->from,
             r->min_base, r->from);
    snprintf(to, sizeof to, "$1%s", r->to);
    if (json_object_set_new(filters, name, replace(pattern, to))) return -1;
    size_t used = strlen(names);
    snprintf(names + used, size - used, "%s%s", used ? ", " : "", name);
  }
  return 0;
}

/* The word's branches, each giving one term at the word's position; the
 * multiplexer drops repeated terms. Every branch starts with the over-stemmed
 * words, which get their own term and so no alternative. */
/* Snowball French before 2.0 (Lucene 8) stems ë and ï as vowels; since 2.0
 * (libstemmer 2.2.0, Lucene 9 and later) it marks them with an H, a
 * consonant: "mosaïque" -> "mosa", not "mosaïqu". Writing ï as Hi and ë as
 * He before stemming, and dropping the H after, gives the newer stems with
 * either stemmer (the newer one drops its H itself). Except before Snowball's
 * i-verb endings (and at the end), which the newer stemmer keeps after its
 * H ("maïs", "haïr", "thaï") while the older one would take them off. */
#define STEM "fouille_diaeresis_i, fouille_diaeresis_e, fouille_snowball, fouille_unmark"

static json_t *multiplexer(const char *feminine_names) {
  char feminine[512];
  snprintf(feminine, sizeof feminine, "lowercase, fouille_over_stemmed, %s, " STEM ", asciifolding",
           feminine_names);
  return json_pack(
      "{s:s, s:b, s:[s, s, s, s, s, s, s]}", "type", "multiplexer", "preserve_original", 0,
      "filters", "lowercase, fouille_over_stemmed, " STEM ", asciifolding",
      "lowercase, fouille_over_stemmed, asciifolding, fouille_plural_s, fouille_plural_x, "
      "" STEM ", asciifolding",
      "lowercase, fouille_over_stemmed, fouille_apostrophe, " STEM ", asciifolding",
      "fouille_acronym_plural, lowercase, fouille_over_stemmed, " STEM ", asciifolding",
      "lowercase, fouille_over_stemmed, fouille_irregular, " STEM ", asciifolding", feminine,
      "lowercase, fouille_over_stemmed, fouille_verb_forms, " STEM ", asciifolding");
}

/* A word of one piece gets its alternatives; a word joined from pieces
 * (word_delimiter_graph's catenation, spanning positions) its stem only. */
static json_t *conditions(json_t *filters) {
  json_t *words =
      json_pack("{s:s, s:[s], s:{s:s}}", "type", "condition", "filter", "fouille_alternatives",
                "script", "source", "token.getPositionLength() == 1");
  json_t *joined = json_pack("{s:s, s:[s, s, s, s, s, s, s], s:{s:s}}", "type", "condition",
                             "filter", "lowercase", "fouille_over_stemmed", "fouille_diaeresis_i",
                             "fouille_diaeresis_e", "fouille_snowball", "fouille_unmark",
                             "asciifolding", "script", "source", "token.getPositionLength() > 1");
  if (json_object_set_new(filters, "fouille_words", words)) return NULL;
  if (json_object_set_new(filters, "fouille_joined", joined)) return NULL;
  return filters;
}

static json_t *pieces(void) {
  return json_pack("{s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:[s]}", "type",
                   "word_delimiter_graph", "generate_word_parts", 1, "generate_number_parts", 1,
                   "catenate_all", 1, "catenate_words", 0, "catenate_numbers", 0,
                   "split_on_case_change", 0, "split_on_numerics", 0, "stem_english_possessive", 0,
                   "preserve_original", 0, "type_table", "' => ALPHA");
}

static const char diaeresis_i[] =
    "\\u00EF(?!(?:ra|e|es|ez|r|rai|raient|rais|rait|ras|rent|rez|riez|rions|rons|ront|s|"
    "ssaient|ssais|ssait|ssant|ssante|ssantes|ssants|sse|ssent|sses|ssez|ssiez|ssions|ssons|t|)$)";

static json_t *token_filters(void) {
  char names[256];
  json_t *f = json_pack(
      "{s:{s:s, s:[s], s:s}, s:o, s:o, s:{s:s, s:s}, s:o, s:o, s:o, s:{s:s, s:s}, s:o, s:o, "
      "s:o, s:o}",
      "fouille_no_emoji", "type", "keep_types", "types", "<EMOJI>", "mode", "exclude",
      "fouille_pieces", pieces(), "fouille_elision", elision(), "fouille_unstemmed", "type",
      "keyword_marker", "keywords_pattern", ".*\\p{Nd}.*|.{101,}", "fouille_over_stemmed",
      override(FOUILLE__RULES_OVER_STEMMED), "fouille_irregular",
      override(FOUILLE__RULES_IRREGULAR), "fouille_verb_forms", override(FOUILLE__RULES_VERB_FORMS),
      "fouille_snowball", "type", "snowball", "language", "French", "fouille_plural_s",
      replace("^(\\P{Nd}{3,}[aiou])s$", "$1"), "fouille_plural_x",
      replace("^(\\P{Nd}{2,}u)x$", "$1"), "fouille_apostrophe",
      replace("^(?=.{1,64}$)(\\P{Nd}*?)'(\\P{Nd}*?)(?:'(\\P{Nd}*))?$", "$1$2$3"),
      "fouille_acronym_plural", replace("^([A-Z]{2,63})s$", "$1"));
  if (!f || json_object_set_new(f, "fouille_diaeresis_i", replace(diaeresis_i, "Hi")) ||
      json_object_set_new(f, "fouille_diaeresis_e", replace("\\u00EB", "He")) ||
      json_object_set_new(f, "fouille_unmark", replace("H", "")) ||
      feminines(f, names, sizeof names) ||
      json_object_set_new(f, "fouille_alternatives", multiplexer(names)) || !conditions(f) ||
      json_object_set_new(
          f, "fouille_truncate",
          json_pack("{s:s, s:i}", "type", "truncate", "length", FOUILLE_TERM_MAX)) ||
      json_object_set_new(f, "fouille_stop", stop()))
    return json_decref(f), NULL;
  return f;
}

static json_t *analyzer(int search) {
  json_t *a = json_pack("{s:s, s:[s, s, s, s], s:s, s:[s, s, s, s, s, s, s]}", "type", "custom",
                        "char_filter", "fouille_symbols", "fouille_chars", "fouille_joins",
                        "fouille_dots", "tokenizer", "fouille_standard", "filter",
                        "fouille_no_emoji", "fouille_pieces", "fouille_elision",
                        "fouille_unstemmed", "fouille_words", "fouille_joined", "fouille_truncate");
  if (a && search) json_array_append_new(json_object_get(a, "filter"), json_string("fouille_stop"));
  return a;
}

json_t *fouille__opensearch_analysis(void) {
  return json_pack("{s:o, s:{s:{s:s, s:i}}, s:o, s:{s:o, s:o}}", "char_filter", char_filters(),
                   "tokenizer", "fouille_standard", "type", "standard", "max_token_length", 1048576,
                   "filter", token_filters(), "analyzer", "fouille_fr", analyzer(0),
                   "fouille_fr_search", analyzer(1));
}
