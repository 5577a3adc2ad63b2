#!/usr/bin/env python3
"""Test client for HTTP writes of fouille-query --serve --write-token-file
(standard library only). Exits 0 on success, prints one line per failure.

  readonly BASE                 writes off: PUT 405, POST /articles 404
  writes BASE TOKEN MAXBYTES    auth, PUT/DELETE/POST, 413, concurrency
  bench BASE TOKEN N            prints articles/s for N PUTs one by one and
                                POSTs of 100 articles
"""
import http.client
import json
import socket
import sys
import threading
import time
import urllib.parse

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL:", msg, file=sys.stderr)


class Client:
    def __init__(self, base, token=None):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.token = u.hostname, u.port, token
        self.conn = None

    def req(self, method, path, body=None, token=None, headers=None):
        h = dict(headers or {})
        tok = token if token is not None else self.token
        if tok:
            h["Authorization"] = "Bearer " + tok
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def q(key):
    return "/articles/" + urllib.parse.quote(key, safe="")


def expect(what, got, status):
    if got[0] != status:
        fail("%s: status %d, not %d: %r" % (what, got[0], status, got[1][:200]))
        return None
    try:
        return json.loads(got[1])
    except ValueError:
        fail("%s: not JSON: %r" % (what, got[1][:200]))
        return None


def total(c, word):
    s, data = c.req("GET", "/search?q=" + urllib.parse.quote(word) + "&limit=1")
    return json.loads(data)["total"] if s == 200 else -1


def readonly(base):
    c = Client(base, "x" * 20)
    expect("PUT without writes", c.req("PUT", q("a"), {"body": "x"}), 405)
    expect("DELETE without writes", c.req("DELETE", q("a")), 405)
    expect("POST without writes", c.req("POST", "/articles"), 404)
    expect("GET still works", c.req("GET", "/health"), 200)


def auth_and_crud(c, token):
    art = {"title": "Zébulon au marché", "body": "Le zébulon vend des carottes.",
           "date": "2024-03-12", "source": "Test", "url": "https://x.fr/z",
           "author": "Moi", "tags": ["a", "b"]}
    expect("no Authorization", c.req("PUT", q("z1"), art, token=""), 401)
    expect("wrong token", c.req("PUT", q("z1"), art, token=token[:-1] + "?"), 401)
    expect("short token", c.req("PUT", q("z1"), art, token=token[:-1]), 401)
    n = expect("PUT new", c.req("PUT", q("z1"), art), 201)
    if n != {"added": 1, "changed": 0, "deleted": 0, "skipped": 0}:
        fail("PUT new counts %r" % n)
    if total(c, "zébulon") != 1:
        fail("PUT article not searchable at once")
    art["body"] = "Le zébulon vend des poireaux."
    n = expect("PUT again", c.req("PUT", q("z1"), art), 200)
    if n and n["changed"] != 1:
        fail("PUT again counts %r" % n)
    if total(c, "poireaux") != 1 or total(c, "carottes") != 0:
        fail("PUT again: not changed")
    a = expect("GET written", c.req("GET", q("z1")), 200)
    if a and a["author"] != "Moi":
        fail("GET written: %r" % a)
    expect("PUT malformed", c.req("PUT", q("z2"), "{\"body\": "), 400)
    expect("PUT not object", c.req("PUT", q("z2"), "[1]"), 400)
    expect("PUT no body", c.req("PUT", q("z2"), {"title": "t"}), 400)
    expect("PUT unknown field", c.req("PUT", q("z2"), {"body": "b", "zz": 1}), 400)
    n = expect("DELETE", c.req("DELETE", q("z1")), 200)
    if n and n["deleted"] != 1:
        fail("DELETE counts %r" % n)
    expect("GET deleted", c.req("GET", q("z1")), 404)
    expect("DELETE again", c.req("DELETE", q("z1")), 404)


def oversize(c, method, path, length):
    """Announces a body of length bytes, sends 64 KiB of it, and reads the
    answer: the server must answer 413 before the rest comes."""
    s = socket.create_connection((c.host, c.port), timeout=10)
    try:
        s.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Content-Length: %d\r\n\r\n" % (method, path, c.token, length)).encode())
        try:
            s.sendall(b"x" * 65536)
        except OSError:
            pass
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return int(data.split(b" ")[1]) if data.startswith(b"HTTP/1.1 ") else data[:80]
    finally:
        s.close()


def chunked_oversize(c, length):
    """A chunked body over the limit (no Content-Length): read, dropped, 413."""
    s = socket.create_connection((c.host, c.port), timeout=10)
    try:
        s.sendall(("POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n" % c.token).encode())
        chunk = b"x" * 65536
        for _ in range(length // len(chunk) + 1):
            s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        s.sendall(b"0\r\n\r\n")
        data = s.recv(4096)
        return int(data.split(b" ")[1]) if data.startswith(b"HTTP/1.1 ") else data[:80]
    finally:
        s.close()


def post_and_limits(c, maxbytes):
    lines = ('{"id": "p1", "title": "Un", "body": "Le pangolin danse."}\n'
             '{"id": "p2", "body": "Le pangolin \n'
             '{"id": "p3", "title": "Trois", "body": "Le pangolin chante."}\n')
    n = expect("POST", c.req("POST", "/articles", lines), 200)
    if n != {"added": 2, "changed": 0, "deleted": 0, "skipped": 1}:
        fail("POST counts %r" % n)
    if total(c, "pangolin") != 2:
        fail("POST articles not searchable")
    expect("GET posted", c.req("GET", q("http#p1")), 200)
    for method, path in (("PUT", q("big")), ("POST", "/articles")):
        status = oversize(c, method, path, maxbytes + 1)
        if status != 413:
            fail("%s oversize: %r, not 413" % (method, status))
    status = chunked_oversize(c, maxbytes + 1)
    if status != 413:
        fail("chunked oversize: %r, not 413" % (status,))
    expect("health after", c.req("GET", "/health"), 200)


def concurrent(base, token):
    before = Client(base).req("GET", "/stats")
    start = json.loads(before[1])["articles"]
    errors, stop = [], threading.Event()

    def writer(t):
        c = Client(base, token)
        for i in range(25):
            s, d = c.req("PUT", q("c%d-%d" % (t, i)), {"title": "Concurrent %d" % i,
                                                         "body": "Le wombat numéro %d %d." % (t, i)})
            if s != 201:
                errors.append("PUT c%d-%d: %d %r" % (t, i, s, d[:100]))

    def reader():
        c = Client(base)
        while not stop.is_set():
            s, d = c.req("GET", "/search?q=wombat")
            if s != 200:
                errors.append("search during writes: %d %r" % (s, d[:100]))

    ws = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
    rs = [threading.Thread(target=reader) for _ in range(2)]
    for t in rs + ws:
        t.start()
    for t in ws:
        t.join()
    stop.set()
    for t in rs:
        t.join()
    for e in errors[:10]:
        fail(e)
    c = Client(base)
    if total(c, "wombat") != 100:
        fail("wombat total %d, not 100" % total(c, "wombat"))
    end = json.loads(c.req("GET", "/stats")[1])["articles"]
    if end != start + 100:
        fail("articles %d, not %d" % (end, start + 100))


def bench(base, token, n):
    c = Client(base, token)
    t = time.perf_counter()
    for i in range(n):
        s, _ = c.req("PUT", q("bench-%d" % i), {"title": "Banc %d" % i,
                                                 "body": "Article de banc numéro %d, sur le marché." % i})
        assert s in (200, 201), s
    put_rate = n / (time.perf_counter() - t)
    batches = 10
    t = time.perf_counter()
    for b in range(batches):
        body = "".join(json.dumps({"id": "b%d-%d" % (b, i), "title": "Lot %d" % i,
                                   "body": "Article de lot numéro %d, sur le marché." % i}) + "\n"
                       for i in range(100))
        s, _ = c.req("POST", "/articles", body)
        assert s == 200, s
    post_rate = batches * 100 / (time.perf_counter() - t)
    print("PUT one by one: %.0f articles/s; POST batches of 100: %.0f articles/s" % (put_rate, post_rate))


def main():
    cmd, base = sys.argv[1], sys.argv[2]
    if cmd == "readonly":
        readonly(base)
    elif cmd == "writes":
        token, maxbytes = sys.argv[3], int(sys.argv[4])
        c = Client(base, token)
        auth_and_crud(c, token)
        post_and_limits(c, maxbytes)
        concurrent(base, token)
    elif cmd == "bench":
        bench(base, sys.argv[3], int(sys.argv[4]))
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
