/* Private: reading the change log (changes.c), for the export (export.c).
 * Its writes are declared in update.h, beside the run they belong to. */
#ifndef FOUILLE_CHANGES_H
#define FOUILLE_CHANGES_H

#include <stdint.h>

#include "schema.h"

/* The first column of sql's first row as an integer (0 when there is no
 * row); FOUILLE_EVERSION ("no change log: run fouille-index on it") when
 * the index has no change log, FOUILLE_EDB / FOUILLE_EBUSY. */
int fouille__changes_int(sqlite3 *db, const char *path, const char *sql, uint64_t *out);

/* In the caller's transaction: the log's cursor (the highest number given,
 * 0 for none) and floor (deletions up to it were compacted away; 0). */
int fouille__changes_state(sqlite3 *db, const char *path, uint64_t *cursor, uint64_t *floor);

#endif
