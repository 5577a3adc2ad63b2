#!/bin/bash
# Fault injection: fouille-index killed with SIGKILL at 20 random moments
# (full rebuilds, incremental runs, --optimize, very short delays to land in
# the scan) on a generated 3000-article archive (txt + JSON Lines). After each
# kill the index must pass --check, and a re-run must leave exactly the
# archive's keys. Bounded to about a minute.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=$T/arch
DB=$T/index.db
SECONDS=0

# $1 root, $2 number of articles: two thirds .txt files, the rest one .jsonl.
python3 - "$A" 3000 <<'PY'
import json, os, sys
root, n = sys.argv[1], int(sys.argv[2])
mots = "vélo train mer montagne école hôpital élection récolte orage musée".split()
ntxt = n * 2 // 3
for i in range(ntxt):
    d = os.path.join(root, "%02d" % (i % 40))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "a%05d.txt" % i), "w") as f:
        f.write("Article %d : le %s\n\n" % (i, mots[i % 10]))
        f.write(("Le %s de la commune %d fait débat, l’été venu. " % (mots[(i * 7) % 10], i)) * 8)
with open(os.path.join(root, "depeches.jsonl"), "w") as f:
    for i in range(n - ntxt):
        f.write(json.dumps({"id": "d%d" % i, "title": "Dépêche %d" % i,
                            "body": "La %s est annoncée, selon la dépêche %d." % (mots[i % 10], i)},
                           ensure_ascii=False) + "\n")
PY

# The keys the index must hold: relative paths, and file#id for JSON Lines.
expected() {
  (cd "$A" && find . -name '*.txt' | sed 's|^\./||'
   sed -n 's/^{"id": "\([^"]*\)".*/depeches.jsonl#\1/p' depeches.jsonl) | LC_ALL=C sort
}

# Between kills the archive changes: deletes, rewrites, additions.
mutate() {
  local k=$1
  rm -f "$A/$(printf '%02d' $((k % 40)))/a$(printf '%05d' $((k * 41))).txt"
  printf 'Nouvel article %s\n\nUn texte neuf sur la mer.\n' "$k" >"$A/01/nouveau$k.txt"
  printf 'Réécrit %s\n\nLa montagne, encore.\n' "$k" >"$A/02/a$(printf '%05d' $((k * 40 + 2))).txt"
  sed -i "/\"id\": \"d$((k * 3))\"/d" "$A/depeches.jsonl"
  printf '{"id": "n%s", "title": "Ajout", "body": "Une dépêche ajoutée."}\n' "$k" >>"$A/depeches.jsonl"
}

check_keys() {
  expected >"$T/expected"
  "$IDX" --db "$DB" --check --quiet || fail "--check after re-run ($1)"
  sqlite3 "$DB" "SELECT key FROM articles" | LC_ALL=C sort >"$T/actual"
  diff "$T/expected" "$T/actual" >"$T/diff" || fail "keys differ ($1): $(head -5 "$T/diff")"
}

t0=$(date +%s%N)
"$IDX" --db "$DB" --quiet "$A" || fail "first run"
"$IDX" --db "$DB" --quiet --optimize "$A" || fail "first optimize"
# Kill delays are drawn within the time a full run takes here (ms).
full_ms=$((($(date +%s%N) - t0) / 1000000 + 1))
killed=0
for round in $(seq 1 20); do
  mutate "$round"
  opts=(--quiet --batch 100)
  case $((round % 4)) in
  0) opts+=(--rebuild) ;;
  1) opts+=(--optimize) ;;
  2) opts+=(--rebuild --optimize) ;;
  esac
  # Every third round kills within the first few milliseconds (the scan).
  if ((round % 3 == 0)); then ms=$((RANDOM % 10)); else ms=$((RANDOM % full_ms)); fi
  delay=$((ms / 1000)).$(printf '%03d' $((ms % 1000)))
  "$IDX" --db "$DB" "${opts[@]}" "$A" >/dev/null 2>"$T/err" &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 137 ] || fail "round $round: exit $rc: $(head -1 "$T/err")"
  # What the kill left must be consistent on its own…
  "$IDX" --db "$DB" --check --quiet || fail "--check right after kill $round (${opts[*]}, ${delay}s)"
  # …and the next run must converge to the archive exactly.
  "$IDX" --db "$DB" --quiet "$A" || fail "re-run after kill $round"
  check_keys "round $round"
  ((SECONDS < 100)) || fail "too slow: ${SECONDS}s after round $round"
done
[ "$(wc -l <"$T/actual")" -gt 2900 ] || fail "too few articles: $(wc -l <"$T/actual")"
echo "ok: killed $killed of 20 runs mid-way (full run ${full_ms} ms), index exact after each (${SECONDS}s)"
