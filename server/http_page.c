/* GET / and the page's files: served from the arrays compiled in, with a
 * Content-Security-Policy that lets the page load only from this server
 * (no inline script or style, no other origin, no framing). */
#include <microhttpd.h>
#include <string.h>

#include "http_page.h"

#define CSP                                                                                        \
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"   \
  " base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const fouille__http_asset *fouille__http_asset_find(const char *path) {
  for (const fouille__http_asset *a = fouille__http_assets; path && a->path; a++)
    if (strcmp(a->path, path) == 0) return a;
  return NULL;
}

struct MHD_Response *fouille__http_page_response(const fouille__http_asset *a) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(a->size, (void *)a->data, MHD_RESPMEM_PERSISTENT);
  if (!r) return NULL;
  MHD_add_response_header(r, "Content-Type", a->type);
  MHD_add_response_header(r, "Content-Security-Policy", CSP);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Cache-Control", "no-cache");
  return r;
}
