/* fouille-query --serve: the HTTP API (fouille/http.h) until SIGINT or
 * SIGTERM. Owns what is the process's business, not the library's: signal
 * handlers, the open-file limit (raised to hold every connection allowed),
 * the write token's file, and the log of server errors on standard error. */
#include <ctype.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fouille/http.h"
#include "query_serve.h"

#define TOOL "fouille-query"
#define DEFAULT_CONNECTIONS 1024 /* the server's default (fouille/http.h) */
#define FD_RESERVE 128           /* the index's files, epoll and pipes of the workers, stdio */

/* The server library is loaded by --serve only: linked, libmicrohttpd and
 * GnuTLS with it made every one-shot query's process start take twice as
 * long as the shell's (issue 17). FOUILLE_HTTP_SONAME comes from CMake. */
typedef struct http_api {
  int (*start)(fouille_http_server **, fouille_index *, const fouille_http_options *);
  int (*port)(const fouille_http_server *);
  int (*wait)(fouille_http_server *);
  void (*stop)(fouille_http_server *);
  void (*free)(fouille_http_server *);
  void *lib; /* kept open while the process runs */
} http_api;
static http_api http;

/* dlopen of the library beside the program (build tree) or in its
 * installed lib folder (FOUILLE_HTTP_LIBDIR, relative to the program's
 * folder, as the installed RUNPATH), else by the usual search. Looked up by
 * hand: a sanitizer's dlopen interceptor makes the loader ignore the
 * program's RUNPATH. */
static void *open_http(void) {
  static const char *const dirs[] = {"", FOUILLE_HTTP_LIBDIR "/"};
  char exe[4096], path[4096 + 256];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
  for (size_t i = 0; slash && i < sizeof dirs / sizeof *dirs; i++) {
    *slash = '\0';
    snprintf(path, sizeof path, "%s/%s%s", exe, dirs[i], FOUILLE_HTTP_SONAME);
    void *lib = access(path, F_OK) == 0 ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (lib) return lib;
  }
  return dlopen(FOUILLE_HTTP_SONAME, RTLD_NOW | RTLD_LOCAL);
}

/* 0, or -1 after one line on stderr. */
static int load_http(void) {
  void *lib = http.lib = open_http();
  if (lib) {
    http.start = (int (*)(fouille_http_server **, fouille_index *,
                          const fouille_http_options *))dlsym(lib, "fouille_http_server_start");
    http.port = (int (*)(const fouille_http_server *))dlsym(lib, "fouille_http_server_port");
    http.wait = (int (*)(fouille_http_server *))dlsym(lib, "fouille_http_server_wait");
    http.stop = (void (*)(fouille_http_server *))dlsym(lib, "fouille_http_server_stop");
    http.free = (void (*)(fouille_http_server *))dlsym(lib, "fouille_http_server_free");
    if (http.start && http.port && http.wait && http.stop && http.free) return 0;
  }
  fprintf(stderr, TOOL ": --serve cannot load the server library %s: %s\n", FOUILLE_HTTP_SONAME,
          dlerror());
  return -1;
}

/* The server SIGINT and SIGTERM stop (NULL outside serve_until_signal),
 * and whether one came before it was set. */
static _Atomic(fouille_http_server *) serving;
static volatile sig_atomic_t stop_asked;

static void on_stop_signal(int sig) {
  (void)sig;
  stop_asked = 1;
  http.stop(atomic_load(&serving)); /* async-signal-safe; NULL is allowed */
}

/* SIGINT and SIGTERM stop the server (a shell's background job inherits
 * SIGINT ignored: the handler overrides that); SIGPIPE is ignored. */
static void install_signals(void) {
  struct sigaction stop = {.sa_handler = on_stop_signal}, ign = {.sa_handler = SIG_IGN};
  sigemptyset(&stop.sa_mask);
  sigemptyset(&ign.sa_mask);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGPIPE, &ign, NULL);
}

/* s on one line of at most 300 bytes: control characters as '?'. */
static void put_clean(const char *s) {
  for (const char *end = s + strnlen(s, 300); s < end; s++)
    fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, stderr);
}

/* The server's errors (status 500 and up), with the library's details. */
static void log_error(unsigned status, const char *path, const char *message, void *payload) {
  (void)payload;
  flockfile(stderr);
  fprintf(stderr, TOOL ": %u ", status);
  put_clean(path ? path : "");
  fputs(": ", stderr);
  put_clean(message ? message : "");
  fputc('\n', stderr);
  funlockfile(stderr);
}

/* Raises the soft open-file limit to hold want_conns connections; returns
 * how many fit (fewer, with a warning, when the hard limit is too low). */
static int fit_fd_limit(int want_conns) {
  struct rlimit rl;
  rlim_t want = (rlim_t)want_conns + FD_RESERVE;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
    return want_conns;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= want) return want_conns;
  getrlimit(RLIMIT_NOFILE, &rl);
  int fit = rl.rlim_cur > FD_RESERVE + 16 ? (int)(rl.rlim_cur - FD_RESERVE) : 16;
  fprintf(stderr,
          TOOL ": warning: the open-file limit (ulimit -n: %llu) allows %d connections, "
               "not %d\n",
          (unsigned long long)rl.rlim_cur, fit, want_conns);
  return fit;
}

static int serve_until_signal(const fouille_http_options *ho) {
  fouille_http_server *hs = NULL;
  if (load_http()) return 3;
  install_signals();
  if (http.start(&hs, NULL, ho) != FOUILLE_OK) {
    fprintf(stderr, TOOL ": %s\n", fouille_error_last());
    return 3;
  }
  atomic_store(&serving, hs);
  if (stop_asked) http.stop(hs);
  int v6 = strchr(ho->address, ':') != NULL;
  fprintf(stderr, TOOL ": listening on http://%s%s%s:%d/\n", v6 ? "[" : "", ho->address,
          v6 ? "]" : "", http.port(hs));
  int rc = http.wait(hs);
  atomic_store(&serving, NULL);
  if (rc) fprintf(stderr, TOOL ": %s\n", fouille_error_last());
  http.free(hs);
  return rc ? 3 : 0;
}

#define TOKEN_MAX 4096

/* The token in path, trimmed, into tok; 0, or -1 after one line on stderr. */
static int read_token(const char *path, char tok[TOKEN_MAX + 1]) {
  struct stat st;
  const char *why = NULL;
  ssize_t n = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0)
    why = "cannot be read";
  else if (!S_ISREG(st.st_mode))
    why = "is not a regular file";
  else if (st.st_mode & (S_IRGRP | S_IROTH))
    why = "is readable by group or others (chmod 600 it)";
  else if ((n = read(fd, tok, TOKEN_MAX + 1)) < 0 || n > TOKEN_MAX)
    why = "cannot be read, or is over 4096 bytes";
  if (fd >= 0) close(fd);
  if (!why) {
    while (n > 0 && isspace((unsigned char)tok[n - 1])) n--;
    tok[n] = '\0';
    size_t lead = strspn(tok, " \t\r\n\v\f");
    memmove(tok, tok + lead, (size_t)n - lead + 1);
    if (strlen(tok) < 16) why = "must hold a token of at least 16 bytes";
  }
  if (!why) return 0;
  fprintf(stderr, TOOL ": --write-token-file ");
  put_clean(path);
  fprintf(stderr, ": %s\n", why);
  return -1;
}

int fouille__query_serve(const fouille__query_args *a, const char *db) {
  static char token[TOKEN_MAX + 1];
  fouille_http_options ho = FOUILLE_HTTP_OPTIONS_INIT;
  if (a->token_file) {
    if (read_token(a->token_file, token)) return 2;
    ho.write_token = token;
  }
  if (a->max_body_mb) ho.max_body_bytes = (size_t)a->max_body_mb << 20;
  int conns = a->max_connections > 0 ? a->max_connections : DEFAULT_CONNECTIONS;
  ho.address = a->address;
  ho.port = a->port;
  ho.db_path = db;
  ho.cors_origin = a->cors;
  ho.max_connections = fit_fd_limit(conns);
  ho.max_connections_per_ip = a->max_per_ip;
  ho.log = log_error;
  return serve_until_signal(&ho);
}
