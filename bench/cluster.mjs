// Crimson in a cluster against Crimson alone (issue 16, performance): req/s with wrk (-t1 -c32), a private
// redis-server (Debian's). Workloads (the shapes of ../shared/bench's W1, W2 and W7):
//   - W1-like: GET /w1: http in → change (payload = a 20-item list) → http response;
//   - W2-like: POST /todo with a JSON body: http in → function (the shared bench's W2: push the todo into
//     global.todoLog, capped at 1000, with an increasing global.todoSeq) → http response 201;
//   - W7-like: GET /fn20?x=1: http in → 20 × function `return msg;` → http response;
//   - context: GET /ctx: http in → function (flow.get + flow.set of a counter) → http response.
// Configurations, each measured against one address:
//   - alone, memory context; alone, redis context (Crimson on CPU 0);
//   - one instance of a cluster of two (measured on CPU 0, the second idle on CPU 1; the cluster's default
//     context store is redis);
//   - BENCH_INSTANCES (default 2) instances of one cluster, all on CPU 0, behind nginx (Debian's; installed with
//     apt-get when missing and root, skipped otherwise) on CPU 1: one worker, keep-alive to the instances, the
//     config of lib/nginx.mjs; the /comms websocket upgrade is checked through it before timing.
// wrk and redis-server run on CPU 1. A round starts every configuration (each idle while another is measured) and
// measures each workload on all of them in turn, seconds apart, in the reverse order every other round. Ratios
// are to "alone, memory context": the median of the round-by-round ratios, and their range. With
// BENCH_TOGETHER=1 the single-instance configurations get their load at the same time and share CPU 0, so a slow
// spell of the machine (this VM's req/s moves by ±20-30% from one minute to the next) falls on all of them alike
// and the ratio is that of their CPU cost per request.
//
//   npm run build && node bench/cluster.mjs          # 5 s per measure (after 5 s of warm-up), 3 rounds
//   BENCH_DURATION=10 BENCH_ROUNDS=5 BENCH_INSTANCES=3 node bench/cluster.mjs
//   BENCH_WORKLOADS=w2,ctx BENCH_CONFIGS=cluster node bench/cluster.mjs   # some workloads (w1,w2,w7,ctx) and
//                                                      configurations (aloneRedis,cluster,lb; alone always)
//   BENCH_TOGETHER=1 BENCH_CONFIGS=cluster node bench/cluster.mjs       # alone and cluster loaded at once
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson, pollUntil, request, sleep } from './lib/http.mjs';
import { hasTaskset, pinned } from './lib/servers.mjs';
import { W2_BODY, W2_FUNC } from './lib/flows.mjs';
import { findNginx, startNginx } from './lib/nginx.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(path.dirname(benchDir), 'dist', 'cli.js');
const seconds = Number(process.env.BENCH_DURATION ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const lbInstances = Number(process.env.BENCH_INSTANCES ?? 2);
const CRIMSON_CPU = 0;
const LOAD_CPU = 1;

const list = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `Todo item number ${i + 1}`, done: i % 3 === 0 }));
const flows = [
  { id: 'b-tab', type: 'tab', label: 'cluster bench' },
  { id: 'b-in1', type: 'http in', z: 'b-tab', url: '/w1', method: 'get', x: 1, y: 1, wires: [['b-ch']] },
  { id: 'b-ch', type: 'change', z: 'b-tab', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: JSON.stringify(list), tot: 'json' }], x: 1, y: 1, wires: [['b-out']] },
  { id: 'b-in2', type: 'http in', z: 'b-tab', url: '/ctx', method: 'get', x: 1, y: 1, wires: [['b-fn']] },
  { id: 'b-fn', type: 'function', z: 'b-tab', outputs: 1, x: 1, y: 1, wires: [['b-out']],
    func: 'const n = (flow.get("n") || 0) + 1;\nflow.set("n", n);\nmsg.payload = { n };\nreturn msg;' },
  { id: 'b-out', type: 'http response', z: 'b-tab', x: 1, y: 1, wires: [] },
  { id: 'b-in3', type: 'http in', z: 'b-tab', url: '/todo', method: 'post', x: 1, y: 1, wires: [['b-todo']] },
  { id: 'b-todo', type: 'function', z: 'b-tab', outputs: 1, x: 1, y: 1, wires: [['b-201']], func: W2_FUNC },
  { id: 'b-201', type: 'http response', z: 'b-tab', statusCode: '201', headers: {}, x: 1, y: 1, wires: [] },
  { id: 'b-in7', type: 'http in', z: 'b-tab', url: '/fn20', method: 'get', x: 1, y: 1, wires: [['b-f1']] },
  ...Array.from({ length: 20 }, (_, i) => ({ id: `b-f${i + 1}`, type: 'function', z: 'b-tab', outputs: 1, x: 1, y: 1,
    func: 'return msg;', wires: [[i < 19 ? `b-f${i + 2}` : 'b-out']] })),
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-cluster-bench-'));
const postScript = path.join(tmp, 'post-todo.lua');
fs.writeFileSync(postScript, `wrk.method = "POST"\nwrk.body = '${W2_BODY}'\nwrk.headers["Content-Type"] = "application/json"\n`);

const ALL_WORKLOADS = [
  { key: 'w1', label: 'W1-like', path: '/w1',
    ok: (r) => r.status === 200 && parseJson(r.text)?.length === 20 },
  { key: 'w2', label: 'W2-like', path: '/todo', method: 'POST', body: W2_BODY, script: postScript,
    ok: (r) => r.status === 201 && parseJson(r.text)?.title === 'buy milk' && Number.isInteger(parseJson(r.text)?.id) },
  { key: 'w7', label: 'W7-like', path: '/fn20?x=1',
    ok: (r) => r.status === 200 && r.text === '{"x":"1"}' },
  { key: 'ctx', label: 'flow.get + flow.set', path: '/ctx',
    ok: (r) => r.status === 200 && Number.isInteger(parseJson(r.text)?.n) },
];
const pick = (env, all) => (env ? env.split(',').filter((k) => all.includes(k)) : all);
const WORKLOADS = ALL_WORKLOADS.filter((w) => pick(process.env.BENCH_WORKLOADS, ALL_WORKLOADS.map((x) => x.key)).includes(w.key));
// "alone, memory context" is always measured: the ratios are to it
const CONFIGS = ['alone', ...pick(process.env.BENCH_CONFIGS, ['aloneRedis', 'cluster', 'lb']).filter((c) => c !== 'alone')];

// every child started here, ended by pid on exit / Ctrl-C
const children = new Set();
const track = (child) => { children.add(child); child.once('exit', () => children.delete(child)); return child; };
const killChildren = () => { for (const c of children) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } } };
process.on('exit', () => { killChildren(); fs.rmSync(tmp, { recursive: true, force: true }); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const freePort = () => new Promise((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});

async function startRedis() {
  const port = await freePort();
  const argv = pinned(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], LOAD_CPU);
  const child = track(spawn(argv[0], argv.slice(1), { stdio: 'ignore' }));
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((r) => { const s = net.connect(port, '127.0.0.1', () => { s.end(); r(true); }); s.on('error', () => r(false)); });
    if (up) break;
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function startCrimson(settings, cpu, withFlows) {
  const dir = fs.mkdtempSync(path.join(tmp, 'crimson-'));
  if (withFlows) fs.writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(flows));
  fs.writeFileSync(path.join(dir, 'settings.cjs'), `module.exports = ${JSON.stringify({ uiHost: '127.0.0.1', logging: { console: { level: 'warn' } }, ...settings })};\n`);
  const port = await freePort();
  const argv = pinned([process.execPath, cli, '-p', String(port), '-u', dir, '-s', path.join(dir, 'settings.cjs')], cpu);
  const child = track(spawn(argv[0], argv.slice(1), { stdio: 'ignore' }));
  await pollUntil(port, '/w1', (r) => r.status === 200, { isAlive: () => child.exitCode === null });
  return { port, pid: child.pid, stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); fs.rmSync(dir, { recursive: true, force: true }); } };
}

const problems = [];

/** wrk on one workload (a child process): req/s and requests; non-2xx answers and socket errors are noted. */
function wrk(port, wl, what) {
  const argv = pinned(['wrk', '-t1', '-c32', `-d${seconds}s`, ...(wl.script ? ['-s', wl.script] : []), `http://127.0.0.1:${port}${wl.path}`], LOAD_CPU);
  return new Promise((resolve) => {
    const child = track(spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] }));
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', () => {
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const socket = /Socket errors:[^\n]*/.exec(out)?.[0];
      if (non2xx || socket) problems.push(`${what} ${wl.label}: ${non2xx ? `${non2xx} non-2xx answers ` : ''}${socket ?? ''}`);
      resolve({ rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN), requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN) });
    });
  });
}

/** CPU time (user + system, in clock ticks) the processes have used so far, from /proc; NaN where there is none. */
const TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
function cpuTicks(pids) {
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += Number(f[11]) + Number(f[12]);
    } catch {
      return NaN;
    }
  }
  return sum;
}

/** Each workload answers what it should through `port`. */
async function check(port, what) {
  for (const wl of WORKLOADS) {
    const r = await request(port, wl.method ?? 'GET', wl.path, { body: wl.body, timeout: 5000 });
    if (!wl.ok(r)) throw new Error(`${what}: ${wl.label} answered ${r.status} ${r.text.slice(0, 100)}`);
  }
}

/**
 * One workload on running configurations, each warmed up, then measured: req/s, and the CPU time its instances
 * (`pids`) spent per request, in µs. In turn, or all at once (`together`: on CPU 0, sharing it).
 */
async function measure(list, wl) {
  if (together) {
    await Promise.all(list.map((t) => wrk(t.port, wl, `${t.what} (warm-up)`)));
    const before = list.map((t) => cpuTicks(t.pids));
    const runs = await Promise.all(list.map((t) => wrk(t.port, wl, t.what)));
    return runs.map((r, i) => figures(r, list[i], before[i]));
  }
  const out = [];
  for (const t of list) {
    await wrk(t.port, wl, `${t.what} (warm-up)`);
    const before = cpuTicks(t.pids);
    out.push(figures(await wrk(t.port, wl, t.what), t, before));
  }
  return out;
}

const figures = ({ rps, requests }, target, ticksBefore) =>
  ({ rps, cpu: ((cpuTicks(target.pids) - ticksBefore) / TICKS_PER_S) * 1e6 / requests });

/** The editor's websocket through the load balancer: 101 Switching Protocols from an instance. */
function upgrades(port) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/comms', agent: false, headers: {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'),
    } });
    req.setTimeout(5000, () => req.destroy(new Error('no answer to the upgrade')));
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode); });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    req.end();
  });
}

const nginx = lbInstances > 0 ? findNginx() : { why: 'BENCH_INSTANCES=0' };
if (!nginx.bin) process.stderr.write(`the load-balanced configuration is skipped: ${nginx.why}\n`);
const lbLabel = `${lbInstances} instances of a cluster behind nginx`;
let lbConf = '';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { alone: [], aloneRedis: [], cluster: [], lb: [] };

/** Each configuration: start what it needs; `stop` ends it all. Measured through `port`, its CPU from `pids`. */
const configurations = {
  async alone() {
    const alone = await startCrimson({ credentialSecret: 'b' }, CRIMSON_CPU, true);
    return { what: 'alone', port: alone.port, pids: [alone.pid], stop: alone.stop };
  },
  async aloneRedis(redis, round) {
    const withRedis = await startCrimson({ credentialSecret: 'b', contextStorage: { default: { module: 'redis', config: { url: redis.url, prefix: `r${round}` } } } }, CRIMSON_CPU, true);
    return { what: 'alone, redis', port: withRedis.port, pids: [withRedis.pid], stop: withRedis.stop };
  },
  async cluster(redis, round) {
    const cluster = { credentialSecret: 'b', cluster: { url: redis.url, name: `c${round}` } };
    const first = await startCrimson(cluster, CRIMSON_CPU, true);
    const second = await startCrimson(cluster, LOAD_CPU, false);
    return { what: 'cluster', port: first.port, pids: [first.pid], stop: async () => { await first.stop(); await second.stop(); } };
  },
  async lb(redis, round) {
    if (!nginx.bin) return undefined;
    const lbCluster = { credentialSecret: 'b', cluster: { url: redis.url, name: `lb${round}` } };
    const members = [await startCrimson(lbCluster, CRIMSON_CPU, true)];
    while (members.length < lbInstances) members.push(await startCrimson(lbCluster, CRIMSON_CPU, false));
    const lb = await startNginx(nginx.bin, { port: await freePort(), upstreams: members.map((m) => m.port), cpu: LOAD_CPU });
    lbConf = lb.conf;
    const status = await upgrades(lb.port);
    if (status !== 101) problems.push(`nginx: the /comms websocket upgrade answered ${status}, not 101`);
    return { what: 'nginx', port: lb.port, pids: members.map((m) => m.pid), stop: async () => { await lb.stop(); for (const m of members) await m.stop(); } };
  },
};

// BENCH_TOGETHER=1: the single-instance configurations are loaded at the same time, sharing CPU 0, so that a slow
// spell of the machine falls on all of them alike; their ratio is then the ratio of their CPU cost per request
const together = process.env.BENCH_TOGETHER === '1';
const RUN = together ? CONFIGS.filter((c) => c !== 'lb') : CONFIGS;
if (together && CONFIGS.includes('lb')) process.stderr.write('BENCH_TOGETHER=1: the nginx configuration (several instances) is left out\n');

for (let round = 0; round < rounds; round++) {
  const redis = await startRedis();
  const running = [];
  try {
    // every configuration runs for the whole round (idle while another is measured), and each workload is
    // measured on all of them in turn, seconds apart; the order turns round every other round, so that a slow
    // spell of the machine does not always fall on the same configuration
    for (const config of RUN) {
      const target = await configurations[config](redis, round);
      if (target) running.push({ config, ...target });
    }
    for (const t of running) await check(t.port, t.what);
    const order = round % 2 === 0 ? running : [...running].reverse();
    const out = Object.fromEntries(running.map((t) => [t.config, { cpu: {} }]));
    for (const wl of WORKLOADS) {
      const got = await measure(order, wl);
      order.forEach((t, i) => { out[t.config][wl.key] = got[i].rps; out[t.config].cpu[wl.key] = got[i].cpu; });
    }
    for (const t of running) results[t.config].push(out[t.config]);
    process.stderr.write(`round ${round + 1}/${rounds}: ${JSON.stringify(out)}\n`);
  } finally {
    for (const t of running) await t.stop();
    redis.stop();
  }
}

const m = (k, f) => median(results[k].map((r) => r[f]));
const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : 'n/a');
/** Round-by-round ratios of configuration k to alone (the same round: seconds apart), as `get` reads them. */
const ratios = (k, get) => results[k].map((r, i) => get(r) / get(results.alone[i]));
/** "figure (median of the round-by-round ratios×, lowest-highest)". */
const withRatio = (v, rs, format) => `${format(v)} (${median(rs).toFixed(2)}×, ${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)})`;
const cell = (k, f) => (k === 'alone' ? fmt(m(k, f)) : withRatio(m(k, f), ratios(k, (r) => r[f]), fmt));
const cpus = hasTaskset
  ? `Crimson on CPU ${CRIMSON_CPU} (behind nginx: all ${lbInstances} instances on CPU ${CRIMSON_CPU}; the idle second instance of "one of a cluster of two" on CPU ${LOAD_CPU}); wrk, redis-server and nginx on CPU ${LOAD_CPU}`
  : 'no taskset: nothing pinned';
console.log(`wrk -t1 -c32 -d${seconds}s after a warm-up as long, ${together ? 'the configurations loaded at the same time, ' : ''}median of ${rounds} rounds, ${os.cpus().length} CPUs; ${cpus}; in brackets: the median of the round-by-round ratios to alone and their range\n`);
console.log(`| configuration | ${WORKLOADS.map((w) => `${w.label} req/s`).join(' | ')} |`);
console.log(`|---|${WORKLOADS.map(() => '---:').join('|')}|`);
const rows = [['alone', 'alone, memory context'], ['aloneRedis', 'alone, redis context'], ['cluster', 'one of a cluster of two'], ['lb', lbLabel]]
  .filter(([k]) => results[k].length > 0);
for (const [k, label] of rows) console.log(`| ${label} | ${WORKLOADS.map((w) => cell(k, w.key)).join(' | ')} |`);
// CPU per request: the instances' own time, medians over the rounds; the ratio is to alone's (lower is better)
const mc = (k, f) => median(results[k].map((r) => r.cpu[f]));
const fmtUs = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const cpuCell = (k, f) => (k === 'alone' ? fmtUs(mc(k, f)) : withRatio(mc(k, f), ratios(k, (r) => r.cpu[f]), fmtUs));
console.log(`\nCPU time of the measured instance(s) per request, µs (user + system from /proc; × alone's, lower is better):\n`);
console.log(`| configuration | ${WORKLOADS.map((w) => `${w.label} µs`).join(' | ')} |`);
console.log(`|---|${WORKLOADS.map(() => '---:').join('|')}|`);
for (const [k, label] of rows) console.log(`| ${label} | ${WORKLOADS.map((w) => cpuCell(k, w.key)).join(' | ')} |`);
if (CONFIGS.includes('lb') && !results.lb.length) console.log(`\n(${lbLabel}: skipped, ${nginx.why})`);
else if (results.lb.length) console.log(`\nnginx config (its temporary folder in place of the paths):\n\n${lbConf}`);
for (const p of problems) console.log(`PROBLEM ${p}`);
process.exitCode = problems.length ? 1 : 0;
