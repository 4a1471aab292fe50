#!/usr/bin/env bash
# Configures and builds perwal into $PERWAL_BUILD_DIR (default build/).
# Extra arguments go to CMake's configure step (e.g. -DPERWAL_SANITIZE=ON);
# $PERWAL_BUILD_TARGET, when set, builds that target only (e.g. perwal).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build_dir=${PERWAL_BUILD_DIR:-build}
generator=()
# A new build dir uses Ninja when there is one; an existing one keeps its generator.
if [ ! -f "$build_dir/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE="${PERWAL_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
target=()
if [ -n "${PERWAL_BUILD_TARGET:-}" ]; then target=(--target "$PERWAL_BUILD_TARGET"); fi
cmake --build "$build_dir" "${target[@]}" -j"$(nproc)"
