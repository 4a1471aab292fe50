// The TypeScript client against a live `perwal serve` (scripts/clients-test.sh
// starts one): a query, a batch, an org upload, a query on that org, a decision
// read back by its id, and a refused query. Exits 1 at the first thing wrong.
//   node dist/example.js BASE_URL TOKEN ORG.json POSITION
import { readFileSync } from "node:fs";
import { perwalClient, PerwalError, unwrap, type Decision, type Org, type Query } from "./perwal.js";

const [baseUrl, token, orgFile, position] = process.argv.slice(2);
if (!baseUrl || !token || !orgFile || !position) {
  console.error("usage: node dist/example.js BASE_URL TOKEN ORG.json POSITION");
  process.exit(2);
}
const api = perwalClient({ baseUrl, token });
let passed = 0;
function check(what: string, ok: boolean, detail: unknown = ""): void {
  if (!ok) {
    console.error(`FAIL ${what} ${JSON.stringify(detail)}`);
    process.exit(1);
  }
  passed++;
  console.log(`ok ${what}`);
}
function isDecision(d: unknown): d is Decision {
  return typeof d === "object" && d !== null && "next" in d;
}

const health = unwrap(await api.GET("/healthz"));
check("healthz", health.status === "ok" && health.rulesets >= 1, health);

// One query on the default org (the --org file).
const query: Query = { type: "kedudukan", position };
const one = unwrap(await api.POST("/v1/check", { body: query, params: { query: { lang: "en" } } }));
check("check: one decision", isDecision(one) && ["allowed", "denied", "incomplete"].includes(one.decision), one);
const first = one as Decision;

// A batch: one decision per query, in order, each with its own id.
const batch = unwrap(
  await api.POST("/v1/check", { body: [query, { type: "kedudukan", position, atasan: null }, { type: "audit" }] }),
);
check("check: a batch of 3", Array.isArray(batch) && batch.length === 3, batch);
const ids = new Set((batch as { decision_id: string }[]).map((d) => d.decision_id));
check("check: distinct decision ids", ids.size === 3 && !ids.has(first.decision_id), [...ids]);
const audit = (batch as unknown[])[2];
check("check: the audit query's decision has a summary", typeof audit === "object" && audit !== null && "summary" in audit);

// Upload an org (a new id: version 1, 201), then check on it.
const org = JSON.parse(readFileSync(orgFile, "utf8")) as Org;
const orgId = `ts-${process.pid}`;
const put = await api.PUT("/v1/orgs/{id}", { params: { path: { id: orgId } }, body: org });
check("upload: 201 and version 1", put.response.status === 201 && put.data?.version === 1, put.data ?? put.error);
const onOrg = unwrap(await api.POST("/v1/check", { body: query, params: { query: { org: orgId } } }));
check("check on the uploaded org", isDecision(onOrg) && onOrg.decision === first.decision, onOrg);
const listed = unwrap(await api.GET("/v1/orgs"));
check("the uploaded org is listed", listed.orgs.some((o) => o.id === orgId && o.version === 1), listed);

// The decision read back by its id: as it was sent.
const logged = unwrap(await api.GET("/v1/decisions/{id}", { params: { path: { id: first.decision_id } } }));
check(
  "decision by id",
  logged.decision_id === first.decision_id && logged.outcome === first.decision &&
    JSON.stringify(logged.result) === JSON.stringify(first),
  logged,
);

// A field the query type does not have: 400 bad_query naming its JSON path.
const bad = await api.POST("/v1/check", { body: { type: "kedudukan", position, atsan: "x" } as unknown as Query });
try {
  unwrap(bad);
  check("a bad query is refused", false, bad.data);
} catch (e) {
  const body = e instanceof PerwalError ? e.body : undefined;
  check("a bad query is refused: 400 bad_query at atsan",
    bad.response.status === 400 && body?.error === "bad_query" && body.errors.some((x) => x.path === "atsan"), body);
}

// Without a token the decision log answers 401.
const anonymous = perwalClient({ baseUrl });
const denied = await anonymous.GET("/v1/decisions/{id}", { params: { path: { id: first.decision_id } } });
check("the log without a token: 401", denied.response.status === 401 && denied.error?.error === "unauthorized", denied.error);

console.log(`typescript client: ${passed} passed, 0 failed`);
