#!/bin/bash
# Kill test: fouille-index killed with SIGKILL at random moments, then run
# to completion, must leave exactly the archive's articles (no duplicate,
# none lost) and an index that passes --check.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
EXT=${FOUILLE_EXTENSION:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=$T/arch
DB=$T/index.db

python3 - "$A" <<'PY'
import json, os, sys
root = sys.argv[1]
mots = "vélo train mer montagne école hôpital élection récolte orage musée".split()
for i in range(1500):
    d = os.path.join(root, "r%02d" % (i % 30))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "a%04d.txt" % i), "w") as f:
        f.write("Article %d sur le %s\n\n" % (i, mots[i % 10]))
        f.write(("Le %s de la ville numéro %d fait parler de lui. " % (mots[(i * 7) % 10], i)) * 60)
with open(os.path.join(root, "depeches.jsonl"), "w") as f:
    for i in range(500):
        f.write(json.dumps({"id": "d%d" % i, "title": "Dépêche %d" % i,
                            "body": "La %s est annoncée pour demain, dit la dépêche %d." % (mots[i % 10], i)},
                           ensure_ascii=False) + "\n")
PY

expected() {
  (cd "$A" && find . -name '*.txt' | sed 's|^\./||'
   python3 -c 'import json,sys
for l in open(sys.argv[1]):
    print("depeches.jsonl#" + json.loads(l)["id"])' "$A/depeches.jsonl") | LC_ALL=C sort
}

# Changes made between kills so that runs have deletes and rewrites to do.
mutate() {
  local k=$1
  rm -f "$A/r0$k/a000$k.txt"
  printf 'Nouvel article %s\n\nUn texte tout neuf sur la mer.\n' "$k" >"$A/r1$k/nouveau$k.txt"
  python3 - "$A/depeches.jsonl" "$k" <<'PY'
import json, sys
path, k = sys.argv[1], int(sys.argv[2])
lines = open(path).read().splitlines()
lines = [l for l in lines if json.loads(l)["id"] != "d%d" % (100 + k)]
lines[k] = json.dumps({"id": json.loads(lines[k])["id"], "title": "Modifiée %d" % k,
                       "body": "Une dépêche réécrite %d." % k})
lines.append(json.dumps({"id": "n%d" % k, "title": "Ajout", "body": "Une nouvelle dépêche."}))
open(path, "w").write("\n".join(lines) + "\n")
PY
}

# A first build (an empty index) runs as one transaction in the rollback
# journal: killed, it must leave the empty index (the next connection rolls
# the hot journal back), never part of the archive; finished, it must leave
# the index in WAL mode for readers.
for try in 1 2; do
  rm -f "$DB" "$DB"-*
  "$IDX" --db "$DB" --quiet "$A" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 300 + 50)))"
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  [ -e "$DB" ] || continue
  n=$(sqlite3 "$DB" "SELECT count(*) FROM articles" 2>/dev/null || echo 0)
  [ "$n" = 0 ] || [ "$n" = 2000 ] || fail "killed first build left $n articles, not 0 or all"
  "$IDX" --db "$DB" --check --quiet || fail "--check after a killed first build"
done
rm -f "$DB" "$DB"-*
"$IDX" --db "$DB" --quiet "$A" || fail "first build"
[ "$(sqlite3 "$DB" "PRAGMA journal_mode")" = wal ] || fail "first build did not leave WAL mode"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM articles")" = 2000 ] || fail "first build count"
rm -f "$DB" "$DB"-*

killed=0
for round in 1 2 3 4 5 6; do
  [ $round -gt 1 ] && mutate $round
  # Odd rounds rebuild from scratch: a long run for the kill to land in.
  opts=(--quiet --batch 100)
  [ $((round % 2)) -eq 1 ] && opts+=(--rebuild)
  "$IDX" --db "$DB" "${opts[@]}" "$A" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 250 + 5)))"
  if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
  wait $pid 2>/dev/null || true
  # The index as left by the kill is consistent already.
  sqlite3 "$DB" "SELECT key FROM articles GROUP BY key HAVING count(*) > 1" | grep . >/dev/null \
    && fail "duplicate keys after kill $round"
  "$IDX" --db "$DB" --check --quiet || fail "--check after kill $round"
done
echo "killed $killed of 6 runs"

"$IDX" --db "$DB" --quiet "$A"
expected >"$T/expected"
sqlite3 "$DB" "SELECT key FROM articles ORDER BY key" | LC_ALL=C sort >"$T/actual"
diff "$T/expected" "$T/actual" >"$T/diff" || fail "keys differ: $(head -5 "$T/diff")"
[ "$(wc -l <"$T/actual")" -gt 1900 ] || fail "too few articles"
"$IDX" --db "$DB" --check --quiet || fail "final --check"
# The FTS index answers for the rewritten and added lines.
# (A sanitizer build's fouille.so cannot load into the plain sqlite3 shell.)
if sqlite3 :memory: ".load $EXT" >/dev/null 2>&1; then
  n=$(sqlite3 "$DB" ".load $EXT" \
    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'reecrite'")
  [ "$n" -eq 5 ] || fail "FTS sees $n rewritten dépêches, expected 5"
else
  echo "skipped the FTS query: $EXT does not load into sqlite3 here"
fi
echo "ok"
