/* Encoding detection: UTF-8 passes untouched, BOMs go, Windows-1252
 * archives are converted, stray bytes become U+FFFD, binary is refused. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fouille/common.h"
#include "reader.h"
#include "test_util.h"

static char *conv(const char *in, size_t len, int want_rc) {
  char *out = NULL;
  size_t out_len = 0;
  int r = fouille__to_utf8(in, len, &out, &out_len);
  ck_assert_int_eq(r, want_rc);
  if (r == 1) ck_assert_uint_eq(strlen(out), out_len);
  return out;
}

START_TEST(utf8_untouched) {
  const char *s = "L’été à Noël : « œuvre » €";
  ck_assert_ptr_null(conv(s, strlen(s), 0));
  ck_assert_ptr_null(conv("", 0, 0));
  ck_assert_ptr_null(conv("tab\tand\r\nnewlines\f", 18, 0));
}
END_TEST

START_TEST(bom_dropped) {
  char *o = conv("\xEF\xBB\xBFTitre é", 11, 1);
  ck_assert_str_eq(o, "Titre é");
  free(o);
}
END_TEST

START_TEST(windows_1252) {
  /* "L’été, Œuvre «Noël» 5€ …" in Windows-1252 */
  const char in[] = "L\x92\xE9t\xE9, \x8Cuvre \xABNo\xEBl\xBB 5\x80 \x85 \x9C";
  char *o = conv(in, sizeof in - 1, 1);
  ck_assert_str_eq(o, "L’été, Œuvre «Noël» 5€ … œ");
  free(o);
  /* An undefined byte (0x81) becomes U+FFFD, never a C1 control. */
  o = conv("caf\xE9 \x81", 6, 1);
  ck_assert_str_eq(o, "café \xEF\xBF\xBD");
  free(o);
}
END_TEST

START_TEST(latin1_fixture) {
  size_t len;
  char *data = test_read(test_data("broken/latin1.txt"), &len);
  ck_assert_ptr_nonnull(data);
  char *o = conv(data, len, 1);
  ck_assert(strncmp(o, "L’été caniculaire inquiète les œnologues\n", 42) == 0);
  ck_assert_ptr_nonnull(strstr(o, "120 € par hectare"));
  free(o);
  free(data);
}
END_TEST

START_TEST(stray_bytes) {
  const char in[] = "Réunion élus été « débat » \xFF fin";
  char *o = conv(in, sizeof in - 1, 1);
  ck_assert_str_eq(o, "Réunion élus été « débat » \xEF\xBF\xBD fin");
  free(o);
  /* A truncated sequence at the very end. */
  const char trunc[] = "élève très célèbre \xC3";
  o = conv(trunc, sizeof trunc - 1, 1);
  ck_assert_str_eq(o, "élève très célèbre \xEF\xBF\xBD");
  free(o);
}
END_TEST

START_TEST(overlong_and_surrogates) {
  /* Overlong "/" and a UTF-16 surrogate are not valid UTF-8. */
  char *o = conv("a\xC0\xAF b", 5, 1);
  ck_assert_ptr_null(strstr(o, "/"));
  free(o);
  o = conv("x\xED\xA0\x80y", 5, 1);
  ck_assert(strcmp(o, "x\xED\xA0\x80y") != 0);
  free(o);
}
END_TEST

START_TEST(binary) {
  ck_assert_ptr_null(conv("abc\0def", 7, FOUILLE_EPARSE));
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "binary"));
  ck_assert_ptr_null(conv("\x01\x02\x03\x04text", 8, FOUILLE_EPARSE));
  ck_assert_ptr_null(conv("\xFF\xFEt\0i\0", 6, FOUILLE_EPARSE));
  ck_assert_str_eq(fouille_error_last(), "binary file (UTF-16 is not supported)");
  size_t len;
  char *data = test_read(test_data("broken/binaire.txt"), &len);
  ck_assert_ptr_null(conv(data, len, FOUILLE_EPARSE));
  free(data);
  /* One stray control character in a long text is not binary. */
  ck_assert_ptr_null(conv("Un texte normal\x07 assez long pour rester du texte.", 49, 0));
}
END_TEST

START_TEST(random_bytes_never_crash) {
  unsigned seed = 12345;
  char buf[512];
  for (int round = 0; round < 2000; round++) {
    size_t n = (size_t)(round % 512);
    for (size_t i = 0; i < n; i++) seed = seed * 1103515245u + 12345u, buf[i] = (char)(seed >> 16);
    char *out = NULL;
    size_t out_len = 0;
    int r = fouille__to_utf8(buf, n, &out, &out_len);
    ck_assert(r == 0 || r == 1 || r == FOUILLE_EPARSE);
    if (r == 1) {
      ck_assert_uint_eq(strlen(out), out_len);
      ck_assert_int_eq(fouille__to_utf8(out, out_len, &(char *){NULL}, &(size_t){0}), 0);
    }
    free(out);
  }
}
END_TEST

/* A stray byte or a control character at every offset of a text, so at
 * every place in and across the eight-byte words the scan reads at once. */
START_TEST(every_offset) {
  char in[40];
  for (size_t at = 0; at < 32; at++) {
    /* Four é first: mostly UTF-8, the stray byte is replaced (not Windows-1252). */
    memcpy(in, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 8);
    memset(in + 8, 'a', 32);
    in[8 + at] = '\xFF';
    char *o = conv(in, 40, 1);
    ck_assert_uint_eq(strlen(o), 42);
    ck_assert_msg(memcmp(o + 8 + at, "\xEF\xBF\xBD", 3) == 0, "stray byte at %zu", at);
    free(o);
    memset(in, 'a', 32);
    memcpy(in + at, "\xC3\xA9", 2); /* é, possibly across two words */
    if (at < 31) ck_assert_ptr_null(conv(in, 32, 0));
  }
  /* Control characters: 2 in 40 bytes (1 in 20) pass, 3 are binary. */
  for (size_t at = 0; at < 40; at++) {
    memset(in, 'a', 40);
    in[at] = '\x01';
    in[(at + 13) % 40] = '\x7F';
    ck_assert_ptr_null(conv(in, 40, 0));
    in[(at + 27) % 40] = '\x02';
    ck_assert_msg(conv(in, 40, FOUILLE_EPARSE) == NULL, "control characters at %zu", at);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("encoding");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, utf8_untouched);
  tcase_add_test(tc, bom_dropped);
  tcase_add_test(tc, windows_1252);
  tcase_add_test(tc, latin1_fixture);
  tcase_add_test(tc, stray_bytes);
  tcase_add_test(tc, overlong_and_surrogates);
  tcase_add_test(tc, binary);
  tcase_add_test(tc, random_bytes_never_crash);
  tcase_add_test(tc, every_offset);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
