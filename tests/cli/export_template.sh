#!/bin/bash
# fouille-export --opensearch-template: the template is byte for byte the
# golden file tests/data/opensearch/opensearch-template.json (regenerate it
# after a change of the analyzer's tables or of the template with
#   build/fouille-export --opensearch-template > tests/data/opensearch/opensearch-template.json
# and review the diff); options; usage errors exit 2 with one line.
set -euo pipefail
EX=${FOUILLE_EXPORT:?}
DATA=${FOUILLE_TEST_DATA:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$EX" --opensearch-template >"$T/t.json"
cmp -s "$T/t.json" "$DATA/opensearch/opensearch-template.json" ||
  fail "template differs from the golden file: $(diff "$T/t.json" "$DATA/opensearch/opensearch-template.json" | head -5)"

# Options land in the template.
"$EX" --opensearch-template --index-pattern 'archive-*' --shards 12 --replicas 1 >"$T/o.json"
python3 - "$T/o.json" <<'PY' || fail "options: $(head -c 300 "$T/o.json")"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["index_patterns"] == ["archive-*"], t["index_patterns"]
assert t["template"]["settings"]["index"] == {"number_of_shards": 12, "number_of_replicas": 1}
PY

# Usage errors: exit 2, one line.
for args in "--opensearch-template --shards 0" "--opensearch-template --shards x" \
  "--opensearch-template --replicas -1" "--opensearch-template --index-pattern=" \
  "--opensearch-template extra" "--opensearch-template --shards"; do
  set +e
  # shellcheck disable=SC2086
  "$EX" $args >/dev/null 2>"$T/err"; rc=$?
  set -e
  [ $rc -eq 2 ] || fail "'$args' exits $rc"
  [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^fouille-export: ' "$T/err" || fail "'$args': $(cat "$T/err")"
done
"$EX" --help | grep -q -- '--opensearch-template' || fail "--help"
"$EX" --version | grep -q '^fouille-export [0-9]' || fail "--version"
echo "export_template: ok"
