import { describe, it, expect } from 'vitest';
import { hashOf } from '../../../src/nodes/http/headers-hash.js';

describe('hashOf (hash-sum 2.x, as http request marks msg.headers)', () => {
  it('gives the values Node-RED computes', () => {
    // expected values computed by hash-sum 2.0.0 from Node-RED 4.1.15's node_modules
    expect(hashOf({})).toBe('59322f29');
    expect(hashOf({ a: '1' })).toBe('5e4582e8');
    expect(hashOf({ 'content-type': 'text/html', 'x-a': ['1', '2'], date: 'Wed' })).toBe('0c5d2d0b');
    expect(hashOf('str')).toBe('1a3b267b');
    expect(hashOf(42)).toBe('382ee1a4');
    expect(hashOf(null)).toBe('9b7df12e');
    expect(hashOf(undefined)).toBe('29172c1a');
    expect(hashOf([1, { b: 2 }])).toBe('c1969632');
    expect(hashOf({ n: null, u: undefined, d: new Date(0) })).toBe('54c6c1dc');
    expect(hashOf(Object.assign(Object.create(null), { a: 1 }))).toBe('792910c0');
    expect(hashOf({ x: 'é'.repeat(100) })).toBe('699ef1be');
    const self: Record<string, unknown> = { a: 1 };
    self.self = self;
    expect(hashOf(self)).toBe('7f0dd1e7');
  });

  it('does not depend on key order', () => {
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
  });
});
