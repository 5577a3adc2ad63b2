/* The analyzer's short word lists: words Snowball over-stems (each with its
 * reason), and the irregular plurals, short plurals and feminines whose
 * stem Snowball sets apart from their base word. */
#include <string.h>

#include "alternatives.h"

/* Words whose Snowball stem (accents folded) is that of unrelated words:
 * they get their own term, and no alternative that would join them back.
 * Accentless spellings are listed when no other word has them. */
static const struct {
  const char *word, *term, *reason;
} over_stemmed[] = {
    {"mère", "mere", "mother; the stem mèr, folded, is that of mer (sea)"},
    {"mères", "mere", "mothers: as mère"},
    {"mere", "mere", "mère typed without accent"},
    {"meres", "mere", "mères typed without accent"},
    {"fils", "fils", "son; the stem fil is that of fil (thread)"},
    {"pays", "pays", "country; the stem pay is that of paye (pay)"},
    {"foie", "foie", "liver; the stem foi is that of foi (faith)"},
    {"foies", "foie", "livers: as foie"},
    {"parti", "parti", "political party; the stem part is that of partir, partie, part"},
    {"partis", "parti", "parties: as parti"},
    {"côté", "cote", "side; the stem côt, folded, is that of côte (coast) and cote (rating)"},
    {"côtés", "cote", "sides: as côté"},
    {"tâche", "tache", "task; the stem tâch, folded, is that of tache (stain)"},
    {"tâches", "tache", "tasks: as tâche"},
    {"gens", "gens", "people; the stem gen is that of gène (gene) and gêne (discomfort)"},
    {"gène", "gene", "gene; the stem gèn, folded, is that of gens and gêne"},
    {"gènes", "gene", "genes: as gène"},
    {"mâle", "male", "male; the stem mâl, folded, is that of mal (evil, harm)"},
    {"mâles", "male", "males: as mâle"},
    {"pêche", "peche", "fishing, peach; the stem pêch, folded, is that of péché (sin)"},
    {"pêches", "peche", "as pêche"},
    {"pêcher", "peche", "to fish; its stem pêch, folded, is that of péché (sin)"},
};

/* Word -> base word whose stem it must share. */
static const char *const irregular[][2] = {
    /* Irregular plurals */
    {"travaux", "travail"},
    {"coraux", "corail"},
    {"émaux", "émail"},
    {"vitraux", "vitrail"},
    {"baux", "bail"},
    {"soupiraux", "soupirail"},
    {"vantaux", "vantail"},
    {"yeux", "oeil"},
    {"cieux", "ciel"},
    {"aïeux", "aïeul"},
    /* Plurals too short for the plural-mark rule (mais, fois, mois keep theirs) */
    {"amis", "ami"},
    {"lois", "loi"},
    {"rois", "roi"},
    {"élus", "élu"},
    {"ados", "ado"},
    {"duos", "duo"},
    {"cris", "cri"},
    {"écus", "écu"},
    {"pros", "pro"},
    {"zoos", "zoo"},
    {"gnous", "gnou"},
    {"cous", "cou"},
    {"fous", "fou"},
    {"émus", "ému"},
    {"nus", "nu"},
    {"vus", "vu"},
    {"lus", "lu"},
    {"crus", "cru"},
    {"spas", "spa"},
    {"kiwis", "kiwi"},
    /* Feminines Snowball stems apart from their masculine */
    {"blanche", "blanc"},
    {"franche", "franc"},
    {"sèche", "sec"},
    {"fraîche", "frais"},
    {"fraiche", "frais"},
    {"douce", "doux"},
    {"rousse", "roux"},
    {"fausse", "faux"},
    {"jalouse", "jaloux"},
    {"épouse", "époux"},
    {"longue", "long"},
    {"gentille", "gentil"},
    {"favorite", "favori"},
    {"bénigne", "bénin"},
    {"maligne", "malin"},
    {"folle", "fou"},
    {"molle", "mou"},
    {"belle", "beau"},
    {"nouvelle", "nouveau"},
    {"vieille", "vieux"},
    {"grosse", "gros"},
    {"basse", "bas"},
    {"grasse", "gras"},
    {"épaisse", "épais"},
    {"turque", "turc"},
    {"grecque", "grec"},
    {"publique", "public"},
    {"laïque", "laïc"},
    {"princesse", "prince"},
    {"maîtresse", "maître"},
    {"comtesse", "comte"},
    {"duchesse", "duc"},
    {"déesse", "dieu"},
    {"hôtesse", "hôte"},
    {"poétesse", "poète"},
    {"héroïne", "héros"},
    {"impératrice", "empereur"},
    {"copine", "copain"},
    {"tierce", "tiers"},
    {"sotte", "sot"},
    {"pareille", "pareil"},
    {"nulle", "nul"},
    {"neuve", "neuf"},
    {"veuve", "veuf"},
    {"naïve", "naïf"},
    {"vive", "vif"}};

static int same(const char *w, size_t n, const char *s) {
  return strlen(s) == n && !memcmp(w, s, n);
}

const char *fouille__over_stemmed(const char *w, size_t n) {
  for (size_t i = 0; i < sizeof over_stemmed / sizeof over_stemmed[0]; i++)
    if (same(w, n, over_stemmed[i].word)) return over_stemmed[i].term;
  return NULL;
}

/* The word itself, or a feminine plural less its s ("publiques"). */
const char *fouille__irregular_base(const char *w, size_t n) {
  size_t count = sizeof irregular / sizeof irregular[0];
  for (size_t i = 0; i < count; i++)
    if (same(w, n, irregular[i][0])) return irregular[i][1];
  if (n > 1 && w[n - 1] == 's')
    for (size_t i = 0; i < count; i++)
      if (same(w, n - 1, irregular[i][0]) && irregular[i][0][n - 2] == 'e') return irregular[i][1];
  return NULL;
}
