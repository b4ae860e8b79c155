// A cluster losing Redis (issue 16, faults): while Redis is down, flows keep running, admin writes answer
// 503 cluster_unavailable within 5 s, and a context set fails on the node (a catch node sees it, and it is never
// replayed); when Redis is back, deploys work again and reach every instance.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.js';
import { createLogger } from '../../src/runtime/logger.js';
import { freePort } from '../helpers/free-port.js';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';

const flows = (text: string) => [
  { id: 'tab', type: 'tab', label: 'faults' },
  { id: 'in', type: 'http in', z: 'tab', url: '/a', method: 'get', x: 1, y: 1, wires: [['fa']] },
  { id: 'fa', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']], func: `msg.payload = ${JSON.stringify(text)};\nreturn msg;` },
  { id: 'in2', type: 'http in', z: 'tab', url: '/ctx', method: 'get', x: 1, y: 1, wires: [['set']] },
  { id: 'set', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']], func: 'flow.set("v", msg.req.query.v);\nmsg.payload = "stored " + flow.get("v");\nreturn msg;' },
  { id: 'catch', type: 'catch', z: 'tab', scope: ['set'], x: 1, y: 1, wires: [['caught']] },
  { id: 'caught', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']], func: 'msg.payload = "caught: " + msg.error.message;\nreturn msg;' },
  { id: 'in3', type: 'http in', z: 'tab', url: '/post', method: 'post', x: 1, y: 1, wires: [['out']] },
  { id: 'out', type: 'http response', z: 'tab', x: 1, y: 1, wires: [] },
];

describeRedis('cluster faults', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis({ persist: true }); });
  afterAll(async () => { await redis?.stop(); });

  const member = (f?: unknown[]) => startCrimson({ flows: f, settings: { credentialSecret: 's', cluster: { url: redis.url, name: 'faults' } } });
  const text = async (c: Started, p: string, ms = 3000) => (await fetch(c.url + p, { signal: AbortSignal.timeout(ms) })).text();

  it('keeps flows running without Redis, refuses writes with 503, fails context sets, and recovers', async () => {
    const one = await member(flows('A1'));
    const two = await member();
    try {
      expect(await text(two, 'ctx?v=1')).toBe('stored 1');
      await redis.stop();

      expect(await text(one, 'a')).toBe('A1');
      expect(await text(two, 'a')).toBe('A1');
      const t0 = Date.now();
      const refused = await fetch(one.url + 'flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flows('A2')) });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ code: 'cluster_unavailable', message: 'The cluster store (Redis) cannot be reached' });
      // a flow's own POST route under the same root is not an admin write: it still answers
      const posted = await fetch(one.url + 'post', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"p":1}' });
      expect(posted.status).toBe(200);
      expect(await posted.json()).toEqual({ p: 1 });
      expect(await text(one, 'ctx?v=2')).toMatch(/^caught: Error: Context store redis: Redis cannot be reached/);
      expect(await text(one, 'a')).toBe('A1');

      await redis.restart();
      // once reconnected: the value set before the outage is there, the failed one never appears
      const end = Date.now() + 10000;
      for (;;) {
        const res = await fetch(one.url + 'flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flows('A3')) });
        if (res.status === 204) break;
        expect(res.status).toBe(503);
        if (Date.now() > end) throw new Error('no deploy after Redis came back');
        await new Promise((r) => setTimeout(r, 100));
      }
      const t1 = Date.now();
      // (a request that reaches a node while the deploy restarts it gets no answer: the poll gives up on it)
      while ((await text(two, 'a', 300).catch(() => '')) !== 'A3') {
        expect(Date.now() - t1).toBeLessThan(3000);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await text(two, 'ctx?v=3')).toBe('stored 3');
    } finally {
      await one.stop();
      await two.stop();
    }
  }, 60000);
});

describeRedis('cluster start without Redis', () => {
  it('listens and answers 503 until Redis is reachable, then starts', async () => {
    const port = await freePort();
    const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-late-'));
    const logs: string[] = [];
    const runtime = createRuntime({ uiHost: '127.0.0.1', uiPort: 0, credentialSecret: 's', cluster: { url: `redis://127.0.0.1:${port}`, name: 'late' } },
      { userDir, logger: createLogger({ write: (l) => logs.push(l) }) });
    const starting = runtime.start();
    let late: RedisServer | undefined;
    try {
      while (!runtime.server.listening) await new Promise((r) => setTimeout(r, 20));
      const base = runtime.url();
      const waiting = await fetch(base + 'flows');
      expect(waiting.status).toBe(503);
      expect(await waiting.json()).toEqual({ code: 'cluster_unavailable', message: 'The cluster store (Redis) cannot be reached' });
      expect(logs.join('\n')).toMatch(new RegExp(`cannot connect to Redis at redis://127\\.0\\.0\\.1:${port}.*retrying every 2 s`));
      late = await startRedis({ port });
      await starting;
      expect((await fetch(base + 'flows')).status).toBe(200);
    } finally {
      await starting.catch(() => undefined);
      await runtime.stop();
      await late?.stop();
      await fs.rm(userDir, { recursive: true, force: true });
    }
  }, 30000);
});
