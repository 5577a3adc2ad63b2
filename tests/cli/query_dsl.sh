#!/bin/bash
# fouille-query --opensearch-dsl: golden files (tests/data/opensearch_dsl:
# cases.txt, one NAME.json per case; FOUILLE_UPDATE_GOLDEN=1 rewrites them),
# every output valid JSON, and hostile queries refused with the very
# message and exit status a search gives.
set -euo pipefail
QRY=${FOUILLE_QUERY:?}
IDX=${FOUILLE_INDEX:?}
G=${FOUILLE_TEST_DATA:?}/opensearch_dsl
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
trim() { sed 's/^ *//; s/ *$//'; }

n=0
while IFS='|' read -r name opts query; do
  case $name in '#'* | '') continue ;; esac
  name=$(trim <<<"$name") opts=$(trim <<<"$opts") query=$(trim <<<"$query")
  # shellcheck disable=SC2086 # opts are words
  "$QRY" --opensearch-dsl $opts -- "$query" >"$T/out" || fail "$name: exit $?"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || fail "$name: not JSON"
  if [ "${FOUILLE_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$T/out" "$G/$name.json"
  else
    diff -u "$G/$name.json" "$T/out" || fail "$name: differs from $G/$name.json"
  fi
  n=$((n + 1))
done <"$G/cases.txt"
[ $n -ge 15 ] || fail "only $n cases"

# Hostile queries: the same one-line error and exit status as a search.
"$IDX" --db "$T/i.db" --stdin s <<<'{"id":"a","body":"vélo"}' >/dev/null 2>&1
long=$(head -c 5000 /dev/zero | tr '\0' a)
deep=$(printf '(%.0s' $(seq 40))vélo
for q in "" "!!!" "-velo" "-(a b)" "$long" '"""' "$deep" $'\x01\x02' "$(printf 'a\xffb')" "OR" "title:"; do
  for opts in "" "--since 2024-13" "--until 2023-02-29" "--limit 1001"; do
    set +e
    # shellcheck disable=SC2086
    "$QRY" --db "$T/i.db" $opts -- "$q" >/dev/null 2>"$T/e1"; r1=$?
    # shellcheck disable=SC2086
    "$QRY" --opensearch-dsl $opts -- "$q" >"$T/out" 2>"$T/e2"; r2=$?
    set -e
    [ $r2 -ne 1 ] || fail "exit 1 for ${q:0:20} $opts"
    if [ $r1 -ge 2 ] || [ $r2 -ge 2 ]; then
      [ $r1 = $r2 ] && cmp -s "$T/e1" "$T/e2" ||
        fail "query '${q:0:20}' $opts: search exit $r1 '$(cat "$T/e1")', dsl exit $r2 '$(cat "$T/e2")'"
    else
      python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || fail "not JSON: ${q:0:20}"
    fi
  done
done
# Passages of a hit's stored text (fouille_passages_text, for hits from
# OpenSearch) are those fouille_passages() gives the indexed article.
EXT=${FOUILLE_EXTENSION:?}
if sqlite3 :memory: ".load $EXT" >/dev/null 2>&1; then
  python3 -c 'import json
for i in range(30):
    print(json.dumps({"id": "p%d" % i, "title": "Vélo %d" % i, "body": ("Le vélo électrique " +
      "gagne du terrain. " * (i % 4) + "Les ventes de vélos, dit M. Dupont, ont doublé. ") * (i + 1)},
      ensure_ascii=False))' | "$IDX" --db "$T/p.db" --quiet --stdin p
  same=$(sqlite3 "$T/p.db" ".load $EXT" "SELECT fouille_passages(articles_fts, 2, 80,
    'vélo électrique') = fouille_passages_text(a.body, 'vélo électrique', 2, 80) FROM
    articles_fts JOIN articles a ON a.id = articles_fts.rowid
    WHERE articles_fts MATCH fouille_query('vélo électrique')" | sort | uniq -c | tr -s ' ')
  [ "$same" = " 30 1" ] || fail "fouille_passages_text differs from fouille_passages: $same"
else
  echo "skipped the passages check: $EXT does not load into sqlite3 here"
fi
echo "ok: $n golden cases"
