#!/bin/bash
# fouille-query --serve: every endpoint and error status, CORS only when
# asked, 503 while the index is missing, idle timeout, clean stop on
# SIGTERM and SIGINT.
set -euo pipefail
. "${FOUILLE_SOURCE_DIR:?}/tests/cli_http_lib.bash"
IDX=${FOUILLE_INDEX:?}
T=$(mktemp -d)
trap 'cleanup_server; rm -rf "$T"' EXIT
DB=$T/index.db

# Index not there yet: the server starts, /health and /search say 503.
start_server "$T/log0" --db "$DB"
for path in /health /stats "/search?q=velo" /articles/x; do
  $CLIENT status "$BASE" "$path" 503 || fail "$path without an index"
done
"$IDX" --quiet --db "$DB" "$FOUILLE_TEST_DATA/articles" >/dev/null
$CLIENT endpoints "$BASE" "$DB" "$QRY" || fail "endpoints (index created after start)"
stop_server TERM

# Normal start on an existing index, stopped by SIGINT.
start_server "$T/log1" --db "$DB"
$CLIENT endpoints "$BASE" "$DB" "$QRY" || fail "endpoints"
$CLIENT idle "$BASE" || fail "idle timeout"
stop_server INT

# CORS only with --cors.
start_server "$T/log2" --db "$DB" --cors https://journal.example
python3 - "$BASE" <<'PY' || fail "CORS header"
import sys, urllib.request
r = urllib.request.urlopen(sys.argv[1] + "/health")
assert r.headers["Access-Control-Allow-Origin"] == "https://journal.example", r.headers
PY
stop_server TERM

# A bad address or a busy port: clear error, exit 3.
set +e
timeout 5 "$QRY" --db "$DB" --serve 999.1.1.1:80 2>"$T/err"; rc=$?
set -e
[ $rc -ne 0 ] || fail "bad address accepted"
grep -q "999.1.1.1" "$T/err" || fail "bad address message: $(cat "$T/err")"
echo "http_api: ok"
