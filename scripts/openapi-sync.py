#!/usr/bin/env python3
"""Copies the org format's JSON Schema, as `perwal schema --rules permenpanrb-7-2022 org`
prints it, into server/openapi.json (components.schemas.Org and one Org.NAME per $defs
entry), so the document and the generator stay one source. OpenAPI 3.1 schemas are
JSON Schema 2020-12, the generator's dialect: only $id and $schema are dropped and
"#/$defs/NAME" becomes "#/components/schemas/Org.NAME".

    scripts/openapi-sync.py PERWAL_BINARY [SOURCE_DIR]            rewrite server/openapi.json
    scripts/openapi-sync.py PERWAL_BINARY [SOURCE_DIR] --check    exit 1 when it differs (a CTest test)
"""
import json
import os
import subprocess
import sys

BASE = "permenpanrb-7-2022"  # the national base ruleset: every regional one extends it
PREFIX = "Org."

args = [a for a in sys.argv[1:] if a != "--check"]
check = "--check" in sys.argv[1:]
if not args:
    sys.exit(__doc__)
perwal = args[0]
root = args[1] if len(args) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
path = os.path.join(root, "server", "openapi.json")


def rewrite_refs(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/"):
                v = "#/components/schemas/" + PREFIX + v[len("#/$defs/"):]
            out[k] = rewrite_refs(v)
        return out
    if isinstance(node, list):
        return [rewrite_refs(v) for v in node]
    return node


out = subprocess.run([perwal, "schema", "--rules", os.path.join(root, "rulesets", BASE + ".perwal"), "org"],
                     capture_output=True, text=True)
if out.returncode != 0:
    sys.exit(f"perwal schema failed ({out.returncode}): {out.stderr.strip()}")
generated = json.loads(out.stdout)
defs = generated.pop("$defs", {})
for k in ("$id", "$schema"):
    generated.pop(k, None)
org = rewrite_refs(generated)
org["description"] = (
    f"An org document (perwal-org/1, docs/reference.md §2) as the national base ruleset {BASE} reads it: "
    f"the schema `perwal schema --rules {BASE} org` prints, copied by scripts/openapi-sync.py (a test fails "
    "when they differ). A regional ruleset may declare more fields: GET /v1/rulesets/{id}/schema/org.")

text = open(path, encoding="utf-8").read()
doc = json.loads(text)
schemas = doc["components"]["schemas"]
wanted = {"Org": org} | {PREFIX + name: rewrite_refs(d) for name, d in sorted(defs.items())}
# Every other schema keeps its place; the org's come last, in a fixed order.
kept = {k: v for k, v in schemas.items() if k != "Org" and not k.startswith(PREFIX)}
doc["components"]["schemas"] = kept | wanted
new_text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

if check:
    old = {k: v for k, v in schemas.items() if k == "Org" or k.startswith(PREFIX)}
    if new_text != text:
        for k in sorted(set(old) | set(wanted)):
            if old.get(k) != wanted.get(k):
                print(f"{path}: components.schemas.{k} differs from `perwal schema --rules {BASE} org`")
        if old == wanted:
            print(f"{path}: not formatted as scripts/openapi-sync.py writes it (json indent 2)")
        print("run scripts/openapi-sync.py PERWAL_BINARY to copy the generated schema")
        sys.exit(1)
    print(f"openapi-sync: components.schemas.Org and {len(defs)} Org.* schemas match `perwal schema` ({BASE})")
else:
    if new_text != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new_text)
    print(f"openapi-sync: wrote components.schemas.Org and {len(defs)} Org.* schemas to {path}")
