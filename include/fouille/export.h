/* Fouille: the change log and the export to OpenSearch / Elasticsearch.
 *
 * The indexer keeps a change log in the index (schema 4), written in the
 * same transactions as the articles: one entry per article key, holding the
 * last change to it (added or changed, or deleted) and its sequence number.
 * Numbers only grow and are never given twice. A cursor is the highest
 * number an export saw: 0 means "nothing seen yet". docs/opensearch.md is
 * the runbook; docs/fouille-export.md the tool. */
#ifndef FOUILLE_EXPORT_H
#define FOUILLE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "fouille/common.h"
#include "fouille/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* *out gets the index's current cursor: the number of its latest change (0
 * for an index never written). Errors: FOUILLE_EINVAL (no out or index),
 * FOUILLE_EVERSION (an index of schema 3 or older: update it first),
 * FOUILLE_EBUSY, FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_export_cursor(uint64_t *out, fouille_index *index);

/* Writes len bytes; non-zero stops the export (FOUILLE_EIO, or FOUILLE_EABORT
 * when it returns FOUILLE_EABORT). */
typedef int (*fouille_export_write_cb)(const char *data, size_t len, void *payload);

typedef struct fouille_export_options {
  int version;            /* FOUILLE_EXPORT_OPTIONS_VERSION */
  const char *index_name; /* written as "_index" in each action; NULL: none */
} fouille_export_options;

#define FOUILLE_EXPORT_OPTIONS_VERSION 1
#define FOUILLE_EXPORT_OPTIONS_INIT                                                                \
  { FOUILLE_EXPORT_OPTIONS_VERSION, NULL }

/* Fills *opts with FOUILLE_EXPORT_OPTIONS_INIT's defaults. FOUILLE_OK, or
 * FOUILLE_EINVAL (NULL opts, unknown version). */
FOUILLE_EXTERN int fouille_export_options_init(fouille_export_options *opts, unsigned int version);

/* What an export wrote. */
typedef struct fouille_export_summary {
  int version;      /* FOUILLE_EXPORT_SUMMARY_VERSION, set by the caller */
  uint64_t since;   /* the cursor it started from */
  uint64_t cursor;  /* the cursor it reached: give it as since next time */
  uint64_t indexed; /* index actions (articles added or changed since) */
  uint64_t deleted; /* delete actions */
  uint64_t bytes;   /* NDJSON bytes written */
} fouille_export_summary;

#define FOUILLE_EXPORT_SUMMARY_VERSION 1
#define FOUILLE_EXPORT_SUMMARY_INIT                                                                \
  { FOUILLE_EXPORT_SUMMARY_VERSION, 0, 0, 0, 0, 0 }

/* Writes, through write, the _bulk NDJSON that brings a copy taken at
 * cursor `since` up to date: for every article added or changed since, an
 * action line {"index":{"_id":KEY}} then its document ({"title", "body",
 * "date", "source", "url"}, absent fields left out); for every article
 * deleted since, {"delete":{"_id":KEY}}. Each key appears at most once, in
 * the order of its last change. since 0 is a full export: every article,
 * and no delete action (the copy is new). Every string is valid UTF-8
 * (invalid bytes become U+FFFD). It reads one snapshot: a write committed
 * while it runs is not in it, and summary->cursor (the snapshot's cursor)
 * makes the next export start right there (no gap, no duplicate). Memory
 * stays bounded (one article at a time). Errors: FOUILLE_EINVAL (no index
 * or write, unknown options or summary version; a cursor ahead of the
 * index's log, or older than what fouille_index_compact_changes dropped,
 * the message says which), FOUILLE_EVERSION, FOUILLE_EIO / FOUILLE_EABORT
 * (write failed), FOUILLE_EBUSY, FOUILLE_EDB, FOUILLE_ENOMEM. */
FOUILLE_EXTERN int fouille_export_bulk(fouille_export_summary *summary, fouille_index *index,
                                       uint64_t since, fouille_export_write_cb write, void *payload,
                                       const fouille_export_options *options);

/* Compaction. The log holds one entry per key already (a key changed many
 * times keeps its last change only); what grows is the deletions. This
 * drops the deletion entries numbered up to `through` (a cursor every copy
 * has reached) and records `through` as the log's floor: an export since a
 * cursor below the floor (other than 0) is refused from then on, since it
 * could miss a deletion. *dropped (may be NULL) gets the entries dropped.
 * Errors: FOUILLE_EINVAL (no index, read-only handle, through ahead of the
 * current cursor), FOUILLE_EVERSION, FOUILLE_EBUSY, FOUILLE_EDB. */
FOUILLE_EXTERN int fouille_index_compact_changes(uint64_t *dropped, fouille_index *index,
                                                 uint64_t through);

#ifdef __cplusplus
}
#endif

#endif
