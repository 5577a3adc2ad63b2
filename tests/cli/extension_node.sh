#!/bin/bash
# examples/search.mjs (Node, better-sqlite3 12) gets the same keys in the
# same order as fouille-query --ids. Runs only where node can resolve
# better-sqlite3 (NODE_PATH, or FOUILLE_NODE_MODULES pointing at a
# node_modules folder); the suite never installs npm packages itself.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
EXT=${FOUILLE_EXTENSION:?}
EXT=${EXT%.so}
if [ -n "${FOUILLE_NODE_MODULES:-}" ]; then export NODE_PATH=$FOUILLE_NODE_MODULES; fi
if ! command -v node >/dev/null || ! node -e "require('better-sqlite3')" 2>/dev/null; then
  echo "extension_node: skipped (no node or no better-sqlite3; set FOUILLE_NODE_MODULES)"
  exit 77
fi
if ldd "$EXT.so" | grep libasan >/dev/null; then # not -q: under pipefail, ldd could die of SIGPIPE
  echo "extension_node: skipped (sanitizer build: node cannot load an ASan module)"
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB=$T/index.db
"$IDX" --quiet --db "$DB" "$FOUILLE_TEST_DATA/articles" >/dev/null
# ESM imports ignore NODE_PATH: run a copy next to a node_modules link.
mkdir -p "$T/ex"
cp "$FOUILLE_SOURCE_DIR/examples/search.mjs" "$T/ex/"
ln -s "$(node -e "console.log(require('path').dirname(require.resolve('better-sqlite3/package.json')) + '/..')")" \
  "$T/ex/node_modules"
checked=0
for q in paris vélo "puces OR vélo" réforme; do
  "$QRY" --db "$DB" --ids --limit 10 -- "$q" >"$T/want" || true
  [ -s "$T/want" ] || continue
  checked=$((checked + 1))
  node "$T/ex/search.mjs" "$DB" "$EXT" "$q" >"$T/out" 2>"$T/err" || fail "node, $q: $(cat "$T/err")"
  grep -v '^    ' "$T/out" | cut -d' ' -f1 >"$T/got"
  diff -u "$T/want" "$T/got" >&2 || fail "node order differs for: $q"
done
[ $checked -ge 3 ] || fail "only $checked queries had hits"
echo "extension_node: ok ($checked queries)"
