#!/bin/bash
# A 60-second soak of fouille-query --serve (tests/soak.py; scripts/soak
# runs the long one): 8 clients with mixed requests while the archive
# changes and fouille-index runs every few seconds; zero failures, the
# server's open files flat after the warm-up (first 20 %), its memory too:
# within 10 % plus 8 MB, because in a minute the 8 read connections are
# still filling their SQLite page caches (2 MB each) as the database and
# its WAL grow (a long run allows the 10 % alone). Under the sanitizers the
# memory is reported, not checked (ASan's quarantine holds freed memory).
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
