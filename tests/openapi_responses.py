#!/usr/bin/env python3
"""Every answer of a live `perwal serve` validates against server/openapi.json:
the decisions of every golden query (each suite's org uploaded, its queries
as one batch, with ?trace=1 and ?quote=1 in turn), audits, the decision log,
orgs, rulesets, reload, the report, and the error body of each kind of
failure (400, 401, 403, 404, 405, 409, 422). The schema of an answer is the
operation's response for its status (else 4XX/5XX, else default) in the
document, checked with JSON Schema 2020-12 (python3-jsonschema); every
operation of the document must be answered at least once.

    tests/openapi_responses.py PERWAL_BINARY SOURCE_DIR
"""
import glob
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import jsonschema

perwal, root = sys.argv[1], os.path.abspath(sys.argv[2])
doc_path = os.path.join(root, "server", "openapi.json")
doc = json.load(open(doc_path, encoding="utf-8"))
DOC_URI = "urn:perwal:openapi"
try:  # jsonschema >= 4.18 resolves references through `referencing`; Debian 12's 4.10 through RefResolver
    import referencing
    import referencing.jsonschema

    registry = referencing.Registry().with_resource(
        DOC_URI, referencing.Resource.from_contents(doc, default_specification=referencing.jsonschema.DRAFT202012))
    resolving = {"registry": registry}
except ImportError:
    resolving = {"resolver": jsonschema.RefResolver(DOC_URI, doc, store={DOC_URI: doc})}

failures = []
passed = 0
answered = set()  # (method, path template) answered and validated


def pointer(*parts):
    return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def response_of(method, template, status):
    if method.lower() not in doc["paths"][template]:  # another method (405): the document's error answer
        return doc["components"]["responses"]["Error"], None
    responses = doc["paths"][template][method.lower()]["responses"]
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            r = responses[key]
            if "$ref" in r:
                r = doc["components"]["responses"][r["$ref"].rsplit("/", 1)[1]]
                return r, None
            return r, pointer("paths", template, method.lower(), "responses", key)
    return None, None


def validate(method, template, status, body, content_type="application/json", what=""):
    """The answer against its schema in the document; counts a pass or a failure."""
    global passed
    label = f"{method} {template} {status} {what}".strip()
    answered.add((method.lower(), template))
    response, at = response_of(method, template, status)
    if response is None:
        failures.append(f"{label}: no response {status} in the document")
        return
    media = content_type.split(";")[0].strip()
    content = response.get("content", {})
    if media not in content:
        failures.append(f"{label}: the document has no {media} answer (it has {sorted(content)})")
        return
    if media != "application/json":
        passed += 1
        return
    if at is None:  # a components/responses entry: its schema is the Error
        ref = content[media]["schema"]["$ref"]
        schema = {"$ref": DOC_URI + ref}
    else:
        schema = {"$ref": f"{DOC_URI}#/{at}/content/{pointer(media)}/schema"}
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
                                                **resolving)
    errors = list(validator.iter_errors(body))
    if errors:
        e = jsonschema.exceptions.best_match(errors)  # the deepest cause, not "not valid under any of oneOf"
        failures.append(f"{label}: {e.json_path}: {e.message[:300]}")
    else:
        passed += 1


def call(method, path, template, body=None, token=None, expect=None, raw=None, what="", **params):
    """One request; validates the answer and returns (status, decoded body)."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = base + path + ("?" + query if query else "")
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, ctype, text = r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        status, ctype, text = e.code, e.headers.get("Content-Type", ""), e.read()
    decoded = json.loads(text) if ctype.startswith("application/json") else text
    if expect is not None and status != expect:
        failures.append(f"{method} {path}: status {status}, expected {expect}: {text[:300]!r}")
    validate(method, template, status, decoded, ctype, what)
    return status, decoded


# ---- a server of every bundled ruleset and the fictional one, from a copy (reload is broken later) ----
tmp = tempfile.mkdtemp(prefix="perwal-openapi-")
server = None
try:
    rules_dir = os.path.join(tmp, "rulesets")
    shutil.copytree(os.path.join(root, "rulesets"), rules_dir)
    shutil.copytree(os.path.join(root, "regulations"), os.path.join(tmp, "regulations"))  # their texts
    for ext in (".perwal", ".txt"):
        shutil.copy(os.path.join(root, "tests", "fictional", "perbup-contoh-99-2026" + ext), rules_dir)
    admin = "openapi-admin-token"
    checker = "openapi-check-only-token"
    open(os.path.join(tmp, "admin"), "w").write(admin + "\n")
    open(os.path.join(tmp, "tokens"), "w").write(f"check {hashlib.sha256(checker.encode()).hexdigest()} checker\n")
    port_file = os.path.join(tmp, "port")
    log = open(os.path.join(tmp, "server.log"), "w")
    server = subprocess.Popen(
        [perwal, "serve", "--rules", rules_dir, "--default-ruleset", "padang-panjang-48-2024", "--org",
         os.path.join(root, "fixtures/padang-panjang/org.json"), "--bind", "127.0.0.1", "--port", "0",
         "--port-file", port_file, "--data", os.path.join(tmp, "data"), "--admin-token-file",
         os.path.join(tmp, "admin"), "--token-file", os.path.join(tmp, "tokens")],
        stdout=log, stderr=subprocess.STDOUT, cwd=root)
    deadline = time.time() + 60
    while not (os.path.exists(port_file) and open(port_file).read().strip()):
        if server.poll() is not None or time.time() > deadline:
            sys.exit("perwal serve did not start:\n" + open(os.path.join(tmp, "server.log")).read())
        time.sleep(0.1)
    base = "http://127.0.0.1:" + open(port_file).read().strip()

    # ---- reads ----
    call("GET", "/healthz", "/healthz", expect=200)
    call("GET", "/metrics", "/metrics", expect=200)
    status, served = call("GET", "/openapi.json", "/openapi.json", expect=200)
    if served != doc:
        failures.append("GET /openapi.json is not server/openapi.json")
    _, rulesets = call("GET", "/v1/rulesets", "/v1/rulesets", expect=200)
    for r in rulesets["rulesets"]:
        call("GET", f"/v1/rulesets/{r['id']}", "/v1/rulesets/{id}", expect=200)
    for kind in ("org", "query", "decision"):
        call("GET", f"/v1/rulesets/padang-panjang-48-2024/schema/{kind}", "/v1/rulesets/{id}/schema/{kind}",
             expect=200)
    call("GET", "/v1/rulesets/padang-panjang-48-2024/schema/nope", "/v1/rulesets/{id}/schema/{kind}", expect=404)
    call("GET", "/v1/rulesets/padang-panjang-48-2023", "/v1/rulesets/{id}", expect=404)
    call("GET", "/v1/orgs/default", "/v1/orgs/{id}", expect=200)
    call("GET", "/v1/orgs/nope", "/v1/orgs/{id}", expect=404)

    # ---- every golden query, each suite's org uploaded; with ?trace=1 and ?quote=1 in turn ----
    decision_ids = []
    for n, suite_file in enumerate(sorted(glob.glob(os.path.join(root, "tests/golden/*/suite.json")))):
        suite = json.load(open(suite_file))
        ruleset = os.path.splitext(os.path.basename(suite["rules"]))[0]
        org_id = "golden-" + os.path.basename(os.path.dirname(suite_file))
        org = json.load(open(os.path.join(root, suite["org"])))
        call("PUT", f"/v1/orgs/{org_id}", "/v1/orgs/{id}", org, token=admin, expect=201, ruleset=ruleset)
        good, bad = [], []
        for f in sorted(glob.glob(os.path.join(os.path.dirname(suite_file), "*.json"))):
            if f.endswith("suite.json"):
                continue
            s = json.load(open(f))
            (bad if s["expect"].get("decision") == "bad_query" else good).append(s["query"])
        extra = {"trace": 1} if n % 2 == 0 else {"quote": 1}
        status, decisions = call("POST", "/v1/check", "/v1/check", good, expect=200, org=org_id, ruleset=ruleset,
                                 what=f"({len(good)} golden queries of {org_id})", **extra)
        # Each decision on its own too, so a failure names the query.
        if status == 200:
            for q, d in zip(good, decisions):
                validate("POST", "/v1/check", 200, d, what=json.dumps(q)[:120])
            decision_ids.append(decisions[0]["decision_id"])
        for q in bad[:5]:
            call("POST", "/v1/check", "/v1/check", q, expect=400, org=org_id, ruleset=ruleset, what="bad query")
        call("POST", "/v1/audit", "/v1/audit", {}, expect=200, org=org_id, ruleset=ruleset, lang="en", **extra)

    # ---- the decision log ----
    # The decisions of a batch: BATCH/INDEX.
    batched = "/v1/decisions/{id}/{index}"
    for i in decision_ids:
        call("GET", f"/v1/decisions/{i}", batched, token=admin, expect=200)
        call("GET", f"/v1/decisions/{i}", batched, token=admin, expect=200, lang="en")
    call("GET", "/v1/decisions/nope", "/v1/decisions/{id}", token=admin, expect=404)
    call("GET", "/v1/decisions/nope/0", batched, token=admin, expect=404)
    call("GET", f"/v1/decisions/{decision_ids[0]}", batched, expect=401)
    call("GET", f"/v1/decisions/{decision_ids[0]}", batched, token=checker, expect=403)
    call("GET", f"/v1/decisions/{decision_ids[0]}", batched, token=admin, expect=400, lang="fr")
    # The log a page at a time: a page, the next one by its cursor, the errors.
    _, page = call("GET", "/v1/decisions", "/v1/decisions", token=admin, expect=200, since="2000-01-01", limit=2)
    if page["next_cursor"]:
        call("GET", "/v1/decisions", "/v1/decisions", token=admin, expect=200, since="2000-01-01", limit=2,
             cursor=page["next_cursor"])
    call("GET", "/v1/decisions", "/v1/decisions", token=admin, expect=200, outcome="denied", limit=5)
    call("GET", "/v1/decisions", "/v1/decisions", token=admin, expect=400, outcome="maybe")
    call("GET", "/v1/decisions", "/v1/decisions", expect=401)
    call("GET", "/v1/decisions", "/v1/decisions", token=checker, expect=403)

    # ---- orgs: a new version, a stale decision, bad uploads ----
    org = json.load(open(os.path.join(root, "fixtures/padang-panjang/org.json")))
    call("PUT", "/v1/orgs/kota", "/v1/orgs/{id}", org, token=admin, expect=201)
    _, d = call("POST", "/v1/check", "/v1/check", {"type": "kedudukan", "position": "pp.bag-org.analis-1"},
                expect=200, org="kota")
    _, kb = call("POST", "/v1/check", "/v1/check", [{"type": "kedudukan", "position": "pp.bag-org.analis-1"}],
                 expect=200, org="kota")
    call("GET", f"/v1/decisions/{d['decision_id']}", "/v1/decisions/{id}", token=admin, expect=200)
    call("GET", f"/v1/decisions/{d['decision_id']}", "/v1/decisions/{id}", expect=401)
    call("GET", f"/v1/decisions/{d['decision_id']}", "/v1/decisions/{id}", token=checker, expect=403)
    call("GET", f"/v1/decisions/{d['decision_id']}", "/v1/decisions/{id}", token=admin, expect=400, lang="fr")
    call("PUT", "/v1/orgs/kota", "/v1/orgs/{id}", org, token=admin, expect=200)
    # A batch's result is decided again: under a newer org version it cannot be, 409.
    call("GET", f"/v1/decisions/{kb[0]['decision_id']}", batched, token=admin, expect=409)
    call("GET", "/v1/orgs/kota", "/v1/orgs/{id}", expect=200, version=1)
    call("GET", "/v1/orgs/kota", "/v1/orgs/{id}", expect=404, version=9)
    call("GET", "/v1/orgs/kota", "/v1/orgs/{id}", expect=400, version="x")
    call("GET", f"/v1/decisions/{d['decision_id']}", "/v1/decisions/{id}", token=admin, expect=409, lang="en")
    call("GET", "/v1/orgs", "/v1/orgs", expect=200)
    call("PUT", "/v1/orgs/broken", "/v1/orgs/{id}", {"schema": "perwal-org/1", "units": 3}, token=admin, expect=400)
    call("PUT", "/v1/orgs/a%20b", "/v1/orgs/{id}", org, token=admin, expect=400)
    call("PUT", "/v1/orgs/default", "/v1/orgs/{id}", org, token=admin, expect=409)
    call("PUT", "/v1/orgs/x", "/v1/orgs/{id}", org, token=checker, expect=403)
    call("PUT", "/v1/orgs/x", "/v1/orgs/{id}", org, expect=401)
    call("PUT", "/v1/orgs/x", "/v1/orgs/{id}", org, token=admin, expect=404, ruleset="nope")

    # ---- check errors ----
    call("POST", "/v1/check", "/v1/check", raw=b"{", expect=400, what="invalid JSON")
    call("POST", "/v1/check", "/v1/check", [], expect=400, what="empty batch")
    call("POST", "/v1/check", "/v1/check", {"type": "kedudukan", "position": "x"}, expect=404, org="nope")
    call("POST", "/v1/check", "/v1/check", {"type": "audit", "ruleset": "nope"}, expect=404)
    call("DELETE", "/v1/check", "/v1/check", expect=405, what="another method")
    call("POST", "/v1/audit", "/v1/audit", raw=b"[]", expect=400)

    # ---- the report ----
    call("GET", "/v1/audit/report", "/v1/audit/report", expect=200, format="html")
    call("GET", "/v1/audit/report", "/v1/audit/report", expect=400, format="doc")

    # ---- reload: the same rulesets, then one broken (422, the old ones keep serving) ----
    call("POST", "/v1/reload", "/v1/reload", token=admin, expect=200)
    call("POST", "/v1/reload", "/v1/reload", token=checker, expect=403)
    with open(os.path.join(rules_dir, "jambi-13-2025.perwal"), "a") as f:
        f.write("\nrule {\n")
    call("POST", "/v1/reload", "/v1/reload", token=admin, expect=422)
    call("GET", "/healthz", "/healthz", expect=200)

    missing = sorted({(m, p) for p, item in doc["paths"].items() for m in item} - answered)
    for m, p in missing:
        failures.append(f"{m.upper()} {p}: no answer of it was checked")
finally:
    if server is not None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    shutil.rmtree(tmp, ignore_errors=True)

for f in failures:
    print("FAIL", f)
print(f"openapi responses: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
