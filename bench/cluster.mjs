// Crimson in a cluster against Crimson alone (issue 16, performance): req/s with wrk (-t1 -c32) against one
// instance, pinned to CPU 0, wrk on CPU 1, a private redis-server (Debian's) on CPU 1 too.
//   - W1-like: http in → change (payload = a 20-item list) → http response;
//   - context: http in → function (flow.get + flow.set of a counter) → http response.
// Configurations: alone with the memory store; alone with the redis store; an instance of a cluster of two
// (the second instance idle, on the same Redis; the cluster's default context store is redis).
//
//   npm run build && node bench/cluster.mjs          # 5 s per measure, 3 rounds
//   BENCH_DURATION=10 BENCH_ROUNDS=5 node bench/cluster.mjs
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollUntil, request, sleep } from './lib/http.mjs';
import { killAll, pinned } from './lib/servers.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(path.dirname(benchDir), 'dist', 'cli.js');
const seconds = Number(process.env.BENCH_DURATION ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const list = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `Todo item number ${i + 1}`, done: i % 3 === 0 }));
const flows = [
  { id: 'b-tab', type: 'tab', label: 'cluster bench' },
  { id: 'b-in1', type: 'http in', z: 'b-tab', url: '/w1', method: 'get', x: 1, y: 1, wires: [['b-ch']] },
  { id: 'b-ch', type: 'change', z: 'b-tab', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: JSON.stringify(list), tot: 'json' }], x: 1, y: 1, wires: [['b-out']] },
  { id: 'b-in2', type: 'http in', z: 'b-tab', url: '/ctx', method: 'get', x: 1, y: 1, wires: [['b-fn']] },
  { id: 'b-fn', type: 'function', z: 'b-tab', outputs: 1, x: 1, y: 1, wires: [['b-out']],
    func: 'const n = (flow.get("n") || 0) + 1;\nflow.set("n", n);\nmsg.payload = { n };\nreturn msg;' },
  { id: 'b-out', type: 'http response', z: 'b-tab', x: 1, y: 1, wires: [] },
];

const freePort = () => new Promise((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});

async function startRedis() {
  const port = await freePort();
  const argv = pinned(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], 1);
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((r) => { const s = net.connect(port, '127.0.0.1', () => { s.end(); r(true); }); s.on('error', () => r(false)); });
    if (up) break;
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function startCrimson(settings, cpu, withFlows) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-cluster-bench-'));
  if (withFlows) fs.writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(flows));
  fs.writeFileSync(path.join(dir, 'settings.cjs'), `module.exports = ${JSON.stringify({ uiHost: '127.0.0.1', logging: { console: { level: 'warn' } }, ...settings })};\n`);
  const port = await freePort();
  const argv = pinned([process.execPath, cli, '-p', String(port), '-u', dir, '-s', path.join(dir, 'settings.cjs')], cpu);
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  await pollUntil(port, '/w1', (r) => r.status === 200, { isAlive: () => child.exitCode === null });
  return { port, stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); fs.rmSync(dir, { recursive: true, force: true }); } };
}

function wrk(port, p) {
  const argv = pinned(['wrk', '-t1', '-c32', `-d${seconds}s`, `http://127.0.0.1:${port}${p}`], 1);
  const out = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' }).stdout;
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
}

async function measure(port) {
  wrk(port, '/w1');
  wrk(port, '/ctx'); // warm-up
  return { w1: wrk(port, '/w1'), ctx: wrk(port, '/ctx') };
}

process.on('exit', killAll);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { alone: [], aloneRedis: [], cluster: [] };
for (let round = 0; round < rounds; round++) {
  const redis = await startRedis();
  try {
    const alone = await startCrimson({ credentialSecret: 'b' }, 0, true);
    results.alone.push(await measure(alone.port));
    await alone.stop();
    const withRedis = await startCrimson({ credentialSecret: 'b', contextStorage: { default: { module: 'redis', config: { url: redis.url, prefix: `r${round}` } } } }, 0, true);
    results.aloneRedis.push(await measure(withRedis.port));
    await withRedis.stop();
    const cluster = { credentialSecret: 'b', cluster: { url: redis.url, name: `c${round}` } };
    const first = await startCrimson(cluster, 0, true);
    const second = await startCrimson(cluster, 1, false);
    results.cluster.push(await measure(first.port));
    await first.stop();
    await second.stop();
  } finally {
    redis.stop();
  }
  process.stderr.write(`round ${round + 1}/${rounds}: ${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.at(-1)])))}\n`);
}
const m = (k, f) => median(results[k].map((r) => r[f]));
const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : 'n/a');
console.log(`wrk -t1 -c32 -d${seconds}s, median of ${rounds} rounds; Crimson on CPU 0, wrk and redis-server on CPU 1\n`);
console.log('| configuration | W1-like req/s | flow.get + flow.set req/s |');
console.log('|---|---:|---:|');
console.log(`| alone, memory context | ${fmt(m('alone', 'w1'))} | ${fmt(m('alone', 'ctx'))} |`);
console.log(`| alone, redis context | ${fmt(m('aloneRedis', 'w1'))} (${(m('aloneRedis', 'w1') / m('alone', 'w1')).toFixed(2)}×) | ${fmt(m('aloneRedis', 'ctx'))} (${(m('aloneRedis', 'ctx') / m('alone', 'ctx')).toFixed(2)}×) |`);
console.log(`| one of a cluster of two | ${fmt(m('cluster', 'w1'))} (${(m('cluster', 'w1') / m('alone', 'w1')).toFixed(2)}×) | ${fmt(m('cluster', 'ctx'))} (${(m('cluster', 'ctx') / m('alone', 'ctx')).toFixed(2)}×) |`);
