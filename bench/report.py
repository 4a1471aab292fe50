#!/usr/bin/env python3
"""Turns bench/run-scale.sh's raw results into tables and a plot.

Reads RESULTS_DIR/bench.json (Google Benchmark, aggregates of repetitions),
RESULTS_DIR/cli.tsv (wall seconds and peak RSS of CLI jobs) and the
generator reports; writes RESULTS_DIR/tables.md, RESULTS_DIR/scale.dat and
RESULTS_DIR/scale.png (gnuplot). Standard library only.
"""
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
              "| scale | load JSON | peak RSS growth | load snapshot | peak RSS growth | audit, 1 thread | "
              "audit, 2 threads |", "|---|---|---|---|---|---|---|"]
    for s in scales:
        load = find(agg, f"scale_load_json/{s}")
        rss = load.get("counters", {}).get("peak_rss_growth_MB", 0) if load else 0
        snap = find(agg, f"scale_load_snapshot/{s}")
        snap_rss = snap.get("counters", {}).get("peak_rss_growth_MB", 0) if snap else 0
        lines.append(f"| {s} | {cell(load, 'real')} | {rss:,.0f} MB | {cell(snap, 'real')} | {snap_rss:,.0f} MB"
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


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results")
