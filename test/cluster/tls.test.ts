// A cluster on a TLS-only Redis (issue 16: "`rediss://` … in the URL work"): a redis-server with its plain port
// disabled, a throw-away CA, client certificates required and a password. Two instances given the CA and a
// client certificate in `cluster.tls` share a deploy and the cluster's default (redis) context store; an
// instance given another CA does not connect, and says why in its log without the password.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startCrimson } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { makeTestPki } from '../helpers/tls-certs.js';

const PASSWORD = 'tls-pw-never-logged';
const flows = (text: string) => [
  { id: 'tab', type: 'tab', label: 'tls' },
  { id: 'in', type: 'http in', z: 'tab', url: '/hello', method: 'get', x: 1, y: 1, wires: [['fn']] },
  { id: 'fn', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']],
    func: `if (msg.req.query.v) flow.set("v", msg.req.query.v);\nmsg.payload = ${JSON.stringify(text)} + " " + flow.get("v");\nreturn msg;` },
  { id: 'out', type: 'http response', z: 'tab', x: 1, y: 1, wires: [] },
];

describeRedis('cluster on a TLS-only Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis({ tls: { clientCerts: true }, password: PASSWORD }); });
  afterAll(async () => { await redis?.stop(); });

  const tls = () => ({ ca: redis.pki!.ca, cert: Buffer.from(redis.pki!.clientCert), key: redis.pki!.clientKey });
  const member = (f?: unknown[]) => startCrimson({ flows: f, settings: { credentialSecret: 's', cluster: { url: redis.url, name: 'tls', tls: tls() } } });
  const text = async (url: string, timeoutMs = 3000) => (await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })).text();
  // each try gets 1 s: a request that reached the flow being replaced by the deploy is never answered (as on
  // Node-RED), and must not use up the whole wait
  const until = async (read: () => Promise<string>, expected: string) => {
    const end = Date.now() + 5000;
    let seen = '';
    while ((seen = await read().catch((err: unknown) => String(err))) !== expected) {
      if (Date.now() > end) throw new Error(`still '${seen}', not '${expected}'`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('shares a deploy and context between two instances over rediss:// with a private CA and client certificates', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    const one = await member(flows('first'));
    const two = await member();
    try {
      expect(await text(one.url + 'hello?v=1')).toBe('first 1');
      // the cluster's default context store is on the same Redis, over TLS too; then a deploy on one reaches two
      await until(() => text(two.url + 'hello', 1000), 'first 1');
      await one.deploy(flows('second'));
      await until(() => text(two.url + 'hello', 1000), 'second 1');
      const rev = async (u: string) => ((await (await fetch(u + 'flows', { headers: { 'node-red-api-version': 'v2' } })).json()) as { rev: string }).rev;
      expect(await rev(two.url)).toBe(await rev(one.url));
      for (const c of [one, two]) expect(c.logs.join('\n')).not.toContain(PASSWORD);
    } finally {
      await one.stop();
      await two.stop();
    }
  }, 30000);

  it('does not connect with another CA: a clear log line, the admin API answering 503, the password never logged', async () => {
    const other = makeTestPki('Some other CA');
    const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-tls-'));
    const logs: string[] = [];
    const runtime = createRuntime({ uiHost: '127.0.0.1', uiPort: 0, credentialSecret: 's',
      cluster: { url: redis.url, name: 'tls', tls: { ...tls(), ca: other.ca } } }, { userDir, logger: createLogger({ write: (l) => logs.push(l) }) });
    const starting = runtime.start();
    try {
      while (!runtime.server.listening) await new Promise((r) => setTimeout(r, 20));
      const res = await fetch(runtime.url() + 'flows');
      expect(res.status).toBe(503);
      const log = logs.join('\n');
      expect(log).toMatch(new RegExp(`cannot connect to Redis at rediss://default:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}.*certificate.*give the CA that signed it as tls\\.ca`));
      expect(log).not.toContain(PASSWORD);
    } finally {
      await runtime.stop();
      await expect(starting).rejects.toThrow(/Stopped while waiting/);
      await fs.rm(userDir, { recursive: true, force: true });
    }
  }, 30000);

  it('refuses a client without a certificate when the server asks for one: the log says to give tls.cert and tls.key', async () => {
    const logs: string[] = [];
    const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-tls-'));
    const runtime = createRuntime({ uiHost: '127.0.0.1', uiPort: 0, credentialSecret: 's',
      cluster: { url: redis.url, name: 'tls', tls: { ca: redis.pki!.ca } } }, { userDir, logger: createLogger({ write: (l) => logs.push(l) }) });
    const starting = runtime.start();
    try {
      while (!runtime.server.listening) await new Promise((r) => setTimeout(r, 20));
      expect(logs.join('\n')).toMatch(new RegExp(`cannot connect to Redis at rediss://default:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}: .*certificate required.*give it as tls\\.cert and tls\\.key\\); retrying`));
      expect(logs.join('\n')).not.toContain(PASSWORD);
    } finally {
      await runtime.stop();
      await starting.catch(() => undefined);
      await fs.rm(userDir, { recursive: true, force: true });
    }
  }, 30000);
});
