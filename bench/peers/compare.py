#!/usr/bin/env python3
"""Agreement check and results of the peer comparison (Python 3 stdlib only).

    compare.py OUT.json OUT.md SCALE_DIR...

Each SCALE_DIR (written by run.sh) holds scale.json (name, org, counts),
queries.jsonl, labels.txt, the decisions of every engine variant (perwal.txt,
cedar.txt, cedar_context.txt, cerbos.txt over HTTP, cerbos_grpc.txt) and the
timings perwal.json / cedar.json / cedar_context.json / cerbos.json (which
holds the gRPC figures too). Exits 1, listing the first disagreements with
their queries, when any two variants do not give the same allow/deny on every
query.
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


# The peers' decision files, one per engine variant; all must agree with perwal.
PEER_VARIANTS = ("cedar", "cedar_context", "cerbos", "cerbos_grpc")


def lat(x):
    return f"{us(x['median_ns']):.1f} ({us(x['p10_ns']):.1f}–{us(x['p90_ns']):.1f})"


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
        peers = {v: lines(os.path.join(d, v + ".txt")) for v in PEER_VARIANTS}
        n = len(queries)
        if not all(len(x) == n for x in [perwal, labels, *peers.values()]):
            print(f"{meta['scale']}: answer counts differ: queries {n}, perwal {len(perwal)}, " +
                  ", ".join(f"{v} {len(x)}" for v, x in peers.items()), file=sys.stderr)
            failed = True
            continue
        disagreements = [i for i in range(n) if any(x[i] != perwal[i][0] for x in peers.values())]
        if disagreements:
            failed = True
            print(f"{meta['scale']}: {len(disagreements)} of {n} queries disagree; the first ones:", file=sys.stderr)
            for i in disagreements[:10]:
                print(f"  line {i + 1} [{labels[i]}]: perwal {perwal[i][0]} ({perwal[i][1]}), " +
                      ", ".join(f"{v} {x[i]}" for v, x in peers.items()) + f"\n    {queries[i]}", file=sys.stderr)
        kinds = collections.Counter(json.loads(q)["type"] for q in queries)
        outcomes = collections.Counter(p[1] for p in perwal)
        by_type = collections.Counter(f"{json.loads(q)['type']}.{p[1]}" for q, p in zip(queries, perwal))
        by_label = collections.Counter(f"{l} {p[1]}" for l, p in zip(labels, perwal))
        scopes = collections.Counter(p[2] for q, p in zip(queries, perwal)
                                     if len(p) > 2 and json.loads(q)["type"] == "penugasan")
        t = {e: load(os.path.join(d, e + ".json")) for e in ("perwal", "cedar", "cedar_context", "cerbos")}
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
            "variants_checked": ["perwal", *PEER_VARIANTS],
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
    md.append("Per-decision latency: median (p10–p90) in µs, each decision timed alone over repeated passes "
              "(for gRPC with several requests in flight: each request's round trip, queueing included). "
              "Throughput: decisions/s over the fastest whole pass. Ratios: the peer's median latency over perwal's, "
              "perwal's throughput over the peer's.")
    md.append("")
    for s in results["scales"]:
        t = s["timing"]
        pw, ce, cx, cb = t["perwal"], t["cedar"], t["cedar_context"], t["cerbos"]
        g = cb.get("grpc", {})
        c = s["org_counts"]
        md.append(f"## {s['scale']}: {c.get('positions', '?'):,} positions, {c.get('units', '?'):,} units, "
                  f"{c.get('instansi', '?')} instansi — {s['queries']:,} queries, "
                  f"{s['disagreements']} disagreements across {len(s['variants_checked'])} engine variants")
        md.append("")
        md.append(f"Queries: {s['query_types'].get('kedudukan', 0)} kedudukan, {s['query_types'].get('penugasan', 0)} "
                  f"penugasan; perwal: " + ", ".join(f"{k} {v}" for k, v in sorted(s['outcomes_by_type'].items())) +
                  f" (allow {s['allow']}, deny {s['deny']}); penugasan scopes as perwal derives them: " +
                  ", ".join(f"{k} {v}" for k, v in s["penugasan_scopes"].items()) +
                  f". Load average before/after: {s['load_before']} / {s['load_after']}.")
        md.append("")
        md.append("**As called** (each engine the way an application calls it):")
        md.append("")
        md.append("| engine | latency median (p10–p90) µs | throughput decisions/s | perwal latency × faster | "
                  "perwal throughput × higher |")
        md.append("|---|---|---|---|---|")
        base = pw["check"]

        def row(name, x):
            md.append(f"| {name} | {lat(x)} | {x['decisions_per_s']:,.0f} | {ratio(x['median_ns'], base['median_ns'])} "
                      f"| {ratio(base['decisions_per_s'], x['decisions_per_s'])} |")

        md.append(f"| perwal (in-process, parsed query, 1 thread) | {lat(base)} | {base['decisions_per_s']:,.0f} "
                  "| 1× | 1× |")
        row("perwal (in-process, JSON text → parse + check)", pw["parse_and_check"])
        row(f"Cedar {ce.get('version', '')} (wasm in Node), entity slice per request", ce["check"])
        row(f"Cedar {cx.get('version', '')} (wasm in Node), facts in context, bare entities", cx["check"])
        row("Cerbos (PDP over HTTP, 1 resource/request, 1 in flight)", cb["check"])
        tpb = cb["batched"]["decisions_per_s"]
        md.append(f"| Cerbos (PDP over HTTP, {cb['batch_size']} resources/request, 1 in flight) | — | {tpb:,.0f} | — | "
                  f"{ratio(base['decisions_per_s'], tpb)} |")
        for kind in ("single", "batched"):
            for x in g.get(kind, []):
                lx = {"median_ns": x["request_median_ns"], "p10_ns": x["request_p10_ns"], "p90_ns": x["request_p90_ns"]}
                k = x["resources_per_request"]
                name = f"Cerbos (PDP over gRPC, {k} resource{'s' if k > 1 else ''}/request, {x['concurrency']} in flight)"
                # A request's round trip with others queued beside it is not one decision's latency: no ratio.
                r1 = ratio(x["request_median_ns"], base["median_ns"]) if k == 1 and x["concurrency"] == 1 else "—"
                md.append(f"| {name} | {lat(lx)}{' per request' if k > 1 else ''} | {x['decisions_per_s']:,.0f} | {r1} | "
                          f"{ratio(base['decisions_per_s'], x['decisions_per_s'])} |")
        md.append("")
        # Engine to engine: the peer's call with as little around it as this harness can make.
        thr = pw.get("threaded") or {}
        # Cerbos's best with several requests in flight, one resource per request and batched.
        best = {k: max((x for x in g.get(k, []) if x["concurrency"] > 1), key=lambda x: x["decisions_per_s"],
                       default=None) for k in ("single", "batched")}
        e2e = {
            "cedar_context_vs_perwal_latency": cx["check"]["median_ns"] / base["median_ns"],
            "cedar_context_eval_estimate_ns": max(0, cx["check"]["median_ns"] - cx["input_only"]["median_ns"])
            if cx.get("input_only") else None,
            "cerbos_grpc_best_concurrent": best,
            "perwal_threads": thr.get("threads"),
            "perwal_threaded_decisions_per_s": thr.get("decisions_per_s"),
            "pdp_threads": g.get("pdp_threads"),
        }
        for k, x in best.items():
            if x and thr.get("decisions_per_s"):
                e2e[f"perwal_vs_cerbos_grpc_{k}_throughput"] = thr["decisions_per_s"] / x["decisions_per_s"]
        s["engine_to_engine"] = e2e
        md.append("**Engine to engine** (the peer with as little around its engine as this harness can make; "
                  "see the caveats in README.md):")
        md.append("")
        md.append("| comparison | peer | perwal | perwal × |")
        md.append("|---|---|---|---|")
        md.append(f"| latency: Cedar, facts in context, vs perwal in-process parsed query | {lat(cx['check'])} µs | "
                  f"{lat(base)} µs | {ratio(cx['check']['median_ns'], base['median_ns'])} |")
        if cx.get("input_only"):
            est = e2e["cedar_context_eval_estimate_ns"]
            md.append(f"| latency: Cedar, the same minus the same request against a permit-all policy "
                      f"({us(cx['input_only']['median_ns']):.1f} µs), medians subtracted: a rough estimate of its "
                      f"policy evaluation | {us(est):.1f} µs | {us(base['median_ns']):.1f} µs | "
                      f"{ratio(est, base['median_ns'])} |")
        for x in best.values():
            if x and thr.get("decisions_per_s"):
                k = x["resources_per_request"]
                md.append(f"| throughput: Cerbos over gRPC, {k} resource{'s' if k > 1 else ''}/request, best with "
                          f"several in flight ({x['concurrency']}), PDP on {g.get('pdp_threads')} threads, vs perwal "
                          f"on {thr['threads']} threads | {x['decisions_per_s']:,.0f} /s | {thr['decisions_per_s']:,.0f} /s "
                          f"| {ratio(thr['decisions_per_s'], x['decisions_per_s'])} |")
        md.append("")
        ec, ex = ce.get("empty_call"), cx.get("empty_call")
        if ec and ex:
            md.append(f"Cedar floor: a call with one permit-all policy, no entities and an empty context takes "
                      f"{lat(ec)} µs (entity run) / {lat(ex)} µs (context run). The same requests against that "
                      f"permit-all policy: entity slice {lat(ce['input_only'])} µs, context {lat(cx['input_only'])} µs.")
            md.append("")
        md.append("Latency by query type, median (p10–p90) µs:")
        md.append("")
        md.append("| engine | kedudukan | penugasan |")
        md.append("|---|---|---|")
        for name, x in (("perwal", pw), ("Cedar, entity slice", ce), ("Cedar, facts in context", cx),
                        ("Cerbos HTTP, 1 resource/request", cb)):
            cells = []
            for k in ("kedudukan", "penugasan"):
                v = x.get("by_type", {}).get(k)
                cells.append(lat(v) if v else "—")
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
    print("agreement: perwal, Cedar (entities, context) and Cerbos (HTTP, gRPC) give the same allow/deny on every query")


if __name__ == "__main__":
    main()
