#!/bin/bash
# Fault injection: a write limit (ulimit -f, as a full disk) during indexing,
# truncated/garbage/empty database files, and a read-only (immutable) index.
# The tools must exit 3 with one clear line, never crash, and a refused
# update must leave the previous index usable.
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
T=$(mktemp -d)
cleanup() { chattr -R -i "$T" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=$T/arch
DB=$T/index.db

# $1 dir, $2 first number, $3 count: French articles, .txt and one .jsonl.
gen() {
  python3 - "$@" <<'PY'
import json, os, sys
root, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root, exist_ok=True)
mots = "vélo train mer montagne école hôpital élection récolte orage musée".split()
with open(os.path.join(root, "lot%d.jsonl" % first), "w") as j:
    for i in range(first, first + n):
        body = ("Le %s de la commune %d fait débat, l’été venu. " % (mots[i % 10], i)) * 20
        if i % 2:
            with open(os.path.join(root, "a%05d.txt" % i), "w") as f:
                f.write("Article %d : le %s\n\n%s\n" % (i, mots[i % 10], body))
        else:
            j.write(json.dumps({"id": "d%d" % i, "title": "Dépêche %d" % i, "body": body},
                               ensure_ascii=False) + "\n")
PY
}

# Runs "$@" expecting exit 3 and exactly one line on stderr matching $pat.
expect_fail() {
  local pat=$1 rc=0
  shift
  "$@" >"$T/out" 2>"$T/err" || rc=$?
  [ "$rc" -eq 3 ] || fail "$*: exit $rc, expected 3 ($(head -c 300 "$T/err"))"
  [ "$(wc -l <"$T/err")" -eq 1 ] || fail "$*: expected one line on stderr, got: $(cat "$T/err")"
  grep -Eqi -- "$pat" "$T/err" || fail "$*: message does not match '$pat': $(cat "$T/err")"
  ! grep -qi 'sanitizer\|segmentation' "$T/err" || fail "$*: crashed"
}

gen "$A" 0 400
"$IDX" --db "$DB" --quiet "$A" || fail "first run"
count=$("$QRY" --db "$DB" --count commune)
[ "$count" -eq 400 ] || fail "expected 400 hits, got $count"

# --- Disk full: the index may grow by at most 64 KiB. ------------------------
gen "$A" 400 2000
limit=$(($(stat -c %s "$DB") / 1024 + 64))
for opts in "" "--rebuild" "--optimize"; do
  # shellcheck disable=SC2086
  expect_fail 'disk full|file too large|no space' \
    bash -c "trap '' XFSZ; ulimit -f $limit; exec \"\$0\" --db \"\$1\" --quiet $opts \"\$2\"" \
    "$IDX" "$DB" "$A"
  "$IDX" --db "$DB" --check --quiet || fail "--check after disk full ($opts)"
  rc=0
  "$QRY" --db "$DB" --count commune >"$T/n" || rc=$?
  [ "$rc" -le 1 ] || fail "query after disk full ($opts): exit $rc"
done
"$IDX" --db "$DB" --quiet "$A" || fail "run after space came back"
[ "$("$QRY" --db "$DB" --count commune)" -eq 2400 ] || fail "index incomplete after recovery"

# --- Broken database files. ----------------------------------------------
size=$(stat -c %s "$DB")
head -c $((size / 3)) "$DB" >"$T/truncated.db"
head -c 100 "$DB" >"$T/header_only.db"
head -c 200000 /dev/urandom >"$T/garbage.db"
printf 'SQLite format 3\0%s' "$(head -c 5000 /dev/zero | tr '\0' x)" >"$T/fake_header.db"
printf 'Ceci n’est pas une base.\n' >"$T/text.db"
: >"$T/empty.db"
for f in truncated header_only garbage fake_header text empty; do
  expect_fail "$f.db" "$QRY" --db "$T/$f.db" mer
  # An empty file is an empty SQLite database: --check may set it up.
  [ $f = empty ] || expect_fail "$f.db" "$IDX" --db "$T/$f.db" --check
done
expect_fail 'no such|not found|cannot open|does not exist' "$QRY" --db "$T/absent.db" mer

# --- Read-only index: the file made immutable (root ignores chmod). ----------
cp "$DB" "$T/ro.db"
if chattr +i "$T/ro.db" 2>/dev/null; then
  [ "$("$QRY" --db "$T/ro.db" --count commune)" -eq 2400 ] || fail "query on read-only index"
  # FTS5's integrity-check is an INSERT: on a read-only index it must say so.
  expect_fail 'needs write access' "$IDX" --db "$T/ro.db" --check --quiet
  gen "$A" 2400 10
  expect_fail 'read-only|readonly|permission|cannot write' "$IDX" --db "$T/ro.db" --quiet "$A"
  # The directory too: SQLite cannot create the WAL's -shm file there.
  mkdir "$T/rodir" && cp "$DB" "$T/rodir/i.db" && chattr +i "$T/rodir/i.db" "$T/rodir"
  [ "$("$QRY" --db "$T/rodir/i.db" --count commune)" -eq 2400 ] ||
    fail "query on an index in a read-only folder"
  expect_fail '' "$IDX" --db "$T/rodir/i.db" --quiet "$A"
else
  echo "SKIP: read-only part (chattr +i not supported here)"
fi
echo "ok: disk full, broken files and read-only index handled"
