#!/bin/bash
# fouille-index --watch: a first pass, then each change searchable within
# seconds (create, modify, delete, rename, an editor's save through a
# temporary file, a new subfolder, a removed subfolder, a burst of 300
# files); editor temporary files ignored; SIGTERM exits 0 with a sound
# index; --watch without PATH follows every recorded root; usage errors.
# Every wait is bounded.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
T=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/err" ] && cat "$T/err" >&2; exit 1; }
DB=$T/w.db
A=$T/archive
mkdir -p "$A"
echo "Le chat dort sur le canapé." >"$A/chat.txt"

# expect WORD N: polls --count WORD for up to 5 s.
expect() {
  local got=
  for _ in $(seq 50); do
    got=$("$QRY" --db "$DB" --count "$1" 2>/dev/null || true)
    [ "$got" = "$2" ] && return 0
    sleep 0.1
  done
  fail "$1: expected $2, got '$got'"
}
# keys: the stored keys, sorted.
keys() { sqlite3 "$DB" "SELECT key FROM articles ORDER BY key" | tr '\n' ' '; }
# expect_keys "K1 K2 ": polls the keys for up to 5 s.
expect_keys() {
  for _ in $(seq 50); do
    [ "$(keys)" = "$1" ] && return 0
    sleep 0.1
  done
  fail "keys: expected '$1', got '$(keys)'"
}

"$IDX" --db "$DB" --watch "$A" >"$T/out" 2>"$T/err" &
W=$!
pids+=("$W")
expect chat 1

echo "Une girafe passe." >"$A/girafe.txt" # create
expect girafe 1
echo "Un éléphant passe." >"$A/girafe.txt" # modify
expect "éléphant" 1
expect girafe 0
rm "$A/girafe.txt" # delete
expect "éléphant" 0
mv "$A/chat.txt" "$A/minou.txt" # rename
expect_keys "minou.txt "
expect chat 1

# An editor's save: vim's 4913 probe, a swap file, a write to a temporary
# file renamed over the article; none of the temporaries is indexed.
echo "probe" >"$A/4913" && rm "$A/4913"
echo "swap zèbre" >"$A/.minou.txt.swp"
echo "Le zèbre dort." >"$A/.minou.txt.tmp~"
mv "$A/.minou.txt.tmp~" "$A/minou.txt"
expect "zèbre" 1
expect chat 0
echo "backup lama" >"$A/minou.txt~"
echo "lock lama" >"$A/.#minou.txt"
rm "$A/.minou.txt.swp"

# A new subfolder with a file, then its removal.
mkdir -p "$A/sous/dossier"
echo "Un hibou chante." >"$A/sous/dossier/hibou.md"
expect hibou 1
echo "Un autre hibou." >"$A/sous/dossier/hibou2.txt" # the new folder is watched
expect hibou 2
rm -r "$A/sous"
expect hibou 0

# A folder moved in, then out.
mkdir -p "$T/dehors/d"
echo "Une loutre nage." >"$T/dehors/d/loutre.txt"
mv "$T/dehors" "$A/dedans"
expect loutre 1
echo "Une loutre plonge." >"$A/dedans/d/loutre2.txt"
expect loutre 2
mv "$A/dedans" "$T/parti"
expect loutre 0

# A burst of 300 files.
for i in $(seq 300); do echo "Le castor numéro $i construit." >"$A/castor$i.txt"; done
expect castor 300
[ "$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE key LIKE '%lama%' OR key LIKE '%.swp' OR key LIKE '%4913%'")" = 0 ] \
  || fail "temporaries indexed: $(keys)"

kill -TERM "$W"
rc=0
for _ in $(seq 50); do kill -0 "$W" 2>/dev/null || break; sleep 0.1; done
kill -0 "$W" 2>/dev/null && fail "still running after SIGTERM"
wait "$W" || rc=$?
[ $rc -eq 0 ] || fail "exit $rc after SIGTERM"
grep -q "^fouille-index: watch: [0-9]* paths\?: " "$T/out" || fail "progress lines: $(cat "$T/out")"
"$IDX" --db "$DB" --check --quiet || fail "check"

# Without PATH: every recorded root; SIGINT; --quiet prints nothing.
"$IDX" --db "$DB" --watch --quiet >"$T/out" 2>"$T/err" &
W=$!
pids+=("$W")
sleep 0.5
echo "Un renard rôde." >"$A/renard.txt"
expect renard 1
kill -INT "$W"
rc=0
for _ in $(seq 50); do kill -0 "$W" 2>/dev/null || break; sleep 0.1; done
wait "$W" || rc=$?
[ $rc -eq 0 ] || fail "exit $rc after SIGINT"
[ ! -s "$T/out" ] || fail "--quiet printed: $(cat "$T/out")"

# Usage errors.
for bad in "--dry-run" "--check" "--stats" "--json" "--stdin x"; do
  rc=0
  # shellcheck disable=SC2086
  "$IDX" --db "$DB" --watch $bad "$A" 2>"$T/err" || rc=$?
  [ $rc -eq 2 ] || fail "--watch $bad: exit $rc"
done
echo "index_watch: ok"
