// A throw-away redis-server (Debian's package; `.ci/run` installs it) on a free loopback port, without
// persistence, stopped by the returned function; with `tls`, TLS only (the plain port disabled), with a
// throw-away CA. Tests that need Redis use `describeRedis`, which fails in CI when redis-server is missing and
// skips elsewhere.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { freePort } from './free-port.js';
import { makeTestPki, type TestPki } from './tls-certs.js';

export const redisServerPath = ['/usr/bin/redis-server', '/usr/local/bin/redis-server']
  .find((p) => spawnSync(p, ['--version']).status === 0);

export const describeRedis: typeof describe = (redisServerPath || process.env.CI ? describe : describe.skip) as typeof describe;

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop()); with `persist`, it reloads what it had. */
  restart(): Promise<void>;
  /** With `tls`: the CA that signed the server's certificate, and a client certificate of that CA. */
  pki?: TestPki;
}

/**
 * `password`: the server asks for it (`requirepass`); the URL then carries it for the `default` user.
 * `persist`: an append-only file in a temporary folder, so a restart keeps the data.
 * `tls`: TLS only, on `port` (the URL is `rediss://`); `{ clientCerts: true }` also asks clients for a
 * certificate of the CA.
 */
export async function startRedis(opts: { password?: string; persist?: boolean; port?: number; tls?: boolean | { clientCerts?: boolean } } = {}): Promise<RedisServer> {
  if (!redisServerPath) throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
  const port = opts.port ?? await freePort();
  const dir = opts.persist ? await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-redis-')) : undefined;
  // the data folder outlives stop() (restart() reads it), and goes with the test process
  if (dir) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const pki = opts.tls ? makeTestPki() : undefined;
  const clientCerts = typeof opts.tls === 'object' && !!opts.tls.clientCerts;
  const listen = pki
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', pki.files.serverCert, '--tls-key-file', pki.files.serverKey,
      '--tls-ca-cert-file', pki.files.ca, '--tls-auth-clients', clientCerts ? 'yes' : 'no']
    : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--loglevel', 'warning',
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
  const scheme = pki ? 'rediss' : 'redis';
  return {
    url: opts.password ? `${scheme}://default:${encodeURIComponent(opts.password)}@127.0.0.1:${port}` : `${scheme}://127.0.0.1:${port}`,
    port,
    pki,
    stop,
    restart: launch,
  };
}
