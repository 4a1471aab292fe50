#!/usr/bin/env bash
# The VS Code extension (editor-support/vscode), built and tested in a copy
# under the build folder so the source tree gets no node_modules:
#   vscode-test.sh deps    BUILD_DIR   copy it and `npm ci` from the committed lockfile
#   vscode-test.sh grammar BUILD_DIR   the grammar tests (editor-support/vscode/test/*.perwal)
#   vscode-test.sh package BUILD_DIR   `vsce package` into BUILD_DIR/perwal.vsix, then check its contents
#   vscode-test.sh snippets BUILD_DIR  every block kind has a snippet, and the snippets with their
#                                      defaults filled in compile (BUILD_DIR/perwal lint, no npm)
# npm packages come only from package-lock.json (`npm ci`); install scripts are
# not run (nothing here needs a native build).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
mode=${1:?mode: deps, grammar, package or snippets}
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
assert manifest["contributes"]["snippets"] == [{"language": "perwal", "path": "./snippets/perwal.json"}]
assert "extension/snippets/perwal.json" in names, f"{vsix} lacks the snippets"
assert len(json.loads(z.read("extension/snippets/perwal.json"))) >= 12
print(f"{vsix}: {len(names)} files, the grammar and the language client inside")
PY
    ;;
  snippets)
    python3 - "$src/editor-support/vscode/snippets/perwal.json" "$build/perwal" "$src/rulesets" <<'PY'
import json, os, re, subprocess, sys, tempfile
path, perwal, rulesets = sys.argv[1:4]
snippets = json.load(open(path))
kinds = ["ruleset", "rule", "kedudukan", "workflow", "step", "report", "refine", "repeal", "fields", "codes", "scope",
         "example"]
for k in kinds:
    assert k in snippets, f"no snippet for {k}"
    s = snippets[k]
    assert s["prefix"] == k and s["description"] and s["body"][0].startswith(k), f"snippet {k}"

def expand(body):
    # each placeholder as VS Code fills it by default: its first choice, its default text, or nothing
    text = "\n".join(body)
    for _ in range(3):
        text = re.sub(r"\$\{\d+\|([^,|}]*)[^}]*\|\}", r"\1", text)
        text = re.sub(r"\$\{\d+:([^${}]*)\}", r"\1", text)
    assert "${" not in text, text
    return re.sub(r"\$\d+", "", text)

# One ruleset of every snippet (a step goes inside the workflow): it must compile.
parts = [expand(snippets["ruleset"]["body"])]
for k in kinds[1:]:
    if k == "step":
        continue
    text = expand(snippets[k]["body"])
    if k == "workflow":
        step = "  " + expand(snippets["step"]["body"]).strip().replace("\n", "\n  ")
        text = text.replace("  refusal", step + "\n  refusal")
        assert step in text
    parts.append(text)
with tempfile.TemporaryDirectory() as d:
    f = os.path.join(d, "snippets.perwal")
    open(f, "w").write("\n".join(parts))
    r = subprocess.run([perwal, "lint", f], env=dict(os.environ, PERWAL_PATH=rulesets), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert " 0 error(s)" in r.stdout + r.stderr, r.stdout + r.stderr
print(f"{len(snippets)} snippets; every block kind has one; together they compile")
PY
    ;;
  *)
    echo "vscode-test: unknown mode $mode" >&2
    exit 2
    ;;
esac
