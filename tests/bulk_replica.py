#!/usr/bin/env python3
"""A stand-in for an OpenSearch index, for the export tests (no server here).

  bulk_replica.py apply STATE.json SINCE < BULK.ndjson
      checks the _bulk NDJSON's shape (an index action then its document, a
      delete action alone; each _id at most once; no delete when SINCE is 0;
      documents hold only title, body, date, source, url as strings; every
      line valid UTF-8 JSON) and applies it to the replica in STATE.json
      (created when missing); prints "indexed N deleted M".
  bulk_replica.py compare STATE.json INDEX.db
      exits 1 unless the replica holds exactly the index's articles, field
      for field.
"""
import json
import os
import sqlite3
import sys

FIELDS = ("title", "body", "date", "source", "url")


def fail(msg):
    print("bulk_replica: " + msg, file=sys.stderr)
    sys.exit(1)


def apply(state_path, since):
    state = json.load(open(state_path)) if os.path.exists(state_path) else {}
    raw = sys.stdin.buffer.read()
    if raw and not raw.endswith(b"\n"):
        fail("the NDJSON does not end with a newline")
    lines = raw.decode("utf-8").split("\n")[:-1]  # strict UTF-8: raises on invalid
    seen, i, n_index, n_delete = set(), 0, 0, 0
    while i < len(lines):
        action = json.loads(lines[i])
        if len(action) != 1:
            fail("line %d: one action per line" % (i + 1))
        verb, meta = next(iter(action.items()))
        key = meta.get("_id")
        if not isinstance(key, str) or not key:
            fail("line %d: no _id" % (i + 1))
        if key in seen:
            fail("line %d: _id %r twice" % (i + 1, key))
        seen.add(key)
        if verb == "index":
            doc = json.loads(lines[i + 1])
            if not set(doc) <= set(FIELDS) or not all(isinstance(v, str) for v in doc.values()):
                fail("line %d: bad document %r" % (i + 2, sorted(doc)))
            state[key] = doc
            n_index += 1
            i += 2
        elif verb == "delete":
            if since == 0:
                fail("line %d: a delete in a full export" % (i + 1))
            # a key added and deleted between two exports: OpenSearch
            # answers not_found, the bulk goes on
            state.pop(key, None)
            n_delete += 1
            i += 1
        else:
            fail("line %d: unknown action %s" % (i + 1, verb))
    json.dump(state, open(state_path, "w"))
    print("indexed %d deleted %d" % (n_index, n_delete))


def compare(state_path, db):
    state = json.load(open(state_path))
    c = sqlite3.connect(db)
    want = {}
    for row in c.execute("SELECT key, title, body, date, source, url FROM articles"):
        want[row[0]] = {f: v for f, v in zip(FIELDS, row[1:]) if v is not None}
    if want != state:
        missing = sorted(set(want) - set(state))[:5]
        extra = sorted(set(state) - set(want))[:5]
        differ = sorted(k for k in set(want) & set(state) if want[k] != state[k])[:5]
        fail("replica differs: missing %s, extra %s, different %s" % (missing, extra, differ))
    print("replica identical: %d articles" % len(want))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "apply":
        apply(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        fail(__doc__)
