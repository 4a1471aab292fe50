#!/usr/bin/env node
// Cerbos's side of the peer comparison (README.md): starts the native PDP
// from @cerbos/cerbos-linux-x64 on 127.0.0.1 (free ports, disk policy store,
// no telemetry, no audit log), then asks POST /api/check/resources over
// HTTP/1.1 with keep-alive: one resource per request (latency) and batches
// (throughput), one request at a time. Then the same requests through the
// gRPC client (@cerbos/grpc, one HTTP/2 connection) with several requests in
// flight at once, which is how a busy service would call it: latency per
// request and decisions/s at each concurrency. Stops the PDP it started.
//
//   node cerbos_peer.cjs FACTS.jsonl DECISIONS.txt WORKDIR [--min-seconds S] [--passes N] [--batch B]
//                        [--grpc-decisions FILE] [--concurrency 1,8,32]
//
// DECISIONS.txt gets the HTTP answers, FILE (default DECISIONS with _grpc
// before the extension) the gRPC ones; the two are also compared here.
'use strict';
const fs = require('fs');
const path = require('path');
const net = require('net');
const http = require('http');
const os = require('os');
const { spawn } = require('child_process');
const { GRPC } = require('@cerbos/grpc');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const [factsPath, outPath, workDir] = args;
const minSeconds = opt('--min-seconds', 3);
const minPasses = opt('--passes', 2);
// 50: the PDP's default server.requestLimits.maxResourcesPerRequest.
const batchSize = opt('--batch', 50);
const strOpt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const grpcOut = strOpt('--grpc-decisions', outPath.replace(/(\.[^./]*)?$/, '_grpc$1'));
const levels = strOpt('--concurrency', '1,8,32').split(',').map(Number);
if (levels.some((c) => !(c >= 1 && c <= 256))) {
  console.error('cerbos: --concurrency takes numbers from 1 to 256');
  process.exit(2);
}
// The PDP's Go scheduler gets every core of the machine (its default, made
// explicit so the comparison with perwal on as many threads is stated).
const pdpThreads = os.availableParallelism ? os.availableParallelism() : os.cpus().length;

const bin = path.join(__dirname, 'node_modules', '@cerbos', 'cerbos-linux-x64', 'cerbos-linux-x64');
const policyDir = path.join(__dirname, 'cerbos', 'policies');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function post(port, pathname, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': data.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`cerbos HTTP ${res.statusCode}: ${text}`));
          else resolve(JSON.parse(text));
        });
      });
    req.on('error', reject);
    req.end(data);
  });
}

function get(port, pathname) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
  });
}

// Facts (gen_queries.py) -> a Cerbos resource; the attributes are the facts.
function entry(x, i) {
  if (x.type === 'kedudukan') {
    return { actions: ['check'],
      resource: { kind: 'kedudukan', id: `q${i}`, attr: { position: x.position, atasan: x.atasan } } };
  }
  return { actions: ['penunjukan'],
    resource: { kind: 'penugasan', id: `q${i}`,
      attr: { mode: x.mode, owner: x.owner, assignee: x.assignee, assigned_by: x.assigned_by, steps: x.steps } } };
}
const principal = { id: 'perwal-peer', roles: ['asn'] };
const effect = (r) => {
  const v = Object.values(r.actions)[0];
  return v === 'EFFECT_ALLOW' ? 'allow' : 'deny';
};

async function main() {
  const httpPort = await freePort();
  const grpcPort = await freePort();
  fs.mkdirSync(workDir, { recursive: true });
  const config = path.join(workDir, 'cerbos.yaml');
  fs.writeFileSync(config, [
    'server:',
    `  httpListenAddr: "127.0.0.1:${httpPort}"`,
    `  grpcListenAddr: "127.0.0.1:${grpcPort}"`,
    'storage:',
    '  driver: disk',
    '  disk:',
    `    directory: ${JSON.stringify(policyDir)}`,
    '    watchForChanges: false',
    'audit:',
    '  enabled: false',
    'telemetry:',
    '  disabled: true',
    '',
  ].join('\n'));
  const log = fs.openSync(path.join(workDir, 'cerbos.log'), 'w');
  const pdp = spawn(bin, ['server', `--config=${config}`, '--log-level=error'], {
    env: { ...process.env, CERBOS_NO_TELEMETRY: '1', GOMAXPROCS: String(pdpThreads) }, stdio: ['ignore', log, log] });
  let exited = false;
  pdp.on('exit', () => { exited = true; });
  try {
    for (let i = 0; ; i++) {
      if (exited) throw new Error('cerbos exited; see ' + path.join(workDir, 'cerbos.log'));
      if ((await get(httpPort, '/_cerbos/health')) === 200) break;
      if (i > 200) throw new Error('cerbos did not become ready');
      await new Promise((r) => setTimeout(r, 50));
    }
    const facts = fs.readFileSync(factsPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const entries = facts.map(entry);
    const single = entries.map((e, i) => ({ requestId: `q${i}`, principal, resources: [e] }));
    const batches = [];
    for (let i = 0; i < entries.length; i += batchSize) {
      batches.push({ requestId: `b${i}`, principal, resources: entries.slice(i, i + batchSize) });
    }

    // Decisions, from the batched calls (the single calls are checked against them below).
    const decisions = [];
    for (const b of batches) {
      const r = await post(httpPort, '/api/check/resources', b);
      for (const res of r.results) decisions.push(effect(res));
    }
    fs.writeFileSync(outPath, decisions.map((d) => d + '\n').join(''));

    const ns = [];
    const byType = {};
    let bestSingle = Infinity, bestBatch = Infinity;
    const started = process.hrtime.bigint();
    for (let pass = 0; pass < minPasses || Number(process.hrtime.bigint() - started) / 1e9 < minSeconds; pass++) {
      const p0 = process.hrtime.bigint();
      for (let i = 0; i < single.length; i++) {
        const t0 = process.hrtime.bigint();
        const r = await post(httpPort, '/api/check/resources', single[i]);
        const t = Number(process.hrtime.bigint() - t0);
        ns.push(t);
        (byType[facts[i].type] ||= []).push(t);
        if (effect(r.results[0]) !== decisions[i]) throw new Error(`cerbos: single and batched answers differ on query ${i + 1}`);
      }
      bestSingle = Math.min(bestSingle, Number(process.hrtime.bigint() - p0) / 1e9);
      const p1 = process.hrtime.bigint();
      for (const b of batches) await post(httpPort, '/api/check/resources', b);
      bestBatch = Math.min(bestBatch, Number(process.hrtime.bigint() - p1) / 1e9);
      if (pass > 1000) break;
    }
    // gRPC: the same single-resource requests (and the batches), with up to
    // `c` requests in flight on one connection; each level repeated until
    // min-seconds have gone by (at least one pass). The first pass of each
    // level is checked against the HTTP answers.
    const client = new GRPC(`127.0.0.1:${grpcPort}`, { tls: false });
    const allowed = (res, e) => (res.isAllowed(e.actions[0]) ? 'allow' : 'deny');
    async function grpcPass(requests, c) {
      const lat = new Array(requests.length);
      const answers = new Array(requests.length);
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const i = next++;
          const t0 = process.hrtime.bigint();
          const r = await client.checkResources(requests[i]);
          lat[i] = Number(process.hrtime.bigint() - t0);
          answers[i] = r.results.map((res, k) => allowed(res, requests[i].resources[k]));
        }
      };
      const p0 = process.hrtime.bigint();
      await Promise.all(Array.from({ length: Math.min(c, requests.length) }, worker));
      return { seconds: Number(process.hrtime.bigint() - p0) / 1e9, lat, answers: answers.flat() };
    }
    const sameAsHttp = (answers, what) => {
      const i = answers.findIndex((a, k) => a !== decisions[k]);
      if (i >= 0) throw new Error(`cerbos: gRPC ${what} and HTTP answers differ on query ${i + 1}`);
    };
    const grpc = { pdp_threads: pdpThreads, single: [], batched: [] };
    try {
      const singleReq = entries.map((e, i) => ({ requestId: `g${i}`, principal, resources: [e] }));
      const batchReq = batches.map((b) => ({ requestId: b.requestId, principal, resources: b.resources }));
      for (const [kind, requests] of [['single', singleReq], ['batched', batchReq]]) {
        for (const c of levels) {
          const lat = [];
          let bestPass = Infinity;
          const g0 = process.hrtime.bigint();
          for (let pass = 0; pass < 1 || Number(process.hrtime.bigint() - g0) / 1e9 < minSeconds; pass++) {
            const r = await grpcPass(requests, c);
            if (pass === 0) {
              sameAsHttp(r.answers, `${kind} (${c} in flight)`);
              if (kind === 'single' && c === levels[0]) fs.writeFileSync(grpcOut, r.answers.map((d) => d + '\n').join(''));
            }
            lat.push(...r.lat);
            bestPass = Math.min(bestPass, r.seconds);
            if (pass > 1000) break;
          }
          lat.sort((a, b) => a - b);
          const q = (x) => lat[Math.floor(x * (lat.length - 1))];
          grpc[kind].push({ concurrency: c, request_median_ns: q(0.5), request_p10_ns: q(0.1), request_p90_ns: q(0.9),
            resources_per_request: requests[0].resources.length, decisions_per_s: entries.length / bestPass });
        }
      }
    } finally {
      client.close();
    }

    const pct = (q, v = ns) => v[Math.floor(q * (v.length - 1))];
    ns.sort((a, b) => a - b);
    const perType = {};
    for (const [k, v] of Object.entries(byType)) {
      v.sort((a, b) => a - b);
      perType[k] = { median_ns: pct(0.5, v), p10_ns: pct(0.1, v), p90_ns: pct(0.9, v) };
    }
    console.log(JSON.stringify({
      engine: 'cerbos',
      queries: entries.length,
      samples: ns.length,
      batch_size: batchSize,
      check: { median_ns: pct(0.5), p10_ns: pct(0.1), p90_ns: pct(0.9), decisions_per_s: entries.length / bestSingle },
      batched: { decisions_per_s: entries.length / bestBatch },
      grpc,
      by_type: perType,
    }));
  } finally {
    pdp.kill('SIGTERM');
    agent.destroy();
  }
}

main().catch((e) => {
  console.error(e.message || e);
  process.exitCode = 1;
});
