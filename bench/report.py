#!/usr/bin/env python3
"""Turns bench/run-scale.sh's and bench/run-cold.sh's raw results into tables.

report.py [RESULTS_DIR]: reads RESULTS_DIR/bench.json (Google Benchmark,
aggregates of repetitions), RESULTS_DIR/cli.tsv (wall seconds and peak RSS of
CLI jobs) and the generator reports; writes RESULTS_DIR/tables.md,
RESULTS_DIR/scale.dat and RESULTS_DIR/scale.png (gnuplot).

report.py --cold [--doc FILE] [RESULTS_DIR]: reads RESULTS_DIR/cold-*.json (every
repetition of each benchmark process) and RESULTS_DIR/cold-uptime.txt; writes RESULTS_DIR/cold.md
(hot and cold latency and the org loads, min/median/max over every repetition
of every process, the miss-latency probe, misses' worth, allocations per
query, issue 16's targets) and puts the same text into bench/RESULTS.md
between its "cold:begin" and "cold:end" markers.
Standard library only.
"""
import argparse
import json
import pathlib
import subprocess
import sys

SCALES = ["city", "province", "nation"]
QUERY_TYPES = ["kedudukan", "pelaporan", "tim", "penugasan_complete", "penugasan_incomplete"]
NS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def aggregates(bench):
    """name -> {median, stddev, cv, ...} of real and CPU time in ns, plus counters of the median."""
    out = {}
    for b in bench["benchmarks"]:
        if b.get("run_type") != "aggregate":
            continue
        name, agg = b["run_name"], b["aggregate_name"]
        scale = NS[b.get("time_unit", "ns")]
        entry = out.setdefault(name, {})
        entry[agg] = {"real": b["real_time"] * scale, "cpu": b["cpu_time"] * scale}
        if agg == "median":
            entry["counters"] = {k: v for k, v in b.items() if isinstance(v, (int, float)) and k not in (
                "real_time", "cpu_time", "iterations", "repetitions", "repetition_index", "threads", "family_index",
                "per_family_instance_index")}
    return out


def find(agg, prefix):
    """The entry named `prefix` or `prefix/…` (Google Benchmark appends the run options to the name)."""
    for name, entry in agg.items():
        if name == prefix or name.startswith(prefix + "/"):
            return entry
    return None


def fmt_time(ns):
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def cell(entry, clock="cpu"):
    if not entry or "median" not in entry:
        return "—"
    med = entry["median"][clock]
    spread = entry.get("stddev", {}).get(clock)
    return fmt_time(med) + (f" ± {fmt_time(spread)}" if spread is not None else "")


def main(results):
    results = pathlib.Path(results)
    agg = aggregates(json.loads((results / "bench.json").read_text()))
    context = json.loads((results / "bench.json").read_text())["context"]
    cli = {}
    tsv = results / "cli.tsv"
    if tsv.exists():
        for line in tsv.read_text().splitlines():
            scale, job, measured = line.split("\t")
            seconds, mb = measured.split()
            cli[(scale, job)] = (float(seconds), float(mb))
    reports = {}
    for s in SCALES:
        p = results / f"gen-{s}.report.json"
        if p.exists():
            reports[s] = json.loads(p.read_text())
    scales = [s for s in SCALES if find(agg, f"scale_load_json/{s}")]

    lines = [f"Machine: {context.get('host_name', '?')}, {context.get('num_cpus')} CPUs at "
             f"{context.get('mhz_per_cpu')} MHz; load average during the run: "
             f"{(results / 'uptime.txt').read_text().strip() if (results / 'uptime.txt').exists() else '?'}",
             "", "Times are medians of the repetitions ± their standard deviation.", ""]

    lines += ["### Orgs", "", "| scale | instansi | units | positions | teams | delegations | checked | planted | "
              "JSON file |", "|---|---|---|---|---|---|---|---|---|"]
    for s in scales:
        r = reports.get(s, {})
        c = find(agg, f"scale_load_json/{s}").get("counters", {})
        lines.append(f"| {s} | {r.get('instansi', '?'):,} | {r.get('units', '?'):,} | {r.get('positions', '?'):,} | "
                     f"{r.get('teams', '?'):,} | {r.get('delegations', '?'):,} | {r.get('checked', '?'):,} | "
                     f"{r.get('planted', '?'):,} | {c.get('file_MB', 0):,.0f} MB |")

    lines += ["", "### Load and audit (in process, Google Benchmark; wall clock)", "",
              "| scale | load JSON | peak RSS growth | load snapshot (in full) | peak RSS growth | "
              "load snapshot (on record) | audit, 1 thread | audit, 2 threads |", "|---|---|---|---|---|---|---|---|"]
    for s in scales:
        load = find(agg, f"scale_load_json/{s}")
        rss = load.get("counters", {}).get("peak_rss_growth_MB", 0) if load else 0
        snap = find(agg, f"scale_load_snapshot/{s}")
        snap_rss = snap.get("counters", {}).get("peak_rss_growth_MB", 0) if snap else 0
        lines.append(f"| {s} | {cell(load, 'real')} | {rss:,.0f} MB | {cell(snap, 'real')} | {snap_rss:,.0f} MB"
                     f" | {cell(find(agg, f'scale_load_snapshot_on_record/{s}'), 'real')}"
                     f" | {cell(find(agg, f'scale_audit/{s}/threads:1'), 'real')}"
                     f" | {cell(find(agg, f'scale_audit/{s}/threads:2'), 'real')} |")

    lines += ["", "### Per-query latency (in process, no trace; CPU time per query)", "",
              "| query | " + " | ".join(scales) + " |", "|---" * (len(scales) + 1) + "|"]
    for q in QUERY_TYPES:
        lines.append(f"| {q} | " + " | ".join(cell(find(agg, f"scale_query_{q}/{s}")) for s in scales) + " |")
    compile_entry = find(agg, "bm_compile_ruleset")
    lines += ["", f"Ruleset compile (Padang Panjang 48/2024 with its base): {cell(compile_entry)}", ""]

    if cli:
        lines += ["### Whole CLI jobs (`/usr/bin/time -v`: wall clock, peak RSS of the process)", "",
                  "| scale | job | wall | peak RSS |", "|---|---|---|---|"]
        for (s, job), (seconds, mb) in cli.items():
            lines.append(f"| {s} | {job} | {seconds:.2f} s | {mb:,.0f} MB |")
    (results / "tables.md").write_text("\n".join(lines) + "\n")

    # Plot: latency per query type and memory against org size.
    rows = []
    for s in scales:
        load = find(agg, f"scale_load_json/{s}")
        positions = load["counters"].get("positions", 0)
        lat = [(find(agg, f"scale_query_{q}/{s}") or {}).get("median", {}).get("cpu", float("nan")) for q in QUERY_TYPES]
        rss = load["counters"].get("peak_rss_growth_MB", float("nan"))
        audit_mb = cli.get((s, "audit (JSON org, 1 thread)"), (0, float("nan")))[1]
        snap_mb = cli.get((s, "audit (snapshot, 1 thread)"), (0, float("nan")))[1]
        rows.append([positions] + lat + [rss, audit_mb, snap_mb])
    dat = results / "scale.dat"
    dat.write_text("positions " + " ".join(QUERY_TYPES) + " load_rss_growth_MB cli_audit_peak_MB cli_audit_snapshot_peak_MB\n" +
                   "\n".join(" ".join(f"{v:g}" for v in r) for r in rows) + "\n")
    plot = f"""
set terminal pngcairo size 1200,500 font ',10' noenhanced
set output '{results / 'scale.png'}'
set multiplot layout 1,2 title 'perwal at city, province and national scale (Padang Panjang 48/2024 rules)'
set logscale x
set xlabel 'positions in the org'
set grid
set key top left
set ylabel 'median CPU time per query (ns)'
set title 'Per-query latency'
plot for [i=2:6] '{dat}' using 1:i with linespoints lw 2 title columnhead(i)
set ylabel 'MB'
set logscale y
set title 'Memory'
plot '{dat}' using 1:7 with linespoints lw 2 title 'peak RSS growth while loading the JSON org', \\
     '{dat}' using 1:8 with linespoints lw 2 title 'peak RSS of perwal audit, JSON org (whole process)', \\
     '{dat}' using 1:9 with linespoints lw 2 title 'peak RSS of perwal audit, snapshot (whole process)'
unset multiplot
"""
    subprocess.run(["gnuplot"], input=plot, text=True, check=True)


COLD_TYPES = ["kedudukan", "pelaporan", "tim", "penugasan_complete", "penugasan_incomplete"]
# Issue 16's targets on the national org: (query type, hot or cold, at most ns).
COLD_TARGETS = [("kedudukan", "cold", 1000), ("kedudukan", "hot", 300), ("pelaporan", "cold", 1000),
                ("pelaporan", "hot", 300), ("penugasan_complete", "cold", 3000)]
# ... and its loads of the national org (wall clock, at most ns).
LOAD_TARGETS = {"json": 5e9, "snapshot": 300e6}
RESULTS_DOC = pathlib.Path(__file__).resolve().parent / "RESULTS.md"
MARKERS = ("<!-- cold:begin (generated by bench/report.py --cold; edit the script, not this) -->",
           "<!-- cold:end -->")


def repetitions(benches):
    """run_name -> {"cpu": [ns per repetition], "real": [...], "first": [ns of each process's first
    repetition, wall clock], "counters": [counters per repetition]}, over every process's file."""
    out = {}
    for bench in benches:
        seen = set()
        for b in bench["benchmarks"]:
            if b.get("run_type") != "iteration" or b.get("error_occurred"):
                continue
            name = b["run_name"]
            entry = out.setdefault(name, {"cpu": [], "real": [], "first": [], "counters": []})
            unit = NS[b.get("time_unit", "ns")]
            entry["cpu"].append(b["cpu_time"] * unit)
            entry["real"].append(b["real_time"] * unit)
            if name not in seen:
                seen.add(name)
                entry["first"].append(b["real_time"] * unit)
            entry["counters"].append({k: v for k, v in b.items() if isinstance(v, (int, float))})
    return out


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def spread(entry, clock="cpu"):
    """min / median / max of the CPU (or wall-clock) time over the repetitions."""
    if not entry:
        return "—"
    v = entry[clock]
    return f"{fmt_time(min(v))} / **{fmt_time(median(v))}** / {fmt_time(max(v))}"


def counter(entry, key):
    if not entry:
        return None
    values = [c[key] for c in entry["counters"] if key in c]
    return median(values) if values else None


def cold_report(results, doc=RESULTS_DOC):
    """`doc`: the file whose cold section is replaced (None: only RESULTS_DIR/cold.md is written)."""
    results = pathlib.Path(results)
    files = sorted(results.glob("cold-*.json"), key=lambda f: int(f.stem.split("-")[1]))
    if not files:
        sys.exit(f"{results}: no cold-*.json (bench/run-cold.sh writes them)")
    benches = [json.loads(f.read_text()) for f in files]
    runs = repetitions(benches)
    # The snapshot loads again, with the other core busy and on one core (run-cold's `loads` stage).
    variants = []
    for prefix, label in (("load-busy", "the other core busy"), ("load-onecore", "one core")):
        vfiles = sorted(results.glob(f"{prefix}-*.json"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
        if vfiles:
            variants.append((label, repetitions([json.loads(f.read_text()) for f in vfiles])))
    context = benches[0]["context"]
    uptime = (results / "cold-uptime.txt").read_text().strip().splitlines() if (
        results / "cold-uptime.txt").exists() else []
    scales = [s for s in SCALES if any(n.startswith(f"scale_cold_kedudukan/{s}/") for n in runs)]
    sources = [src for src in ("json", "snapshot") if any(n.endswith("/" + src) for n in runs)]
    probe = {kind: runs.get(f"probe_miss_latency/{kind}") for kind in ("4k_pages", "huge_pages")}
    miss = {kind: median(e["cpu"]) if e else None for kind, e in probe.items()}

    def worth(ns, kind):
        return f"{ns / miss[kind]:.1f}" if ns is not None and miss[kind] else "—"

    lines = [f"Run: {context.get('date', '?')} on {context.get('host_name', '?')} ({context.get('num_cpus')} CPUs at "
             f"{context.get('mhz_per_cpu')} MHz, L3 "
             f"{max((c['size'] for c in context.get('caches', []) if c.get('level') == 3), default=0) >> 20} MiB), "
             f"perwal_bench (RelWithDebInfo) under `nice -n 10`; the Debian libbenchmark reports itself as a "
             f"{context.get('library_build_type', '?')} build, which does not affect the timed code.",
             "", "Load average (1/5/15 min) before and after the run:", ""]
    lines += [f"- `{u.strip()}`" for u in uptime] or ["- not recorded"]
    per_query = max((len(e["cpu"]) for n, e in runs.items() if n.startswith("scale_")
                     and not n.startswith("scale_load_")), default=0)
    lines += ["", "Times are CPU time per query (per load for the probe; wall clock for the org loads): "
              f"min / **median** / max over every repetition of {len(benches)} separate "
              f"process{'es' if len(benches) > 1 else ''}: {per_query} for each per-query benchmark, "
              f"{len(runs.get('probe_miss_latency/huge_pages', {}).get('cpu', []))} for each probe, and every "
              "repetition of each load benchmark (its own count per process).", "",
              "#### Dependent-miss latency (pointer chase, `probe_miss_latency/*`)", "",
              "| pages | ns per dependent load | buffer | of it on huge pages |", "|---|---|---|---|"]
    for kind, label in (("4k_pages", "4 KiB (MADV_NOHUGEPAGE)"), ("huge_pages", "2 MiB (MADV_HUGEPAGE)")):
        e = probe[kind]
        lines.append(f"| {label} | {spread(e)} | {counter(e, 'buffer_MB') or 0:,.0f} MiB | "
                     f"{counter(e, 'anon_huge_MB') or 0:,.0f} MiB |")

    lines += ["", "#### Hot and cold per-query latency", "",
              "Hot: 4,096 random queries, cycled: on a city everything they touch stays in cache; on the nation "
              "the lines they touch (a few MB) would fit in the L3, but they lie on tens of thousands of pages, "
              "far more than the TLB holds, and the L3 is shared with the other tenants. Cold: "
              f"{int(counter(runs.get(f'scale_cold_kedudukan/{scales[0]}/json'), 'queries') or 0):,} random queries "
              "read once each per pass. Misses' worth = median CPU time ÷ median probe latency (huge pages / 4 KiB "
              "pages). `scale_query_*` (parsed JSON queries spread evenly, issue 5) for comparison.", ""]
    for s in scales:
        lines += [f"**{s}** ({counter(runs.get(f'scale_cold_kedudukan/{s}/json'), 'positions') or 0:,.0f} positions)",
                  "", "| query | org from | hot | cold | cold ÷ hot | misses' worth, cold (huge / 4k) | "
                  "allocations per query (bytes) | cold stream, bytes per query | issue-5 hot |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for q in COLD_TYPES:
            for src in sources:
                hot = runs.get(f"scale_hot_{q}/{s}/{src}")
                cold = runs.get(f"scale_cold_{q}/{s}/{src}")
                if not hot and not cold:
                    continue
                cold_ns = median(cold["cpu"]) if cold else None
                ratio = f"{cold_ns / median(hot['cpu']):.2f}" if hot and cold else "—"
                allocs = counter(cold or hot, "allocs_per_query")
                alloc_bytes = counter(cold or hot, "alloc_bytes_per_query")
                old = runs.get(f"scale_query_{q}/{s}") if src == "json" else None
                stream_mb, n_queries = counter(cold, "stream_MB"), counter(cold, "queries")
                per_query = f"{stream_mb * 1e6 / n_queries:.0f}" if stream_mb and n_queries else "—"
                lines.append(f"| {q} | {src} | {spread(hot)} | {spread(cold)} | {ratio} | "
                             f"{worth(cold_ns, 'huge_pages')} / {worth(cold_ns, '4k_pages')} | "
                             f"{'—' if allocs is None else f'{allocs:.1f} ({alloc_bytes:,.0f} B)'} | {per_query} | "
                             f"{fmt_time(median(old['cpu'])) if old else ''} |")
        lines.append("")

    # A snapshot's first load verifies it in full; later ones of the unchanged file are on record.
    snapshot_loads = (("in full", "scale_load_snapshot"), ("on record", "scale_load_snapshot_on_record"))
    loads = [(s, "json", find(runs, f"scale_load_json/{s}")) for s in scales]
    loads += [(s, f"snapshot {how}", find(runs, f"{name}/{s}")) for s in scales for how, name in snapshot_loads]
    loads += [(s, f"snapshot {how}, {label}", find(vruns, f"{name}/{s}"))
              for label, vruns in variants for s in scales for how, name in snapshot_loads]
    loads = [(s, src, e) for s, src, e in loads if e]
    if loads:
        lines += ["#### Org loads (wall clock, the file in the page cache)", "",
                  "The first load in a process touches memory the process has never used (the kernel clears "
                  "each page on first touch); later ones reuse what the allocator kept, so the first is also "
                  "shown apart.", "",
                  "| scale | from | load | the first in each process | peak RSS growth |", "|---|---|---|---|---|"]
        for s, src, e in loads:
            first = " / ".join(fmt_time(t) for t in e["first"])
            lines.append(f"| {s} | {src} | {spread(e, 'real')} | {first} | "
                         f"{counter(e, 'peak_rss_growth_MB') or 0:,.0f} MB |")
        lines.append("")

    if "nation" in scales:
        lines += ["#### Issue 16's targets (national org, median)", "",
                  "| target | org from | measured | met? |", "|---|---|---|---|"]
        for q, kind, limit in COLD_TARGETS:
            for src in sources:
                e = runs.get(f"scale_{kind}_{q}/nation/{src}")
                if not e:
                    continue
                m = median(e["cpu"])
                lines.append(f"| {q} {kind} ≤ {fmt_time(limit)} | {src} | {fmt_time(m)} "
                             f"({worth(m, 'huge_pages')} misses) | {'met' if m <= limit else '**missed**'} |")
        for s, src, e in loads:
            if s == "nation":
                limit = LOAD_TARGETS[src.split()[0]]
                m = median(e["real"])
                lines.append(f"| load ≤ {fmt_time(limit)} | {src} | {fmt_time(m)} (max {fmt_time(max(e['real']))}) | "
                             f"{'met' if m <= limit else '**missed**'} |")
        lines.append("")
    text = "\n".join(lines)
    (results / "cold.md").write_text(text)
    if doc is None:
        return
    body = doc.read_text()
    begin, end = MARKERS
    if begin in body and end in body:
        head, rest = body.split(begin, 1)
        body = head + begin + "\n\n" + text + "\n" + end + rest.split(end, 1)[1]
        doc.write_text(body)
    else:
        print(f"{doc}: no cold markers; the section is in {results / 'cold.md'}", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="bench/run-scale.sh's and bench/run-cold.sh's results as tables")
    parser.add_argument("--cold", action="store_true", help="the hot/cold report (bench/run-cold.sh's results)")
    parser.add_argument("--doc", default=str(RESULTS_DOC),
                        help="with --cold: the file whose cold section is replaced ('-': none)")
    parser.add_argument("results", nargs="?", default="bench/results", help="the results folder")
    a = parser.parse_args()
    if a.cold:
        cold_report(a.results, None if a.doc == "-" else pathlib.Path(a.doc))
    else:
        main(a.results)
