/* base/buf.c: appends of every kind, growth, detach and reuse, mending of
 * invalid UTF-8, and the sticky FOUILLE_ENOMEM after a failed reservation
 * (sizes that overflow or pass PTRDIFF_MAX fail before any allocation). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "test_util.h"

#define FFFD "\xef\xbf\xbd"

START_TEST(appends) {
  fouille__buf b = FOUILLE__BUF_INIT;
  ck_assert_str_eq(fouille__buf_cstr(&b), ""); /* empty, but a string */
  fouille__buf_add(&b, "v\xc3\xa9lo", 5);
  fouille__buf_putc(&b, ' ');
  fouille__buf_puts(&b, "rouge");
  fouille__buf_printf(&b, " %d/%s", 42, "x");
  fouille__buf_add(&b, NULL, 0);
  ck_assert_uint_eq(b.len, 16);
  ck_assert_str_eq(fouille__buf_cstr(&b), "v\xc3\xa9lo rouge 42/x");
  ck_assert_int_eq(fouille__buf_error(&b), 0);
  fouille__buf_add(&b, "\0z", 2); /* bytes, NUL included */
  ck_assert_uint_eq(b.len, 18);
  ck_assert_mem_eq(b.data + 16, "\0z", 3);
  fouille__buf_free(&b);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(growth) {
  fouille__buf b = FOUILLE__BUF_INIT;
  for (int i = 0; i < 10000; i++) fouille__buf_putc(&b, (char)('a' + i % 26));
  fouille__buf_printf(&b, "%0300d", 7); /* longer than what is left */
  ck_assert_int_eq(fouille__buf_error(&b), 0);
  ck_assert_uint_eq(b.len, 10300);
  ck_assert_uint_gt(b.cap, b.len);
  for (int i = 0; i < 10000; i++) ck_assert_int_eq(b.data[i], 'a' + i % 26);
  ck_assert_int_eq(b.data[10299], '7');
  ck_assert_int_eq(b.data[10300], '\0');
  ck_assert_int_eq(fouille__buf_reserve(&b, 100000), 0);
  ck_assert_uint_ge(b.cap, 110301);
  ck_assert_uint_eq(b.len, 10300);
  fouille__buf_free(&b);
}
END_TEST

START_TEST(detach_reset_set) {
  fouille__buf b = FOUILLE__BUF_INIT;
  size_t n = 99;
  fouille__buf_puts(&b, "bonjour  ");
  b.len -= 2; /* callers may lower len: cstr and detach end the string there */
  char *s = fouille__buf_detach(&b, &n);
  ck_assert_str_eq(s, "bonjour");
  ck_assert_uint_eq(n, 7);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
  free(s);
  s = fouille__buf_detach(&b, NULL); /* nothing in it: "" */
  ck_assert_str_eq(s, "");
  free(s);
  fouille__buf_puts(&b, "encore");
  const char *kept = b.data;
  fouille__buf_reset(&b);
  ck_assert_str_eq(fouille__buf_cstr(&b), "");
  ck_assert_ptr_eq(b.data, kept); /* memory kept */
  ck_assert_int_eq(fouille__buf_set(&b, "abc", 2), 0);
  ck_assert_str_eq(fouille__buf_cstr(&b), "ab");
  fouille__buf_free(&b);
}
END_TEST

/* Appends s (n bytes) mended; returns the text (static copy). */
static const char *mended(const char *s, size_t n) {
  static char out[256];
  fouille__buf b = FOUILLE__BUF_INIT;
  fouille__buf_puts(&b, "<");
  fouille__buf_add_mended(&b, s, n);
  fouille__buf_puts(&b, ">");
  ck_assert_int_eq(fouille__buf_error(&b), 0);
  ck_assert_uint_lt(b.len, sizeof out);
  memcpy(out, b.data, b.len + 1);
  fouille__buf_free(&b);
  return out;
}

START_TEST(mending) {
  ck_assert_str_eq(mended("v\xc3\xa9lo \xf0\x9f\x9a\xb2", 10), "<v\xc3\xa9lo \xf0\x9f\x9a\xb2>");
  ck_assert_str_eq(mended("a\xff"
                          "b",
                          3),
                   "<a" FFFD "b>");
  ck_assert_str_eq(mended("\xc0\xaf", 2), "<" FFFD FFFD ">");          /* overlong */
  ck_assert_str_eq(mended("\xed\xa0\x80", 3), "<" FFFD FFFD FFFD ">"); /* surrogate */
  ck_assert_str_eq(mended("\xf4\x90\x80\x80", 4), "<" FFFD FFFD FFFD FFFD ">");
  ck_assert_str_eq(mended("\xc3\xa9\xe2\x82", 4), "<\xc3\xa9" FFFD FFFD ">"); /* truncated */
  ck_assert_str_eq(mended("\xc3", 1), "<" FFFD ">");
  ck_assert_str_eq(mended("", 0), "<>");
  ck_assert_str_eq(mended("\x01\t", 2), "<\x01\t>"); /* controls are valid UTF-8 */
}
END_TEST

/* After a failure every call is a no-op and the error stays until reset. */
static void assert_stuck(fouille__buf *b, const char *content, size_t len) {
  fouille__buf_add(b, "xyz", 3);
  fouille__buf_putc(b, 'x');
  fouille__buf_puts(b, "xyz");
  fouille__buf_printf(b, "%d", 12345);
  fouille__buf_add_mended(b, "x\xff", 2);
  ck_assert_int_eq(fouille__buf_reserve(b, 1), FOUILLE_ENOMEM);
  ck_assert_int_eq(fouille__buf_error(b), FOUILLE_ENOMEM);
  ck_assert_uint_eq(b->len, len);
  if (content) ck_assert_mem_eq(b->data, content, len);
  ck_assert_ptr_null(fouille__buf_cstr(b));
}

START_TEST(sticky_error) {
  fouille__buf b = FOUILLE__BUF_INIT;
  fouille__buf_puts(&b, "abc");
  ck_assert_int_eq(fouille__buf_reserve(&b, SIZE_MAX), FOUILLE_ENOMEM); /* len + extra overflows */
  assert_stuck(&b, "abc", 3);
  fouille__buf_reset(&b); /* forgets the failure */
  fouille__buf_puts(&b, "ok");
  ck_assert_str_eq(fouille__buf_cstr(&b), "ok");
  /* Past PTRDIFF_MAX: refused without asking malloc (ASan would abort). */
  fouille__buf_add(&b, "x", (size_t)PTRDIFF_MAX);
  assert_stuck(&b, "ok", 2);
  ck_assert_ptr_null(fouille__buf_detach(&b, NULL)); /* frees the memory */
  ck_assert_ptr_null(b.data);
  ck_assert_int_eq(fouille__buf_error(&b), FOUILLE_ENOMEM);
  fouille__buf_free(&b); /* back to FOUILLE__BUF_INIT */
  ck_assert_int_eq(fouille__buf_error(&b), 0);
}
END_TEST

/* A failure on a buffer that never allocated: nothing to free, NULL out. */
START_TEST(sticky_error_fresh) {
  fouille__buf b = FOUILLE__BUF_INIT;
  fouille__buf_add(&b, "x", SIZE_MAX / 2 + 1);
  assert_stuck(&b, NULL, 0);
  ck_assert_ptr_null(b.data);
  size_t n = 7;
  ck_assert_ptr_null(fouille__buf_detach(&b, &n));
  ck_assert_uint_eq(n, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("buf");
  TCase *t = tcase_create("core");
  tcase_add_test(t, appends);
  tcase_add_test(t, growth);
  tcase_add_test(t, detach_reset_set);
  tcase_add_test(t, mending);
  tcase_add_test(t, sticky_error);
  tcase_add_test(t, sticky_error_fresh);
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
