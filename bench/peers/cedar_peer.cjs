#!/usr/bin/env node
// Cedar's side of the peer comparison (README.md): @cedar-policy/cedar-wasm
// under Node, the policy set parsed once (preparsePolicySet) and each query
// authorised with statefulIsAuthorized. Two forms of the same rules:
//   --variant entities (default): policies.cedar, each request carrying the
//     slice of entities it needs (the usual way to call Cedar);
//   --variant context: context.cedar, the facts in the request context and
//     only the bare principal and resource as entities, so that the time is
//     Cedar's evaluation more than its taking in entities.
//
//   node cedar_peer.cjs FACTS.jsonl DECISIONS.txt [--variant V] [--min-seconds S] [--passes N]
//
// Writes allow/deny per line; prints the timing as one JSON object, with the
// cost of an empty call (one permit-all policy, no entities) and of the same
// requests against that permit-all policy (input_only) beside it.
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
const vi = args.indexOf('--variant');
const variant = vi >= 0 ? args[vi + 1] : 'entities';
if (!['entities', 'context'].includes(variant)) {
  console.error(`cedar: unknown --variant ${variant} (entities or context)`);
  process.exit(2);
}
const minSeconds = opt('--min-seconds', 3);
const minPasses = opt('--passes', 3);

const dir = path.join(__dirname, 'cedar');
const base = variant === 'context' ? 'context' : 'policies';
const policies = fs.readFileSync(path.join(dir, base + '.cedar'), 'utf8');
const schema = fs.readFileSync(path.join(dir, (variant === 'context' ? 'context' : 'schema') + '.cedarschema'), 'utf8');

// The policies must type-check against the schema before anything is timed.
const v = cedar.validate({ schema, policies: { staticPolicies: policies }, validationSettings: { mode: 'strict' } });
if (v.type !== 'success' || v.validationErrors.length > 0) {
  console.error('cedar: policies do not validate:', JSON.stringify(v, null, 1));
  process.exit(2);
}
const pre = cedar.preparsePolicySet('perwal', { staticPolicies: policies });
// The floor of a call through the wasm boundary: one permit-all policy, no
// entities, empty context (measured below, reported as empty_call).
const preEmpty = cedar.preparsePolicySet('empty', { staticPolicies: 'permit(principal, action, resource);' });
if (pre.type !== 'success' || preEmpty.type !== 'success') {
  console.error('cedar: preparse failed:', JSON.stringify([pre, preEmpty]));
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
  return variant === 'context' ? contextRequest(x) : entitiesRequest(x);
}

// The context form (context.cedarschema): ids as strings, the atasan chain
// as a set; the only entities are the bare principal and resource.
function contextRequest(x) {
  const bare = (type, id) => ({ uid: { type, id }, attrs: {}, parents: [] });
  const opt = (o, k, v) => { if (v !== null && v !== undefined) o[k] = v; return o; };
  if (x.type === 'kedudukan') {
    const p = x.position, a = x.atasan;
    const position = { jenis: p.jenis, is_head: !!p.is_head };
    opt(position, 'pd', p.pd); opt(position, 'pd_kind', p.pd_kind); opt(position, 'pd_head_jenis', p.pd_head_jenis);
    const atasan = { id: a.id, kind: a.kind, jenis: a.jenis, is_head: !!a.is_head, superiors: a.superiors };
    opt(atasan, 'pd', a.pd);
    if (a.delegation_from) atasan.delegator = { id: a.delegation_from.id, jenis: a.delegation_from.jenis };
    return {
      principal: { type: 'Position', id: p.id },
      action: { type: 'Action', id: 'kedudukan' },
      resource: { type: 'Position', id: a.id },
      context: { position, atasan },
      entities: [bare('Position', p.id), bare('Position', a.id)],
    };
  }
  const o = x.owner, as = x.assignee;
  const owner = opt(opt({ uo: o.uo, instansi: o.instansi }, 'pimpinan_unit', o.pimpinan_unit && o.pimpinan_unit.id),
    'pimpinan_penilai', o.pimpinan_unit && o.pimpinan_unit.penilai);
  const assignee = opt(opt({ jenis: as.jenis, uo: as.uo, instansi: as.instansi }, 'penilai', as.penilai),
    'pimpinan_unit', as.pimpinan_unit);
  const steps = {};
  for (const [action, s] of Object.entries(x.steps)) {
    steps[action] = action === 'surat_permohonan_pelibatan'
      ? opt(opt({ seq: s.seq, cc: s.cc, contents: s.contents }, 'from', s.from), 'to', s.to)
      : opt(opt({ seq: s.seq, has_reason: !!s.has_reason }, 'by', s.by), 'to', s.to);
  }
  return {
    principal: { type: 'Unit', id: o.id },
    action: { type: 'Action', id: 'penunjukan' },
    resource: { type: 'Position', id: as.id },
    context: opt({ mode: x.mode, owner, assignee, steps }, 'assigned_by', x.assigned_by),
    entities: [bare('Unit', o.id), bare('Position', as.id)],
  };
}

// The entity form (schema.cedarschema): the facts as entity attributes.
function entitiesRequest(x) {
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

// The empty call, timed the same way (one sample per call) over as many calls.
const emptyCall = { principal: { type: 'Position', id: 'p' }, action: { type: 'Action', id: 'kedudukan' },
  resource: { type: 'Position', id: 'q' }, context: {}, entities: [], preparsedPolicySetId: 'empty' };
const emptyNs = [];
for (let i = 0; i < Math.max(3 * calls.length, 10000); i++) {
  const t0 = process.hrtime.bigint();
  const r = cedar.statefulIsAuthorized(emptyCall);
  emptyNs.push(Number(process.hrtime.bigint() - t0));
  if (r.type !== 'success' || r.response.decision !== 'allow') throw new Error('cedar: empty call failed');
}
emptyNs.sort((a, b) => a - b);
// The same requests against the permit-all policy set: what taking in this
// request costs (entities, context) with next to no policy to evaluate.
const inputNs = [];
for (let pass = 0; pass < 3; pass++) {
  for (const c of calls) {
    const call = { ...c, preparsedPolicySetId: 'empty' };
    const t0 = process.hrtime.bigint();
    const r = cedar.statefulIsAuthorized(call);
    inputNs.push(Number(process.hrtime.bigint() - t0));
    if (r.type !== 'success') throw new Error('cedar: permit-all call failed: ' + JSON.stringify(r.errors));
  }
}
inputNs.sort((a, b) => a - b);

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
  engine: variant === 'context' ? 'cedar-context' : 'cedar',
  variant,
  version: cedar.getCedarVersion(),
  queries: calls.length,
  samples: ns.length,
  check: { median_ns: pct(0.5), p10_ns: pct(0.1), p90_ns: pct(0.9), decisions_per_s: calls.length / best },
  by_type: perType,
  empty_call: { median_ns: pct(0.5, emptyNs), p10_ns: pct(0.1, emptyNs), p90_ns: pct(0.9, emptyNs) },
  input_only: { median_ns: pct(0.5, inputNs), p10_ns: pct(0.1, inputNs), p90_ns: pct(0.9, inputNs) },
}));
