#!/bin/bash
# fouille-index: exit codes 0/1/2/3, summary line, --dry-run, --check,
# --stats, --json (valid JSON), --exclude, and a garbage database file.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=$T/arch
mkdir -p "$A/2024" "$A/brouillons"
printf 'Le vélo gagne du terrain\n\nLes pistes cyclables de Paris sont pleines.\n' >"$A/2024/velo.txt"
printf '# La pêche\n\nLes chalutiers rentrent au port de Lorient.\n' >"$A/2024/peche.md"
printf '{"id":"a1","title":"Dépêche","body":"Le train arrive."}\n{"id":"a2","title":"Autre","body":"La mer monte."}\n' >"$A/depeches.jsonl"
printf 'Brouillon\n\nPas fini.\n' >"$A/brouillons/x.txt"
DB=$T/index.db

# Usage errors: 2.
set +e
"$IDX" --db "$DB" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "no PATH: exit $rc"
grep -q "no PATH" "$T/err" || fail "no PATH message"
"$IDX" --frobnicate "$A" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] || fail "unknown option: exit $rc"
"$IDX" --batch zero "$A" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad --batch: exit $rc"
set -e
"$IDX" --help | grep -- "--dry-run" >/dev/null || fail "--help"
"$IDX" --version | grep "^fouille-index [0-9]" >/dev/null || fail "--version"

# Dry run on a new index: lists, writes no article.
"$IDX" --db "$DB" --dry-run --exclude brouillons "$A" >"$T/out"
grep -qx "added 2024/velo.txt" "$T/out" || fail "dry-run added line"
grep -q "brouillons" "$T/out" && fail "exclude ignored in dry run"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM articles')" = 0 ] || fail "dry run wrote articles"

# Full run: 0, summary on stdout.
"$IDX" --db "$DB" --exclude brouillons "$A" >"$T/out"
grep -q "^fouille-index: 3 added, 0 changed, 0 deleted, 0 unchanged, 0 skipped" "$T/out" \
  || fail "summary: $(cat "$T/out")"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM articles')" = 4 ] || fail "article count"
sqlite3 "$DB" "SELECT key FROM articles ORDER BY key" | grep -x "depeches.jsonl#a2" >/dev/null || fail "jsonl key"

# Re-run: all unchanged; a change then shows in --dry-run.
"$IDX" --db "$DB" --quiet --exclude brouillons "$A" >"$T/out"
[ ! -s "$T/out" ] || fail "--quiet printed: $(cat "$T/out")"
printf 'Le vélo gagne encore\n\nDes pistes nouvelles.\n' >"$A/2024/velo.txt"
rm "$A/2024/peche.md"
"$IDX" --db "$DB" --dry-run --exclude brouillons "$A" >"$T/out"
grep -qx "changed 2024/velo.txt" "$T/out" || fail "dry-run changed"
grep -qx "deleted 2024/peche.md" "$T/out" || fail "dry-run deleted"
"$IDX" --db "$DB" --exclude brouillons "$A" >"$T/out"
grep -q "1 changed, 1 deleted, 1 unchanged" "$T/out" || fail "second summary: $(cat "$T/out")"

# --check, --stats, --json without PATH.
"$IDX" --db "$DB" --check | grep "check ok" >/dev/null || fail "--check"
"$IDX" --db "$DB" --stats >"$T/out"
grep -qx "articles: 3" "$T/out" || fail "--stats: $(cat "$T/out")"
"$IDX" --db "$DB" --stats --check --json >"$T/out.json"
python3 -m json.tool "$T/out.json" >/dev/null || fail "stats json invalid"
python3 - "$T/out.json" <<'PY' || fail "stats json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stats"]["articles"] == 3 and d["check"]["ok"] is True, d
PY
printf 'Nouveau\n\nUn de plus.\n' >"$A/nouveau.txt"
"$IDX" --db "$DB" --json --exclude brouillons "$A" >"$T/run.json"
python3 - "$T/run.json" <<'PY' || fail "update json content"
import json, sys
u = json.load(open(sys.argv[1]))["update"]
assert u["added"] == 1 and u["unchanged"] == 2 and u["skipped"] == 0, u
PY

# A file that cannot be indexed: exit 1, one line naming it.
printf '' >"$A/vide.txt"
set +e
"$IDX" --db "$DB" --exclude brouillons "$A" >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "skipped file: exit $rc"
grep -q "^fouille-index: $A/vide.txt: " "$T/err" || fail "problem line: $(cat "$T/err")"
grep -q "1 skipped with errors" "$T/out" || fail "skipped count"
rm "$A/vide.txt"

# A malformed JSON Lines line: an article skipped, the other lines go in, exit 1.
printf '{"id":"m1","body":"Bien."}\n{"id":"m2",\n' >"$A/mal.jsonl"
set +e
"$IDX" --db "$DB" --exclude brouillons "$A" >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "malformed line: exit $rc"
grep -q "^fouille-index: $A/mal.jsonl:2: invalid JSON" "$T/err" || fail "malformed line message: $(cat "$T/err")"
grep -q "0 skipped with errors (0 warnings), 1 articles skipped, 1 articles in" "$T/out" \
  || fail "malformed line summary: $(cat "$T/out")"
rm "$A/mal.jsonl"

# Garbage database, missing database: 3 with a clear message.
head -c 5000 /dev/urandom >"$T/garbage.db"
set +e
"$IDX" --db "$T/garbage.db" "$A" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 3 ] || fail "garbage db: exit $rc"
grep -q "not a Fouille index" "$T/err" || fail "garbage message: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "garbage: more than one line"
"$IDX" --db "$T/absent.db" --stats >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 3 ] || fail "absent db: exit $rc"
[ ! -e "$T/absent.db" ] || fail "--stats created a database"
# A database under a path that cannot exist.
"$IDX" --db "$T/no/such/dir/x.db" "$A" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 3 ] || fail "bad db path: exit $rc"
set -e

# FOUILLE_DB is the default database.
(cd "$T" && FOUILLE_DB="$T/env.db" "$IDX" --quiet "$A/depeches.jsonl")
[ "$(sqlite3 "$T/env.db" 'SELECT count(*) FROM articles')" = 2 ] || fail "FOUILLE_DB"
echo "ok"
