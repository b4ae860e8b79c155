// The memory store: the shared contract, plus reference semantics and Node-RED's hidden global keys.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/runtime/context/memory-store.js';
import { describeStoreSuite } from './store-suite.js';

describeStoreSuite('memory', async () => ({ store: createMemoryStore(), dispose: async () => {} }), { sync: true });

describe('memory store', () => {
  it('returns the stored object itself (no copies on get or set)', () => {
    const s = createMemoryStore();
    const value = { n: 1 };
    s.set('f1', 'obj', value);
    expect(s.get('f1', 'obj')).toBe(value);
    value.n = 2;
    expect(s.get('f1', 'obj.n')).toBe(2);
  });

  it('hides get/set/keys from the keys of the global scope only', () => {
    const s = createMemoryStore();
    for (const k of ['get', 'set', 'keys', 'other']) { s.set('global', k, 1); s.set('f1', k, 1); }
    expect(s.keys('global')).toEqual(['other']);
    expect(s.keys('f1')).toEqual(['get', 'set', 'keys', 'other']);
  });

  it('keeps scope data in null-prototype objects', () => {
    const s = createMemoryStore();
    s.put('f1', '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(s.scopeData('f1'))).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(s.keys('f1')).toEqual(['__proto__']);
  });
});
