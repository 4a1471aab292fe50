#!/usr/bin/env python3
"""Agreement check and results of the peer comparison (Python 3 stdlib only).

    compare.py OUT.json OUT.md SCALE_DIR...

Each SCALE_DIR (written by run.sh) holds scale.json (name, org, counts),
queries.jsonl, labels.txt, the decisions perwal.txt / cedar.txt / cerbos.txt
and the timings perwal.json / cedar.json / cerbos.json. Exits 1, listing the
first disagreements with their queries, when the three engines do not give
the same allow/deny on every query.
"""
import collections
import json
import os
import sys


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def us(ns):
    return ns / 1000.0


def ratio(a, b):
    if not a or not b:
        return "—"
    r = a / b
    return f"{r:.1f}×" if r < 10 else f"{r:.0f}×"


def main():
    out_json, out_md, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    results = {"machine": {}, "scales": []}
    if os.path.exists(os.path.join(dirs[0], "..", "machine.json")):
        results["machine"] = load(os.path.join(dirs[0], "..", "machine.json"))
    failed = False
    for d in dirs:
        meta = load(os.path.join(d, "scale.json"))
        queries = lines(os.path.join(d, "queries.jsonl"))
        labels = lines(os.path.join(d, "labels.txt"))
        perwal = [l.split("\t") for l in lines(os.path.join(d, "perwal.txt"))]
        cedar = lines(os.path.join(d, "cedar.txt"))
        cerbos = lines(os.path.join(d, "cerbos.txt"))
        n = len(queries)
        if not (len(perwal) == len(cedar) == len(cerbos) == len(labels) == n):
            print(f"{meta['scale']}: answer counts differ: queries {n}, perwal {len(perwal)}, "
                  f"cedar {len(cedar)}, cerbos {len(cerbos)}", file=sys.stderr)
            failed = True
            continue
        disagreements = [i for i in range(n) if not (perwal[i][0] == cedar[i] == cerbos[i])]
        if disagreements:
            failed = True
            print(f"{meta['scale']}: {len(disagreements)} of {n} queries disagree; the first ones:", file=sys.stderr)
            for i in disagreements[:10]:
                print(f"  line {i + 1} [{labels[i]}]: perwal {perwal[i][0]} ({perwal[i][1]}), cedar {cedar[i]}, "
                      f"cerbos {cerbos[i]}\n    {queries[i]}", file=sys.stderr)
        kinds = collections.Counter(json.loads(q)["type"] for q in queries)
        outcomes = collections.Counter(p[1] for p in perwal)
        by_type = collections.Counter(f"{json.loads(q)['type']}.{p[1]}" for q, p in zip(queries, perwal))
        by_label = collections.Counter(f"{l} {p[1]}" for l, p in zip(labels, perwal))
        scopes = collections.Counter(p[2] for q, p in zip(queries, perwal)
                                     if len(p) > 2 and json.loads(q)["type"] == "penugasan")
        t = {e: load(os.path.join(d, e + ".json")) for e in ("perwal", "cedar", "cerbos")}
        results["scales"].append({
            "scale": meta["scale"],
            "org": meta["org"],
            "org_counts": meta.get("counts", {}),
            "queries": n,
            "query_types": dict(kinds),
            "perwal_outcomes": dict(outcomes),
            "outcomes_by_type": dict(sorted(by_type.items())),
            "outcomes_by_case": dict(sorted(by_label.items())),
            "penugasan_scopes": dict(sorted(scopes.items())),
            "allow": sum(1 for p in perwal if p[0] == "allow"),
            "deny": sum(1 for p in perwal if p[0] == "deny"),
            "disagreements": len(disagreements),
            "load_before": meta.get("load_before"),
            "load_after": meta.get("load_after"),
            "timing": t,
        })

    md = ["# perwal vs Cedar vs Cerbos: measured", ""]
    m = results["machine"]
    if m:
        md.append(f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores shared with other work; "
                  f"{m.get('date', '')}. Load averages (1/5/15 min) before and after each scale are in the table "
                  "notes: the numbers are noisy.")
        md.append("")
    md.append("Per-decision latency: median (p10–p90) in µs, each decision timed alone over repeated passes. "
              "Throughput: decisions/s over the fastest whole pass. Ratios: the peer's median latency over perwal's, "
              "perwal's throughput over the peer's.")
    md.append("")
    for s in results["scales"]:
        t = s["timing"]
        pw, ce, cb = t["perwal"], t["cedar"], t["cerbos"]
        c = s["org_counts"]
        md.append(f"## {s['scale']}: {c.get('positions', '?'):,} positions, {c.get('units', '?'):,} units, "
                  f"{c.get('instansi', '?')} instansi — {s['queries']:,} queries, "
                  f"{s['disagreements']} disagreements")
        md.append("")
        md.append(f"Queries: {s['query_types'].get('kedudukan', 0)} kedudukan, {s['query_types'].get('penugasan', 0)} "
                  f"penugasan; perwal: " + ", ".join(f"{k} {v}" for k, v in sorted(s['outcomes_by_type'].items())) +
                  f" (allow {s['allow']}, deny {s['deny']}); penugasan scopes as perwal derives them: " +
                  ", ".join(f"{k} {v}" for k, v in s["penugasan_scopes"].items()) +
                  f". Load average before/after: {s['load_before']} / {s['load_after']}.")
        md.append("")
        md.append("| engine | latency median (p10–p90) µs | throughput decisions/s | perwal latency × faster | "
                  "perwal throughput × higher |")
        md.append("|---|---|---|---|---|")

        def row(name, x, base_lat, base_tp):
            lat = f"{us(x['median_ns']):.1f} ({us(x['p10_ns']):.1f}–{us(x['p90_ns']):.1f})"
            tp = x["decisions_per_s"]
            r1 = ratio(x["median_ns"], base_lat)
            r2 = ratio(base_tp, tp)
            md.append(f"| {name} | {lat} | {tp:,.0f} | {r1} | {r2} |")

        base = pw["check"]
        md.append(f"| perwal (in-process, parsed query) | {us(base['median_ns']):.1f} ({us(base['p10_ns']):.1f}–"
                  f"{us(base['p90_ns']):.1f}) | {base['decisions_per_s']:,.0f} | 1× | 1× |")
        row("perwal (in-process, JSON text → parse + check)", pw["parse_and_check"], base["median_ns"],
            base["decisions_per_s"])
        row(f"Cedar {ce.get('version', '')} (wasm in Node, preparsed policies)", ce["check"], base["median_ns"],
            base["decisions_per_s"])
        row("Cerbos (PDP over HTTP, 1 resource/request)", cb["check"], base["median_ns"], base["decisions_per_s"])
        tpb = cb["batched"]["decisions_per_s"]
        md.append(f"| Cerbos (PDP over HTTP, {cb['batch_size']} resources/request) | — | {tpb:,.0f} | — | "
                  f"{ratio(base['decisions_per_s'], tpb)} |")
        md.append("")
        md.append("Latency by query type, median (p10–p90) µs:")
        md.append("")
        md.append("| engine | kedudukan | penugasan |")
        md.append("|---|---|---|")
        for name, x in (("perwal", pw), ("Cedar", ce), ("Cerbos, 1 resource/request", cb)):
            cells = []
            for k in ("kedudukan", "penugasan"):
                v = x.get("by_type", {}).get(k)
                cells.append(f"{us(v['median_ns']):.1f} ({us(v['p10_ns']):.1f}–{us(v['p90_ns']):.1f})" if v else "—")
            md.append(f"| {name} | {cells[0]} | {cells[1]} |")
        md.append("")
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    with open(out_md, "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    if failed:
        print("AGREEMENT FAILED", file=sys.stderr)
        sys.exit(1)
    print("agreement: perwal, Cedar and Cerbos give the same allow/deny on every query")


if __name__ == "__main__":
    main()
