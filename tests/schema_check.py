#!/usr/bin/env python3
"""Every fixture org, every golden query (and a sample of their decisions)
validates against the JSON Schemas `perwal schema` generates for its ruleset;
a few documents the schemas must refuse are refused.

    tests/schema_check.py PERWAL_BINARY SOURCE_DIR
"""
import glob
import json
import os
import subprocess
import sys

import jsonschema

perwal, root = sys.argv[1], sys.argv[2]
os.chdir(root)
failures = []
checked = 0


def schema(rules, kind):
    out = subprocess.run([perwal, "schema", "--rules", rules, kind], capture_output=True, text=True, check=True)
    s = json.loads(out.stdout)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def valid(validator, doc, what):
    global checked
    checked += 1
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        failures.append(f"{what}: {errors[0].json_path}: {errors[0].message[:200]}")


for suite_file in sorted(glob.glob("tests/golden/*/suite.json")):
    suite = json.load(open(suite_file))
    rules = suite["rules"]
    org_v, query_v, decision_v = (schema(rules, k) for k in ("org", "query", "decision"))
    valid(org_v, json.load(open(suite["org"])), suite["org"])
    scenarios = sorted(f for f in glob.glob(os.path.dirname(suite_file) + "/*.json") if not f.endswith("suite.json"))
    for n, f in enumerate(scenarios):
        s = json.load(open(f))
        if s["expect"].get("decision") == "bad_query":
            continue
        if "schema_invalid" in s:  # a value of the wrong type on purpose: the schema must refuse it
            checked += 1
            if query_v.is_valid(s["query"]):
                failures.append(f"{f}: marked schema_invalid but the schema accepts it")
            continue
        valid(query_v, s["query"], f)
        if n % 10 == 0:  # a sample of the decisions, through the command line
            out = subprocess.run([perwal, "check", "--rules", rules, "--org", suite["org"], "--query", "-",
                                  "--format", "json"], input=json.dumps(s["query"]), capture_output=True, text=True)
            valid(decision_v, json.loads(out.stdout), f + " (decision)")

# What the query schema refuses: an unknown field, a wrong type, an unknown action.
query_v = schema("rulesets/padang-panjang-48-2024.perwal", "query")
for bad in [{"type": "kedudukan", "position": "x", "atasn": "y"},
            {"type": "penugasan", "mode": "penunjukan", "assignee": "a", "owner_unit": "u",
             "steps": [{"action": "surat_penugasan", "by": "b", "mulai": "kemarin"}]},
            {"type": "penugasan", "mode": "penunjukan", "assignee": "a", "owner_unit": "u",
             "steps": [{"action": "surat_sakti", "by": "b"}]},
            {"type": "pelaporan", "from": "a", "to": "b", "as": "lisan"}]:
    checked += 1
    if query_v.is_valid(bad):
        failures.append(f"accepted a bad query: {json.dumps(bad)}")

for f in failures:
    print("FAIL", f)
print(f"schema: {checked - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
