// Property expressions and message property access. Expected values were produced by Node-RED 4.1.15's
// own RED.util functions for the same inputs (see the report); they are literal here.
import { describe, expect, it } from 'vitest';
import {
  getMessageProperty, getObjectProperty, normalisePropertyExpression, setMessageProperty, setObjectProperty,
} from '../../../src/runtime/util/properties.js';

const fixture = (): Record<string, any> => ({
  payload: { a: [1, { b: 2 }], s: 'str', n: null, z: 0, 'x y': 1 }, topic: 't', idx: 1, key: 'a', arr: [[1, 2], [3]], k2: 'payload',
});

/** Runs f and describes the outcome the way the tables do. */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e: any) {
    return { error: e.code ? `${e.code}: ${e.message}` : e.constructor.name };
  }
}

const NORMALISE: Array<[string, unknown]> = [
  ["payload", ["payload"]],
  ["a.b.c", ["a", "b", "c"]],
  ["a[\"b\"]", ["a", "b"]],
  ["a['b'][1]", ["a", "b", 1]],
  ["a[0]", ["a", 0]],
  ["a.0", ["a", "0"]],
  ["0.a", [0, "a"]],
  ["0[1]", ["0", 1]],
  ["a[1.2]", ["a", 1, 2]],
  ["a[0]b", ["a", 0, "b"]],
  ["a.1.b", ["a", 1, "b"]],
  ["a-b.c$d", ["a-b", "c$d"]],
  ["a[\"b.c\"]", ["a", "b.c"]],
  ["a['b\"c']", ["a", "b\"c"]],
  ["a[\"b'c\"]", ["a", "b'c"]],
  ["a[msg.x]", ["a", ["msg", "x"]]],
  ["a[msg.x.y]z", ["a", ["msg", "x", "y"], "z"]],
  ["a[msg[msg.k]]", ["a", ["msg", ["msg", "k"]]]],
  ["a[\"[b]\"]", ["a", "[b]"]],
  ["payload.a[01]", ["payload", "a", 1]],
  ["", { error: "INVALID_EXPR: Invalid property expression: zero-length" }],
  [".a", { error: "INVALID_EXPR: Invalid property expression: unexpected . at position 0" }],
  ["a.", { error: "INVALID_EXPR: Invalid property expression: unterminated expression" }],
  ["a..b", { error: "INVALID_EXPR: Invalid property expression: unexpected . at position 2" }],
  ["a.[0]", { error: "INVALID_EXPR: Invalid property expression: unexpected [ at position 2" }],
  ["a[", { error: "INVALID_EXPR: Invalid property expression: unterminated expression" }],
  ["[0]", { error: "INVALID_EXPR: Invalid property expression: unexpected [ at position 0" }],
  ["a[b]", { error: "INVALID_EXPR: Invalid property expression: unexpected b at position 2" }],
  ["a[0", { error: "INVALID_EXPR: Invalid property expression: unterminated expression" }],
  ["a[0]]", { error: "INVALID_EXPR: Invalid property expression: unexpected ] at position 4" }],
  ["a]", { error: "INVALID_EXPR: Invalid property expression: unexpected ] at position 1" }],
  ["a b", { error: "INVALID_EXPR: Invalid property expression: unexpected ' ' at position 1" }],
  ["a[\"b\"", { error: "INVALID_EXPR: Invalid property expression: unexpected array expression at position 3" }],
  ["a[\"b\"c]", { error: "INVALID_EXPR: Invalid property expression: unexpected array expression at position 3" }],
  ["a\"b\"", { error: "INVALID_EXPR: Invalid property expression: unexpected \" at position 1" }],
  ["\"a\"b", { error: "INVALID_EXPR: Invalid property expression: unexpected b expression at position 3" }],
  ["a[\"\"]", { error: "INVALID_EXPR: Invalid property expression: zero-length string at position 3" }],
  ["a[1a]", { error: "INVALID_EXPR: Invalid property expression: unexpected array expression at position 2" }],
  ["a[ 0]", { error: "INVALID_EXPR: Invalid property expression: unexpected   at position 2" }],
  ["a[msg.x", { error: "INVALID_EXPR: Invalid property expression: unmatched '[' at position 1" }],
  ["a.-b", { error: "INVALID_EXPR: Invalid property expression: unexpected - at position 2" }],
  ["'a'.b", ["a", "b"]],
  ["\"a\"", ["a"]],
];
const NORMALISE_TO_STRING: Array<[string, unknown]> = [
  ["payload", "payload"],
  ["a.b.c", "a[\"b\"][\"c\"]"],
  ["a[\"b\"]", "a[\"b\"]"],
  ["a[0].b", "a[0][\"b\"]"],
  ["a['b\"c']", "a['b\"c']"],
  ["0", "0"],
  ["0.a", "0[\"a\"]"],
  ["a[msg.x]", "a[msg,x]"],
  ["a[msg.x.y]z", "a[msg,x,y][\"z\"]"],
  ["a.b-c", "a[\"b-c\"]"],
];
/** Resolved against the fixture message (cross references replaced by values). */
const NORMALISE_WITH_MSG: Array<[string, unknown]> = [
  ["payload[msg.key]", ["payload", "a"]],
  ["payload[msg.key][msg.idx]", ["payload", "a", 1]],
  ["arr[msg.idx][0]", ["arr", 1, 0]],
  ["payload[msg.nope]", { error: "INVALID_EXPR: Invalid expression started at position 8" }],
  ["a[msg.topic].b", ["a", "t", "b"]],
  ["x[msg[msg.k2].s]", { error: "INVALID_EXPR: Invalid expression started at position 2" }],
  ["x[msg.payload.a[0]]", ["x", 1]],
  ["a[msg[\"key\"]]", { error: "INVALID_EXPR: Invalid expression started at position 2" }],
  ["a[msg.arr]", ["a", [[1, 2], [3]]]],
  ["x[msg.key]", ["x", "a"]],
];
/** getMessageProperty(fixture(), expr): value, or the error (code: message, or the error class). */
const GET: Array<[string, unknown]> = [
  ["payload", { value: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 } }],
  ["msg.payload", { value: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 } }],
  ["payload.a", { value: [1, { b: 2 }] }],
  ["payload.a[0]", { value: 1 }],
  ["payload.a[1].b", { value: 2 }],
  ["payload[\"a\"][1][\"b\"]", { value: 2 }],
  ["payload.a.1.b", { value: 2 }],
  ["payload.zz", { value: undefined }],
  ["payload.zz.y", { error: "TypeError" }],
  ["payload.n", { value: null }],
  ["payload.n.x", { error: "TypeError" }],
  ["payload.z", { value: 0 }],
  ["payload.s.length", { value: 3 }],
  ["payload.s[1]", { value: "t" }],
  ["payload[\"x y\"]", { value: 1 }],
  ["payload[msg.key]", { value: [1, { b: 2 }] }],
  ["payload[msg.key][msg.idx]", { value: { b: 2 } }],
  ["arr[msg.idx][0]", { value: 3 }],
  ["payload[msg.nope]", { error: "INVALID_EXPR: Invalid expression started at position 8" }],
  ["msg", { value: undefined }],
  ["msg.msg", { value: undefined }],
  ["a.b.c", { error: "TypeError" }],
  ["topic", { value: "t" }],
  ["topic.length", { value: 1 }],
  ["payload.a[5]", { value: undefined }],
  ["payload.a[5].b", { error: "TypeError" }],
  ["a b", { error: "INVALID_EXPR: Invalid property expression: unexpected ' ' at position 1" }],
  ["payload.", { error: "INVALID_EXPR: Invalid property expression: unterminated expression" }],
];
/** setMessageProperty(fixture(), expr, value, createMissing): [expr, value, createMissing, returned | error, message after]. */
const SET: Array<[string, unknown, boolean | undefined, unknown, unknown]> = [
  ["payload", 5, undefined, true, { payload: 5, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["msg.payload", "x", undefined, true, { payload: "x", topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.a[0]", 9, undefined, true, { payload: { a: [9, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.a[1].b", undefined, undefined, true, { payload: { a: [1, {  }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.a[0]", undefined, undefined, true, { payload: { a: [{ b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.new.deep", 1, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1, new: { deep: 1 } }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.new[0]", 1, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1, new: [1] }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.new[0].x", 1, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1, new: [{ x: 1 }] }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.new.x[2]", 1, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1, new: { x: [, , 1] } }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.s.sub", 1, undefined, false, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.n.sub", 1, undefined, false, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.z.sub", 1, undefined, false, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["nope.x", undefined, undefined, false, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["nope.x", 1, false, false, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.a[7]", 1, undefined, true, { payload: { a: [1, { b: 2 }, , , , , , 1], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.a[7].c", 1, undefined, true, { payload: { a: [1, { b: 2 }, , , , , , { c: 1 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.a[7]", undefined, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload[msg.key][0]", "v", undefined, true, { payload: { a: ["v", { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload[\"x y\"]", undefined, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["topic", undefined, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["arr[0][1]", undefined, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1], [3]], k2: "payload" }],
  ["arr[5][1]", 1, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3], , , , [, 1]], k2: "payload" }],
  ["payload.a.1.b", 3, undefined, true, { payload: { a: [1, { b: 3 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.q.0", 1, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1, q: { "0": 1 } }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload[msg.nope]", 1, undefined, { error: "INVALID_EXPR: Invalid expression started at position 8" }, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["payload.x", null, undefined, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1, x: null }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
  ["x.y.z", 1, true, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, z: 0, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload", x: { y: { z: 1 } } }],
  ["payload.z", undefined, true, true, { payload: { a: [1, { b: 2 }], s: "str", n: null, "x y": 1 }, topic: "t", idx: 1, key: "a", arr: [[1, 2], [3]], k2: "payload" }],
];

describe('normalisePropertyExpression', () => {
  it.each(NORMALISE)('%s', (expr, expected) => {
    expect(outcome(() => normalisePropertyExpression(expr))).toStrictEqual(expected);
  });
  it.each(NORMALISE_TO_STRING)('%s as text', (expr, expected) => {
    expect(outcome(() => normalisePropertyExpression(expr, undefined, true))).toStrictEqual(expected);
  });
  it.each(NORMALISE_WITH_MSG)('%s against a message', (expr, expected) => {
    expect(outcome(() => normalisePropertyExpression(expr, fixture()))).toStrictEqual(expected);
  });
  it('resolves cross references to text form', () => {
    expect(normalisePropertyExpression('x[msg.key]', fixture(), true)).toBe('x["a"]');
    expect(normalisePropertyExpression('x[msg.payload.a]', fixture(), true)).toBe('x[1,[object Object]]');
  });
  it('errors are plain Errors with code INVALID_EXPR', () => {
    try {
      normalisePropertyExpression('a..b');
      expect.unreachable();
    } catch (e: any) {
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toBe('INVALID_EXPR');
      expect(String(e)).toBe('Error: Invalid property expression: unexpected . at position 2');
    }
  });
  it('returns a fresh array each time (the cached parse cannot be altered)', () => {
    const first = normalisePropertyExpression('cache.test.a');
    first.push('junk');
    expect(normalisePropertyExpression('cache.test.a')).toStrictEqual(['cache', 'test', 'a']);
    expect(getObjectProperty({ cache: { test: { a: 1 } } }, 'cache.test.a')).toBe(1);
  });
  it('stays correct past the cache bound', () => {
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < 2500; i++) setObjectProperty(obj, `k${i}.v`, i);
    for (let i = 0; i < 2500; i += 97) expect(getObjectProperty(obj, `k${i}.v`)).toBe(i);
    expect(normalisePropertyExpression('k0.v')).toStrictEqual(['k0', 'v']);
  });
  it('refuses non-string expressions', () => {
    expect(outcome(() => normalisePropertyExpression(5 as any))).toStrictEqual({ error: 'INVALID_EXPR: Invalid property expression: not a string' });
    expect(outcome(() => getMessageProperty({}, undefined as any))).toStrictEqual({ error: 'INVALID_EXPR: Invalid property expression: not a string' });
  });
});

describe('getMessageProperty', () => {
  it.each(GET)('%s', (expr, expected) => {
    expect(outcome(() => ({ value: getMessageProperty(fixture(), expr) }))).toStrictEqual(expected);
  });
  it('getObjectProperty does not strip a leading msg.', () => {
    expect(getObjectProperty({ msg: { a: 1 }, a: 2 }, 'msg.a')).toBe(1);
    expect(getMessageProperty({ msg: { a: 1 }, a: 2 }, 'msg.a')).toBe(2);
  });
  it('returns references, not copies', () => {
    const m = fixture();
    expect(getMessageProperty(m, 'payload.a')).toBe(m.payload.a);
  });
  it('resolves cross references against each message (not cached)', () => {
    expect(getMessageProperty({ k: 'x', o: { x: 1, y: 2 } }, 'o[msg.k]')).toBe(1);
    expect(getMessageProperty({ k: 'y', o: { x: 1, y: 2 } }, 'o[msg.k]')).toBe(2);
  });
  it('works on null-prototype objects (context stores)', () => {
    const scope = Object.assign(Object.create(null), { a: { b: [5] } });
    expect(getObjectProperty(scope, 'a.b[0]')).toBe(5);
  });
  it('gives a missing parent as a TypeError naming the key', () => {
    expect(() => getMessageProperty({}, 'a.b')).toThrow(/Cannot read properties of undefined \(reading 'b'\)/);
  });
});

describe('setMessageProperty', () => {
  it.each(SET)('%s = %s (createMissing %s)', (expr, value, createMissing, returned, after) => {
    const m = fixture();
    expect(outcome(() => setMessageProperty(m, expr, value, createMissing))).toStrictEqual(returned);
    expect(m).toStrictEqual(after);
  });
  it('stores the value itself (no copy)', () => {
    const m: Record<string, any> = {};
    const v = { deep: [1] };
    setMessageProperty(m, 'a.b', v);
    expect(m.a.b).toBe(v);
  });
  it('sets through an existing function-valued parent but not onto a function leaf parent', () => {
    const fn = Object.assign(() => 1, {});
    const m: Record<string, any> = { f: fn };
    expect(setObjectProperty(m, 'f.x', 1)).toBe(false);
    expect(setObjectProperty(m, 'f.x.y', 1)).toBe(true);
    expect((fn as any).x).toStrictEqual({ y: 1 });
  });
  it('returns false below a primitive array element, throws below a missing one', () => {
    expect(setObjectProperty({ a: [5] }, 'a[0].x', 1)).toBe(false);
    expect(outcome(() => setObjectProperty({}, 'a.b', undefined))).toStrictEqual(false);
    expect(outcome(() => setObjectProperty({ a: {} }, 'a.b.c', undefined))).toStrictEqual(false);
  });
  it('works on null-prototype roots', () => {
    const scope = Object.create(null);
    expect(setObjectProperty(scope, 'x.y[1]', 'v', true)).toBe(true);
    expect(scope.x).toStrictEqual({ y: [, 'v'] });
  });
});

describe('prototype keys', () => {
  const refused = (key: string) => ({ error: `INVALID_EXPR: Invalid property expression: '${key}' may not be used as a property name` });
  it.each([
    ['payload.__proto__.polluted', '__proto__'],
    ['__proto__', '__proto__'],
    ['payload.constructor.prototype.polluted', 'constructor'],
    ['payload["constructor"]', 'constructor'],
    ['fn.prototype.polluted', 'prototype'],
    ["a['__proto__'].x", '__proto__'],
  ])('setting %s is refused', (expr, key) => {
    const m = { payload: {}, fn: Object, a: {} };
    expect(outcome(() => setMessageProperty(m, expr, 1))).toStrictEqual(refused(key));
    expect(outcome(() => setMessageProperty(m, expr, undefined))).toStrictEqual(refused(key));
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(m.payload)).toBe(Object.prototype);
  });
  it('a cross reference cannot smuggle a prototype key in', () => {
    const m = { k: '__proto__', arr: ['constructor'], payload: {} };
    expect(outcome(() => setMessageProperty(m, 'payload[msg.k].x', 1))).toStrictEqual(refused('__proto__'));
    expect(outcome(() => setMessageProperty(m, 'payload[msg.arr].x', 1))).toStrictEqual(refused('constructor'));
    expect(({} as any).x).toBeUndefined();
  });
  it('reads only own data properties under those names', () => {
    const m = { payload: {}, fn: Object, json: JSON.parse('{"constructor":{"a":1},"__proto__":{"b":2}}') };
    expect(getMessageProperty(m, 'payload.constructor')).toBeUndefined();
    expect(getMessageProperty(m, 'payload.__proto__')).toBeUndefined();
    expect(getMessageProperty(m, 'fn.prototype')).toBeUndefined();
    expect(getMessageProperty(m, 'json.constructor.a')).toBe(1);
    expect(getMessageProperty(m, 'json.__proto__.b')).toBe(2);
  });
  it('other inherited names behave as in Node-RED', () => {
    expect(typeof getMessageProperty({ payload: {} }, 'payload.toString')).toBe('function');
    expect(getMessageProperty({ payload: 'abc' }, 'payload.length')).toBe(3);
  });
});
