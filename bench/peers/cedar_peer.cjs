#!/usr/bin/env node
// Cedar's side of the peer comparison (README.md): @cedar-policy/cedar-wasm
// under Node, the policy set parsed once (preparsePolicySet) and each query
// authorised with statefulIsAuthorized over the slice of entities it needs.
//
//   node cedar_peer.cjs FACTS.jsonl DECISIONS.txt [--min-seconds S] [--passes N]
//
// Writes allow/deny per line; prints the timing as one JSON object.
'use strict';
const fs = require('fs');
const path = require('path');
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const [factsPath, outPath] = args;
const minSeconds = opt('--min-seconds', 3);
const minPasses = opt('--passes', 3);

const dir = path.join(__dirname, 'cedar');
const policies = fs.readFileSync(path.join(dir, 'policies.cedar'), 'utf8');
const schema = fs.readFileSync(path.join(dir, 'schema.cedarschema'), 'utf8');

// The policies must type-check against the schema before anything is timed.
const v = cedar.validate({ schema, policies: { staticPolicies: policies }, validationSettings: { mode: 'strict' } });
if (v.type !== 'success' || v.validationErrors.length > 0) {
  console.error('cedar: policies do not validate:', JSON.stringify(v, null, 1));
  process.exit(2);
}
const pre = cedar.preparsePolicySet('perwal', { staticPolicies: policies });
if (pre.type !== 'success') {
  console.error('cedar: preparse failed:', JSON.stringify(pre));
  process.exit(2);
}

const ref = (type, id) => ({ __entity: { type, id } });
const pos = (id) => ref('Position', id);

// Position facts (gen_queries.py) -> Cedar attributes; absent facts stay absent.
function positionAttrs(f) {
  const a = { kind: f.kind, jenis: f.jenis, is_head: !!f.is_head };
  if (f.pd) a.pd = ref('Unit', f.pd);
  if (f.pd_kind) a.pd_kind = f.pd_kind;
  if (f.pd_head_jenis) a.pd_head_jenis = f.pd_head_jenis;
  if (f.uo) a.uo = ref('Unit', f.uo);
  if (f.instansi) a.instansi = ref('Unit', f.instansi);
  if (f.penilai) a.penilai = pos(f.penilai);
  if (f.pimpinan_unit) a.pimpinan_unit = pos(f.pimpinan_unit);
  if (f.delegation_from) a.penilai_delegator = pos(f.delegation_from.id);
  return a;
}

// The slice: one entity per id, attributes and parents merged when a position
// plays two parts (e.g. a what-if atasan that also sits in another's chain).
function slice(list) {
  const byId = new Map();
  for (const { f, parents } of list) {
    const e = byId.get(f.id);
    if (!e) {
      byId.set(f.id, { uid: { type: 'Position', id: f.id }, attrs: positionAttrs(f), parents: parents.map(pos) });
    } else {
      Object.assign(e.attrs, positionAttrs(f));
      for (const p of parents) if (!e.parents.some((x) => x.__entity.id === p)) e.parents.push(pos(p));
    }
  }
  return [...byId.values()];
}

function request(x) {
  if (x.type === 'kedudukan') {
    const parts = [{ f: x.position, parents: [] }, { f: x.atasan, parents: x.atasan.atasan ? [x.atasan.atasan] : [] }];
    for (const c of x.chain) parts.push({ f: c, parents: c.atasan ? [c.atasan] : [] });
    const d = x.atasan.delegation_from;
    if (d) parts.push({ f: { id: d.id, kind: d.kind, jenis: d.jenis, is_head: false }, parents: [] });
    return {
      principal: { type: 'Position', id: x.position.id },
      action: { type: 'Action', id: 'kedudukan' },
      resource: { type: 'Position', id: x.atasan.id },
      context: {},
      entities: slice(parts),
    };
  }
  const o = x.owner;
  const steps = {};
  for (const [action, s] of Object.entries(x.steps)) {
    const r = { seq: s.seq };
    if (action === 'surat_permohonan_pelibatan') {
      if (s.from) r.from = pos(s.from);
      if (s.to) r.to = pos(s.to);
      r.cc = s.cc.map(pos);
      r.contents = s.contents;
    } else {
      if (s.by) r.by = pos(s.by);
      if (s.to) r.to = pos(s.to);
      r.has_reason = !!s.has_reason;
    }
    steps[action] = r;
  }
  const context = { mode: x.mode, steps };
  if (x.assigned_by) context.assigned_by = pos(x.assigned_by);
  const unitAttrs = { uo: ref('Unit', o.uo), instansi: ref('Unit', o.instansi) };
  if (o.pimpinan_unit) unitAttrs.pimpinan_unit = pos(o.pimpinan_unit.id);
  const parts = [{ f: x.assignee, parents: [] }];
  if (o.pimpinan_unit) parts.push({ f: o.pimpinan_unit, parents: [] });
  return {
    principal: { type: 'Unit', id: o.id },
    action: { type: 'Action', id: 'penunjukan' },
    resource: { type: 'Position', id: x.assignee.id },
    context,
    entities: [{ uid: { type: 'Unit', id: o.id }, attrs: unitAttrs, parents: [] }, ...slice(parts)],
  };
}

const facts = fs.readFileSync(factsPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
// Requests are built before timing: the harness's work, not Cedar's.
const calls = facts.map((x) => Object.assign(request(x), { preparsedPolicySetId: 'perwal' }));

function decide(call) {
  const r = cedar.statefulIsAuthorized(call);
  if (r.type !== 'success') throw new Error('cedar failure: ' + JSON.stringify(r.errors));
  if (r.response.diagnostics.errors.length > 0) {
    // An erroring policy is skipped by Cedar, which could flip a forbid: refuse to count it.
    throw new Error('cedar policy error: ' + JSON.stringify(r.response.diagnostics.errors));
  }
  return r.response.decision;
}

fs.writeFileSync(outPath, calls.map((c) => decide(c) + '\n').join(''));

const ns = [];
const byType = {};
let best = Infinity;
const started = process.hrtime.bigint();
for (let pass = 0; pass < minPasses || Number(process.hrtime.bigint() - started) / 1e9 < minSeconds; pass++) {
  const p0 = process.hrtime.bigint();
  for (let i = 0; i < calls.length; i++) {
    const t0 = process.hrtime.bigint();
    decide(calls[i]);
    const t = Number(process.hrtime.bigint() - t0);
    ns.push(t);
    (byType[facts[i].type] ||= []).push(t);
  }
  best = Math.min(best, Number(process.hrtime.bigint() - p0) / 1e9);
  if (pass > 1000) break;
}
const pct = (q, v = ns) => v[Math.floor(q * (v.length - 1))];
ns.sort((a, b) => a - b);
const perType = {};
for (const [k, v] of Object.entries(byType)) {
  v.sort((a, b) => a - b);
  perType[k] = { median_ns: pct(0.5, v), p10_ns: pct(0.1, v), p90_ns: pct(0.9, v) };
}
console.log(JSON.stringify({
  engine: 'cedar',
  version: cedar.getCedarVersion(),
  queries: calls.length,
  samples: ns.length,
  check: { median_ns: pct(0.5), p10_ns: pct(0.1), p90_ns: pct(0.9), decisions_per_s: calls.length / best },
  by_type: perType,
}));
