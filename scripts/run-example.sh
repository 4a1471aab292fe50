#!/usr/bin/env bash
# The main job on the bundled example: an audit of Kota Padang Panjang's org
# against Perwal Kota Padang Panjang Nomor 48 Tahun 2024, printed for a person.
# Exit status is the audit's: 0 no violation, 1 violations found, 2 bad input.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
exec ./build/perwal audit --rules rulesets/padang-panjang-48-2024.perwal \
  --org fixtures/padang-panjang/org.json "$@"
