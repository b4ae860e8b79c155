#!/usr/bin/env node
// Crimson's own benchmark: runs Crimson (../dist/cli.js) and Node-RED 4.1.15 side by side on the
// same flows and load, and prints a markdown table of the figures and their ratios (stdout;
// progress goes to stderr). `npm run bench` from the repo root; see README.md for the knobs.
// Installs bench/node_modules (Node-RED, autocannon) on first run.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import { request, parseJson, pollUntil, sleep } from './lib/http.mjs';
import { targets as makeTargets, startServer, killAll, rssMiB, hasTaskset } from './lib/servers.mjs';
import { workloadFlows, bigFlow, READY_PATH, W2_BODY, BURST_ITEMS } from './lib/flows.mjs';
import { autocannon, killLoad, burst, bursts } from './lib/load.mjs';
import { checkWorkloads } from './lib/checks.mjs';
import { summarize, markdown, median } from './lib/report.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH, '..');
const SETTINGS = path.join(BENCH, 'settings.cjs');
const TODOS = createRequire(import.meta.url)(SETTINGS).functionGlobalContext.todos;
const ALL_WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7'];

const env = process.env;
const int = (name, d) => (env[name] ? Number.parseInt(env[name], 10) : d);
const cfg = {
    seconds: int('BENCH_DURATION', 3),     // autocannon seconds per measurement
    warmup: int('BENCH_WARMUP', 3),        // autocannon seconds per server before a workload's rounds
    rounds: int('BENCH_ROUNDS', 3),
    connections: int('BENCH_CONNECTIONS', 32),
    bursts: int('BENCH_BURSTS', 3),        // W3: at least this many bursts per measurement...
    burstSeconds: Number(env.BENCH_BURST_SECONDS || 1.5), // ...and more until this long
    port: int('BENCH_PORT', 18900),
    serverCpu: int('BENCH_SERVER_CPU', 0),
    loadCpu: int('BENCH_LOAD_CPU', 1),
    settleMs: int('BENCH_SETTLE_MS', 1000), // pause before reading RSS
    workloads: new Set((env.BENCH_WORKLOADS || ALL_WORKLOADS.join(',')).toUpperCase().split(',').map((s) => s.trim()).filter(Boolean))
};

const log = (msg) => process.stderr.write(msg + '\n');
const rotate = (list, r) => list.map((_, i) => list[(i + r) % list.length]);
const LOAD = {
    W1: { method: 'GET', path: '/test', key: 'w1' },
    W2: { method: 'POST', path: '/todo', body: W2_BODY, key: 'w2' },
    W7: { method: 'GET', path: '/fn20?x=1', key: 'w7' }
};

// ---------- set-up ----------
function ensureDeps() {
    const have = ['node-red', 'autocannon'].every((p) => fs.existsSync(path.join(BENCH, 'node_modules', p, 'package.json')));
    if (have) return;
    const lock = fs.existsSync(path.join(BENCH, 'package-lock.json'));
    log(`bench: installing Node-RED and autocannon into bench/node_modules (npm ${lock ? 'ci' : 'install'})`);
    const r = spawnSync('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: BENCH, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error('npm install in bench/ failed');
}

function pkgVersion(dir) {
    try { return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version; } catch { return null; }
}

// full deploy through the Admin API; resolves { apiMs, readyMs } (ready: READY_PATH answers `marker`)
async function deploy(port, json, marker, srv) {
    const t0 = performance.now();
    const r = await request(port, 'POST', '/flows', { body: json, headers: { 'Node-RED-Deployment-Type': 'full' }, timeout: 300000 });
    const apiMs = performance.now() - t0;
    if (r.status !== 200 && r.status !== 204) throw new Error(`POST /flows answered ${r.status}: ${r.text.slice(0, 200)}`);
    const readyMs = await pollUntil(port, READY_PATH, (x) => x.status === 200 && x.text === marker, { t0, limitMs: 300000, isAlive: srv.isAlive });
    return { apiMs, readyMs };
}

// ---------- the run ----------
class Run {
    constructor(targets, tmpRoot) {
        this.targets = targets;
        this.tmpRoot = tmpRoot;
        this.values = Object.fromEntries(targets.map((t) => [t.name, {}]));
        this.checks = Object.fromEntries(targets.map((t) => [t.name, []]));
        this.problems = [];
    }

    add(t, key, v) { (this.values[t.name][key] ??= []).push(v); }

    problem(t, msg, srv) {
        this.problems.push(`${t.label}: ${msg}` + (srv ? ` (server log ${srv.logFile})` : ''));
        log(`[${t.name}] PROBLEM ${msg}`);
    }

    start(t, i, flowsJson) {
        return startServer(t, { port: cfg.port + i, settings: SETTINGS, tmpRoot: this.tmpRoot, cpu: cfg.serverCpu, flowsJson });
    }

    // Phase 1: both servers up with the workload flows; load workloads round by round, then W4 deploys.
    async running() {
        const up = [];
        try {
            for (const [i, t] of this.targets.entries()) {
                const srv = this.start(t, i);
                const port = cfg.port + i;
                try {
                    await pollUntil(port, '/settings', (r) => r.status === 200, { isAlive: srv.isAlive });
                    await deploy(port, JSON.stringify(workloadFlows()), 'workloads', srv);
                } catch (e) {
                    this.problem(t, `could not start and deploy the workload flows: ${e.message}`, srv);
                    await srv.stop();
                    continue;
                }
                const results = await checkWorkloads(port, TODOS);
                this.checks[t.name] = results;
                const passed = new Set(results.filter((c) => c.ok).map((c) => c.id));
                for (const c of results) if (!c.ok && (c.id === 'sanity' || cfg.workloads.has(c.id))) this.problem(t, `check failed, not timed: ${c.what}`);
                log(`[${t.name}] up on port ${port}; checks: ${results.map((c) => `${c.id} ${c.ok ? 'ok' : 'FAILED'}`).join(', ')}`);
                up.push({ t, srv, port, passed });
            }
            for (const w of ['W1', 'W2', 'W7', 'W3'].filter((x) => cfg.workloads.has(x))) await this.loadWorkload(w, up);
            if (cfg.workloads.has('W4')) await this.deploys(up);
        } finally {
            for (const s of up) await s.srv.stop();
        }
    }

    async guarded(s, w, fn) {
        if (!s.srv.isAlive()) {
            if (!s.dead) this.problem(s.t, `server exited; ${w} and what follows not timed`, s.srv);
            s.dead = true;
            return;
        }
        try { await fn(); } catch (e) { this.problem(s.t, `${w}: ${e.message}`, s.srv); }
    }

    async loadWorkload(w, up) {
        const usable = up.filter((s) => s.passed.has(w));
        const opts = { connections: cfg.connections, cpu: cfg.loadCpu };
        for (const s of usable) {
            await this.guarded(s, w, async () => {
                if (w === 'W3') { if (cfg.warmup > 0) { await burst(s.port); await burst(s.port); } }
                else if (cfg.warmup > 0) await autocannon(s.port, LOAD[w], { ...opts, seconds: cfg.warmup });
            });
        }
        for (let r = 0; r < cfg.rounds; r++) {
            for (const s of rotate(usable, r)) {
                await this.guarded(s, w, async () => {
                    const tag = `[r${r + 1} ${s.t.name}] ${w}`;
                    if (w === 'W3') {
                        const times = await bursts(s.port, { min: cfg.bursts, seconds: cfg.burstSeconds });
                        const ms = median(times);
                        this.add(s.t, 'w3_ms', ms);
                        this.add(s.t, 'w3_items', BURST_ITEMS / (ms / 1000));
                        log(`${tag} ${Math.round(BURST_ITEMS / (ms / 1000))} items/s (median of ${times.length} bursts: ${ms.toFixed(1)} ms)`);
                        return;
                    }
                    const res = await autocannon(s.port, LOAD[w], { ...opts, seconds: cfg.seconds });
                    log(`${tag} ${Math.round(res.rps)} req/s, p50 ${res.p50Ms} ms, p99 ${res.p99Ms} ms`);
                    if (res.errors || res.non2xx) {
                        this.problem(s.t, `${w} round ${r + 1}: ${res.non2xx} non-2xx answers and ${res.errors} socket errors of ${res.requests}; figure discarded`);
                        return;
                    }
                    this.add(s.t, LOAD[w].key + '_rps', res.rps);
                    this.add(s.t, LOAD[w].key + '_p99', res.p99Ms);
                });
            }
        }
    }

    // W4: full deploys of the 10k-node flow into the running servers; the first one is checked
    async deploys(up) {
        for (let r = 0; r < cfg.rounds; r++) {
            for (const s of rotate(up, r)) {
                await this.guarded(s, 'W4', async () => {
                    const marker = `deploy-10k-r${r + 1}`;
                    const d = await deploy(s.port, JSON.stringify(bigFlow(10000, marker)), marker, s.srv);
                    if (r === 0) {
                        const g = await request(s.port, 'GET', '/flows');
                        const list = parseJson(g.text);
                        if (g.status !== 200 || !Array.isArray(list) || list.length !== 10000) {
                            throw new Error(`check failed: GET /flows after the 10k deploy answered ${g.status} with ${Array.isArray(list) ? list.length : 'no'} nodes`);
                        }
                    }
                    this.add(s.t, 'w4_api', d.apiMs);
                    this.add(s.t, 'w4_ready', d.readyMs);
                    log(`[r${r + 1} ${s.t.name}] W4 10k deploy: answered ${d.apiMs.toFixed(0)} ms, running ${d.readyMs.toFixed(0)} ms`);
                });
            }
        }
    }

    // Phase 2 (W5, W6): fresh processes, one at a time: startup, idle RSS, RSS after a 10k deploy
    async fresh() {
        for (let r = 0; r < cfg.rounds; r++) {
            for (const [i, t] of rotate([...this.targets.entries()], r)) {
                const port = cfg.port + i;
                const t0 = performance.now();
                const srv = this.start(t, i);
                try {
                    const startMs = await pollUntil(port, '/settings', (x) => x.status === 200, { t0, isAlive: srv.isAlive });
                    if (cfg.workloads.has('W6')) this.add(t, 'w6_start', startMs);
                    let line = `[r${r + 1} ${t.name}] W6 start ${startMs.toFixed(0)} ms`;
                    if (cfg.workloads.has('W5')) {
                        await sleep(cfg.settleMs);
                        const idle = rssMiB(srv.pid);
                        const marker = `fresh-10k-r${r + 1}`;
                        await deploy(port, JSON.stringify(bigFlow(10000, marker)), marker, srv);
                        await sleep(cfg.settleMs);
                        const after = rssMiB(srv.pid);
                        this.add(t, 'w5_idle', idle);
                        this.add(t, 'w5_10k', after);
                        line += `; W5 RSS idle ${idle.toFixed(1)} MiB, after 10k deploy ${after.toFixed(1)} MiB`;
                    }
                    log(line);
                } catch (e) {
                    this.problem(t, `W5/W6 round ${r + 1}: ${e.message}`, srv);
                } finally {
                    await srv.stop();
                }
            }
        }
    }
}

async function main() {
    const unknown = [...cfg.workloads].filter((w) => !ALL_WORKLOADS.includes(w));
    if (unknown.length) throw new Error(`unknown workload(s) ${unknown.join(',')} in BENCH_WORKLOADS (known: ${ALL_WORKLOADS.join(',')})`);
    const targets = makeTargets({ benchDir: BENCH, repoDir: REPO });
    const crimson = targets.find((t) => t.name === 'crimson');
    if (!fs.existsSync(crimson.script)) throw new Error(`${path.relative(process.cwd(), crimson.script)} is missing: run \`npm run build\` first`);
    ensureDeps();
    const nrVersion = pkgVersion(path.join(BENCH, 'node_modules', 'node-red'));
    // the harness (and autocannon, started from it) stays off the server CPU
    if (hasTaskset && cfg.loadCpu < os.cpus().length) spawnSync('taskset', ['-a', '-p', '-c', String(cfg.loadCpu), String(process.pid)], { stdio: 'ignore' });

    const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-bench-'));
    const keepTmp = Boolean(env.BENCH_KEEP_TMP);
    const cleanup = () => { killLoad(); killAll(); };
    process.on('exit', cleanup);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
        process.on(sig, () => {
            log(`bench: ${sig}, stopping the servers`);
            cleanup();
            if (!keepTmp) fs.rmSync(tmpRoot, { recursive: true, force: true });
            process.exit(130);
        });
    }

    const W = cfg.workloads;
    log(`bench: ${[...W].join(',')}; ${cfg.rounds} rounds; autocannon ${cfg.connections} connections, ${cfg.warmup}s warm-up, ${cfg.seconds}s per measurement; ` +
        (hasTaskset ? `servers on CPU ${cfg.serverCpu}, harness and load on CPU ${cfg.loadCpu}` : 'no taskset: nothing pinned'));
    const t0 = performance.now();
    const loadAvg0 = os.loadavg().map((x) => x.toFixed(2)).join(' ');
    const run = new Run(targets, tmpRoot);
    if (['W1', 'W2', 'W3', 'W4', 'W7'].some((w) => W.has(w))) await run.running();
    if (W.has('W5') || W.has('W6')) await run.fresh();

    const summary = summarize(run.values);
    const notes = [
        `median over ${cfg.rounds} round(s) per figure; ratio = Crimson ÷ Node-RED of the medians; "better"/"worse" reads it the right way round for the figure (req/s: higher is better; ms and MiB: lower is better)`,
        `load: autocannon ${pkgVersion(path.join(BENCH, 'node_modules', 'autocannon'))}, ${cfg.connections} connections, ${cfg.warmup}s warm-up per server and workload, ${cfg.seconds}s per measurement; W3 at least ${cfg.bursts} bursts / ${cfg.burstSeconds}s per measurement`,
        `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, Node-RED ${nrVersion}; ` +
            (hasTaskset ? `servers pinned to CPU ${cfg.serverCpu}, harness + load to CPU ${cfg.loadCpu}` : 'not pinned (no taskset)') +
            `; load average ${loadAvg0} at start, ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at end; ${Math.round((performance.now() - t0) / 1000)} s`
    ];
    if (nrVersion !== '4.1.15') run.problems.push(`bench/node_modules has Node-RED ${nrVersion}, not 4.1.15: delete bench/node_modules and run again`);
    notes.push(...run.problems.map((p) => `PROBLEM ${p}`));
    const md = markdown(summary, notes);

    const resultsDir = path.join(BENCH, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const json = JSON.stringify({ date: new Date().toISOString(), config: { ...cfg, workloads: [...W] }, summary, values: run.values, checks: run.checks, problems: run.problems }, null, 2);
    fs.writeFileSync(path.join(resultsDir, `bench-${stamp}.json`), json);
    fs.writeFileSync(path.join(resultsDir, 'latest.json'), json);
    fs.writeFileSync(path.join(resultsDir, 'latest.md'), md + '\n');
    process.stdout.write(md + '\n');
    log(`bench: results in ${path.relative(process.cwd(), resultsDir)}/ (latest.md, latest.json)`);
    if (keepTmp || run.problems.length) log(`bench: user dirs and server logs kept in ${tmpRoot}`);
    else fs.rmSync(tmpRoot, { recursive: true, force: true });
    return run.problems.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { log(`bench: ${e.stack || e}`); process.exit(1); });
