// A Crimson cluster's flows (issue 16 §1): instances with the same `cluster` url and name share flows and
// credentials in Redis. The first seeds Redis from its userDir; a deploy on one runs on the others within 1 s,
// with its deploy type (a `nodes` deploy restarts only the changed nodes there too); two deploys from the same
// rev on two instances give one success and one 409; credentials are in Redis only encrypted; an instance
// with another credentialSecret refuses to start.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from 'redis';
import { createRuntime } from '../../src/runtime/runtime.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';

// each function node counts its starts in global context (memory: per instance)
const counter = (id: string, text: string) => ({
  id, type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']],
  initialize: `global.set("starts_${id}", (global.get("starts_${id}") || 0) + 1);`,
  func: `msg.payload = { text: ${JSON.stringify(text)}, starts: { a: global.get("starts_fa"), b: global.get("starts_fb") } };\nreturn msg;`,
});
const flowsWith = (textA: string, textB: string) => [
  { id: 'tab', type: 'tab', label: 'cluster' },
  { id: 'ina', type: 'http in', z: 'tab', url: '/a', method: 'get', x: 1, y: 1, wires: [['fa']] },
  { id: 'inb', type: 'http in', z: 'tab', url: '/b', method: 'get', x: 1, y: 1, wires: [['fb']] },
  counter('fa', textA),
  counter('fb', textB),
  { id: 'out', type: 'http response', z: 'tab', x: 1, y: 1, wires: [] },
];

describeRedis('cluster flows', () => {
  let redis: RedisServer;
  let clusters = 0;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  // the start counters are per instance: memory context (a cluster's default store is Redis, shared)
  const member = (name: string, flows?: unknown[], secret = 'cluster-secret', shared = false) =>
    startCrimson({ flows, settings: {
      credentialSecret: secret, cluster: { url: redis.url, name }, runtimeState: { enabled: true },
      ...(shared ? {} : { contextStorage: { default: { module: 'memory' } } }),
    } });
  // a request that reaches a node while a deploy restarts it gets no answer (as on Node-RED): polls give up on it
  const get = async (c: Started, p: string) =>
    (await fetch(c.url + p.replace(/^\//, ''), { headers: p === '/flows' ? { 'node-red-api-version': 'v2' } : {}, signal: AbortSignal.timeout(200) })).json() as Promise<any>;
  const until = async (check: () => Promise<boolean>, ms = 1000) => {
    const end = Date.now() + ms;
    while (!(await check().catch(() => false))) {
      if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const deployV2 = (c: Started, flows: unknown[], rev: string, type = 'full') =>
    fetch(c.url + 'flows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'node-red-api-version': 'v2', 'node-red-deployment-type': type },
      body: JSON.stringify({ flows, rev }),
    });

  it('shares the flows; a deploy on one runs on the other within 1 s, with its deploy type', async () => {
    const name = `c${++clusters}`;
    const one = await member(name, flowsWith('A1', 'B1'));
    const two = await member(name); // an empty userDir: it runs the cluster's flows
    try {
      const first = await get(one, '/flows');
      expect(first.rev).toBeTruthy();
      expect((await get(two, '/flows')).rev).toBe(first.rev);
      expect((await get(two, '/a')).text).toBe('A1');
      // GET /cluster (its answer checked against the OpenAPI document like every admin answer in the tests)
      const view = await get(two, '/cluster') as { name: string; leader: string; instances: Array<{ leader: boolean; rev: string }> };
      expect(view.name).toBe(name);
      expect(view.instances).toHaveLength(2);
      expect(view.instances.filter((i) => i.leader)).toHaveLength(1);
      expect(view.instances.every((i) => i.rev === first.rev)).toBe(true);

      // a nodes deploy on one changes fa only: on two, fa restarts and fb keeps running
      const res = await deployV2(one, flowsWith('A2', 'B1'), first.rev, 'nodes');
      expect(res.status).toBe(200);
      const { rev } = await res.json() as { rev: string };
      const t0 = Date.now();
      await until(async () => (await get(two, '/flows')).rev === rev && (await get(two, '/a')).text === 'A2');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect((await get(two, '/b')).starts).toEqual({ a: 2, b: 1 });
      expect((await get(one, '/b')).starts).toEqual({ a: 2, b: 1 });

      // a full deploy restarts everything everywhere
      const full = await deployV2(two, flowsWith('A3', 'B3'), rev, 'full');
      expect(full.status).toBe(200);
      await until(async () => (await get(one, '/b')).text === 'B3');
      expect((await get(one, '/a')).starts).toEqual({ a: 3, b: 2 });
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('answers 409 to one of two deploys made from the same rev on two instances', async () => {
    const name = `c${++clusters}`;
    const one = await member(name, flowsWith('A1', 'B1'));
    const two = await member(name);
    try {
      const { rev } = await get(one, '/flows');
      const answers = await Promise.all([deployV2(one, flowsWith('X', 'B1'), rev), deployV2(two, flowsWith('Y', 'B1'), rev)]);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = answers.find((r) => r.status === 409)!;
      expect(await loser.json()).toEqual({ code: 'version_mismatch', message: 'Error' });
      const winner = await answers.find((r) => r.status === 200)!.json() as { rev: string };
      await until(async () => (await get(one, '/flows')).rev === winner.rev && (await get(two, '/flows')).rev === winner.rev);
      const text = (await get(one, '/a')).text;
      await until(async () => (await get(two, '/a')).text === text);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('stops and starts the flows of every instance on POST /flows/state to one', async () => {
    const name = `c${++clusters}`;
    const one = await member(name, flowsWith('A1', 'B1'));
    const two = await member(name);
    const setState = async (c: Started, state: string) => (await fetch(c.url + 'flows/state', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state }),
    })).json();
    try {
      expect(await setState(one, 'stop')).toEqual({ state: 'stop' });
      const t0 = Date.now();
      await until(async () => (await get(two, '/flows/state')).state === 'stop');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect((await fetch(two.url + 'a')).status).toBe(404);
      expect(await setState(two, 'start')).toEqual({ state: 'start' });
      await until(async () => (await get(one, '/flows/state')).state === 'start' && (await get(one, '/a')).text === 'A1');
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('shares context by default: a cluster without contextStorage uses the redis store', async () => {
    const name = `c${++clusters}`;
    const one = await member(name, flowsWith('A1', 'B1'), 'cluster-secret', true);
    const two = await member(name, undefined, 'cluster-secret', true);
    try {
      // each instance started fa and fb once: the shared counters say two starts each
      await until(async () => JSON.stringify((await get(two, '/a')).starts) === JSON.stringify({ a: 2, b: 2 }));
      expect((await get(one, '/b')).starts).toEqual({ a: 2, b: 2 });
      expect((await get(one, '/settings')).context).toEqual({ default: 'default', stores: ['default'] });
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('keeps credentials in Redis only encrypted, and refuses an instance with another credentialSecret', async () => {
    const name = `c${++clusters}`;
    const withCredentials = [
      ...flowsWith('A1', 'B1'),
      { id: 'cb', type: 'mqtt-broker', name: 'unused', broker: '127.0.0.1', port: '1', credentials: { user: 'alice', password: 'pw-that-must-not-leak' } },
    ];
    const one = await member(name, flowsWith('A1', 'B1'));
    const two = await member(name);
    try {
      const { rev } = await get(one, '/flows');
      expect((await deployV2(one, withCredentials, rev)).status).toBe(200);
      await until(async () => (await get(two, '/flows')).rev !== rev);
      // the other instance decrypted them: its credentials API knows the user (never the password)
      expect(await get(two, '/credentials/mqtt-broker/cb')).toEqual({ user: 'alice', has_password: true });
      const raw = createClient({ url: redis.url });
      await raw.connect();
      try {
        for await (const batch of raw.scanIterator({ MATCH: `${name}:*` })) {
          for (const key of ([] as string[]).concat(batch)) {
            const type = await raw.type(key);
            const text = type === 'string' ? await raw.get(key) : JSON.stringify(await raw.hGetAll(key));
            expect(text ?? '').not.toContain('pw-that-must-not-leak');
            expect(text ?? '').not.toContain('alice');
          }
        }
      } finally { await raw.close(); }

      const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-cluster-'));
      const logs: string[] = [];
      const runtime = createRuntime({ uiHost: '127.0.0.1', uiPort: 0, credentialSecret: 'another-secret', cluster: { url: redis.url, name } },
        { userDir, logger: createLogger({ write: (l) => logs.push(l) }) });
      try {
        await expect(runtime.start()).rejects.toThrow(/credentialSecret differs/);
      } finally {
        await runtime.stop().catch(() => undefined);
        await fs.rm(userDir, { recursive: true, force: true });
      }
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
