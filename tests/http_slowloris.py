#!/usr/bin/env python3
"""Hostile-network client for fouille-query --serve (standard library only).

Subcommands (exit 0 on success, 1 with one line per failure, 77 to skip):
  hold BASE PID N [HEADER_TIMEOUT]
      opens N half-open connections (a request line and one header, never
      finished: "slowloris"), checks that the server (PID) accepted them,
      times ~20 GET /health from a new client (every one must answer 200
      within 1 s), then, given HEADER_TIMEOUT, checks the server closes
      the half-open ones after about that long
  perip BASE N LIMIT
      opens N half-open connections from 127.0.0.2 to a server started with
      --max-connections-per-ip LIMIT: it keeps at most LIMIT of them, and a
      client from 127.0.0.1 is still served
"""
import http.client
import os
import resource
import select
import socket
import sys
import time
import urllib.parse

HALF_REQUEST = b"GET /search?q=x HTTP/1.1\r\nHost: x\r\n"  # never finished
HEALTH_REQUESTS = 20
MAX_LATENCY = 1.0  # seconds: generous on a shared machine; the real figure is printed
FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def split(base):
    u = urllib.parse.urlsplit(base)
    return u.hostname, u.port


def need_fds(n):
    """Raises the soft open-file limit to hold n sockets, or exits 77."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + 64
    if soft < want and (hard == resource.RLIM_INFINITY or hard >= want):
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        soft = want
    if soft < want:
        print(f"SKIP: open-file limit {soft} (hard {hard}) cannot hold {n} sockets", file=sys.stderr)
        sys.exit(77)


def open_half(base, n, source=None):
    host, port = split(base)
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if source:
            s.bind((source, 0))
        s.settimeout(5)
        s.connect((host, port))
        s.sendall(HALF_REQUEST)
        s.setblocking(False)
        socks.append(s)
    return socks


def closed_by_server(s):
    """True when the server closed s (EOF or reset); never blocks."""
    try:
        return s.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def count_open(socks):
    return sum(1 for s in socks if not closed_by_server(s))


def server_sockets(pid):
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                n += 1
        except OSError:
            pass
    return n


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def health_latencies(base, source=None):
    """Times HEALTH_REQUESTS GET /health, each on a new connection."""
    host, port = split(base)
    out = []
    for i in range(HEALTH_REQUESTS):
        t0 = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5,
                                              source_address=(source, 0) if source else None)
            conn.request("GET", "/health")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status != 200:
                fail(f"/health {i}: status {resp.status}")
        except (OSError, http.client.HTTPException) as e:
            fail(f"/health {i}: no answer ({e})")
        out.append(time.perf_counter() - t0)
        if len(FAILURES) >= 3:
            break
        time.sleep(0.02)
    return out


def wait_all_closed(socks, limit):
    """Seconds until the server has closed every socket (None past limit)."""
    t0 = time.time()
    pending = list(socks)
    while pending and time.time() - t0 < limit:
        select.select(pending, [], [], 0.2)
        pending = [s for s in pending if not closed_by_server(s)]
    return None if pending else time.time() - t0


def cmd_hold(base, pid, n, header_timeout=None):
    pid, n = int(pid), int(n)
    need_fds(n)
    rss0, t0 = vm_rss_kb(pid), time.time()
    socks = open_half(base, n)
    opened = time.time() - t0
    time.sleep(0.3)  # let the server accept the last ones
    accepted, rss1 = server_sockets(pid), vm_rss_kb(pid)
    if accepted < n:
        fail(f"the server holds {accepted} sockets, fewer than the {n} half-open connections")
    lat = sorted(health_latencies(base))
    still = count_open(socks)
    if still < n:
        fail(f"only {still} of {n} half-open connections were still open while measuring")
    p50, worst = lat[len(lat) // 2] * 1000, lat[-1] * 1000
    print(f"slowloris: {n} half-open connections (opened in {opened:.2f} s, server sockets "
          f"{accepted}, RSS {rss0} -> {rss1} kB); /health x{len(lat)}: p50 {p50:.1f} ms, "
          f"max {worst:.1f} ms")
    if lat[-1] > MAX_LATENCY:
        fail(f"/health took {worst:.0f} ms under {n} half-open connections")
    if header_timeout is not None:
        waited = wait_all_closed(socks, float(header_timeout) + 5)
        if waited is None:
            fail(f"half-open connections still open {float(header_timeout) + 5:.0f} s later")
        else:
            print(f"slowloris: the server closed all {n} after {waited:.1f} s "
                  f"(header timeout {header_timeout} s)")
    for s in socks:
        s.close()
    return 1 if FAILURES else 0


def cmd_perip(base, n, limit):
    n, limit = int(n), int(limit)
    need_fds(n)
    socks = open_half(base, n, source="127.0.0.2")
    time.sleep(0.5)
    still = count_open(socks)
    if still > limit:
        fail(f"{still} connections from 127.0.0.2 kept open, more than the limit {limit}")
    if still == 0:
        fail("no connection from 127.0.0.2 kept: the limit refused everything")
    lat = sorted(health_latencies(base, source="127.0.0.1"))
    print(f"per-ip: {still} of {n} connections from 127.0.0.2 kept (limit {limit}); "
          f"/health from 127.0.0.1: max {lat[-1] * 1000:.1f} ms")
    for s in socks:
        s.close()
    return 1 if FAILURES else 0


def main(argv):
    cmds = {"hold": cmd_hold, "perip": cmd_perip}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[argv[1]](*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
