#!/bin/bash
# The search page (GET /) in a real browser: tests/page_browser.cjs drives
# Debian's chromium with puppeteer-core and checks it with axe-core (npm
# packages that scripts/test installs into build-browser/; set
# FOUILLE_BROWSER_MODULES to another node_modules folder). Skipped (77)
# where chromium, node or those packages are missing. Screenshots go to
# $FOUILLE_BUILD_DIR/page-screenshots/.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
. "${FOUILLE_SOURCE_DIR:?}/tests/cli_http_lib.bash"
MODULES=${FOUILLE_BROWSER_MODULES:-$FOUILLE_SOURCE_DIR/build-browser/node_modules}
CHROMIUM=${FOUILLE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] || ! command -v node >/dev/null ||
  ! NODE_PATH=$MODULES node -e "require('puppeteer-core'); require('axe-core')" 2>/dev/null; then
  echo "page_browser: skipped (needs $CHROMIUM, node, and puppeteer-core and axe-core in $MODULES: scripts/test installs them)"
  exit 77
fi
T=$(mktemp -d)
trap 'cleanup_server; rm -rf "$T"' EXIT
mkdir -p "$T/arch"
# 64 articles: "grève" in 48 (AFP, Reuters, Ouest-France, 2015-2024), a
# hostile one whose title and body hold HTML, a few others.
python3 - "$T/arch/corpus.jsonl" <<'PY'
import json, sys
sources = ["AFP", "Reuters", "Ouest-France"]
words = ["dockers", "cheminots", "enseignants", "raffineurs", "contrôleurs aériens", "éboueurs"]
with open(sys.argv[1], "w") as f:
    for i in range(48):
        year, month = 2015 + i % 10, 1 + (i * 5) % 12
        w = words[i % len(words)]
        f.write(json.dumps({"id": "g%d" % (i + 1), "title": "Grève des %s, jour %d" % (w, i + 1),
            "date": "%d-%02d-%02d" % (year, month, 1 + i % 28), "source": sources[i % 3],
            "url": "https://exemple.fr/greve/%d" % (i + 1),
            "body": "Les %s sont en grève depuis %d jours.\n\nLa grève touche le port et les "
                    "transports. Les syndicats appellent à poursuivre les grèves." % (w, i + 1)},
            ensure_ascii=False) + "\n")
    for i in range(15):
        f.write(json.dumps({"id": "o%d" % i, "title": "Marché du blé %d" % i, "date": "2020-01-%02d" % (i + 1),
            "source": "AFP", "body": "Le prix du blé monte à Chicago. Un docker témoigne."}, ensure_ascii=False) + "\n")
    f.write(json.dumps({"id": "evil", "title": "<img src=x onerror=\"window.__pwned=1\"> Le piège",
        "date": "2024-05-05", "source": "Inconnu", "url": "javascript:window.__pwned=3",
        "body": "Un piège : <script>window.__pwned=2</script> <b onmouseover=\"window.__pwned=4\">gras</b> fin."},
        ensure_ascii=False) + "\n")
PY
"$IDX" --quiet --db "$T/index.db" "$T/arch" >/dev/null
start_server "$T/server.log" --db "$T/index.db"
OUT=${FOUILLE_BUILD_DIR:-$T}
NODE_PATH=$MODULES FOUILLE_CHROMIUM=$CHROMIUM timeout 600 node "$FOUILLE_SOURCE_DIR/tests/page_browser.cjs" "$BASE" "$OUT"
stop_server TERM
