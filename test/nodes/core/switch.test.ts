// switch, range and rbe (filter): Node-RED's own implementations run by Crimson (RED.util property and typed-value
// evaluation, JSONata, context, sequence repair with Crimson's native split and Node-RED's join).
// Every expectation below was observed on Node-RED 4.1.15 running the same flows (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, catchAll, debugNode, injectNode, props, useCoreHarness, withoutId, type NodeDef } from './harness.js';

const h = useCoreHarness();

const switchNode = (id: string, rules: unknown[], extra: Record<string, unknown> = {}): NodeDef => ({
  id, type: 'switch', z: TAB, name: id, property: 'payload', propertyType: 'msg', rules, checkall: 'true', repair: false,
  outputs: rules.length, wires: rules.map((_, i) => [`${id}-${i}`]), ...extra,
});
const outputsOf = (id: string, n: number) => Array.from({ length: n }, (_, i) => debugNode(`${id}-${i}`));
/** The outputs of switch `id` (by index) each payload went to. */
function routes(id: string, n: number): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    for (const m of h.shown(`${id}-${i}`)) {
      const key = JSON.stringify(m.payload);
      seen.set(key, [...(seen.get(key) ?? []), i]);
    }
  }
  return seen;
}

describe('switch', () => {
  it('checks every rule (checkall) and sends the message to each matching output', async () => {
    const rules = [
      { t: 'eq', v: '5', vt: 'num' }, { t: 'neq', v: 'a', vt: 'str' }, { t: 'lt', v: '3', vt: 'num' },
      { t: 'btwn', v: '1', vt: 'num', v2: '10', v2t: 'num' }, { t: 'cont', v: 'ell', vt: 'str' },
      { t: 'regex', v: '^h', vt: 'str', case: true }, { t: 'true' }, { t: 'null' }, { t: 'empty' },
      { t: 'istype', v: 'array', vt: 'array' }, { t: 'hask', v: 'a', vt: 'str' },
      { t: 'jsonata_exp', v: '$length($string(payload)) > 3', vt: 'jsonata' }, { t: 'else' },
    ];
    await h.deploy([injectNode('in', ['sw']), switchNode('sw', rules), ...outputsOf('sw', rules.length)]);
    const payloads: unknown[] = [5, 'Hello', true, null, [], { a: 1 }, ''];
    for (const p of payloads) await h.inject('in', props(p));
    // the last payload ('') goes to neq, lt, empty: wait for the lt output to have seen it
    await h.waitFor('sw-2', 4);
    const got = routes('sw', rules.length);
    expect(Object.fromEntries(got)).toEqual({
      '5': [0, 1, 3],
      '"Hello"': [1, 4, 5, 11],
      'true': [1, 2, 3, 6, 11],
      'null': [1, 2, 7, 11],
      '[]': [1, 2, 8, 9],
      '{"a":1}': [1, 10, 11],
      '""': [1, 2, 8],
    });
    // the message itself goes out, unchanged
    expect(withoutId(h.shown('sw-0')[0]!)).toEqual({ payload: 5 });
  });

  it('stops at the first match; compares with flow context and the previous value', async () => {
    const rules = [{ t: 'gt', v: 'limit', vt: 'flow' }, { t: 'lte', v: '', vt: 'prev' }, { t: 'else' }];
    const setLimit: NodeDef = { id: 'set', type: 'change', z: TAB, rules: [{ t: 'set', p: 'limit', pt: 'flow', to: '4', tot: 'num' }], wires: [['sw']] };
    await h.deploy([injectNode('in', ['set']), setLimit, switchNode('sw', rules, { checkall: 'false' }), ...outputsOf('sw', 3)]);
    for (const p of [5, 3, 4, 4]) await h.inject('in', props(p));
    await h.waitFor('sw-1', 2);
    // 5 > 4; 3 <= 5 (prev); 4 is not > 4 and not <= 3 (prev): else; 4 <= 4 (prev)
    expect(Object.fromEntries(routes('sw', 3))).toEqual({ '5': [0], '3': [1], '4': [1, 2] });
    expect(h.shown('sw-2').map((m) => m.payload)).toEqual([4]);
  });

  it('reads the property from env, global context and JSONata', async () => {
    const nodes: NodeDef[] = [
      injectNode('in', ['setg']),
      { id: 'setg', type: 'change', z: TAB, rules: [{ t: 'set', p: 'mode', pt: 'global', to: 'on', tot: 'str' }], wires: [['e', 'g', 'j']] },
      switchNode('e', [{ t: 'eq', v: 'bar', vt: 'str' }, { t: 'else' }], { property: 'FOO', propertyType: 'env' }),
      switchNode('g', [{ t: 'eq', v: 'on', vt: 'str' }, { t: 'else' }], { property: 'mode', propertyType: 'global' }),
      switchNode('j', [{ t: 'eq', v: '6', vt: 'num' }, { t: 'else' }], { property: 'payload * 2', propertyType: 'jsonata' }),
      ...outputsOf('e', 2), ...outputsOf('g', 2), ...outputsOf('j', 2),
    ];
    await h.deploy(nodes, { tabEnv: [{ name: 'FOO', value: 'bar', type: 'str' }] });
    await h.inject('in', props(3));
    await Promise.all([h.waitFor('e-0', 1), h.waitFor('g-0', 1), h.waitFor('j-0', 1)]);
    expect(h.shown('e-1').length + h.shown('g-1').length + h.shown('j-1').length).toBe(0);
  });

  it('a missing parent property is null to the rules; a JSONata error is a warning with the catalogue text', async () => {
    await h.deploy([
      injectNode('in', ['miss', 'jerr']),
      switchNode('miss', [{ t: 'null' }, { t: 'else' }], { property: 'a.b.c' }), ...outputsOf('miss', 2),
      switchNode('jerr', [{ t: 'true' }], { property: '$undefinedfn()', propertyType: 'jsonata' }), ...outputsOf('jerr', 1),
      { id: 'bad', type: 'switch', z: TAB, name: 'bad', property: 'payload', propertyType: 'msg', rules: [{ t: 'jsonata_exp', v: '$foo(', vt: 'jsonata' }], checkall: 'true', repair: false, outputs: 1, wires: [[]] },
      ...catchAll(),
    ]);
    // an invalid expression in a rule is reported when the node starts
    expect(await h.waitForLog(/\[switch:bad\]/)).toBe('[error] [switch:bad] Invalid JSONata expression: Expected ")" before end of expression');
    await h.inject('in', props('x'));
    await h.waitFor('miss-0', 1);
    expect(await h.waitForLog(/\[switch:jerr\]/)).toBe('[warn] [switch:jerr] Invalid JSONata expression: Attempted to invoke a non-function');
    expect(h.shown('miss-1')).toEqual([]);
    expect(h.shown('jerr-0')).toEqual([]);
    expect(h.shown('caught')).toEqual([]);
    expect(await h.waitForSidebar(2)).toEqual([
      { level: 20, id: 'bad', type: 'switch', msg: 'Invalid JSONata expression: Expected ")" before end of expression' },
      { level: 30, id: 'jerr', type: 'switch', msg: 'Invalid JSONata expression: Attempted to invoke a non-function' },
    ]);
  });

  it('sequence rules (index, head, tail) over a native split; repair rebuilds msg.parts for join', async () => {
    const rules = [{ t: 'neq', v: 'b', vt: 'str' }, { t: 'index', v: '0', vt: 'num', v2: '1', v2t: 'num' }, { t: 'head', v: '2', vt: 'num' }, { t: 'tail', v: '1', vt: 'num' }];
    const join = (id: string): NodeDef => ({ id, type: 'join', z: TAB, name: id, mode: 'auto', build: 'object', property: 'payload', propertyType: 'msg', key: 'topic', joiner: '\\n', joinerType: 'str', accumulate: false, timeout: '', count: '', wires: [[`d${id}`]] });
    await h.deploy([
      injectNode('in', ['split']),
      { id: 'split', type: 'split', z: TAB, splt: ',', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload', wires: [['rep', 'raw']] },
      { ...switchNode('rep', rules, { repair: true }), wires: [['j0'], ['j1'], ['j2'], ['j3']] },
      join('j0'), join('j1'), join('j2'), join('j3'), debugNode('dj0'), debugNode('dj1'), debugNode('dj2'), debugNode('dj3'),
      switchNode('raw', [{ t: 'tail', v: '1', vt: 'num' }]), ...outputsOf('raw', 1),
    ]);
    await h.inject('in', props('a,b,c'));
    const [j0] = await h.waitFor('dj0', 1);
    expect(withoutId(j0!)).toEqual({ payload: 'a,c' });
    expect(withoutId((await h.waitFor('dj1', 1))[0]!)).toEqual({ payload: 'a,b' });
    expect(withoutId((await h.waitFor('dj2', 1))[0]!)).toEqual({ payload: 'a,b' });
    expect(withoutId((await h.waitFor('dj3', 1))[0]!)).toEqual({ payload: 'c' });
    // without repair the parts are left as the split made them
    const [last] = await h.waitFor('raw-0', 1);
    expect(last!.payload).toBe('c');
    expect(last!.parts).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), type: 'string', ch: ',', index: 2, count: 3 });
  });
});

describe('range', () => {
  const range = (id: string, action: string, extra: Record<string, unknown> = {}): NodeDef => ({
    id, type: 'range', z: TAB, name: id, minin: '0', maxin: '10', minout: '0', maxout: '100', action, round: false, property: 'payload', wires: [[`d${id}`]], ...extra,
  });

  it('scales, clamps, rolls and drops; numeric strings are numbers, others are logged and dropped', async () => {
    const ids = ['scale', 'clamp', 'roll', 'drop'];
    await h.deploy([injectNode('in', [...ids, 'rnd']), ...ids.map((a) => range(a, a)),
      range('rnd', 'scale', { round: true, property: 'a.b', minin: '1', maxin: '3', minout: '-1', maxout: '1' }),
      ...ids.map((a) => debugNode(`d${a}`)), debugNode('drnd'), ...catchAll()]);
    for (const p of [5, 15, -3, '12', 'abc']) await h.inject('in', props(p, { a: { b: 2.6 } }));
    await h.waitFor('dscale', 4);
    await h.waitFor('drnd', 5);
    await h.waitForLog(/\[range:drop\] Not a number: abc/);
    const payloads = (id: string) => h.shown(id).map((m) => m.payload);
    expect(payloads('dscale')).toEqual([50, 150, -30, 120]);
    expect(payloads('dclamp')).toEqual([50, 100, 0, 100]);
    expect(payloads('droll')).toEqual([50, 50, 70, 20]);
    expect(payloads('ddrop')).toEqual([50]);
    expect(h.shown('drnd').map((m) => m.a)).toEqual([{ b: 1 }, { b: 1 }, { b: 1 }, { b: 1 }, { b: 1 }]);
    expect(h.logs().filter((l) => l.includes('Not a number'))).toEqual([
      '[info] [range:scale] Not a number: abc', '[info] [range:clamp] Not a number: abc',
      '[info] [range:roll] Not a number: abc', '[info] [range:drop] Not a number: abc',
    ]);
  });

  it('a missing parent property is a caught TypeError', async () => {
    await h.deploy([injectNode('in', ['r']), range('r', 'scale', { property: 'a.b' }), debugNode('dr'), ...catchAll()]);
    await h.inject('in', props(1));
    const [e] = await h.waitFor('caught', 1);
    expect(e!.error).toEqual({
      message: "TypeError: Cannot read properties of undefined (reading 'b')",
      source: { id: 'r', type: 'range', name: 'r', count: 1 },
      stack: expect.stringContaining("TypeError: Cannot read properties of undefined (reading 'b')"),
    });
    expect(h.shown('dr')).toEqual([]);
  });
});

describe('rbe (filter)', () => {
  const rbe = (id: string, extra: Record<string, unknown> = {}): NodeDef => ({
    id, type: 'rbe', z: TAB, name: id, func: 'rbe', gap: '', start: '', inout: 'out', septopics: true, property: 'payload', topi: 'topic', wires: [[`d${id}`]], ...extra,
  });
  const ids = ['rbe', 'rbei', 'db', 'dbe', 'nb', 'nbs', 'pct', 'all', 'prop'];

  it('passes changes only, per topic; dead band, narrow band and percentages; msg.reset forgets', async () => {
    await h.deploy([
      injectNode('in', ids), rbe('rbe'), rbe('rbei', { func: 'rbei' }), rbe('db', { func: 'deadband', gap: '2' }),
      rbe('dbe', { func: 'deadbandEq', gap: '2', inout: 'in' }), rbe('nb', { func: 'narrowband', gap: '2' }),
      rbe('nbs', { func: 'narrowbandEq', gap: '2', start: '10' }), rbe('pct', { func: 'deadband', gap: '10%' }),
      rbe('all', { septopics: false }), rbe('prop', { property: 'a.b', topi: 'k' }), ...ids.map((i) => debugNode(`d${i}`)),
    ]);
    const inputs: Array<[unknown, string]> = [[5, 't1'], [5, 't1'], [6, 't1'], [5, 't2'], [7, 't1'], [9, 't1'], [11.5, 't1'], [{ a: 1 }, 't1'], [{ a: 1 }, 't1'], ['x', 't1'], ['x', 't1'], [10, 't1']];
    for (const [i, [v, t]] of inputs.entries()) await h.inject('in', props(v, { topic: t, a: { b: i % 3 }, k: String(i % 2) }));
    await h.inject('in', [{ p: 'reset', v: 'true', vt: 'bool' }]);
    await h.inject('in', props(10, { topic: 't1' }));
    const expected: Record<string, unknown[]> = {
      rbe: [5, 6, 5, 7, 9, 11.5, { a: 1 }, 'x', 10, 10],
      rbei: [6, 7, 9, 11.5, { a: 1 }, 'x', 10],
      db: [5, 5, 9, 11.5, 10],
      dbe: [5, 5, 9, 11.5, 10],
      nb: [5, 5, 6, 5, 7, 9, 10, 10],
      nbs: [9, 10, 10],
      pct: [5, 6, 5, 7, 9, 11.5, 10, 10],
      all: [5, 6, 5, 7, 9, 11.5, { a: 1 }, 'x', 10, 10],
      // on a.b (0 1 2 0 1 2...), topics from msg.k
      prop: [5, 5, 6, 5, 7, 9, 11.5, { a: 1 }, { a: 1 }, 'x', 'x', 10],
    };
    for (const id of ids) await h.waitFor(`d${id}`, expected[id]!.length);
    expect(Object.fromEntries(ids.map((id) => [id, h.shown(`d${id}`).map((m) => m.payload)]))).toEqual(expected);
    expect(h.shown('dnb').map((m) => m.a?.b)).toEqual([0, 1, 2, 0, 1, 2, 2, undefined]);
    // the bands warn once per node for each payload that is not a number
    const warning = (id: string) => `[warn] [rbe:${id}] no number found in payload`;
    expect(h.logs().filter((l) => l.includes('[rbe:'))).toEqual(Array(4).fill(['db', 'dbe', 'nb', 'nbs', 'pct'].map(warning)).flat());
  });
});
