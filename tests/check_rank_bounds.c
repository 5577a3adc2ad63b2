/* fouille__rank_bounds (rank_bounds.c) on an archive of common words, many
 * tied articles and long bodies: the top k equals the exhaustive SQL
 * ranking (keys and scores to the last bit, every page) on a fresh handle,
 * once the phrase frequencies are known and through rows found hopeless
 * after their first phrase; and the position lists decoded in place
 * (fts5_poslist.h) equal FTS5's own xPhraseNext, positions past 16,384
 * (three-byte steps) and colocated alternatives included. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fouille.h"
#include "fouille/fts5.h"
#include "fts5_poslist.h"
#include "query_private.h"
#include "sqlite_glue.h"
#include "test_util.h"

#define ARTICLES 1500

static char *dir, *db_path;
static fouille_index *ix;

static const char *const common[] = {"réseau",   "système", "fichiers", "vélo",
                                     "sécurité", "données", "serveur",  "noyau"};

static unsigned lcg(unsigned *x) { return (*x = *x * 1103515245u + 12345u) >> 16; }

/* Article i's words: common ones often, "zèbre" in one in 60, a few long
 * bodies whose words stand past the 16,384th token. Groups of four share
 * title, body and date: ties. */
static size_t article(char *buf, int i) {
  unsigned g = (unsigned)(i / 4) * 2654435761u, y = g;
  size_t at = (size_t)sprintf(buf, "{\"id\":\"r%04d\",\"date\":\"20%02u-0%u-1%u\",\"title\":\"", i,
                              10 + lcg(&y) % 14, 1 + lcg(&y) % 9, lcg(&y) % 10);
  for (unsigned w = 0, n = 1 + lcg(&y) % 3; w < n; w++)
    at += (size_t)sprintf(buf + at, "%s%s", w ? " " : "", common[lcg(&y) % 8]);
  at += (size_t)sprintf(buf + at, "\",\"body\":\"");
  unsigned n = i % 97 == 5 ? 17000 : 5 + lcg(&y) % 120;
  for (unsigned w = 0; w < n; w++) {
    unsigned r = n > 1000 && w < 16500 ? 99 : lcg(&y) % 100;
    const char *word = r < 1 && i % 60 == 7 ? "zèbre" : r < 70 ? common[lcg(&y) % 8] : "texte";
    at += (size_t)sprintf(buf + at, "%s ", word);
  }
  return at + (size_t)sprintf(buf + at, "\"}\n");
}

static void setup(void) {
  size_t cap = (size_t)ARTICLES * 1200 + 40 * 17000 * 8, at = 0;
  char *buf = malloc(cap);
  for (int i = 0; i < ARTICLES; i++) at += article(buf + at, i);
  ck_assert_uint_lt(at, cap);
  dir = test_tmpdir();
  test_write(dir, "arch/r.jsonl", buf, at);
  free(buf);
  size_t n = strlen(dir) + 16;
  db_path = malloc(n);
  char *paths[] = {malloc(n)};
  snprintf(db_path, n, "%s/index.db", dir);
  snprintf(paths[0], n, "%s/arch", dir);
  ck_assert_int_eq(fouille_index_open(&ix, db_path, NULL), FOUILLE_OK);
  int rc = fouille_index_update(NULL, ix, (const char **)paths, 1, NULL);
  ck_assert_msg(rc == FOUILLE_OK, "%s", fouille_error_last());
  free(paths[0]);
}

static void teardown(void) {
  fouille_index_close(ix);
  test_rmtree(dir);
  free(db_path);
  free(dir);
}

/* One search on on, compared with every match ranked in SQL. */
static void check_page(fouille_index *on, sqlite3 *db, const char *q, int limit, int offset) {
  fouille_search_options o = FOUILLE_SEARCH_OPTIONS_INIT;
  fouille_results *r = NULL;
  o.limit = limit, o.offset = offset, o.passages = 0;
  ck_assert_msg(fouille_search(&r, on, q, &o) == FOUILLE_OK, "%s", fouille_error_last());
  static const char every[] = "SELECT a.key, fouille_rank(articles_fts) AS score FROM"
                              " articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                              " WHERE articles_fts MATCH ?1 ORDER BY score, a.date DESC, a.key";
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(db, every, -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_text(st, 1, fouille_results_expression(r), -1, SQLITE_TRANSIENT);
  size_t i = 0, k = 0;
  for (; sqlite3_step(st) == SQLITE_ROW; k++) {
    if (k < (size_t)offset || k >= (size_t)offset + (size_t)limit) continue;
    const fouille_hit *h = fouille_results_hit(r, i++);
    ck_assert_msg(h && !strcmp(h->key, (const char *)sqlite3_column_text(st, 0)),
                  "%s limit %d offset %d: hit %zu is %s, not %s", q, limit, offset, i - 1,
                  h ? h->key : "missing", sqlite3_column_text(st, 0));
    ck_assert_msg(h->score == -sqlite3_column_double(st, 1), "%s: %s scores %.17g, not %.17g", q,
                  h->key, h->score, -sqlite3_column_double(st, 1));
  }
  ck_assert_msg(sqlite3_errcode(db) == SQLITE_DONE || sqlite3_errcode(db) == SQLITE_OK, "%s",
                sqlite3_errmsg(db));
  sqlite3_finalize(st);
  ck_assert_uint_eq(i, fouille_results_count(r));
  ck_assert_msg(fouille_results_total(r) == k, "%s: total %llu, not %zu", q,
                (unsigned long long)fouille_results_total(r), k);
  ck_assert_uint_gt(k, 0);
  fouille_results_free(r);
}

/* A plain read connection to the index, with fouille_rank. */
static sqlite3 *plain_db(void) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(fouille_fts5_register(db), FOUILLE_OK);
  return db;
}

START_TEST(bounds_equal_exhaustive) {
  static const char *const queries[] = {"zebre reseau",
                                        "zebre velo reseau systeme",
                                        "reseau systeme",
                                        "fichiers securite donnees",
                                        "\"systeme de fichiers\" reseau",
                                        "securite securite velo",
                                        "noyau serveur zebre fichiers texte"};
  static const int pages[][2] = {{10, 0}, {1, 0}, {25, 10}, {3, 40}, {1000, 0}};
  sqlite3 *db = plain_db();
  unsigned long runs = fouille__search_bounded_runs(), dropped = fouille__rank_bounds_dropped();
  for (int rep = 0; rep < 3; rep++) /* later: sizes read ahead, frequencies known */
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
      for (size_t p = 0; p < sizeof pages / sizeof *pages; p++)
        check_page(ix, db, queries[q], pages[p][0], pages[p][1]);
  fouille_index *fresh = NULL; /* nothing known: the first search of a handle */
  ck_assert_int_eq(fouille_index_open(&fresh, db_path, NULL), FOUILLE_OK);
  check_page(fresh, db, "reseau systeme", 10, 0);
  fouille_index_close(fresh);
  sqlite3_close(db);
  ck_assert_uint_gt(fouille__search_bounded_runs() - runs, 50);
  ck_assert_uint_gt(fouille__rank_bounds_dropped() - dropped, 0);
}
END_TEST

/* ---- Position lists decoded in place --------------------------------------------- */

typedef struct compared {
  long long positions;
  int most; /* the largest offset compared */
  int differ;
} compared;

static void same_positions(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                           int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  compared *c = api->xUserData(fts);
  for (int p = 0; p < api->xPhraseCount(fts); p++) {
    Fts5PhraseIter a, b;
    int ca, oa, cb, ob;
    if (api->xPhraseFirst(fts, p, &a, &ca, &oa) || api->xPhraseFirst(fts, p, &b, &cb, &ob)) {
      sqlite3_result_error(ctx, "xPhraseFirst failed", -1);
      return;
    }
    for (;;) {
      if (ca != cb || oa != ob) c->differ++;
      if (ca < 0 || cb < 0) break;
      c->positions++;
      if (oa > c->most) c->most = oa;
      api->xPhraseNext(fts, &a, &ca, &oa);
      if (fouille__fts5_poslist_next(&b.a, b.b, api->xColumnCount(fts), &cb, &ob)) cb = ob = -1;
    }
  }
  sqlite3_result_int(ctx, 0);
}

START_TEST(poslist_decoded_as_fts5_does) {
  sqlite3 *db = plain_db();
  compared c = {0, 0, 0};
  fts5_api *f = fouille__fts5_api(db);
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(f->xCreateFunction(f, "same_positions", &c, same_positions, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db,
                                "SELECT same_positions(articles_fts) FROM articles_fts WHERE"
                                " articles_fts MATCH '\"reseau\" OR \"zebre\" OR \"securite\" OR"
                                " \"systeme\" OR \"texte\"'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  ck_assert_int_eq(c.differ, 0);
  ck_assert_int_gt(c.positions, 100000);
  ck_assert_int_gt(c.most, 16384);
}
END_TEST

int main(void) {
  TCase *t = tcase_create("core"); /* one index for both: built once */
  tcase_add_test(t, bounds_equal_exhaustive);
  tcase_add_test(t, poslist_decoded_as_fts5_does);
  tcase_add_unchecked_fixture(t, setup, teardown);
  tcase_set_timeout(t, 300);
  Suite *s = suite_create("rank_bounds");
  suite_add_tcase(s, t);
  return test_run_suite(s);
}
