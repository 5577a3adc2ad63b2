#!/bin/bash
# fouille-index --stdin NAME: JSON Lines from standard input into the root
# NAME (keys NAME#id), deletions, malformed lines (exit 1), an endless pipe
# committed every second while it stays open, SIGTERM (commit, exit 0),
# --stats, --forget, and usage errors.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB=$T/flux.db
n() { sqlite3 "$DB" "SELECT count(*) FROM articles${1:+ WHERE $1}"; }

# A finite stream into a new index.
printf '%s\n' '{"id":"a1","title":"Dépêche","body":"Le train arrive en gare."}' \
  '{"id":"a2","body":"La mer monte."}' | "$IDX" --db "$DB" --stdin depeches >"$T/out"
grep -qx "fouille-index: depeches: 2 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped with errors (0 warnings) in .*" "$T/out" \
  || fail "summary: $(cat "$T/out")"
[ "$(n "key IN ('depeches#a1','depeches#a2')")" = 2 ] || fail "keys"
"$QRY" --db "$DB" --ids gare | grep -qx "depeches#a1" || fail "search"

# Replace, delete, a malformed line (exit 1), a deletion of nothing (warning).
set +e
printf '%s\n' '{"id":"a1","title":"Dépêche","body":"Le train repart."}' '{"id":"a2","deleted":true}' \
  '{"id":"a3",' '{"id":"zz","deleted":true}' | "$IDX" --db "$DB" --stdin depeches --json >"$T/out.json" 2>"$T/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "malformed line: exit $rc"
grep -q "^fouille-index: depeches:3: invalid JSON" "$T/err" || fail "malformed message: $(cat "$T/err")"
grep -q "^fouille-index: depeches:4: warning: no article 'depeches#zz' to delete" "$T/err" || fail "warning: $(cat "$T/err")"
python3 - "$T/out.json" <<'PY' || fail "json: $(cat "$T/out.json")"
import json, sys
s = json.load(open(sys.argv[1]))["stream"]
assert s["root"] == "depeches" and s["articles_updated"] == 1 and s["articles_deleted"] == 1, s
assert s["articles_skipped"] == 1 and s["warnings"] == 1, s
PY
[ "$(n)" = 1 ] || fail "after deletion: $(n)"
"$QRY" --db "$DB" --ids repart | grep -qx "depeches#a1" || fail "replaced"

# An endless stream: committed within a second while the pipe stays open.
(printf '%s\n' '{"id":"e1","body":"Premier de la série."}'; sleep 4;
 printf '%s\n' '{"id":"e2","body":"Second de la série."}') | "$IDX" --db "$DB" --quiet --stdin serie &
pids+=($!)
for _ in $(seq 30); do [ "$(n "key='serie#e1'")" = 1 ] && break; sleep 0.1; done
[ "$(n "key='serie#e1'")" = 1 ] || fail "endless stream: nothing committed while open"
[ "$(n "key='serie#e2'")" = 0 ] || fail "endless stream: the second line came early"
wait "${pids[-1]}" || fail "endless stream: exit $?"
[ "$(n "key LIKE 'serie#%'")" = 2 ] || fail "endless stream: end"

# SIGTERM: what was read is committed, exit 0.
mkfifo "$T/fifo"
"$IDX" --db "$DB" --quiet --stdin sig <"$T/fifo" &
pid=$!
pids+=($pid)
exec 3>"$T/fifo"
printf '%s\n' '{"id":"s1","body":"Avant le signal."}' >&3
sleep 0.3
kill -TERM $pid
set +e
wait $pid; rc=$?
set -e
exec 3>&-
[ $rc -eq 0 ] || fail "SIGTERM: exit $rc"
[ "$(n "key='sig#s1'")" = 1 ] || fail "SIGTERM: not committed"

# The streams are roots: --stats lists them, --forget removes one.
"$IDX" --db "$DB" --stats >"$T/out"
grep -qx "root: stream depeches, 1 articles, last update 20.*Z" "$T/out" || fail "--stats: $(cat "$T/out")"
"$IDX" --db "$DB" --quiet --forget serie
[ "$(n "key LIKE 'serie#%'")" = 0 ] || fail "--forget serie"
"$IDX" --db "$DB" --check --quiet || fail "--check"

# Usage: --stdin takes no PATH; a name starting with '/' is refused (exit 3).
set +e
"$IDX" --db "$DB" --stdin x "$T" </dev/null >/dev/null 2>&1; rc=$?
"$IDX" --db "$DB" --stdin /x </dev/null >/dev/null 2>"$T/err"; rc2=$?
"$IDX" --db "$DB" --stdin x --dry-run </dev/null >/dev/null 2>&1; rc3=$?
set -e
[ $rc -eq 2 ] || fail "--stdin with PATH: exit $rc"
[ $rc3 -eq 2 ] || fail "--stdin with --dry-run: exit $rc3"
[ $rc2 -eq 3 ] && grep -q "a stream's name" "$T/err" || fail "bad name: $rc2 $(cat "$T/err")"
echo ok
