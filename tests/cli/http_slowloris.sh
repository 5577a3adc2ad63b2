#!/bin/bash
# fouille-query --serve under hostile connections ("slowloris"): 1,000
# half-open connections (request line and one header, never finished)
# while a new client's GET /health must still be answered (every one of
# 20, each within 1 s; the real figures are printed), the half-open ones
# closed by the header timeout (5 s); then a per-address limit
# (--max-connections-per-ip) refusing a greedy client (127.0.0.2) while
# another one (127.0.0.1) is served; a low open-file limit lowers the
# number of connections with a warning. Skipped (77) when the open-file
# limit cannot hold 1,000 sockets.
set -euo pipefail
. "${FOUILLE_SOURCE_DIR:?}/tests/cli_http_lib.bash"
SLOW="python3 $FOUILLE_SOURCE_DIR/tests/http_slowloris.py"
IDX=${FOUILLE_INDEX:?}
N=1000
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
nofile=$(ulimit -n)
if [ "$nofile" != unlimited ] && [ "$nofile" -lt $((N + 200)) ]; then
  echo "SKIP: the open-file limit ($nofile, hard $(ulimit -Hn)) cannot hold $N sockets"
  exit 77
fi
T=$(mktemp -d)
trap 'cleanup_server; rm -rf "$T"' EXIT
DB=$T/index.db
"$IDX" --quiet --db "$DB" "$FOUILLE_TEST_DATA/articles" >/dev/null

start_server "$T/log" --db "$DB"
$SLOW hold "$BASE" "$SERVER_PID" $N 5 || fail "slowloris"
$CLIENT status "$BASE" /health 200 || fail "unhealthy after the slowloris"
$CLIENT expect "$BASE" vélo 1 || fail "search after the slowloris"
stop_server TERM

start_server "$T/log2" --db "$DB" --max-connections-per-ip 16
$SLOW perip "$BASE" 50 16 || fail "per-address limit"
stop_server TERM

# A hard open-file limit too low for 1024 connections: served anyway, fewer
# connections, and a warning that says so.
(
  ulimit -Sn 300 && ulimit -Hn 400
  start_server "$T/log3" --db "$DB"
  $CLIENT status "$BASE" /health 200 || fail "with a low open-file limit"
  stop_server TERM
)
grep -q "warning: the open-file limit (ulimit -n: 400) allows 272 connections, not 1024" \
  "$T/log3" || fail "no warning for a low open-file limit: $(cat "$T/log3")"
echo "http_slowloris: ok"
