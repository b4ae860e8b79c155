// The nesting check every deployed node and stored file goes through: exact at the bound, for values deeper
// than its quick walk, for shared references and for cycles.
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../../src/runtime/util/safe-json.js';

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

describe('nestsDeeperThan', () => {
  it('primitives never nest', () => {
    for (const v of [null, undefined, 1, 'x', true]) expect(nestsDeeperThan(v, 0)).toBe(false);
  });

  it.each([1, 2, 5, 199, 200, 201, 500, 1000])('exact at a bound of %i levels', (max) => {
    expect(nestsDeeperThan(nested(max), max)).toBe(false);
    expect(nestsDeeperThan(nested(max + 1), max)).toBe(true);
  });

  it('finds the one deep branch among shallow ones', () => {
    const value = { a: [1, 2, { b: 3 }], c: { d: nested(300) }, e: 'x' };
    expect(nestsDeeperThan(value, 302)).toBe(false);
    expect(nestsDeeperThan(value, 301)).toBe(true);
  });

  it('a value sharing one object along many paths is answered without walking each path', () => {
    let v: object = { leaf: true };
    for (let i = 0; i < 60; i++) v = { a: v, b: v }; // 2^60 paths, 61 objects
    expect(nestsDeeperThan(v, 1000)).toBe(false);
    expect(nestsDeeperThan(v, 61)).toBe(false);
    expect(nestsDeeperThan(v, 60)).toBe(true);
  });

  it('a cycle is not nesting (each object counts once)', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    a.list = [a, { back: a }];
    expect(nestsDeeperThan(a, 3)).toBe(false);
    expect(nestsDeeperThan(a, 2)).toBe(true);
  });
});
