/* plain_loader: the baseline for bench index — loads the same articles as
 * fouille-index (a folder of .txt files: title line, blank line, body; or
 * JSON Lines files) into a plain FTS5 table (unicode61 remove_diacritics 2)
 * and nothing else. Two ways of loading, both benchmark baselines:
 *   default             WAL, a commit every 2,000 articles (what a tool
 *                       that readers use meanwhile would do);
 *   --one-transaction   the default rollback journal and one BEGIN…COMMIT
 *                       around everything: the fastest load, what a user
 *                       writes with executemany.
 * The key column (unindexed) holds the file path or the JSON "id", for the
 * evaluation; rank is bm25(5.0, 1.0): the title weighs 5 times the body. */
#include <ftw.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 2000

static sqlite3 *db;
static sqlite3_stmt *ins;
static long n_articles, in_batch;
static int one_transaction; /* --one-transaction: no batch commits */

static int exec(const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "plain_loader: %s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    return -1;
  }
  return 0;
}

static int insert(const char *key, const char *title, size_t tlen, const char *body, size_t blen) {
  sqlite3_bind_text(ins, 1, title, (int)tlen, SQLITE_STATIC);
  sqlite3_bind_text(ins, 2, body, (int)blen, SQLITE_STATIC);
  sqlite3_bind_text(ins, 3, key, -1, SQLITE_STATIC);
  int rc = sqlite3_step(ins);
  sqlite3_reset(ins);
  if (rc != SQLITE_DONE) {
    fprintf(stderr, "plain_loader: insert: %s\n", sqlite3_errmsg(db));
    return -1;
  }
  n_articles++;
  if (!one_transaction && ++in_batch >= BATCH) {
    in_batch = 0;
    return exec("COMMIT; BEGIN");
  }
  return 0;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (cap - n < 65536) {
      char *b = realloc(buf, cap = cap * 2 + 65536);
      if (!b) break;
      buf = b;
    }
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
  } while (got > 0);
  fclose(f);
  if (buf) buf[n] = 0;
  *len = n;
  return buf;
}

static int load_txt(const char *path) {
  size_t len;
  char *s = slurp(path, &len);
  if (!s) return 0; /* unreadable: skipped, like fouille-index */
  char *nl = memchr(s, '\n', len);
  size_t tlen = nl ? (size_t)(nl - s) : len;
  const char *body = nl ? nl + 1 : s + len;
  while (*body == '\n') body++;
  int rc = insert(path, s, tlen, body, len - (size_t)(body - s));
  free(s);
  return rc;
}

static int load_jsonl(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int rc = 0;
  while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
    json_t *o = json_loadb(line, (size_t)n, 0, NULL);
    const char *t = json_string_value(json_object_get(o, "title"));
    const char *b = json_string_value(json_object_get(o, "body"));
    const char *id = json_string_value(json_object_get(o, "id"));
    if (b) rc = insert(id ? id : "", t ? t : "", t ? strlen(t) : 0, b, strlen(b));
    json_decref(o);
  }
  free(line);
  fclose(f);
  return rc;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st, (void)ftw;
  if (type != FTW_F) return 0;
  if (ends_with(path, ".txt")) return load_txt(path);
  if (ends_with(path, ".jsonl")) return load_jsonl(path);
  return 0;
}

int main(int argc, char **argv) {
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--one-transaction") == 0) one_transaction = 1, first = 2;
  if (argc - first < 2) {
    fprintf(stderr, "usage: plain_loader [--one-transaction] DB PATH...  (PATH: folder of .txt, "
                    "or .jsonl)\n");
    return 2;
  }
  int rc = 3;
  const char *path = argv[first];
  remove(path);
  if (sqlite3_open(path, &db) != SQLITE_OK) goto done;
  if (!one_transaction && exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;") != 0)
    goto done;
  if (exec("CREATE VIRTUAL TABLE t USING fts5(title, body, key UNINDEXED,"
           " tokenize='unicode61 remove_diacritics 2');"
           "INSERT INTO t(t, rank) VALUES ('rank', 'bm25(5.0, 1.0)'); BEGIN") != 0)
    goto done;
  if (sqlite3_prepare_v2(db, "INSERT INTO t(title, body, key) VALUES (?, ?, ?)", -1, &ins, NULL))
    goto done;
  for (int i = first + 1; i < argc; i++)
    if (nftw(argv[i], visit, 32, FTW_PHYS) != 0) goto done;
  if (exec("COMMIT") != 0) goto done;
  printf("{\"loader\":\"plain_fts5\",\"mode\":\"%s\",\"articles\":%ld}\n",
         one_transaction ? "one_transaction" : "wal_batches", n_articles);
  rc = 0;
done:
  if (rc) fprintf(stderr, "plain_loader: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return rc;
}
