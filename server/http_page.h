/* The search page's files (server/page/), compiled in by
 * cmake/embed_page.cmake, and the response that serves one. */
#ifndef FOUILLE_HTTP_PAGE_H
#define FOUILLE_HTTP_PAGE_H

#include <stddef.h>

typedef struct fouille__http_asset {
  const char *path; /* "/" for index.html, else "/" and the file's name */
  const char *type; /* Content-Type */
  const unsigned char *data;
  size_t size;
} fouille__http_asset;

/* Every file, ended by an entry whose path is NULL (the generated file). */
extern const fouille__http_asset fouille__http_assets[];

/* The file served at path, or NULL. */
const fouille__http_asset *fouille__http_asset_find(const char *path);

struct MHD_Response;
/* A response with the file and its headers (Content-Security-Policy
 * allowing only the server itself), or NULL when out of memory. */
struct MHD_Response *fouille__http_page_response(const fouille__http_asset *a);

#endif
