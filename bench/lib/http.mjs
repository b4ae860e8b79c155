// Minimal HTTP client for checks, deploys, bursts and readiness polls. Each call uses a fresh
// connection (agent: false) so single-request timings never depend on a pooled socket.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function parseJson(text) {
    try { return JSON.parse(text); } catch { return undefined; }
}

// resolves { status, headers, text, ms }
export function request(port, method, path, { body, headers = {}, timeout = 120000 } = {}) {
    return new Promise((resolve, reject) => {
        const h = { ...headers };
        const data = body === undefined ? null : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
        if (data) {
            h['Content-Type'] ??= 'application/json';
            h['Content-Length'] = data.length;
        }
        const t0 = performance.now();
        const req = http.request({ host: '127.0.0.1', port, method, path, headers: h, agent: false }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
        });
        req.setTimeout(timeout, () => req.destroy(new Error(`timeout after ${timeout} ms: ${method} ${path}`)));
        req.on('error', reject);
        req.end(data ?? undefined);
    });
}

// Polls GET `path` until `ok(response)`; resolves with the ms elapsed since `t0`.
// The pause between polls grows with the wait (5..25 ms): fine resolution, little load on the server.
export async function pollUntil(port, path, ok, { t0 = performance.now(), limitMs = 120000, isAlive = () => true } = {}) {
    let last = 'no answer';
    while (performance.now() - t0 < limitMs) {
        if (!isAlive()) throw new Error(`server exited while waiting for ${path} (${last})`);
        try {
            const r = await request(port, 'GET', path, { timeout: 5000 });
            if (ok(r)) return performance.now() - t0;
            last = `HTTP ${r.status} ${r.text.slice(0, 80)}`;
        } catch (e) {
            last = e.code || e.message;
        }
        await sleep(Math.min(25, Math.max(5, (performance.now() - t0) / 50)));
    }
    throw new Error(`gave up waiting for ${path} after ${limitMs} ms (${last})`);
}
