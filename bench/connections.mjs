// Many connections at once: `wrk -t2 -c2000 -d10s` against an `http in` → `http response` flow (GET /hello), on
// Crimson and on Node-RED 4.1.15, one after the other, each server pinned to CPU 0 and wrk to CPU 1.
// Each server meets the burst twice, 1 s apart (the first burst finds Node's accept path not yet optimized by
// V8, the second finds it compiled). Prints req/s, the latency percentiles, wrk's timeouts (answers slower than
// 2 s) and socket errors for each burst, and the connections still waiting in the server's accept queue near the end of the run (read with
// `ss`): wrk counts no latency and no timeout for a request whose connection was never accepted, so a server
// that leaves connections unaccepted shows percentiles of the connections it served only. Hence also "p99, all
// requests": the timeouts and one request per never-accepted connection counted as slower than 2 s (p99All).
// Markdown table (README "Many connections").
//
//   npm run build && node bench/connections.mjs            # 10 s per round, 3 rounds each, alternating
//   BENCH_CONNECTIONS=4000 BENCH_DURATION=20 BENCH_ROUNDS=1 node bench/connections.mjs
//   BENCH_TARGETS=crimson node bench/connections.mjs      # one server only (nodered | crimson)
//   BENCH_WARMUP=0 node bench/connections.mjs             # no 50-connection warm-up (default 2 s): a cold server
//
// Needs `wrk` (Debian: apt-get install wrk) and Node-RED 4.1.15 (the repo's devDependency, or
// bench/node_modules). The open-files limit must allow the connections (it is raised for wrk here).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, pollUntil, sleep } from './lib/http.mjs';
import { killAll, pinned, startServer } from './lib/servers.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 2000);
const seconds = Number(process.env.BENCH_DURATION ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const basePort = Number(process.env.BENCH_PORT ?? 18940);
const warmUpSeconds = Number(process.env.BENCH_WARMUP ?? 2);

const nodeRedScript = [path.join(repoDir, 'node_modules', 'node-red', 'red.js'), path.join(benchDir, 'node_modules', 'node-red', 'red.js')].find((f) => fs.existsSync(f));
if (!nodeRedScript) throw new Error('Node-RED 4.1.15 not found: run npm install in the repo (devDependency) or in bench/');
const only = process.env.BENCH_TARGETS?.split(',');
const targets = [
  { name: 'nodered', label: 'Node-RED 4.1.15', script: nodeRedScript },
  { name: 'crimson', label: 'Crimson', script: path.join(repoDir, 'dist', 'cli.js') },
].filter((t) => !only || only.includes(t.name));

const flows = [
  { id: 'c-tab', type: 'tab', label: 'connections' },
  { id: 'c-in', type: 'http in', z: 'c-tab', url: '/hello', method: 'get', x: 100, y: 100, wires: [['c-out']] },
  { id: 'c-out', type: 'http response', z: 'c-tab', x: 400, y: 100, wires: [] },
];

/** wrk's --latency output: req/s, percentiles in ms, timeouts and socket errors. */
function parseWrk(out) {
  const ms = (v, unit) => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[unit] ?? NaN);
  const pct = (p) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)`, 'm').exec(out);
    return m ? ms(m[1], m[2]) : NaN;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: pct(50), p75: pct(75), p90: pct(90), p99: pct(99),
    timeouts: errors ? Number(errors[4]) : 0,
    connectErrors: errors ? Number(errors[1]) : 0,
    readErrors: errors ? Number(errors[2]) + Number(errors[3]) : 0,
    answered: Number(/^tail answered (\d+)$/m.exec(out)?.[1] ?? NaN),
    // latency percentiles 99.00, 99.01 … 100.00 of the answered requests, in ms (wrk/tail.lua)
    tail: (/^tail percentiles (.*)$/m.exec(out)?.[1] ?? '').split(' ').filter(Boolean).map((us) => Number(us) / 1000),
  };
}

/**
 * The p99 of every request the server was sent, not only of those it answered within wrk's 2 s: the timeouts
 * and one request per connection never accepted are placed above 2 s. When they are more than 1% of all, the
 * p99 is over 2 s (Infinity here, printed "> 2000"); otherwise it is the answered requests' percentile of the
 * same rank. A lower bound: a request still waiting on an accepted connection when wrk stops is counted nowhere.
 */
function p99All(r) {
  const unanswered = r.timeouts + (Number.isFinite(r.unaccepted) ? r.unaccepted : 0);
  const total = r.answered + unanswered;
  if (!(total > 0) || r.tail.length !== 101) return NaN;
  const rank = 0.99 * total;
  if (rank > r.answered) return Infinity;
  const pct = (100 * rank) / r.answered; // 99 … 100
  return r.tail[Math.min(100, Math.ceil((pct - 99) * 100 - 1e-9))];
}

/** Connections waiting in the server's accept queue (Recv-Q of its listening socket), from `ss`. */
function acceptQueue(port) {
  const r = spawnSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim().split(/\s+/)[1]);
  return Number.isFinite(n) ? n : NaN;
}

/** Runs wrk; meanwhile samples the accept queue: what is still waiting there at the end was never answered. */
function wrk(port) {
  const argv = pinned(['wrk', '-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '2s', '-s', path.join(benchDir, 'wrk', 'tail.lua'), `http://127.0.0.1:${port}/hello`], 1);
  return new Promise((resolve, reject) => {
    // wrk needs one descriptor per connection: raise the soft limit for it
    const child = spawn('bash', ['-c', 'ulimit -n $(ulimit -Hn); exec "$@"', 'wrk', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const samples = [];
    const timer = setInterval(() => samples.push(acceptQueue(port)), 500);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`wrk failed: ${err || out}`));
      // the last samples of the run (the final one may be taken after wrk closed its connections)
      const late = samples.slice(-4, -1);
      const r = { ...parseWrk(out), unaccepted: late.length ? Math.max(...late) : NaN };
      const { tail, ...shown } = r;
      resolve({ ...shown, p99All: p99All(r) });
    });
  });
}

async function measure(target, port) {
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-conn-'));
  const server = startServer(target, { port, settings: path.join(benchDir, 'settings.cjs'), tmpRoot, cpu: 0 });
  try {
    await pollUntil(port, '/settings', (r) => r.status === 200, { isAlive: server.isAlive });
    const res = await request(port, 'POST', '/flows', { body: JSON.stringify(flows), headers: { 'content-type': 'application/json', 'node-red-deployment-type': 'full' } });
    if (res.status !== 204 && res.status !== 200) throw new Error(`${target.label}: deploy answered ${res.status}`);
    await pollUntil(port, '/hello', (r) => r.status === 200 && r.text === '{}', { isAlive: server.isAlive });
    // warm-up with fewer connections, then the measured runs: the first burst of connections the server meets
    // (its accept path not yet compiled by V8's optimizer), then the same burst again
    if (warmUpSeconds > 0) {
      const warmUp = pinned(['wrk', '-t1', '-c50', `-d${warmUpSeconds}s`, `http://127.0.0.1:${port}/hello`], 1);
      const warm = spawnSync(warmUp[0], warmUp.slice(1), { encoding: 'utf8' });
      if (warm.status !== 0) throw new Error(`warm-up wrk failed: ${warm.stderr || warm.stdout}`);
      await sleep(500);
    }
    const first = await wrk(port);
    await sleep(1000);
    const second = await wrk(port);
    return { first, second };
  } finally {
    await server.stop();
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

process.on('exit', killAll);
process.on('SIGINT', () => { killAll(); process.exit(130); });

const results = new Map(targets.map((t) => [t.name, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? targets : [...targets].reverse();
  for (const [i, t] of order.entries()) {
    process.stderr.write(`round ${round + 1}/${rounds}: ${t.label} (${connections} connections, ${seconds} s)\n`);
    const r = await measure(t, basePort + i);
    process.stderr.write(`  first burst ${JSON.stringify(r.first)}\n  second burst ${JSON.stringify(r.second)}\n`);
    results.get(t.name).push(r);
  }
}

const fmt = (v, d = 0) => (v === Infinity ? '> 2000' : Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const lines = [
  `wrk -t2 -c${connections} -d${seconds}s --timeout 2s, http in → http response; median of ${rounds} round(s); server on CPU 0, wrk on CPU 1; ${warmUpSeconds > 0 ? `after a ${warmUpSeconds} s warm-up with 50 connections` : 'no warm-up'}`,
  '',
  '| server | burst | req/s | p50 ms | p90 ms | p99 ms | p99 ms, all requests | timeouts | socket errors | never accepted |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const t of targets) {
  for (const burst of ['first', 'second']) {
    const rs = results.get(t.name).map((r) => r[burst]);
    const m = (k) => median(rs.map((r) => r[k]));
    lines.push(`| ${t.label} | ${burst} | ${fmt(m('rps'))} | ${fmt(m('p50'), 1)} | ${fmt(m('p90'), 1)} | ${fmt(m('p99'), 1)} | ${fmt(m('p99All'), 1)} | ${rs.map((r) => r.timeouts).join(' / ')} | ${rs.map((r) => r.connectErrors + r.readErrors).join(' / ')} | ${rs.map((r) => r.unaccepted).join(' / ')} |`);
  }
}
console.log(lines.join('\n'));
