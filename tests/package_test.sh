#!/usr/bin/env bash
# The Debian package, end to end on this machine: CPack from the build folder
# (no second compile), then dpkg -i, the installed perwal audits a bundled
# city from the installed files only, the unit passes `systemd-analyze
# verify`, the unit's own command line serves from the default config as an
# unprivileged user, and dpkg --purge leaves the machine as it was found.
#   tests/package_test.sh BUILD_DIR VERSION
# Needs root (dpkg -i): scripts/run-tests.sh runs as root in CI.
set -euo pipefail
build=$1
version=$2
fail() { echo "package_test: FAIL: $*" >&2; exit 1; }
start=$(date +%s)
step() { echo "package_test: $* ($(($(date +%s) - start)) s)"; }

[ "$(id -u)" -eq 0 ] || fail "must run as root: it installs the package into this machine with dpkg -i" \
  "and purges it afterwards (run scripts/run-tests.sh as root, as CI does)"
for tool in cpack dpkg dpkg-deb readelf systemd-analyze setpriv python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh with PERWAL_TEST_DEPS=1 installs it)"
done
# Never replace or purge an installation that was here before.
if dpkg-query -W -f='${Status}' perwal 2>/dev/null | grep -qv 'not-installed'; then
  fail "a perwal package is already on this machine ($(dpkg-query -W -f='${Status} ${Version}' perwal));" \
    "the test would replace and purge it: remove it first (dpkg --purge perwal)"
fi
for p in /usr/bin/perwal /etc/perwal /usr/share/perwal /var/lib/perwal /var/lib/private/perwal; do
  [ ! -e "$p" ] || fail "$p exists although no perwal package is installed: it is not this test's to overwrite"
done

tmp=$(mktemp -d)
installed=0
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ "$installed" = 1 ]; then dpkg --purge perwal >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# 1. The package, from the binary this build already made.
cpack --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 || {
  cat "$tmp/cpack.log"
  fail "cpack failed"
}
deb=$(ls "$tmp"/pkg/perwal_*.deb)
ddeb=$(ls "$tmp"/pkg/perwal-dbgsym_*.ddeb) || fail "no perwal-dbgsym .ddeb next to $deb"
step "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB) and $(basename "$ddeb") ($(du -k "$ddeb" | cut -f1) KiB)"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = perwal ] || fail "Package is $(field Package)"
[[ "$(field Version)" == "$version"-* ]] || fail "Version $(field Version) is not $version-N"
# Depends comes from dpkg-shlibdeps: the shared libraries the binary links.
depends=$(field Depends)
for lib in libc6 libstdc++6 libsqlite3- libssl libxxhash libzip libpugixml libxlsxwriter libcsv libgvc libcgraph libcpp-httplib; do
  grep -qF ", $lib" <<<", $depends" || fail "Depends lacks $lib: $depends"
done
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/perwal ./usr/lib/systemd/system/perwal.service ./etc/perwal/perwal.conf \
  ./usr/share/perwal/rulesets/padang-panjang-48-2024.perwal ./usr/share/perwal/rulesets/permenpanrb-7-2022.perwal \
  ./usr/share/perwal/regulations/padang-panjang-48-2024-batang-tubuh.txt ./usr/share/perwal/data/perangkat-daerah.json \
  ./usr/share/perwal/examples/padang-panjang/org.json ./usr/share/man/man1/perwal.1 ./usr/share/man/id/man1/perwal.1 \
  ./usr/share/bash-completion/completions/perwal ./usr/share/doc/perwal/docs/deployment.md \
  ./usr/share/doc/perwal/examples/nginx/perwal.conf; do
  grep -q " $f\$" <<<"$contents" || fail "the package lacks $f"
done
# Nothing of the build or the tests in it.
if grep -qE 'perwal_tests|CMakeFiles|\.o$' <<<"$contents"; then fail "build files in the package"; fi
dpkg-deb -e "$deb" "$tmp/control"
[ "$(cat "$tmp/control/conffiles")" = /etc/perwal/perwal.conf ] || fail "conffiles is: $(cat "$tmp/control/conffiles")"

# The binary is stripped; its debug info is in the .ddeb under its build id.
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -x "$ddeb" "$tmp/dbg"
if readelf -S "$tmp/root/usr/bin/perwal" | grep -q '\.debug_info'; then fail "the packaged binary is not stripped"; fi
build_id=$(readelf -n "$tmp/root/usr/bin/perwal" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
[ -n "$build_id" ] || fail "the packaged binary has no build id"
debug_file=$tmp/dbg/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug
[ -f "$debug_file" ] || fail "the .ddeb has no $debug_file"
readelf -S "$debug_file" 2>/dev/null | grep -q '\.debug_info' || fail "the .debug file carries no .debug_info"
step "stripped binary $(du -k "$tmp/root/usr/bin/perwal" | cut -f1) KiB, debug info $(du -k "$debug_file" | cut -f1) KiB (build id $build_id)"

# 2. Installed into this machine.
installed=1
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || {
  cat "$tmp/dpkg.log"
  fail "dpkg -i failed"
}
dpkg-query -W -f='${Status}' perwal | grep -q 'install ok installed' || fail "dpkg does not list perwal as installed"
step "installed"

cd "$tmp"
unset PERWAL_PATH PERWAL_SHARE_DIR PERWAL_STRUCTURE
[ "$(command -v perwal)" = /usr/bin/perwal ] || fail "perwal on PATH is $(command -v perwal), not /usr/bin/perwal"
out=$(/usr/bin/perwal --version) || fail "perwal --version failed"
grep -qF "$version" <<<"$out" || fail "perwal --version says \"$out\", not $version"

# A bundled city from the installed files: the example org under its ruleset,
# by id and by path (planted violations: exit 1, violations named).
for rules in padang-panjang-48-2024 /usr/share/perwal/rulesets/padang-panjang-48-2024.perwal; do
  status=0
  out=$(/usr/bin/perwal audit --rules "$rules" --org /usr/share/perwal/examples/padang-panjang/org.json 2>&1) ||
    status=$?
  [ "$status" -eq 1 ] || { echo "$out"; fail "audit --rules $rules exited $status, expected 1 (violations)"; }
  grep -q 'Pelanggaran' <<<"$out" || { echo "$out"; fail "the audit (--rules $rules) names no violation"; }
done
# The ruleset cites its regulation: the installed text is found and quoted.
status=0
out=$(/usr/bin/perwal law /usr/share/perwal/rulesets/padang-panjang-48-2024.perwal 2>&1) || status=$?
[ "$status" -eq 0 ] || { echo "$out"; fail "perwal law on the installed ruleset exited $status"; }
step "perwal --version and an audit of Padang Panjang from the installed files"

# 3. The unit and the config where they belong.
unit=/usr/lib/systemd/system/perwal.service
[ -f "$unit" ] || fail "no $unit"
[ "$(dpkg -S "$unit" | cut -d: -f1)" = perwal ] || fail "$unit does not belong to the package"
dpkg-query -W -f='${Conffiles}\n' perwal | grep -q '^ /etc/perwal/perwal.conf [0-9a-f]\{32\}$' ||
  fail "/etc/perwal/perwal.conf is not a conffile: $(dpkg-query -W -f='${Conffiles}' perwal)"
[ -f /etc/perwal/admin-token ] || fail "postinst made no /etc/perwal/admin-token"
[ "$(stat -c '%a %U' /etc/perwal/admin-token)" = "600 root" ] ||
  fail "/etc/perwal/admin-token is $(stat -c '%a %U' /etc/perwal/admin-token), not 600 root"
[ "$(wc -c </etc/perwal/admin-token)" -eq 64 ] || fail "the admin token is not 64 hex digits"
# Documentation=man:perwal(1) is checked through man when man-db is here.
man_check=--man=yes
command -v man >/dev/null || man_check=--man=no
out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$man_check" "$unit" 2>&1) || {
  echo "$out"
  fail "systemd-analyze verify $unit failed"
}
[ -z "$out" ] || { echo "$out"; fail "systemd-analyze verify $unit warned"; }
grep -q '^DynamicUser=yes$' "$unit" && grep -q '^StateDirectory=perwal$' "$unit" &&
  grep -q '^ProtectSystem=strict$' "$unit" && grep -q '^NoNewPrivileges=yes$' "$unit" ||
  fail "the unit lost its hardening"
step "unit verified, conffile and admin token in place"

# 4. The unit's ExecStart, with the default config, as the unit would run it:
# systemd's ${NAME} is one argument and $NAME splits; %S is /var/lib (the
# state really goes to /var/lib/perwal, which purge must remove) and %d the
# credentials directory (here a copy in $tmp). Run as nobody, as the service
# runs as a user of its own; a free port instead of 8181.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$exec_start" ] || fail "the unit has no ExecStart"
mkdir -p /var/lib/perwal "$tmp/cred" "$tmp/run"
cp /etc/perwal/admin-token "$tmp/cred/admin-token"
chown nobody /var/lib/perwal "$tmp/cred/admin-token" "$tmp/run"
chmod 755 "$tmp"
cmd=$(sed -E -e 's/\$\{([A-Z_]+)\}/"${\1}"/g' -e "s|%S|/var/lib|g" -e "s|%d|$tmp/cred|g" <<<"$exec_start")
set -a
# shellcheck disable=SC1091
. /etc/perwal/perwal.conf
set +a
PERWAL_PORT=0
PERWAL_OPTIONS="$PERWAL_OPTIONS --port-file $tmp/run/port"
eval "set -- $cmd"
[ "$1" = /usr/bin/perwal ] && [ "$2" = serve ] || fail "ExecStart runs \"$1 $2\", not /usr/bin/perwal serve"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$@" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  [ -s "$tmp/run/port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log"; fail "perwal serve from the unit's command line exited"; }
  sleep 0.1
done
[ -s "$tmp/run/port" ] || { cat "$tmp/serve.log"; fail "perwal serve wrote no port file in 60 s"; }
port=$(cat "$tmp/run/port")
python3 - "$port" "$(cat /etc/perwal/admin-token)" <<'PY' || fail "the served API did not answer as expected"
import json, sys, urllib.error, urllib.request
base = "http://127.0.0.1:" + sys.argv[1]
with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
    assert r.status == 200, r.status
with urllib.request.urlopen(base + "/v1/rulesets", timeout=30) as r:
    body = json.load(r)
    assert body["default"] == "padang-panjang-48-2024", body["default"]
def reload(token):
    req = urllib.request.Request(base + "/v1/reload", method="POST", headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
# The admin token the unit hands over is the one postinst made, and only it.
assert reload(sys.argv[2]) == 200
assert reload("0" * 64) in (401, 403)
PY
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
[ "$status" -eq 0 ] || { cat "$tmp/serve.log"; fail "perwal serve exited $status on SIGTERM"; }
[ -f /var/lib/perwal/decisions.db ] || fail "the service kept no decision log in /var/lib/perwal"
step "the unit's command line served the default config as nobody"

# 5. An upgrade (the same package again) keeps an edited conffile and the
# admin token; dpkg -r keeps them too; dpkg --purge leaves nothing.
token=$(cat /etc/perwal/admin-token)
echo "# edited by package_test" >>/etc/perwal/perwal.conf
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || {
  cat "$tmp/dpkg.log"
  fail "dpkg -i over the installed package failed"
}
grep -q '^# edited by package_test$' /etc/perwal/perwal.conf || fail "reinstalling lost the edited conffile"
[ "$(cat /etc/perwal/admin-token)" = "$token" ] || fail "reinstalling changed the admin token"
cd /
dpkg -r perwal >"$tmp/dpkg.log" 2>&1 || {
  cat "$tmp/dpkg.log"
  fail "dpkg -r failed"
}
[ ! -e /usr/bin/perwal ] || fail "/usr/bin/perwal is left after dpkg -r"
[ -f /etc/perwal/perwal.conf ] && [ -f /etc/perwal/admin-token ] || fail "dpkg -r removed the config (only purge should)"
installed=0
dpkg --purge perwal >"$tmp/dpkg.log" 2>&1 || {
  cat "$tmp/dpkg.log"
  fail "dpkg --purge failed"
}
for p in /usr/bin/perwal /etc/perwal /usr/share/perwal "$unit" /usr/share/man/man1/perwal.1 /var/lib/perwal; do
  [ ! -e "$p" ] || fail "$p is left after dpkg --purge"
done
if dpkg-query -W -f='${Status}' perwal 2>/dev/null | grep -qv 'not-installed'; then
  fail "dpkg still knows perwal: $(dpkg-query -W -f='${Status}' perwal)"
fi
step "reinstalled, removed and purged; ok"
