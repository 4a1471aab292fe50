#!/usr/bin/env python3
"""The Python client against a live `perwal serve` (scripts/clients-test.sh
starts one): a query, a batch, an org upload, a query on that org, a decision
read back by its id, a refused query and the log without a token. Exits 1 at
the first thing wrong.

    python3 example.py BASE_URL TOKEN ORG.json POSITION
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perwal_client import ApiError, Client  # noqa: E402

if len(sys.argv) != 5:
    sys.exit(__doc__)
base, token, org_file, position = sys.argv[1:]
api = Client(base, token=token)
passed = 0


def check(what, ok, detail=""):
    global passed
    if not ok:
        print(f"FAIL {what} {json.dumps(detail)[:2000]}")
        sys.exit(1)
    passed += 1
    print(f"ok {what}")


health = api.health()
check("healthz", health["status"] == "ok" and health["rulesets"] >= 1, health)

query = {"type": "kedudukan", "position": position}
one = api.check(query, lang="en")
check("check: one decision", one["decision"] in ("allowed", "denied", "incomplete") and one["decision_id"], one)

batch = api.check([query, {"type": "kedudukan", "position": position, "atasan": None}, {"type": "audit"}])
check("check: a batch of 3", isinstance(batch, list) and len(batch) == 3, batch)
ids = {d["decision_id"] for d in batch}
check("check: distinct decision ids", len(ids) == 3 and one["decision_id"] not in ids, sorted(ids))
check("check: the audit query's decision has a summary", "summary" in batch[2], batch[2])

with open(org_file, encoding="utf-8") as f:
    org = json.load(f)
org_id = f"py-{os.getpid()}"
meta = api.put_org(org_id, org)
check("upload: 201 and version 1", api.last_status == 201 and meta["version"] == 1, meta)
meta2 = api.put_org(org_id, org)
check("upload again: 200 and version 2", api.last_status == 200 and meta2["version"] == 2, meta2)
on_org = api.check(query, org=org_id)
check("check on the uploaded org", on_org["decision"] == one["decision"], on_org)
check("the uploaded org is listed", any(o["id"] == org_id and o["version"] == 2 for o in api.orgs()["orgs"]))

logged = api.decision(one["decision_id"])
check("decision by id", logged["decision_id"] == one["decision_id"] and logged["outcome"] == one["decision"]
      and logged["result"] == one and logged["query"] == query, logged)

try:
    api.check({"type": "kedudukan", "position": position, "atsan": "x"})
    check("a bad query is refused", False)
except ApiError as e:
    check("a bad query is refused: 400 bad_query at atsan",
          e.status == 400 and e.code == "bad_query" and any(x["path"] == "atsan" for x in e.errors), e.body)

try:
    Client(base).decision(one["decision_id"])
    check("the log without a token is refused", False)
except ApiError as e:
    check("the log without a token: 401", e.status == 401 and e.code == "unauthorized", e.body)

print(f"python client: {passed} passed, 0 failed")
