/* The HTTP server handle (server/http_daemon.c): started on port 0 in a
 * thread, one request to /health over a plain socket, stopped from another
 * thread; no signal disposition nor the caller's signal mask changed;
 * options and their version checked (version 2 still accepted); a missing
 * database answered 503 without its path, which goes to the log. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fouille.h"
#include "fouille/http.h"
#include "test_util.h"

static char *dir;
static fouille_index *ix;

static void setup(void) {
  char db[4200];
  dir = test_tmpdir();
  snprintf(db, sizeof db, "%s/index.db", dir);
  ck_assert_int_eq(fouille_index_open(&ix, db, NULL), FOUILLE_OK);
}

static void teardown(void) {
  fouille_index_close(ix), ix = NULL;
  test_rmtree(dir);
  free(dir);
}

static const int watched[] = {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT, SIGUSR1};
#define N_WATCHED (sizeof watched / sizeof watched[0])

static void dispositions(struct sigaction *out) {
  for (size_t i = 0; i < N_WATCHED; i++) ck_assert_int_eq(sigaction(watched[i], NULL, &out[i]), 0);
}

static void same_dispositions(const struct sigaction *a, const struct sigaction *b) {
  for (size_t i = 0; i < N_WATCHED; i++) {
    ck_assert_msg(a[i].sa_handler == b[i].sa_handler, "signal %d: handler changed", watched[i]);
    ck_assert_msg(a[i].sa_flags == b[i].sa_flags, "signal %d: flags changed", watched[i]);
  }
}

static void same_mask(const sigset_t *a, const sigset_t *b) {
  for (int sig = 1; sig < 32; sig++)
    ck_assert_msg(sigismember(a, sig) == sigismember(b, sig), "signal %d: mask changed", sig);
}

/* The serving thread: starts the server, publishes its port, waits. */
typedef struct serving {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  fouille_http_server *server;
  int started, start_rc, wait_rc, port;
  sigset_t mask_before, mask_after;
} serving;

static void *serve_thread(void *arg) {
  serving *sv = arg;
  fouille_http_options o;
  fouille_http_server *hs = NULL;
  int rc = fouille_http_options_init(&o, FOUILLE_HTTP_OPTIONS_VERSION);
  o.threads = 2;
  pthread_sigmask(SIG_SETMASK, NULL, &sv->mask_before);
  if (rc == FOUILLE_OK) rc = fouille_http_server_start(&hs, ix, &o);
  pthread_sigmask(SIG_SETMASK, NULL, &sv->mask_after);
  pthread_mutex_lock(&sv->lock);
  sv->server = hs;
  sv->start_rc = rc;
  sv->port = fouille_http_server_port(hs);
  sv->started = 1;
  pthread_cond_signal(&sv->cond);
  pthread_mutex_unlock(&sv->lock);
  if (rc == FOUILLE_OK) sv->wait_rc = fouille_http_server_wait(hs);
  return NULL;
}

static void *stop_thread(void *arg) {
  fouille_http_server_stop(arg);
  return NULL;
}

/* GET path over a plain socket; the whole response (HTTP/1.0: the server
 * closes) into buf. */
static void get(int port, const char *path, char *buf, size_t size) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  char req[256];
  size_t n = 0;
  ssize_t k;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ck_assert_int_ge(fd, 0);
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  int len = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
  ck_assert_int_eq(write(fd, req, (size_t)len), len);
  while (n + 1 < size && (k = read(fd, buf + n, size - 1 - n)) > 0) n += (size_t)k;
  buf[n] = '\0';
  close(fd);
}

START_TEST(health_then_stop_from_another_thread) {
  struct sigaction before[N_WATCHED], after[N_WATCHED];
  serving sv = {.start_rc = -1, .wait_rc = -1};
  pthread_t server_th, stopper;
  char resp[4096];
  dispositions(before);
  pthread_mutex_init(&sv.lock, NULL);
  pthread_cond_init(&sv.cond, NULL);
  ck_assert_int_eq(pthread_create(&server_th, NULL, serve_thread, &sv), 0);
  pthread_mutex_lock(&sv.lock);
  while (!sv.started) pthread_cond_wait(&sv.cond, &sv.lock);
  pthread_mutex_unlock(&sv.lock);
  ck_assert_msg(sv.start_rc == FOUILLE_OK, "start: %d", sv.start_rc);
  ck_assert_int_gt(sv.port, 0);
  same_mask(&sv.mask_before, &sv.mask_after);

  get(sv.port, "/health", resp, sizeof resp);
  ck_assert_msg(strncmp(resp, "HTTP/1.", 7) == 0 && strncmp(resp + 8, " 200", 4) == 0, "%s", resp);
  ck_assert_msg(strstr(resp, "{\"status\":\"ok\"}") != NULL, "%s", resp);

  ck_assert_int_eq(pthread_create(&stopper, NULL, stop_thread, sv.server), 0);
  pthread_join(stopper, NULL);
  pthread_join(server_th, NULL);
  ck_assert_int_eq(sv.wait_rc, FOUILLE_OK);
  ck_assert_int_eq(fouille_http_server_wait(sv.server), FOUILLE_OK); /* stopped: at once */
  fouille_http_server_free(sv.server);
  dispositions(after);
  same_dispositions(before, after);
  pthread_cond_destroy(&sv.cond);
  pthread_mutex_destroy(&sv.lock);
}
END_TEST

START_TEST(stop_before_wait_and_free_without_wait) {
  fouille_http_server *hs = NULL;
  ck_assert_int_eq(fouille_http_server_start(&hs, ix, NULL), FOUILLE_OK);
  ck_assert_int_gt(fouille_http_server_port(hs), 0); /* NULL options: any free port */
  fouille_http_server_free(hs);
  fouille_http_options o = FOUILLE_HTTP_OPTIONS_INIT;
  ck_assert_int_eq(fouille_http_server_start(&hs, ix, &o), FOUILLE_OK);
  ck_assert_int_gt(fouille_http_server_port(hs), 0);
  fouille_http_server_stop(hs);
  fouille_http_server_stop(hs);
  ck_assert_int_eq(fouille_http_server_wait(hs), FOUILLE_OK);
  fouille_http_server_free(hs);
  fouille_http_server_stop(NULL);
  fouille_http_server_free(NULL);
  ck_assert_int_eq(fouille_http_server_port(NULL), -1);
  ck_assert_int_eq(fouille_http_server_wait(NULL), FOUILLE_EINVAL);
}
END_TEST

START_TEST(bad_options) {
  fouille_http_server *hs = (fouille_http_server *)&hs;
  fouille_http_options o;
  ck_assert_int_eq(fouille_http_options_init(&o, 1), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "fouille_http_options: unknown version 1"));
  ck_assert_int_eq(fouille_http_options_init(NULL, FOUILLE_HTTP_OPTIONS_VERSION), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_http_options_init(&o, FOUILLE_HTTP_OPTIONS_VERSION), FOUILLE_OK);
  o.version = 99;
  ck_assert_int_eq(fouille_http_server_start(&hs, ix, &o), FOUILLE_EINVAL);
  ck_assert_ptr_null(hs);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "fouille_http_options: unknown version 99"));
  o.version = FOUILLE_HTTP_OPTIONS_VERSION;
  ck_assert_int_eq(fouille_http_server_start(&hs, NULL, &o), FOUILLE_EINVAL);
  o.address = "999.1.1.1";
  ck_assert_int_eq(fouille_http_server_start(&hs, ix, &o), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "999.1.1.1"));
  o.address = NULL;
  o.port = 70000;
  ck_assert_int_eq(fouille_http_server_start(&hs, ix, &o), FOUILLE_EINVAL);
  ck_assert_int_eq(fouille_http_server_start(NULL, ix, NULL), FOUILLE_EINVAL);
  o.port = 0;
  o.write_token = "too-short"; /* under 16 bytes */
  ck_assert_int_eq(fouille_http_server_start(&hs, ix, &o), FOUILLE_EINVAL);
  ck_assert_ptr_nonnull(strstr(fouille_error_last(), "at least 16 bytes"));
  ck_assert_int_eq(fouille_http_options_init(&o, 3), FOUILLE_OK); /* version 3 still known */
  ck_assert_int_eq(o.version, 3);
}
END_TEST

/* The log callback: the last status and message. */
typedef struct logged {
  pthread_mutex_t lock;
  unsigned status;
  char message[512];
} logged;

static void on_log(unsigned status, const char *path, const char *message, void *payload) {
  logged *l = payload;
  pthread_mutex_lock(&l->lock);
  l->status = status;
  snprintf(l->message, sizeof l->message, "%s %s", path, message);
  pthread_mutex_unlock(&l->lock);
}

/* A database path that does not exist: 503 without the path in the body,
 * the path in the log; a version 2 options struct still accepted. */
START_TEST(missing_database_logged_not_told) {
  char db[4200], resp[4096];
  logged l = {.status = 0};
  fouille_http_server *hs = NULL;
  fouille_http_options o;
  snprintf(db, sizeof db, "%s/SECRET-PATH/absent.db", dir);
  pthread_mutex_init(&l.lock, NULL);
  ck_assert_int_eq(fouille_http_options_init(&o, FOUILLE_HTTP_OPTIONS_VERSION), FOUILLE_OK);
  ck_assert_int_eq(o.header_timeout_seconds, 0);
  o.db_path = db, o.threads = 2, o.log = on_log, o.log_payload = &l;
  ck_assert_int_eq(fouille_http_server_start(&hs, NULL, &o), FOUILLE_OK);
  get(fouille_http_server_port(hs), "/health", resp, sizeof resp);
  ck_assert_msg(strstr(resp, " 503 ") && strstr(resp, "no database file"), "%s", resp);
  ck_assert_msg(!strstr(resp, "SECRET-PATH"), "%s", resp);
  fouille_http_server_free(hs);
  ck_assert_int_eq(l.status, 503);
  ck_assert_msg(strstr(l.message, "/health") && strstr(l.message, "SECRET-PATH"), "%s", l.message);
  pthread_mutex_destroy(&l.lock);
  /* Version 2: the struct ends before header_timeout_seconds. */
  ck_assert_int_eq(fouille_http_options_init(&o, 2), FOUILLE_OK);
  ck_assert_int_eq(o.version, 2);
  ck_assert_int_eq(fouille_http_server_start(&hs, ix, &o), FOUILLE_OK);
  get(fouille_http_server_port(hs), "/health", resp, sizeof resp);
  ck_assert_msg(strstr(resp, "{\"status\":\"ok\"}") != NULL, "%s", resp);
  fouille_http_server_free(hs);
}
END_TEST

int main(void) {
  Suite *s = suite_create("http_server");
  TCase *tc = tcase_create("http_server");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, health_then_stop_from_another_thread);
  tcase_add_test(tc, stop_before_wait_and_free_without_wait);
  tcase_add_test(tc, bad_options);
  tcase_add_test(tc, missing_database_logged_not_told);
  suite_add_tcase(s, tc);
  return test_run_suite(s);
}
