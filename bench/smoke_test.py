#!/usr/bin/env python3
"""bench.smoke (CTest): runs perwal_bench's probes and hot/cold query
benchmarks briefly (a few ms each) on the city org and checks what they report.

smoke_test.py PERWAL_BENCH WORK_DIR. Asserts that every expected benchmark
ran without error, that the compact query streams give back valid queries
(kedudukan mostly allowed; every complete penugasan allowed, every
incomplete one not), and that the allocation and miss counters are there
and consistent. Then gives the output to `report.py --cold` as two
processes' results (and one as the loads on one core) and checks the report
merges them (every repetition of both, the loads with each process's first)
and shows the loads on one core apart. No timing is asserted.
"""
import json
import os
import pathlib
import subprocess
import sys

TYPES = ["kedudukan", "pelaporan", "tim", "penugasan_complete", "penugasan_incomplete"]
COLD_QUERIES = 2000


def main(binary, work):
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)
    out = work / "smoke.json"
    env = dict(os.environ, PERWAL_BENCH_SCALES="city", PERWAL_BENCH_COLD_QUERIES=str(COLD_QUERIES),
               PERWAL_BENCH_PROBE_MB="64", PERWAL_BENCH_DATA=str(work / "data"))
    subprocess.run([binary, "--benchmark_filter=^probe_|^scale_(hot|cold|load)_", "--benchmark_min_time=0.002",
                    f"--benchmark_out={out}", "--benchmark_out_format=json"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    runs = {b["run_name"]: b for b in json.loads(out.read_text())["benchmarks"]}
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    # A snapshot's loads, in full and on record: each reports an error if a load checked the file otherwise.
    for name in ("scale_load_snapshot/city", "scale_load_snapshot_on_record/city"):
        b = next((b for n, b in runs.items() if n.startswith(name + "/")), None)
        check(b is not None, f"{name}: did not run")
        if b is not None:
            check(not b.get("error_occurred"), f"{name}: {b.get('error_message')}")
    expected = ["probe_miss_latency/4k_pages", "probe_miss_latency/huge_pages"] + [
        f"scale_{kind}_{t}/city/{src}" for t in TYPES for kind in ("hot", "cold") for src in ("json", "snapshot")]
    for name in expected:
        b = runs.get(name)
        check(b is not None, f"{name}: did not run")
        if b is None:
            continue
        check(not b.get("error_occurred"), f"{name}: {b.get('error_message')}")
        check(b.get("cpu_time", 0) > 0, f"{name}: no time")
        if name.startswith("probe_"):
            check(b.get("buffer_MB") == 64, f"{name}: buffer {b.get('buffer_MB')} MiB, not 64")
            continue
        want = COLD_QUERIES if "_cold_" in name else 4096
        check(b.get("queries") == want, f"{name}: {b.get('queries')} queries in the stream, not {want}")
        check("allocs_per_query" in b and b.get("alloc_bytes_per_query", -1) >= b.get("allocs_per_query", 0),
              f"{name}: allocation counters missing or inconsistent")
        check("misses_worth_4k" in b and "misses_worth_huge" in b, f"{name}: misses' worth counters missing")
        share = b.get("allowed_share", -1)
        if "_kedudukan/" in name:
            check(share > 0.9, f"{name}: allowed share {share} (the stream gives back wrong queries?)")
        if "_penugasan_complete/" in name:
            check(share == 1, f"{name}: a complete penugasan was not allowed (share {share})")
        if "_penugasan_incomplete/" in name:
            check(share == 0, f"{name}: an incomplete penugasan was allowed (share {share})")
    failures += report_failures(out, work / "report")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


def report_failures(out, folder):
    """report.py --cold over `out` given as the results of two processes."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in (1, 2):
        (folder / f"cold-{i}.json").write_text(out.read_text())
    (folder / "load-onecore-1.json").write_text(out.read_text())  # as run-cold's `loads` stage names its own
    report = pathlib.Path(__file__).resolve().parent / "report.py"
    done = subprocess.run([sys.executable, str(report), "--cold", "--doc", "-", str(folder)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        return [f"report.py --cold failed: {done.stderr.strip()}"]
    text = (folder / "cold.md").read_text()
    failures = []
    if "of 2 separate processes" not in text:
        failures.append("report.py: the two processes' results are not said to be merged")
    if "2 for each per-query benchmark" not in text:
        failures.append("report.py: a per-query benchmark's repetitions are not those of both processes")
    row = next((line for line in text.splitlines() if line.startswith("| kedudukan | json |")), None)
    if row is None or row.count(" / ") < 4:
        failures.append(f"report.py: no hot/cold min / median / max row for kedudukan from JSON: {row}")
    load = next((line for line in text.splitlines() if line.startswith("| city | json |")), None)
    if load is None or len(load.split("|")[4].split(" / ")) != 2:
        failures.append(f"report.py: the city's JSON load without the first load of each of the 2 processes: {load}")
    for how in ("in full", "on record"):
        if not any(line.startswith(f"| city | snapshot {how}, one core |") for line in text.splitlines()):
            failures.append(f"report.py: the snapshot loads {how} on one core (load-onecore-*.json) are not reported")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
