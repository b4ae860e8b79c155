// Two Crimson runtimes with `contextStorage: { default: { module: "redis" } }` on one Redis: function code
// written for the memory store (synchronous global.get / flow.get) reads on one runtime what the other set,
// the Admin API's /context shows it on both, and it is still there after both restart.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCrimson, type Started } from '../../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../../helpers/redis-server.js';

const flows = [
  { id: 'tab', type: 'tab', label: 'ctx' },
  { id: 'in-set', type: 'http in', z: 'tab', url: '/set', method: 'post', x: 1, y: 1, wires: [['fn-set']] },
  { id: 'fn-set', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']],
    func: 'global.set("shared", msg.payload);\nflow.set("count", (flow.get("count") || 0) + 1);\nmsg.payload = "ok";\nreturn msg;' },
  { id: 'in-get', type: 'http in', z: 'tab', url: '/get', method: 'get', x: 1, y: 1, wires: [['fn-get']] },
  { id: 'fn-get', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']],
    func: 'msg.payload = { shared: global.get("shared"), count: flow.get("count") };\nreturn msg;' },
  { id: 'out', type: 'http response', z: 'tab', x: 1, y: 1, wires: [] },
];

describeRedis('redis context store in two runtimes', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  const start = () => startCrimson({ flows, settings: { contextStorage: { default: { module: 'redis', config: { url: redis.url, prefix: 'rt' } } } } });
  const read = async (c: Started) => (await fetch(c.url + 'get')).json() as Promise<{ shared?: unknown; count?: number }>;
  const until = async (check: () => Promise<boolean>) => {
    const end = Date.now() + 3000;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('shares context between runtimes, synchronously read by function code, and keeps it across restarts', async () => {
    let one = await start();
    let two = await start();
    try {
      const set = await fetch(one.url + 'set', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'one' }) });
      expect(await set.text()).toBe('ok');
      await until(async () => JSON.stringify(await read(two)) === JSON.stringify({ shared: { from: 'one' }, count: 1 }));
      await fetch(two.url + 'set', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'two' }) });
      await until(async () => JSON.stringify(await read(one)) === JSON.stringify({ shared: { from: 'two' }, count: 2 }));
      // the Admin API of either runtime shows the shared global context
      for (const c of [one, two]) {
        const ctx = await (await fetch(c.url + 'context/global/shared')).json() as { msg: string; format: string };
        expect(ctx.format).toBe('Object');
        expect(JSON.parse(ctx.msg)).toEqual({ from: 'two' });
      }
      await one.stop();
      await two.stop();
      one = await start();
      two = await start();
      expect(await read(two)).toEqual({ shared: { from: 'two' }, count: 2 });
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
