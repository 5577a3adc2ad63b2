#!/bin/bash
# fouille-export: a replica (tests/bulk_replica.py, a stand-in for an
# OpenSearch index) fed by a full export then by incremental ones after
# every kind of write (files added, changed, deleted; JSON lines changed,
# vanished; a --stdin stream with a "deleted" line; --watch; a root
# forgotten; a rebuild; runs killed with SIGKILL) holds exactly the
# index's articles; the change log matches the articles after each step;
# --since after changes gives exactly the changed and deleted keys;
# cursors, cursor files, bad cursors, an empty index, a huge article.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
EXP=${FOUILLE_EXPORT:?}
SRC=${FOUILLE_SOURCE_DIR:?}
REPLICA="python3 $SRC/tests/bulk_replica.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=$T/arch
DB=$T/index.db
R=$T/replica.json

log_exact() { # the log's live rows are exactly the articles, its deleted keys none of theirs
  local d
  d=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM (SELECT id FROM changes WHERE id IS NOT NULL
    EXCEPT SELECT id FROM articles)) + (SELECT count(*) FROM (SELECT id FROM articles
    EXCEPT SELECT id FROM changes)) + (SELECT count(*) FROM changes c JOIN articles a
    ON a.key=c.key) + (SELECT count(*) FROM changes WHERE (id IS NULL) = (key IS NULL))")
  [ "$d" = 0 ] || fail "$1: the change log differs from the articles ($d keys)"
}
# Exports since the cursor file's cursor into the replica, moves the cursor on.
sync_replica() {
  local since
  since=$(cat "$T/cursor")
  "$EXP" --db "$DB" --bulk --since "$since" --cursor-file "$T/cursor.next" --quiet >"$T/bulk"
  $REPLICA apply "$R" "$since" <"$T/bulk" >"$T/applied"
  mv "$T/cursor.next" "$T/cursor"
  $REPLICA compare "$R" "$DB" >/dev/null || fail "$1: replica differs"
  log_exact "$1"
}
keys() { # the _ids of the action lines of $1 whose verb is $2
  python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if sys.argv[2] in d: print(d[sys.argv[2]]["_id"])' "$1" "$2" | LC_ALL=C sort | tr '\n' ' '
}

# --- empty index, bad arguments ---------------------------------------------------------
"$IDX" --db "$DB" --stdin vide </dev/null >/dev/null 2>&1
[ "$("$EXP" --db "$DB" --cursor)" = 0 ] || fail "empty index: cursor not 0"
[ -z "$("$EXP" --db "$DB" --bulk --quiet)" ] || fail "empty index: output"
set +e
"$EXP" --db "$DB" --bulk --since abc 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$T/err")" -le 2 ] && grep -q "cursor" "$T/err" || fail "bad cursor: rc $rc"
"$EXP" --db "$DB" --bulk --since -3 2>/dev/null; [ $? = 2 ] || fail "negative cursor"
"$EXP" --db "$DB" --bulk --since 12 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "ahead" "$T/err" || fail "cursor ahead: rc $rc"
"$EXP" --db "$DB" 2>/dev/null; [ $? = 2 ] || fail "no mode"
"$EXP" --db "$DB" --cursor --bulk 2>/dev/null; [ $? = 2 ] || fail "two modes"
"$EXP" --db "$DB" --cursor --since 3 2>/dev/null; [ $? = 2 ] || fail "--since without --bulk"
"$EXP" --db "$T/none.db" --cursor 2>/dev/null; [ $? = 3 ] || fail "missing index"
set -e
rm -f "$DB"*

# --- first build, full export ---------------------------------------------------------------
mkdir -p "$A/presse" "$A/blog"
for i in 1 2 3 4 5; do
  printf 'Article %s\n\nLe vélo numéro %s, l’été à Paris.\n' $i $i >"$A/presse/a$i.txt"
done
printf -- '---\ntitle: Billet\ndate: 2024-03-12\n---\nUn billet sur la mer.\n' >"$A/blog/b1.md"
python3 - "$A/depeches.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(6):
        f.write(json.dumps({"id": "d%d" % i, "title": "Dépêche %d" % i, "body": "Texte %d « cité »" % i,
                            "date": "2024-01-0%d" % (i + 1), "source": "AFP",
                            "url": "https://example.org/d%d" % i}, ensure_ascii=False) + "\n")
PY
"$IDX" --db "$DB" --quiet "$A/presse" "$A/blog" "$A/depeches.jsonl"
echo 0 >"$T/cursor"
sync_replica "first build"
grep -q "indexed 12 deleted 0" "$T/applied" || fail "full export: $(cat "$T/applied")"
c1=$(cat "$T/cursor")
[ "$("$EXP" --db "$DB" --cursor)" = "$c1" ] || fail "--cursor differs from the export's"

# --- every kind of write -----------------------------------------------------------------
printf 'Article 1\n\nChangé.\n' >"$A/presse/a1.txt"              # file changed
rm "$A/presse/a2.txt"                                           # file deleted
printf 'Article 9\n\nNouveau.\n' >"$A/presse/a9.txt"             # file added
python3 - "$A/depeches.jsonl" <<'PY'
import json, sys
p = sys.argv[1]
rows = [json.loads(l) for l in open(p)]
rows[1]["body"] = "Réécrite"                                     # line changed
rows = [r for r in rows if r["id"] != "d2"]                       # line vanished
rows.append({"id": "d9", "title": "Neuve", "body": "Une neuve"})  # line added
open(p, "w").write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
PY
"$IDX" --db "$DB" --quiet
"$EXP" --db "$DB" --bulk --since "$c1" --quiet >"$T/since"
[ "$(keys "$T/since" index)" = "$A/depeches.jsonl#d1 $A/depeches.jsonl#d9 a1.txt a9.txt " ] ||
  fail "--since: index keys $(keys "$T/since" index)"
[ "$(keys "$T/since" delete)" = "$A/depeches.jsonl#d2 a2.txt " ] ||
  fail "--since: delete keys $(keys "$T/since" delete)"
sync_replica "files and lines"

printf '{"id":"s1","title":"Flux","body":"un"}\n{"id":"s2","body":"deux"}\n' |
  "$IDX" --db "$DB" --quiet --stdin flux
sync_replica "stdin"
printf '{"id":"s1","body":"un, changé"}\n{"id":"s2","deleted":true}\n' |
  "$IDX" --db "$DB" --quiet --stdin flux
sync_replica "stdin changes"
"$IDX" --db "$DB" --quiet --forget "$A/blog"
sync_replica "forget"
grep -q "indexed 0 deleted 1" "$T/applied" || fail "forget: $(cat "$T/applied")"
"$IDX" --db "$DB" --quiet --rebuild
sync_replica "rebuild"

# --- killed runs -------------------------------------------------------------------------
python3 - "$A/presse" <<'PY'
import os, sys
for i in range(1500):
    with open(os.path.join(sys.argv[1], "k%04d.txt" % i), "w") as f:
        f.write("Article %d\n\n" % i + "Le train de la ville numéro %d arrive. " % i * 80)
PY
killed=0
for round in 1 2 3 4; do
  [ $round -gt 1 ] && rm -f "$A/presse/k00$round"*.txt && printf 'Nouveau %s\n\nmer\n' $round >"$A/presse/n$round.txt"
  opts=(--quiet --batch 100)
  [ $((round % 2)) -eq 1 ] && opts+=(--rebuild)
  "$IDX" --db "$DB" "${opts[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 250 + 5)))"
  if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
  wait $pid 2>/dev/null || true
  sync_replica "kill $round"
done
"$IDX" --db "$DB" --quiet
sync_replica "after the kills"
echo "killed $killed of 4 runs"

# --- --watch ---------------------------------------------------------------------------------
# poll_log SQL: waits (up to 60 s: sanitizer builds are slow) for the log to answer 1 to SQL.
poll_log() {
  for _ in $(seq 600); do
    [ "$(sqlite3 "$DB" "$1" 2>/dev/null)" = 1 ] && return 0
    sleep 0.1
  done
  fail "watch: the log never answered 1 to: $1 ($(tail -3 "$T/watch.err"))"
}
"$IDX" --db "$DB" --quiet --watch "$A/presse" >/dev/null 2>"$T/watch.err" &
W=$!
poll_log "SELECT count(*) > 0 FROM meta WHERE key='last_run'"
cw=$("$EXP" --db "$DB" --cursor)
printf 'Vu

Par la veille.
' >"$A/presse/w1.txt"
rm "$A/presse/a3.txt"
poll_log "SELECT count(*) FROM changes c JOIN articles a ON a.id=c.id WHERE a.key='w1.txt' AND c.seq > $cw"
poll_log "SELECT count(*) FROM changes WHERE key='a3.txt' AND seq > $cw"
kill -TERM $W
wait $W || fail "--watch: exit $?"
"$EXP" --db "$DB" --bulk --since "$cw" --quiet >"$T/since"
[ "$(keys "$T/since" index)" = "w1.txt " ] && [ "$(keys "$T/since" delete)" = "a3.txt " ] ||
  fail "--watch: index $(keys "$T/since" index), delete $(keys "$T/since" delete)"
sync_replica "watch"

# --- compaction, the cursor file, _index ---------------------------------------------------
c=$(cat "$T/cursor")
"$EXP" --db "$DB" --compact "$c" --quiet
[ "$(sqlite3 "$DB" "SELECT count(*) FROM changes WHERE key IS NOT NULL")" = 0 ] || fail "compact"
set +e
"$EXP" --db "$DB" --bulk --since "$c1" >/dev/null 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "older" "$T/err" || fail "a cursor below the floor: rc $rc"
rm "$A/presse/a1.txt"
"$IDX" --db "$DB" --quiet
sync_replica "after compaction"
"$EXP" --db "$DB" --bulk --index "archive-1" --quiet >"$T/bulk"
head -1 "$T/bulk" | grep -q '^{"index":{"_index":"archive-1","_id":"' || fail "--index"

# --- a huge article (12 MB) --------------------------------------------------------------------
python3 -c 'import json; print(json.dumps({"id": "huge", "title": "Énorme",
  "body": "Le vélo électrique de l’été. " * 400000}, ensure_ascii=False))' |
  "$IDX" --db "$DB" --quiet --stdin gros
sync_replica "huge article"
[ "$(stat -c %s "$T/bulk")" -gt 12000000 ] || fail "huge article: $(stat -c %s "$T/bulk") bytes"
echo "ok"
