#!/usr/bin/env python3
"""Faults for fouille-query --serve (standard library only): what error
bodies say, and requests while the database goes away and comes back.

Subcommands (exit 0 on success, 1 with one line per failure):
  noleak BASE SECRET         the error bodies of every kind of request name
                             neither SECRET (the database's folder) nor SQL
  expect BASE STATUS TEXT    /health, /stats, /search, /articles/x all answer
                             STATUS, error messages holding TEXT
  under BASE STOPFILE SECRET requests until STOPFILE exists: each answer a
                             200 or a clean 503 (404 for an unknown article),
                             JSON of the right shape, no leak; counts printed
"""
import http.client
import json
import os
import sys
import time
import urllib.parse

FAILURES = []
LEAKS = ("sqlite", "select ", "insert ", "no such table", "/tmp/", ".db")


def fail(msg):
    FAILURES.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def request(base, path, method="GET", timeout=10):
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def leak_in(body, secret):
    """What a body reveals: the secret folder, a path, SQL; or None."""
    text = body.decode("utf-8", "replace")
    if secret in text:
        return secret
    low = text.lower()
    return next((w for w in LEAKS if w in low), None)


def check(base, path, secret, statuses, method="GET"):
    """One request: status among statuses, a JSON body, errors shaped and
    clean. Returns (status, object) or (None, None) after a failure."""
    try:
        st, body = request(base, path, method)
    except (OSError, http.client.HTTPException) as e:
        fail(f"{path}: no answer ({e})")
        return None, None
    if st not in statuses:
        fail(f"{path}: status {st}, expected one of {statuses}: {body[:200]!r}")
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        fail(f"{path}: not JSON: {body[:200]!r}")
        return st, None
    if st >= 400:
        if not isinstance(obj.get("error"), str) or obj.get("status") != st:
            fail(f"{path}: bad error object {obj!r}")
        leak = leak_in(body, secret)
        if leak:
            fail(f"{path}: the {st} body reveals {leak!r}: {body[:200]!r}")
    return st, obj


HOSTILE = [
    ("/articles/" + urllib.parse.quote("pas/de-cle#ici", safe=""), (404, 503)),
    (q("/search", q="!!!"), (400, 503)),  # the library parses: 503 without an index
    (q("/search", q="-vélo"), (400, 503)),
    (q("/search", q="x", limit="abc"), (400,)),
    (q("/search", q="x", since="2019-13"), (400,)),
    (q("/search", q="x", bogus="1"), (400,)),
    ("/search?q=%FF%FE", (400,)),
    (q("/search", q="x" * 5000), (400, 414)),
    ("/nope", (404,)),
    ("/articles/%FF", (400,)),
    ("/stats", (200, 503)),
    ("/health", (200, 503)),
    (q("/search", q="vélo"), (200, 503)),
]


def cmd_noleak(base, secret):
    seen = []
    for path, statuses in HOSTILE:
        st, _ = check(base, path, secret, statuses)
        seen.append(st)
    st, _ = check(base, "/search?q=x", secret, (405,), method="POST")
    seen.append(st)
    print(f"noleak: {len(seen)} requests, statuses {sorted(set(s for s in seen if s))}")
    return 1 if FAILURES else 0


def cmd_expect(base, status, text):
    status = int(status)
    for path in ("/health", "/stats", q("/search", q="vélo"), "/articles/x"):
        want = 404 if status == 200 and path.startswith("/articles/") else status
        st, obj = check(base, path, "\0", (want,))
        if obj is not None and want == status >= 400 and text not in obj.get("error", ""):
            fail(f"{path}: error {obj.get('error')!r} does not say {text!r}")
    return 1 if FAILURES else 0


def search_shape(path, obj):
    hits = obj.get("hits")
    if not isinstance(hits, list) or not isinstance(obj.get("total"), int):
        fail(f"{path}: no hits or total: {obj!r}"[:300])
    elif obj["total"] < len(hits) or any("key" not in h for h in hits):
        fail(f"{path}: total {obj['total']} < {len(hits)} hits, or a hit without key")


def cmd_under(base, stopfile, secret):
    counts = {}
    deadline = time.time() + 180
    rounds = 0
    while not os.path.exists(stopfile) and time.time() < deadline and len(FAILURES) < 10:
        for path, statuses in ((q("/search", q="vélo", limit=3), (200, 503)),
                               ("/stats", (200, 503)), ("/health", (200, 503)),
                               ("/articles/pas-de-cle", (404, 503))):
            st, obj = check(base, path, secret, statuses)
            counts[st] = counts.get(st, 0) + 1
            if st == 200 and path.startswith("/search") and obj is not None:
                search_shape(path, obj)
        rounds += 1
        if rounds == 1:
            open(stopfile + ".started", "w").close()
    print(f"under faults: {rounds} rounds, statuses {dict(sorted(counts.items(), key=str))}")
    if 503 not in counts or 200 not in counts:
        fail("expected both 200 and 503 answers while the database came and went")
    return 1 if FAILURES else 0


def main(argv):
    cmds = {"noleak": cmd_noleak, "expect": cmd_expect, "under": cmd_under}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[argv[1]](*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
