#!/bin/bash
# fouille-query --serve under load: 8 concurrent clients x 500 requests,
# every response checked; then requests while fouille-index updates the
# database (all 200), and the new articles visible once it has committed.
set -euo pipefail
. "${FOUILLE_SOURCE_DIR:?}/tests/cli_http_lib.bash"
IDX=${FOUILLE_INDEX:?}
T=$(mktemp -d)
trap 'cleanup_server; rm -rf "$T"' EXIT
DB=$T/index.db
A=$T/arch
mkdir -p "$A"
cp -r "$FOUILLE_TEST_DATA/articles/." "$A/"
"$IDX" --quiet --db "$DB" "$A" >/dev/null

start_server "$T/log" --db "$DB"
$CLIENT load "$BASE" 8 500 || fail "load"

# A bigger update (generated articles, small batches) while clients query.
mkdir -p "$A/gen"
for i in $(seq 1 1000); do
  printf 'Chronique %d du zeppelin\n\nLe zeppelin numéro %d survole Lyon et la Saône. Un vélo le suit.\n' \
    "$i" "$i" >"$A/gen/z$i.txt"
done
$CLIENT expect "$BASE" zeppelin 0 || fail "zeppelin before the update"
$CLIENT during "$BASE" "$T/done" >"$T/during.out" &
CPID=$!
for i in $(seq 1 200); do [ -e "$T/done.started" ] && break; sleep 0.05; done
[ -e "$T/done.started" ] || fail "client for the update did not start"
"$IDX" --quiet --batch 10 --db "$DB" "$A" >/dev/null
touch "$T/done"
wait $CPID || fail "requests during the update"
cat "$T/during.out"
$CLIENT expect "$BASE" zeppelin 1000 || fail "new articles not served after the update"
stop_server TERM
echo "http_load: ok"
