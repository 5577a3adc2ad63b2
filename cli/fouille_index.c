/* fouille-index: bring a Fouille index up to date with an archive of
 * articles, or check it / show its stats. Thin: parses options, calls the
 * library, prints with the library's formatters. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fouille/index.h"
#include "index_args.h"
#include "index_output.h"

enum { EXIT_OKAY = 0, EXIT_SKIPPED = 1, EXIT_USAGE = 2, EXIT_FAIL = 3 };

/* The parsed command line and the progress bar's state. */
typedef struct cli {
  fouille__index_args a;
  int bar_drawn;
  double last_draw;
} cli;

static void usage(FILE *out) {
  fputs("usage: fouille-index [--db FILE] [options] [PATH...]\n"
        "       fouille-index [--db FILE] --check | --stats | --forget ROOT\n"
        "Index the articles (.txt .md .html .jsonl) under each PATH; without PATH,\n"
        "update every root the index recorded.\n"
        "  --db FILE            index file (default $FOUILLE_DB or ./fouille.db)\n"
        "  --rebuild            read every root again, from scratch\n"
        "  --optimize           merge the full-text index after the update\n"
        "  --check              check the index\n"
        "  --stats              show index statistics and roots\n"
        "  --forget ROOT        remove a root and its articles\n"
        "  --stdin NAME         read JSON Lines from standard input into the root NAME\n"
        "  --watch              after the update, follow the PATHs (or every root)\n"
        "                       and index each change; SIGINT/SIGTERM stop it\n"
        "  --dry-run            print what would change, change nothing\n"
        "  --exclude GLOB       skip matching paths or names (repeatable)\n"
        "  --no-delete          keep articles whose files vanished\n"
        "  --max-file-size MB   skip larger files (default 64)\n"
        "  --batch N            articles per transaction (default 2000)\n"
        "  --quiet              no progress bar nor summary\n"
        "  --json               machine-readable output on stdout\n"
        "  --help, --version\n",
        out);
}

static void on_problem(const char *path, unsigned long line, const char *msg, int is_warning,
                       void *payload) {
  cli *c = payload;
  if (c->bar_drawn) fouille__cli_progress_clear(stderr);
  c->bar_drawn = 0;
  if (line)
    fprintf(stderr, "fouille-index: %s:%lu: %s%s\n", path, line, is_warning ? "warning: " : "",
            msg);
  else
    fprintf(stderr, "fouille-index: %s: %s%s\n", path, is_warning ? "warning: " : "", msg);
}

static void on_change(const char *path, fouille_file_change change, void *payload) {
  static const char *const names[] = {"added", "changed", "deleted", NULL, "skipped"};
  cli *c = payload;
  if (c->a.dry_run && !c->a.json && names[change]) printf("%s %s\n", names[change], path);
}

static int on_progress(const fouille_progress *p, void *payload) {
  cli *c = payload;
  if (p->elapsed_seconds - c->last_draw < 0.1 && p->files_seen != p->files_total) return 0;
  c->last_draw = p->elapsed_seconds;
  fouille__cli_progress(stderr, p);
  c->bar_drawn = 1;
  return 0;
}

static int run_update(cli *c, fouille_index *ix, char **paths, int n, fouille_update_summary *sum) {
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.rebuild = c->a.rebuild;
  o.dry_run = c->a.dry_run;
  o.no_delete = c->a.no_delete;
  o.optimize = c->a.optimize;
  o.excludes = c->a.excludes;
  o.n_excludes = c->a.n_excludes;
  o.batch_articles = c->a.batch;
  o.max_file_bytes = c->a.max_bytes;
  o.problem = on_problem;
  o.change = on_change;
  o.progress = !c->a.quiet && isatty(STDERR_FILENO) ? on_progress : NULL;
  o.payload = c;
  int rc = fouille_index_update(sum, ix, (const char *const *)paths, (size_t)n, &o);
  if (c->bar_drawn) fouille__cli_progress_clear(stderr);
  if (rc != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return n == 0 && rc == FOUILLE_ENOTFOUND ? EXIT_USAGE : EXIT_FAIL; /* no root recorded */
  }
  if (!c->a.quiet && !c->a.json) {
    char line[512];
    fouille__cli_summary(line, sizeof line, sum);
    printf("fouille-index: %s\n", line);
  }
  return sum->skipped || sum->articles_skipped ? EXIT_SKIPPED : EXIT_OKAY;
}

static int run_forget(cli *c, fouille_index *ix, fouille_update_summary *sum) {
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  char line[1024];
  o.dry_run = c->a.dry_run;
  o.change = on_change;
  o.payload = c;
  if (fouille_index_forget(sum, ix, c->a.forget, &o) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return EXIT_FAIL;
  }
  fouille__cli_forget_summary(line, sizeof line, c->a.forget, sum, c->a.dry_run);
  if (!c->a.quiet && !c->a.json) printf("fouille-index: %s\n", line);
  return EXIT_OKAY;
}

static volatile sig_atomic_t stop_signal;
static void on_signal(int sig) { stop_signal = sig; }
static int stop_asked(void *payload) { return (void)payload, stop_signal != 0; }

/* --stdin NAME: SIGINT and SIGTERM stop it after a commit. */
static int run_stdin(cli *c, fouille_index *ix, fouille_update_summary *sum) {
  fouille_writer_options wo = FOUILLE_WRITER_OPTIONS_INIT;
  fouille_writer *w = NULL;
  struct sigaction sa;
  char line[512];
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: the wait for input wakes up */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  wo.batch_articles = c->a.batch;
  wo.problem = on_problem;
  wo.stop = stop_asked;
  wo.payload = c;
  int rc = fouille_writer_open(&w, ix, c->a.input, &wo);
  if (!rc) rc = fouille_writer_read_jsonl(sum, w, STDIN_FILENO);
  if (rc && rc != FOUILLE_EABORT) fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
  int crc = fouille_writer_close(w);
  if (crc && !rc) fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
  if ((rc && rc != FOUILLE_EABORT) || crc) return EXIT_FAIL;
  fouille__cli_stream_summary(line, sizeof line, c->a.input, sum);
  if (!c->a.quiet && !c->a.json) printf("fouille-index: %s\n", line);
  return sum->articles_skipped ? EXIT_SKIPPED : EXIT_OKAY;
}

static void on_batch(const fouille_update_summary *sum, size_t n_paths, int full, void *payload) {
  cli *c = payload;
  char line[512];
  if (c->a.quiet) return;
  fouille__cli_summary(line, sizeof line, sum);
  if (full)
    printf("fouille-index: %s\n", line);
  else
    printf("fouille-index: watch: %zu path%s: %s\n", n_paths, n_paths == 1 ? "" : "s", line);
  fflush(stdout);
}

/* --watch: SIGINT and SIGTERM finish the current batch, then exit 0. */
static int run_watch(cli *c, fouille_index *ix, char **paths, int n) {
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  fouille_watch_options wo = FOUILLE_WATCH_OPTIONS_INIT;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  o.rebuild = c->a.rebuild;
  o.no_delete = c->a.no_delete;
  o.optimize = c->a.optimize;
  o.excludes = c->a.excludes;
  o.n_excludes = c->a.n_excludes;
  o.batch_articles = c->a.batch;
  o.max_file_bytes = c->a.max_bytes;
  o.problem = on_problem;
  o.payload = c;
  wo.update = &o;
  wo.stop = stop_asked;
  wo.batch = on_batch;
  wo.payload = c;
  int rc = fouille_index_watch(ix, (const char *const *)paths, (size_t)n, &wo);
  if (rc == FOUILLE_OK) return EXIT_OKAY;
  fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
  return n == 0 && rc == FOUILLE_ENOTFOUND ? EXIT_USAGE : EXIT_FAIL;
}

static int run_stats(cli *c, fouille_index *ix, fouille_stats *st, fouille_roots **roots) {
  if (fouille_index_stats(st, ix) != FOUILLE_OK || fouille_index_roots(roots, ix) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return EXIT_FAIL;
  }
  if (!c->a.json) fouille__cli_stats(stdout, st);
  if (!c->a.json) fouille__cli_roots(stdout, *roots);
  return EXIT_OKAY;
}

static int run(cli *c, fouille_index *ix, char **paths, int n) {
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT, fsum = FOUILLE_UPDATE_SUMMARY_INIT;
  fouille_stats st = FOUILLE_STATS_INIT;
  fouille_roots *roots = NULL;
  int exit_code = EXIT_OKAY, check_rc = 0;
  char check_msg[1024] = "";
  if (c->a.watch) return run_watch(c, ix, paths, n);
  if (c->a.forget && run_forget(c, ix, &fsum) == EXIT_FAIL) return EXIT_FAIL;
  if (c->a.input && (exit_code = run_stdin(c, ix, &sum)) == EXIT_FAIL) return EXIT_FAIL;
  if (c->a.update && (exit_code = run_update(c, ix, paths, n, &sum)) >= EXIT_USAGE)
    return exit_code;
  if (n == 0 && c->a.optimize && fouille_index_optimize(ix) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return EXIT_FAIL;
  }
  if (c->a.check && (check_rc = fouille_index_check(ix)) != FOUILLE_OK) {
    snprintf(check_msg, sizeof check_msg, "%s", fouille_error_last());
    fprintf(stderr, "fouille-index: check failed: %s\n", check_msg);
    exit_code = EXIT_FAIL;
  } else if (c->a.check && !c->a.json && !c->a.quiet) {
    printf("fouille-index: %s: check ok\n", fouille_index_path(ix));
  }
  if (c->a.stats && run_stats(c, ix, &st, &roots) == EXIT_FAIL) {
    fouille_roots_free(roots);
    return EXIT_FAIL;
  }
  fouille__cli_report rep = {c->a.update ? &sum : NULL,
                             c->a.dry_run,
                             c->a.check ? &check_rc : NULL,
                             check_msg,
                             c->a.stats ? &st : NULL,
                             roots,
                             c->a.forget,
                             c->a.forget ? &fsum : NULL,
                             c->a.input,
                             c->a.input ? &sum : NULL};
  if (c->a.json) fouille__cli_json(stdout, &rep);
  fouille_roots_free(roots);
  return exit_code;
}

/* The index, opened for what the command line asks: only an update,
 * --optimize, --forget, --stdin or --check (FTS5's integrity-check is a
 * write) need the write connection; none of them creates a missing index
 * without PATHs. */
static int open_index(const fouille__index_args *a, const char *db, fouille_index **ix) {
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  io.read_only = !a->update && !a->optimize && !a->check && !a->forget && !a->input;
  io.read_pool_size = 1;
  if (a->n_paths == 0 && !a->input && access(db, F_OK) != 0) {
    if (a->update)
      fprintf(stderr, "fouille-index: no PATH given, and no index to update\n"
                      "Try 'fouille-index --help'.\n");
    else
      fprintf(stderr, "fouille-index: %s: no such index (give a PATH to create it)\n", db);
    return a->update ? EXIT_USAGE : EXIT_FAIL;
  }
  if (fouille_index_open(ix, db, &io) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return EXIT_FAIL;
  }
  return EXIT_OKAY;
}

int main(int argc, char **argv) {
  cli c = {0};
  fouille_index *ix = NULL;
  const char *env = getenv("FOUILLE_DB");
  int rc = fouille__index_args_parse(&c.a, argc, argv, stderr);
  const char *db = c.a.db ? c.a.db : env && *env ? env : "fouille.db";
  if (rc == FOUILLE__CLI_USAGE) fputs("Try 'fouille-index --help'.\n", stderr);
  if (rc == FOUILLE__CLI_OK && c.a.action == FOUILLE__CLI_HELP) usage(stdout);
  if (rc == FOUILLE__CLI_OK && c.a.action == FOUILLE__CLI_VERSION)
    printf("fouille-index %s\n", FOUILLE_VERSION_STRING);
  if (rc == FOUILLE__CLI_OK && c.a.action == FOUILLE__CLI_RUN && !(rc = open_index(&c.a, db, &ix)))
    rc = run(&c, ix, c.a.paths, c.a.n_paths);
  fouille_index_close(ix);
  fouille__index_args_free(&c.a);
  return rc;
}
