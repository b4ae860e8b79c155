// The context manager and its handles (COMPAT C10, C11): store selection, `#:(store)::key`, unknown-store
// warnings, `$parent`, functionGlobalContext, key checks, node-context lifetime, open/close, JSONata access.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContextManager, type ContextManager, type ContextManagerOptions } from '../../src/runtime/context.js';
import { createLogger } from '../../src/runtime/logger.js';
import { evaluateJSONataAsync, prepareJSONataExpression } from '../../src/runtime/util/jsonata.js';
import type { EvalNode } from '../../src/runtime/util/typed-value.js';

let lines: string[];
const warnings = () => lines.filter((l) => l.includes('[warn]')).map((l) => l.replace(/^.*\[warn\] /, ''));
function manager(opts: Partial<ContextManagerOptions> = {}): ContextManager {
  return createContextManager({ logger: createLogger({ write: (l) => lines.push(l) }), ...opts });
}
const cb = <T = unknown>(call: (done: (err?: Error | null, ...v: unknown[]) => void) => void) =>
  new Promise<T[]>((resolve, reject) => call((err, ...v) => (err ? reject(err) : resolve(v as T[]))));
const twoStores = { default: { module: 'memory' }, other: { module: 'memory' } };

beforeEach(() => { lines = []; });

describe('context handles', () => {
  it('select a store by argument or by #:(store)::key; the argument wins', async () => {
    const m = manager({ contextStorage: twoStores });
    await m.open();
    const flow = m.flow('t1');
    flow.set('a', 'in default');
    flow.set('#:(other)::a', 'in other');
    expect(flow.get('a')).toBe('in default');
    expect(flow.get('a', 'other')).toBe('in other');
    expect(flow.get('#:(other)::a')).toBe('in other');
    expect(flow.get('#:(other)::a', 'default')).toBe('in default');
    expect(m.store('other')!.get('t1', 'a')).toBe('in other');
    expect(await cb((d) => flow.get('a', 'other', d))).toEqual(['in other']);
    expect(flow.keys('other')).toEqual(['a']);
  });

  it('fall back to the default store for an unknown name, warning once per name', () => {
    const m = manager();
    const g = m.global;
    g.set('x', 1, 'bogus');
    expect(g.get('x', 'bogus')).toBe(1);
    g.get('x', 'bogus2');
    g.get('x', 'memory'); // the default store's own name: no warning
    expect(g.get('x', 'default')).toBe(1); // not a store name without contextStorage
    expect(warnings()).toEqual([
      "Unknown context store 'bogus' specified. Using default store.",
      "Unknown context store 'bogus2' specified. Using default store.",
      "Unknown context store 'default' specified. Using default store.",
    ]);
  });

  it('check keys and callbacks with Node-RED\'s messages', async () => {
    const ctx = manager().node('n1', 't1', undefined);
    expect(() => ctx.get('')).toThrow('Invalid context key');
    expect(() => ctx.get([])).toThrow('Invalid context key');
    expect(() => ctx.set(5 as never, 1)).toThrow('Invalid context key');
    await expect(cb((d) => ctx.get(['a', ''], d))).rejects.toThrow('Invalid context key');
    expect(() => ctx.get('a', 'memory', 'notfn' as never)).toThrow('Callback must be a function');
    expect(() => ctx.keys('memory', 'notfn' as never)).toThrow('Callback must be a function');
  });

  it('multi-key get/set, callback forms and deletion by undefined', async () => {
    const ctx = manager().node('n1', 't1', undefined);
    ctx.set(['k1', 'k2', 'k3'], [1]);
    expect(ctx.get(['k1', 'k2', 'k3'])).toEqual([1, null, null]);
    expect(await cb((d) => ctx.get(['k1', 'k2'], d))).toEqual([1, null]);
    await cb((d) => ctx.set('k2', undefined, d));
    expect(await cb((d) => ctx.keys(d))).toEqual([['k1', 'k3']]);
  });

  it('read `$parent.` keys from the enclosing flow; a tab\'s parent is the global context', () => {
    const m = manager();
    m.global.set('g', 1);
    const tab = m.flow('t1');
    expect(tab.get('$parent.g')).toBe(1);
    expect(tab.get('$parent')).toBeUndefined();
    expect(tab.get('$parent.$parent.g')).toBeUndefined();
    tab.set('$parent.viaFlow', 7);
    expect(m.global.get('viaFlow')).toBe(7);
    const sub = m.flow('sf-instance', tab);
    tab.set('x', 'tab value');
    expect(sub.get('$parent.x')).toBe('tab value');
    expect(m.node('n1', 't1', tab).get('$parent.x')).toBeUndefined();
  });

  it('read functionGlobalContext through any store and list its keys first', async () => {
    const seed = { seed1: { a: { b: 2 } }, num: 5 };
    const m = manager({ globalValues: seed, contextStorage: twoStores });
    await m.open();
    const g = m.global;
    g.set('g', 1);
    expect(g.get('seed1.a.b')).toBe(2);
    expect(g.get(['seed1.a', 'nope', 'g'])).toEqual([{ b: 2 }, undefined, 1]);
    expect(g.get('num', 'other')).toBe(5);
    expect(await cb((d) => g.get(['num', 'g'], 'other', d))).toEqual([5, undefined]);
    expect(g.keys()).toEqual(['seed1', 'num', 'g']);
    expect(g.keys('other')).toEqual(['seed1', 'num']);
    expect(await cb((d) => g.keys('other', d))).toEqual([['seed1', 'num']]);
    g.set('seed1', undefined); // deleting the stored value leaves the seed visible, as in Node-RED
    expect(g.get('seed1')).toBe(seed.seed1);
    expect(m.seededKeys()).toEqual(['seed1', 'num']);
    const hidden = manager({ globalValues: seed, exportGlobalContextKeys: false });
    expect(hidden.global.keys()).toEqual([]);
    expect(hidden.global.get('num')).toBe(5);
  });
});

describe('context manager', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-ctxm-')); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('lists stores as /settings shows them', async () => {
    const plain = manager();
    await plain.open();
    expect([plain.defaultStore(), plain.storeNames(), plain.configured()]).toEqual(['memory', ['memory'], false]);
    const conf = manager({ contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem' } }, userDir: dir });
    await conf.open();
    expect([conf.defaultStore(), conf.storeNames(), conf.configured()]).toEqual(['default', ['default', 'file'], true]);
    await conf.close();
  });

  it('rejects open() for a bad contextStorage', async () => {
    await expect(manager({ contextStorage: { 'a-b': { module: 'memory' } } }).open())
      .rejects.toThrow("Error loading context store: Error: Invalid context store name: 'a-b'");
  });

  it('drops a stopped node\'s context only when no store is configured', async () => {
    const plain = manager();
    plain.node('n1', 't1').set('v', 1);
    plain.deleteNode('n1', 't1');
    await new Promise((r) => setImmediate(r));
    expect(plain.node('n1', 't1').get('v')).toBeUndefined();
    const conf = manager({ contextStorage: { default: { module: 'memory' } } });
    await conf.open();
    conf.node('n1', 't1').set('v', 1);
    conf.deleteNode('n1', 't1');
    await new Promise((r) => setImmediate(r));
    expect(conf.node('n1', 't1').get('v')).toBe(1);
  });

  it('scopes a node outside any flow by its id alone; flow "global" is the global context', () => {
    const m = manager();
    m.node('cfg', 'global').set('v', 1);
    expect(m.store()!.get('cfg', 'v')).toBe(1);
    expect(m.node('cfg', undefined).get('v')).toBe(1);
    expect(m.flow('global')).toBe(m.global);
  });

  it('clean() removes scopes of inactive flows and nodes from every store', async () => {
    const m = manager({ contextStorage: twoStores });
    await m.open();
    m.flow('t1').set('a', 1);
    m.flow('t2').set('a', 1, 'other');
    m.node('n1', 't1').set('a', 1);
    m.node('n2', 't1').set('a', 1, 'other');
    m.global.set('a', 1);
    await m.clean(new Set(['t1', 'n1']));
    expect([m.flow('t1').get('a'), m.flow('t2').get('a', 'other'), m.node('n1', 't1').get('a'), m.node('n2', 't1').get('a', 'other'), m.global.get('a')])
      .toEqual([1, undefined, 1, undefined, 1]);
  });

  it('persists file-store context across a close and a new manager', async () => {
    const opts = { contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem' } }, userDir: dir };
    const first = manager(opts);
    await first.open();
    first.node('n1', 't1').set('count', 3, 'file');
    first.global.set('g', { a: 1 }, 'file');
    first.global.set('mem', 1);
    await first.close();
    const second = manager(opts);
    await second.open();
    expect(second.node('n1', 't1').get('count', 'file')).toBe(3);
    expect(second.global.get('g.a', 'file')).toBe(1);
    expect(second.global.get('mem')).toBeUndefined();
    await second.close();
  });

  it('an uncached file store needs callbacks; the sync form throws Node-RED\'s error', async () => {
    const m = manager({ contextStorage: { file: { module: 'localfilesystem', config: { cache: false } } }, userDir: dir });
    await m.open();
    const ctx = m.flow('t1');
    expect(() => ctx.get('a')).toThrow('File Store cache disabled - only asynchronous access supported');
    expect(() => ctx.keys('file')).toThrow('Callback must be a function');
    await cb((d) => ctx.set('a', { b: 2 }, d));
    expect(await cb((d) => ctx.get('a.b', d))).toEqual([2]);
    expect(await cb((d) => ctx.keys(d))).toEqual([['a']]);
    await m.close();
  });
});

describe('$flowContext / $globalContext in JSONata', () => {
  it('read the default store or a named one, also from an uncached file store', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-ctxj-'));
    try {
      const m = manager({ contextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem', config: { cache: false } } }, userDir: dir, globalValues: { seeded: 'S' } });
      await m.open();
      const flow = m.flow('t1');
      flow.set('f', 10);
      await cb((d) => flow.set('f', 20, 'file', d));
      m.global.set('g', 1);
      await cb((d) => m.global.set('g', 2, 'file', d));
      const node: EvalNode = { id: 'n1', context: () => ({ flow, global: m.global }) } as EvalNode;
      const run = (expr: string) => evaluateJSONataAsync(prepareJSONataExpression(expr, node), {});
      expect(await run('$flowContext("f")')).toBe(10);
      expect(await run('$flowContext("f", "file")')).toBe(20);
      expect(await run('$globalContext("g") + $globalContext("g", "file")')).toBe(3);
      expect(await run('$globalContext("#:(file)::g")')).toBe(2);
      expect(await run('$globalContext("seeded")')).toBe('S');
      await m.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
