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

  const member = (name = 'sessions') => startCrimson({
    flows: [],
    settings: {
      credentialSecret: 'cluster-secret', cluster: { url: redis.url, name },
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

  it('counts login attempts across the instances: five wrong passwords sent to two lock the pair out on both', async () => {
    const one = await member('throttle');
    const two = await member('throttle');
    const login = async (c: Started, password: string) => {
      const res = await fetch(c.url + 'auth/token', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password }),
      });
      return { status: res.status, body: await res.json() as Record<string, unknown> };
    };
    try {
      for (let i = 0; i < 5; i++) expect((await login(i % 2 ? one : two, 'wrong')).status).toBe(403);
      const tooMany = { status: 500, body: { error: 'server_error', error_description: 'Too many login attempts. Wait 10 minutes and try again' } };
      expect(await login(one, PASSWORD)).toEqual(tooMany);
      expect(await login(two, PASSWORD)).toEqual(tooMany);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('shares personal access tokens: made on one, used and listed on the other, revoked anywhere for all', async () => {
    const one = await member('pats');
    const two = await member('pats');
    const call = async (c: Started, p: string, bearer: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await fetch(c.url + p, {
        method: init.method ?? 'GET', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() as any };
    };
    const poll = async (check: () => Promise<boolean>) => {
      const t0 = Date.now();
      while (!(await check())) {
        expect(Date.now() - t0).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    try {
      const login = await fetch(one.url + 'auth/token', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: PASSWORD }),
      });
      const session = (await login.json() as { access_token: string }).access_token;
      const made = await call(one, 'auth/tokens', session, { method: 'POST', body: { name: 'ci', scope: 'read' } });
      expect(made.status).toBe(201);
      const value: string = made.body.token;
      await poll(async () => (await flowsStatus(two, value)) === 200);
      const listed = await call(two, 'auth/tokens', session);
      expect(listed.body.tokens ?? listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: made.body.id, name: 'ci' })]));

      const raw = createClient({ url: redis.url });
      await raw.connect();
      try {
        const stored = JSON.stringify(await raw.hGetAll('pats:tokens'));
        expect(stored).toContain(made.body.id);
        expect(stored).not.toContain(value.slice(6));
      } finally { await raw.close(); }

      expect((await call(two, `auth/tokens/${made.body.id}`, session, { method: 'DELETE' })).status).toBe(204);
      await poll(async () => (await flowsStatus(one, value)) === 401);
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
