/* Formatting for fouille-index: progress bar, summary line, stats text and
 * the --json documents, on the public API only. */
#include "index_output.h"

#include <jansson.h>
#include <string.h>

void fouille__cli_progress(FILE *out, const fouille_progress *p) {
  double mb = (double)p->bytes_read / 1048576.0, t = p->elapsed_seconds;
  double rate = t > 0 ? mb / t : 0, eta = 0;
  if (p->files_seen > 0 && p->files_total > p->files_seen)
    eta = t * (double)(p->files_total - p->files_seen) / (double)p->files_seen;
  int pct = p->files_total ? (int)(100 * p->files_seen / p->files_total) : 0;
  char bar[21];
  for (int i = 0; i < 20; i++) bar[i] = i < pct / 5 ? '#' : '.';
  bar[20] = '\0';
  fprintf(out, "\r[%s] %3d%% %llu/%llu files, %llu articles, %.1f MB/s, ETA %.0f s\033[K", bar, pct,
          (unsigned long long)p->files_seen, (unsigned long long)p->files_total,
          (unsigned long long)p->articles_done, rate, eta);
  fflush(out);
}

void fouille__cli_progress_clear(FILE *out) {
  fputs("\r\033[K", out);
  fflush(out);
}

void fouille__cli_summary(char *buf, size_t size, const fouille_update_summary *s) {
  unsigned long long arts = s->articles_added + s->articles_updated;
  snprintf(buf, size,
           "%llu added, %llu changed, %llu deleted, %llu unchanged, %llu skipped with errors"
           " (%llu warnings), %llu articles skipped, %llu articles in %.1f s%s",
           (unsigned long long)s->added, (unsigned long long)s->changed,
           (unsigned long long)s->deleted, (unsigned long long)s->unchanged,
           (unsigned long long)s->skipped, (unsigned long long)s->warnings,
           (unsigned long long)s->articles_skipped, arts, s->seconds,
           s->rebuilt ? " (rebuilt)" : "");
}

void fouille__cli_stats(FILE *out, const fouille_stats *s) {
  fprintf(out,
          "articles: %llu\nfiles: %llu\nfiles with errors: %llu\nterms: %llu\n"
          "database bytes: %llu\ntext bytes: %llu\nanalyzer version: %d\n"
          "schema version: %d\nlast run: %s\n",
          (unsigned long long)s->articles, (unsigned long long)s->files,
          (unsigned long long)s->files_with_errors, (unsigned long long)s->terms,
          (unsigned long long)s->db_bytes, (unsigned long long)s->text_bytes, s->analyzer_version,
          s->schema_version, s->last_run[0] ? s->last_run : "never");
}

static json_t *update_json(const fouille_update_summary *s, int dry_run) {
  return json_pack(
      "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:b,s:b}", "added",
      (json_int_t)s->added, "changed", (json_int_t)s->changed, "deleted", (json_int_t)s->deleted,
      "unchanged", (json_int_t)s->unchanged, "skipped", (json_int_t)s->skipped, "articles_added",
      (json_int_t)s->articles_added, "articles_updated", (json_int_t)s->articles_updated,
      "articles_deleted", (json_int_t)s->articles_deleted, "articles_skipped",
      (json_int_t)s->articles_skipped, "warnings", (json_int_t)s->warnings, "bytes_read",
      (json_int_t)s->bytes_read, "lexicon_bytes", (json_int_t)s->lexicon_bytes, "seconds",
      s->seconds, "rebuilt", s->rebuilt, "dry_run", dry_run);
}

static const char *const kind_names[] = {"folder", "file", "stream"};

void fouille__cli_roots(FILE *out, const fouille_roots *roots) {
  for (size_t i = 0; i < fouille_roots_count(roots); i++) {
    const fouille_root *r = fouille_roots_get(roots, i);
    fprintf(out, "root: %s %s", kind_names[r->kind], r->path);
    if (r->kind == FOUILLE_ROOT_FILE) fprintf(out, ", key '%s'", r->prefix);
    if (r->kind == FOUILLE_ROOT_FOLDER && r->prefix[0]) fprintf(out, ", keys '%s…'", r->prefix);
    if (r->kind != FOUILLE_ROOT_STREAM) fprintf(out, ", %llu files", (unsigned long long)r->files);
    fprintf(out, ", %llu articles, last update %s\n", (unsigned long long)r->articles,
            r->last_update[0] ? r->last_update : "never");
  }
}

void fouille__cli_forget_summary(char *buf, size_t size, const char *root,
                                 const fouille_update_summary *s, int dry_run) {
  snprintf(buf, size, "%s: %llu files, %llu articles %s", root, (unsigned long long)s->deleted,
           (unsigned long long)s->articles_deleted,
           dry_run ? "would be deleted (dry run)" : "deleted, root forgotten");
}

void fouille__cli_stream_summary(char *buf, size_t size, const char *name,
                                 const fouille_update_summary *s) {
  snprintf(buf, size,
           "%s: %llu added, %llu updated, %llu deleted, %llu unchanged, %llu skipped with errors"
           " (%llu warnings) in %.1f s",
           name, (unsigned long long)s->articles_added, (unsigned long long)s->articles_updated,
           (unsigned long long)s->articles_deleted, (unsigned long long)s->unchanged,
           (unsigned long long)s->articles_skipped, (unsigned long long)s->warnings, s->seconds);
}

static json_t *stream_json(const char *name, const fouille_update_summary *s) {
  return json_pack(
      "{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "root", name, "articles_added",
      (json_int_t)s->articles_added, "articles_updated", (json_int_t)s->articles_updated,
      "articles_deleted", (json_int_t)s->articles_deleted, "unchanged", (json_int_t)s->unchanged,
      "articles_skipped", (json_int_t)s->articles_skipped, "warnings", (json_int_t)s->warnings,
      "bytes_read", (json_int_t)s->bytes_read, "seconds", s->seconds);
}

static json_t *roots_json(const fouille_roots *roots) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < fouille_roots_count(roots); i++) {
    const fouille_root *r = fouille_roots_get(roots, i);
    if (json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s?}", "kind", kind_names[r->kind], "path",
                         r->path, "prefix", r->prefix, "files", (json_int_t)r->files, "articles",
                         (json_int_t)r->articles, "created", r->created, "last_update",
                         r->last_update[0] ? r->last_update : NULL))) {
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

static json_t *stats_json(const fouille_stats *s) {
  return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:i,s:s?}", "articles", (json_int_t)s->articles,
                   "files", (json_int_t)s->files, "files_with_errors",
                   (json_int_t)s->files_with_errors, "terms", (json_int_t)s->terms, "db_bytes",
                   (json_int_t)s->db_bytes, "text_bytes", (json_int_t)s->text_bytes,
                   "analyzer_version", s->analyzer_version, "schema_version", s->schema_version,
                   "last_run", s->last_run[0] ? s->last_run : NULL);
}

int fouille__cli_json(FILE *out, const fouille__cli_report *r) {
  json_t *root = json_object(), *st = NULL;
  int rc = -1;
  if (!root) return -1;
  if (r->forget && json_object_set_new(
                       root, "forget",
                       json_pack("{s:s,s:I,s:I,s:b}", "root", r->forget_root, "deleted",
                                 (json_int_t)r->forget->deleted, "articles_deleted",
                                 (json_int_t)r->forget->articles_deleted, "dry_run", r->dry_run)))
    goto done;
  if (r->update && json_object_set_new(root, "update", update_json(r->update, r->dry_run)))
    goto done;
  if (r->stream && json_object_set_new(root, "stream", stream_json(r->stream_root, r->stream)))
    goto done;
  if (r->check_status &&
      json_object_set_new(root, "check",
                          json_pack("{s:b,s:s}", "ok", *r->check_status == 0, "message",
                                    r->check_msg ? r->check_msg : "")))
    goto done;
  if (r->stats && (!(st = stats_json(r->stats)) || json_object_set_new(root, "stats", st)))
    goto done;
  if (r->roots && json_object_set_new(st, "roots", roots_json(r->roots))) goto done;
  rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII) == 0 ? 0 : -1;
  fputc('\n', out);
done:
  json_decref(root);
  return rc;
}
