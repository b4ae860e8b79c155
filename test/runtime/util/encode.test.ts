// RED.util.encodeObject (debug sidebar encoding). Expected outputs were produced by Node-RED 4.1.15's own
// encodeObject for the same inputs and are literal here.
import { describe, expect, it } from 'vitest';
import { encodeObject } from '../../../src/runtime/util/encode.js';

const CASES: Array<[string, () => unknown, number | undefined, Record<string, unknown>]> = [
  ["string", () => 'hello', undefined, { msg: "hello", format: "string[5]" }],
  ["string", () => 'hello', 5, { msg: "hello", format: "string[5]" }],
  ["long string", () => 'x'.repeat(12), undefined, { msg: "xxxxxxxxxxxx", format: "string[12]" }],
  ["long string", () => 'x'.repeat(12), 5, { msg: "xxxxx...", format: "string[12]" }],
  ["empty string", () => '', undefined, { msg: "", format: "string[0]" }],
  ["empty string", () => '', 5, { msg: "", format: "string[0]" }],
  ["number", () => -1.5, undefined, { msg: "-1.5", format: "number" }],
  ["NaN", () => NaN, undefined, { msg: "NaN", format: "number" }],
  ["Infinity", () => Infinity, undefined, { msg: "Infinity", format: "number" }],
  ["true", () => true, undefined, { msg: "true", format: "boolean" }],
  ["false", () => false, undefined, { msg: "false", format: "boolean" }],
  ["null", () => null, undefined, { msg: "(undefined)", format: "null" }],
  ["undefined", () => undefined, undefined, { msg: "(undefined)", format: "undefined" }],
  ["bigint", () => 10n, undefined, { msg: { __enc__: true, type: "bigint", data: "10" }, format: "bigint" }],
  ["Buffer", () => Buffer.from('hello'), undefined, { msg: "68656c6c6f", format: "buffer[5]" }],
  ["Buffer", () => Buffer.from('hello'), 5, { msg: "68656", format: "buffer[5]" }],
  ["long Buffer", () => Buffer.alloc(6, 1), undefined, { msg: "010101010101", format: "buffer[6]" }],
  ["long Buffer", () => Buffer.alloc(6, 1), 5, { msg: "01010", format: "buffer[6]" }],
  ["function", () => (function named() {}), undefined, { msg: "[function]", format: "function" }],
  ["arrow", () => () => 1, undefined, { msg: "[function]", format: "function" }],
  ["empty array", () => [], undefined, { msg: "[]", format: "array[0]" }],
  ["empty array", () => [], 5, { msg: "[]", format: "array[0]" }],
  ["mixed array", () => [1, 'a', null, undefined, NaN, -Infinity, [2]], undefined, { msg: "[1,\"a\",null,{\"__enc__\":true,\"type\":\"undefined\"},{\"__enc__\":true,\"type\":\"number\",\"data\":\"NaN\"},{\"__enc__\":true,\"type\":\"number\",\"data\":\"-Infinity\"},[2]]", format: "array[7]" }],
  ["mixed array", () => [1, 'a', null, undefined, NaN, -Infinity, [2]], 5, { msg: "{\"__enc__\":true,\"type\":\"array\",\"data\":[1,\"a\",null,{\"__enc__\":true,\"type\":\"undef...\"},{\"__enc__\":true,\"type\":\"numbe...\",\"data\":\"NaN\"}],\"length\":7}", format: "array[7]" }],
  ["long array", () => Array.from({ length: 8 }, (_, i) => i), undefined, { msg: "[0,1,2,3,4,5,6,7]", format: "array[8]" }],
  ["long array", () => Array.from({ length: 8 }, (_, i) => i), 5, { msg: "{\"__enc__\":true,\"type\":\"array\",\"data\":[0,1,2,3,4],\"length\":8}", format: "array[8]" }],
  ["object", () => ({ a: 1, b: 'x', c: [1, 2], d: { e: null } }), undefined, { msg: "{\"a\":1,\"b\":\"x\",\"c\":[1,2],\"d\":{\"e\":null}}", format: "Object" }],
  ["non-JSON members", () => ({ u: undefined, f() {}, n: NaN, i: Infinity, big: 5n }), undefined, { msg: "{\"u\":{\"__enc__\":true,\"type\":\"undefined\"},\"f\":{\"__enc__\":true,\"type\":\"function\"},\"n\":{\"__enc__\":true,\"type\":\"number\",\"data\":\"NaN\"},\"i\":{\"__enc__\":true,\"type\":\"number\",\"data\":\"Infinity\"},\"big\":{\"__enc__\":true,\"type\":\"bigint\",\"data\":\"5\"}}", format: "Object" }],
  ["nested Buffers", () => ({ buf: Buffer.from([1, 2, 3]), big: Buffer.alloc(7) }), undefined, { msg: "{\"buf\":{\"type\":\"Buffer\",\"data\":[1,2,3],\"__enc__\":true,\"length\":3},\"big\":{\"type\":\"Buffer\",\"data\":[0,0,0,0,0,0,0],\"__enc__\":true,\"length\":7}}", format: "Object" }],
  ["nested Buffers", () => ({ buf: Buffer.from([1, 2, 3]), big: Buffer.alloc(7) }), 5, { msg: "{\"buf\":{\"type\":\"Buffe...\",\"data\":[1,2,3],\"__enc__\":true,\"length\":3},\"big\":{\"type\":\"Buffe...\",\"data\":[0,0,0,0,0],\"__enc__\":true,\"length\":7}}", format: "Object" }],
  ["nested long string", () => ({ s: 'y'.repeat(12) }), undefined, { msg: "{\"s\":\"yyyyyyyyyyyy\"}", format: "Object" }],
  ["nested long string", () => ({ s: 'y'.repeat(12) }), 5, { msg: "{\"s\":\"yyyyy...\"}", format: "Object" }],
  ["nested long array", () => ({ arr: Array(7).fill(0) }), undefined, { msg: "{\"arr\":[0,0,0,0,0,0,0]}", format: "Object" }],
  ["nested long array", () => ({ arr: Array(7).fill(0) }), 5, { msg: "{\"arr\":{\"__enc__\":true,\"type\":\"array\",\"data\":[0,0,0,0,0],\"length\":7}}", format: "Object" }],
  ["nested Set/Map/RegExp", () => ({ set: new Set([1, { a: 2 }]), map: new Map<string, unknown>([['k', 1], ['o', { z: 1 }]]), re: /ab+c/gi, date: new Date(0) }), undefined, { msg: "{\"set\":{\"__enc__\":true,\"type\":\"set\",\"data\":[1,{\"a\":2}],\"length\":2},\"map\":{\"__enc__\":true,\"type\":\"map\",\"data\":{\"k\":1,\"o\":{\"z\":1}},\"length\":2},\"re\":{\"__enc__\":true,\"type\":\"regexp\",\"data\":\"/ab+c/gi\"},\"date\":\"1970-01-01T00:00:00.000Z\"}", format: "Object" }],
  ["nested Set/Map/RegExp", () => ({ set: new Set([1, { a: 2 }]), map: new Map<string, unknown>([['k', 1], ['o', { z: 1 }]]), re: /ab+c/gi, date: new Date(0) }), 5, { msg: "{\"set\":{\"__enc__\":true,\"type\":\"set\",\"data\":[1,{\"a\":2}],\"length\":2},\"map\":{\"__enc__\":true,\"type\":\"map\",\"data\":{\"k\":1,\"o\":{\"z\":1}},\"length\":2},\"re\":{\"__enc__\":true,\"type\":\"regex...\",\"data\":\"/ab+c...\"},\"date\":\"1970-...\"}", format: "Object" }],
  ["Set", () => new Set([1, 2, 3]), undefined, { msg: "{\"__enc__\":true,\"type\":\"set\",\"data\":[1,2,3],\"length\":3}", format: "set[3]" }],
  ["Set", () => new Set([1, 2, 3]), 5, { msg: "{\"__enc__\":true,\"type\":\"set\",\"data\":[1,2,3],\"length\":3}", format: "set[3]" }],
  ["long Set", () => new Set(Array.from({ length: 7 }, (_, i) => i)), undefined, { msg: "{\"__enc__\":true,\"type\":\"set\",\"data\":[0,1,2,3,4,5,6],\"length\":7}", format: "set[7]" }],
  ["long Set", () => new Set(Array.from({ length: 7 }, (_, i) => i)), 5, { msg: "{\"__enc__\":true,\"type\":\"set\",\"data\":[0,1,2,3,4],\"length\":7}", format: "set[7]" }],
  ["Map", () => new Map<string, unknown>([['a', 1], ['b', [2]]]), undefined, { msg: "{\"__enc__\":true,\"type\":\"map\",\"data\":{\"a\":1,\"b\":[2]},\"length\":2}", format: "map" }],
  ["Map", () => new Map<string, unknown>([['a', 1], ['b', [2]]]), 5, { msg: "{\"__enc__\":true,\"type\":\"map\",\"data\":{\"a\":1,\"b\":[2]},\"length\":2}", format: "map" }],
  ["RegExp", () => /x/m, undefined, { msg: "/x/m", format: "regexp" }],
  ["circular", () => (() => { const c: any = { a: 1 }; c.self = c; c.arr = [c, { back: c }]; return c; })(), undefined, { msg: "{\"a\":1,\"self\":\"[Circular ~]\",\"arr\":[\"[Circular ~]\",{\"back\":\"[Circular ~]\"}]}", format: "Object" }],
  ["circular", () => (() => { const c: any = { a: 1 }; c.self = c; c.arr = [c, { back: c }]; return c; })(), 5, { msg: "{\"a\":1,\"self\":\"[Circ...\",\"arr\":[\"[Circ...\",{\"back\":\"[Circ...\"}]}", format: "Object" }],
  ["deep circular", () => (() => { const d: any = { l1: { l2: { l3: {} } } }; d.l1.l2.l3.up = d.l1; return d; })(), undefined, { msg: "{\"l1\":{\"l2\":{\"l3\":{\"up\":\"[Circular ~.l1]\"}}}}", format: "Object" }],
  ["deep circular", () => (() => { const d: any = { l1: { l2: { l3: {} } } }; d.l1.l2.l3.up = d.l1; return d; })(), 5, { msg: "{\"l1\":{\"l2\":{\"l3\":{\"up\":\"[Circ...\"}}}}", format: "Object" }],
  ["shared (not circular)", () => (() => { const s = { s: 1 }; return { p: s, q: s }; })(), undefined, { msg: "{\"p\":{\"s\":1},\"q\":{\"s\":1}}", format: "Object" }],
  ["shared (not circular)", () => (() => { const s = { s: 1 }; return { p: s, q: s }; })(), 5, { msg: "{\"p\":{\"s\":1},\"q\":{\"s\":1}}", format: "Object" }],
  ["class instance", () => new (class Foo { x = 1; })(), undefined, { msg: "[object Object]", format: "Foo" }],
  ["null prototype", () => Object.assign(Object.create(null), { a: 1 }), undefined, { msg: "{\"a\":1}", format: "Object" }],
  ["Error", () => Object.assign(new Error('boom'), { stack: 'Error: boom\n    at x' }), undefined, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"Error\",\"message\":\"boom\",\"stack\":\"Error: boom\\n    at x\"}}", format: "error" }],
  ["Error", () => Object.assign(new Error('boom'), { stack: 'Error: boom\n    at x' }), 5, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"Error\",\"message\":\"boom\",\"stack\":\"Error: boom\\n    at x\"}}", format: "error" }],
  ["Error subclass with code and cause", () => (() => { class MyErr extends Error { code = 'E1'; constructor(m: string) { super(m); this.name = 'MyErr'; } } const e = new MyErr('bad'); e.stack = 'stack2'; (e as any).cause = 'why'; return e; })(), undefined, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"MyErr\",\"message\":\"bad\",\"code\":\"E1\",\"cause\":\"why\",\"stack\":\"stack2\"}}", format: "error" }],
  ["Error subclass with code and cause", () => (() => { class MyErr extends Error { code = 'E1'; constructor(m: string) { super(m); this.name = 'MyErr'; } } const e = new MyErr('bad'); e.stack = 'stack2'; (e as any).cause = 'why'; return e; })(), 5, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"MyErr\",\"message\":\"bad\",\"code\":\"E1\",\"cause\":\"why\",\"stack\":\"stack2\"}}", format: "error" }],
  ["TypeError without stack", () => Object.assign(new TypeError('t'), { stack: undefined }), undefined, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"TypeError\",\"message\":\"t\"}}", format: "error" }],
  ["TypeError without stack", () => Object.assign(new TypeError('t'), { stack: undefined }), 5, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"TypeError\",\"message\":\"t\"}}", format: "error" }],
  ["nested errors", () => ({ err: Object.assign(new Error('inner'), { stack: 's' }), list: [Object.assign(new RangeError('r'), { stack: 'rs' })] }), undefined, { msg: "{\"err\":{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"Error\",\"message\":\"inner\",\"stack\":\"s\"}},\"list\":[{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"RangeError\",\"message\":\"r\",\"stack\":\"rs\"}}]}", format: "Object" }],
  ["nested errors", () => ({ err: Object.assign(new Error('inner'), { stack: 's' }), list: [Object.assign(new RangeError('r'), { stack: 'rs' })] }), 5, { msg: "{\"err\":{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"Error\",\"message\":\"inner\",\"stack\":\"s\"}},\"list\":[{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"Range...\",\"message\":\"r\",\"stack\":\"rs\"}}]}", format: "Object" }],
  ["_req/_res", () => ({ _req: { a: 1 }, _res: 2, req: { x: 1 } }), undefined, { msg: "{\"_req\":{\"__enc__\":true,\"type\":\"internal\"},\"_res\":{\"__enc__\":true,\"type\":\"internal\"},\"req\":{\"x\":1}}", format: "Object" }],
  ["Uint8Array", () => new Uint8Array([1, 2, 3]), undefined, { msg: "{\"__enc__\":true,\"type\":\"array\",\"data\":[1,2,3],\"length\":3}", format: "Uint8Array[3]" }],
  ["Uint8Array", () => new Uint8Array([1, 2, 3]), 5, { msg: "{\"__enc__\":true,\"type\":\"array\",\"data\":[1,2,3],\"length\":3}", format: "Uint8Array[3]" }],
  ["long Uint16Array", () => new Uint16Array(7), undefined, { msg: "{\"__enc__\":true,\"type\":\"array\",\"data\":[0,0,0,0,0,0,0],\"length\":7}", format: "Uint16Array[7]" }],
  ["long Uint16Array", () => new Uint16Array(7), 5, { msg: "{\"__enc__\":true,\"type\":\"Uint1...\",\"data\":{\"__enc__\":true,\"type\":\"array\",\"data\":[0,0,0,0,0],\"length\":5},\"length\":7}", format: "Uint16Array[7]" }],
  ["Float32Array", () => new Float32Array([1.5]), undefined, { msg: "{\"__enc__\":true,\"type\":\"array\",\"data\":[1.5],\"length\":1}", format: "Float32Array[1]" }],
  ["Float32Array", () => new Float32Array([1.5]), 5, { msg: "{\"__enc__\":true,\"type\":\"array\",\"data\":[1.5],\"length\":1}", format: "Float32Array[1]" }],
  ["nested typed arrays", () => ({ ta: new Int8Array([1, -1]), tl: new Uint8Array(7) }), undefined, { msg: "{\"ta\":{\"__enc__\":true,\"type\":\"array\",\"data\":[1,-1],\"length\":2},\"tl\":{\"__enc__\":true,\"type\":\"array\",\"data\":[0,0,0,0,0,0,0],\"length\":7}}", format: "Object" }],
  ["nested typed arrays", () => ({ ta: new Int8Array([1, -1]), tl: new Uint8Array(7) }), 5, { msg: "{\"ta\":{\"__enc__\":true,\"type\":\"array\",\"data\":[1,-1],\"length\":2},\"tl\":{\"__enc__\":true,\"type\":\"Uint8...\",\"data\":[0,0,0,0,0],\"length\":7}}", format: "Object" }],
  ["Buffer-shaped object", () => ({ type: 'Buffer', data: [1, 2] }), undefined, { msg: "{\"type\":\"Buffer\",\"data\":[1,2],\"__enc__\":true,\"length\":2}", format: "Object" }],
  ["Buffer-shaped object", () => ({ type: 'Buffer', data: [1, 2] }), 5, { msg: "{\"type\":\"Buffe...\",\"data\":[1,2],\"__enc__\":true,\"length\":2}", format: "Object" }],
  ["ArrayBuffer", () => new ArrayBuffer(4), undefined, { msg: "[object ArrayBuffer]", format: "ArrayBuffer" }],
  ["ArrayBuffer", () => new ArrayBuffer(4), 5, { msg: "[object ArrayBuffer]", format: "ArrayBuffer" }],
  ["constructor property", () => ({ constructor: 'x' }), undefined, { msg: "{\"constructor\":\"x\"}", format: "Object" }],
  ["named constructor property", () => ({ constructor: { name: 'Foo' } }), undefined, { msg: "[object Object]", format: "Foo" }],
  ["error-named constructor", () => ({ name: 'n', message: 'm', other: 1, constructor: { name: 'SomeError' } }), undefined, { msg: "{\"name\":\"n\",\"message\":\"m\"}", format: "SomeError" }],
  ["error-named constructor", () => ({ name: 'n', message: 'm', other: 1, constructor: { name: 'SomeError' } }), 5, { msg: "{\"name\":\"n\",\"message\":\"m\"}", format: "SomeError" }],
  ["custom toString", () => new (class Thing { toString() { return 'TS'; } })(), undefined, { msg: "TS", format: "Thing" }],
  ["custom toString", () => new (class Thing { toString() { return 'TS'; } })(), 5, { msg: "TS", format: "Thing" }],
  ["error-named prototype", () => Object.assign(Object.create({ name: 'FakeError' }), { a: 1 }), undefined, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"FakeError\",\"message\":\"[object Object]\"}}", format: "error" }],
  ["error-named prototype", () => Object.assign(Object.create({ name: 'FakeError' }), { a: 1 }), 5, { msg: "{\"__enc__\":true,\"type\":\"error\",\"data\":{\"name\":\"FakeError\",\"message\":\"[object Object]\"}}", format: "error" }],
  ["array of Set", () => [new Set([1])], undefined, { msg: "[{\"__enc__\":true,\"type\":\"set\",\"data\":[1],\"length\":1}]", format: "array[1]" }],
  ["array of Set", () => [new Set([1])], 5, { msg: "[{\"__enc__\":true,\"type\":\"set\",\"data\":[1],\"length\":1}]", format: "array[1]" }],
  ["nested long array in array", () => ({ nested: [Array(7).fill('a')] }), undefined, { msg: "{\"nested\":[[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]]}", format: "Object" }],
  ["nested long array in array", () => ({ nested: [Array(7).fill('a')] }), 5, { msg: "{\"nested\":[{\"__enc__\":true,\"type\":\"array\",\"data\":[\"a\",\"a\",\"a\",\"a\",\"a\"],\"length\":7}]}", format: "Object" }],
  ["array with undefined", () => [undefined], undefined, { msg: "[{\"__enc__\":true,\"type\":\"undefined\"}]", format: "array[1]" }],
  ["array with undefined", () => [undefined], 5, { msg: "[{\"__enc__\":true,\"type\":\"undef...\"}]", format: "array[1]" }],
  ["nested Date and deep string", () => ({ d: new Date(1e12), deep: { deeper: { s: 'z'.repeat(9) } } }), undefined, { msg: "{\"d\":\"2001-09-09T01:46:40.000Z\",\"deep\":{\"deeper\":{\"s\":\"zzzzzzzzz\"}}}", format: "Object" }],
  ["nested Date and deep string", () => ({ d: new Date(1e12), deep: { deeper: { s: 'z'.repeat(9) } } }), 5, { msg: "{\"d\":\"2001-...\",\"deep\":{\"deeper\":{\"s\":\"zzzzz...\"}}}", format: "Object" }],
  ["String object", () => new String('abc'), undefined, { msg: "abc", format: "String" }],
  ["String object", () => new String('abc'), 5, { msg: "abc", format: "String" }],
  ["Boolean object", () => new Boolean(true), undefined, { msg: "true", format: "Boolean" }],
];

describe('encodeObject', () => {
  const table = CASES.map(([label, make, max, expected]) => [max === undefined ? label : `${label}, maxLength ${max}`, make, max, expected] as const);
  it.each(table)('%s', (_label, make, maxLength, expected) => {
    const out = encodeObject({ msg: make() }, maxLength === undefined ? undefined : { maxLength });
    expect(out).toStrictEqual(expected);
  });

  it('cuts at 1000 by default', () => {
    expect(encodeObject({ msg: 'x'.repeat(1005) })).toStrictEqual({ msg: 'x'.repeat(1000) + '...', format: 'string[1005]' });
    expect(encodeObject({ msg: 'x'.repeat(1000) })).toStrictEqual({ msg: 'x'.repeat(1000), format: 'string[1000]' });
    expect(encodeObject({ msg: Buffer.alloc(600, 1) })).toStrictEqual({ msg: '01'.repeat(500), format: 'buffer[600]' });
    expect(encodeObject({ msg: Array.from({ length: 1002 }, (_, i) => i) })).toStrictEqual({
      msg: JSON.stringify({ __enc__: true, type: 'array', data: Array.from({ length: 1000 }, (_, i) => i), length: 1002 }),
      format: 'array[1002]',
    });
    expect(encodeObject({ msg: { s: 'y'.repeat(1001) } }).msg).toBe(JSON.stringify({ s: 'y'.repeat(1000) + '...' }));
    expect(encodeObject({ msg: { b: Buffer.alloc(1001, 2) } }).msg)
      .toBe(JSON.stringify({ b: { type: 'Buffer', data: Array(1000).fill(2), __enc__: true, length: 1001 } }));
  });

  it('an explicit undefined maxLength means no limit', () => {
    expect(encodeObject({ msg: 'abcdef' }, { maxLength: undefined })).toStrictEqual({ msg: 'abcdef', format: 'string[6]' });
  });

  it('shows a Date with its toString text', () => {
    const d = new Date(0);
    expect(encodeObject({ msg: d })).toStrictEqual({ msg: d.toString(), format: 'Date' });
  });

  it('mutates and returns the object given, keeping its other keys', () => {
    const target = { id: 'n1', msg: 5 as unknown };
    const out = encodeObject(target);
    expect(out).toBe(target);
    expect(out).toStrictEqual({ id: 'n1', msg: '5', format: 'number' });
  });

  it('reports a value that cannot be encoded as an encodeObject error', () => {
    const out = encodeObject({ msg: { get bad() { throw new Error('getter'); } } });
    expect(out.format).toBe('error');
    const data = JSON.parse(out.msg as string);
    expect(data.__enc__).toBe(true);
    expect(data.type).toBe('error');
    expect(data.data.name).toBe('Error');
    expect(data.data.message).toBe('encodeObject Error: getter');
  });

  it('a throwing toString becomes a [Type not serializable] error without touching the value', () => {
    const v = new (class Weird { toString(): string { throw new Error('no'); } })();
    const out = encodeObject({ msg: v });
    expect(out.format).toBe('Weird');
    expect(JSON.parse(out.msg as string).data.message).toBe('[Type not serializable]');
    expect(Object.keys(v)).toStrictEqual([]);
  });

  it('marks sockets and server responses as internal', () => {
    class Socket { a = 1; }
    class ServerResponse { b = 2; }
    expect(encodeObject({ msg: { s: new Socket(), r: new ServerResponse() } }).msg).toBe('{"s":"[internal]","r":"[internal]"}');
    expect(encodeObject({ msg: new ServerResponse() })).toStrictEqual({ msg: '"[internal]"', format: 'Object' });
    class IncomingMessage { c = 3; }
    expect(encodeObject({ msg: new IncomingMessage() })).toStrictEqual({ msg: '{"c":3}', format: 'Object' });
  });

  it('refuses a non-object argument clearly', () => {
    expect(() => encodeObject(undefined as any)).toThrow(TypeError);
  });
});
