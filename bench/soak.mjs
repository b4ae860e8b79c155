#!/usr/bin/env node
// The soak of issue 5: SOAK_DEPLOYS (100) full deploys of the generated 10,000-node flow into one Crimson
// process (alternating two markers, each deploy waited for until its flows run), printing RSS after the
// first and the last and the spread. Exits 1 when the last RSS is more than 10% above the first.
// Usage: node bench/soak.mjs (after npm run build).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigFlow, READY_PATH } from './lib/flows.mjs';
import { request, pollUntil, sleep } from './lib/http.mjs';
import { targets, startServer, rssMiB, killAll } from './lib/servers.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const deploys = Number(process.env.SOAK_DEPLOYS ?? 100);
const port = Number(process.env.BENCH_PORT ?? 18900) + 5;
const crimson = targets({ benchDir, repoDir: path.dirname(benchDir) }).find((t) => t.name === 'crimson');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-soak-'));
process.on('exit', killAll);
process.on('SIGINT', () => process.exit(130));

const server = startServer(crimson, { port, settings: path.join(benchDir, 'settings.cjs'), tmpRoot });
await pollUntil(port, '/settings', (r) => r.status === 200, { isAlive: server.isAlive });
const bodies = ['a', 'b'].map((m) => JSON.stringify(bigFlow(10000, `soak-${m}`)));
const rss = [];
for (let i = 0; i < deploys; i++) {
  const marker = `soak-${i % 2 ? 'b' : 'a'}`;
  const t = performance.now();
  const res = await request(port, 'POST', '/flows', { body: bodies[i % 2] });
  if (res.status !== 204 && res.status !== 200) throw new Error(`deploy ${i + 1}: ${res.status}`);
  await pollUntil(port, READY_PATH, (r) => r.status === 200 && r.text === marker, { isAlive: server.isAlive });
  const ms = performance.now() - t;
  await sleep(200);
  rss.push(rssMiB(server.pid));
  if (i === 0 || (i + 1) % 10 === 0) console.log(`deploy ${String(i + 1).padStart(3)}: ${ms.toFixed(0)} ms, RSS ${rss.at(-1).toFixed(1)} MiB`);
}
await server.stop();
fs.rmSync(tmpRoot, { recursive: true, force: true });
const first = rss[0], last = rss.at(-1), max = Math.max(...rss);
console.log(`RSS first ${first.toFixed(1)} MiB, last ${last.toFixed(1)} MiB (${((last / first - 1) * 100).toFixed(1)}%), max ${max.toFixed(1)} MiB`);
process.exit(last > first * 1.1 ? 1 : 0);
