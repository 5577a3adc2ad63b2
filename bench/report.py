#!/usr/bin/env python3
"""Summarises the JSON lines scripts/bench collected: medians of repeated
runs, Fouille / plain FTS5 ratios, and the issue-6 targets beside them.
Prints a table and writes RAW + summary to OUT.json.
Usage: report.py RESULTS.jsonl OUT.json SCALE REPEAT"""
import json
import os
import statistics
import subprocess
import sys


def median(xs):
    return statistics.median(xs) if xs else None


def fmt(x, unit=""):
    if x is None:
        return "n/a"
    return f"{float(x):.3f}{unit}"


def main():
    path, out, scale, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    raw = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip().startswith("{")]
    runs, sizes, other = {}, {}, {}
    for r in raw:
        if r["bench"] == "run":
            runs.setdefault(r["label"], []).append(r)
        elif r["bench"] == "size":
            sizes[r["label"]] = r["bytes"]
        else:
            other.setdefault(r["bench"], []).append(r)
    summary = {"runs": {}, "sizes": sizes, "ratios": {}}
    rows = []
    for label, rs in sorted(runs.items()):
        ok = [r for r in rs if r["rc"] in (0, 1)]
        m = {"median_s": median([r["seconds"] for r in ok]),
             "max_rss_mb": max((r["max_rss_kb"] for r in ok), default=0) / 1024,
             "n": len(ok), "failed": len(rs) - len(ok)}
        summary["runs"][label] = m
        rows.append((label, fmt(m["median_s"], " s"), f"{m['max_rss_mb']:.1f} MB",
                     f"{m['n']} ok, {m['failed']} failed"))
    R = summary["runs"]
    for n in (10000, scale):
        for f in ("txt", "jsonl"):
            # plain_index: one transaction, default journal (the fastest
            # plain load, the target's baseline); plain_wal_index: WAL
            # batches of 2,000, a second row.
            a, b = R.get(f"fouille_index_{n}_{f}"), R.get(f"plain_index_{n}_{f}")
            if a and b and a["median_s"] and b["median_s"]:
                summary["ratios"][f"index_time_{n}_{f} / one-transaction plain (target <= 1.15)"] = \
                    a["median_s"] / b["median_s"]
            w = R.get(f"plain_wal_index_{n}_{f}")
            if a and w and a["median_s"] and w["median_s"]:
                summary["ratios"][f"index_time_{n}_{f} / WAL-batched plain"] = a["median_s"] / w["median_s"]
            sa, sb = sizes.get(f"fouille_db_{n}_{f}"), sizes.get(f"plain_db_{n}_{f}")
            if sa and sb:
                summary["ratios"][f"index_size_{n}_{f} (target <= 1.00)"] = sa / sb
        full = R.get(f"fouille_index_{n}_txt")
        for kind, target in (("noop", "0.03"), ("1pct", "0.05")):
            x = R.get(f"fouille_{kind}_{n}_txt")
            if x and full and full["median_s"]:
                summary["ratios"][f"{kind}_rerun_{n}_txt / full (target <= {target})"] = \
                    x["median_s"] / full["median_s"]
    a, b = R.get(f"fouille_index_10000_txt"), R.get(f"fouille_index_{scale}_txt")
    if not b:  # no .txt rows at the largest scales
        a, b = R.get(f"fouille_index_10000_jsonl"), R.get(f"fouille_index_{scale}_jsonl")
    if a and b and a["max_rss_mb"]:
        summary["ratios"][f"peak_rss_{scale}/10000 (target <= 1.20)"] = b["max_rss_mb"] / a["max_rss_mb"]
    summary["other"] = other

    print(f"\nFouille benchmarks: scale {scale}, {repeat} repeats, medians")
    if rows:
        print(f"{'run':34} {'median':>12} {'peak RSS':>11}  runs")
        for r in rows:
            print(f"{r[0]:34} {r[1]:>12} {r[2]:>11}  {r[3]}")
    for k, v in sizes.items():
        print(f"{'size ' + k:34} {v / 1e6:>10.1f} MB")
    for k, v in summary["ratios"].items():
        print(f"ratio {k}: {v:.3f}")
    for a in other.get("analyzer", []):
        print(f"analyzer: {a['tokens_per_s_cache']:.0f} tokens/s cached, "
              f"{a['tokens_per_s_nocache']:.0f} uncached (x{a['cache_speedup']:.2f}), "
              f"hit rate {a['cache_hit_rate']:.3f}, {a['threads']} threads "
              f"{a['tokens_per_s_threads']:.0f} tokens/s (x{a['thread_scaling']:.2f})")
    for q in other.get("query", []):
        for eng in ("fouille", "plain_fts5"):
            s = q.get(eng)
            if s:
                print(f"query {eng:10}: p50 {s['p50_ms']:.2f} ms  p95 {s['p95_ms']:.2f} ms  "
                      f"p99 {s['p99_ms']:.2f} ms  ({q['queries']} queries x {q['repeat']})")
            else:
                print(f"query {eng:10}: unavailable")
        if q.get("fouille"):
            print(f"query top 10 = exhaustive top 10: {q['top10_equals_exhaustive']}/{q['queries']}"
                  f", = SQL ranking: {q.get('top10_equals_sql', '?')}/{q['queries']}"
                  f"; ratio fouille/plain p50 {q['ratio_p50']:.2f}, p95 "
                  f"{q['fouille']['p95_ms'] / q['plain_fts5']['p95_ms']:.2f} (targets 0.3, 0.15)")
            summary["ratios"]["query p50 in process / plain FTS5 (target <= 0.3)"] = q["ratio_p50"]
            summary["ratios"]["query p95 in process / plain FTS5 (target <= 0.15)"] = \
                q["fouille"]["p95_ms"] / q["plain_fts5"]["p95_ms"]
    for o in other.get("oneshot", []):
        if not o.get("available", True):
            print("one-shot query vs sqlite3 shell: unavailable")
            continue
        print(f"one-shot query vs sqlite3 shell: fouille-query {o['fouille_wall_ms']:.2f} ms"
              f" (CPU {o['fouille_cpu_ms']:.2f}), sqlite3 {o['shell_wall_ms']:.2f} ms"
              f" (CPU {o['shell_cpu_ms']:.2f}): x{o['ratio_wall']:.2f} wall, x{o['ratio_cpu']:.2f}"
              f" CPU (target <= 1.5; medians, {o['queries']} queries x {o['rounds']},"
              f" {o['articles']} articles, {o['failed']} failed)")
        summary["ratios"]["oneshot_query / sqlite3 shell (target <= 1.5)"] = o["ratio_wall"]
    for e in other.get("eval", []):
        fo = e.get("fouille")
        fs = f"MRR@10 {fo['mrr10']:.4f} s@1 {fo['success1']:.4f}" if fo else "unavailable"
        print(f"eval ({e['queries']} queries): fouille {fs} | plain FTS5 MRR@10 "
              f"{e['plain_fts5']['mrr10']:.4f} s@1 {e['plain_fts5']['success1']:.4f} "
              f"(target: fouille > 0.93 and clearly above plain)")
    http = [h for h in other.get("http", []) if h.get("available", True)]
    if other.get("http") and not http:
        print("http: unavailable (fouille-query cannot serve, or no wrk)")
    summary["http"] = {}
    for label in sorted({h["label"] for h in http}, key=lambda l: (l != "rotation", l)):
        hs = [h for h in http if h["label"] == label]
        m = {k: median([h[k] for h in hs]) for k in ("rps", "p50_ms", "p95_ms", "p99_ms")}
        m.update(runs=len(hs), requests=sum(h["requests"] for h in hs),
                 non2xx=sum(h["non2xx"] for h in hs),
                 socket_errors=sum(h["socket_errors"] for h in hs))
        summary["http"][label] = m
        h0 = hs[0]
        what = "'mot de passe'" if label == "typical" else "queries.txt in rotation"
        plain = next((q["plain_fts5"] for q in other.get("query", []) if q.get("plain_fts5")), None)
        if label == "one_client" and plain:
            for k, target in (("p50_ms", "1.0"), ("p95_ms", "0.35")):
                name = f"http one client {k[:3]} / plain FTS5 in process (target <= {target})"
                summary["ratios"][name] = m[k] / plain[k]
                print(f"ratio {name}: {m[k] / plain[k]:.3f}")
        print(f"http {label:9}: {m['rps']:.0f} req/s  p50 {m['p50_ms']:.2f} ms  "
              f"p95 {m['p95_ms']:.2f} ms  p99 {m['p99_ms']:.2f} ms  ({what}, "
              f"{h0['articles']} articles, {h0['connections']} connections, "
              f"{m['runs']} runs x {h0['duration_s']:.0f} s, {m['requests']} requests, "
              f"{m['non2xx']} non-2xx, {m['socket_errors']} socket errors)")
    for e in other.get("export", []):
        x = R.get(e["label"])
        if x and x["median_s"] and e["articles"]:
            summary["export"] = {"articles_per_s": e["articles"] / x["median_s"],
                                 "bytes_per_article": e["bytes"] / e["articles"],
                                 "index_bytes_per_article": e["db_bytes"] / e["articles"]}
            print(f"export: {e['articles']} articles in {x['median_s']:.2f} s: "
                  f"{e['articles'] / x['median_s']:.0f} articles/s, "
                  f"{e['bytes'] / e['articles']:.0f} NDJSON bytes/article "
                  f"(index {e['db_bytes'] / e['articles']:.0f} bytes/article)")
    for s in other.get("http_server", []):
        print(f"http server: {s['queries_not_200']} queries not 200, "
              f"{s['queries_without_hits']} without hits, exit status {s['exit_status']} after SIGTERM")
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except OSError:
        commit = ""
    doc = {"scale": scale, "repeat": repeat, "commit": commit, "cpus": os.cpu_count(),
           "loadavg": os.getloadavg(), "summary": summary, "raw": raw}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
