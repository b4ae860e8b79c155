// The redis context store: the shared contract (synchronous form included), then what several instances on one
// Redis see of each other: a set on one read by a synchronous get on another (median under 50 ms on loopback),
// nested paths, deletes, clean, convergence of concurrent writers, persistence, and a clear error without Redis.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisStore, flushGap } from '../../../src/runtime/context/redis-store.js';
import type { ContextStore } from '../../../src/runtime/context/store.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { describeRedis, startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { describeStoreSuite } from './store-suite.js';

const quietLogger = () => createLogger({ write: () => {} });
let redis: RedisServer;
let prefixes = 0;
const nextPrefix = () => `t${process.pid}-${++prefixes}`;
const make = (prefix: string): ContextStore => createRedisStore({ url: redis.url, prefix, settings: {} }, quietLogger());

const setCb = (s: ContextStore, scope: string, key: string | string[], value: unknown) =>
  new Promise<void>((resolve, reject) => s.set(scope, key, value, (err) => (err ? reject(err) : resolve())));
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
};

describe('flushGap', () => {
  it('is 25 ms after a small batch, 1 ms per KB of JSON above, 50 ms at most', () => {
    expect(flushGap(0)).toBe(25);
    expect(flushGap(20 * 1024)).toBe(25);
    expect(flushGap(40 * 1024)).toBe(40);
    expect(flushGap(90 * 1024)).toBe(50);
  });
});

describeRedis('redis context store', () => {
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  describeStoreSuite('redis', async () => {
    const prefix = nextPrefix();
    let store = make(prefix);
    return {
      get store() { return store; },
      async reopen() {
        await store.close();
        store = make(prefix);
        await store.open();
        return store;
      },
      dispose: async () => {},
    };
  }, { sync: true });

  describe('two instances on one Redis', () => {
    let a: ContextStore;
    let b: ContextStore;
    let prefix = '';
    const openPair = async () => {
      prefix = nextPrefix();
      a = make(prefix);
      b = make(prefix);
      await a.open();
      await b.open();
    };
    const closePair = async () => { await a?.close(); await b?.close(); };

    /**
     * Sets global `key` on a once per turn for `ms` (`value(n)`: the n-th value, `mark` reads n back from a
     * value) and watches b meanwhile: how many sets were made and how many distinct values b held.
     */
    async function sustain(ms: number, key: string, value: (n: number) => unknown, mark: (v: unknown) => unknown) {
      const seen = new Set<unknown>();
      const watch = setInterval(() => { seen.add(mark(b.get('global', key))); }, 1);
      let n = 0;
      const end = Date.now() + ms;
      while (Date.now() < end) {
        a.set('global', key, value(++n));
        await new Promise((r) => setImmediate(r));
      }
      await until(() => mark(b.get('global', key)) === n);
      clearInterval(watch);
      return { sets: n, values: seen.size };
    }

    it('under sustained sets, writes at most one batch per 25 ms: the other instance follows, ending on the last value', async () => {
      await openPair();
      try {
        const { sets, values } = await sustain(300, 'n', (n) => n, (v) => v);
        expect(sets).toBeGreaterThan(200);
        // one write per 25 ms over 300 ms: about 12 values can reach the other instance, not one per set
        expect(values).toBeLessThanOrEqual(20);
        expect(values).toBeGreaterThan(3);
      } finally {
        await closePair();
      }
    });

    it('after a large batch waits longer: a 70 KB list set on every turn is written about every 50 ms', async () => {
      await openPair();
      try {
        const log = Array.from({ length: 10_000 }, (_, i) => 100_000 + i); // 70 KB of JSON
        const { sets, values } = await sustain(500, 'log', (n) => { log[0] = n; return log; }, (v) => (v as number[] | undefined)?.[0]);
        expect(sets).toBeGreaterThan(100);
        // one write per 50 ms over 500 ms: about 10 values can reach the other instance (20 at 25 ms)
        expect(values).toBeLessThanOrEqual(14);
        expect(values).toBeGreaterThan(3);
      } finally {
        await closePair();
      }
    });

    it('parses what another instance wrote only when it is read, and then only its latest value', async () => {
      await openPair();
      const parse = vi.spyOn(JSON, 'parse');
      try {
        const list = (i: number) => Array.from({ length: 50 }, (_, j) => `v${i}-${j}`);
        for (let i = 1; i <= 5; i++) await setCb(a, 'global', 'list', list(i));
        await setCb(a, 'n1:f1', 'marker', 'after');
        // the marker is in another scope: reading it leaves the list as it came
        await until(() => b.get('n1:f1', 'marker') === 'after');
        const parsedLists = () => parse.mock.calls.filter(([text]) => typeof text === 'string' && text.startsWith('["v')).length;
        expect(parsedLists()).toBe(0);
        expect(b.get('global', 'list')).toEqual(list(5));
        expect(parsedLists()).toBe(1);
        expect(b.get('global', 'list.length')).toBe(50);
        expect(b.keys('global')).toEqual(['list']);
        expect(parsedLists()).toBe(1);
        // a nested set on the other instance starts from the latest value, unparsed until then
        await setCb(a, 'global', 'list', list(6));
        await until(() => parse.mock.calls.some(([text]) => typeof text === 'string' && text.includes('"list",')));
        await new Promise((r) => setTimeout(r, 20));
        await setCb(b, 'global', 'list[0]', 'first');
        expect(b.get('global', 'list')).toEqual(['first', ...list(6).slice(1)]);
        await until(() => (a.get('global', 'list[0]') as string) === 'first');
      } finally {
        parse.mockRestore();
        await closePair();
      }
    });

    it('a set on one is read synchronously on the other, median under 50 ms', async () => {
      await openPair();
      try {
        const delays: number[] = [];
        for (let i = 0; i < 25; i++) {
          const start = performance.now();
          a.set('global', 'counter', i);
          await until(() => b.get('global', 'counter') === i);
          delays.push(performance.now() - start);
        }
        delays.sort((x, y) => x - y);
        expect(delays[Math.floor(delays.length / 2)]).toBeLessThan(50);
      } finally { await closePair(); }
    });

    it('sees nested paths, several keys, deletes and keys() of the other', async () => {
      await openPair();
      try {
        await setCb(a, 'f1', 'a.b[0].c', 'deep');
        await setCb(a, 'f1', ['k1', 'k2'], [1, 'two']);
        await until(() => b.get('f1', 'k2') === 'two');
        expect(b.get('f1', 'a')).toEqual({ b: [{ c: 'deep' }] });
        expect(b.keys('f1')).toEqual(['a', 'k1', 'k2']);
        await setCb(b, 'f1', 'a.b[0].d', 2);
        await until(() => (a.get('f1', 'a.b[0].d') as number) === 2);
        expect(a.get('f1', 'a')).toEqual({ b: [{ c: 'deep', d: 2 }] });
        await setCb(a, 'f1', 'k1', undefined);
        await until(() => !(b.keys('f1') as string[]).includes('k1'));
        expect(b.get('f1', 'k1')).toBeUndefined();
        const got = await new Promise<unknown[]>((resolve, reject) => b.get('f1', ['a.b[0].c', 'k2'], (err, ...v) => (err ? reject(err) : resolve(v))));
        expect(got).toEqual(['deep', 'two']);
      } finally { await closePair(); }
    });

    it('delete(scope) and clean() on one reach the other', async () => {
      await openPair();
      try {
        for (const scope of ['global', 'f1', 'f2', 'n1:f1', 'n3:f2']) await setCb(a, scope, 'v', scope);
        await until(() => b.get('n3:f2', 'v') === 'n3:f2');
        await b.clean(['f1', 'n1']);
        await until(() => a.get('f2', 'v') === undefined && a.get('n3:f2', 'v') === undefined);
        expect(a.get('global', 'v')).toBe('global');
        expect(a.get('n1:f1', 'v')).toBe('n1:f1');
        await a.delete('n1:f1');
        await until(() => b.get('n1:f1', 'v') === undefined);
        expect(b.keys('n1:f1')).toEqual([]);
      } finally { await closePair(); }
    });

    it('ends with the same value everywhere when both write one key at once (last writer in Redis wins)', async () => {
      await openPair();
      try {
        const writes: Promise<void>[] = [];
        for (let i = 0; i < 200; i++) writes.push(setCb(i % 2 ? a : b, 'global', 'race', { by: i % 2 ? 'a' : 'b', i }));
        await Promise.all(writes);
        // a third instance, opened now, reads what Redis holds; the two copies end the same
        const c = make(prefix);
        await c.open();
        try {
          const held = c.get('global', 'race');
          expect(held).toMatchObject({ by: expect.any(String) });
          await until(() => JSON.stringify(a.get('global', 'race')) === JSON.stringify(held)
            && JSON.stringify(b.get('global', 'race')) === JSON.stringify(held));
        } finally { await c.close(); }
      } finally { await closePair(); }
    });

    it('keeps the data when every instance restarts', async () => {
      const prefix = nextPrefix();
      a = make(prefix);
      b = make(prefix);
      await a.open();
      await b.open();
      await setCb(a, 'global', 'kept', { list: [1, 2, 3] });
      await setCb(b, 'n1:f1', 'node', 'value');
      await closePair();
      const c = make(prefix);
      await c.open();
      try {
        expect(c.get('global', 'kept')).toEqual({ list: [1, 2, 3] });
        expect(c.get('n1:f1', 'node')).toBe('value');
      } finally { await c.close(); }
    });
  });

  it('refuses to open without Redis, naming the address and not the password', async () => {
    const store = createRedisStore({ url: 'redis://user:secret@127.0.0.1:1', settings: {} }, quietLogger());
    const err = await Promise.resolve(store.open()).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/cannot connect to Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1/);
    expect(err?.message).not.toMatch(/secret/);
  });

  it('logs in with user:password@ from the URL, and refuses a wrong password without showing it', async () => {
    const locked = await startRedis({ password: 'pw-in-url' });
    try {
      const store = createRedisStore({ url: locked.url, prefix: 'auth', settings: {} }, quietLogger());
      await store.open();
      try {
        await setCb(store, 'global', 'k', 'v');
        expect(store.get('global', 'k')).toBe('v');
      } finally { await store.close(); }
      const wrong = createRedisStore({ url: locked.url.replace('pw-in-url', 'not-it'), settings: {} }, quietLogger());
      const err = await Promise.resolve(wrong.open()).then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message).toMatch(/cannot connect to Redis at redis:\/\/default:\*\*\*@127\.0\.0\.1:\d+/);
      expect(err?.message).not.toMatch(/not-it/);
    } finally { await locked.stop(); }
  });
});
