#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, golden scenarios, CLI, the
# examples inside each ruleset, install) through CTest, in build/ (or
# $PERWAL_BUILD_DIR). Warnings are errors here, and the benches are built
# (not run) so they keep compiling. Extra arguments go to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
PERWAL_TEST_DEPS=1 ./scripts/build.sh -DBUILD_TESTING=ON -DPERWAL_WERROR=ON -DPERWAL_BENCH=ON "$@"
ctest --test-dir "${PERWAL_BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
