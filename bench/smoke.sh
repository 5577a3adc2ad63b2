#!/usr/bin/env bash
# Smoke test of the benchmark programs: each runs on a tiny corpus written
# here (36 short French articles, as .txt files and as JSON Lines) and must
# print sane numbers. Fouille's own parts run once the library can search.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "bench_smoke: $*" >&2; exit 1; }
# num FIELD JSON: the number after "FIELD": (first occurrence)
num() { sed -n "s/.*\"$1\":\([-0-9.e]*\).*/\1/p" <<<"$2" | head -n1; }
positive() { awk -v x="$1" 'BEGIN { exit !(x + 0 > 0) }'; }

sujets=(réseau paquet noyau imprimante sauvegarde clavier)
verbes=(configure installe vérifie redémarre sauvegarde partage)
objets=("les fichiers de l’utilisateur" "la carte réseau" "le serveur d’impression"
  "les dépôts APT" "la table des partitions" "les comptes des élèves")
mkdir -p "$work/txt/a" "$work/txt/b"
: >"$work/corpus.jsonl"
n=0
for s in "${sujets[@]}"; do
  for i in 0 1 2 3 4 5; do
    n=$((n + 1))
    v=${verbes[$i]} o=${objets[$(((i + n) % 6))]}
    title="Note $n sur le $s"
    body="L’administrateur $v $o avant la mise à jour du $s. Ensuite il $v encore $o, \
puis il écrit un rapport détaillé n°$n pour l’équipe ; les élèves n’y voient que du feu."
    printf '%s\n\n%s\n' "$title" "$body" >"$work/txt/$([ $((n % 2)) = 0 ] && echo a || echo b)/note-$n.txt"
    printf '{"id":"n%d","title":"%s","body":"%s","source":"smoke"}\n' "$n" "$title" "$body" \
      >>"$work/corpus.jsonl"
  done
done
printf 'reseau\nmise a jour du paquet\nrapport detaille\ncomptes des eleves\n' >"$work/queries.txt"

out=$("$BENCH_ANALYZER" --repeat 1 --threads 2 "$work/corpus.jsonl")
echo "$out"
[ "$(num articles "$out")" = 36 ] || fail "bench_analyzer read $(num articles "$out") articles, not 36"
for f in tokens tokens_per_s_cache tokens_per_s_nocache tokens_per_s_threads cache_hit_rate; do
  positive "$(num $f "$out")" || fail "bench_analyzer: $f is not positive"
done
awk -v h="$(num cache_hit_rate "$out")" 'BEGIN { exit !(h < 1) }' || fail "hit rate >= 1"

# Both baselines: one transaction (default journal), then WAL batches
# (plain.db is left as the JSON Lines load in WAL mode).
for mode in --one-transaction ""; do
  for src in "$work/txt" "$work/corpus.jsonl"; do
    out=$("$BENCH_PLAIN_LOADER" $mode "$work/plain.db" "$src")
    [ "$(num articles "$out")" = 36 ] || fail "plain_loader $mode loaded $out from $src"
  done
  journal=$(sqlite3 "$work/plain.db" "PRAGMA journal_mode" 2>/dev/null || echo skip)
  want=wal
  [ -n "$mode" ] && want=delete
  [ "$journal" = skip ] || [ "$journal" = "$want" ] ||
    fail "plain_loader $mode left journal_mode $journal, not $want"
done
count=$(sqlite3 "$work/plain.db" "SELECT count(*) FROM t WHERE t MATCH 'rapport'" 2>/dev/null ||
  echo 36)
[ "$count" = 36 ] || fail "plain database: $count articles hold 'rapport'"

has_search=0
if nm -D "$FOUILLE_BUILD_DIR/libfouille.so" 2>/dev/null | grep ' T fouille_search$' >/dev/null; then
  has_search=1
  "$FOUILLE_INDEX" --quiet --db "$work/fouille.db" "$work/txt" >/dev/null ||
    fail "fouille-index failed on the txt folder"
  out=$("$BENCH_QUERY" --repeat 2 --fouille "$work/fouille.db" --plain "$work/plain.db" \
    "$work/queries.txt")
else
  out=$("$BENCH_QUERY" --repeat 2 --plain "$work/plain.db" "$work/queries.txt")
fi
echo "$out"
[ "$(num queries "$out")" = 4 ] || fail "bench_query ran $(num queries "$out") queries, not 4"
plain=${out#*\"plain_fts5\":}
positive "$(num p50_ms "$plain")" || fail "plain p50 is not positive"
[ "$(num queries_without_hit "$plain")" = 0 ] || fail "a plain query found nothing"
if ((has_search)); then
  f=${out#*\"fouille\":}
  positive "$(num p50_ms "$f")" || fail "fouille p50 is not positive"
  [ "$(num queries_without_hit "$f")" = 0 ] || fail "a Fouille query found nothing"
  # eval: both engines over the JSON Lines (plain.db was last loaded from it)
  "$FOUILLE_INDEX" --quiet --db "$work/fj.db" "$work/corpus.jsonl" >/dev/null ||
    fail "fouille-index failed on the JSON Lines"
  printf 'rapport detaille 17\tn17\nnote 5 noyau\tn5\n' >"$work/eval.tsv"
  out=$("$BENCH_EVAL" --fouille "$work/fj.db" --plain "$work/plain.db" "$work/eval.tsv") ||
    fail "eval failed"
  echo "$out"
  positive "$(num mrr10 "${out#*\"fouille\":}")" || fail "eval: Fouille finds no expected article"
  out=$("$BENCH_FACETS" "$work/fj.db" 2 rapport) || fail "bench_facets failed"
  echo "$out"
  [ "$(num total "$out")" = 36 ] || fail "bench_facets: total $(num total "$out"), not 36"
  positive "$(num p50_facets_ms "$out")" || fail "bench_facets: p50 with facets is not positive"
  # one-shot runs against the sqlite3 shell (scripts/bench oneshot)
  if command -v sqlite3 >/dev/null && command -v python3 >/dev/null; then
    out=$(python3 "${FOUILLE_SOURCE_DIR:?}/bench/oneshot.py" \
      "${FOUILLE_QUERY:-$FOUILLE_BUILD_DIR/fouille-query}" "$work/fj.db" "$work/plain.db" 1 \
      "$work/queries.txt" "rapport") || fail "oneshot.py failed"
    echo "$out"
    [ "$(sed -n 's/.*"queries": \([0-9]*\).*/\1/p' <<<"$out")" = 5 ] ||
      fail "oneshot.py: not 5 queries: $out"
    grep -q '"failed": 0' <<<"$out" || fail "oneshot.py: runs failed: $out"
    positive "$(sed -n 's/.*"ratio_wall": \([-0-9.e]*\).*/\1/p' <<<"$out")" ||
      fail "oneshot.py: no ratio: $out"
  fi
fi

# http (scripts/bench http): wrk and bench/http.lua against fouille-query
# --serve on the JSON Lines index, 1 s; skipped without wrk or curl.
http=skipped
FQ=${FOUILLE_QUERY:-$FOUILLE_BUILD_DIR/fouille-query}
if ((has_search)) && command -v wrk >/dev/null && command -v curl >/dev/null &&
  "$FQ" --help 2>&1 | grep -q -- --serve; then
  "$FQ" --db "$work/fj.db" --serve 127.0.0.1:0 2>"$work/http.log" &
  spid=$!
  trap 'kill -KILL "$spid" 2>/dev/null || true; rm -rf "$work"' EXIT
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/http.log")
    [ -n "$port" ] && break
    kill -0 "$spid" 2>/dev/null || fail "server exited: $(cat "$work/http.log")"
    sleep 0.05
  done
  [ -n "$port" ] || fail "server printed no port: $(cat "$work/http.log")"
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break
    sleep 0.05
  done
  lua=${FOUILLE_SOURCE_DIR:?}/bench/http.lua
  out=$(wrk -c 8 -t 2 -d 1s -s "$lua" "http://127.0.0.1:$port" -- "$work/queries.txt" | grep '^{') ||
    fail "wrk printed no result"
  echo "http: $out"
  positive "$(num requests "$out")" || fail "http: no request answered"
  positive "$(num p95_ms "$out")" || fail "http: p95 is not positive"
  [ "$(num non2xx "$out")" = 0 ] || fail "http: the server answered errors: $out"
  [ "$(num socket_errors "$out")" = 0 ] || fail "http: socket errors: $out"
  # the error count works: limit=0 is a 400
  out=$(wrk -c 2 -t 1 -d 1s -s "$lua" "http://127.0.0.1:$port" -- "$work/queries.txt" limit=0 |
    grep '^{') || fail "wrk printed no result"
  if ! positive "$(num requests "$out")" || [ "$(num non2xx "$out")" != "$(num requests "$out")" ]; then
    fail "http: 400s not counted: $out"
  fi
  kill -TERM "$spid"
  for _ in $(seq 1 60); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$spid" 2>/dev/null && fail "http: server still running 3 s after SIGTERM"
  rc=0
  wait "$spid" || rc=$?
  [ $rc = 0 ] || fail "http: server exit status $rc after SIGTERM"
  http=ok
fi
echo "bench_smoke: ok (fouille search: $has_search, http: $http)"
