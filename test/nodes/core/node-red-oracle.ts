// Starts Node-RED 4.1.15 (the devDependency) as the oracle the core-node tests can be run against
// (CORE_ORACLE=node-red): a temp userDir with a settings.js of the given settings, console lines collected.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Server } from './harness.js';

const freePort = () => new Promise<number>((resolve, reject) => {
  const srv = net.createServer();
  srv.once('error', reject);
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address() as net.AddressInfo; srv.close(() => resolve(port)); });
});

export async function startNodeRed(settings: Record<string, unknown>): Promise<Server> {
  const redJs = createRequire(import.meta.url).resolve('node-red/red.js');
  const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'core-oracle-'));
  const all = { uiHost: '127.0.0.1', logging: { console: { level: 'debug' } }, ...settings };
  await fs.writeFile(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(all)};\n`);
  const port = await freePort();
  const child = spawn(process.execPath, [redJs, '-u', userDir, '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  let rest = '';
  const collect = (d: Buffer) => {
    rest += d.toString();
    const lines = rest.split('\n');
    rest = lines.pop()!;
    logs.push(...lines);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${port}/`;
  const end = Date.now() + 20000;
  for (;;) {
    try { if ((await fetch(url + 'settings')).ok) break; } catch { /* not up yet */ }
    if (Date.now() > end) throw new Error('Node-RED did not start:\n' + logs.join('\n'));
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, logs,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
      await fs.rm(userDir, { recursive: true, force: true });
    },
  };
}
