/* Internal, for the tokenizer's tap (store/fts5_tap.h): a 64-bit note the
 * analyzer keeps with each word of its cache for its caller, so that a
 * caller keeping something per word finds it without hashing the word a
 * second time. A note is 0 until the caller sets it, and every note is 0
 * again when the cache empties itself (it then has another epoch). */
#ifndef FOUILLE_ANALYZER_NOTES_H
#define FOUILLE_ANALYZER_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include "fouille/analyzer.h"

/* Gives each entry of a's cache a note from now on, and sets *note to the
 * note of each word a finds the terms of (the word after its elision, or a
 * joined word), before it gives them, or to NULL when it has none (not
 * cached): FOUILLE_OK (also without a cache: then no word has a note) or
 * FOUILLE_ENOMEM. */
int fouille__analyzer_notes_on(fouille_analyzer *a, uint64_t **note);
/* The cache's epoch now: a note shown earlier still belongs to its word
 * while the epoch stays the same. */
uint32_t fouille__analyzer_notes_epoch(const fouille_analyzer *a);
/* Sets every note to 0. */
void fouille__analyzer_notes_clear(fouille_analyzer *a);
/* The bytes of a's word cache, notes included. */
size_t fouille__analyzer_cache_bytes(const fouille_analyzer *a);

#endif
