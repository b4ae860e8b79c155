// compareObjects / ensureString / ensureBuffer. Expected values come from Node-RED 4.1.15's own functions.
import { describe, expect, it } from 'vitest';
import { compareObjects, ensureBuffer, ensureString } from '../../../src/runtime/util/compare.js';

const COMPARE: Array<[string, string, () => [unknown, unknown], boolean]> = [
  ["1", "1", () => [1, 1], true],
  ["1", "\"1\"", () => [1, "1"], false],
  ["0", "false", () => [0, false], false],
  ["null", "null", () => [null, null], true],
  ["null", "undefined", () => [null, undefined], false],
  ["undefined", "undefined", () => [undefined, undefined], true],
  ["NaN", "NaN", () => [NaN, NaN], false],
  ["[]", "[]", () => [[], []], true],
  ["[]", "{}", () => [[], {}], false],
  ["[1, 2]", "[1, 2]", () => [[1, 2], [1, 2]], true],
  ["[1, 2]", "[2, 1]", () => [[1, 2], [2, 1]], false],
  ["[1]", "[1, 2]", () => [[1], [1, 2]], false],
  ["{ a: 1 }", "{ a: 1 }", () => [{ a: 1 }, { a: 1 }], true],
  ["{ a: 1 }", "{ a: 2 }", () => [{ a: 1 }, { a: 2 }], false],
  ["{ a: 1, b: 2 }", "{ b: 2, a: 1 }", () => [{ a: 1, b: 2 }, { b: 2, a: 1 }], true],
  ["{ a: undefined }", "{ b: undefined }", () => [{ a: undefined }, { b: undefined }], true],
  ["{ a: undefined }", "{}", () => [{ a: undefined }, {}], false],
  ["{ a: { b: [1, { c: \"x\" }] } }", "{ a: { b: [1, { c: \"x\" }] } }", () => [{ a: { b: [1, { c: "x" }] } }, { a: { b: [1, { c: "x" }] } }], true],
  ["{ a: { b: [1, { c: \"x\" }] } }", "{ a: { b: [1, { c: \"y\" }] } }", () => [{ a: { b: [1, { c: "x" }] } }, { a: { b: [1, { c: "y" }] } }], false],
  ["Buffer.from('a')", "Buffer.from('a')", () => [Buffer.from('a'), Buffer.from('a')], true],
  ["Buffer.from('a')", "Buffer.from('b')", () => [Buffer.from('a'), Buffer.from('b')], false],
  ["Buffer.from('a')", "[97]", () => [Buffer.from('a'), [97]], false],
  ["Buffer.from('a')", "{ '0': 97 }", () => [Buffer.from('a'), { '0': 97 }], false],
  ["new Date(1)", "new Date(2)", () => [new Date(1), new Date(2)], true],
  ["new Date(1)", "{}", () => [new Date(1), {}], true],
  ["/a/", "/b/", () => [/a/, /b/], true],
  ["[null]", "[undefined]", () => [[null], [undefined]], false],
  ["\"a\"", "\"a\"", () => ["a", "a"], true],
  ["\"a\"", "\"b\"", () => ["a", "b"], false],
  ["{ a: 1 }", "Object.assign(Object.create({ z: 1 }), { a: 1 })", () => [{ a: 1 }, Object.assign(Object.create({ z: 1 }), { a: 1 })], true],
  ["new Map([[1, 2]])", "new Map()", () => [new Map([[1, 2]]), new Map()], true],
  ["5", "{}", () => [5, {}], false],
  ["() => 1", "() => 1", () => [() => 1, () => 1], false],
];
const ENSURE: Array<[string, () => unknown, string, number[]]> = [
  ["5", () => (5), "5", [53]],
  ["'s'", () => ('s'), "s", [115]],
  ["null", () => (null), "null", [110,117,108,108]],
  ["undefined", () => (undefined), "undefined", [117,110,100,101,102,105,110,101,100]],
  ["true", () => (true), "true", [116,114,117,101]],
  ["{ a: [1] }", () => ({ a: [1] }), "{\"a\":[1]}", [123,34,97,34,58,91,49,93,125]],
  ["Buffer.from('hi')", () => (Buffer.from('hi')), "hi", [104,105]],
  ["[1, \"x\"]", () => ([1, "x"]), "[1,\"x\"]", [91,49,44,34,120,34,93]],
  ["{ b: Buffer.from(\"z\") }", () => ({ b: Buffer.from("z") }), "{\"b\":{\"type\":\"Buffer\",\"data\":[122]}}", [123,34,98,34,58,123,34,116,121,112,101,34,58,34,66,117,102,102,101,114,34,44,34,100,97,116,97,34,58,91,49,50,50,93,125,125]],
  ["NaN", () => (NaN), "NaN", [78,97,78]],
  ["-0", () => (-0), "0", [48]],
  ["[undefined, () => 1]", () => ([undefined, () => 1]), "[null,null]", [91,110,117,108,108,44,110,117,108,108,93]],
];

describe('compareObjects', () => {
  it.each(COMPARE)('%s vs %s', (_a, _b, make, expected) => {
    const [a, b] = make();
    expect(compareObjects(a, b)).toBe(expected);
    expect(compareObjects(b, a)).toBe(expected);
  });
  it('the same reference is always equal', () => {
    const o = { a: NaN };
    expect(compareObjects(o, o)).toBe(true);
  });
});

describe('ensureString / ensureBuffer', () => {
  it.each(ENSURE)('%s', (_label, make, text, bytes) => {
    expect(ensureString(make())).toBe(text);
    expect([...ensureBuffer(make())]).toStrictEqual(bytes);
  });
  it('ensureBuffer returns a Buffer itself', () => {
    const b = Buffer.from('x');
    expect(ensureBuffer(b)).toBe(b);
  });
});
