// settings.contextStorage -> stores: default/alias/first-entry rules, names, custom modules, Node-RED's texts.
import { describe, expect, it } from 'vitest';
import { createStoreSet } from '../../../src/runtime/context/store-config.js';
import { createMemoryStore } from '../../../src/runtime/context/memory-store.js';
import type { StoreConfig } from '../../../src/runtime/context/store.js';
import { createLogger } from '../../../src/runtime/logger.js';

function build(contextStorage: unknown) {
  const lines: string[] = [];
  const set = createStoreSet(contextStorage, { userDir: '/tmp/ud', logger: createLogger({ write: (l) => lines.push(l) }) });
  return { ...set, lines };
}

describe('createStoreSet', () => {
  it('uses one memory store named "memory" when nothing is configured', () => {
    const s = build({});
    expect([s.defaultName, s.names, s.configured]).toEqual(['memory', ['memory'], false]);
    expect(s.lines.some((l) => l.endsWith("[info] Context store  : 'default' [module=memory]"))).toBe(true);
  });

  it('default + file: both listed, default is "default"', () => {
    const s = build({ default: { module: 'memory' }, file: { module: 'localfilesystem' } });
    expect([s.defaultName, s.names, s.configured]).toEqual(['default', ['default', 'file'], true]);
    expect(s.stores.get('_')).toBe(s.stores.get('default'));
    expect(s.lines.filter((l) => l.includes('Context store  :')).map((l) => l.replace(/^.*\[info\] /, ''))).toEqual([
      "Context store  : 'default' [module=memory]",
      "Context store  : 'file' [module=localfilesystem]",
    ]);
  });

  it('default may name another store; it is then not listed itself', () => {
    const s = build({ default: 'file', mem: { module: 'memory' }, file: { module: 'memory' } });
    expect([s.defaultName, s.names]).toEqual(['file', ['mem', 'file']]);
    expect(s.stores.get('_')).toBe(s.stores.get('file'));
  });

  it('without default the first entry is the default', () => {
    const s = build({ file: { module: 'localfilesystem' }, mem: { module: 'memory' } });
    expect([s.defaultName, s.names]).toEqual(['file', ['file', 'mem']]);
    expect(s.stores.get('_')).toBe(s.stores.get('file'));
  });

  it('"_" is reserved and ignored', () => {
    const s = build({ _: { module: 'localfilesystem' } });
    expect([s.defaultName, s.names, s.configured]).toEqual(['memory', [], true]);
    const t = build({ _: { module: 'localfilesystem' }, a: { module: 'memory' } });
    expect([t.defaultName, t.names]).toEqual(['a', ['a']]);
  });

  it.each([
    [{ 'bad-name': { module: 'memory' } }, "Error loading context store: Error: Invalid context store name: 'bad-name'"],
    [{ file: { config: {} } }, "Error loading context store: Error: Context store 'file' missing 'module' option"],
    [{ file: 'x' }, "Error loading context store: Error: Context store 'file' missing 'module' option"],
    [{ default: 'nope', file: { module: 'memory' } }, "Error loading context store: Error: Default context store unknown: 'nope'"],
    [{ x: { module: 'mongodb' } }, "Error loading context store: Error: Error loading context store 'mongodb': Error: Cannot find module './mongodb'"],
    [{ x: { module: () => { throw new Error('boom'); } } }, "Error loading context store: Error: Error loading context store 'x': Error: boom"],
    [{ x: { module: () => ({}) } }, /Error loading context store 'x': Error: the store must have get, set and keys functions/],
  ])('rejects %j with Node-RED\'s message', (cs, message) => {
    expect(() => build(cs)).toThrow(message);
  });

  it('accepts a store factory or a class as module, passing config plus settings.userDir', () => {
    const seen: StoreConfig[] = [];
    const factory = (config: StoreConfig) => { seen.push(config); return createMemoryStore(); };
    class Custom {
      inner = createMemoryStore();
      constructor(config: StoreConfig) { seen.push(config); }
      get(scope: string, key: string, cb?: never) { return this.inner.get(scope, key, cb); }
      set(scope: string, key: string, value: unknown, cb?: never) { this.inner.set(scope, key, value, cb); }
      keys(scope: string, cb?: never) { return this.inner.keys(scope, cb); }
    }
    const s = build({ f: { module: factory, config: { opt: 1 } }, c: { module: Custom } });
    expect(seen).toEqual([{ opt: 1, settings: { userDir: '/tmp/ud' } }, { settings: { userDir: '/tmp/ud' } }]);
    expect(s.lines.some((l) => l.endsWith("Context store  : 'f' [module=custom]"))).toBe(true);
    const c = s.stores.get('c')!;
    c.set('global', 'k', 1);
    expect(c.get('global', 'k')).toBe(1);
    // lifecycle methods a custom store lacks are no-ops
    return Promise.all([c.open(), c.close(), c.delete('x'), c.clean([])]);
  });
});
