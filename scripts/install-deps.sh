#!/usr/bin/env bash
# Installs every build and test dependency of perwal from Debian's packages.
# Idempotent: skips apt entirely when all packages are already present.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  tao-pegtl-dev libboost-graph-dev nlohmann-json3-dev libsimdjson-dev libxxhash-dev catch2 libbenchmark-dev
  libcpp-httplib-dev libsqlite3-dev libpq-dev libssl-dev openssl wrk
  gnuplot-nox time clang-format
  clang libclang-rt-dev
  python3 python3-jsonschema
  libzip-dev libpugixml-dev libxlsxwriter-dev libcsv-dev libgraphviz-dev
  libcli11-dev groff-base
  dpkg-dev file binutils
)
# Tests only (scripts/run-tests.sh sets PERWAL_TEST_DEPS=1): the report is
# rendered in a real browser (headless Chromium) and its PDF pages counted
# (poppler-utils); replicas are tested against a throw-away PostgreSQL
# cluster (postgresql: initdb and pg_ctl); the Debian package's test
# (tests/package_test.sh) checks its unit with systemd-analyze (package
# systemd; systemd need not be running); the nginx configuration in
# packaging/nginx/ is run in front of two replicas (nginx, started by the test
# with its own prefix, not as the system's service). The main job
# (scripts/run-example.sh) needs none of them.
if [ "${PERWAL_TEST_DEPS:-0}" = "1" ]; then packages+=(chromium poppler-utils fonts-dejavu-core systemd postgresql nginx); fi
# The VS Code extension's tests (scripts/vscode-test.sh) need node and npm;
# a machine that already has them (e.g. a newer node) keeps its own.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
