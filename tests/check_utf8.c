/* base/utf8.c: the strict sequence length (overlong forms, surrogates,
 * code points above U+10FFFF, truncated and stray bytes), decoding,
 * validation, counting and cutting, and agreement with the Unicode table
 * of well-formed sequences over every lead and second byte. */
#include <check.h>
#include <string.h>

#include "test_util.h"
#include "utf8.h"

#define LEN(s) fouille__utf8_len(s, sizeof s - 1)

START_TEST(valid_lengths) {
  ck_assert_uint_eq(LEN("a"), 1);
  ck_assert_uint_eq(LEN("\x7f"), 1);
  ck_assert_uint_eq(fouille__utf8_len("\0", 1), 1);         /* NUL is a code point */
  ck_assert_uint_eq(LEN("\xc2\x80"), 2);                    /* U+0080, the first of two bytes */
  ck_assert_uint_eq(LEN("\xc3\xa9"), 2);                    /* é */
  ck_assert_uint_eq(LEN("\xdf\xbf"), 2);                    /* U+07FF */
  ck_assert_uint_eq(LEN("\xe0\xa0\x80"), 3);                /* U+0800 */
  ck_assert_uint_eq(LEN("\xe2\x82\xac"), 3);                /* € */
  ck_assert_uint_eq(LEN("\xed\x9f\xbf"), 3);                /* U+D7FF, below the surrogates */
  ck_assert_uint_eq(LEN("\xee\x80\x80"), 3);                /* U+E000, above them */
  ck_assert_uint_eq(LEN("\xef\xbf\xbf"), 3);                /* U+FFFF */
  ck_assert_uint_eq(LEN("\xf0\x90\x80\x80"), 4);            /* U+10000 */
  ck_assert_uint_eq(LEN("\xf0\x9f\x9a\x80"), 4);            /* 🚀 */
  ck_assert_uint_eq(LEN("\xf4\x8f\xbf\xbf"), 4);            /* U+10FFFF, the last */
  ck_assert_uint_eq(fouille__utf8_len("\xc3\xa9zz", 4), 2); /* only the first sequence */
}
END_TEST

START_TEST(invalid_sequences) {
  const char *const bad[] = {
      "\xc0\xaf",
      "\xc1\xbf", /* overlong two-byte forms of ASCII */
      "\xe0\x80\xaf",
      "\xe0\x9f\xbf", /* overlong three-byte forms */
      "\xf0\x80\x80\xaf",
      "\xf0\x8f\xbf\xbf", /* overlong four-byte forms */
      "\xed\xa0\x80",
      "\xed\xbf\xbf", /* surrogates U+D800, U+DFFF */
      "\xf4\x90\x80\x80",
      "\xf5\x80\x80\x80", /* U+110000, a lead byte past F4 */
      "\xf7\xbf\xbf\xbf",
      "\xf8\x88\x80\x80\x80",
      "\xfe",
      "\xff",
      "\x80",
      "\xbf", /* stray continuation bytes */
      "\xc3"
      "A",
      "\xe2\x82"
      "A", /* a lead byte without its continuation */
      "\xf0\x9f\x9a"
      "A",
      "\xe2"
      "\xc3\xa9", /* a new lead byte inside a sequence */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_msg(fouille__utf8_len(bad[i], strlen(bad[i])) == 0, "case %zu accepted", i);
}
END_TEST

START_TEST(truncated) {
  ck_assert_uint_eq(fouille__utf8_len("\xc3\xa9", 1), 0);
  ck_assert_uint_eq(fouille__utf8_len("\xe2\x82\xac", 2), 0);
  ck_assert_uint_eq(fouille__utf8_len("\xf0\x9f\x9a\x80", 3), 0);
  ck_assert_uint_eq(fouille__utf8_len("a", 0), 0);
  ck_assert(!fouille__utf8_valid("v\xc3\xa9lo\xc3", 6));
  ck_assert(fouille__utf8_valid("v\xc3\xa9lo\xc3", 5));
}
END_TEST

START_TEST(decode) {
  int32_t cp;
  ck_assert_uint_eq(fouille__utf8_decode("A", 1, &cp), 1);
  ck_assert_int_eq(cp, 'A');
  ck_assert_uint_eq(fouille__utf8_decode("\xc3\xa9", 2, &cp), 2);
  ck_assert_int_eq(cp, 0xe9);
  ck_assert_uint_eq(fouille__utf8_decode("\xe2\x80\xaf", 3, &cp), 3);
  ck_assert_int_eq(cp, 0x202f);
  ck_assert_uint_eq(fouille__utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
  ck_assert_int_eq(cp, 0x10ffff);
  /* Invalid: one byte long, -1, so that a loop moves on. */
  ck_assert_uint_eq(fouille__utf8_decode("\xed\xa0\x80", 3, &cp), 1);
  ck_assert_int_eq(cp, -1);
  ck_assert_uint_eq(fouille__utf8_decode("\xe2\x82\xac", 2, &cp), 1);
  ck_assert_int_eq(cp, -1);
  ck_assert_uint_eq(fouille__utf8_decode("\xc0\x80", 2, &cp), 1);
  ck_assert_int_eq(cp, -1);
  ck_assert_uint_eq(fouille__utf8_decode("x", 0, &cp), 0);
  ck_assert_int_eq(cp, -1);
}
END_TEST

START_TEST(validate) {
  const char ok[] = "L\xe2\x80\x99\xc3\xa9t\xc3\xa9 \xf0\x9f\x9a\xb2 \xe2\x82\xac";
  ck_assert(fouille__utf8_valid(ok, sizeof ok - 1));
  ck_assert(fouille__utf8_valid("", 0));
  ck_assert(fouille__utf8_valid("a\0b", 3)); /* NUL: for callers to refuse */
  ck_assert(!fouille__utf8_valid("abc\xff", 4));
  ck_assert(!fouille__utf8_valid("ab\xed\xa0\x80"
                                 "cd",
                                 7));
  ck_assert(!fouille__utf8_valid("\xc0\xaf", 2));
  ck_assert(!fouille__utf8_valid("\xf4\x90\x80\x80", 4));
}
END_TEST

START_TEST(count_and_cut) {
  ck_assert_uint_eq(fouille__utf8_count("v\xc3\xa9lo", 5), 4);
  ck_assert_uint_eq(fouille__utf8_count("\xf0\x9f\x9a\xb2"
                                        "a",
                                        5),
                    2);
  ck_assert_uint_eq(fouille__utf8_count("", 0), 0);
  ck_assert_uint_eq(fouille__utf8_count("\xff\xfe", 2), 2); /* stray lead bytes count */
  ck_assert_uint_eq(fouille__utf8_count("\x80\x80", 2), 0);
  const char s[] = "a\xc3\xa9\xf0\x9f\x9a\xb2"; /* a é 🚲: 1 + 2 + 4 bytes */
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 7), 7);
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 100), 7);
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 6), 3);
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 4), 3);
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 3), 3);
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 2), 1);
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 1), 1);
  ck_assert_uint_eq(fouille__utf8_cut(s, 7, 0), 0);
  ck_assert(fouille__utf8_cont(0x80) && fouille__utf8_cont(0xbf));
  ck_assert(!fouille__utf8_cont(0x7f) && !fouille__utf8_cont(0xc0));
}
END_TEST

/* Table 3-7 of the Unicode standard: the well-formed sequences. */
static size_t reference_len(const unsigned char *b, size_t n) {
  static const struct {
    unsigned char lo, hi, lo2, hi2;
    size_t len;
  } rows[] = {
      {0x00, 0x7f, 0, 0, 1},       {0xc2, 0xdf, 0x80, 0xbf, 2}, {0xe0, 0xe0, 0xa0, 0xbf, 3},
      {0xe1, 0xec, 0x80, 0xbf, 3}, {0xed, 0xed, 0x80, 0x9f, 3}, {0xee, 0xef, 0x80, 0xbf, 3},
      {0xf0, 0xf0, 0x90, 0xbf, 4}, {0xf1, 0xf3, 0x80, 0xbf, 4}, {0xf4, 0xf4, 0x80, 0x8f, 4}};
  for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
    if (b[0] < rows[r].lo || b[0] > rows[r].hi) continue;
    size_t k = rows[r].len;
    if (n < k) return 0;
    if (k > 1 && (b[1] < rows[r].lo2 || b[1] > rows[r].hi2)) return 0;
    for (size_t i = 2; i < k; i++)
      if (b[i] < 0x80 || b[i] > 0xbf) return 0;
    return k;
  }
  return 0;
}

/* Every first and second byte, with third and fourth bytes at the edges
 * of the continuation range and just outside it, at every length (Check's
 * assertions are slow: the first disagreement is reported at the end). */
START_TEST(agrees_with_unicode_table) {
  static const unsigned char tails[] = {0x80, 0xbf, 0x7f, 0xc0, 0x41};
  unsigned char b[4], bad[4] = {0};
  size_t bad_n = 0, want = 0, got = 0, cases = 0;
  for (unsigned b0 = 0; b0 < 256 && !bad_n; b0++)
    for (unsigned b1 = 0; b1 < 256; b1++)
      for (size_t t = 0; t < sizeof tails * sizeof tails; t++) {
        b[0] = (unsigned char)b0, b[1] = (unsigned char)b1;
        b[2] = tails[t / sizeof tails], b[3] = tails[t % sizeof tails];
        for (size_t n = 1; n <= 4 && !bad_n; n++, cases++) {
          want = reference_len(b, n);
          if ((got = fouille__utf8_len((const char *)b, n)) != want) memcpy(bad, b, 4), bad_n = n;
        }
      }
  ck_assert_msg(bad_n == 0, "%02x %02x %02x %02x (n=%zu): %zu, want %zu", bad[0], bad[1], bad[2],
                bad[3], bad_n, got, want);
  ck_assert_uint_gt(cases, 6000000);
}
END_TEST

int main(void) {
  Suite *s = suite_create("utf8");
  TCase *t = tcase_create("core");
  tcase_add_test(t, valid_lengths);
  tcase_add_test(t, invalid_sequences);
  tcase_add_test(t, truncated);
  tcase_add_test(t, decode);
  tcase_add_test(t, validate);
  tcase_add_test(t, count_and_cut);
  tcase_add_test(t, agrees_with_unicode_table);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
