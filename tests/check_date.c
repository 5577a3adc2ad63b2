/* Date normalisation: ISO 8601, RFC 2822 and French forms to ISO 8601 at
 * their own precision; invalid or ambiguous dates refused, never guessed. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "test_util.h"

static void expect(const char *in, const char *want) {
  char out[32];
  int r = fouille__date_normalize(in, out, sizeof out);
  ck_assert_msg(r == 0, "'%s' refused", in);
  ck_assert_str_eq(out, want);
}

static void refuse(const char *in) {
  char out[32] = "junk";
  ck_assert_msg(fouille__date_normalize(in, out, sizeof out) == -1, "'%s' accepted as %s", in, out);
  ck_assert_str_eq(out, "");
}

START_TEST(iso_dates) {
  expect("2024-03-12", "2024-03-12");
  expect("  2024-03-12 ", "2024-03-12");
  expect("2024-03", "2024-03");
  expect("2024", "2024");
  expect("2024/03/12", "2024-03-12");
  expect("2024-03-12T10:00:00Z", "2024-03-12T10:00:00Z");
  expect("2024-03-12T10:00:00.123+01:00", "2024-03-12T10:00:00+01:00");
  expect("2024-03-12T10:00:00+0530", "2024-03-12T10:00:00+05:30");
  expect("2024-03-12 23:59:59-04", "2024-03-12T23:59:59-04:00");
  expect("2024-03-12T10:00+00:00", "2024-03-12T10:00:00Z");
  /* A time without a zone is local to an unknown place: keep the date. */
  expect("2024-03-12T10:00:00", "2024-03-12");
}
END_TEST

START_TEST(rfc2822) {
  expect("Tue, 12 Mar 2024 10:00:00 +0100", "2024-03-12T10:00:00+01:00");
  expect("12 Mar 2024 10:00:00 GMT", "2024-03-12T10:00:00Z");
  expect("Fri, 1 Dec 2023 08:05:00 -0500", "2023-12-01T08:05:00-05:00");
  expect("Mon, 4 Nov 2024 17:45:00 EST", "2024-11-04T17:45:00-05:00");
}
END_TEST

START_TEST(french) {
  expect("12 mars 2024", "2024-03-12");
  expect("1er avril 2023", "2023-04-01");
  expect("mardi 12 mars 2024", "2024-03-12");
  expect("Mardi, 12 Mars 2024", "2024-03-12");
  expect("15 février 2024", "2024-02-15");
  expect("15 fevrier 2024", "2024-02-15");
  expect("3 août 2022", "2022-08-03");
  expect("25 déc. 2021", "2021-12-25");
  expect("12/03/2024", "2024-03-12"); /* day first */
  expect("1.4.2023", "2023-04-01");
  expect("12\xC2\xA0mars\xC2\xA0"
         "2024",
         "2024-03-12"); /* NBSP */
  expect("12 mars 2024 à 10h30", "2024-03-12");
}
END_TEST

START_TEST(ranges) {
  expect("2024-02-29", "2024-02-29");
  expect("2000-02-29", "2000-02-29");
  refuse("2023-02-29");
  refuse("1900-02-29");
  refuse("2024-13-01");
  refuse("2024-00-10");
  refuse("2024-04-31");
  refuse("31/04/2024");
  refuse("32 mars 2024");
  refuse("2024-03-12T24:00:00Z");
  refuse("2024-03-12T10:60:00Z");
}
END_TEST

START_TEST(garbage) {
  const char *bad[] = {"",
                       "   ",
                       "bientôt",
                       "hier",
                       "12 mars",
                       "mars 2024",
                       "2024-3-12",
                       "24-03-12",
                       "12/03/24",
                       "2024-03-12 foo",
                       "2024-03-12T",
                       "20240312",
                       "12 marsupial 2024",
                       "1er",
                       "99999",
                       "2024-03-12T10:00:00+99:00",
                       "Tue, 12 Mar 2024 10:00:00 +0100 extra",
                       "\xff\xfe",
                       "2024--03"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) refuse(bad[i]);
  char small[8];
  ck_assert_int_eq(fouille__date_normalize("2024-03-12", small, sizeof small), -1);
  ck_assert_int_eq(fouille__date_normalize(NULL, small, 32), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("date");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, iso_dates);
  tcase_add_test(tc, rfc2822);
  tcase_add_test(tc, french);
  tcase_add_test(tc, ranges);
  tcase_add_test(tc, garbage);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
