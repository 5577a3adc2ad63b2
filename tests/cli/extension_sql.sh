#!/bin/bash
# fouille.so in plain SQLite clients: the sqlite3 shell with .load and
# Python's sqlite3 (examples/search.py) get the same keys in the same order
# as fouille-query --ids; without the extension, "no such tokenizer".
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
EXT=${FOUILLE_EXTENSION:?}
EXT=${EXT%.so}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
# A sanitizer build's fouille.so needs the ASan runtime preloaded into
# sqlite3 and python3 (which are not instrumented).
if ldd "$EXT.so" | grep libasan >/dev/null; then # not -q: under pipefail, ldd could die of SIGPIPE
  export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB=$T/index.db
mkdir -p "$T/arch"
cp -r "$FOUILLE_TEST_DATA/articles/." "$T/arch/"
for i in 1 2 3 4 5 6; do
  printf 'Le tramway de Paris numéro %d\n\n%s\n' "$i" \
    "$(for j in $(seq 1 "$i"); do printf 'Le tramway traverse Paris. '; done)" >"$T/arch/tram$i.txt"
done
"$IDX" --quiet --db "$DB" "$T/arch" >/dev/null

SQL="SELECT articles.key FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid
WHERE articles_fts MATCH fouille_query(?1)
ORDER BY fouille_rank(articles_fts), articles.date DESC, articles.key LIMIT 10;"
checked=0
for q in tramway paris "tramway paris" vélo "puces OR tramway" 'tram*' '"traverse paris"'; do
  "$QRY" --db "$DB" --ids --limit 10 -- "$q" >"$T/want" || true
  [ -s "$T/want" ] || continue
  checked=$((checked + 1))
  qs=${q//\'/\'\'}
  qs=${qs//\"/\\\"} # the shell's dot-command parsing would eat the phrase's quotes
  sqlite3 -bail "$DB" ".load $EXT" ".parameter set ?1 \"'$qs'\"" "$SQL" >"$T/shell" 2>"$T/err" ||
    fail "sqlite3 shell, query $q: $(cat "$T/err")"
  diff -u "$T/want" "$T/shell" >&2 || fail "sqlite3 shell order differs for: $q"
  $PY "$FOUILLE_SOURCE_DIR/examples/search.py" "$DB" "$EXT" "$q" --ids >"$T/py" 2>"$T/err" ||
    fail "python sqlite3, query $q: $(cat "$T/err")"
  diff -u "$T/want" "$T/py" >&2 || fail "python sqlite3 order differs for: $q"
done
[ $checked -ge 5 ] || fail "only $checked queries had hits"

# Passages come back as JSON with highlights inside the text.
$PY "$FOUILLE_SOURCE_DIR/examples/search.py" "$DB" "$EXT" tramway >"$T/out" || fail "search.py text output"
grep -q "tramway" "$T/out" || fail "no passage printed"

# fouille_suggest(): the query as a search corrects it, NULL when it would not.
[ "$(sqlite3 "$DB" ".load $EXT" "SELECT fouille_suggest('tramwway pariss')")" = "tramway paris" ] ||
  fail "fouille_suggest: $(sqlite3 "$DB" ".load $EXT" "SELECT fouille_suggest('tramwway pariss')" 2>&1)"
[ "$(sqlite3 "$DB" ".load $EXT" "SELECT quote(fouille_suggest('tramway paris'))")" = NULL ] ||
  fail "fouille_suggest of a correct query"

# A hostile query is an SQL error message, never a crash or an FTS5 syntax error.
set +e
sqlite3 "$DB" ".load $EXT" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH fouille_query('\") OR NEAR(* ^')" \
  >"$T/out" 2>"$T/err"
rc=$?
set -e
[ $rc -le 1 ] || fail "hostile query: exit $rc"
grep -qi "fts5: syntax error" "$T/err" && fail "raw FTS5 syntax error leaked: $(cat "$T/err")"

# Without the extension: SQLite's own error.
set +e
sqlite3 "$DB" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'paris'" >/dev/null 2>"$T/err"
rc=$?
set -e
[ $rc -ne 0 ] || fail "query without the extension succeeded"
grep -q "no such tokenizer: fouille_fr" "$T/err" || fail "shell error: $(cat "$T/err")"
$PY - "$DB" <<'PYEOF' || fail "python without the extension"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
try:
    con.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'paris'").fetchall()
except sqlite3.OperationalError as e:
    assert "no such tokenizer" in str(e), e
else:
    raise SystemExit("no error without the extension")
PYEOF
echo "extension_sql: ok ($checked queries)"
