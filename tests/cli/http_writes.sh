#!/bin/bash
# fouille-query --serve --write-token-file: writes refused without it (405),
# the token file's checks, 401 without the right bearer token, PUT / DELETE /
# POST answered after their commit and searchable at once, 400 on bad JSON,
# 413 over --max-body-mb, concurrent writers and readers, --check after.
set -euo pipefail
. "${FOUILLE_SOURCE_DIR:?}/tests/cli_http_lib.bash"
IDX=${FOUILLE_INDEX:?}
WCLIENT="python3 $FOUILLE_SOURCE_DIR/tests/http_writes.py"
T=$(mktemp -d)
trap 'cleanup_server; rm -rf "$T"' EXIT
DB=$T/index.db
"$IDX" --quiet --db "$DB" "$FOUILLE_TEST_DATA/articles" >/dev/null

# Without --write-token-file: read-only as before (PUT and DELETE 405).
start_server "$T/log0" --db "$DB"
$WCLIENT readonly "$BASE" || fail "writes without a token file"
stop_server TERM

# The token file: refused when group-readable, short or missing (exit 2).
TOKEN=0123456789abcdef-secret
printf '  %s\n' "$TOKEN" >"$T/token"
chmod 640 "$T/token"
refused() {
  set +e
  timeout 5 "$QRY" --db "$DB" --serve 127.0.0.1:0 --write-token-file "$1" 2>"$T/err"
  local rc=$?
  set -e
  [ $rc -eq 2 ] || fail "token file $1 ($2): exit $rc"
  [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "$2" "$T/err" || fail "message: $(cat "$T/err")"
}
refused "$T/token" "readable by group"
printf 'short\n' >"$T/short"
chmod 600 "$T/short" "$T/token"
refused "$T/short" "at least 16 bytes"
refused "$T/none" "cannot be read"

# Writes with the token (body limit 1 MiB).
start_server "$T/log1" --db "$DB" --write-token-file "$T/token" --max-body-mb 1
$WCLIENT writes "$BASE" "$TOKEN" $((1 << 20)) || fail "writes"
stop_server TERM
"$IDX" --db "$DB" --check >/dev/null 2>&1 || fail "--check after the writes"
"$IDX" --db "$DB" --stats --json | grep -q '"http"' || fail "no stream root http"
echo "ok"
