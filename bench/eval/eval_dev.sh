#!/usr/bin/env bash
# The development evaluation as a test: indexes the real corpus with
# fouille-index and plain FTS5, runs bench/eval/queries.tsv through both, and
# fails when Fouille's MRR@10 falls below bench/eval/min_mrr or when a query
# gets other hits with typo tolerance than exact without being corrected;
# then the misspelled queries of bench/eval/typos.tsv, held to
# bench/eval/min_mrr_typos. Skipped (77) when the corpus cannot be made
# (make-corpus --no-install) or the library cannot search yet.
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
"$BENCH_EVAL" --fouille "$work/fouille.db" --plain "$work/plain.db" \
  --min-mrr "$(cat "$src/eval/min_mrr")" --same-as-exact "$src/eval/queries.tsv"
echo "== misspelled queries (bench/eval/typos.tsv)"
exec "$BENCH_EVAL" --fouille "$work/fouille.db" --plain "$work/plain.db" \
  --min-mrr "$(cat "$src/eval/min_mrr_typos")" "$src/eval/typos.tsv"
