/* libxml2, loaded at run time by the readers that need it (HTML files, HTML
 * blocks and entities in Markdown): linked, it and the ICU it brings made
 * every program start slower, fouille-query's one-shot searches included,
 * which never parse HTML (issue 17). The readers call libxml2 through
 * fouille__xml once fouille__libxml_load succeeded. */
#ifndef FOUILLE_INDEXER_LIBXML_LOAD_H
#define FOUILLE_INDEXER_LIBXML_LOAD_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* The functions the readers use, typed from libxml2's own headers. */
typedef struct fouille__libxml {
  __typeof__(htmlReadMemory) *read_memory;
  __typeof__(htmlNewParserCtxt) *new_parser;
  __typeof__(htmlCtxtReadMemory) *ctxt_read_memory;
  __typeof__(htmlFreeParserCtxt) *free_parser;
  __typeof__(htmlEntityLookup) *entity_lookup;
  __typeof__(htmlTagLookup) *tag_lookup;
  __typeof__(xmlDocGetRootElement) *root_element;
  __typeof__(xmlFreeDoc) *free_doc;
  __typeof__(xmlGetProp) *get_prop;
  __typeof__(xmlNodeGetContent) *node_content;
  xmlFreeFunc *free_var; /* libxml2's variable xmlFree */
} fouille__libxml;

/* NULL until fouille__libxml_load succeeded. */
extern const fouille__libxml *fouille__xml;

/* Loads libxml2 once (thread-safe) and initialises its parser. FOUILLE_OK,
 * or FOUILLE_EIO with a message naming the library (the file is then
 * reported and skipped, like any unreadable one). */
int fouille__libxml_load(void);

/* xmlFree for what libxml2 allocated (NULL is allowed). */
static inline void fouille__xml_free(void *p) {
  if (p) (*fouille__xml->free_var)(p);
}

#endif
