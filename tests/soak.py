#!/usr/bin/env python3
"""Soak test of fouille-query --serve (standard library only).

  soak.py --seconds S --index BIN --query BIN [--dir DIR] [--clients 8]
          [--rss-slack-kb K] [--fd-slack N] [--no-rss-check] [--trace N]

Writes an archive of small French articles (.txt, .md with front matter,
.jsonl), indexes it, serves it on a free loopback port, and for S seconds
runs CLIENTS HTTP client threads with mixed requests (common and rare
words, phrases, since/until/source filters, paging, sort=date, articles
known and unknown, bad parameters, /stats, /health) while a mutator adds,
changes and deletes files (as many added as deleted) and runs fouille-index
every few seconds. Every answer is checked (status, JSON shape). The
server's anonymous memory (RssAnon: heap and stacks, what a leak grows)
and open file descriptors are sampled every second: after the warm-up (the
first 20 % of the run) they must stay within 10 % of their value at the end
of the warm-up (medians of 5 samples), plus the absolute slack given
(memory: 4 MB by default); VmRSS, which also counts the database mapped by
each of the 8 readers, within that plus 8 times the database's size; the
database and its WAL within 50 % plus 1 MB (a WAL that is never reset
grows without end). Then the server stops on SIGTERM (exit 0) and
fouille-index --check must pass.
Prints one summary line; exit 0 when everything held, 1 otherwise.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

WORDS = ("vélo train mer montagne école hôpital élection récolte orage musée port usine "
         "théâtre forêt rivière marché budget grève tramway festival vendange").split()
SOURCES = ("AFP", "Le Monde", "Ouest-France", "La Croix")
RARE = "zeppelin"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.failures = []
        self.index_runs = 0

    def ok(self):
        with self.lock:
            self.requests += 1

    def fail(self, msg):
        with self.lock:
            self.requests += 1
            self.failures.append(msg)


# ---- The archive ----------------------------------------------------------------

def article_text(i, gen):
    rng = random.Random(i * 7919 + gen)
    words = [rng.choice(WORDS) for _ in range(60)]
    if i % 97 == 0:
        words.insert(5, RARE)
    body = " ".join(words).capitalize() + ". La piste cyclable de la commune %d, l’été." % i
    date = "%04d-%02d-%02d" % (2015 + i % 10, 1 + i % 12, 1 + i % 28)
    return "Article %d : %s et %s" % (i, words[0], words[1]), body, date, SOURCES[i % 4]


def write_article(root, i, gen):
    title, body, date, source = article_text(i, gen)
    if i % 3 == 0:
        with open(os.path.join(root, "a%05d.md" % i), "w") as f:
            f.write(f"---\ntitle: \"{title}\"\ndate: {date}\nsource: {source}\n---\n\n{body}\n")
    else:
        with open(os.path.join(root, "a%05d.txt" % i), "w") as f:
            f.write(f"{title}\n\n{body}\n")


def write_jsonl(root, n, gen):
    with open(os.path.join(root, "depeches.jsonl"), "w") as f:
        for i in range(n):
            title, body, date, source = article_text(100000 + i, gen if i % 5 == 0 else 0)
            f.write(json.dumps({"id": "d%d" % i, "title": title, "body": body, "date": date,
                                "source": source}, ensure_ascii=False) + "\n")


def article_files(root):
    return sorted(n for n in os.listdir(root) if n.startswith("a"))


def mutate(root, rng, gen, next_id):
    """Adds 30 files, rewrites 30, deletes 30, changes a fifth of the JSON lines."""
    names = article_files(root)
    for name in rng.sample(names, min(30, len(names))):
        os.unlink(os.path.join(root, name))
    for name in rng.sample(article_files(root), 30):
        write_article(root, int(name[1:].split(".")[0]), gen)
    for k in range(30):
        write_article(root, next_id + k, gen)
    write_jsonl(root, 300, gen)
    return next_id + 30


def mutator(args, stats, stop):
    rng, gen, next_id = random.Random(1), 1, 3000
    while not stop.wait(2.0):
        gen += 1
        next_id = mutate(args.archive, rng, gen, next_id)
        run = subprocess.run([args.index, "--quiet", "--db", args.db, args.archive],
                             capture_output=True, text=True, timeout=300)
        with stats.lock:
            stats.index_runs += 1
        if run.returncode != 0:
            stats.fail(f"fouille-index exit {run.returncode}: {run.stderr.strip()[:200]}")


# ---- The clients ------------------------------------------------------------------

def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def check_search(obj, params):
    hits, total = obj.get("hits"), obj.get("total")
    if not isinstance(hits, list) or not isinstance(total, int):
        return "no hits or total"
    if total < len(hits) or len(hits) > int(params.get("limit", 10)):
        return f"total {total}, {len(hits)} hits"
    for h in hits:
        if not isinstance(h.get("key"), str) or "score" not in h or "title" not in h:
            return f"a hit without key, title or score: {h!r}"[:200]
        if "source" in params and h.get("source") != params["source"]:
            return f"source {h.get('source')!r} with source={params['source']}"
        d = h.get("date") or ""
        if "since" in params and d and d[:len(params["since"])] < params["since"]:
            return f"date {d} before since={params['since']}"
        if "until" in params and d and d[:len(params["until"])] > params["until"]:
            return f"date {d} after until={params['until']}"
    dates = [h.get("date") for h in hits if h.get("date")]
    if params.get("sort") == "date" and dates != sorted(dates, reverse=True):
        return "sort=date not newest first"
    return None


def pick_request(rng, known):
    """(path, params or None, allowed statuses)."""
    r = rng.random()
    word = rng.choice(WORDS)
    searches = [
        {"q": word}, {"q": RARE}, {"q": "\"piste cyclable\""}, {"q": f"{word} -{rng.choice(WORDS)}"},
        {"q": word, "since": "2019", "until": "2021-06"}, {"q": word, "source": rng.choice(SOURCES)},
        {"q": word, "offset": str(rng.choice((10, 20, 50))), "limit": "5"},
        {"q": word, "sort": "date", "limit": "20"}, {"q": f"{word}*", "passages": "0"},
    ]
    if r < 0.70:
        params = rng.choice(searches)
        return q("/search", **params), params, (200,)
    if r < 0.78 and known:
        return "/articles/" + urllib.parse.quote(rng.choice(known), safe=""), None, (200, 404)
    if r < 0.82:
        return "/articles/pas-de-cle-" + str(rng.randrange(1000)), None, (404,)
    if r < 0.90:
        bad = rng.choice(({"q": ""}, {"q": word, "limit": "abc"}, {"q": word, "since": "2019-13"},
                          {"q": word, "couleur": "bleu"}, {"q": "!!!"}))
        return q("/search", **bad), None, (400,)
    return rng.choice(("/stats", "/health")), None, (200,)


def check_answer(path, params, allowed, status, body):
    if status not in allowed:
        return f"status {status}, expected {allowed}: {body[:150]!r}"
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return f"not JSON: {body[:150]!r}"
    if status >= 400:
        ok = isinstance(obj.get("error"), str) and obj.get("status") == status
        return None if ok else f"bad error object {obj!r}"[:200]
    if params is not None:
        return check_search(obj, params)
    return None


def client(n, args, stats, stop, known):
    rng = random.Random(100 + n)
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    while not stop.is_set():
        path, params, allowed = pick_request(rng, known)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            err = check_answer(path, params, allowed, resp.status, body)
            if params is not None and resp.status == 200 and not err and len(known) < 500:
                known.extend(h["key"] for h in json.loads(body)["hits"][:2])
        except (OSError, http.client.HTTPException) as e:
            err = f"no answer ({e!r})"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        if err:
            stats.fail(f"{path}: {err}")
        else:
            stats.ok()
    conn.close()


# ---- The server and its samples ----------------------------------------------------

def start_server(args):
    proc = subprocess.Popen([args.query, "--db", args.db, "--serve", "127.0.0.1:0"],
                            stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    if "listening on http://127.0.0.1:" not in line:
        proc.kill()
        sys.exit(f"soak: the server did not start: {line.strip()}")
    args.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
    threading.Thread(target=drain, args=(proc.stderr, args.server_log), daemon=True).start()
    return proc


def drain(stream, lines):
    for line in stream:
        lines.append(line.rstrip())


def sample(pid, db):
    """(VmRSS, RssAnon, database + WAL in kB, open fds). RssAnon is the heap
    and stacks, what a leak grows. VmRSS adds the pages of files mapped: the
    program, its libraries, and the database, which each of the 8 read
    connections maps (mmap) on its own, so that a page of it read by
    several counts several times: up to 8 times the database's size."""
    with open(f"/proc/{pid}/status") as f:
        kb = {line.split(":")[0]: int(line.split()[1]) for line in f
              if line.startswith(("VmRSS:", "RssAnon:"))}
    size = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))
    return kb["VmRSS"], kb["RssAnon"], size // 1024, len(os.listdir(f"/proc/{pid}/fd"))


def sampler(pid, db, samples, stop, trace):
    t0 = time.time()
    while not stop.wait(1.0):
        samples.append((time.time() - t0,) + sample(pid, db))
        if trace and len(samples) % trace == 0:
            print("soak: %4.0f s: RSS %d kB (anonymous %d kB), database %d kB, %d fds"
                  % samples[-1], file=sys.stderr)


VMRSS, ANON, DBKB, FDS = 1, 2, 3, 4  # in a sample
READERS = 8  # the server's read connections, each mapping the database


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def flat(samples, seconds, i, slack, pct=10):
    """Failure text when value i, after the warm-up (the first 20 % of the
    run), grows more than pct % plus slack: the base is the median of the
    samples from 20 to 30 % of the run, compared with the median of every
    5 consecutive samples after it (medians: single samples are noisy)."""
    after = [s[i] for s in samples if s[0] >= 0.2 * seconds]
    base_win = [s[i] for s in samples if 0.2 * seconds <= s[0] < 0.3 * seconds]
    if len(after) < 5 or not base_win:
        return "too few samples"
    base = median(base_win)
    top = max(median(after[k:k + 5]) for k in range(len(after) - 4))
    if i == VMRSS:  # each reader maps the database: up to READERS times its size
        slack += READERS * max(s[DBKB] for s in samples)
    allowed = base * (1 + pct / 100) + slack
    return f"grew from {base} to {top} (allowed {allowed:.0f})" if top > allowed else None


# ---- The run --------------------------------------------------------------------

def prepare(args):
    args.archive = os.path.join(args.dir, "archive")
    args.db = os.path.join(args.dir, "soak.db")
    os.makedirs(args.archive)
    for i in range(3000):
        write_article(args.archive, i, 0)
    write_jsonl(args.archive, 300, 0)
    subprocess.run([args.index, "--quiet", "--db", args.db, args.archive], check=True, timeout=600)


def run(args):
    stats, stop, known, samples = Stats(), threading.Event(), [], []
    args.server_log = []
    prepare(args)
    server = start_server(args)
    first = (0,) + sample(server.pid, args.db)
    threads = [threading.Thread(target=client, args=(n, args, stats, stop, known))
               for n in range(args.clients)]
    threads.append(threading.Thread(target=mutator, args=(args, stats, stop)))
    threads.append(threading.Thread(target=sampler, args=(server.pid, args.db, samples, stop, args.trace)))
    for t in threads:
        t.start()
    stop.wait(args.seconds)
    stop.set()
    for t in threads:
        t.join()
    last = (args.seconds,) + sample(server.pid, args.db)
    server.send_signal(signal.SIGTERM)
    if server.wait(timeout=30) != 0:
        stats.fail(f"server exit status {server.returncode} after SIGTERM")
    return stats, samples, first, last


def figures(samples, first, last, seconds):
    """start -> end of warm-up -> end (max) of each sampled value."""
    warm = next((s for s in samples if s[0] >= 0.2 * seconds), first)
    out = []
    for name, i in (("RSS", VMRSS), ("anonymous", ANON), ("fds", FDS)):
        out.append(f"{name} {first[i]} -> {warm[i]} -> {last[i]} (max "
                   f"{max([first[i], last[i]] + [s[i] for s in samples])})")
    return ", ".join(out)


def verdict(args, stats, samples, first, last):
    problems = list(stats.failures[:10])
    checks = [("fds", FDS, args.fd_slack, 10), ("database and WAL", DBKB, 1024, 50)]
    if not args.no_rss_check:
        checks += [("RSS", VMRSS, args.rss_slack_kb, 10),
                   ("anonymous RSS", ANON, args.rss_slack_kb, 10)]
    for name, i, slack, pct in checks:
        bad = flat(samples, args.seconds, i, slack, pct)
        if bad:
            problems.append(f"server {name} not flat after warm-up: {bad}")
    check = subprocess.run([args.index, "--check", "--quiet", "--db", args.db],
                           capture_output=True, text=True)
    if check.returncode != 0:
        problems.append(f"fouille-index --check failed: {check.stderr.strip()}")
    print(f"soak: {args.seconds:.0f} s, {args.clients} clients, {stats.requests} requests, "
          f"{len(stats.failures)} failures, {stats.index_runs} index runs; server (kB; start -> "
          f"warm -> end): {figures(samples, first, last, args.seconds)}; database "
          f"{first[DBKB]} -> {last[DBKB]} kB; check {'ok' if check.returncode == 0 else 'FAILED'}")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--query", required=True)
    p.add_argument("--dir")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--rss-slack-kb", type=int, default=4096,
                   help="absolute allowance on memory (default 4 MB: the malloc arenas "
                        "of the 8 worker threads reach their peaks at different times)")
    p.add_argument("--fd-slack", type=int, default=0)
    p.add_argument("--no-rss-check", action="store_true")
    p.add_argument("--trace", type=int, default=0, help="print a sample every N seconds")
    args = p.parse_args()
    tmp = None
    if not args.dir:
        args.dir = tmp = tempfile.mkdtemp(prefix="fouille-soak-")
    try:
        return verdict(args, *run(args))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
