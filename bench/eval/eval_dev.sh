#!/usr/bin/env bash
# The development evaluation as a test: indexes the real corpus with
# fouille-index and plain FTS5, runs the bare known-item queries
# (bench/eval/queries.tsv), the same wrapped in question frames
# (bench/eval/questions.tsv, made by bench/eval/make_questions) and the
# misspelled ones (bench/eval/typos.tsv, made by bench/eval/make_typos)
# through both, and fails when Fouille's MRR@10 falls below
# bench/eval/min_mrr on the bare set, bench/eval/min_mrr_questions on the
# question set or bench/eval/min_mrr_typos on the misspelled set, when the
# question set is more than 2 points under the bare set, or when a bare
# query gets other hits with typo tolerance than exact without being
# corrected. Skipped (77) when the corpus cannot be made (make-corpus
# --no-install) or the library cannot search yet.
set -euo pipefail
src=$FOUILLE_SOURCE_DIR/bench
corpus=${FOUILLE_EVAL_CORPUS:-$src/corpora/real.jsonl}
if [ ! -s "$corpus" ]; then
  mkdir -p "$(dirname "$corpus")"
  if ! "$src/make-corpus" --no-install --quiet --format jsonl --out "$corpus.tmp"; then
    rm -f "$corpus.tmp"
    echo "eval_dev: skipped: no $corpus and make-corpus cannot make it (run bench/make-corpus once)"
    exit 77
  fi
  mv "$corpus.tmp" "$corpus"
fi
if ! nm -D "$FOUILLE_BUILD_DIR/libfouille.so" 2>/dev/null | grep ' T fouille_search$' >/dev/null; then
  echo "eval_dev: skipped: the library has no fouille_search yet"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$FOUILLE_INDEX" --quiet --db "$work/fouille.db" "$corpus" >/dev/null
"$BENCH_PLAIN_LOADER" "$work/plain.db" "$corpus" >/dev/null

# eval SET MIN_FILE [ARGS…]: the report on stdout and in $work/SET.out; eval's status.
evaluate() {
  local rc=0 set=$1 min=$2
  shift 2
  echo "== $set"
  "$BENCH_EVAL" --fouille "$work/fouille.db" --plain "$work/plain.db" \
    --min-mrr "$(cat "$src/eval/$min")" "$@" "$src/eval/$set" >"$work/$set.out" || rc=$?
  cat "$work/$set.out"
  return "$rc"
}
# Fouille's MRR@10 from a report's JSON line.
mrr() { sed -n 's/.*"fouille":{"mrr10":\([0-9.]*\).*/\1/p' "$work/$1.out"; }

status=0
evaluate queries.tsv min_mrr --same-as-exact || status=$?
evaluate questions.tsv min_mrr_questions || status=$?
evaluate typos.tsv min_mrr_typos || status=$?
[ "$status" -eq 0 ] || exit "$status"
bare=$(mrr queries.tsv) questions=$(mrr questions.tsv) typos=$(mrr typos.tsv)
if awk -v b="$bare" -v q="$questions" 'BEGIN { exit !(q < b - 0.02) }'; then
  echo "eval_dev: the question set ($questions) is more than 2 points under the bare set ($bare)" >&2
  exit 1
fi
echo "eval_dev: MRR@10 bare $bare, questions $questions, misspelled $typos"
