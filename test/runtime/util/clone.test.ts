// cloneMessage / deepClone. The expectations restate what Node-RED 4.1.15's cloneMessage (lodash.cloneDeep)
// was observed to do, except where a comment says Crimson deliberately differs.
import { describe, expect, it } from 'vitest';
import { cloneMessage, deepClone } from '../../../src/runtime/util/clone.js';

describe('deepClone', () => {
  it('copies plain objects and arrays deeply', () => {
    const src = { a: 1, b: [1, { c: 'x' }], d: { e: null, f: undefined } };
    const copy = deepClone(src);
    expect(copy).toStrictEqual(src);
    expect(copy).not.toBe(src);
    expect(copy.b).not.toBe(src.b);
    expect(copy.b[1]).not.toBe(src.b[1]);
    expect(copy.d).not.toBe(src.d);
  });

  it('returns primitives as they are', () => {
    for (const v of [1, 'a', null, undefined, true, 5n]) expect(deepClone(v)).toBe(v);
  });

  it('copies Buffers for real (Node-RED shares their memory; Crimson does not)', () => {
    const src = { payload: Buffer.from('abc') };
    const copy = deepClone(src);
    expect(Buffer.isBuffer(copy.payload)).toBe(true);
    copy.payload[0] = 0x7a;
    expect(src.payload.toString()).toBe('abc');
    expect(copy.payload.toString()).toBe('zbc');
  });

  it('keeps Dates as Dates, RegExps as RegExps (with lastIndex), typed arrays typed', () => {
    const re = /a(b)/g;
    re.lastIndex = 2;
    const src = { d: new Date(5), re, u8: new Uint8Array([1, 2]), f64: new Float64Array([1.5]), ab: new ArrayBuffer(3) };
    const copy = deepClone(src);
    expect(copy.d).toBeInstanceOf(Date);
    expect(copy.d.getTime()).toBe(5);
    expect(copy.d).not.toBe(src.d);
    expect(copy.re).toBeInstanceOf(RegExp);
    expect(String(copy.re)).toBe('/a(b)/g');
    expect(copy.re.lastIndex).toBe(2);
    expect(copy.u8).toStrictEqual(new Uint8Array([1, 2]));
    copy.u8[0] = 9;
    expect(src.u8[0]).toBe(1);
    expect(copy.f64).toBeInstanceOf(Float64Array);
    expect(copy.ab.byteLength).toBe(3);
    expect(copy.ab).not.toBe(src.ab);
  });

  it('clones Maps (keys and values) and Sets', () => {
    const key = { k: 1 };
    const val = { v: 1 };
    const src = { m: new Map([[key, val]]), s: new Set([{ a: 1 }]) };
    const copy = deepClone(src);
    const [[k2, v2]] = [...copy.m];
    expect(k2).toStrictEqual(key);
    expect(k2).not.toBe(key);
    expect(v2).not.toBe(val);
    const [s2] = [...copy.s];
    expect(s2).toStrictEqual({ a: 1 });
    expect(s2).not.toBe([...src.s][0]);
  });

  it('keeps the prototype of class instances and clones their own properties', () => {
    class Foo { x = { y: 1 }; get g(): number { return 2; } }
    const src = { foo: new Foo() };
    const copy = deepClone(src);
    expect(copy.foo).toBeInstanceOf(Foo);
    expect(copy.foo.g).toBe(2);
    expect(copy.foo.x).toStrictEqual({ y: 1 });
    expect(copy.foo.x).not.toBe(src.foo.x);
  });

  it('keeps errors, functions, WeakMaps and Promises nested by reference', () => {
    const src = { e: new Error('x'), fn() { return 1; }, wm: new WeakMap(), pr: Promise.resolve(1) };
    const copy = deepClone(src);
    expect(copy.e).toBe(src.e);
    expect(copy.fn).toBe(src.fn);
    expect(copy.wm).toBe(src.wm);
    expect(copy.pr).toBe(src.pr);
  });

  it('turns an uncloneable top-level value into {} as lodash does', () => {
    expect(deepClone(new Error('top'))).toStrictEqual({});
    expect(deepClone(function top() { /* no body */ })).toStrictEqual({});
  });

  it('preserves circular and shared references', () => {
    const circ: any = { a: 1 };
    circ.self = circ;
    const copy = deepClone(circ);
    expect(copy.self).toBe(copy);
    expect(copy).not.toBe(circ);
    const shared = { s: 1 };
    const two = deepClone({ p: shared, q: shared });
    expect(two.p).toBe(two.q);
    expect(two.p).not.toBe(shared);
  });

  it('gives null-prototype objects Object.prototype', () => {
    const src = Object.assign(Object.create(null), { q: { r: 1 } });
    const copy = deepClone(src);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy).toStrictEqual({ q: { r: 1 } });
  });

  it('copies enumerable symbols, drops non-enumerable properties', () => {
    const sym = Symbol('k');
    const src: any = { [sym]: { v: 1 }, a: 1 };
    Object.defineProperty(src, 'hidden', { value: 1, enumerable: false });
    const copy = deepClone(src);
    expect(copy[sym]).toStrictEqual({ v: 1 });
    expect(copy[sym]).not.toBe(src[sym]);
    expect(Object.hasOwn(copy, 'hidden')).toBe(false);
  });

  it('fills array holes with undefined, drops extra array properties, keeps RegExp#exec match info', () => {
    const arr: any = [1, , 3];
    arr.extra = 'x';
    const copy = deepClone(arr);
    expect(copy).toStrictEqual([1, undefined, 3]);
    expect(copy.extra).toBeUndefined();
    const m = deepClone(/b/.exec('abc')) as any;
    expect(m.index).toBe(1);
    expect(m.input).toBe('abc');
  });

  it('keeps an own "__proto__" key as data and never changes the prototype', () => {
    const src = JSON.parse('{"a":{"__proto__":{"x":1}}}');
    const copy = deepClone(src);
    expect(Object.getPrototypeOf(copy.a)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy.a, '__proto__')?.value).toStrictEqual({ x: 1 });
    expect(({} as any).x).toBeUndefined();
  });

  it('clones wrapper objects', () => {
    const copy = deepClone({ a: new Boolean(false), b: new String('s'), c: new Number(2) });
    expect(copy.a).toBeInstanceOf(Boolean);
    expect(copy.a.valueOf()).toBe(false);
    expect(copy.b.valueOf()).toBe('s');
    expect(copy.c.valueOf()).toBe(2);
  });
});

describe('cloneMessage', () => {
  it('keeps req and res by reference and clones the rest', () => {
    const req = { a: 1 };
    const res = { b: 2 };
    const msg = { _msgid: 'x', req, res, payload: { c: 3 } };
    const copy = cloneMessage(msg);
    expect(copy.req).toBe(req);
    expect(copy.res).toBe(res);
    expect(copy.payload).toStrictEqual({ c: 3 });
    expect(copy.payload).not.toBe(msg.payload);
  });

  it('moves req/res after the other keys (on the original too) and drops falsy ones, as Node-RED does', () => {
    const msg: any = { _msgid: 'x', req: { r: 1 }, res: null, payload: 1 };
    const copy = cloneMessage(msg);
    expect(Object.keys(msg)).toStrictEqual(['_msgid', 'payload', 'req']);
    expect(Object.keys(copy)).toStrictEqual(['_msgid', 'payload', 'req']);
  });

  it('leaves key order alone when there is no req/res', () => {
    const msg = { b: 1, a: 2, _msgid: 'x' };
    expect(Object.keys(cloneMessage(msg))).toStrictEqual(['b', 'a', '_msgid']);
  });

  it('returns non-objects as they are', () => {
    expect(cloneMessage(undefined)).toBeUndefined();
    expect(cloneMessage(null)).toBeNull();
    expect(cloneMessage('s')).toBe('s');
  });
});
