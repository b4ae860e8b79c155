// Login sessions in a cluster (issue 16 §2): a token from POST /auth/token on one instance works on the
// others; a revoke on any ends it everywhere within 1 s; Redis holds the token's hash only.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { HASH, PASSWORD } from '../auth/fixture.js';

describeRedis('cluster sessions', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  const member = () => startCrimson({
    flows: [],
    settings: {
      credentialSecret: 'cluster-secret', cluster: { url: redis.url, name: 'sessions' },
      adminAuth: { type: 'credentials', users: [{ username: 'admin', password: HASH, permissions: '*' }] },
    },
  });
  const flowsStatus = async (c: Started, token: string) => (await fetch(c.url + 'flows', { headers: { authorization: `Bearer ${token}` } })).status;

  it('a token of one instance works on the others (also one started later), and a revoke on any ends it on all', async () => {
    let one = await member();
    const two = await member();
    try {
      const login = await fetch(one.url + 'auth/token', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { access_token: token } = await login.json() as { access_token: string };
      expect(await flowsStatus(two, token)).toBe(200);
      expect(await flowsStatus(one, token)).toBe(200);

      const raw = createClient({ url: redis.url });
      await raw.connect();
      try {
        const keys: string[] = [];
        for await (const batch of raw.scanIterator({ MATCH: 'sessions:session:*' })) keys.push(...([] as string[]).concat(batch));
        expect(keys).toHaveLength(1);
        expect(keys[0]).toMatch(/^sessions:session:[0-9a-f]{64}$/);
        expect(await raw.get(keys[0]!)).not.toContain(token);
        expect(await raw.pTTL(keys[0]!)).toBeGreaterThan(0);
      } finally { await raw.close(); }

      // an instance started later knows it too (sessions live in Redis, not in its userDir)
      await one.stop();
      one = await member();
      expect(await flowsStatus(one, token)).toBe(200);

      const revoke = await fetch(two.url + 'auth/revoke', {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ token }),
      });
      expect(revoke.status).toBe(200);
      const t0 = Date.now();
      while (await flowsStatus(one, token) !== 401) {
        expect(Date.now() - t0).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(await flowsStatus(two, token)).toBe(401);
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
