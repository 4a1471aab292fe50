#!/usr/bin/env bash
# The OpenAPI document's lint and the API clients (clients/), run in a copy
# under the build folder so the source tree gets no node_modules:
#   clients-test.sh deps       BUILD_DIR  copy clients/ and `npm ci` from the committed lockfile
#   clients-test.sh lint       BUILD_DIR  @redocly/cli lint of server/openapi.json: no error allowed
#   clients-test.sh typescript BUILD_DIR  generate the types (openapi-typescript), tsc, and run the
#                                         example against a live `perwal serve`
#   clients-test.sh python     BUILD_DIR  the standard-library Python example against a live server
# npm packages come only from package-lock.json (`npm ci`, offline from the
# npm cache when it holds them); install scripts are not run. A missing npm
# fails loudly: ./scripts/install-deps.sh installs node and npm.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
mode=${1:?mode: deps, lint, typescript or python}
build=$(cd "${2:?build folder}" && pwd)
work="$build/clients"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

need_npm() {
  command -v npm >/dev/null || {
    echo "clients-test: npm is missing (./scripts/install-deps.sh installs it)" >&2
    exit 1
  }
  [ -d "$work/node_modules" ] || {
    echo "clients-test: $work/node_modules is missing: run the clients.deps test first" >&2
    exit 1
  }
}

# A `perwal serve` on 127.0.0.1 and a free port (--port 0, read from the port
# file), the Padang Panjang ruleset and org, an admin token; stopped by its PID.
server_pid=""
tmp=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
  [ -z "$tmp" ] || rm -rf "$tmp"
}
start_server() {
  tmp=$(mktemp -d)
  trap stop_server EXIT
  token="clients-test-$$-$RANDOM$RANDOM"
  printf '%s\n' "$token" >"$tmp/admin-token"
  "$build/perwal" serve --rules "$src/rulesets/padang-panjang-48-2024.perwal" \
    --org "$src/fixtures/padang-panjang/org.json" --bind 127.0.0.1 --port 0 --port-file "$tmp/port" \
    --data "$tmp/data" --admin-token-file "$tmp/admin-token" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    [ -s "$tmp/port" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$tmp/server.log" >&2
      echo "clients-test: perwal serve exited before listening" >&2
      exit 1
    fi
    sleep 0.1
  done
  [ -s "$tmp/port" ] || {
    cat "$tmp/server.log" >&2
    echo "clients-test: perwal serve did not listen within 60 s" >&2
    exit 1
  }
  base="http://127.0.0.1:$(cat "$tmp/port")"
}

org="$src/fixtures/padang-panjang/org.json"
position="pp.bag-org.analis-1"

case "$mode" in
  deps)
    command -v npm >/dev/null || {
      echo "clients-test: npm is missing (./scripts/install-deps.sh installs it)" >&2
      exit 1
    }
    # @redocly/cli 2 runs on Node.js 20.19 or later (Debian 12's own nodejs is 18).
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' || {
      echo "clients-test: @redocly/cli needs Node.js 20.19 or later; this is $(node --version)" >&2
      exit 1
    }
    rm -rf "$work"
    mkdir -p "$work"
    (cd "$src/clients" && tar --exclude=node_modules --exclude=dist --exclude=typescript/schema.d.ts -cf - .) |
      (cd "$work" && tar -xf -)
    cd "$work"
    npm ci --ignore-scripts --no-audit --no-fund --prefer-offline
    ;;
  lint)
    need_npm
    cd "$work"
    # JSON output: the counts are checked here, whatever the exit status of a future version says.
    set +e
    npx --no-install redocly lint --config redocly.yaml --format=json "$src/server/openapi.json" >"$build/openapi-lint.json" 2>"$build/openapi-lint.log"
    status=$?
    set -e
    /usr/bin/python3 - "$build/openapi-lint.json" "$status" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
problems = report["problems"]
errors = [p for p in problems if p["severity"] == "error"]
warnings = [p for p in problems if p["severity"] == "warn"]
for p in errors:
    print("ERROR", p["ruleId"], p["location"][0]["pointer"], p["message"])
for p in warnings:
    print("warning", p["ruleId"], p["location"][0]["pointer"], p["message"])
print(f"openapi lint: {len(errors)} error(s), {len(warnings)} warning(s) (redocly exit {sys.argv[2]})")
sys.exit(1 if errors or sys.argv[2] != "0" else 0)
PY
    ;;
  typescript)
    need_npm
    cd "$work"
    npx --no-install openapi-typescript "$src/server/openapi.json" -o typescript/schema.d.ts 2>&1 | grep -v '⚠' || true
    [ -s typescript/schema.d.ts ] || { echo "clients-test: openapi-typescript wrote nothing" >&2; exit 1; }
    rm -rf dist
    npx --no-install tsc -p tsconfig.json
    # The types bind: a misspelt path, a query without its required field and a
    # parameter of the wrong type must each fail to compile, on their own lines.
    mkdir -p typecheck
    cat >typecheck/wrong.ts <<'TS'
import { perwalClient } from "../typescript/perwal.js";
const api = perwalClient({ baseUrl: "http://127.0.0.1:1" });
export async function wrong(): Promise<void> {
  await api.GET("/v1/decision/{id}", { params: { path: { id: "x" } } });
  await api.POST("/v1/check", { body: { type: "kedudukan" } });
  await api.GET("/v1/orgs/{id}", { params: { path: { id: "x" }, query: { version: "one" } } });
}
TS
    set +e
    npx --no-install tsc --noEmit --strict --target ES2022 --module NodeNext --moduleResolution NodeNext \
      --types node typecheck/wrong.ts >typecheck/wrong.log 2>&1
    status=$?
    set -e
    for line in 4 5 6; do
      grep -q "^typecheck/wrong.ts($line," typecheck/wrong.log || {
        cat typecheck/wrong.log >&2
        echo "clients-test: tsc accepted line $line of typecheck/wrong.ts, which the document's types forbid" >&2
        exit 1
      }
    done
    [ "$status" -ne 0 ] || { echo "clients-test: tsc accepted typecheck/wrong.ts" >&2; exit 1; }
    echo "typescript client: tsc refuses a wrong path, a query without its position and a wrong parameter type"
    start_server
    node dist/example.js "$base" "$token" "$org" "$position"
    ;;
  python)
    start_server
    /usr/bin/python3 "$src/clients/python/example.py" "$base" "$token" "$org" "$position"
    ;;
  *)
    echo "clients-test: unknown mode $mode" >&2
    exit 2
    ;;
esac
