/* fouille-index: bring a Fouille index up to date with an archive of
 * articles, or check it / show its stats. Thin: parses options, calls the
 * library, prints with the library's formatters. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fouille/index.h"
#include "index_output.h"

enum { EXIT_OKAY = 0, EXIT_SKIPPED = 1, EXIT_USAGE = 2, EXIT_FAIL = 3 };

typedef struct cli {
  const char *db;
  const char *forget; /* --forget ROOT */
  const char *input;  /* --stdin NAME */
  int update;         /* PATHs given, or nothing else to do: every root */
  int rebuild, optimize, check, stats, dry_run, no_delete, quiet, json;
  const char **excludes;
  size_t n_excludes;
  uint64_t max_bytes;
  size_t batch;
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

static int usage_error(const char *msg) {
  fprintf(stderr, "fouille-index: %s\n", msg);
  fputs("Try 'fouille-index --help'.\n", stderr);
  return EXIT_USAGE;
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
  if (c->dry_run && !c->json && names[change]) printf("%s %s\n", names[change], path);
}

static int on_progress(const fouille_progress *p, void *payload) {
  cli *c = payload;
  if (p->elapsed_seconds - c->last_draw < 0.1 && p->files_seen != p->files_total) return 0;
  c->last_draw = p->elapsed_seconds;
  fouille__cli_progress(stderr, p);
  c->bar_drawn = 1;
  return 0;
}

static int parse_number(const char *s, unsigned long long *out) {
  char *end;
  if (!s || !*s || *s == '-') return -1;
  *out = strtoull(s, &end, 10);
  return *end || *out == 0 ? -1 : 0;
}

static int add_exclude(cli *c, const char *glob) {
  const char **p = realloc(c->excludes, (c->n_excludes + 1) * sizeof *p);
  if (!p) return -1;
  c->excludes = p;
  c->excludes[c->n_excludes++] = glob;
  return 0;
}

static const struct option long_opts[] = {{"db", required_argument, NULL, 'd'},
                                          {"rebuild", no_argument, NULL, 'r'},
                                          {"optimize", no_argument, NULL, 'o'},
                                          {"check", no_argument, NULL, 'c'},
                                          {"stats", no_argument, NULL, 's'},
                                          {"dry-run", no_argument, NULL, 'n'},
                                          {"exclude", required_argument, NULL, 'x'},
                                          {"no-delete", no_argument, NULL, 'D'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"json", no_argument, NULL, 'j'},
                                          {"max-file-size", required_argument, NULL, 'm'},
                                          {"batch", required_argument, NULL, 'b'},
                                          {"help", no_argument, NULL, 'h'},
                                          {"version", no_argument, NULL, 'V'},
                                          {"forget", required_argument, NULL, 'F'},
                                          {"stdin", required_argument, NULL, 'S'},
                                          {NULL, 0, NULL, 0}};

/* Roots and streams (issue 13): --forget ROOT, --stdin NAME. Non-zero
 * when opt is one. */
static int roots_option(cli *c, int opt) {
  if (opt != 'F' && opt != 'S') return 0;
  *(opt == 'F' ? &c->forget : &c->input) = optarg;
  return 1;
}

/* Returns -1 to go on, else the exit code. */
static int parse_args(cli *c, int argc, char **argv) {
  int opt;
  unsigned long long n;
  opterr = 0;
  while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
    if (roots_option(c, opt)) continue;
    switch (opt) {
    case 'd':
      c->db = optarg;
      break;
    case 'r':
      c->rebuild = 1;
      break;
    case 'o':
      c->optimize = 1;
      break;
    case 'c':
      c->check = 1;
      break;
    case 's':
      c->stats = 1;
      break;
    case 'n':
      c->dry_run = 1;
      break;
    case 'D':
      c->no_delete = 1;
      break;
    case 'q':
      c->quiet = 1;
      break;
    case 'j':
      c->json = 1;
      break;
    case 'x':
      if (add_exclude(c, optarg)) return EXIT_FAIL;
      break;
    case 'm':
      if (parse_number(optarg, &n) || n > (1ull << 40)) return usage_error("bad --max-file-size");
      c->max_bytes = n << 20;
      break;
    case 'b':
      if (parse_number(optarg, &n) || n > 10000000) return usage_error("bad --batch");
      c->batch = (size_t)n;
      break;
    case 'h':
      usage(stdout);
      return EXIT_OKAY;
    case 'V':
      printf("fouille-index %s\n", FOUILLE_VERSION_STRING);
      return EXIT_OKAY;
    default: {
      char msg[128];
      snprintf(msg, sizeof msg, "unknown or incomplete option '%s'", argv[optind - 1]);
      return usage_error(msg);
    }
    }
  }
  return -1;
}

static int run_update(cli *c, fouille_index *ix, char **paths, int n, fouille_update_summary *sum) {
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  o.rebuild = c->rebuild;
  o.dry_run = c->dry_run;
  o.no_delete = c->no_delete;
  o.optimize = c->optimize;
  o.excludes = c->excludes;
  o.n_excludes = c->n_excludes;
  o.batch_articles = c->batch;
  o.max_file_bytes = c->max_bytes;
  o.problem = on_problem;
  o.change = on_change;
  o.progress = !c->quiet && isatty(STDERR_FILENO) ? on_progress : NULL;
  o.payload = c;
  int rc = fouille_index_update(sum, ix, (const char *const *)paths, (size_t)n, &o);
  if (c->bar_drawn) fouille__cli_progress_clear(stderr);
  if (rc != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return n == 0 && rc == FOUILLE_ENOTFOUND ? EXIT_USAGE : EXIT_FAIL; /* no root recorded */
  }
  if (!c->quiet && !c->json) {
    char line[512];
    fouille__cli_summary(line, sizeof line, sum);
    printf("fouille-index: %s\n", line);
  }
  return sum->skipped || sum->articles_skipped ? EXIT_SKIPPED : EXIT_OKAY;
}

static int run_forget(cli *c, fouille_index *ix, fouille_update_summary *sum) {
  fouille_update_options o = FOUILLE_UPDATE_OPTIONS_INIT;
  char line[1024];
  o.dry_run = c->dry_run;
  o.change = on_change;
  o.payload = c;
  if (fouille_index_forget(sum, ix, c->forget, &o) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return EXIT_FAIL;
  }
  fouille__cli_forget_summary(line, sizeof line, c->forget, sum, c->dry_run);
  if (!c->quiet && !c->json) printf("fouille-index: %s\n", line);
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
  wo.batch_articles = c->batch;
  wo.problem = on_problem;
  wo.stop = stop_asked;
  wo.payload = c;
  int rc = fouille_writer_open(&w, ix, c->input, &wo);
  if (!rc) rc = fouille_writer_read_jsonl(sum, w, STDIN_FILENO);
  if (rc && rc != FOUILLE_EABORT) fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
  int crc = fouille_writer_close(w);
  if (crc && !rc) fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
  if ((rc && rc != FOUILLE_EABORT) || crc) return EXIT_FAIL;
  fouille__cli_stream_summary(line, sizeof line, c->input, sum);
  if (!c->quiet && !c->json) printf("fouille-index: %s\n", line);
  return sum->articles_skipped ? EXIT_SKIPPED : EXIT_OKAY;
}

static int run_stats(cli *c, fouille_index *ix, fouille_stats *st, fouille_roots **roots) {
  if (fouille_index_stats(st, ix) != FOUILLE_OK || fouille_index_roots(roots, ix) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return EXIT_FAIL;
  }
  if (!c->json) fouille__cli_stats(stdout, st);
  if (!c->json) fouille__cli_roots(stdout, *roots);
  return EXIT_OKAY;
}

static int run(cli *c, fouille_index *ix, char **paths, int n) {
  fouille_update_summary sum = FOUILLE_UPDATE_SUMMARY_INIT, fsum = FOUILLE_UPDATE_SUMMARY_INIT;
  fouille_stats st = FOUILLE_STATS_INIT;
  fouille_roots *roots = NULL;
  int exit_code = EXIT_OKAY, check_rc = 0;
  char check_msg[1024] = "";
  if (c->forget && run_forget(c, ix, &fsum) == EXIT_FAIL) return EXIT_FAIL;
  if (c->input && (exit_code = run_stdin(c, ix, &sum)) == EXIT_FAIL) return EXIT_FAIL;
  if (c->update && (exit_code = run_update(c, ix, paths, n, &sum)) >= EXIT_USAGE) return exit_code;
  if (n == 0 && c->optimize && fouille_index_optimize(ix) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    return EXIT_FAIL;
  }
  if (c->check && (check_rc = fouille_index_check(ix)) != FOUILLE_OK) {
    snprintf(check_msg, sizeof check_msg, "%s", fouille_error_last());
    fprintf(stderr, "fouille-index: check failed: %s\n", check_msg);
    exit_code = EXIT_FAIL;
  } else if (c->check && !c->json && !c->quiet) {
    printf("fouille-index: %s: check ok\n", fouille_index_path(ix));
  }
  if (c->stats && run_stats(c, ix, &st, &roots) == EXIT_FAIL) {
    fouille_roots_free(roots);
    return EXIT_FAIL;
  }
  fouille__cli_report rep = {c->update ? &sum : NULL, c->dry_run, c->check ? &check_rc : NULL,
                             check_msg, c->stats ? &st : NULL, roots, c->forget,
                             c->forget ? &fsum : NULL, c->input, c->input ? &sum : NULL};
  if (c->json) fouille__cli_json(stdout, &rep);
  fouille_roots_free(roots);
  return exit_code;
}

int main(int argc, char **argv) {
  cli c = {0};
  fouille_index *ix = NULL;
  int rc = parse_args(&c, argc, argv);
  if (rc < 0 && (c.forget || c.input) && optind < argc)
    rc = usage_error(c.input ? "--stdin takes no PATH" : "--forget takes no PATH");
  if (rc < 0 && c.input && c.dry_run) rc = usage_error("--stdin writes: no --dry-run");
  if (rc >= 0) goto done;
  if (!c.db)
    c.db = getenv("FOUILLE_DB") && *getenv("FOUILLE_DB") ? getenv("FOUILLE_DB") : "fouille.db";
  fouille_index_options io = FOUILLE_INDEX_OPTIONS_INIT;
  c.update = optind < argc || !(c.check || c.stats || c.optimize || c.forget || c.input);
  /* Only an update, --optimize, --forget or --check (FTS5's integrity-check
   * is a write) need the write connection; none of them creates a missing
   * index without PATHs. */
  io.read_only = !c.update && !c.optimize && !c.check && !c.forget && !c.input;
  if (optind >= argc && !c.input && access(c.db, F_OK) != 0) {
    if (c.update)
      rc = usage_error("no PATH given, and no index to update");
    else
      fprintf(stderr, "fouille-index: %s: no such index (give a PATH to create it)\n", c.db);
    rc = c.update ? EXIT_USAGE : EXIT_FAIL;
    goto done;
  }
  io.read_pool_size = 1;
  if (fouille_index_open(&ix, c.db, &io) != FOUILLE_OK) {
    fprintf(stderr, "fouille-index: %s\n", fouille_error_last());
    rc = EXIT_FAIL;
    goto done;
  }
  rc = run(&c, ix, argv + optind, argc - optind);
done:
  fouille_index_close(ix);
  free(c.excludes);
  return rc;
}
