#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then the installed perwal, run
# from another folder, finds a bundled ruleset by its id.
#   tests/install_test.sh BUILD_DIR SOURCE_DIR [CMAKE]
set -euo pipefail
build=$1
src=$2
cmake=${3:-cmake}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null
perwal=$tmp/prefix/bin/perwal
[ -x "$perwal" ] || fail "no $perwal"
[ -f "$tmp/prefix/share/perwal/rulesets/padang-panjang-48-2024.perwal" ] || fail "bundled rulesets not installed"
[ -f "$tmp/prefix/share/perwal/rulesets/permenpanrb-7-2022.perwal" ] || fail "the base ruleset is not installed"
[ -f "$tmp/prefix/share/doc/perwal/README.md" ] || fail "README.md not installed"
[ -d "$tmp/prefix/share/doc/perwal/docs" ] || fail "docs/ not installed"
[ -f "$tmp/prefix/share/perwal/data/perangkat-daerah.json" ] || fail "the Perangkat Daerah structure is not installed"
[ -f "$tmp/prefix/share/man/man1/perwal.1" ] || fail "the manual page perwal(1) is not installed"
[ -f "$tmp/prefix/share/man/id/man1/perwal.1" ] || fail "the Indonesian manual page is not installed"
[ -f "$tmp/prefix/share/bash-completion/completions/perwal" ] || fail "the bash completion is not installed"
[ -f "$tmp/prefix/share/perwal/regulations/jambi-13-2025.txt" ] || fail "the regulations' texts are not installed"
[ -f "$tmp/prefix/share/perwal/regulations/padang-panjang-48-2024-lampiran.restore" ] || fail "the texts' restorations are not installed"

mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
unset PERWAL_PATH

# The bundled org has planted violations: exit 1 and a violation named.
status=0
out=$("$perwal" audit --rules padang-panjang-48-2024 --org "$src/fixtures/padang-panjang/org.json" 2>&1) || status=$?
[ "$status" -eq 1 ] || { echo "$out"; fail "audit by id exited $status, expected 1"; }
grep -q 'Pelanggaran\|violation' <<<"$out" || { echo "$out"; fail "the audit names no violation"; }

# An unknown id: exit 2 and a message saying where it looked, the installed
# rulesets among them (and not the source tree: an installed binary uses its own).
status=0
out=$("$perwal" audit --rules no-such-ruleset --org "$src/fixtures/padang-panjang/org.json" 2>&1) || status=$?
[ "$status" -eq 2 ] || { echo "$out"; fail "unknown id exited $status, expected 2"; }
grep -q 'no-such-ruleset' <<<"$out" || { echo "$out"; fail "the message does not name the id"; }
grep -qF "$tmp/prefix/share/perwal/rulesets" <<<"$out" || { echo "$out"; fail "the message does not list the installed rulesets"; }
if grep -qF "$src/rulesets" <<<"$out"; then echo "$out"; fail "an installed binary searched the source tree"; fi

# PERWAL_PATH comes first.
mkdir "$tmp/mine"
cp "$src/rulesets/padang-panjang-48-2024.perwal" "$src/rulesets/permenpanrb-7-2022.perwal" "$tmp/mine/"
status=0
out=$(PERWAL_PATH="$tmp/nowhere:$tmp/mine" "$perwal" audit --rules padang-panjang-48-2024 \
  --org "$src/fixtures/padang-panjang/org.json" 2>&1) || status=$?
[ "$status" -eq 1 ] || { echo "$out"; fail "audit by id through PERWAL_PATH exited $status, expected 1"; }
# gen-org reads the installed structure file and default ruleset.
status=0
out=$("$perwal" gen-org --scale city --seed 1 -o "$tmp/city.json" 2>&1) || status=$?
[ "$status" -eq 0 ] || { echo "$out"; fail "gen-org from the installed binary exited $status"; }
[ -s "$tmp/city.json" ] || fail "gen-org wrote nothing"
# import reads the installed dictionary and checks against the installed base ruleset.
[ -f "$tmp/prefix/share/perwal/data/import-dictionary.json" ] || fail "the import dictionary is not installed"
status=0
out=$("$perwal" import "$src/tests/data/import/siasn-flat.csv" -o "$tmp/siasn.json" 2>&1) || status=$?
[ "$status" -eq 0 ] || { echo "$out"; fail "import from the installed binary exited $status"; }
[ -s "$tmp/siasn.json" ] || fail "import wrote nothing"
echo "install_test: ok"
