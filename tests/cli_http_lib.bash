# Shared by tests/cli/http_*.sh: start fouille-query --serve on a free
# loopback port (port 0; the server prints the one it bound) and stop it.
QRY=${FOUILLE_QUERY:?}
CLIENT="python3 ${FOUILLE_SOURCE_DIR:?}/tests/http_client.py"
fail() { echo "FAIL: $*" >&2; exit 1; }

# start_server LOG ARGS...: sets SERVER_PID and BASE; waits for /health.
start_server() {
  local log=$1 port="" i
  shift
  # The log exists before the server starts: the child opens it after the
  # fork, and a loaded machine let sed below run first (and set -e end the
  # test without a word).
  : >"$log"
  "$QRY" "$@" --serve 127.0.0.1:0 2>>"$log" &
  SERVER_PID=$!
  for i in $(seq 1 200); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$log")
    [ -n "$port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited: $(cat "$log")"
    sleep 0.05
  done
  [ -n "$port" ] || fail "server printed no port: $(cat "$log")"
  BASE=http://127.0.0.1:$port
  $CLIENT wait "$BASE" || fail "server not answering"
}

# stop_server SIGNAL: the server must exit 0 within 3 s.
stop_server() {
  local sig=$1 i rc
  kill -"$sig" "$SERVER_PID"
  for i in $(seq 1 60); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID"
    fail "server still running 3 s after SIG$sig"
  fi
  set +e
  wait "$SERVER_PID"
  rc=$?
  set -e
  [ $rc -eq 0 ] || fail "server exit status $rc after SIG$sig"
  SERVER_PID=""
}

cleanup_server() { [ -n "${SERVER_PID:-}" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true; }
