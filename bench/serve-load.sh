#!/usr/bin/env bash
# Load test of `perwal serve` with wrk (keep-alive connections): single-query
# checks and the batch endpoint, with the decision log at synchronous=FULL
# (power-loss safe) and NORMAL (kill -9 safe). Writes bench/serve-results.md.
#
#   bench/serve-load.sh [DURATION_SECONDS]     (default 15; PERWAL_BUILD_DIR=build)
#
# SERVE_ROUNDS (default 3) rounds, each running every workload once with a
# fresh server, so that the machine's drift spreads over all of them; the
# table gives min / median / max over the rounds.
#
# wrk runs on the same machine as the server and takes CPU from it; the
# numbers are for this machine as it was when measured, see the file header.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
build=${PERWAL_BUILD_DIR:-build}
perwal=$build/perwal
out=bench/serve-results.md
[ -x "$perwal" ] || { echo "build first: $perwal not found" >&2; exit 2; }
. bench/serve-common.sh
# Query bodies: see serve-common.sh; batches of $batch_size.
batch_size=1000
serve_setup serve-load "$batch_size"

rounds=${SERVE_ROUNDS:-3}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
measured=$work/measured.tsv  # one line per workload and round
: >"$measured"
run() {  # $1 label, $2 sync, $3 bodies file, $4 connections, $5 decisions per request
  serve_start "$perwal" "$2"
  local url="http://127.0.0.1:$(cat "$work/port")"
  # Warm up (page cache, allocator, SQLite), then measure.
  PERWAL_BODIES="$3" wrk -t2 -c"$4" -d3s -s bench/serve-check.lua "$url" >/dev/null
  local cmd="wrk -t2 -c$4 -d${duration}s --latency -s bench/serve-check.lua $url"
  echo "== $1 ($2): $cmd" >&2
  local result
  result=$(PERWAL_BODIES="$3" $cmd | tee /dev/stderr | grep '^RESULT')
  local decisions
  decisions=$(curl -s "$url/metrics" | awk '/^perwal_decisions_total/ {s += $2} END {print s}')
  serve_stop
  eval "$(echo "$result" | sed 's/^RESULT //; s/\([a-z0-9_]*\)=/local \1=/g')"
  local errors=$((errors_connect + errors_read + errors_write + errors_status + errors_timeout))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$4" "$5" "$rps" "$p50_us" "$p90_us" "$p99_us" \
    "$errors" "$decisions" >>"$measured"
}

for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds" >&2
  run "single check, golden mix" full "$work/single.txt" 32 1
  run "single check, golden mix" normal "$work/single.txt" 32 1
  run "single check, kedudukan" full "$work/kedudukan.txt" 32 1
  run "single check, kedudukan" normal "$work/kedudukan.txt" 32 1
  run "single check, kedudukan" full "$work/kedudukan.txt" 4 1
  run "single check, kedudukan" normal "$work/kedudukan.txt" 4 1
  run "batch of $batch_size, golden mix" full "$work/batch.txt" 4 "$batch_size"
  run "batch of $batch_size, golden mix" normal "$work/batch.txt" 4 "$batch_size"
  run "batch of $batch_size, kedudukan" full "$work/kedudukan-batch.txt" 4 "$batch_size"
  run "batch of $batch_size, kedudukan" normal "$work/kedudukan-batch.txt" 4 "$batch_size"
done
# The HTTP layer alone, for scale: no body, no decision, no log.
serve_start "$perwal" normal
healthz=$(wrk -t2 -c32 -d"${duration}s" "http://127.0.0.1:$(cat "$work/port")/healthz" | awk '/Requests\/sec/ {print $2}')
serve_stop

# A hand-written "## Reading" section at the end of the results survives a new run.
reading=""
if [ -f "$out" ]; then reading=$(sed -n '/^## Reading/,$p' "$out"); fi
{
  echo "# perwal serve under load"
  echo
  echo "Written by \`bench/serve-load.sh $duration\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
  echo "load average (1, 5, 15 min) before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "(the machine is shared with other jobs; wrk's 2 threads run on the same cores as the server)."
  echo "Build: $build ($(grep -m1 CMAKE_BUILD_TYPE "$build/CMakeCache.txt" | cut -d= -f2)). Keep-alive connections; each run ${duration} s after a 3 s warm-up."
  echo "Queries: the Padang Panjang golden queries (kedudukan, penugasan, pelaporan, tim; $(wc -l <"$work/single.txt") of them), cycled, or one kedudukan query; the org of"
  echo "fixtures/padang-panjang (2,779 positions). Every decision is logged (SQLite WAL) before it is answered."
  echo
  echo "Each workload ran $rounds times (a round runs them all in turn); requests/s and p99: min / **median** / max over"
  echo "the rounds; decisions/s, p50 and p90: medians; errors and decisions logged: summed."
  echo
  echo "| workload | log sync | connections | requests/s | decisions/s | p50 ms | p90 ms | p99 ms | errors | decisions logged |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  python3 - "$measured" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, sync, conns, per, rps, p50, p90, p99, errors, logged = line.rstrip("\n").split("\t")
    rows.setdefault((label, sync, conns, int(per)), []).append(
        (float(rps), float(p50) / 1000, float(p90) / 1000, float(p99) / 1000, int(errors), int(float(logged or 0))))
for (label, sync, conns, per), runs in rows.items():
    rps = [r[0] for r in runs]
    p99 = [r[3] for r in runs]
    med = statistics.median
    print(f"| {label} | {sync} | {conns} | {min(rps):,.0f} / **{med(rps):,.0f}** / {max(rps):,.0f} | "
          f"{med(rps) * per:,.0f} | {med(r[1] for r in runs):.2f} | {med(r[2] for r in runs):.2f} | "
          f"{min(p99):.2f} / **{med(p99):.2f}** / {max(p99):.2f} | {sum(r[4] for r in runs)} | "
          f"{sum(r[5] for r in runs):,} |")
PY
  echo
  echo "For scale, \`GET /healthz\` (cpp-httplib alone: no body, no decision, no log) with the same wrk settings: $healthz requests/s."
  if [ -n "$reading" ]; then echo; echo "$reading"; fi
} >"$out"
echo "wrote $out" >&2
