/* JSON Lines in an update run: the file is streamed line by line (never
 * loaded whole); each line's hash is compared with its article's, so only
 * changed lines are rewritten, and articles whose id vanished are deleted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <xxhash.h>

#include "error.h"
#include "update.h"

int fouille__update_hash_file(const char *path, uint64_t *h, uint64_t *bytes, char *err,
                              size_t errsz) {
  char buf[1 << 16];
  size_t n;
  XXH3_state_t *hs = XXH3_createState();
  FILE *fp = hs ? fopen(path, "rb") : NULL;
  if (!fp) {
    snprintf(err, errsz, "cannot read: %s", hs ? strerror(errno) : "out of memory");
    goto done;
  }
  XXH3_64bits_reset(hs);
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
    XXH3_64bits_update(hs, buf, n);
    *bytes += n;
  }
  if (ferror(fp)) snprintf(err, errsz, "cannot read: %s", strerror(errno));
  *h = XXH3_64bits_digest(hs);
  fclose(fp);
done:
  XXH3_freeState(hs);
  return err[0] ? -1 : 0;
}

static int jsonl_article(fouille__upd *u, const char *key, const fouille__article *a) {
  char msg[300];
  sqlite3_stmt *get = u->st[FOUILLE__S_ART_GET];
  int64_t id = 0, file_id = 0;
  uint64_t h = 0;
  int found, dup, rc;
  if (u->fresh) {
    /* A new file: no lookups nor seen ids (3 statements per line); a key
     * that exists can only be an earlier line's, a duplicate. */
    if ((rc = fouille__update_article_add(u, key, a, u->line_hash, &id)) || id) return rc;
    snprintf(msg, sizeof msg, "duplicate id '%.200s', line ignored", a->id ? a->id : "");
    fouille__update_problem(u, u->path, a->line, msg, 1);
    return FOUILLE_OK;
  }
  sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step(get);
  if ((found = rc == SQLITE_ROW)) {
    id = sqlite3_column_int64(get, 0);
    h = (uint64_t)sqlite3_column_int64(get, 1);
    file_id = sqlite3_column_int64(get, 2);
  }
  sqlite3_reset(get);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fouille__update_fail(u, "reading articles");
  if (found) {
    if ((rc = fouille__update_seen_check(u, id, &dup))) return rc;
    if (dup) {
      snprintf(msg, sizeof msg, "duplicate id '%.200s', line ignored", a->id ? a->id : "");
      fouille__update_problem(u, u->path, a->line, msg, 1);
      return FOUILLE_OK;
    }
    if (h == u->line_hash && file_id == u->file_id) return FOUILLE_OK;
  }
  if ((rc = fouille__update_article_put(u, key, a, u->line_hash, &id))) return rc;
  return found ? FOUILLE_OK : fouille__update_seen_check(u, id, &dup);
}

static int on_jsonl_article(void *ctx, const fouille__article *a) {
  fouille__upd *u = ctx;
  if (a->deleted) return 0; /* not in the file: deleted with the ids that vanished */
  char *key = a->id ? sqlite3_mprintf("%s#%s", u->f->key, a->id)
                    : sqlite3_mprintf("%s#line%lu", u->f->key, a->line);
  if (!key)
    u->fatal = fouille__error(FOUILLE_ENOMEM, "out of memory");
  else if (fouille__update_article_fits(u, key, a))
    u->fatal = jsonl_article(u, key, a);
  sqlite3_free(key);
  return u->fatal ? 1 : 0;
}

/* Reports a malformed line; the reader's message starts with "line N: ". */
static void bad_line(fouille__upd *u, unsigned long lineno) {
  const char *m = fouille_error_last();
  if (strncmp(m, "line ", 5) == 0 && strchr(m, ':')) m = strchr(m, ':') + 1;
  while (*m == ' ') m++;
  fouille__update_problem(u, u->path, lineno, *m ? m : "unreadable line", 0);
  u->sum->articles_skipped++;
}

/* Reads and indexes every line; a read error (getline's -1 is also the end
 * of the file) leaves its message in err. */
static int jsonl_lines(fouille__upd *u, FILE *fp, XXH3_state_t *hs, uint64_t *bytes, char *err,
                       size_t errsz) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  unsigned long lineno = 0;
  int rc = FOUILLE_OK;
  fouille__reader_ctx rctx = {on_jsonl_article, fouille__update_on_problem, u};
  while (rc == FOUILLE_OK && (n = getline(&line, &cap, fp)) > 0) {
    XXH3_64bits_update(hs, line, (size_t)n);
    *bytes += (uint64_t)n;
    lineno++;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    line[n] = '\0';
    u->line_hash = XXH3_64bits(line, (size_t)n);
    u->fatal = 0;
    fouille__error_clear();
    int prc = fouille__read_jsonl_line(line, (size_t)n, lineno, &rctx);
    if (u->fatal)
      rc = u->fatal;
    else if (prc < 0)
      bad_line(u, lineno);
    if (rc == FOUILLE_OK) rc = fouille__update_tx_roll(u);
  }
  int e = errno;
  if (rc == FOUILLE_OK && ferror(fp))
    snprintf(err, errsz, "cannot read: %s (after line %lu)", strerror(e), lineno);
  free(line);
  return rc;
}

/* Deletes the file's articles whose line is gone, records the new hash. */
static int jsonl_finish(fouille__upd *u, uint64_t bytes, uint64_t h) {
  int rc = FOUILLE_OK;
  if (!u->fresh) {
    rc = fouille__update_stale_delete(u);
  }
  if (!rc)
    rc = fouille__update_file_put(u, u->f->key, (int64_t)bytes, u->f->mtime_ns, h, NULL, NULL);
  if (!rc && !u->fresh) rc = fouille__update_seen_reset(u);
  return rc;
}

int fouille__update_jsonl(fouille__upd *u, const fouille__file_row *row) {
  char err[512] = "";
  uint64_t h = 0, bytes = 0;
  FILE *fp = NULL;
  XXH3_state_t *hs = NULL;
  int rc = FOUILLE_OK;
  if (row->exists && row->ok) {
    if (fouille__update_hash_file(u->path, &h, &bytes, err, sizeof err)) goto skipped;
    u->prog.bytes_read += bytes;
    u->sum->bytes_read += bytes;
    if (h == row->hash) {
      u->sum->unchanged++;
      fouille__update_change(u, u->f->key, FOUILLE_FILE_UNCHANGED);
      return fouille__update_file_put(u, u->f->key, (int64_t)bytes, u->f->mtime_ns, h, NULL, NULL);
    }
    bytes = 0;
  }
  if (!(fp = fopen(u->path, "rb")) || !(hs = XXH3_createState())) {
    snprintf(err, sizeof err, "cannot read: %s", fp ? "out of memory" : strerror(errno));
    goto skipped;
  }
  u->file_id = row->id;
  if (!row->exists && (rc = fouille__update_file_put(u, u->f->key, -1, -1, 0, NULL, &u->file_id)))
    goto done;
  XXH3_64bits_reset(hs);
  u->fresh = !row->exists;
  if ((!u->fresh && (rc = fouille__update_seen_reset(u))) ||
      (rc = jsonl_lines(u, fp, hs, &bytes, err, sizeof err)))
    goto done;
  u->prog.bytes_read += bytes;
  u->sum->bytes_read += bytes;
  /* Unread lines: their articles stay, the file is recorded with its error
   * (and read again by the next run). */
  if (err[0]) {
    if (!u->fresh && (rc = fouille__update_seen_reset(u))) goto done;
    goto skipped;
  }
  if ((rc = jsonl_finish(u, bytes, XXH3_64bits_digest(hs)))) goto done;
  *(row->exists ? &u->sum->changed : &u->sum->added) += 1;
  fouille__update_change(u, u->f->key, row->exists ? FOUILLE_FILE_CHANGED : FOUILLE_FILE_ADDED);
  goto done;
skipped:
  rc = fouille__update_file_skipped(u, row, err, 0);
done:
  if (fp) fclose(fp);
  XXH3_freeState(hs);
  return rc;
}
