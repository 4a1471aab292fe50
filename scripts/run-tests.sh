#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, golden scenarios, CLI, the
# examples inside each ruleset) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh "$@"
ctest --test-dir "${PERWAL_BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
