#!/bin/bash
# Concurrency: fouille-query runs in a loop while fouille-index does a full
# --rebuild and then incremental runs. Every query must exit 0 or 1 (never
# 3: busy or broken), and every --count must be a consistent total: the one
# before the run or the one after, nothing in between.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
T=$(mktemp -d)
loop_pid=
cleanup() { [ -z "$loop_pid" ] || kill "$loop_pid" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=$T/arch
DB=$T/index.db

# 3000 articles: 2000 .txt that all hold "commune", 1000 JSON Lines that don't.
python3 - "$A" <<'PY'
import json, os, sys
root = sys.argv[1]
mots = "vélo train mer montagne école hôpital élection récolte orage musée".split()
for i in range(2000):
    d = os.path.join(root, "%02d" % (i % 40))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "a%05d.txt" % i), "w") as f:
        f.write("Article %d : le %s\n\n" % (i, mots[i % 10]))
        f.write(("Le %s de la commune %d fait débat, l’été venu. " % (mots[(i * 7) % 10], i)) * 8)
with open(os.path.join(root, "depeches.jsonl"), "w") as f:
    for i in range(1000):
        f.write(json.dumps({"id": "d%d" % i, "title": "Dépêche %d" % i,
                            "body": "La %s est annoncée, selon l’agence." % mots[i % 10]},
                           ensure_ascii=False) + "\n")
PY

# Queries --count in a loop into $1 ("exit count" per line) until killed.
query_loop() {
  while :; do
    rc=0
    n=$("$QRY" --db "$DB" --count commune 2>>"$T/qerr") || rc=$?
    echo "$rc ${n:-none}" >>"$1"
  done
}

# Waits (at most 60 s) until file $1 has $2 lines.
wait_lines() {
  local i
  for i in $(seq 1 1200); do
    [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.05
  done
  fail "the query loop wrote $(wc -l <"$1") of $2 lines in 60 s"
}

# Runs fouille-index "$@" with the query loop going; $1 = allowed counts.
phase() {
  local allowed=$1 log=$T/phase.log
  shift
  : >"$log"
  query_loop "$log" &
  loop_pid=$!
  # Queries on both sides of the run, however slow the machine (a sanitizer
  # build on a loaded machine starts fouille-query slowly): 2 before it
  # starts, 2 more once it is done.
  wait_lines "$log" 2
  "$IDX" --db "$DB" --quiet "$@" "$A" || fail "fouille-index $* failed"
  wait_lines "$log" $(($(wc -l <"$log") + 2))
  kill "$loop_pid"
  wait "$loop_pid" 2>/dev/null || true
  loop_pid=
  queries=$((queries + $(wc -l <"$log")))
  while read -r rc n; do
    [ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "during $*: a query exited $rc: $(tail -1 "$T/qerr")"
    [ -z "$n" ] || [[ " $allowed " == *" $n "* ]] ||
      fail "during $*: --count gave $n, expected one of: $allowed"
  done <"$log"
}

queries=0
"$IDX" --db "$DB" --quiet "$A" || fail "first run"
[ "$("$QRY" --db "$DB" --count commune)" = 2000 ] || fail "initial count"
phase "2000" --rebuild
phase "2000" --rebuild --batch 200
before=2000
for round in 1 2 3; do
  for i in $(seq 1 50); do
    printf 'Nouveau %s-%s\n\nLa commune vote, l’hiver.\n' "$round" "$i" >"$A/00/n$round-$i.txt"
  done
  rm "$A/01/a$(printf '%05d' $((1 + 40 * round))).txt"
  after=$((before + 49))
  phase "$before $after"
  [ "$("$QRY" --db "$DB" --count commune)" = "$after" ] || fail "count after round $round"
  before=$after
done
"$IDX" --db "$DB" --check --quiet || fail "final --check"
[ "$queries" -ge 20 ] || fail "only $queries queries ran: the test proved nothing"
echo "ok: $queries concurrent queries, all consistent"
