#!/usr/bin/env bash
# perwal vs Cedar vs Cerbos on the same generated orgs and queries
# (bench/peers/README.md). From the repo root or anywhere:
#
#   bench/peers/run.sh
#
# Environment: PERWAL_BUILD_DIR (default build), PEERS_SCALES (default
# "city province"), PEERS_QUERIES (queries per scale, default 10000),
# PEERS_SEED (default 48), PEERS_MIN_SECONDS (timing budget per engine and
# scale, default 3), PEERS_CONCURRENCY (gRPC requests in flight to Cerbos, a
# comma list, default 1,8,32). Writes bench/peers/results.json and results.md; exits 1
# when the engines disagree on any query.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
build=${PERWAL_BUILD_DIR:-build}
scales=${PEERS_SCALES:-city province}
nq=${PEERS_QUERIES:-10000}
seed=${PEERS_SEED:-48}
secs=${PEERS_MIN_SECONDS:-3}
rules=rulesets/padang-panjang-48-2024.perwal
work=$here/work
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== peers: npm ci (versions pinned in package-lock.json)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

echo "== perwal: build ($build)"
PERWAL_BUILD_DIR=$build ./scripts/build.sh -DPERWAL_BENCH=ON
cmake --build "$build" --target perwal_peer >/dev/null
perwal=$build/perwal
peer=$build/bench/perwal_peer

mkdir -p "$work"
python3 - "$work/machine.json" <<'EOF'
import json, os, platform, sys, time
cpu = "?"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
json.dump({"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}, open(sys.argv[1], "w"))
EOF

dirs=()
for scale in $scales; do
  d=$work/$scale
  mkdir -p "$d"
  echo "== $scale: org"
  if [ "$scale" = fixture ] || [ "$scale" = cross ]; then
    # The bundled orgs: Padang Panjang (2,779 positions) and the cross-ruleset
    # org (two instansi, an FP-led UPTD): no gen-org report, no planted ids.
    org=fixtures/padang-panjang/org.json
    [ "$scale" = cross ] && org=tests/cross/org.json
    rm -f "$d/gen-report.json"
  else
    org=$d/org.json
    "$perwal" gen-org --scale "$scale" --seed "$seed" -o "$org" >"$d/gen-report.json" 2>"$d/gen-org.txt" || {
      cat "$d/gen-org.txt" >&2
      exit 2
    }
  fi
  python3 - "$org" "$scale" "$d/scale.json" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
counts = {k: len(o.get(k) or []) for k in ("instansi", "units", "positions", "employees", "delegations", "teams")}
json.dump({"scale": sys.argv[2], "org": sys.argv[1], "counts": counts}, open(sys.argv[3], "w"))
print(f"   {counts}")
EOF
  echo "== $scale: $nq queries"
  planted=()
  [ -s "$d/gen-report.json" ] && planted=(--planted "$d/gen-report.json")
  python3 "$here/gen_queries.py" "$org" "$nq" "$d" --seed "$seed" "${planted[@]}"
  before=$(load)
  echo "== $scale: perwal (load $before)"
  # --threads: perwal's throughput on as many threads as the Cerbos PDP gets (every core).
  "$peer" "$rules" "$org" "$d/queries.jsonl" "$d/perwal.txt" --min-seconds "$secs" --threads "$(nproc)" >"$d/perwal.json"
  echo "== $scale: Cedar, entity slice per request"
  node "$here/cedar_peer.cjs" "$d/facts.jsonl" "$d/cedar.txt" --min-seconds "$secs" >"$d/cedar.json"
  echo "== $scale: Cedar, facts in context"
  node "$here/cedar_peer.cjs" "$d/facts.jsonl" "$d/cedar_context.txt" --variant context --min-seconds "$secs" \
    >"$d/cedar_context.json"
  echo "== $scale: Cerbos, HTTP then gRPC (${PEERS_CONCURRENCY:-1,8,32} in flight)"
  node "$here/cerbos_peer.cjs" "$d/facts.jsonl" "$d/cerbos.txt" "$d/cerbos" --min-seconds "$secs" \
    --grpc-decisions "$d/cerbos_grpc.txt" --concurrency "${PEERS_CONCURRENCY:-1,8,32}" >"$d/cerbos.json"
  after=$(load)
  python3 - "$d/scale.json" "$before" "$after" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["load_before"], m["load_after"] = sys.argv[2], sys.argv[3]
json.dump(m, open(sys.argv[1], "w"))
EOF
  dirs+=("$d")
done

echo "== agreement and results"
python3 "$here/compare.py" "$here/results.json" "$here/results.md" "${dirs[@]}"
