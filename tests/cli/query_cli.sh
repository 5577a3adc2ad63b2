#!/bin/bash
# fouille-query: every option, exit codes 0/1/2/3, text output with [markers],
# --json (valid, checked with python3 -m json.tool), --ids, --count, colour
# rules (NO_COLOR, --color always/never), filters, sorting and paging.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
Q=${FOUILLE_QUERY:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=$T/arch
mkdir -p "$A"
cat >"$A/fil.jsonl" <<'JSONL'
{"id":"a1","title":"La sécurité des réseaux","body":"L’État renforce la sécurité informatique. Les pirates attaquent.","date":"2024-03-12","source":"Le Monde","url":"https://exemple.fr/a1"}
{"id":"a2","title":"Les puces électroniques","body":"Les États-Unis fabriquent des puces. La sécurité des puces compte.","date":"2023-06-01","source":"AFP"}
{"id":"a3","title":"Vélo à Paris","body":"Les pistes cyclables de Paris sont pleines.","date":"2024-01-05","source":"AFP"}
JSONL
DB=$T/index.db
"$IDX" --db "$DB" "$A" >/dev/null
export NO_COLOR=1
unset FOUILLE_DB || true

# Text output: header, [highlight], total line; exit 0.
"$Q" --db "$DB" securite >"$T/out" || fail "securite: exit $?"
grep -q "^1\. La sécurité des réseaux — 2024-03-12 — Le Monde — fil.jsonl#a1$" "$T/out" \
  || fail "header: $(cat "$T/out")"
grep -q "\[sécurité\]" "$T/out" || fail "highlight markers"
grep -qx "2 matching articles" "$T/out" || fail "total line"
grep -q $'\033' "$T/out" && fail "colour without a TTY"

# Several words joined; elision and accents. The article holding both comes
# first, then the one holding only "États" (any-word ranking).
"$Q" --db "$DB" --ids "L'Etat" pirates >"$T/out"
[ "$(cat "$T/out")" = "fil.jsonl#a1"$'\n'"fil.jsonl#a2" ] || fail "--ids with two args: $(cat "$T/out")"
# Options end at the first word, so negations need no quoting; -- for a leading one.
[ "$("$Q" --db "$DB" --ids securite -puces --ids)" = "fil.jsonl#a1" ] || fail "negation arg"
[ "$("$Q" --db "$DB" --ids -- -puces securite)" = "fil.jsonl#a1" ] || fail "-- then negation"

# No hit: exit 1 and a zero total.
set +e
"$Q" --db "$DB" xylophone >"$T/out"; rc=$?
[ $rc -eq 1 ] || fail "no hit: exit $rc"
grep -qx "0 matching articles" "$T/out" || fail "zero total line"

# Usage errors: 2, one line naming the problem.
for args in "--limit abc securite" "--limit -1 securite" "--limit 5000 securite" \
  "--offset x securite" "--passages -2 securite" "--passage-length 0 securite" \
  "--sort size securite" "--color rainbow securite" "--frobnicate securite" "" \
  "--since 2024-13 securite" "--until hier securite" "-securite" ; do
  # shellcheck disable=SC2086
  "$Q" --db "$DB" $args >/dev/null 2>"$T/err"; rc=$?
  [ $rc -eq 2 ] || fail "'$args': exit $rc"
  grep -q "^fouille-query: " "$T/err" || fail "'$args': message: $(cat "$T/err")"
done
"$Q" --db "$DB" --since 2024-13 securite 2>"$T/err"
grep -qx "fouille-query: bad date '2024-13' (use YYYY-MM-DD)" "$T/err" || fail "bad date message"
"$Q" --db "$DB" 2>"$T/err"
grep -q "missing QUERY" "$T/err" || fail "missing query message"

# Failures: 3 (no index, garbage file).
"$Q" --db "$T/nope.db" securite >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 3 ] || fail "missing db: exit $rc"
grep -qx "fouille-query: $T/nope.db: no such index (run fouille-index first)" "$T/err" \
  || fail "missing db message: $(cat "$T/err")"
[ -e "$T/nope.db" ] && fail "created a database"
head -c 5000 /dev/urandom >"$T/garbage.db"
"$Q" --db "$T/garbage.db" securite >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 3 ] || fail "garbage db: exit $rc"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "garbage db: one line"
set -e

# --help, --version, FOUILLE_DB.
"$Q" --help | grep -- "--passage-length" >/dev/null || fail "--help"
"$Q" --version | grep "^fouille-query [0-9]" >/dev/null || fail "--version"
FOUILLE_DB=$DB "$Q" --count securite | grep -x 2 >/dev/null || fail "FOUILLE_DB"

# --count, --ids, --limit, --offset, --sort date, filters.
[ "$("$Q" --db "$DB" --count securite)" = 2 ] || fail "--count"
[ "$("$Q" --db "$DB" --ids --limit 1 securite)" = "fil.jsonl#a1" ] || fail "--limit"
[ "$("$Q" --db "$DB" --ids --offset 1 securite)" = "fil.jsonl#a2" ] || fail "--offset"
[ "$("$Q" --db "$DB" --ids --sort date "securite OR velo" | tr '\n' ' ')" = \
  "fil.jsonl#a1 fil.jsonl#a3 fil.jsonl#a2 " ] || fail "--sort date"
[ "$("$Q" --db "$DB" --count --since 2024 "securite OR velo")" = 2 ] || fail "--since"
[ "$("$Q" --db "$DB" --count --until 2023-06 "securite OR velo")" = 1 ] || fail "--until"
[ "$("$Q" --db "$DB" --ids --source AFP securite)" = "fil.jsonl#a2" ] || fail "--source"
"$Q" --db "$DB" --offset 1 securite | grep "^2\. " >/dev/null || fail "ranks count from the offset"

# Facets: every match counted (not only the page), text and JSON; the source
# facet whatever --source (the other sources one could add).
"$Q" --db "$DB" --limit 1 --facets source,year "securite OR velo" >"$T/out"
grep -qx "source: AFP 2, Le Monde 1" "$T/out" || fail "--facets source: $(cat "$T/out")"
grep -qx "year: 2023 1, 2024 2" "$T/out" || fail "--facets year: $(cat "$T/out")"
"$Q" --db "$DB" --json --limit 1 --source AFP --facets month,source "securite OR velo" >"$T/out"
grep -q '"total":2,' "$T/out" || fail "--facets --source: total"
grep -q '"facets":{"source":{"AFP":2,"Le Monde":1},"month":{"2023-06":1,"2024-01":1}}}$' "$T/out" ||
  fail "--facets --json: $(cat "$T/out")"
set +e
"$Q" --db "$DB" --facets auteur securite >/dev/null 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] && head -n1 "$T/err" | grep -q "bad --facets (expected source, year, month): auteur" ||
  fail "--facets auteur: exit $rc, $(cat "$T/err")"

# Passages: none, or shorter.
"$Q" --db "$DB" --passages 0 securite | grep "^   " >/dev/null && fail "--passages 0"
"$Q" --db "$DB" --passage-length 40 --passages 1 puces >"$T/out"
[ "$(grep -c '^   ' "$T/out")" -eq 1 ] || fail "--passages 1"

# Fallback line.
"$Q" --db "$DB" "velo pirates" | grep "showing articles with any" >/dev/null || fail "fallback line"

# JSON: valid, with the query and total.
"$Q" --db "$DB" --json "sécurité \"puces\"" >"$T/out"
python3 -m json.tool "$T/out" >/dev/null || fail "--json is not valid JSON"
# Both articles hold "sécurité", only a2 both words: it leads, no fallback.
grep -q '"total": *2' "$T/out" || fail "--json total"
grep -q '"fallback": *false' "$T/out" || fail "--json fallback"
python3 -c 'import json,sys; assert json.load(sys.stdin)["hits"][0]["key"].endswith("#a2")' \
  <"$T/out" || fail "--json first hit"
set +e
"$Q" --db "$DB" --json xylophone >"$T/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "--json no hit: exit $rc"
python3 -m json.tool "$T/out" >/dev/null || fail "--json (no hit) is not valid JSON"

# Typo tolerance: the words as the archive writes them, in French; --exact
# searches the query as typed.
"$Q" --db "$DB" --passages 0 "securitte" >"$T/out" || fail "securitte: exit $?"
grep -q "^Résultats pour « sécurité » (au lieu de « securitte »" "$T/out" || fail "correction line: $(cat "$T/out")"
grep -qx "Pour chercher « securitte » tel quel : fouille-query --exact" "$T/out" || fail "--exact hint"
grep -qx "2 matching articles" "$T/out" || fail "corrected total"
"$Q" --db "$DB" --json "securitte" | grep -q '"did_you_mean":"sécurité","corrected":true' || fail "--json did_you_mean"
set +e
"$Q" --db "$DB" --exact "securitte" >"$T/out"; rc=$?
"$Q" --db "$DB" --json --exact "securitte" >"$T/json"
set -e
[ $rc -eq 1 ] || fail "--exact securitte: exit $rc"
grep -q "Résultats pour" "$T/out" && fail "--exact corrected"
grep -q '"did_you_mean":null,"corrected":false' "$T/json" || fail "--exact JSON: $(cat "$T/json")"

# Colour: always → ESC; never → none; NO_COLOR only matters for auto.
"$Q" --db "$DB" --color always securite >"$T/out"
grep -q $'\033\[' "$T/out" || fail "--color always"
"$Q" --db "$DB" --color never securite >"$T/out"
grep -q $'\033' "$T/out" && fail "--color never"
# Through a pseudo-terminal, where one can be made (not in some containers).
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
  script -qec "NO_COLOR=1 '$Q' --db '$DB' securite" /dev/null >"$T/tty"
  grep -q "sécurité" "$T/tty" || fail "no output through script"
  grep -q $'\033' "$T/tty" && fail "NO_COLOR on a TTY"
  script -qec "env -u NO_COLOR '$Q' --db '$DB' securite" /dev/null >"$T/tty"
  grep -q $'\033\[' "$T/tty" || fail "auto colour on a TTY"
fi

# Hostile queries never crash: exit 0, 1 or 2.
for q in "'; DROP TABLE articles; --" 'NEAR(a b)' '"' '((((' '**' 'title:' $'\x01\x7f' \
  "$(printf 'x\xff\xfey')" "$(head -c 5000 /dev/zero | tr '\0' a)"; do
  set +e
  "$Q" --db "$DB" -- "$q" >/dev/null 2>&1; rc=$?
  set -e
  [ $rc -le 2 ] || fail "hostile query '$q': exit $rc"
done
# The extension's SQL function on a plain connection (the sqlite3 shell
# cannot load a sanitizer build of it).
EXT=${FOUILLE_EXTENSION:?}
if grep -q "^FOUILLE_SANITIZE:BOOL=ON" "${FOUILLE_BUILD_DIR:?}/CMakeCache.txt"; then
  echo ok
  exit 0
fi
n=$(sqlite3 -cmd ".load ${EXT%.so}" "$DB" \
  "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH fouille_query('L''Etat -puces')")
[ "$n" = 1 ] || fail "fouille_query() in the extension: $n"
set +e
sqlite3 -cmd ".load ${EXT%.so}" "$DB" "SELECT fouille_query('-x')" >/dev/null 2>"$T/err"; rc=$?
set -e
[ $rc -ne 0 ] && grep -q "not excluded" "$T/err" || fail "fouille_query('-x') error"
echo ok
