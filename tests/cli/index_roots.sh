#!/bin/bash
# fouille-index and the roots an index records: a sub-folder run keeps its
# siblings and keys, a run without PATH updates every root, two roots with
# the same relative path both go in (the second root's keys prefixed),
# --forget (and --dry-run), --stats / --json list the roots, a file root,
# and an index of schema 1 upgraded in place (no re-analysis, keys kept).
set -euo pipefail
IDX=${FOUILLE_INDEX:?}
QRY=${FOUILLE_QUERY:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
keys() { sqlite3 "$1" "SELECT key FROM articles ORDER BY key" | tr '\n' ' '; }
cd "$T"
mkdir -p archives/2024 archives/2023 afp
printf 'Vélo\n\nLe vélo de 2024.\n' >archives/2024/a.txt
printf 'Pêche\n\nLa pêche de 2023.\n' >archives/2023/b.txt
printf 'Racine\n\nUn vélo à la racine.\n' >archives/a.txt
printf 'AFP\n\nUn vélo de l’AFP.\n' >afp/a.txt
DB=$T/presse.db

# The issue's first run: a folder, then a sub-folder of it.
"$IDX" --db "$DB" --quiet archives
"$IDX" --db "$DB" archives/2024 >out
grep -q "0 added, 0 changed, 0 deleted, 1 unchanged" out || fail "subfolder run: $(cat out)"
[ "$(keys "$DB")" = "2023/b.txt 2024/a.txt a.txt " ] || fail "subfolder run changed keys: $(keys "$DB")"

# A sub-folder run deletes under it only: 2023's vanished file stays until
# a run over the whole root.
printf 'Vélo\n\nLe vélo de 2024, corrigé.\n' >archives/2024/a.txt
touch -d '2001-01-01' archives/2024/a.txt
rm archives/2023/b.txt
"$IDX" --db "$DB" --dry-run archives/2024 >out
[ "$(grep -v '^fouille-index:' out)" = "changed 2024/a.txt" ] || fail "subfolder dry run: $(cat out)"
"$IDX" --db "$DB" --quiet archives/2024
[ "$(keys "$DB")" = "2023/b.txt 2024/a.txt a.txt " ] || fail "subfolder run deleted a sibling"
"$QRY" --db "$DB" --ids corrigé | grep -qx "2024/a.txt" || fail "subfolder change not indexed"

# A second root holding the same relative path: keys prefixed with its name.
"$IDX" --db "$DB" afp >out
grep -q "^fouille-index: 1 added, 0 changed, 0 deleted, 0 unchanged" out || fail "second root: $(cat out)"
[ "$(keys "$DB")" = "2023/b.txt 2024/a.txt a.txt afp:a.txt " ] || fail "two roots: $(keys "$DB")"
"$QRY" --db "$DB" --ids vélo | sort | tr '\n' ' ' | grep -qx "2024/a.txt a.txt afp:a.txt " \
  || fail "search over two roots: $("$QRY" --db "$DB" --ids vélo)"

# A run without PATH: every root, from any folder.
printf 'AFP\n\nUne dépêche changée.\n' >afp/a.txt
touch -d '2001-01-02' afp/a.txt
(cd / && "$IDX" --db "$DB") >out
grep -q "0 added, 1 changed, 1 deleted, 2 unchanged" out || fail "run without PATH: $(cat out)"
[ "$(keys "$DB")" = "2024/a.txt a.txt afp:a.txt " ] || fail "run without PATH: $(keys "$DB")"

# A file outside every root: a file root keyed by its path as given.
printf '{"id":"x1","body":"Un vélo en ligne."}\n' >flux.jsonl
"$IDX" --db "$DB" --quiet ./flux.jsonl
sqlite3 "$DB" "SELECT key FROM articles" | grep -qx "flux.jsonl#x1" || fail "file root key"

# --stats and --json list the roots.
"$IDX" --db "$DB" --stats >out
grep -qx "root: folder $T/archives, 2 files, 2 articles, last update 20.*Z" out || fail "--stats root: $(cat out)"
grep -qx "root: folder $T/afp, keys 'afp:…', 1 files, 1 articles, last update .*" out || fail "--stats afp: $(cat out)"
grep -qx "root: file $T/flux.jsonl, key 'flux.jsonl', 1 files, 1 articles, .*" out || fail "--stats file root: $(cat out)"
"$IDX" --db "$DB" --stats --json >out.json
python3 - out.json "$T" <<'PY' || fail "--json roots"
import json, sys
r = json.load(open(sys.argv[1]))["stats"]["roots"]
assert [x["path"] for x in r] == [sys.argv[2] + p for p in ("/archives", "/afp", "/flux.jsonl")], r
assert r[1] == {**r[1], "kind": "folder", "prefix": "afp:", "files": 1, "articles": 1}, r[1]
assert r[2]["kind"] == "file" and r[2]["last_update"], r[2]
PY

# --forget: a dry run lists, changes nothing; then the root and its
# articles go; an unknown root is an error (exit 3).
"$IDX" --db "$DB" --forget afp --dry-run >out
grep -qx "deleted afp:a.txt" out || fail "forget dry run: $(cat out)"
grep -q "1 files, 1 articles would be deleted" out || fail "forget dry run summary: $(cat out)"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM roots')" = 3 ] || fail "dry run forgot"
"$IDX" --db "$DB" --forget "$T/afp" --json >out.json
python3 -c "import json,sys; f=json.load(open('out.json'))['forget']; assert f['articles_deleted']==1 and not f['dry_run'], f" \
  || fail "forget json: $(cat out.json)"
[ "$(keys "$DB")" = "2024/a.txt a.txt flux.jsonl#x1 " ] || fail "forget: $(keys "$DB")"
set +e
"$IDX" --db "$DB" --forget afp >/dev/null 2>err; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "'afp' is not a root" err || fail "forget unknown root: $rc $(cat err)"
"$IDX" --db "$DB" --check --quiet || fail "check after forget"
# A forgotten root added again: the first folder root keeps bare keys, so it
# is prefixed as before.
"$IDX" --db "$DB" --quiet afp
sqlite3 "$DB" "SELECT key FROM articles" | grep -qx "afp:a.txt" || fail "afp again"

# A root inside a later root stays its own: the outer walk skips it.
mkdir -p outer/inner
printf 'Dedans\n\nTexte.\n' >outer/inner/x.txt
printf 'Dehors\n\nTexte.\n' >outer/y.txt
"$IDX" --db "$T/n.db" --quiet outer/inner
"$IDX" --db "$T/n.db" --quiet outer
[ "$(keys "$T/n.db")" = "outer:y.txt x.txt " ] || fail "nested roots: $(keys "$T/n.db")"

# An index of schema 1 (no roots) is upgraded in place: no re-analysis, its
# keys and rows kept; the first run given its folders records them.
"$IDX" --db "$T/old.db" --quiet archives afp
[ "$(keys "$T/old.db")" = "2024/a.txt a.txt afp:a.txt " ] || fail "fresh two roots: $(keys "$T/old.db")"
rm "$T/old.db"*
# What Fouille before roots made of "archives legacy_afp": bare keys for both.
cp -r afp legacy_afp && rm legacy_afp/a.txt && printf 'Autre\n\nUn autre vélo.\n' >legacy_afp/c.txt
"$IDX" --db "$T/old.db" --quiet archives legacy_afp
sqlite3 "$T/old.db" "DROP INDEX files_root; DROP TABLE roots; DROP TABLE changes; ALTER TABLE files DROP COLUMN root_id;
  DROP TABLE lexicon;
  UPDATE files SET path='c.txt' WHERE path='legacy_afp:c.txt';
  UPDATE articles SET key='c.txt' WHERE key='legacy_afp:c.txt';
  UPDATE meta SET value='1' WHERE key='schema_version'; PRAGMA wal_checkpoint(TRUNCATE);"
before=$(sqlite3 "$T/old.db" "SELECT id, key FROM articles ORDER BY id" | tr '\n' ' ')
set +e
"$QRY" --db "$T/old.db" vélo >/dev/null 2>err; rc=$?
"$IDX" --db "$T/old.db" >out 2>err; rc2=$?
set -e
[ $rc -eq 3 ] || fail "schema 1 read-only: $rc"
[ $rc2 -eq 2 ] && grep -q "no root recorded (the index was made before roots were recorded)" err \
  || fail "schema 1 without PATH: $rc2 $(cat err)"
schema=$(sed -n 's/^#define FOUILLE_SCHEMA_VERSION //p' "${FOUILLE_SOURCE_DIR:?}/include/fouille/index.h")
[ "$(sqlite3 "$T/old.db" "SELECT value FROM meta WHERE key='schema_version'")" = "$schema" ] \
  || fail "not upgraded on a writable open"
"$IDX" --db "$T/old.db" --json archives legacy_afp >out.json 2>err
python3 -c "import json; u=json.load(open('out.json'))['update']; assert u['rebuilt'] is False and u['unchanged']==3 and u['added']==0 and u['deleted']==0, u" \
  || fail "upgrade run: $(cat out.json)"
grep -q "$T/archives: warning: recorded as a root" err || fail "upgrade warning: $(cat err)"
[ "$(sqlite3 "$T/old.db" "SELECT id, key FROM articles ORDER BY id" | tr '\n' ' ')" = "$before" ] \
  || fail "upgrade changed rows: $before"
[ "$(keys "$T/old.db")" = "2024/a.txt a.txt c.txt " ] || fail "upgrade keys: $(keys "$T/old.db")"
[ "$(sqlite3 "$T/old.db" 'SELECT count(*) FROM files WHERE root_id IS NULL')" = 0 ] || fail "files not adopted"
[ "$(sqlite3 "$T/old.db" "SELECT group_concat(prefix, '|') FROM roots")" = "|" ] || fail "adopting roots not bare"
"$IDX" --db "$T/old.db" --check --quiet || fail "check after upgrade"
# Schema 2 -> 3 left the lexicon to the first run, which counted it.
[ "$(sqlite3 "$T/old.db" "SELECT count(*) FROM meta WHERE key='lexicon'")" = 0 ] \
  && [ "$(sqlite3 "$T/old.db" "SELECT count(*) FROM lexicon")" -gt 0 ] || fail "lexicon not counted"
echo ok
