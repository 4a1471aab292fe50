#!/usr/bin/env bash
# Builds the Debian package of perwal: a Release build (no tests, no benches)
# in $PERWAL_PACKAGE_BUILD_DIR (default build-package/), then CPack into the
# folder given (default dist/). Prints the package's path.
#   scripts/package.sh [OUT_DIR]
# Out: perwal_<version>-1_<arch>.deb (the binary stripped) and
# perwal-dbgsym_<version>-1_<arch>.ddeb (its debug info, by build id).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
build_dir=${PERWAL_PACKAGE_BUILD_DIR:-build-package}
# Release's -O3, plus -g so that the dbgsym package has something to carry
# (CPack strips the binary of the main package). Prefix /usr: the binary's
# fallback path to its bundled files is /usr/share/perwal.
PERWAL_BUILD_DIR=$build_dir PERWAL_BUILD_TYPE=Release ./scripts/build.sh -DBUILD_TESTING=OFF -DPERWAL_BENCH=OFF \
  -DPERWAL_FUZZ=OFF -DPERWAL_SANITIZE=OFF -DCMAKE_INSTALL_PREFIX=/usr "-DCMAKE_CXX_FLAGS_RELEASE=-O3 -DNDEBUG -g" >&2
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/perwal_*.deb "$out"/perwal-dbgsym_*.ddeb
cpack --config "$build_dir/CPackConfig.cmake" -B "$out" >&2
rm -rf "$out/_CPack_Packages"
ls "$out"/perwal_*.deb
