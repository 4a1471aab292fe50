#!/usr/bin/env bash
# The long differential run (issue 12 item 6): the optimized evaluator
# against the naive reference (tests/reference) on [cases] random orgs and
# queries (default 100000), with the test binary of $PERWAL_BUILD_DIR
# (default build/, built with BUILD_TESTING=ON). PERWAL_DIFF_SEED changes the
# seed. Prints the tally and the wall time; exits non-zero on a disagreement.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-100000}"
bin="${PERWAL_BUILD_DIR:-build}/tests/perwal_tests"
[[ -x "$bin" ]] || { echo "differential: $bin not found (build with -DBUILD_TESTING=ON)" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
status=0
PERWAL_DIFF_CASES="$cases" "$bin" "[differential]" >"$log" 2>&1 || status=$?
cat "$log"
echo "differential: ${cases} cases in $(( $(date +%s) - start )) s, exit ${status}"
exit "$status"
