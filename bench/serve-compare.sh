#!/usr/bin/env bash
# Two builds of `perwal serve` under the same wrk load, alternately, RUNS
# times each (default 3), DURATION seconds per run (default 10): single
# checks (the golden mix, 32 connections) and batches of 1000 (the golden mix
# and one kedudukan query, 4 connections), the log at --log-sync full.
# Prints a Markdown table of min / median / max per workload and build, and
# the load average before and after. 127.0.0.1 only.
#
#   bench/serve-compare.sh BEFORE_BINARY AFTER_BINARY [RUNS] [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 runs=${3:-3} duration=${4:-10}
for b in "$before" "$after"; do [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }; done
. bench/serve-common.sh
serve_setup serve-compare 1000

# One run: prints "decisions/s p99_ms errors".
measure() {  # $1 binary, $2 bodies, $3 connections, $4 decisions per request
  serve_start "$1" full
  local url="http://127.0.0.1:$(cat "$work/port")"
  PERWAL_BODIES="$2" wrk -t2 -c"$3" -d2s -s bench/serve-check.lua "$url" >/dev/null
  local line
  line=$(PERWAL_BODIES="$2" wrk -t2 -c"$3" -d"${duration}s" --latency -s bench/serve-check.lua "$url" | grep '^RESULT')
  serve_stop
  echo "$line" | awk -v n="$4" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%.0f %.2f %d\n", v["rps"] * n, v["p99_us"] / 1000,
      v["errors_connect"] + v["errors_read"] + v["errors_write"] + v["errors_status"] + v["errors_timeout"]
  }'
}

declare -A results
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
workloads=("single|$work/single.txt|32|1" "batch|$work/batch.txt|4|1000" "kbatch|$work/kedudukan-batch.txt|4|1000")
for ((r = 1; r <= runs; r++)); do
  for w in "${workloads[@]}"; do
    IFS='|' read -r name bodies conns per <<<"$w"
    for which in before after; do
      bin=$before
      [ "$which" = after ] && bin=$after
      out=$(measure "$bin" "$bodies" "$conns" "$per")
      echo "run $r $name $which: $out (decisions/s p99_ms errors)" >&2
      results[$name.$which]+="$out;"
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

summary() {  # "$values" column: min/median/max of that column over the runs
  tr ';' '\n' <<<"$1" | awk -v c="$2" 'NF {print $c}' | sort -g |
    awk '{a[NR] = $1} END {printf "%s / %s / %s", a[1], a[int((NR + 1) / 2)], a[NR]}'
}
echo "load average before: $load_before, after: $load_after; $runs runs of ${duration} s each, alternating builds"
echo
echo "| workload | build | decisions/s min / median / max | p99 ms min / median / max | errors |"
echo "|---|---|---|---|---|"
for w in "${workloads[@]}"; do
  IFS='|' read -r name _ conns per <<<"$w"
  label="single check, golden mix, $conns connections"
  [ "$name" = batch ] && label="batch of $per, golden mix, $conns connections"
  [ "$name" = kbatch ] && label="batch of $per, kedudukan, $conns connections"
  for which in before after; do
    v=${results[$name.$which]}
    errors=$(tr ';' '\n' <<<"$v" | awk 'NF {s += $3} END {print s}')
    echo "| $label | $which | $(summary "$v" 1) | $(summary "$v" 2) | $errors |"
  done
done
