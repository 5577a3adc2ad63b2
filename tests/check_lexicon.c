/* The lexicon of written words (store/lexicon.h, indexer/lexicon*.c): after
 * every kind of write (build, add, change, delete by file, by JSON line and
 * by key, a run killed mid-way, an upgrade from schema 2, a program's
 * writer, a forgotten root, a rebuild keeping a stream) it equals a
 * recount from scratch of the articles' words made here, and its rows keep
 * their order and size. */
#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fouille/analyzer.h"
#include "fouille/index.h"
#include "fouille/query.h"
#include "fts5_tap.h"
#include "lexicon.h"
#include "test_util.h"
#include "update.h"

typedef struct env {
  char *dir, *arch, db[4200];
  fouille_index *ix;
} env;

static void setup_env(env *e) {
  memset(e, 0, sizeof *e);
  e->dir = test_tmpdir();
  snprintf(e->db, sizeof e->db, "%s/index.db", e->dir);
  e->arch = malloc(strlen(e->dir) + 10);
  sprintf(e->arch, "%s/arch", e->dir);
  mkdir(e->arch, 0755);
  ck_assert_int_eq(fouille_index_open(&e->ix, e->db, NULL), FOUILLE_OK);
}

static void teardown_env(env *e) {
  fouille_index_close(e->ix);
  test_rmtree(e->dir);
  free(e->dir);
  free(e->arch);
}

static int update_batch(env *e, size_t batch) {
  const char *roots[] = {e->arch};
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.batch_articles = batch;
  return fouille_index_update(NULL, e->ix, roots, 1, &o);
}

static void article(env *e, const char *name, const char *title, const char *body) {
  char text[8192];
  snprintf(text, sizeof text, "%s\n\n%s\n", title, body);
  test_write(e->arch, name, text, (size_t)-1);
}

/* ---- A text dump: one line per word, "word df plain stem form:df…" ------------- */

typedef struct dump {
  char *s;
  size_t n, cap;
} dump;

static void put(dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(dump *d, const char *fmt, ...) {
  va_list ap;
  char buf[1024];
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (d->n + (size_t)n + 1 > d->cap) d->s = realloc(d->s, d->cap = (d->n + (size_t)n + 1) * 2);
  memcpy(d->s + d->n, buf, (size_t)n + 1);
  d->n += (size_t)n;
}

/* The lexicon as stored, with its rows' invariants checked. */
static char *stored(sqlite3 *db) {
  dump d = {calloc(1, 1), 0, 1};
  sqlite3_stmt *st;
  char prev[FOUILLE__LEX_WORD_MAX + 2] = "";
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT first, entries FROM lexicon ORDER BY first", -1,
                                      &st, NULL),
                   SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    fouille__lex_cursor c;
    int n = sqlite3_column_bytes(st, 1), first = 1, k, entries = 0;
    ck_assert_int_eq(fouille__lex_cursor_init(&c, sqlite3_column_blob(st, 1), n), 0);
    while ((k = fouille__lex_cursor_next(&c)) == 1) {
      if (first) ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), c.e.word);
      ck_assert_msg(strcmp(prev, c.e.word) < 0, "%s after %s", c.e.word, prev);
      ck_assert_int_gt(c.e.df, 0);
      snprintf(prev, sizeof prev, "%s", c.e.word);
      put(&d, "%s %lld %lld %.*s", c.e.word, c.e.df, c.e.plain, c.e.stem_len, c.e.stem);
      const unsigned char *at = c.e.forms;
      fouille__lex_form f;
      while (fouille__lex_form_next(&c.e, &at, &f)) put(&d, " %.*s:%lld", f.len, f.text, f.df);
      put(&d, "\n");
      first = 0, entries++;
    }
    ck_assert_int_eq(k, 0);
    ck_assert_int_gt(entries, 0);
    ck_assert_msg(n <= FOUILLE__LEX_ROW_MAX || entries == 1, "row of %d bytes", n);
  }
  sqlite3_finalize(st);
  return d.s;
}

/* ---- The recount ------------------------------------------------------------------ */

typedef struct occ {
  char word[FOUILLE__LEX_WORD_MAX + 1], form[FOUILLE__LEX_WORD_MAX + 1]; /* form "": plain */
  char stem[FOUILLE_TERM_MAX + 1];
  long article;
} occ;

typedef struct counter {
  occ *v;
  size_t n, cap;
  long article;
  const char *text;
  int last; /* the occurrence a colocated term belongs to, -1 none */
  int last_start, last_end;
} counter;

/* Every written word of the article, with the last term the analyzer gives
 * it (the accentless spelling's stem when there is one); a colocated term
 * of a longer span (a joined word, États-Unis) is not the word's. */
static int on_term(int flags, const char *term, int len, int start, int end, void *payload) {
  counter *c = payload;
  if (flags & FOUILLE_TERM_COLOCATED) {
    if (c->last >= 0 && start == c->last_start && end == c->last_end)
      snprintf(c->v[c->last].stem, sizeof c->v[0].stem, "%.*s", len, term);
    return 0;
  }
  c->last = -1, c->last_start = start, c->last_end = end;
  if (c->n == c->cap) c->v = realloc(c->v, (c->cap = c->cap ? c->cap * 2 : 1024) * sizeof *c->v);
  occ *o = &c->v[c->n];
  int fl, wl;
  if (fouille__lex_spell(c->text + start, (size_t)(end - start), o->form, &fl, o->word, &wl) != 1)
    return 0;
  if (strcmp(o->form, o->word) == 0) o->form[0] = '\0';
  snprintf(o->stem, sizeof o->stem, "%.*s", len, term);
  o->article = c->article;
  c->last = (int)c->n++;
  return 0;
}

static int by_word_form(const void *a, const void *b) {
  const occ *x = a, *y = b;
  int c = strcmp(x->word, y->word);
  if (!c) c = strcmp(x->form, y->form);
  return c ? c : (x->article > y->article) - (x->article < y->article);
}

static long distinct_articles(const occ *v, size_t from, size_t to, int plain_only) {
  long n = 0, last = -1;
  for (size_t i = from; i < to; i++)
    if ((!plain_only || !v[i].form[0]) && v[i].article != last) n++, last = v[i].article;
  return n;
}

/* The words of one folded word (v[from .. to), sorted) as a dump line. */
static void recount_word(dump *d, const occ *v, size_t from, size_t to) {
  occ *by_article = malloc((to - from) * sizeof *by_article);
  memcpy(by_article, v + from, (to - from) * sizeof *by_article);
  for (size_t i = 0; i < to - from; i++) by_article[i].form[0] = '\0'; /* articles only */
  qsort(by_article, to - from, sizeof *by_article, by_word_form);
  put(d, "%s %ld %ld %s", v[from].word, distinct_articles(by_article, 0, to - from, 0),
      distinct_articles(v, from, to, 1), v[from].stem);
  free(by_article);
  for (size_t i = from; i < to;) {
    size_t j = i;
    while (j < to && strcmp(v[j].form, v[i].form) == 0) j++;
    if (v[i].form[0]) put(d, " %s:%ld", v[i].form, distinct_articles(v, i, j, 0));
    i = j;
  }
  put(d, "\n");
}

/* The lexicon counted from scratch from the articles' titles and bodies. */
static char *recount(sqlite3 *db) {
  counter c = {NULL, 0, 0, 0, NULL, -1, 0, 0};
  dump d = {calloc(1, 1), 0, 1};
  fouille_analyzer *an;
  sqlite3_stmt *st;
  ck_assert_int_eq(fouille_analyzer_new(&an, 0), FOUILLE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT id, title, body FROM articles", -1, &st, NULL),
                   SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    c.article = sqlite3_column_int64(st, 0);
    for (int col = 1; col <= 2; col++) {
      if (!(c.text = (const char *)sqlite3_column_text(st, col))) continue;
      c.last = -1;
      fouille_analyzer_run(an, FOUILLE_ANALYZE_DOCUMENT, c.text,
                           (size_t)sqlite3_column_bytes(st, col), on_term, &c);
    }
  }
  sqlite3_finalize(st);
  fouille_analyzer_free(an);
  qsort(c.v, c.n, sizeof *c.v, by_word_form);
  for (size_t i = 0; i < c.n;) {
    size_t j = i;
    while (j < c.n && strcmp(c.v[j].word, c.v[i].word) == 0) j++;
    recount_word(&d, c.v, i, j);
    i = j;
  }
  free(c.v);
  return d.s;
}

/* The stored lexicon equals the recount (and is not empty). */
static char *check_exact(const char *path) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  char *a = stored(db), *b = recount(db);
  if (strcmp(a, b) != 0) {
    size_t i = 0;
    while (a[i] && a[i] == b[i]) i++;
    while (i > 0 && a[i - 1] != '\n') i--;
    ck_abort_msg("lexicon differs from the recount at\nstored : %.200s\nrecount: %.200s", a + i,
                 b + i);
  }
  free(b);
  sqlite3_close(db);
  return a; /* the dump, for the caller to look at (and free) */
}

/* ---- Tests --------------------------------------------------------------------------- */

START_TEST(build_matches_recount) {
  env e;
  setup_env(&e);
  const char *roots[] = {test_data("articles")};
  fouille_update_summary s = FOUILLE_UPDATE_SUMMARY_INIT;
  ck_assert_int_eq(fouille_index_update(&s, e.ix, roots, 1, NULL), FOUILLE_OK);
  free(check_exact(e.db));
  /* The memory the upkeep held is reported: some, and within the budget's. */
  ck_assert_uint_gt(s.lexicon_bytes, 1000);
  ck_assert_uint_lt(s.lexicon_bytes, 32u << 20);
  teardown_env(&e);
}
END_TEST

START_TEST(add_change_delete) {
  env e;
  if (_i == 1) fouille__fts5_cache_entries = 3; /* notes lost every few words (fts5_tap.h) */
  setup_env(&e);
  article(&e, "a.txt", "Élève studieux", "L'élève étudie la transparence. ÉLÈVE, élevé, eleve.");
  article(&e, "b.txt", "Réseau ferré", "Le réseau des réseaux : complètement saturé.");
  article(&e, "c.txt", "Transparence", "La transparence complète, complètement.");
  test_write(e.arch, "d.jsonl",
             "{\"id\":\"1\",\"title\":\"Paquets Debian\",\"body\":\"Un paquet, des paquets.\"}\n"
             "{\"id\":\"2\",\"title\":\"Noyau\",\"body\":\"Le noyau Linux et ses modules.\"}\n",
             (size_t)-1);
  ck_assert_int_eq(update_batch(&e, 2), FOUILLE_OK);
  char *d = check_exact(e.db);
  /* As the archive writes them, counted by hand. */
  ck_assert_ptr_nonnull(strstr(d, "\neleve 1 1 "));
  ck_assert_ptr_nonnull(strstr(d, " élevé:1 élève:1\n"));
  ck_assert_ptr_nonnull(strstr(d, "\ncompletement 2 0 complet complètement:2\n"));
  ck_assert_ptr_nonnull(strstr(d, "\nreseau 1 0 reseau réseau:1\n"));
  ck_assert_ptr_null(strstr(d, "\nles ")); /* under 4 letters */
  free(d);
  article(&e, "a.txt", "Élève studieuse", "Elle étudie les réseaux, pas la transparence.");
  char gone[4300];
  snprintf(gone, sizeof gone, "%s/b.txt", e.arch);
  unlink(gone);
  article(&e, "e.txt", "Nouveau", "Un article nouveau, tout nouveau, sur les élèves.");
  test_write(e.arch, "d.jsonl",
             "{\"id\":\"1\",\"title\":\"Paquets Debian\",\"body\":\"Un paquet, des paquets.\"}\n"
             "{\"id\":\"3\",\"title\":\"Modules\",\"body\":\"Les modules du noyau, chargés.\"}\n",
             (size_t)-1);
  ck_assert_int_eq(update_batch(&e, 2), FOUILLE_OK);
  free(check_exact(e.db));
  ck_assert_int_eq(fouille_index_delete(e.ix, "c.txt"), FOUILLE_OK);
  free(check_exact(e.db));
  teardown_env(&e);
}
END_TEST

/* Many words: rows split as they grow; deleting half keeps them exact; the
 * same when the words in memory are forgotten after every batch and
 * within one (_i = 1), and when the tokenizer's word cache empties itself
 * every few words, taking the words' notes with it (_i = 2, fts5_tap.h). */
START_TEST(many_words_split_rows) {
  env e;
  if (_i == 1) fouille__lexicon_keep_words = 50;
  if (_i == 2) fouille__fts5_cache_entries = 6;
  setup_env(&e);
  char body[6000], name[32];
  for (int a = 0; a < 40; a++) {
    size_t n = 0;
    for (int w = 0; w < 400; w++) {
      unsigned v = (unsigned)(a * 7919 + w * 104729) % 20011;
      n += (size_t)snprintf(body + n, sizeof body - n, "mot%c%c%c%c ", 'a' + v % 26,
                            'a' + v / 26 % 26, 'a' + v / 676 % 26, 'e' + a % 3);
    }
    snprintf(name, sizeof name, "f%02d.txt", a);
    article(&e, name, "Titre", body);
  }
  ck_assert_int_eq(update_batch(&e, 7), FOUILLE_OK);
  free(check_exact(e.db));
  for (int a = 0; a < 40; a += 2) {
    char path[4300];
    snprintf(path, sizeof path, "%s/f%02d.txt", e.arch, a);
    unlink(path);
  }
  ck_assert_int_eq(update_batch(&e, 3), FOUILLE_OK);
  free(check_exact(e.db));
  teardown_env(&e);
}
END_TEST

static int kill_after(const fouille_progress *p, void *payload) {
  if (p->files_seen == (size_t)(long)payload) raise(SIGKILL);
  return 0;
}

/* A run killed mid-way leaves the lexicon of its last commit. */
START_TEST(killed_run_stays_exact) {
  env e;
  setup_env(&e);
  char name[32], body[256];
  for (int a = 0; a < 30; a++) {
    snprintf(name, sizeof name, "k%02d.txt", a);
    snprintf(body, sizeof body, "Article numéro %d : les mots%c%c changent, élèves%c.", a,
             'a' + a % 26, 'a' + a % 7, 'a' + a % 5);
    article(&e, name, "Article", body);
  }
  pid_t pid = fork();
  if (pid == 0) {
    const char *roots[] = {e.arch};
    fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
    o.batch_articles = 4, o.progress = kill_after, o.payload = (void *)17L;
    fouille_index_update(NULL, e.ix, roots, 1, &o);
    _exit(0);
  }
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFSIGNALED(status));
  free(check_exact(e.db));
  ck_assert_int_eq(update_batch(&e, 4), FOUILLE_OK);
  free(check_exact(e.db));
  teardown_env(&e);
}
END_TEST

static long long sql_int(const char *path, const char *sql) {
  sqlite3 *db;
  sqlite3_stmt *st;
  long long v = -1;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static void sql_exec(const char *path, const char *sql) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

/* The did_you_mean of a search for q. */
static char *suggestion(fouille_index *ix, const char *q) {
  fouille_results *r;
  ck_assert_int_eq(fouille_search(&r, ix, q, NULL), FOUILLE_OK);
  const char *d = fouille_results_did_you_mean(r);
  char *out = d ? strdup(d) : NULL;
  fouille_results_free(r);
  return out;
}

/* An index of schema 2 is upgraded in place: the lexicon is counted by the
 * next update, and searches correct nothing until then. */
START_TEST(upgrade_counts_lexicon) {
  env e;
  setup_env(&e);
  article(&e, "a.txt", "Transparence", "La transparence de la vie publique, transparence.");
  article(&e, "b.txt", "Réseau", "Le réseau ferré national.");
  ck_assert_int_eq(update_batch(&e, 10), FOUILLE_OK);
  fouille_index_close(e.ix);
  sql_exec(e.db, "DROP TABLE lexicon; DROP TABLE changes;"
                 " UPDATE meta SET value='2' WHERE key='schema_version'");
  ck_assert_int_eq(fouille_index_open(&e.ix, e.db, NULL), FOUILLE_OK);
  ck_assert_int_eq(sql_int(e.db, "SELECT value FROM meta WHERE key='schema_version'"),
                   FOUILLE_SCHEMA_VERSION);
  ck_assert_int_eq(sql_int(e.db, "SELECT count(*) FROM meta WHERE key='lexicon'"), 1);
  ck_assert_ptr_null(suggestion(e.ix, "transparance"));
  ck_assert_int_eq(update_batch(&e, 10), FOUILLE_OK);
  ck_assert_int_eq(sql_int(e.db, "SELECT count(*) FROM meta WHERE key='lexicon'"), 0);
  free(check_exact(e.db));
  char *s = suggestion(e.ix, "transparance");
  ck_assert_str_eq(s, "transparence");
  free(s);
  teardown_env(&e);
}
END_TEST

/* Articles from a program (a stream root): put, replaced, deleted, in
 * batches; the root forgotten; a rebuild analysing the stream again. */
static void writer_put(fouille_writer *w, const char *key, const char *title, const char *body) {
  fouille_article_data a = FOUILLE_ARTICLE_DATA_INIT;
  a.title = title, a.body = body;
  ck_assert_int_eq(fouille_writer_put(w, key, &a), FOUILLE_OK);
}

START_TEST(writer_forget_rebuild) {
  env e;
  fouille_writer *w = NULL;
  fouille_writer_options wo = FOUILLE_WRITER_OPTIONS_INIT;
  fouille_update_options uo = FOUILLE_UPDATE_OPTIONS_INIT;
  setup_env(&e);
  article(&e, "a.txt", "Réseau ferré", "Le réseau des réseaux, complètement saturé.");
  ck_assert_int_eq(update_batch(&e, 10), FOUILLE_OK);
  wo.batch_articles = 2;
  ck_assert_int_eq(fouille_writer_open(&w, e.ix, "flux", &wo), FOUILLE_OK);
  writer_put(w, "flux/1", "Transparence", "La transparence complète, complètement.");
  writer_put(w, "flux/2", "Élève", "Un élève studieux et des élèves.");
  writer_put(w, "flux/3", "Paquets", "Les paquets Debian, un paquet.");
  writer_put(w, "flux/1", "Transparence fiscale", "La transparence fiscale, enfin.");
  ck_assert_int_eq(fouille_writer_delete(w, "flux/2"), FOUILLE_OK);
  ck_assert_int_eq(fouille_writer_commit(w), FOUILLE_OK);
  free(check_exact(e.db));
  writer_put(w, "flux/4", "Noyau", "Le noyau Linux et ses modules chargés.");
  ck_assert_int_eq(fouille_writer_close(w), FOUILLE_OK);
  char *d = check_exact(e.db);
  ck_assert_ptr_nonnull(strstr(d, "\nfiscale 1 1 "));
  ck_assert_ptr_null(strstr(d, "\nstudieux "));
  free(d);
  uo.rebuild = 1;
  const char *roots[] = {e.arch};
  ck_assert_int_eq(fouille_index_update(NULL, e.ix, roots, 1, &uo), FOUILLE_OK);
  d = check_exact(e.db);
  ck_assert_ptr_nonnull(strstr(d, "\nnoyau "));
  free(d);
  ck_assert_int_eq(fouille_index_forget(NULL, e.ix, "flux", NULL), FOUILLE_OK);
  d = check_exact(e.db);
  ck_assert_ptr_null(strstr(d, "\nnoyau "));
  ck_assert_ptr_nonnull(strstr(d, "\nreseau "));
  free(d);
  teardown_env(&e);
}
END_TEST

int main(void) {
  Suite *s = suite_create("lexicon");
  TCase *tc = tcase_create("lexicon");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, build_matches_recount);
  tcase_add_loop_test(tc, add_change_delete, 0, 2);
  tcase_add_loop_test(tc, many_words_split_rows, 0, 3);
  tcase_add_test(tc, killed_run_stays_exact);
  tcase_add_test(tc, upgrade_counts_lexicon);
  tcase_add_test(tc, writer_forget_rebuild);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
