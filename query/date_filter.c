/* The one validator of the since and until filters, fouille_search's and
 * (through the public API) the HTTP server's: YYYY, YYYY-MM or YYYY-MM-DD
 * with a real month and day, leap years counted. */
#include <string.h>

#include "error.h"
#include "fouille/query.h"

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

static int num(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

static int real_date(const char *d, size_t n) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if ((n != 4 && n != 7 && n != 10) || !digits(d, 4)) return 0;
  if (n == 4) return 1;
  if (d[4] != '-' || !digits(d + 5, 2)) return 0;
  int year = num(d, 4), month = num(d + 5, 2);
  if (month < 1 || month > 12) return 0;
  if (n == 7) return 1;
  if (d[7] != '-' || !digits(d + 8, 2)) return 0;
  int day = num(d + 8, 2), leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day >= 1 && day <= mdays[month - 1] - (month == 2 && !leap);
}

FOUILLE_EXTERN int fouille_search_check_date(const char *date) {
  if (date && real_date(date, strnlen(date, 11))) return FOUILLE_OK;
  return fouille__error(FOUILLE_EPARSE, "bad date '%.40s' (use YYYY-MM-DD)", date ? date : "");
}
