// Users' editor settings in a cluster (issue 16 §3): POST /settings/user on one instance is what
// GET /settings/user answers on the others within 1 s; Redis keeps a field per user.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCrimson } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';

describeRedis('cluster user settings', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  it('a user setting saved on one instance is read on the other', async () => {
    const member = () => startCrimson({ flows: [], settings: { credentialSecret: 's', cluster: { url: redis.url, name: 'users' } } });
    const one = await member();
    const two = await member();
    try {
      const saved = await fetch(one.url + 'settings/user', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ editor: { view: { 'view-grid-size': 30 } } }),
      });
      expect(saved.status).toBe(204);
      const t0 = Date.now();
      for (;;) {
        const got = await (await fetch(two.url + 'settings/user')).json() as { editor?: { view?: Record<string, unknown> } };
        if (got.editor?.view?.['view-grid-size'] === 30) break;
        expect(Date.now() - t0).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
