// Load generation: autocannon (from bench/node_modules) run as a child process pinned to the load
// CPU, and the sequential 10k-item bursts of W3. Figures only; deciding what to keep is run.mjs's job.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pinned } from './servers.mjs';
import { request, parseJson } from './http.mjs';
import { BURST_BODY, BURST_ITEMS, BURST_SUM } from './flows.mjs';

// resolved on first use: run.mjs installs bench/node_modules after this module is loaded
const autocannonBin = () => path.join(path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

const running = new Set(); // autocannon children, killed by killLoad() on Ctrl-C

export function killLoad() {
    for (const c of running) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } }
}

// spec: { method, path, body? }. Resolves { rps, p50Ms, p99Ms, requests, errors, non2xx }.
export function autocannon(port, spec, { seconds, connections, cpu }) {
    const argv = [process.execPath, autocannonBin(), '-j', '-c', String(connections), '-d', String(seconds), '-m', spec.method];
    if (spec.body) argv.push('-H', 'Content-Type=application/json', '-b', spec.body);
    argv.push(`http://127.0.0.1:${port}${spec.path}`);
    const cmd = pinned(argv, cpu);
    return new Promise((resolve, reject) => {
        const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
        running.add(child);
        let out = '', err = '';
        child.stdout.on('data', (d) => { out += d; });
        child.stderr.on('data', (d) => { err += d; });
        const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
        child.on('error', reject);
        child.on('exit', (code) => {
            clearTimeout(timer);
            running.delete(child);
            const j = parseJson(out.slice(out.indexOf('{')));
            if (code !== 0 || !j) return reject(new Error(`autocannon exited ${code}: ${(err || out).slice(0, 300)}`));
            resolve({
                rps: j.requests.total / j.duration,
                p50Ms: j.latency.p50,
                p99Ms: j.latency.p99,
                requests: j.requests.total,
                errors: j.errors + j.timeouts,
                non2xx: j.non2xx
            });
        });
    });
}

// One POST /burst of 10,000 numbers; throws unless the answer proves every item passed the chain.
export async function burst(port) {
    const r = await request(port, 'POST', '/burst', { body: BURST_BODY, timeout: 120000 });
    const j = parseJson(r.text);
    if (r.status !== 200 || j?.count !== BURST_ITEMS || j?.sum !== BURST_SUM) {
        throw new Error(`POST /burst answered ${r.status}: ${r.text.replace(/\s+/g, " ").slice(0, 100)}`);
    }
    return r.ms;
}

// At least `min` bursts one after the other, and more until `seconds` have passed (fast servers).
export async function bursts(port, { min, seconds }) {
    const times = [];
    const t0 = performance.now();
    while (times.length < min || (performance.now() - t0 < seconds * 1000 && times.length < 1000)) times.push(await burst(port));
    return times;
}
