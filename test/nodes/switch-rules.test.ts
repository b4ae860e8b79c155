// Crimson's native switch against Node-RED's own (10-switch.js of @node-red/nodes 4.1.15, loaded through
// Crimson's node API): a large table of rule types, value types, property types and messages, run through
// both; the transcripts (routing, message contents, copies, errors, warnings, logs, in order) must be equal.
// Then the pace of the native one: one message at once, then one per turn of the event loop, in arrival order.
import { describe, expect, it } from 'vitest';
import { runSwitch, encode, type SwitchCase } from './switch-harness.js';
import { Node, initNode, inheritNode } from '../../src/runtime/node.js';
import type { NodeConfig } from '../../src/runtime/types.js';
import type { RED } from '../../src/registry/red-types.js';
import { redUtil } from '../../src/registry/red-util.js';
import nativeSwitch from '../../src/nodes/switch.js';
import { FakeFlow } from './fake-red.js';

type Msg = Record<string, any>;

/** Payloads of every kind, made anew for each run. */
const PAYLOADS: Array<() => unknown> = [
  () => 0, () => 1, () => 5, () => -2.5, () => 10, () => 11, () => NaN, () => Infinity,
  () => '5', () => '05', () => ' 5 ', () => '', () => 'abc', () => 'ABC', () => 'hello world', () => 'Hello', () => '5abc',
  () => true, () => false, () => null, () => undefined,
  () => [], () => [1, 2], () => ['a'], () => [5], () => [[]],
  () => ({}), () => ({ a: 1 }), () => ({ a: null, length: 0 }), () => ({ hasOwnProperty: 1 }), () => Object.create(null),
  () => Buffer.from(''), () => Buffer.from('abc'), () => Buffer.from('5'),
  () => new Date(0), () => '{"a":1}', () => '[1]', () => 'null', () => 'true', () => 'undefined', () => '1e3', () => 'a,b',
];

/** One message per payload, with a few other properties rules can read. */
function messages(): Msg[] {
  return PAYLOADS.map((p, i) => {
    const m: Msg = { topic: i % 2 ? 't1' : 't2', x: i % 3 === 0 ? 5 : 'abc', obj: { a: 1 }, idx: 0 };
    const payload = p();
    if (payload !== undefined) m.payload = payload;
    return m;
  });
}

/** A switch with one rule (then `else`), every payload sent at once. */
const oneRule = (rule: Record<string, unknown>, extra: Record<string, unknown> = {}): SwitchCase =>
  ({ node: { rules: [rule, { t: 'else' }], ...extra }, inputs: messages, burst: true });

const cases: Record<string, SwitchCase> = {};
const add = (name: string, c: SwitchCase) => {
  if (cases[name]) throw new Error(`duplicate case ${name}`);
  cases[name] = c;
};

// --- comparisons with every kind of value -------------------------------------------------------------------
const VALUES: Array<Record<string, unknown>> = [
  { v: '5', vt: 'num' }, { v: 'x', vt: 'num' }, { v: '5', vt: 'str' }, { v: 'abc', vt: 'str' }, { v: '', vt: 'str' },
  { v: '5' }, { v: 'abc' }, { v: '' }, { v: 5 }, { v: null },
  { v: 'true', vt: 'bool' }, { v: 'false', vt: 'bool' }, { v: '[1,2]', vt: 'json' }, { v: '[53]', vt: 'bin' }, { v: '"5"', vt: 'bin' },
  { v: 'x', vt: 'msg' }, { v: 'nope.deeper', vt: 'msg' }, { v: 'msg.topic', vt: 'msg' },
  { v: 'k', vt: 'flow' }, { v: '#:(other)::k', vt: 'flow' }, { v: '#:(slow)::k', vt: 'flow' }, { v: 'nul', vt: 'flow' },
  { v: 'lim[msg.topic]', vt: 'flow' }, { v: 'mode', vt: 'global' }, { v: 'missing', vt: 'global' }, { v: 'n', vt: 'global' },
  { v: 'FOO', vt: 'env' }, { v: '${NUM}', vt: 'env' }, { v: 'EMPTY', vt: 'env' }, { v: '', vt: 'prev' },
  { v: 'x', vt: 'jsonata' }, { v: '$string(payload)', vt: 'jsonata' }, { v: 'a', vt: 're' }, { v: '', vt: 'date' }, { v: 'abc', vt: 'unknowntype' },
];
for (const t of ['eq', 'neq', 'lt', 'lte', 'gt', 'gte']) {
  for (const value of VALUES) add(`${t} ${JSON.stringify(value)}`, oneRule({ t, ...value }));
}

// --- between, with its bounds in either order, mixed and missing ------------------------------------------
const BOUNDS: Array<Record<string, unknown>> = [
  { v: '1', vt: 'num', v2: '10', v2t: 'num' }, { v: '10', vt: 'num', v2: '1', v2t: 'num' }, { v: 'a', vt: 'str', v2: 'm', v2t: 'str' },
  { v: 'm', vt: 'str', v2: 'a', v2t: 'str' }, { v: '1', vt: 'num', v2: 'abc', v2t: 'str' }, { v: '5', vt: 'num' },
  { v: '1', v2: '9' }, { v: '1', v2: 'x' }, { v: '', v2: '' }, { v: '0', vt: 'num', v2: '', v2t: 'prev' }, { v: '', vt: 'prev', v2: '10', v2t: 'num' },
  { v: 'k', vt: 'flow', v2: '20', v2t: 'num' }, { v: 'x', vt: 'msg', v2: 'payload', v2t: 'jsonata' }, { v: '0', vt: 'num', v2: '#:(slow)::k', v2t: 'flow' },
  { v: '0', vt: 'num', v2: 'x', v2t: 'num' }, { v: '0', vt: 'num', v2: '[1]', v2t: 'json' }, { v: '0', vt: 'num', v2: 'null', v2t: 'null' },
  { v: '0', vt: 'num', v2t: 'prev' }, { v: '0', vt: 'num', v2: null, v2t: 'num' },
];
for (const b of BOUNDS) add(`btwn ${JSON.stringify(b)}`, oneRule({ t: 'btwn', ...b }));

// --- text searches ------------------------------------------------------------------------------------------
for (const v of ['ell', '', '5', 'null', 'undefined', 'true', ',', 'a', 'object']) add(`cont "${v}"`, oneRule({ t: 'cont', v, vt: 'str' }));
add('cont num', oneRule({ t: 'cont', v: '5', vt: 'num' }));
add('cont msg', oneRule({ t: 'cont', v: 'x', vt: 'msg' }));
add('cont missing', oneRule({ t: 'cont', v: 'nope', vt: 'msg' }));
for (const [v, flag] of [['^h', false], ['^h', true], ['^H', false], ['\\d+', false], ['^$', false], ['O', true], ['[', false]] as const) {
  add(`regex ${v} case=${flag}`, oneRule({ t: 'regex', v, vt: 'str', case: flag }));
}
add('regex re-typed value', oneRule({ t: 'regex', v: '^a', vt: 're', case: true }));
add('regex from msg', oneRule({ t: 'regex', v: 'x', vt: 'msg' }));
add('regex case as text', oneRule({ t: 'regex', v: '^h', vt: 'str', case: 'false' }));

// --- value tests ----------------------------------------------------------------------------------------------
for (const t of ['true', 'false', 'null', 'nnull', 'empty', 'nempty']) add(t, oneRule({ t }));
for (const type of ['array', 'buffer', 'json', 'null', 'number', 'string', 'boolean', 'object', 'undefined', 'date', 'function']) {
  add(`istype ${type}`, oneRule({ t: 'istype', v: type, vt: type }));
}
add('istype with a str-typed type name', oneRule({ t: 'istype', v: 'number', vt: 'str' }));
add('istype json typed str', oneRule({ t: 'istype', v: 'json', vt: 'str' }));
// (json and null typed values are not evaluated: the type name is the value, whatever v says)
add('istype typed null, another value', oneRule({ t: 'istype', v: '', vt: 'null' }));
add('istype typed json, another value', oneRule({ t: 'istype', v: '[1]', vt: 'json' }));
add('eq typed json', oneRule({ t: 'eq', v: '"json"', vt: 'json' }));
for (const [v, vt] of [['a', 'str'], ['0', 'str'], ['length', 'str'], ['', 'str'], ['hasOwnProperty', 'str'], ['obj', 'msg'], ['0', 'num'], ['x', 'msg'], ['nul', 'flow']]) {
  add(`hask ${v} (${vt})`, oneRule({ t: 'hask', v, vt }));
}

// --- JSONata rules ----------------------------------------------------------------------------------------------
for (const v of ['payload = 5', '$length($string(payload)) > 2', 'msg.payload = "abc"', '$flowContext("k") = 5', '$globalContext("mode", "slow") = "slow-on"',
  '$env("FOO") = "bar"', '$undefinedfn()', 'payload', 'true', '$exists(payload)', '$I = 0']) {
  add(`jsonata_exp ${v}`, oneRule({ t: 'jsonata_exp', v, vt: 'jsonata' }));
}
add('jsonata_exp with a str value', oneRule({ t: 'jsonata_exp', v: 'true', vt: 'str' }));
add('eq with a jsonata value that fails', oneRule({ t: 'eq', v: '$undefinedfn()', vt: 'jsonata' }));

// --- else, checkall, several rules -----------------------------------------------------------------------------------
const eq5 = { t: 'eq', v: '5', vt: 'num' };
const isStr = { t: 'istype', v: 'string', vt: 'string' };
for (const checkall of ['true', 'false', false, true, undefined, 'FALSE']) {
  add(`else after a match, checkall ${JSON.stringify(checkall)}`, { node: { rules: [eq5, { t: 'else' }, { t: 'else' }, isStr, { t: 'else' }], checkall }, inputs: messages, burst: true });
}
add('only else', { node: { rules: [{ t: 'else' }] }, inputs: messages, burst: true });
add('else first', { node: { rules: [{ t: 'else' }, eq5, { t: 'else' }] }, inputs: messages, burst: true });
add('no rules', { node: { rules: [] }, inputs: messages, burst: true, outputs: 1 });
add('fewer outputs than rules', { node: { rules: [eq5, isStr, { t: 'else' }] }, inputs: messages, burst: true, outputs: 2 });
add('more outputs than rules', { node: { rules: [eq5] }, inputs: messages, burst: true, outputs: 3 });
add('stop at first with jsonata later', {
  node: { rules: [isStr, { t: 'jsonata_exp', v: '$undefinedfn()', vt: 'jsonata' }, { t: 'else' }], checkall: 'false' }, inputs: messages, burst: true,
});
add('previous value', { node: { rules: [{ t: 'eq', v: '', vt: 'prev' }, { t: 'gt', v: '', vt: 'prev' }, { t: 'btwn', v: '', vt: 'prev', v2: '', v2t: 'prev' }] }, inputs: messages, burst: true });
add('previous value, stop at first', { node: { rules: [{ t: 'lt', v: '', vt: 'prev' }, { t: 'else' }], checkall: 'false' }, inputs: messages, burst: true });

// --- rule types Node-RED has no test for ----------------------------------------------------------------------
for (const t of ['bogus', 'toString', 'hasOwnProperty', 'propertyIsEnumerable', 'valueOf', '__proto__', 'constructor', undefined, 'ELSE']) {
  add(`rule type ${String(t)}`, { node: { rules: [{ t, v: 'eq', vt: 'str' }, { t: 'else' }] }, inputs: () => messages().slice(0, 6), burst: true });
}

// --- the property: types, missing parents, context stores, JSONata -------------------------------------------
const propertyRules = [{ t: 'eq', v: 'abc', vt: 'str' }, { t: 'eq', v: '5', vt: 'num' }, { t: 'null' }, { t: 'istype', v: 'object', vt: 'object' }, { t: 'else' }];
const PROPERTIES: Array<[string, string | undefined]> = [
  ['payload', 'msg'], ['a.b.c', 'msg'], ['obj.a', 'msg'], ['msg.x', 'msg'], ['obj["a"]', 'msg'], ['payload[msg.idx]', 'msg'], ['bad..expr', 'msg'], ['x', undefined],
  ['k', 'flow'], ['#:(other)::k', 'flow'], ['#:(slow)::k', 'flow'], ['lim[msg.topic]', 'flow'], ['s', 'flow'], ['obj', 'flow'], ['', 'flow'],
  ['mode', 'global'], ['#:(slow)::mode', 'global'], ['#:(nostore)::mode', 'global'], ['FOO', 'env'], ['${NUM}', 'env'], ['NOPE', 'env'],
  ['payload & "x"', 'jsonata'], ['$undefinedfn()', 'jsonata'], ['msg.x', 'jsonata'], ['$flowContext("s")', 'jsonata'], ['abc', 'str'], ['5', 'num'], ['{"a":1}', 'json'], ['x', 'prev'],
];
for (const [property, propertyType] of PROPERTIES) {
  add(`property ${property} (${propertyType})`, { node: { property, propertyType, rules: propertyRules }, inputs: () => messages().slice(0, 14), burst: true });
}
add('no property at all', { node: { property: undefined, rules: propertyRules }, inputs: () => messages().slice(0, 4), burst: true });
add('async property, checkall false', { node: { property: '#:(slow)::k', propertyType: 'flow', rules: [{ t: 'gt', v: '8', vt: 'num' }, { t: 'else' }], checkall: 'false' }, inputs: messages, burst: true });

// --- deploy-time errors ----------------------------------------------------------------------------------------------
add('invalid property expression', { node: { property: 'payload +', propertyType: 'jsonata', rules: [{ t: 'jsonata_exp', v: '$foo(', vt: 'jsonata' }] }, inputs: () => messages().slice(0, 2) });
add('invalid rule expressions', {
  node: { rules: [{ t: 'jsonata_exp', v: '$foo(', vt: 'jsonata' }, { t: 'btwn', v: '1 +', vt: 'jsonata', v2: ']', v2t: 'jsonata' }, eq5] }, inputs: () => messages().slice(0, 2),
});
add('a null rule', { node: { rules: [eq5, null] }, inputs: () => messages().slice(0, 2) });
add('a null rule with repair', { node: { rules: [eq5, null], repair: true }, inputs: () => messages().slice(0, 2) });

// --- exceptions: where they surface decides (one message at a time: Node-RED's first one is handled in its handler) ---
const few = () => messages().slice(0, 5);
add('invalid re value in the first rule stops the node', { node: { rules: [{ t: 'eq', v: '(', vt: 're' }, { t: 'else' }] }, inputs: few });
add('invalid re value in a later rule fails the message', { node: { rules: [eq5, { t: 'eq', v: '(', vt: 're' }, { t: 'else' }] }, inputs: few });
add('invalid bin value', { node: { rules: [{ t: 'eq', v: '[1,', vt: 'bin' }] }, inputs: few });
add('bin value not an array', { node: { rules: [eq5, { t: 'eq', v: '{}', vt: 'bin' }] }, inputs: few });
add('invalid json second value', { node: { rules: [{ t: 'btwn', v: '1', vt: 'num', v2: '{', v2t: 'json' }] }, inputs: few });
add('context key naming a missing msg property, first rule', { node: { rules: [{ t: 'eq', v: 'lim[msg.nope]', vt: 'flow' }, { t: 'else' }] }, inputs: few });
add('context key naming a missing msg property, later rule', { node: { rules: [isStr, { t: 'eq', v: 'lim[msg.nope]', vt: 'flow' }, { t: 'else' }] }, inputs: few });
add('context key naming a missing msg property, the property', { node: { property: 'lim[msg.nope]', propertyType: 'flow', rules: [eq5] }, inputs: few });
add('after a JSONata property, the first rule throws', { node: { property: 'payload', propertyType: 'jsonata', rules: [{ t: 'eq', v: '(', vt: 're' }] }, inputs: few });
add('after a JSONata value, its second value throws', { node: { rules: [{ t: 'btwn', v: 'payload', vt: 'jsonata', v2: '{', v2t: 'json' }] }, inputs: few });
add('after a JSONata rule, the next rule throws', { node: { rules: [{ t: 'jsonata_exp', v: 'true', vt: 'jsonata' }, { t: 'eq', v: '(', vt: 're' }] }, inputs: few });
add('after an async context value, a later rule throws', { node: { rules: [{ t: 'eq', v: '#:(slow)::k', vt: 'flow' }, { t: 'eq', v: '(', vt: 're' }] }, inputs: few });
add('msg.parts null stops the node', { node: { rules: [eq5] }, inputs: () => [{ payload: 5, parts: null }, { payload: 5 }] });
add('a message with its own hasOwnProperty stops the node', { node: { rules: [eq5] }, inputs: () => [{ payload: 5, hasOwnProperty: 1 }, { payload: 5 }] });
add('msg.parts as text, with sequence rules', { node: { rules: [{ t: 'head', v: '1', vt: 'num' }, { t: 'tail', v: '1', vt: 'num' }] }, inputs: () => [{ payload: 1, parts: 'abc' }, { payload: 2, parts: 5 }] });
add('sequence rules without msg.parts', { node: { rules: [{ t: 'head', v: '1', vt: 'num' }] }, inputs: few });
add('tail without msg.parts', { node: { rules: [eq5, { t: 'tail', v: '1', vt: 'num' }] }, inputs: few });
add('index without msg.parts', { node: { rules: [{ t: 'index', v: '0', vt: 'num', v2: '1', v2t: 'num' }] }, inputs: few });
add('a second value typed jsonata without a value', { node: { rules: [{ t: 'btwn', v: '1', vt: 'num', v2t: 'jsonata' }] }, inputs: () => messages().slice(0, 2) });

// --- sequences: held parts, counts, repair, limits --------------------------------------------------------------------
const part = (id: string, index: number, payload: unknown, count?: number | string, more: Msg = {}): Msg =>
  ({ payload, topic: id, parts: { id, index, type: 'array', len: 1, ...(count === undefined ? {} : { count }) }, ...more });
/** Two sequences interleaved (the count only on some parts), a message of no sequence in between. */
const interleaved = (): Msg[] => [
  part('A', 0, 'a'), part('B', 0, 5, 2), part('A', 1, 5), { payload: 'loose' }, part('A', 2, 'c', 3), part('B', 1, 'x'),
  part('C', 1, 'c1', 2), part('C', 0, 'c0', 2),
];
const seqRules = [{ t: 'neq', v: 'x', vt: 'str' }, { t: 'index', v: '0', vt: 'num', v2: '1', v2t: 'num' }, { t: 'head', v: '2', vt: 'num' }, { t: 'tail', v: '1', vt: 'num' }, { t: 'else' }];
for (const burst of [false, true]) {
  for (const repair of [false, true]) {
    for (const checkall of ['true', 'false']) {
      add(`sequences repair=${repair} checkall=${checkall}${burst ? ' burst' : ''}`, { node: { rules: seqRules, repair, checkall }, inputs: interleaved, burst });
    }
  }
  add(`head and index only, no holding${burst ? ' burst' : ''}`, { node: { rules: [{ t: 'head', v: '1', vt: 'num' }, { t: 'index', v: '1', vt: 'num', v2: '2', v2t: 'num' }] }, inputs: interleaved, burst });
  add(`tail 2${burst ? ' burst' : ''}`, { node: { rules: [{ t: 'tail', v: '2', vt: 'num' }] }, inputs: interleaved, burst });
  add(`repair with JSONata and a slow context${burst ? ' burst' : ''}`, {
    node: { rules: [{ t: 'jsonata_exp', v: '$I < 1 or $N = 2', vt: 'jsonata' }, { t: 'eq', v: '#:(slow)::k', vt: 'flow' }, { t: 'else' }], repair: true },
    inputs: () => [...interleaved(), { payload: 9 }], burst,
  });
}
add('count given as text never completes', { node: { rules: [{ t: 'tail', v: '1', vt: 'num' }] }, inputs: () => [part('A', 0, 1, '2'), part('A', 1, 2, '2'), { payload: 'after' }] });
add('parts without an index are not a sequence', { node: { rules: [{ t: 'tail', v: '1', vt: 'num' }], repair: true }, inputs: () => [{ payload: 1, parts: { id: 'A', count: 1 } }] });
add('jsonata $I/$N stay from the last part', {
  node: { rules: [{ t: 'jsonata_exp', v: '$I = 1', vt: 'jsonata' }, { t: 'jsonata_exp', v: '$N', vt: 'jsonata' }] },
  inputs: () => [part('A', 1, 1, 2), { payload: 'loose' }, part('A', 0, 0, 2), { payload: 'loose2' }],
});
for (const max of [1, 2, 3, 5, '2', 0]) {
  add(`nodeMessageBufferMaxLength ${JSON.stringify(max)} (tail)`, { node: { rules: [{ t: 'tail', v: '1', vt: 'num' }] }, inputs: () => [...interleaved(), part('D', 0, 1, 6), part('D', 1, 2), part('D', 2, 3), part('D', 3, 4)], settings: { nodeMessageBufferMaxLength: max } });
  add(`nodeMessageBufferMaxLength ${JSON.stringify(max)} (repair)`, { node: { rules: seqRules, repair: true }, inputs: () => [...interleaved(), part('D', 0, 1, 3), part('D', 1, 2), part('D', 2, 3)], settings: { nodeMessageBufferMaxLength: max } });
}
for (let max = 2; max <= 9; max++) {
  add(`nodeMessageBufferMaxLength ${max}, repair, one output`, {
    node: { rules: [{ t: 'nnull' }], repair: true }, settings: { nodeMessageBufferMaxLength: max },
    inputs: () => [part('A', 0, 1), part('A', 1, 2), part('A', 2, 3, 3), part('B', 0, 1, 2), part('B', 1, 2), part('C', 0, 1, 4), part('C', 1, 2), part('C', 2, 3), part('C', 3, 4), part('D', 0, 1, 1)],
  });
}
add('repair keeps req and res by reference', {
  node: { rules: [{ t: 'nnull' }], repair: true }, outputs: 1,
  inputs: () => { const req = { q: 1 }; const res = { r: 2 }; return [part('R', 0, 1, 2, { req, res }), part('R', 1, 2, undefined, { req, res })]; },
});

// --- several outputs: the first gets the message itself, others copies ----------------------------------------------
add('copies for later outputs', { node: { rules: [{ t: 'nnull' }, { t: 'istype', v: 'number', vt: 'number' }, { t: 'nnull' }] }, inputs: messages, burst: true });
add('env property through a slow rule, burst', {
  node: { property: 'FOO', propertyType: 'env', rules: [{ t: 'eq', v: '#:(slow)::mode', vt: 'global' }, { t: 'eq', v: 'bar', vt: 'str' }] }, inputs: messages, burst: true,
});

describe('switch: native and Node-RED 4.1.15 give the same transcript', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const expected = await runSwitch('node-red', c);
      const actual = await runSwitch('native', c);
      expect(actual).toEqual(expected);
    });
  }

  it('the table covers what it should', () => {
    expect(Object.keys(cases).length).toBeGreaterThan(300);
  });
});

// --- native: the pace of messages ----------------------------------------------------------------------------
class SentFlow extends FakeFlow {
  readonly got: Array<[string, unknown]> = [];
  override deliver(_from: Node, to: Node, msg: object): void { this.got.push([to.id, (msg as Msg).payload]); }
}

function nativeNode(rules: unknown[], extra: Record<string, unknown> = {}): { node: Node; flow: SentFlow } {
  const flow = new SentFlow();
  let Ctor: (new (config: NodeConfig) => Node) | undefined;
  nativeSwitch({
    nodes: { registerType: (_t: string, c: Function) => { inheritNode(c); Ctor = c as typeof Ctor; }, createNode: (n: object, c: NodeConfig) => initNode(n as Node, c, flow) },
    util: redUtil, settings: {}, _: (k: string) => k,
  } as unknown as RED);
  const wires = rules.map((_, i) => [`out${i}`]);
  const node = new Ctor!({ id: 'sw', type: 'switch', z: flow.id, property: 'payload', propertyType: 'msg', rules, checkall: 'true', ...extra, wires } as unknown as NodeConfig);
  const sinks = wires.map(([id]) => new Node({ id, type: 'sink', wires: [] } as unknown as NodeConfig, flow));
  node._resolveWires((id) => sinks.find((s) => s.id === id));
  return { node, flow };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('switch (native): one message at once, then one per turn while they queue', () => {
  it('routes the first message before receive() returns, the ones queued behind it one per turn', async () => {
    const { node, flow } = nativeNode([{ t: 'gt', v: '1', vt: 'num' }, { t: 'else' }]);
    for (const p of [1, 2, 3]) node.receive({ payload: p });
    expect(flow.got).toEqual([['out1', 1]]);
    await turn();
    expect(flow.got).toEqual([['out1', 1], ['out0', 2]]);
    await turn();
    expect(flow.got).toEqual([['out1', 1], ['out0', 2], ['out0', 3]]);
    // idle again after a turn with nothing queued: the next message goes at once
    await turn();
    node.receive({ payload: 4 });
    expect(flow.got).toEqual([['out1', 1], ['out0', 2], ['out0', 3], ['out0', 4]]);
  });

  it('paces the messages of one HTTP request (msg.res) together, and each request apart from the others', async () => {
    const { node, flow } = nativeNode([{ t: 'nnull' }]);
    const resA = {};
    const resB = {};
    node.receive({ payload: 'a1', res: resA });
    node.receive({ payload: 'a2', res: resA });
    node.receive({ payload: 'b1', res: resB });
    node.receive({ payload: 'x1' });
    node.receive({ payload: 'x2' });
    expect(flow.got).toEqual([['out0', 'a1'], ['out0', 'b1'], ['out0', 'x1']]);
    await turn();
    expect(flow.got.slice(3)).toEqual([['out0', 'a2'], ['out0', 'x2']]);

    // one request at two switch nodes: each node paces it on its own
    const other = nativeNode([{ t: 'nnull' }]);
    const resC = {};
    node.receive({ payload: 'c1', res: resC });
    other.node.receive({ payload: 'c1', res: resC });
    node.receive({ payload: 'c2', res: resC });
    other.node.receive({ payload: 'c2', res: resC });
    expect(flow.got.slice(5)).toEqual([['out0', 'c1']]);
    expect(other.flow.got).toEqual([['out0', 'c1']]);
    await turn();
    expect(flow.got.slice(5)).toEqual([['out0', 'c1'], ['out0', 'c2']]);
    expect(other.flow.got).toEqual([['out0', 'c1'], ['out0', 'c2']]);
    await turn();
    await turn();
    expect(Object.getOwnPropertySymbols(resC).map((k) => (resC as Record<symbol, unknown>)[k])).toEqual([undefined]);
  });

  it('keeps arrival order behind a message whose rules wait on JSONata or an async store', async () => {
    const { node, flow } = nativeNode([{ t: 'jsonata_exp', v: 'payload > 1', vt: 'jsonata' }, { t: 'else' }], { checkall: 'false' });
    for (const p of [1, 2, 3]) node.receive({ payload: p });
    expect(flow.got).toEqual([]);
    for (let i = 0; i < 5; i++) await turn();
    expect(flow.got).toEqual([['out1', 1], ['out0', 2], ['out0', 3]]);

    // a sync message arriving while a slow one is pending waits for it; later ones go at once again
    const slow = nativeNode([{ t: 'eq', v: '#:(slow)::k', vt: 'flow' }, { t: 'else' }], { checkall: 'false' });
    await new Promise<void>((r) => slow.flow.flowCtx.set('k', 2, 'slow', () => r()));
    slow.node.receive({ payload: 2 });
    expect(slow.flow.got).toEqual([]);
    for (let i = 0; i < 5; i++) await turn();
    expect(slow.flow.got).toEqual([['out0', 2]]);
  });

  it('a JSONata rule not reached (checkall false) keeps the message synchronous', () => {
    const { node, flow } = nativeNode([{ t: 'nnull' }, { t: 'jsonata_exp', v: 'true', vt: 'jsonata' }], { checkall: 'false' });
    node.receive({ payload: 1 });
    expect(flow.got).toEqual([['out0', 1]]);
  });

  it('never calls done(): complete nodes do not hear from a switch', async () => {
    const { node, flow } = nativeNode([{ t: 'nnull' }]);
    node.receive({ payload: 1 });
    await turn();
    expect(flow.completed).toEqual([]);
    expect(encode(flow.got)).toEqual([['out0', 1]]);
  });
});
