// Node set states in a cluster (issue 16 §3): disabling or enabling a set (PUT /nodes/...) on one instance
// switches it on every instance within 1 s, and an instance started later takes the cluster's states.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';

describeRedis('cluster set states', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  const member = () => startCrimson({ flows: [], settings: { credentialSecret: 's', cluster: { url: redis.url, name: 'sets' } } });
  const enabled = async (c: Started) =>
    ((await (await fetch(c.url + 'nodes/node-red/sort', { headers: { accept: 'application/json' } })).json()) as { enabled: boolean }).enabled;
  const put = (c: Started, value: boolean) => fetch(c.url + 'nodes/node-red/sort', {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: value }),
  });
  const within1s = async (check: () => Promise<boolean>) => {
    const t0 = Date.now();
    while (!(await check())) {
      expect(Date.now() - t0).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('switches a set on every instance, and a later instance starts with the cluster states', async () => {
    const one = await member();
    const two = await member();
    let three: Started | undefined;
    try {
      expect(await enabled(two)).toBe(true);
      expect((await put(one, false)).status).toBe(200);
      await within1s(async () => (await enabled(two)) === false);
      three = await member();
      expect(await enabled(three)).toBe(false);
      expect((await put(two, true)).status).toBe(200);
      await within1s(async () => (await enabled(one)) === true && (await enabled(three!)) === true);
    } finally {
      await one.stop();
      await two.stop();
      await three?.stop();
    }
  });
});
