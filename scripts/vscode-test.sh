#!/usr/bin/env bash
# The VS Code extension (editor-support/vscode), built and tested in a copy
# under the build folder so the source tree gets no node_modules:
#   vscode-test.sh deps    BUILD_DIR   copy it and `npm ci` from the committed lockfile
#   vscode-test.sh grammar BUILD_DIR   the grammar tests (editor-support/vscode/test/*.perwal)
#   vscode-test.sh package BUILD_DIR   `vsce package` into BUILD_DIR/perwal.vsix, then check its contents
# npm packages come only from package-lock.json (`npm ci`); install scripts are
# not run (nothing here needs a native build).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
mode=${1:?mode: deps, grammar or package}
build=$(cd "${2:?build folder}" && pwd)
work="$build/editor-support"
case "$mode" in
  deps)
    command -v npm >/dev/null || { echo "vscode-test: npm is missing (./scripts/install-deps.sh installs it)" >&2; exit 1; }
    rm -rf "$work"
    mkdir -p "$work/vscode"
    cp -r "$src/editor-support/textmate" "$work/"
    (cd "$src/editor-support/vscode" && tar --exclude=node_modules --exclude=syntaxes --exclude='*.vsix' -cf - .) |
      (cd "$work/vscode" && tar -xf -)
    cd "$work/vscode"
    npm ci --ignore-scripts --no-audit --no-fund
    ;;
  grammar)
    cd "$work/vscode"
    npm run -s test:grammar
    ;;
  package)
    cd "$work/vscode"
    node --check extension.js
    rm -f "$build/perwal.vsix"
    npx --no-install vsce package --allow-missing-repository --skip-license -o "$build/perwal.vsix" </dev/null
    python3 - "$build/perwal.vsix" "$src/editor-support/textmate/perwal.tmLanguage.json" <<'PY'
import json, sys, zipfile
vsix, grammar = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(vsix)
names = set(z.namelist())
for need in ["extension/package.json", "extension/extension.js", "extension/language-configuration.json",
             "extension/syntaxes/perwal.tmLanguage.json",
             "extension/node_modules/vscode-languageclient/package.json"]:
    assert need in names, f"{vsix} lacks {need}"
assert not any(n.startswith("extension/test/") for n in names), "the grammar tests are packaged"
assert z.read("extension/syntaxes/perwal.tmLanguage.json") == open(grammar, "rb").read(), \
    "the packaged grammar is not editor-support/textmate's"
manifest = json.loads(z.read("extension/package.json"))
assert manifest["contributes"]["languages"][0]["extensions"] == [".perwal"]
assert "perwal.path" in manifest["contributes"]["configuration"]["properties"]
print(f"{vsix}: {len(names)} files, the grammar and the language client inside")
PY
    ;;
  *)
    echo "vscode-test: unknown mode $mode" >&2
    exit 2
    ;;
esac
