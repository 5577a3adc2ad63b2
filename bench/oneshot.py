#!/usr/bin/env python3
"""One-shot searches, whole processes: `fouille-query QUERY` (top 10, 2
passages, text output) against the `sqlite3` shell running plain FTS5 +
snippet() on the plain index of the same articles (the top 10 by bm25,
snippets for those rows only, as bench_query's baseline), alternating the
two for each query, ROUNDS times. Wall clock and CPU (user + system of the
child) per run; prints one JSON line of medians and ratios.
Usage: oneshot.py FOUILLE_QUERY FOUILLE_DB PLAIN_DB ROUNDS QUERIES.txt [QUERY...]
(the QUERY arguments are searched before the file's)."""
import json
import os
import re
import statistics
import subprocess
import sys
import time

PLAIN_SQL = ("SELECT key, title, snippet(t, 1, '[', ']', '…', 64) FROM t WHERE t MATCH '{e}'"
             " AND rowid IN (SELECT rowid FROM t WHERE t MATCH '{e}' ORDER BY rank LIMIT 10)")


def plain_expr(q):
    """Each run of letters and digits as a quoted FTS5 string, all ANDed."""
    words = re.findall(r"\w+", q)
    return " ".join('"' + w + '"' for w in words).replace("'", "''")


def run(argv, devnull):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=devnull, stderr=devnull)
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t0) * 1e3
    return wall, (ru.ru_utime + ru.ru_stime) * 1e3, os.waitstatus_to_exitcode(status)


def main():
    fq, fdb, pdb, rounds, qfile = sys.argv[1:6]
    queries = sys.argv[6:] + [l.strip() for l in open(qfile, encoding="utf-8")
                              if l.strip() and not l.startswith("#")]
    ms = {"fouille": ([], []), "shell": ([], [])}
    failed = 0
    load0 = os.getloadavg()
    with open(os.devnull, "w") as devnull:
        for _ in range(int(rounds)):
            for q in queries:
                for eng, argv in (("fouille", [fq, "--db", fdb, "--", q]),
                                  ("shell", ["sqlite3", "-readonly", pdb,
                                             PLAIN_SQL.format(e=plain_expr(q))])):
                    wall, cpu, rc = run(argv, devnull)
                    failed += rc not in (0, 1)
                    ms[eng][0].append(wall)
                    ms[eng][1].append(cpu)
    m = {f"{eng}_{k}_ms": statistics.median(v[i]) for eng, v in ms.items()
         for i, k in enumerate(("wall", "cpu"))}
    print(json.dumps({"bench": "oneshot", "queries": len(queries), "rounds": int(rounds),
                      **m, "ratio_wall": m["fouille_wall_ms"] / m["shell_wall_ms"],
                      "ratio_cpu": m["fouille_cpu_ms"] / m["shell_cpu_ms"], "failed": failed,
                      "loadavg": [load0, os.getloadavg()]}))


if __name__ == "__main__":
    main()
