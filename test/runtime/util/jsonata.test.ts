// prepareJSONataExpression / evaluateJSONataExpression. The EXPRESSIONS table was produced by Node-RED
// 4.1.15 (its bundled jsonata) with the same node, contexts and message; it is literal here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateJSONataAsync, evaluateJSONataExpression, prepareJSONataExpression,
} from '../../../src/runtime/util/jsonata.js';
import type { EvalNode } from '../../../src/runtime/util/typed-value.js';

/** Contexts answer from fixed data, asynchronously when given a callback; a store prefixes its name. */
function fakeNode(calls: string[] = []): EvalNode {
  const data: Record<string, Record<string, unknown>> = { flow: { fk: 'fv', obj: { a: [1, 2] } }, global: { gk: 'gv' } };
  const ctx = (kind: string) => ({
    get(key: string, store?: string, cb?: Function) {
      calls.push(`${kind}:${key}:${cb ? 'async' : 'sync'}`);
      const r = store ? store + ':' + data[kind]![key] : data[kind]![key];
      if (cb) { setImmediate(() => cb(null, r)); return undefined; }
      return r;
    },
  });
  return { id: 'n1', name: 'nm', context: () => ({ flow: ctx('flow'), global: ctx('global') }) };
}
const message = () => ({ payload: { a: 1, arr: [1, 2, 3] }, topic: 'tp' });

/** A result as the table has it: arrays as plain arrays, jsonata's `sequence` flag noted separately. */
function describeResult(result: unknown, legacy: boolean): Record<string, unknown> {
  if (!Array.isArray(result)) return { result, legacy };
  const out: Record<string, unknown> = { result: [...result], legacy };
  if ((result as any).sequence) out.sequence = true;
  return out;
}

function evaluate(expr: string, node: EvalNode, msg: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    try {
      const prepared = prepareJSONataExpression(expr, node);
      evaluateJSONataExpression(prepared, msg, (err, result) =>
        resolve(err ? { error: err.message, code: (err as any).code } : describeResult(result, prepared._legacyMode)));
    } catch (err: any) {
      resolve({ thrown: err.message, code: err.code });
    }
  });
}

beforeAll(() => { process.env.CRIM_J_A = 'envA'; delete process.env.CRIM_J_NOPE; });
afterAll(() => { delete process.env.CRIM_J_A; });

const EXPRESSIONS: Array<[string, unknown]> = [
  ["payload.a + 1", { result: 2, legacy: false }],
  ["msg.payload.a", { result: 1, legacy: true }],
  ["$flowContext(\"fk\")", { result: "fv", legacy: false }],
  ["$globalContext(\"gk\", \"file\")", { result: "file:gv", legacy: false }],
  ["$flowContext(\"obj\").a", { result: [1, 2], legacy: false }],
  ["$env(\"CRIM_J_A\")", { result: "envA", legacy: false }],
  ["$env(\"CRIM_J_NOPE\")", { result: "", legacy: false }],
  ["$env(\"NR_NODE_ID\")", { result: "n1", legacy: false }],
  ["$env(\"NR_NODE_NAME\")", { result: "nm", legacy: false }],
  ["{\"a\": payload.a, \"b\": [ {\"c\": 1} ]}", { result: { a: 1, b: [{ c: 1 }] }, legacy: false }],
  ["payload.arr.{\"v\": $}", { result: [{ v: 1 }, { v: 2 }, { v: 3 }], legacy: false, sequence: true }],
  ["$clone(payload)", { result: { a: 1, arr: [1, 2, 3] }, legacy: false }],
  ["$clone(msg).topic", { result: "tp", legacy: true }],
  ["msg", { result: { payload: { a: 1, arr: [1, 2, 3] }, topic: "tp" }, legacy: true }],
  ["topic & \"x\"", { result: "tpx", legacy: false }],
  ["$error(\"bad\")", { error: "bad", code: "D3137" }],
  ["payload.", { thrown: "Unexpected end of expression", code: "S0207" }],
  ["$notafunc()", { error: "Attempted to invoke a non-function", code: "T1006" }],
  ["$sum(payload.arr)", { result: 6, legacy: false }],
  ["$string(msg)", { result: "{\"payload\":{\"a\":1,\"arr\":[1,2,3]},\"topic\":\"tp\"}", legacy: true }],
  ["payload.arr[$ > 1]", { result: [2, 3], legacy: false, sequence: true }],
  ["\"msg\"", { result: "msg", legacy: false }],
  ["x.msg", { result: undefined, legacy: false }],
  ["$.msg", { result: undefined, legacy: false }],
  ["msg_x", { result: undefined, legacy: false }],
  ["nothing", { result: undefined, legacy: false }],
  ["$clone(1)", { error: "Argument 1 of function \"clone\" does not match function signature", code: "T0410" }],
  ["$merge([payload, {\"z\": 1}])", { result: { a: 1, arr: [1, 2, 3], z: 1 }, legacy: false }],
  ["$keys(msg)", { result: ["payload", "topic"], legacy: true, sequence: true }],
];

describe('JSONata expressions', () => {
  it.each(EXPRESSIONS)('%s', async (expr, expected) => {
    expect(await evaluate(expr, fakeNode(), message())).toEqual(expected);
  });

  it('without a callback evaluateJSONataExpression throws', () => {
    const prepared = prepareJSONataExpression('1', fakeNode());
    expect(() => evaluateJSONataExpression(prepared, {})).toThrow('Calls to RED.util.evaluateJSONataExpression must include a callback.');
  });

  it('reads contexts through their callback form when evaluated', async () => {
    const calls: string[] = [];
    await evaluate('$flowContext("fk") & $globalContext("gk")', fakeNode(calls), {});
    expect(calls).toStrictEqual(['flow:fk:async', 'global:gk:async']);
  });

  it('the compiled expression keeps sync context functions for direct evaluate() calls', async () => {
    const calls: string[] = [];
    const prepared = prepareJSONataExpression('$flowContext("fk")', fakeNode(calls));
    expect(await prepared.evaluate({})).toBe('fv');
    expect(calls).toStrictEqual(['flow:fk:sync']);
  });

  it('without a node the context functions give "" and $env reads process.env', async () => {
    expect(await evaluateJSONataAsync(prepareJSONataExpression('[$flowContext("a"), $globalContext("b"), $env("CRIM_J_A")]'), {}))
      .toStrictEqual(['', '', 'envA']);
  });

  it('$env uses the node\'s own lookup when it has one', async () => {
    const node: EvalNode = { context: () => ({}), getEnv: (name) => `scoped-${name}` };
    expect(await evaluateJSONataAsync(prepareJSONataExpression('$env("X")', node), {})).toBe('scoped-X');
  });

  it('assign() on the prepared expression still works (join/reduce use it)', async () => {
    const prepared = prepareJSONataExpression('$A + $I', fakeNode());
    prepared.assign('A', 10);
    prepared.assign('I', 2);
    expect(await evaluateJSONataAsync(prepared, {})).toBe(12);
  });

  it('$clone gives a deep copy', async () => {
    const msg = { payload: { deep: { x: 1 } } };
    const r = (await evaluateJSONataAsync(prepareJSONataExpression('$clone(payload)'), msg)) as any;
    expect(r).toStrictEqual({ deep: { x: 1 } });
    expect(r.deep).not.toBe(msg.payload.deep);
  });

  it('gives results a normal Object prototype, nested too', async () => {
    const r = (await evaluateJSONataAsync(prepareJSONataExpression('{"a": {"b": [{"c": 1}]}, "l": payload.arr.{"v": $}}'), message())) as any;
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r.a)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r.a.b[0])).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r.l[0])).toBe(Object.prototype);
    expect(typeof r.a.hasOwnProperty).toBe('function');
  });

  it('leaves non-plain objects in a result alone', async () => {
    const buf = Buffer.from('x');
    const r = await evaluateJSONataAsync(prepareJSONataExpression('payload'), { payload: buf });
    expect(r).toBe(buf);
  });

  it('legacy mode: the bare identifier msg selects {msg} as input', () => {
    const legacy = (e: string) => prepareJSONataExpression(e)._legacyMode;
    expect(legacy('msg')).toBe(true);
    expect(legacy('msg.payload')).toBe(true);
    expect(legacy('$string(msg)')).toBe(true);
    expect(legacy(' msg ')).toBe(true);
    expect(legacy('payload')).toBe(false);
    expect(legacy('x.msg')).toBe(false);
    expect(legacy('"msg"')).toBe(false);
    expect(legacy('msg_x')).toBe(false);
    expect(legacy('$msg')).toBe(true);
  });

  it('a callback that throws on success is called once more with that error', async () => {
    const prepared = prepareJSONataExpression('1');
    const seen: unknown[] = [];
    await new Promise<void>((resolve) => {
      evaluateJSONataExpression(prepared, {}, (err, result) => {
        seen.push(err ? err.message : result);
        if (!err) throw new Error('handler failed');
        resolve();
      });
    });
    expect(seen).toStrictEqual([1, 'handler failed']);
  });
});
