/* The SQL helpers every part of a search shares: the error of the
 * connection's last statement, and binding the match expression and the
 * filters (?1 expression, ?2 since, ?3 until's end, ?4 source, ?8 sources). */
#include "error.h"
#include "search_private.h"

int fouille__search_db_error(const fouille__search *s, const char *what) {
  return fouille__error(FOUILLE_EDB, "%s: %s", what, sqlite3_errmsg(s->r->db));
}

int fouille__search_filtered(const fouille__search *s) {
  return s->f.since || s->f.has_until || s->f.source || s->f.sources_json;
}

void fouille__search_bind_filters(const fouille__search *s, sqlite3_stmt *st, const char *expr) {
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  if (s->f.since) sqlite3_bind_text(st, 2, s->f.since, -1, SQLITE_STATIC);
  if (s->f.has_until) sqlite3_bind_text(st, 3, s->f.until_end, -1, SQLITE_STATIC);
  if (s->f.source) sqlite3_bind_text(st, 4, s->f.source, -1, SQLITE_STATIC);
  if (s->f.sources_json) sqlite3_bind_text(st, 8, s->f.sources_json, -1, SQLITE_STATIC);
}
