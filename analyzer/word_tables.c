/* The analyzer's short word lists: words Snowball over-stems (each with its
 * reason), and the irregular plurals, short plurals and feminines whose
 * stem Snowball sets apart from their base word. */
#include <string.h>

#include "alternatives.h"

/* Words whose Snowball stem (accents folded) is that of unrelated words:
 * they get their own term, and no alternative that would join them back.
 * Accentless spellings are listed when no other word has them. */
#define LEN(s) (sizeof(s) - 1)
#define OVER(w, t, why)                                                                            \
  { w, LEN(w), t, why }

static const struct {
  const char *word;
  size_t len;
  const char *term, *reason;
} over_stemmed[] = {
    OVER("mère", "mere", "mother; the stem mèr, folded, is that of mer (sea)"),
    OVER("mères", "mere", "mothers: as mère"),
    OVER("mere", "mere", "mère typed without accent"),
    OVER("meres", "mere", "mères typed without accent"),
    OVER("fils", "fils", "son; the stem fil is that of fil (thread)"),
    OVER("pays", "pays", "country; the stem pay is that of paye (pay)"),
    OVER("foie", "foie", "liver; the stem foi is that of foi (faith)"),
    OVER("foies", "foie", "livers: as foie"),
    OVER("parti", "parti", "political party; the stem part is that of partir, partie, part"),
    OVER("partis", "parti", "parties: as parti"),
    OVER("côté", "cote", "side; the stem côt, folded, is that of côte (coast) and cote (rating)"),
    OVER("côtés", "cote", "sides: as côté"),
    OVER("tâche", "tache", "task; the stem tâch, folded, is that of tache (stain)"),
    OVER("tâches", "tache", "tasks: as tâche"),
    OVER("gens", "gens", "people; the stem gen is that of gène (gene) and gêne (discomfort)"),
    OVER("gène", "gene", "gene; the stem gèn, folded, is that of gens and gêne"),
    OVER("gènes", "gene", "genes: as gène"),
    OVER("mâle", "male", "male; the stem mâl, folded, is that of mal (evil, harm)"),
    OVER("mâles", "male", "males: as mâle"),
    OVER("pêche", "peche", "fishing, peach; the stem pêch, folded, is that of péché (sin)"),
    OVER("pêches", "peche", "as pêche"),
    OVER("pêcher", "peche", "to fish; its stem pêch, folded, is that of péché (sin)"),
};

/* Word -> base word whose stem it must share, one table per last letter. */
typedef struct irr {
  const char *word;
  size_t len;
  const char *base;
} irr;
#define IRR(w, b)                                                                                  \
  { w, LEN(w), b }

/* Irregular plurals */
static const irr plurals_x[] = {IRR("travaux", "travail"), IRR("coraux", "corail"),
                                IRR("émaux", "émail"),     IRR("vitraux", "vitrail"),
                                IRR("baux", "bail"),       IRR("soupiraux", "soupirail"),
                                IRR("vantaux", "vantail"), IRR("yeux", "oeil"),
                                IRR("cieux", "ciel"),      IRR("aïeux", "aïeul")};

/* Plurals too short for the plural-mark rule (mais, fois, mois keep their s) */
static const irr plurals_s[] = {
    IRR("amis", "ami"), IRR("lois", "loi"), IRR("rois", "roi"),   IRR("élus", "élu"),
    IRR("ados", "ado"), IRR("duos", "duo"), IRR("cris", "cri"),   IRR("écus", "écu"),
    IRR("pros", "pro"), IRR("zoos", "zoo"), IRR("gnous", "gnou"), IRR("cous", "cou"),
    IRR("fous", "fou"), IRR("émus", "ému"), IRR("nus", "nu"),     IRR("vus", "vu"),
    IRR("lus", "lu"),   IRR("crus", "cru"), IRR("spas", "spa"),   IRR("kiwis", "kiwi")};

/* Feminines Snowball stems apart from their masculine */
static const irr feminines[] = {IRR("blanche", "blanc"),
                                IRR("franche", "franc"),
                                IRR("sèche", "sec"),
                                IRR("fraîche", "frais"),
                                IRR("fraiche", "frais"),
                                IRR("douce", "doux"),
                                IRR("rousse", "roux"),
                                IRR("fausse", "faux"),
                                IRR("jalouse", "jaloux"),
                                IRR("épouse", "époux"),
                                IRR("longue", "long"),
                                IRR("gentille", "gentil"),
                                IRR("favorite", "favori"),
                                IRR("bénigne", "bénin"),
                                IRR("maligne", "malin"),
                                IRR("folle", "fou"),
                                IRR("molle", "mou"),
                                IRR("belle", "beau"),
                                IRR("nouvelle", "nouveau"),
                                IRR("vieille", "vieux"),
                                IRR("grosse", "gros"),
                                IRR("basse", "bas"),
                                IRR("grasse", "gras"),
                                IRR("épaisse", "épais"),
                                IRR("turque", "turc"),
                                IRR("grecque", "grec"),
                                IRR("publique", "public"),
                                IRR("laïque", "laïc"),
                                IRR("princesse", "prince"),
                                IRR("maîtresse", "maître"),
                                IRR("comtesse", "comte"),
                                IRR("duchesse", "duc"),
                                IRR("déesse", "dieu"),
                                IRR("hôtesse", "hôte"),
                                IRR("poétesse", "poète"),
                                IRR("héroïne", "héros"),
                                IRR("impératrice", "empereur"),
                                IRR("copine", "copain"),
                                IRR("tierce", "tiers"),
                                IRR("sotte", "sot"),
                                IRR("pareille", "pareil"),
                                IRR("nulle", "nul"),
                                IRR("neuve", "neuf"),
                                IRR("veuve", "veuf"),
                                IRR("naïve", "naïf"),
                                IRR("vive", "vif"),
                                IRR("étrangère", "étranger"),
                                IRR("légère", "léger"),
                                IRR("entière", "entier"),
                                IRR("fière", "fier"),
                                IRR("passagère", "passager"),
                                IRR("mensongère", "mensonger"),
                                IRR("creuse", "creux"),
                                IRR("pieuse", "pieux")};

static int same(const char *w, size_t n, const char *s, size_t len) {
  return n == len && w[0] == s[0] && memcmp(w, s, n) == 0;
}

const char *fouille__over_stemmed(const char *w, size_t n) {
  if (n < 4 || n > 8) return NULL; /* the listed words' lengths in bytes */
  for (size_t i = 0; i < sizeof over_stemmed / sizeof over_stemmed[0]; i++)
    if (same(w, n, over_stemmed[i].word, over_stemmed[i].len)) return over_stemmed[i].term;
  return NULL;
}

static const char *lookup(const irr *t, size_t count, const char *w, size_t n) {
  for (size_t i = 0; i < count; i++)
    if (same(w, n, t[i].word, t[i].len)) return t[i].base;
  return NULL;
}

#define LOOKUP(t, w, n) lookup(t, sizeof t / sizeof t[0], w, n)

/* The word itself, or a feminine plural less its s ("publiques"). */
const char *fouille__irregular_base(const char *w, size_t n) {
  if (n < 3 || n > 14) return NULL; /* the listed words' lengths in bytes, s included */
  switch (w[n - 1]) {
  case 'x':
    return LOOKUP(plurals_x, w, n);
  case 'e':
    return LOOKUP(feminines, w, n);
  case 's': {
    const char *base = LOOKUP(plurals_s, w, n);
    return base || w[n - 2] != 'e' ? base : LOOKUP(feminines, w, n - 1);
  }
  default:
    return NULL;
  }
}

#define COUNT(t) (sizeof t / sizeof t[0])

int fouille__over_stemmed_at(size_t i, const char **word, const char **term) {
  if (i >= COUNT(over_stemmed)) return 0;
  *word = over_stemmed[i].word, *term = over_stemmed[i].term;
  return 1;
}

int fouille__irregular_at(size_t i, const char **word, const char **base) {
  static const struct {
    const irr *t;
    size_t n;
  } tables[] = {
      {plurals_x, COUNT(plurals_x)}, {plurals_s, COUNT(plurals_s)}, {feminines, COUNT(feminines)}};
  for (size_t k = 0; k < COUNT(tables); i -= tables[k].n, k++)
    if (i < tables[k].n) {
      *word = tables[k].t[i].word, *base = tables[k].t[i].base;
      return 1;
    }
  return 0;
}
