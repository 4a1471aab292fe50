#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang, ASan and UBSan in
# build-fuzz/ (or $PERWAL_FUZZ_DIR) and runs each for SECONDS (default 60),
# starting from seed corpora made of the project's own rulesets, orgs,
# queries and a compiled snapshot. Fails on the first crash, leak, timeout or
# broken promise; the input that did it is kept as build-fuzz/crash-*.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     TARGET: dsl org query snapshot http sheet
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(dsl org query snapshot http sheet)
dir="${PERWAL_FUZZ_DIR:-build-fuzz}"
./scripts/install-deps.sh
# A build folder already configured for fuzzing is used as it is (CI fuzzes in
# the clang build its sanitizer suite ran in: the engine is compiled once).
if ! grep -q '^PERWAL_FUZZ:BOOL=ON' "$dir/CMakeCache.txt" 2>/dev/null; then
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
    -DPERWAL_FUZZ=ON >/dev/null
fi
cmake --build "$dir" --target $(printf 'fuzz_%s ' "${targets[@]}") perwal

# Seeds: everything of the right kind the repository holds.
seeds="$dir/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"/{dsl,org,query,snapshot,http,sheet}
cp rulesets/*.perwal tests/data/compile/*.perwal "$seeds/dsl/"
find fixtures tests/data/org -name '*.json' -exec cp {} "$seeds/org/" \; 2>/dev/null || true
python3 - "$seeds/query" tests/golden/*/[0-9]*.json <<'PY'
import json, os, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    q = json.load(open(path)).get("query")
    if q is not None:
        name = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)
        open(os.path.join(out, name), "w").write(json.dumps(q))
PY
# HTTP: a request line, then the body (fuzz/fuzz_http.cpp)
n=0
for q in "$seeds"/query/*; do
  n=$((n + 1))
  [ $n -le 40 ] || break
  { echo "POST /v1/check?lang=en"; cat "$q"; } >"$seeds/http/check-$n"
done
printf 'GET /v1/rulesets\n' >"$seeds/http/rulesets"
printf 'GET /v1/orgs/default\n' >"$seeds/http/org"
printf 'POST /v1/audit\n' >"$seeds/http/audit"
{ echo "PUT /v1/orgs/kota"; echo "Authorization: Bearer fuzz-admin"; cat fixtures/padang-panjang/org.json; } >"$seeds/http/upload"
printf 'GET /v1/decisions/x?lang=id\nAuthorization: Bearer fuzz-admin\n' >"$seeds/http/decision"
"$dir/perwal" compile-org fixtures/padang-panjang/org.json --rules rulesets/padang-panjang-48-2024.perwal \
  -o "$seeds/snapshot/padang-panjang.snap"
# Sheets: the bundled orgs exported as CSV and XLSX, and the import tests' own files.
for f in padang-panjang jambi; do
  "$dir/perwal" export "fixtures/$f/org.json" --format csv -o "$seeds/sheet/$f.csv"
  "$dir/perwal" export "fixtures/$f/org.json" --format xlsx -o "$seeds/sheet/$f.xlsx"
done
find tests/data -name '*.csv' -exec cp {} "$seeds/sheet/" \; 2>/dev/null || true

# Two harnesses at a time (one per core); each one's summary is printed when it ends.
fuzz_one() {
  local t="$1" corpus="$dir/corpus/$1"
  mkdir -p "$corpus"
  # -rss_limit_mb and -timeout make memory blow-ups and hangs findings too.
  if ! (cd "$dir" && "./fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=1048576 -print_final_stats=1 "corpus/$t" "seeds/$t" 2>"fuzz-$t.log"); then
    echo "== fuzz_$t for ${seconds}s: FAILED; the end of its log ($dir/fuzz-$t.log):"
    tail -40 "$dir/fuzz-$t.log"
    return 1
  fi
  echo "== fuzz_$t for ${seconds}s: passed"
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$dir/fuzz-$t.log" || true
}
status=0
pids=()
for t in "${targets[@]}"; do
  fuzz_one "$t" >"$dir/fuzz-$t.summary" &
  pids+=($!)
  if [ ${#pids[@]} -eq 2 ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[1]}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
for t in "${targets[@]}"; do cat "$dir/fuzz-$t.summary"; done
exit $status
