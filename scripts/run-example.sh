#!/usr/bin/env bash
# The main job on the bundled example: an audit of Kota Padang Panjang's org
# against Perwal Kota Padang Panjang Nomor 48 Tahun 2024, printed for a person.
# Exit status is the audit's: 0 no violation, 1 violations found, 2 bad input.
# Builds the perwal program only (no tests, no benches), in build-app/ (or
# $PERWAL_BUILD_DIR), so it never reconfigures the test build.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PERWAL_BUILD_DIR:-build-app}
PERWAL_BUILD_DIR=$build_dir PERWAL_BUILD_TARGET=perwal \
  ./scripts/build.sh -DBUILD_TESTING=OFF -DPERWAL_BENCH=OFF >&2
exec "./$build_dir/perwal" audit --rules rulesets/padang-panjang-48-2024.perwal \
  --org fixtures/padang-panjang/org.json "$@"
