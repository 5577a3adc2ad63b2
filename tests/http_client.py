#!/usr/bin/env python3
"""Test client for fouille-query --serve (standard library only).

Subcommands (each exits 0 on success, prints one line per failure else):
  wait BASE                       poll /health until the server answers
  endpoints BASE DB QUERY_BIN     every endpoint and every error status
  load BASE CLIENTS REQUESTS      concurrent clients, every response checked
  during BASE STOPFILE            query until STOPFILE exists; all must be 200
  expect BASE Q TOTAL             /search?q=Q reports TOTAL hits
  status BASE PATH STATUS         GET PATH answers STATUS with JSON
  idle BASE                       a half-sent request is dropped after ~5 s, a
                                  kept-alive connection lives 10 s
"""
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def split(base):
    u = urllib.parse.urlsplit(base)
    return u.hostname, u.port


def request(base, path, method="GET", body=None, headers=None, timeout=10):
    """Returns (status, headers dict lower-case, body bytes) over a fresh connection."""
    host, port = split(base)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def get_json(base, path, status=200, **kw):
    st, hdrs, data = request(base, path, **kw)
    if st != status:
        fail(f"{path}: status {st}, expected {status}: {data[:200]!r}")
        return None
    ctype = hdrs.get("content-type", "")
    if ctype != "application/json; charset=utf-8":
        fail(f"{path}: content-type {ctype!r}")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        fail(f"{path}: invalid JSON ({e}): {data[:200]!r}")
        return None
    if status >= 400:
        if not (isinstance(obj.get("error"), str) and obj["error"] and obj.get("status") == status):
            fail(f"{path}: bad error object {obj!r}")
    return obj


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def cmd_wait(base):
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            request(base, "/health", timeout=1)
            return 0
        except OSError:
            time.sleep(0.05)
    fail("server did not answer /health within 15 s")
    return 1


def check_search(base, qbin, db, query, **params):
    """GET /search equals `fouille-query --json` for the same query."""
    obj = get_json(base, q("/search", q=query, **params))
    if obj is None:
        return None
    args = [qbin, "--db", db, "--json"]
    flags = {"limit": "--limit", "offset": "--offset", "since": "--since", "until": "--until",
             "source": "--source", "sort": "--sort", "passages": "--passages"}
    for k, v in params.items():
        args += (["--exact"] if v else []) if k == "exact" else [flags[k], str(v)]
    try:
        cli = subprocess.run(args + ["--", query], capture_output=True, timeout=30)
        want = json.loads(cli.stdout.decode("utf-8"))
    except subprocess.TimeoutExpired:
        fail(f"fouille-query --json {query!r}: timed out")
        return obj
    except (UnicodeDecodeError, json.JSONDecodeError):
        fail(f"fouille-query --json {query!r} gave no JSON (rc {cli.returncode}): "
             f"{cli.stderr[:200]!r}")
        return obj
    if obj != want:
        fail(f"/search {query!r} {params}: differs from fouille-query --json")
    return obj


def cmd_endpoints(base, db, qbin):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("SELECT key, title, body FROM articles ORDER BY key").fetchall()
    n_articles = len(rows)
    con.close()
    if n_articles < 3:
        fail(f"{db}: expected a few articles, found {n_articles}")
        return 1

    if get_json(base, "/health") != {"status": "ok"}:
        fail("/health is not {\"status\": \"ok\"}")
    stats = get_json(base, "/stats")
    if stats is not None and stats.get("articles") != n_articles:
        fail(f"/stats articles {stats.get('articles')} != {n_articles}")

    # Every article comes back by its URL-encoded key (keys hold '/' and '#').
    for key, title, body in rows:
        art = get_json(base, "/articles/" + urllib.parse.quote(key, safe=""))
        if art is None:
            continue
        if art.get("key") != key or art.get("title") != title or art.get("body") != body:
            fail(f"/articles/{key}: content differs from the database")
        for field in ("date", "source", "url", "author"):
            if field not in art:
                fail(f"/articles/{key}: no {field} field")
    get_json(base, "/articles/" + urllib.parse.quote("pas/de-cle#ici", safe=""), 404)
    get_json(base, "/articles/", 404)

    # Searches: the same JSON as the CLI.
    res = check_search(base, qbin, db, "vélo")
    if res is not None and not res.get("hits"):
        fail("/search?q=vélo: no hits")
    check_search(base, qbin, db, "puces", limit=1)
    check_search(base, qbin, db, "paris", limit=2, offset=1, sort="date")
    check_search(base, qbin, db, "paris", since="2020", until="2030-12-31", passages=1)
    res = get_json(base, q("/search", q="vélo", limit=1, passages=0))
    if res is not None and len(res.get("hits", [])) > 1:
        fail("/search limit=1 gave more than one hit")
    # Typo tolerance: a misspelled word is corrected; exact=1 searches it as typed.
    res = check_search(base, qbin, db, "réacteurs nucléiare")
    if res is not None and (not res.get("corrected") or
                            res.get("did_you_mean") != "réacteurs nucléaire"):
        fail(f"/search réacteurs nucléiare: not corrected: {res.get('did_you_mean')!r}")
    res = check_search(base, qbin, db, "réacteurs nucléiare", exact=1)
    if res is not None and (res.get("corrected") or res.get("did_you_mean") is not None):
        fail("/search exact=1: corrected")

    # Bad parameters: 400.
    for params in ({"q": ""}, {"q": "   "}, {}, {"q": "x", "limit": "abc"},
                   {"q": "x", "limit": "0"}, {"q": "x", "limit": "101"},
                   {"q": "x", "limit": "-1"}, {"q": "x", "offset": "10001"},
                   {"q": "x", "since": "2019-13"}, {"q": "x", "until": "hier"},
                   {"q": "x", "since": "2019-02-30"}, {"q": "x", "sort": "pertinence"},
                   {"q": "x", "colour": "bleu"}, {"q": "x" * 4097},
                   {"q": "x", "passages": "99999999999999999999"}):
        get_json(base, q("/search", **params), 400)
    get_json(base, "/search?q=%FF%FE", 400)  # invalid UTF-8
    get_json(base, "/search?q=%00", 400)      # NUL byte: empty query
    for words in ("!!!", "-vélo", "***"):  # nothing searchable: the library's EPARSE
        get_json(base, q("/search", q=words), 400)
    get_json(base, q("/search", q="x", facets="auteur"), 400)
    get_json(base, "/search?q=x" + "&source=A" * 33, 400)

    # Facets over every match, several sources (docs/json.md#facets).
    all_ = get_json(base, q("/search", q="le", limit=1, facets="source,year,month"))
    f = all_.get("facets", {})
    if set(f) != {"source", "year", "month"} or sum(f["year"].values()) < 1:
        fail(f"facets: {f!r}")
    if "facets" in get_json(base, q("/search", q="le", limit=1)):
        fail("facets without facets=")
    names = list(f["source"])[:2]
    both = get_json(base, "/search?q=le&facets=source&" + "&".join(
        "source=" + urllib.parse.quote(n) for n in names))
    if both["total"] != sum(f["source"][n] for n in names) or both["facets"]["source"] != f["source"]:
        fail(f"sources {names}: total {both['total']}, facets {both['facets']!r}")

    # Unknown paths: 404.
    for path in ("/nope", "/search/extra", "/../../etc/passwd", "/stats/", "/%00", "/index.html",
                 "/page.js/", "/page.map"):
        get_json(base, path, 404)

    # The search page and its files: served from the binary, only from itself (CSP).
    for path, kind in (("/", "text/html"), ("/?q=gr%C3%A8ve&source=AFP", "text/html"),
                       ("/page.css", "text/css"), ("/page.js", "text/javascript")):
        st, hdrs, data = request(base, path)
        csp = hdrs.get("content-security-policy", "")
        if st != 200 or not hdrs.get("content-type", "").startswith(kind) or not data:
            fail(f"GET {path}: status {st}, type {hdrs.get('content-type')!r}")
        if "default-src 'none'" not in csp or "script-src 'self'" not in csp or "unsafe" in csp:
            fail(f"GET {path}: Content-Security-Policy {csp!r}")
        if hdrs.get("x-content-type-options") != "nosniff":
            fail(f"GET {path}: no nosniff")
    st, hdrs, data = request(base, "/", method="HEAD")
    if st != 200 or data:
        fail(f"HEAD /: status {st}, body {data[:50]!r}")
    st, hdrs, _ = request(base, "/", method="POST")
    if st != 405 or hdrs.get("allow") != "GET, HEAD":
        fail(f"POST /: status {st}, Allow {hdrs.get('allow')!r}")

    # Wrong methods: 405 with Allow.
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        st, hdrs, _ = request(base, "/search?q=x", method=method)
        if st != 405 or hdrs.get("allow") != "GET, HEAD":
            fail(f"{method} /search: status {st}, Allow {hdrs.get('allow')!r}")
    # HEAD: headers, no body.
    st, hdrs, data = request(base, "/health", method="HEAD")
    if st != 200 or data:
        fail(f"HEAD /health: status {st}, body {data[:50]!r}")

    # Oversized requests.
    get_json(base, "/search?q=" + "a" * 8300, 414)
    get_json(base, "/health", 413, body=b"{}", headers={"Content-Type": "application/json"})
    # Not CORS unless asked.
    st, hdrs, _ = request(base, "/health")
    if "access-control-allow-origin" in hdrs:
        fail("CORS header sent without --cors")
    # A huge request line is refused, not crashed on.
    try:
        st, _, _ = request(base, "/search?q=" + "b" * 200000)
        if st not in (414, 400, 431):
            fail(f"200 KB URI: status {st}")
    except (OSError, http.client.HTTPException):
        pass
    if get_json(base, "/health") != {"status": "ok"}:
        fail("server unhealthy after the hostile requests")
    return 1 if FAILURES else 0


LOAD_QUERIES = ["vélo", "puces", "paris", "\"piste cyclable\"", "velo -paris", "nvidia OR vélo"]


def cmd_load(base, clients, requests_each):
    clients, requests_each = int(clients), int(requests_each)
    reference = {}
    for query in LOAD_QUERIES:
        obj = get_json(base, q("/search", q=query, limit=5))
        if obj is None:
            return 1
        reference[query] = obj
    errors = []
    lock = threading.Lock()
    latencies = []

    def client(n):
        host, port = split(base)
        conn = http.client.HTTPConnection(host, port, timeout=10)
        local = []
        for i in range(requests_each):
            query = LOAD_QUERIES[(n + i) % len(LOAD_QUERIES)]
            t0 = time.perf_counter()
            try:
                conn.request("GET", q("/search", q=query, limit=5))
                resp = conn.getresponse()
                data = resp.read()
                if resp.status != 200:
                    raise ValueError(f"status {resp.status}")
                if json.loads(data.decode("utf-8")) != reference[query]:
                    raise ValueError("response differs from the reference")
            except Exception as e:  # noqa: BLE001 - any failure is recorded
                with lock:
                    errors.append(f"client {n} request {i} {query!r}: {e}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
            local.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    for e in errors[:10]:
        fail(e)
    total = clients * requests_each
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
    print(f"load: {total} requests, {len(errors)} failed, {total / elapsed:.0f} req/s, "
          f"p95 {p95:.1f} ms")
    return 1 if errors or len(latencies) != total else 0


def cmd_during(base, stopfile):
    """Searches and stats until stopfile appears; every answer must be a 200."""
    n = 0
    deadline = time.time() + 120
    last_articles = -1
    while not os.path.exists(stopfile) and time.time() < deadline:
        obj = get_json(base, q("/search", q="vélo", limit=3))
        if obj is not None and obj.get("total", -1) < len(obj.get("hits", [])):
            fail(f"during update: total {obj.get('total')} < hits")
        st = get_json(base, "/stats")
        if st is not None:
            if st["articles"] < last_articles:
                fail(f"during update: articles went from {last_articles} to {st['articles']}")
            last_articles = st["articles"]
        n += 1
        if n == 1:
            open(stopfile + ".started", "w").close()
        if FAILURES:
            break
    print(f"during update: {n} rounds, last articles count {last_articles}")
    if n == 0:
        fail("no request ran during the update")
    return 1 if FAILURES else 0


def cmd_expect(base, query, total):
    obj = get_json(base, q("/search", q=query))
    if obj is not None and obj.get("total") != int(total):
        fail(f"/search {query!r}: total {obj.get('total')}, expected {total}")
    return 1 if FAILURES else 0


def read_response(sock):
    """Reads one HTTP response with a Content-Length from sock; its status."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the headers")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int([h.split(b":")[1] for h in head.split(b"\r\n")
                  if h.lower().startswith(b"content-length:")][0])
    while len(body) < length:
        body += sock.recv(4096)
    return int(head.split()[1])


def idle_half_sent(base, out):
    """A request never finished is dropped after the header timeout (5 s)."""
    import socket
    sock = socket.create_connection(split(base), timeout=20)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never finished
    t0 = time.time()
    try:
        data = sock.recv(4096)
    except socket.timeout:
        data = None
    out["half"] = (time.time() - t0, data)
    sock.close()


def idle_keep_alive(base, out):
    """A kept-alive connection idle for 7 s (past the header timeout, within
    the 10 s idle timeout) still takes a second request."""
    import socket
    sock = socket.create_connection(split(base), timeout=20)
    req = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    try:
        sock.sendall(req)
        first = read_response(sock)
        time.sleep(7)
        sock.sendall(req)
        out["keep"] = (first, read_response(sock))
    except OSError as e:
        out["keep"] = (None, str(e))
    sock.close()


def cmd_idle(base):
    out = {}
    threads = [threading.Thread(target=f, args=(base, out)) for f in (idle_half_sent, idle_keep_alive)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    waited, data = out["half"]
    if data != b"" or not (4 <= waited <= 9):
        fail(f"half-sent request: closed after {waited:.1f} s (data {data!r})")
    if out["keep"] != (200, 200):
        fail(f"kept-alive connection idle 7 s: {out['keep']!r}")
    return 1 if FAILURES else 0


def cmd_status(base, path, status):
    get_json(base, path, int(status))
    return 1 if FAILURES else 0


def main(argv):
    cmds = {"status": cmd_status, "idle": cmd_idle, "wait": cmd_wait, "endpoints": cmd_endpoints, "load": cmd_load,
            "during": cmd_during, "expect": cmd_expect}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[argv[1]](*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
