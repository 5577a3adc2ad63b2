#!/bin/bash
# fouille-query --serve when things go wrong, with clients querying all
# along: error bodies never name the database's path (a folder called
# SECRET-PATH) nor SQL, while the log on standard error does; the database
# removed (503 "no database file"), replaced by garbage (503 "cannot be
# opened"), then put back (200 again, the new file's articles); and a full
# disk during an update (a tmpfs 800 KB bigger than the index when we may
# mount one, else a write limit with ulimit -f) while the server keeps
# serving the last committed state (every answer 200), then completes the
# update once space is back.
# FOUILLE_TEST_NO_MOUNT=1 forces the ulimit -f variant.
set -euo pipefail
. "${FOUILLE_SOURCE_DIR:?}/tests/cli_http_lib.bash"
FAULTS="python3 $FOUILLE_SOURCE_DIR/tests/http_faults.py"
IDX=${FOUILLE_INDEX:?}
T=$(mktemp -d)
MNT=""
cleanup() {
  cleanup_server
  [ -n "$MNT" ] && umount -l "$MNT" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
S=$T/SECRET-PATH
mkdir -p "$S"
DB=$S/i.db

# $1 dir, $2 first number, $3 count: French articles in .txt files.
gen() {
  python3 - "$@" <<'PY'
import os, sys
root, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root, exist_ok=True)
mots = "vélo train mer montagne école hôpital élection récolte orage musée".split()
for i in range(first, first + n):
    body = ("Le %s de la commune %d fait débat, l’été venu. " % (mots[i % 10], i)) * 12
    with open(os.path.join(root, "a%05d.txt" % i), "w") as f:
        f.write("Article %d : le %s et le vélo\n\n%s\n" % (i, mots[i % 10], body))
PY
}

gen "$T/arch" 0 300
"$IDX" --quiet --db "$DB" "$T/arch"
sqlite3 "$DB" ".backup '$T/good.db'"

# --- Error bodies: no path, no SQL. ------------------------------------------
start_server "$T/log" --db "$DB"
$FAULTS noleak "$BASE" SECRET-PATH || fail "leak with a good index"

# --- Removed, replaced by garbage, put back: under load. ---------------------
$FAULTS under "$BASE" "$T/stop" SECRET-PATH >"$T/under.out" &
CPID=$!
for i in $(seq 1 100); do [ -e "$T/stop.started" ] && break; sleep 0.05; done
rm -f "$DB" "$DB-wal" "$DB-shm"
$FAULTS expect "$BASE" 503 "no database file" || fail "removed database"
$FAULTS noleak "$BASE" SECRET-PATH || fail "leak with the database removed"
head -c 100000 /dev/urandom >"$T/garbage.db"
mv "$T/garbage.db" "$DB"
$FAULTS expect "$BASE" 503 "cannot be opened" || fail "garbage database"
$FAULTS noleak "$BASE" SECRET-PATH || fail "leak with a garbage database"
sleep 0.5
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$T/good.db" "$T/new.db"
mv "$T/new.db" "$DB"
$FAULTS expect "$BASE" 200 "" || fail "database put back"
$CLIENT expect "$BASE" vélo 300 || fail "the articles after the database came back"
sleep 0.5
touch "$T/stop"
wait $CPID || fail "requests while the database came and went: $(cat "$T/under.out")"
cat "$T/under.out"
grep -q "SECRET-PATH" "$T/log" || fail "the log does not name the database: $(cat "$T/log")"
stop_server TERM

# --- A full disk during an update, the server serving all along. -------------
D=$T/disk
mkdir -p "$D"
size_kb=$(($(stat -c %s "$T/good.db") / 1024 + 800))
if [ "$(id -u)" = 0 ] && [ -z "${FOUILLE_TEST_NO_MOUNT:-}" ] &&
  mount -t tmpfs -o size=${size_kb}k tmpfs "$D" 2>/dev/null; then
  MNT=$D
  how="tmpfs of ${size_kb} KB"
  limit=""
else
  how="ulimit -f (no tmpfs: not root or mount refused)"
  limit=$((size_kb))
fi
cp "$T/good.db" "$D/i.db"
gen "$T/arch" 300 3000
start_server "$T/log2" --db "$D/i.db"
$CLIENT during "$BASE" "$T/done" >"$T/during.out" &
CPID=$!
for i in $(seq 1 100); do [ -e "$T/done.started" ] && break; sleep 0.05; done
rc=0
if [ -n "$limit" ]; then
  bash -c "trap '' XFSZ; ulimit -f $limit; exec \"\$0\" --quiet --batch 50 --db \"\$1\" \"\$2\"" \
    "$IDX" "$D/i.db" "$T/arch" 2>"$T/full.err" || rc=$?
else
  "$IDX" --quiet --batch 50 --db "$D/i.db" "$T/arch" 2>"$T/full.err" || rc=$?
fi
[ $rc -eq 3 ] || fail "update on a full disk: exit $rc, $(cat "$T/full.err")"
grep -Eqi 'disk full|file too large|no space' "$T/full.err" || fail "message: $(cat "$T/full.err")"
sleep 0.5
touch "$T/done"
wait $CPID || fail "requests during the failed update: $(cat "$T/during.out")"
cat "$T/during.out"
$CLIENT status "$BASE" /health 200 || fail "unhealthy after the full disk"
n=$(python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1] + "/stats"))["articles"])' "$BASE")
[ "$n" -ge 300 ] && [ "$n" -lt 3300 ] || fail "articles after the full disk: $n"
[ "$n" = "$(sqlite3 "$D/i.db" 'SELECT count(*) FROM articles')" ] || fail "served $n articles"
# Space back: the next run completes the work, and the server serves it.
[ -n "$MNT" ] && mount -o remount,size=64m "$MNT"
"$IDX" --quiet --db "$D/i.db" "$T/arch" || fail "update once space is back"
"$IDX" --check --quiet --db "$D/i.db" || fail "--check after the full disk"
$CLIENT expect "$BASE" vélo 3300 || fail "all the articles once space is back"
stop_server TERM
echo "http_faults: ok (full disk: $how; $n articles committed and served before it)"
