#!/usr/bin/env bash
# The national-scale measurements behind bench/RESULTS.md (issue 5):
#   1. generates the city, province and nation orgs (perwal gen-org, seed 1),
#      timing each and keeping the generator's report;
#   2. audits each org with the CLI (peak RSS of the whole job) and checks
#      that the audit finds exactly the violations the generator planted;
#   3. compiles each org to a snapshot and audits from the snapshot;
#   4. runs the Google Benchmark suite (bench/scale_bench.cpp's loads, audits
#      and issue-5 queries, and the ruleset compile of bench/core_bench.cpp)
#      with repetitions (the hot and cold latency and the probe are
#      bench/run-cold.sh's);
#   5. writes bench/results/ (raw JSON, tables.md) and the plot
#      bench/results/scale.png.
# Usage: bench/run-scale.sh            (all three scales; the nation needs
#        ~4 GB of disk for its org and snapshot and 3–15 minutes, by VM)
#        PERWAL_BENCH_SCALES=city,province bench/run-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${PERWAL_BUILD_DIR:-build}
./scripts/build.sh -DPERWAL_BENCH=ON >/dev/null
export PERWAL_BENCH_DATA=${PERWAL_BENCH_DATA:-$PWD/$build/bench-data}
export PERWAL_BENCH_SCALES=${PERWAL_BENCH_SCALES:-city,province,nation}
rules=rulesets/padang-panjang-48-2024.perwal
out=bench/results
mkdir -p "$out" "$PERWAL_BENCH_DATA"

# /usr/bin/time -v → "seconds peak_MB"
measure() {
  local log=$1
  shift
  local status=0
  /usr/bin/time -v "$@" 2>"$log.time" || status=$?
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]}
              /Maximum resident set size/ {kb = $2}
              END {printf "%.2f %.0f\n", s, kb / 1024}' "$log.time" >"$log.measure"
  return $status
}

: >"$out/cli.tsv"
for scale in ${PERWAL_BENCH_SCALES//,/ }; do
  org=$PERWAL_BENCH_DATA/$scale-seed1.json
  echo "== $scale =="
  # Always regenerated (seconds even for the nation), so the org matches this build's generator.
  measure "$out/gen-$scale" "$build/perwal" gen-org --scale "$scale" --seed 1 -o "$org" --report "$org.report.json"
  cp "$org.report.json" "$out/gen-$scale.report.json"
  echo -e "$scale\tgen-org\t$(cat "$out/gen-$scale.measure")" >>"$out/cli.tsv"
  status=0
  measure "$out/audit-$scale" "$build/perwal" audit --rules "$rules" --org "$org" --format json \
    >"$PERWAL_BENCH_DATA/audit-$scale.json" || status=$?
  [ "$status" -le 1 ] || { echo "audit failed (exit $status)"; cat "$out/audit-$scale.time"; exit 1; }
  echo -e "$scale\taudit (JSON org, 1 thread)\t$(cat "$out/audit-$scale.measure")" >>"$out/cli.tsv"
  # Exactness: the audit reports exactly the planted violations, rule by rule.
  python3 - "$PERWAL_BENCH_DATA/audit-$scale.json" "$org.report.json" <<'EOF'
import collections, json, sys
audit = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
found = collections.Counter(v["rule"] for v in audit["violations"])
planted = collections.Counter(report["planted_by_rule"])
if found != planted or sum(found.values()) != report["planted"]:
    sys.exit(f"audit is not exact: found {dict(found)}, planted {dict(planted)} (total {report['planted']})")
print(f"audit exact: {report['planted']} planted = {len(audit['violations'])} found, {audit['checked']} checked")
EOF
  measure "$out/compile-org-$scale" "$build/perwal" compile-org "$org" --rules "$rules" -o "${org%.json}.snap"
  echo -e "$scale\tcompile-org\t$(cat "$out/compile-org-$scale.measure")" >>"$out/cli.tsv"
  measure "$out/audit-snap-$scale" "$build/perwal" audit --rules "$rules" --org "${org%.json}.snap" --format json \
    >"$PERWAL_BENCH_DATA/audit-snap-$scale.json" || true
  cmp -s "$PERWAL_BENCH_DATA/audit-$scale.json" "$PERWAL_BENCH_DATA/audit-snap-$scale.json" ||
    { echo "audit from the snapshot differs from the audit from JSON"; exit 1; }
  echo -e "$scale\taudit (snapshot, 1 thread)\t$(cat "$out/audit-snap-$scale.measure")" >>"$out/cli.tsv"
done

echo "== Google Benchmark =="
"$build/bench/perwal_bench" --benchmark_filter='^scale_(load_|audit/|query_)|bm_compile_ruleset' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_out="$out/bench.json" --benchmark_out_format=json

uptime >"$out/uptime.txt"
python3 bench/report.py "$out"
echo "tables: $out/tables.md, plot: $out/scale.png"
