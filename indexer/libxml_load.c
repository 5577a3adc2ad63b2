/* Loads libxml2 with dlopen on first use (see libxml_load.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "libxml_load.h"

/* Debian 12's (and every libxml2 2.x's) soname. */
#define LIBXML_SONAME "libxml2.so.2"

const fouille__libxml *fouille__xml;
static fouille__libxml table;
static char why[256];

/* dlsym into a function pointer of any type. */
static int sym(void *lib, const char *name, void *out) {
  void *p = dlsym(lib, name);
  memcpy(out, &p, sizeof p);
  return p != NULL;
}

static void load(void) {
  void *lib = dlopen(LIBXML_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *e = dlerror();
    snprintf(why, sizeof why, "%s", e ? e : LIBXML_SONAME ": cannot be loaded");
    return;
  }
  void (*init)(void) = NULL;
  if (!sym(lib, "htmlReadMemory", &table.read_memory) ||
      !sym(lib, "htmlNewParserCtxt", &table.new_parser) ||
      !sym(lib, "htmlCtxtReadMemory", &table.ctxt_read_memory) ||
      !sym(lib, "htmlFreeParserCtxt", &table.free_parser) ||
      !sym(lib, "htmlEntityLookup", &table.entity_lookup) ||
      !sym(lib, "htmlTagLookup", &table.tag_lookup) ||
      !sym(lib, "xmlDocGetRootElement", &table.root_element) ||
      !sym(lib, "xmlFreeDoc", &table.free_doc) || !sym(lib, "xmlGetProp", &table.get_prop) ||
      !sym(lib, "xmlNodeGetContent", &table.node_content) ||
      !sym(lib, "xmlFree", &table.free_var) || !sym(lib, "xmlInitParser", &init)) {
    snprintf(why, sizeof why, LIBXML_SONAME ": a function is missing");
    return; /* the library stays loaded: harmless, and another thread may hold it */
  }
  init(); /* once, before threads parse concurrently */
  fouille__xml = &table;
}

int fouille__libxml_load(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, load);
  if (fouille__xml) return FOUILLE_OK;
  return fouille__error(FOUILLE_EIO, "cannot read HTML: %s (install libxml2)", why);
}
