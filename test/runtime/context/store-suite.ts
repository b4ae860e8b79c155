// The behaviour every context store must show (memory, localfilesystem cached and uncached, any plugin):
// run with describeStoreSuite(name, factory). Uses the callback form; the synchronous form too when `sync`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContextStore } from '../../../src/runtime/context/store.js';

export interface StoreUnderTest {
  store: ContextStore;
  /** Closes the store and opens a new instance on the same data (persistent stores only). */
  reopen?(): Promise<ContextStore>;
  dispose(): Promise<void>;
}

const cbGet = (s: ContextStore, scope: string, key: string | string[]) =>
  new Promise<unknown[]>((resolve, reject) => {
    s.get(scope, key, (err, ...values) => (err ? reject(err) : resolve(values)));
  });
const cbSet = (s: ContextStore, scope: string, key: string | string[], value: unknown) =>
  new Promise<void>((resolve, reject) => {
    s.set(scope, key, value, (err) => (err ? reject(err) : resolve()));
  });
const cbKeys = (s: ContextStore, scope: string) =>
  new Promise<string[]>((resolve, reject) => {
    s.keys(scope, (err, keys) => (err ? reject(err) : resolve(keys)));
  });
const get1 = async (s: ContextStore, scope: string, key: string) => (await cbGet(s, scope, key))[0];

export function describeStoreSuite(name: string, make: () => Promise<StoreUnderTest>, opts: { sync: boolean }): void {
  describe(`context store contract: ${name}`, () => {
    let t: StoreUnderTest;
    let s: ContextStore;
    beforeEach(async () => { t = await make(); s = t.store; await s.open(); });
    afterEach(async () => { await s.close(); await t.dispose(); });

    it('reads undefined for a missing key, scope or parent', async () => {
      expect(await get1(s, 'nope', 'a')).toBeUndefined();
      await cbSet(s, 'f1', 'x', 1);
      expect(await get1(s, 'f1', 'missing')).toBeUndefined();
      expect(await get1(s, 'f1', 'missing.deeper.still')).toBeUndefined();
    });

    it('stores values under property paths, creating parents', async () => {
      await cbSet(s, 'n1:f1', 'a.b[0].c', 'deep');
      expect(await get1(s, 'n1:f1', 'a')).toEqual({ b: [{ c: 'deep' }] });
      expect(await get1(s, 'n1:f1', 'a.b[0].c')).toBe('deep');
      expect(await get1(s, 'n1:f1', 'a["b"][0]')).toEqual({ c: 'deep' });
      await cbSet(s, 'n1:f1', 'obj', { arr: [1, 2], s: 'x', n: null });
      expect(await get1(s, 'n1:f1', 'obj')).toEqual({ arr: [1, 2], s: 'x', n: null });
    });

    it('deletes a key when set to undefined', async () => {
      await cbSet(s, 'f1', 'a', 1);
      await cbSet(s, 'f1', 'b', { c: 1, d: 2 });
      await cbSet(s, 'f1', 'a', undefined);
      await cbSet(s, 'f1', 'b.c', undefined);
      expect(await get1(s, 'f1', 'a')).toBeUndefined();
      expect(await get1(s, 'f1', 'b')).toEqual({ d: 2 });
      expect(await cbKeys(s, 'f1')).toEqual(['b']);
    });

    it('gets and sets several keys at once; missing values become null', async () => {
      await cbSet(s, 'f1', ['k1', 'k2', 'k3'], [1, 'two']);
      expect(await cbGet(s, 'f1', ['k1', 'k2', 'k3', 'k4'])).toEqual([1, 'two', null, undefined]);
      await cbSet(s, 'f1', ['solo', 'other'], 'v');
      expect(await cbGet(s, 'f1', ['solo', 'other'])).toEqual(['v', null]);
    });

    it('lists the top-level keys of a scope in insertion order; scopes are separate', async () => {
      expect(await cbKeys(s, 'empty')).toEqual([]);
      await cbSet(s, 'global', 'g1', 1);
      await cbSet(s, 'global', 'g2.x', 2);
      await cbSet(s, 'f1', 'f', 1);
      await cbSet(s, 'n1:f1', 'n', 1);
      expect(await cbKeys(s, 'global')).toEqual(['g1', 'g2']);
      expect(await cbKeys(s, 'f1')).toEqual(['f']);
      expect(await cbKeys(s, 'n1:f1')).toEqual(['n']);
      expect(await get1(s, 'f1', 'g1')).toBeUndefined();
    });

    it('delete(scope) removes the whole scope', async () => {
      await cbSet(s, 'n1:f1', 'a', 1);
      await cbSet(s, 'f1', 'a', 2);
      await s.delete('n1:f1');
      expect(await cbKeys(s, 'n1:f1')).toEqual([]);
      expect(await get1(s, 'f1', 'a')).toBe(2);
    });

    it('clean() keeps global and the scopes of active flows/nodes', async () => {
      for (const scope of ['global', 'f1', 'f2', 'n1:f1', 'n2:f1', 'n3:f2']) await cbSet(s, scope, 'v', scope);
      await s.clean(['f1', 'n1']);
      expect(await get1(s, 'global', 'v')).toBe('global');
      expect(await get1(s, 'f1', 'v')).toBe('f1');
      expect(await get1(s, 'n1:f1', 'v')).toBe('n1:f1');
      expect(await get1(s, 'f2', 'v')).toBeUndefined();
      expect(await get1(s, 'n2:f1', 'v')).toBeUndefined();
      expect(await get1(s, 'n3:f2', 'v')).toBeUndefined();
    });

    it('reports a malformed key to the callback', async () => {
      await cbSet(s, 'f1', 'a', 1);
      await expect(cbGet(s, 'f1', 'a..b')).rejects.toMatchObject({ code: 'INVALID_EXPR' });
      await expect(cbSet(s, 'f1', 'a b', 1)).rejects.toMatchObject({ code: 'INVALID_EXPR' });
    });

    it('never writes through prototype keys', async () => {
      await expect(cbSet(s, 'f1', '__proto__.polluted', 1)).rejects.toMatchObject({ code: 'INVALID_EXPR' });
      await expect(cbSet(s, 'f1', 'a.constructor.prototype.polluted', 1)).rejects.toMatchObject({ code: 'INVALID_EXPR' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await get1(s, 'f1', '__proto__')).toBeUndefined();
      expect(await cbKeys(s, 'f1')).toEqual([]);
    });

    if (opts.sync) {
      it('answers synchronously without a callback', () => {
        s.set('f1', 'a.b', 5);
        expect(s.get('f1', 'a.b')).toBe(5);
        expect(s.get('f1', ['a.b', 'zz'])).toEqual([5, undefined]);
        expect(s.keys('f1')).toEqual(['a']);
        expect(() => s.get('f1', 'a..b')).toThrow(/Invalid property expression/);
        expect(() => s.set('f1', '__proto__.x', 1)).toThrow(/may not be used/);
      });
    }

    it('keeps data across reopen when persistent', async () => {
      if (!t.reopen) return;
      await cbSet(s, 'global', 'g', { deep: [1, 2] });
      await cbSet(s, 'n1:f1', 'n', 'node');
      s = await t.reopen();
      expect(await get1(s, 'global', 'g')).toEqual({ deep: [1, 2] });
      expect(await get1(s, 'n1:f1', 'n')).toBe('node');
    });
  });
}
