// A throw-away redis-server (Debian's package; `.ci/run` installs it) on a free loopback port, without
// persistence, stopped by the returned function. Tests that need Redis use `describeRedis`, which fails in CI
// when redis-server is missing and skips elsewhere.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { freePort } from './free-port.js';

export const redisServerPath = ['/usr/bin/redis-server', '/usr/local/bin/redis-server']
  .find((p) => spawnSync(p, ['--version']).status === 0);

export const describeRedis: typeof describe = (redisServerPath || process.env.CI ? describe : describe.skip) as typeof describe;

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop()); with `persist`, it reloads what it had. */
  restart(): Promise<void>;
}

/**
 * `password`: the server asks for it (`requirepass`); the URL then carries it for the `default` user.
 * `persist`: an append-only file in a temporary folder, so a restart keeps the data.
 */
export async function startRedis(opts: { password?: string; persist?: boolean; port?: number } = {}): Promise<RedisServer> {
  if (!redisServerPath) throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
  const port = opts.port ?? await freePort();
  const dir = opts.persist ? await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-redis-')) : undefined;
  // the data folder outlives stop() (restart() reads it), and goes with the test process
  if (dir) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--loglevel', 'warning',
    ...(dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : ['--appendonly', 'no']),
    ...(opts.password ? ['--requirepass', opts.password] : [])];
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(redisServerPath!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { out += d; });
    const deadline = Date.now() + 10000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
        s.once('error', () => resolve(false));
      });
      if (up) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await launch();
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return {
    url: opts.password ? `redis://default:${encodeURIComponent(opts.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: launch,
  };
}
