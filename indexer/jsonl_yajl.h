/* Private: the JSON Lines reader's fast path (jsonl_yajl.c: yajl's
 * streaming parser), used by read_jsonl.c before jansson. */
#ifndef FOUILLE_JSONL_YAJL_H
#define FOUILLE_JSONL_YAJL_H

#include <stddef.h>

/* The fields the reader wants, in this order. */
enum {
  FOUILLE__JF_ID,
  FOUILLE__JF_TITLE,
  FOUILLE__JF_BODY,
  FOUILLE__JF_TEXT,
  FOUILLE__JF_CONTENT,
  FOUILLE__JF_DATE,
  FOUILLE__JF_URL,
  FOUILLE__JF_SOURCE,
  FOUILLE__JF_AUTHOR,
  FOUILLE__JF_TAGS,
  FOUILLE__JF_DELETED,
  FOUILLE__JF_COUNT
};

/* v[k]: field k's string (tags: an array's strings joined with ", "),
 * NUL-terminated valid UTF-8 without NUL, n[k] its bytes; NULL when absent
 * or not a string. deleted: "deleted" is true. buf holds them (free it). */
typedef struct fouille__jsonl_fields {
  const char *v[FOUILLE__JF_COUNT];
  size_t n[FOUILLE__JF_COUNT];
  int deleted;
  char *buf;
} fouille__jsonl_fields;

/* 1 with *f filled when the line is for the fast path; 0 (nothing to
 * free) when jansson must read it; -1 out of memory. */
int fouille__jsonl_fast(const char *line, size_t len, fouille__jsonl_fields *f);

#endif
