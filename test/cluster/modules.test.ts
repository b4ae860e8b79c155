// Node modules in a cluster (issue 16 §3): a module installed from the palette on one instance (POST /nodes) is
// installed by npm on the others and loaded there, an instance started later installs it before its flows
// start, and a removal on any instance removes it everywhere.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { FIXTURE_NAME, packFixture, removeTemps } from '../registry/installer/helpers.js';

describeRedis('cluster modules', () => {
  let redis: RedisServer;
  let tgz: string;
  beforeAll(async () => { [redis, tgz] = await Promise.all([startRedis(), packFixture()]); });
  afterAll(async () => { await redis?.stop(); await removeTemps(); });

  const member = () => startCrimson({ flows: [], settings: { credentialSecret: 's', cluster: { url: redis.url, name: 'modules' } } });
  const moduleStatus = async (c: Started) => (await fetch(c.url + 'nodes/' + FIXTURE_NAME, { headers: { accept: 'application/json' } })).status;
  // the module leaves GET /nodes before npm finished removing it: wait for npm before stopping (it writes in userDir)
  const npmDone = (c: Started) => until(async () => c.logs.some((l) => l.includes(`Uninstalled module: ${FIXTURE_NAME}`)), 90000);
  const until = async (check: () => Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('installs on every instance what one installed, also on one started later, and removes it everywhere', async () => {
    const one = await member();
    const two = await member();
    let three: Started | undefined;
    try {
      const installed = await fetch(one.url + 'nodes', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ module: FIXTURE_NAME, url: tgz }),
      });
      expect(installed.status).toBe(200);
      expect(await moduleStatus(one)).toBe(200);
      await until(async () => (await moduleStatus(two)) === 200, 90000);
      three = await member();
      expect(await moduleStatus(three)).toBe(200);

      expect((await fetch(two.url + 'nodes/' + FIXTURE_NAME, { method: 'DELETE' })).status).toBe(204);
      await until(async () => (await moduleStatus(one)) === 404 && (await moduleStatus(three!)) === 404, 90000);
      await npmDone(one);
      await npmDone(three);
    } finally {
      await one.stop();
      await two.stop();
      await three?.stop();
    }
  }, 240000);

  it('shares a module uploaded as a .tgz: its bytes travel through Redis', async () => {
    const one = await member();
    const two = await member();
    try {
      const form = new FormData();
      form.append('tarball', new Blob([await fs.readFile(tgz)]), path.basename(tgz));
      const uploaded = await fetch(one.url + 'nodes', { method: 'POST', body: form });
      expect(uploaded.status).toBe(200);
      await until(async () => (await moduleStatus(two)) === 200, 90000);
      expect((await fetch(one.url + 'nodes/' + FIXTURE_NAME, { method: 'DELETE' })).status).toBe(204);
      await until(async () => (await moduleStatus(two)) === 404, 90000);
      await npmDone(two);
    } finally {
      await one.stop();
      await two.stop();
    }
  }, 240000);
});
