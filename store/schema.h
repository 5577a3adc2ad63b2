/* Private: the index handle shared by index.c and update.c, and the schema
 * helpers of schema.c (create, version detection, rebuild, meta). */
#ifndef FOUILLE_SCHEMA_H
#define FOUILLE_SCHEMA_H

#include <pthread.h>
#include <sqlite3.h>

#include "store.h"

struct fouille_index {
  char *path;
  int read_only, busy_timeout_ms, pool_size;
  int stale;                        /* built by another analyzer/schema version */
  int stale_analyzer, stale_schema; /* the versions found then */
  sqlite3 *wdb;                     /* the write connection (NULL when read_only) */
  pthread_mutex_t wlock;            /* serialises users of wdb */
  pthread_mutex_t pool_lock;
  pthread_cond_t pool_cond;
  fouille__reader **idle; /* free readers (pool_size slots) */
  int n_idle, n_open;
  char *immutable_uri; /* set when only an immutable open can read it */
};

/* Opens a connection with the fouille_fr tokenizer registered and busy_timeout
 * set. flags as for sqlite3_open_v2. FOUILLE_EDB naming path on failure. */
int fouille__schema_connect(sqlite3 **out, const char *path, int flags, int busy_timeout_ms);

/* Checks that db holds a Fouille index and reads its versions; an empty
 * database gives 0 in *is_empty… FOUILLE_EDB "PATH: not a Fouille index (…)". */
int fouille__schema_probe(sqlite3 *db, const char *path, int *is_empty, int *analyzer_version,
                          int *schema_version);

/* Creates all tables and meta rows (in its own transaction). */
int fouille__schema_create(sqlite3 *db, const char *path);

/* Drops every Fouille table and creates them again (inside the caller's
 * transaction). */
int fouille__schema_reset(sqlite3 *db, const char *path);

/* Whether an index of schema from_version can be upgraded in place to
 * FOUILLE_SCHEMA_VERSION (same analyzer: no re-analysis). */
int fouille__schema_can_migrate(int from_version);

/* Upgrades it, in its own transaction. FOUILLE_EVERSION when there is no
 * path; FOUILLE_EDB / FOUILLE_EBUSY naming path. */
int fouille__schema_migrate(sqlite3 *db, const char *path, int from_version);

/* Inside the caller's transaction, before a rebuild resets the tables: a
 * change log of schema 4 or later (from_version) brought to this schema's
 * format, so that the rebuild can carry it over. Nothing for older ones. */
int fouille__schema_log_upgrade(sqlite3 *db, const char *path, int from_version);

/* Sets meta(key) = value. */
int fouille__schema_meta_set(sqlite3 *db, const char *path, const char *key, const char *value);

/* Runs sql (no results); FOUILLE_EDB / FOUILLE_EBUSY naming path. */
int fouille__schema_exec(sqlite3 *db, const char *path, const char *sql);

/* Maps the connection's last SQLite error to FOUILLE_EBUSY or FOUILLE_EDB with
 * a message naming path and what was being done. */
int fouille__schema_fail(sqlite3 *db, const char *path, const char *what);

#endif
