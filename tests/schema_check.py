#!/usr/bin/env python3
"""Every fixture org, every golden query (and its decision, with and without
quotes, and each suite's audit) validates against the JSON Schemas
`perwal schema` generates for its ruleset; a few documents the schemas must
refuse are refused; the schemas published under schemas/RULESET/ are the ones
`perwal schema` generates today (scripts/gen-schemas.sh rewrites them).

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


# The published schemas are today's.
for rules in sorted(glob.glob("rulesets/*.perwal")):
    rid = os.path.basename(rules)[: -len(".perwal")]
    for kind in ("org", "query", "decision"):
        published = f"schemas/{rid}/{kind}.schema.json"
        checked += 1
        out = subprocess.run([perwal, "schema", "--rules", rules, kind], capture_output=True, text=True, check=True)
        if not os.path.exists(published):
            failures.append(f"{published}: missing (run scripts/gen-schemas.sh)")
        elif json.load(open(published)) != json.loads(out.stdout):
            failures.append(f"{published}: differs from `perwal schema --rules {rules} {kind}` "
                            "(run scripts/gen-schemas.sh)")

# Every fixture org, against its city's ruleset.
for org_file in sorted(glob.glob("fixtures/*/org.json")):
    city = os.path.basename(os.path.dirname(org_file))
    rules = [r for r in glob.glob("rulesets/*.perwal") if os.path.basename(r).startswith(city)]
    if len(rules) != 1:
        failures.append(f"{org_file}: no single ruleset for {city}: {rules}")
        continue
    valid(schema(rules[0], "org"), json.load(open(org_file)), org_file)

for suite_file in sorted(glob.glob("tests/golden/*/suite.json")):
    suite = json.load(open(suite_file))
    rules = suite["rules"]
    org_v, query_v, decision_v = (schema(rules, k) for k in ("org", "query", "decision"))
    valid(org_v, json.load(open(suite["org"])), suite["org"])
    scenarios = sorted(f for f in glob.glob(os.path.dirname(suite_file) + "/*.json") if not f.endswith("suite.json"))
    answered = []
    for f in scenarios:
        s = json.load(open(f))
        if s["expect"].get("decision") == "bad_query":
            continue
        if "schema_invalid" in s:  # a value of the wrong type on purpose: the schema must refuse it
            checked += 1
            if query_v.is_valid(s["query"]):
                failures.append(f"{f}: marked schema_invalid but the schema accepts it")
            continue
        valid(query_v, s["query"], f)
        answered.append((f, s["query"]))
    # Every decision, with the article's words beside each citation (the
    # schema allows "quote"; without --quote the same decisions lack it), in
    # one batch per suite through the command line.
    for flags in ([], ["--quote"]):
        out = subprocess.run([perwal, "check", "--rules", rules, "--org", suite["org"], "--query", "-",
                              "--format", "json"] + flags, input=json.dumps([q for _, q in answered]),
                             capture_output=True, text=True)
        decisions = json.loads(out.stdout)
        if len(decisions) != len(answered):
            failures.append(f"{suite_file}: {len(answered)} queries, {len(decisions)} decisions")
        for (f, _), d in zip(answered, decisions):
            valid(decision_v, d, f + " (decision" + (" with quotes)" if flags else ")"))
    # The audit of the suite's org is a decision too.
    out = subprocess.run([perwal, "audit", "--rules", rules, "--org", suite["org"], "--format", "json"],
                         capture_output=True, text=True)
    valid(decision_v, json.loads(out.stdout), suite["org"] + " (audit)")

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
