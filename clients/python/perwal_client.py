"""A small client of the perwal decision API (server/openapi.json), standard
library only (urllib, json): copy this file next to your script.

    from perwal_client import Client, ApiError
    api = Client("http://127.0.0.1:8181", token="...")
    decision = api.check({"type": "kedudukan", "position": "pp.bag-org.analis-1"}, lang="en")
"""
import json
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Client", "ApiError"]


class ApiError(Exception):
    """An error answer: the server's error body (error, status, message, errors)."""

    def __init__(self, status, body):
        self.status = status
        self.body = body if isinstance(body, dict) else {"error": "unknown", "message": str(body), "errors": []}
        self.code = self.body.get("error")
        self.errors = self.body.get("errors", [])
        super().__init__(f"{status} {self.code}: {self.body.get('message')}")


class Client:
    def __init__(self, base_url, token=None, timeout=60):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method, path, body=None, **params):
        """Sends one request; returns the decoded JSON answer (the status in self.last_status)."""
        query = {k: v for k, v in params.items() if v is not None}
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                self.last_status = r.status
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                decoded = json.loads(text)
            except ValueError:
                decoded = text.decode("utf-8", "replace")
            raise ApiError(e.code, decoded) from None

    # ---- the operations (operationId in server/openapi.json) ----

    def health(self):  # getHealth
        return self.request("GET", "/healthz")

    def check(self, query, org=None, ruleset=None, lang=None, trace=None, quote=None):  # check
        """One query (a dict) gives a decision; a list of queries gives a list of decisions, in order."""
        return self.request("POST", "/v1/check", query, org=org, ruleset=ruleset, lang=lang, trace=trace,
                            quote=quote)

    def audit(self, org=None, ruleset=None, lang=None, quote=None):  # audit
        return self.request("POST", "/v1/audit", {}, org=org, ruleset=ruleset, lang=lang, quote=quote)

    def rulesets(self):  # listRulesets
        return self.request("GET", "/v1/rulesets")

    def schema(self, ruleset, kind):  # getRulesetSchema: kind is org, query or decision
        return self.request("GET", f"/v1/rulesets/{_seg(ruleset)}/schema/{_seg(kind)}")

    def orgs(self):  # listOrgs
        return self.request("GET", "/v1/orgs")

    def org(self, org_id, version=None):  # getOrg
        return self.request("GET", f"/v1/orgs/{_seg(org_id)}", version=version)

    def put_org(self, org_id, document, ruleset=None):  # putOrg: needs scope write-org
        return self.request("PUT", f"/v1/orgs/{_seg(org_id)}", document, ruleset=ruleset)

    def decision(self, decision_id, lang=None):  # getDecision: needs scope read-log
        return self.request("GET", f"/v1/decisions/{_seg(decision_id)}", lang=lang)


def _seg(value):
    return urllib.parse.quote(str(value), safe="")
