#!/bin/bash
# A 60-second soak of fouille-query --serve (tests/soak.py; scripts/soak
# runs the long one): 8 clients with mixed requests while the archive
# changes and fouille-index runs every few seconds; zero failures, the
# server's open files flat after the warm-up (first 20 %), its anonymous
# memory too: within 10 % plus 8 MB here (4 MB in a long run), because in
# a minute the malloc arenas of the 8 worker threads are still growing to
# their peaks; VmRSS within that plus 8 times the database (each read
# connection maps it). Under the sanitizers the memory is reported, not
# checked (ASan's quarantine holds freed memory).
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
args=(--rss-slack-kb 8192 --fd-slack 4)
if grep -q "^FOUILLE_SANITIZE:BOOL=ON" "${FOUILLE_BUILD_DIR:?}/CMakeCache.txt"; then
  echo "sanitizer build: memory reported, not checked"
  args=(--no-rss-check --fd-slack 4)
fi
python3 "${FOUILLE_SOURCE_DIR:?}/tests/soak.py" --seconds "${FOUILLE_SOAK_SECONDS:-60}" \
  --index "$IDX" --query "$QRY" --trace 15 "${args[@]}"
