// evaluateNodeProperty (typed values). The SYNC and WITH_CALLBACK tables were produced by Node-RED 4.1.15's
// own evaluateNodeProperty with the same node, contexts and message, and are literal here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateValue, evaluateNodeProperty, parseContextStore, type EvalNode } from '../../../src/runtime/util/typed-value.js';
import { getObjectProperty } from '../../../src/runtime/util/properties.js';

/** A node whose contexts answer from fixed data; a store name is prefixed to the value ("file:fv"). */
function fakeNode(): EvalNode {
  const data: Record<string, Record<string, unknown>> = {
    flow: { fk: 'fv', obj: { a: [1, 2] }, x: { y: 'deep' } },
    global: { gk: 'gv' },
  };
  const ctx = (kind: string) => ({
    get(key: string, store?: string, cb?: Function) {
      const v = getObjectProperty(data[kind], key);
      const r = store ? store + ':' + v : v;
      if (cb) { setImmediate(() => cb(null, r)); return undefined; }
      return r;
    },
  });
  return { id: 'n1', name: 'nm', _path: '/f/n1', context: () => ({ flow: ctx('flow'), global: ctx('global') }) };
}
const message = () => ({ payload: { a: 1, arr: [1, 2, 3] }, topic: 'tp', key2: 'y' });

/** Describes a result as the tables do (RegExps by their text). */
const describeValue = (v: unknown) => (v instanceof RegExp ? { regexp: String(v) } : v);

beforeAll(() => {
  process.env.CRIM_TV_A = 'hello';
  process.env.CRIM_TV_N = '42';
  delete process.env.CRIM_TV_NOPE;
});
afterAll(() => {
  delete process.env.CRIM_TV_A;
  delete process.env.CRIM_TV_N;
});

const SYNC: Array<[unknown, string, boolean, unknown]> = [
  ["abc", "str", true, { value: "abc" }],
  ["abc", "str", false, { value: "abc" }],
  [5, "str", true, { value: "5" }],
  [5, "str", false, { value: "5" }],
  ["12.5", "num", true, { value: 12.5 }],
  ["abc", "num", true, { value: NaN }],
  ["", "num", true, { value: 0 }],
  ["0x10", "num", true, { value: 16 }],
  ["{\"a\":1}", "json", true, { value: { a: 1 } }],
  ["[1,2]", "json", true, { value: [1, 2] }],
  ["nope", "json", true, { error: "Unexpected token 'o', \"nope\" is not valid JSON" }],
  ["\"s\"", "json", true, { value: "s" }],
  ["[1,2,3]", "bin", true, { value: Buffer.from([1,2,3]) }],
  ["\"abc\"", "bin", true, { value: Buffer.from([97,98,99]) }],
  ["{\"a\":1}", "bin", true, { error: "Not string or array" }],
  ["5", "bin", true, { error: "Not string or array" }],
  ["xx", "bin", true, { error: "Unexpected token 'x', \"xx\" is not valid JSON" }],
  ["true", "bool", true, { value: true }],
  ["TRUE", "bool", true, { value: true }],
  ["yes", "bool", true, { value: false }],
  ["", "bool", true, { value: false }],
  ["(", "re", true, { error: "Invalid regular expression: /(/: Unterminated group" }],
  ["payload.a", "msg", true, { value: 1 }],
  ["payload.a", "msg", false, { value: "payload.a" }],
  ["msg.payload.arr[1]", "msg", true, { value: 2 }],
  ["msg.payload.arr[1]", "msg", false, { value: "msg.payload.arr[1]" }],
  ["nope.x", "msg", true, { error: "Cannot read properties of undefined (reading 'x')" }],
  ["nope.x", "msg", false, { value: "nope.x" }],
  ["a b", "msg", true, { error: "Invalid property expression: unexpected ' ' at position 1" }],
  ["a b", "msg", false, { value: "a b" }],
  ["fk", "flow", true, { value: "fv" }],
  ["fk", "flow", false, { value: "fv" }],
  ["obj.a[1]", "flow", true, { value: 2 }],
  ["obj.a[1]", "flow", false, { value: 2 }],
  ["#:(file)::fk", "flow", true, { value: "file:fv" }],
  ["#:(file)::fk", "flow", false, { value: "file:fv" }],
  ["x[msg.key2]", "flow", true, { value: "deep" }],
  ["x[msg.key2]", "flow", false, { error: "Invalid property expression: unexpected m at position 2" }],
  ["gk", "global", true, { value: "gv" }],
  ["#:(file)::gk", "global", true, { value: "file:gv" }],
  ["missing", "global", true, { value: undefined }],
  ["CRIM_TV_A", "env", true, { value: "hello" }],
  ["${CRIM_TV_A}", "env", true, { value: "hello" }],
  ["a-${CRIM_TV_A}-${CRIM_TV_N}-${CRIM_TV_NOPE}", "env", true, { value: "a-hello-42-" }],
  ["NR_NODE_ID", "env", true, { value: "n1" }],
  ["${NR_NODE_NAME}", "env", true, { value: "nm" }],
  ["NR_NODE_PATH", "env", true, { value: "/f/n1" }],
  ["CRIM_TV_NOPE", "env", true, { value: "" }],
  ["raw", "node", true, { value: "raw" }],
  ["raw", "cred", true, { value: "raw" }],
  ["raw", "weird", true, { value: "raw" }],
  ["1+1", "jsonata", true, { error: "Calls to RED.util.evaluateJSONataExpression must include a callback." }],
  ["1+1", "jsonata", false, { error: "Calls to RED.util.evaluateJSONataExpression must include a callback." }],
  ["1+", "jsonata", true, { error: "Unexpected end of expression" }],
  ["1+", "jsonata", false, { error: "Unexpected end of expression" }],
];
const WITH_CALLBACK: Array<[unknown, string, boolean, unknown]> = [
  ["abc", "str", true, { value: "abc" }],
  ["abc", "str", false, { value: "abc" }],
  [5, "str", true, { value: "5" }],
  [5, "str", false, { value: "5" }],
  ["12.5", "num", true, { value: 12.5 }],
  ["abc", "num", true, { value: NaN }],
  ["", "num", true, { value: 0 }],
  ["0x10", "num", true, { value: 16 }],
  ["{\"a\":1}", "json", true, { value: { a: 1 } }],
  ["[1,2]", "json", true, { value: [1, 2] }],
  ["nope", "json", true, { error: "Unexpected token 'o', \"nope\" is not valid JSON" }],
  ["\"s\"", "json", true, { value: "s" }],
  ["[1,2,3]", "bin", true, { value: Buffer.from([1,2,3]) }],
  ["\"abc\"", "bin", true, { value: Buffer.from([97,98,99]) }],
  ["{\"a\":1}", "bin", true, { error: "Not string or array" }],
  ["5", "bin", true, { error: "Not string or array" }],
  ["xx", "bin", true, { error: "Unexpected token 'x', \"xx\" is not valid JSON" }],
  ["true", "bool", true, { value: true }],
  ["TRUE", "bool", true, { value: true }],
  ["yes", "bool", true, { value: false }],
  ["", "bool", true, { value: false }],
  ["(", "re", true, { error: "Invalid regular expression: /(/: Unterminated group" }],
  ["payload.a", "msg", true, { value: 1 }],
  ["payload.a", "msg", false, { value: "payload.a" }],
  ["msg.payload.arr[1]", "msg", true, { value: 2 }],
  ["msg.payload.arr[1]", "msg", false, { value: "msg.payload.arr[1]" }],
  ["nope.x", "msg", true, { callbackError: "Cannot read properties of undefined (reading 'x')" }],
  ["nope.x", "msg", false, { value: "nope.x" }],
  ["a b", "msg", true, { callbackError: "Invalid property expression: unexpected ' ' at position 1" }],
  ["a b", "msg", false, { value: "a b" }],
  ["fk", "flow", true, { value: "fv" }],
  ["fk", "flow", false, { value: "fv" }],
  ["obj.a[1]", "flow", true, { value: 2 }],
  ["obj.a[1]", "flow", false, { value: 2 }],
  ["#:(file)::fk", "flow", true, { value: "file:fv" }],
  ["#:(file)::fk", "flow", false, { value: "file:fv" }],
  ["x[msg.key2]", "flow", true, { value: "deep" }],
  ["x[msg.key2]", "flow", false, { error: "Invalid property expression: unexpected m at position 2" }],
  ["gk", "global", true, { value: "gv" }],
  ["#:(file)::gk", "global", true, { value: "file:gv" }],
  ["missing", "global", true, { value: undefined }],
  ["CRIM_TV_A", "env", true, { value: "hello" }],
  ["${CRIM_TV_A}", "env", true, { value: "hello" }],
  ["a-${CRIM_TV_A}-${CRIM_TV_N}-${CRIM_TV_NOPE}", "env", true, { value: "a-hello-42-" }],
  ["NR_NODE_ID", "env", true, { value: "n1" }],
  ["${NR_NODE_NAME}", "env", true, { value: "nm" }],
  ["NR_NODE_PATH", "env", true, { value: "/f/n1" }],
  ["CRIM_TV_NOPE", "env", true, { value: "" }],
  ["raw", "node", true, { value: "raw" }],
  ["raw", "cred", true, { value: "raw" }],
  ["raw", "weird", true, { value: "raw" }],
  ["1+1", "jsonata", true, { value: 2 }],
  ["1+1", "jsonata", false, { value: 2 }],
  ["1+", "jsonata", true, { error: "Unexpected end of expression" }],
  ["1+", "jsonata", false, { error: "Unexpected end of expression" }],
];

describe('evaluateNodeProperty', () => {
  it.each(SYNC)('%s as %s (msg given: %s)', (value, type, withMsg, expected) => {
    let outcome: unknown;
    try {
      outcome = { value: describeValue(evaluateNodeProperty(value, type, fakeNode(), withMsg ? message() : undefined)) };
    } catch (e: any) {
      outcome = { error: e.message };
    }
    expect(outcome).toStrictEqual(expected);
  });

  it.each(WITH_CALLBACK)('%s as %s with a callback (msg given: %s)', async (value, type, withMsg, expected) => {
    const outcome = await new Promise((resolve) => {
      try {
        evaluateNodeProperty(value, type, fakeNode(), withMsg ? message() : undefined, (err, v) =>
          resolve(err ? { callbackError: err.message } : { value: describeValue(v) }));
      } catch (e: any) {
        resolve({ error: e.message });
      }
    });
    expect(outcome).toStrictEqual(expected);
  });

  it('re gives a RegExp', () => {
    const re = evaluateNodeProperty('a+b', 're', null, null);
    expect(re).toBeInstanceOf(RegExp);
    expect(re.source).toBe('a+b');
  });

  it('bin errors carry code INVALID_BUFFER_DATA', () => {
    expect(() => evaluateNodeProperty('{"a":1}', 'bin', null, null)).toThrow(expect.objectContaining({ code: 'INVALID_BUFFER_DATA' }));
  });

  it('msg returns the referenced object itself', () => {
    const m = message();
    expect(evaluateNodeProperty('payload', 'msg', null, m)).toBe(m.payload);
  });

  it('flow/global without a node give the value unchanged', () => {
    expect(evaluateNodeProperty('fk', 'flow', null, message())).toBe('fk');
  });

  it('date: "" is ms epoch, "iso" ISO text, "object" a Date, other text a format', () => {
    const before = Date.now();
    const ms = evaluateNodeProperty('', 'date', null, null);
    expect(typeof ms).toBe('number');
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(evaluateNodeProperty('iso', 'date', null, null)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(evaluateNodeProperty('object', 'date', null, null)).toBeInstanceOf(Date);
    expect(evaluateNodeProperty('YYYY', 'date', null, null)).toBe(String(new Date().getFullYear()));
    expect(typeof dateValue(undefined)).toBe('number');
  });

  it('reads a context through its callback form when a callback is given', async () => {
    const calls: unknown[] = [];
    const node: EvalNode = {
      context: () => ({ flow: { get: (...args: unknown[]) => { calls.push(args.length); (args[2] as Function)(null, 'async'); } } }),
    };
    const v = await new Promise((resolve) => evaluateNodeProperty('#:(s1)::k', 'flow', node, {}, (_e, r) => resolve(r)));
    expect(v).toBe('async');
    expect(calls).toStrictEqual([3]);
  });

  it('a node without that context gives a clear error', () => {
    const node: EvalNode = { context: () => ({}) };
    expect(() => evaluateNodeProperty('k', 'global', node, {})).toThrow('node has no global context');
  });
});

describe('parseContextStore', () => {
  it.each([
    ['#:(file)::foo', { store: 'file', key: 'foo' }],
    ['#:(memory)::a.b[0]', { store: 'memory', key: 'a.b[0]' }],
    ['#:(file)::', { store: 'file', key: '' }],
    ['#:(a)(b)::k', { store: 'a)(b', key: 'k' }],
    ['#:( x)::k', { key: '#:( x)::k' }],
    ['#:()::k', { key: '#:()::k' }],
    ['foo', { key: 'foo' }],
    ['#:(file):foo', { key: '#:(file):foo' }],
  ])('%s', (key, expected) => {
    expect(parseContextStore(key)).toStrictEqual(expected);
  });
});
