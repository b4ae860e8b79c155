// The sequence nodes join, sort and batch: Node-RED's implementations run by Crimson, fed by Crimson's native
// split (msg.parts), by hand-made msg.parts, or by single messages — join's auto, manual and reduce modes,
// msg.complete/reset, timeouts, sort of arrays and sequences, batch by count, interval and concatenation.
// Every expectation below was observed on Node-RED 4.1.15 running the same flows (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, catchAll, debugNode, injectNode, props, useCoreHarness, withoutId, type Msg, type NodeDef } from './harness.js';

const h = useCoreHarness();

const split = (id: string, wires: string[], extra: Record<string, unknown> = {}): NodeDef => ({
  id, type: 'split', z: TAB, name: id, splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload', wires: [wires], ...extra,
});
const join = (id: string, extra: Record<string, unknown> = {}): NodeDef => ({
  id, type: 'join', z: TAB, name: id, mode: 'auto', build: 'object', property: 'payload', propertyType: 'msg', key: 'topic', joiner: '\\n',
  joinerType: 'str', useparts: false, accumulate: false, timeout: '', count: '', reduceRight: false, reduceExp: '', reduceInit: '',
  reduceInitType: '', reduceFixup: '', wires: [[`d${id}`]], ...extra,
});
const HEX16 = /^[0-9a-f]{16}$/;
const payloads = (id: string) => h.shown(id).map((m) => m.payload);
/** The messages without _msgid, their parts.id replaced by its first-seen rank ("P0", "P1"...). */
function normalised(msgs: Msg[]): Msg[] {
  const ids = new Map<string, string>();
  return msgs.map((m) => {
    const r = withoutId(m);
    if (r.parts?.id) {
      expect(r.parts.id).toMatch(HEX16);
      if (!ids.has(r.parts.id)) ids.set(r.parts.id, `P${ids.size}`);
      r.parts = { ...r.parts, id: ids.get(r.parts.id) };
    }
    return r;
  });
}

describe('join after a native split (auto mode)', () => {
  it('puts strings, arrays, objects and buffers back together', async () => {
    await h.deploy([
      injectNode('in', ['sStr', 'sLen', 'sArr', 'sObj']), injectNode('inb', ['sBuf']),
      split('sStr', ['jStr'], { splt: ',' }), split('sLen', ['jLen'], { splt: '2', spltType: 'len' }), split('sArr', ['jArr'], { arraySplt: 2 }),
      split('sObj', ['jObj']), split('sBuf', ['jBuf'], { splt: '[44]', spltType: 'bin' }),
      join('jStr'), join('jLen'), join('jArr'), join('jObj'), join('jBuf'),
      ...['jStr', 'jLen', 'jArr', 'jObj', 'jBuf'].map((i) => debugNode(`d${i}`)), ...catchAll(),
    ]);
    await h.inject('in', props('a,bc,d'));
    await h.inject('in', props([1, 2, 3, 4, 5]));
    await h.inject('in', props({ a: 1, b: [2] }));
    await h.inject('inb', props('[1,44,2,3,44,4]', {}, 'bin'));
    for (const id of ['djStr', 'djLen', 'djArr', 'djObj']) await h.waitFor(id, 3);
    await h.waitFor('djBuf', 1);
    // the joined message is the last part's, without parts
    expect(h.shown('djStr').map(withoutId)).toEqual([{ payload: 'a,bc,d' }, { payload: [1, 2, 3, 4, 5] }, { payload: { a: 1, b: [2] } }]);
    expect(payloads('djLen')).toEqual(['a,bc,d', [1, 2, 3, 4, 5], { a: 1, b: [2] }]);
    expect(payloads('djArr')).toEqual(['a,bc,d', [1, 2, 3, 4, 5], { a: 1, b: [2] }]);
    expect(payloads('djObj')).toEqual(['a,bc,d', [1, 2, 3, 4, 5], { a: 1, b: [2] }]);
    expect(payloads('djBuf')).toEqual([Buffer.from([1, 44, 2, 3, 44, 4])]);
    expect(h.shown('caught')).toEqual([]);
  });

  it('an object split with the key in msg.topic: auto keeps it, manual with parts builds the object', async () => {
    await h.deploy([injectNode('in', ['s']), split('s', ['auto', 'manual'], { addname: 'topic' }), join('auto'),
      join('manual', { mode: 'custom', build: 'object', key: 'topic', useparts: true }), debugNode('dauto'), debugNode('dmanual')]);
    await h.inject('in', props({ a: 1, b: [2] }));
    const [auto] = await h.waitFor('dauto', 1);
    const [manual] = await h.waitFor('dmanual', 1);
    expect(withoutId(auto!)).toEqual({ payload: { a: 1, b: [2] }, topic: 'b' });
    expect(withoutId(manual!)).toEqual({ payload: { a: 1, b: [2] }, topic: 'b' });
  });

  it('with a reduce expression: $A accumulated over the parts, right to left', async () => {
    await h.deploy([injectNode('in', ['s']), split('s', ['red', 'avg']),
      join('red', { mode: 'reduce', reduceExp: '$append($A, payload)', reduceInit: '[]', reduceInitType: 'json', reduceRight: true }),
      join('avg', { mode: 'reduce', reduceExp: '$A + payload', reduceInit: '0', reduceInitType: 'num', reduceFixup: '$A / $N' }),
      debugNode('dred'), debugNode('davg'), ...catchAll()]);
    await h.inject('in', props([1, 2, 3, 4]));
    const [red] = await h.waitFor('dred', 1);
    expect(red!.payload).toEqual([4, 3, 2, 1]);
    // the result carries the parts of the last message of the sequence
    expect(normalised([red!])).toEqual([{ payload: [4, 3, 2, 1], parts: { id: 'P0', type: 'array', count: 4, len: 1, index: 0 } }]);
    const [avg] = await h.waitFor('davg', 1);
    expect(avg!.payload).toBe(2.5);
    // a string that is not a number makes the sum a JSONata error (T2002), caught with its code
    await h.inject('in', props([1, 'x']));
    const [c] = await h.waitFor('caught', 1);
    expect(c!.error).toEqual({ message: '[object Object]', source: { id: 'avg', type: 'join', name: 'avg', count: 1 }, code: 'T2002', stack: expect.any(String) });
  });
});

describe('join (manual mode)', () => {
  const manual = (id: string, extra: Record<string, unknown>) => join(id, { mode: 'custom', ...extra });

  it('array of n, string with a joiner, key/value object, merged messages, buffers with a binary joiner', async () => {
    await h.deploy([injectNode('in', ['arr', 'str', 'kv', 'buf']), injectNode('objs', ['mrg']),
      manual('arr', { build: 'array', count: '3' }), manual('str', { build: 'string', joiner: '-', count: '3' }),
      manual('kv', { build: 'object', key: 'topic', count: '2' }), manual('mrg', { build: 'merged', count: '3' }),
      manual('buf', { build: 'buffer', joiner: '[44]', joinerType: 'bin', count: '3' }),
      ...['arr', 'str', 'kv', 'mrg', 'buf'].map((i) => debugNode(`d${i}`))]);
    await h.inject('in', props('a', { topic: 't1', x: 1 }, 'str'));
    await h.inject('in', props('b', { topic: 't2', y: 2 }, 'str'));
    await h.inject('in', props('c', { topic: 't1' }, 'str'));
    for (const p of [{ a: 1 }, { b: 2 }, { a: 3, c: 4 }]) await h.inject('objs', props(p));
    for (const id of ['darr', 'dstr', 'dkv', 'dmrg', 'dbuf']) await h.waitFor(id, 1);
    // the output is the last message with the joined property (and the other properties of the ones before)
    expect(withoutId(h.shown('darr')[0]!)).toEqual({ payload: ['a', 'b', 'c'], topic: 't1', x: 1, y: 2 });
    expect(payloads('dstr')).toEqual(['a-b-c']);
    // (an object's count is of its keys: the first two messages made it)
    expect(payloads('dkv')).toEqual([{ t1: 'a', t2: 'b' }]);
    expect(payloads('dbuf')).toEqual([Buffer.from('a,b,c')]);
    expect(h.shown('dmrg').map(withoutId)).toEqual([{ payload: { a: 3, b: 2, c: 4 } }]);
  });

  it('msg.complete sends what there is, msg.reset drops it, a timeout sends the rest; accumulate keeps the object', async () => {
    await h.deploy([injectNode('in', ['arr', 'acc']), injectNode('in2', ['to']),
      manual('arr', { build: 'array', count: '' }), manual('to', { build: 'array', timeout: '0.2' }),
      manual('acc', { build: 'object', key: 'topic', count: '2', accumulate: true }),
      debugNode('darr'), debugNode('dto'), debugNode('dacc')]);
    await h.inject('in', props('a', { topic: 't1' }, 'str'));
    await h.inject('in', props('b', { topic: 't2' }, 'str'));
    await h.inject('in', props('c', { topic: 't1', complete: true }, 'str'));
    await h.inject('in', props('d', { topic: 't3', reset: true }, 'str'));
    await h.inject('in', props('e', { topic: 't2', complete: true }, 'str'));
    await h.waitFor('darr', 2);
    // "c" carried complete: sent with it; "d" reset the (new) group; "e" completed a group of its own
    expect(payloads('darr')).toEqual([['a', 'b', 'c'], ['e']]);
    expect(h.shown('darr')[0]!.complete).toBeUndefined();
    await h.waitFor('dacc', 3);
    // (the reset dropped what was accumulated)
    expect(payloads('dacc')).toEqual([{ t1: 'a', t2: 'b' }, { t1: 'c', t2: 'b' }, { t2: 'e' }]);
    const start = Date.now();
    await h.inject('in2', props('f', {}, 'str'));
    await h.inject('in2', props('g', {}, 'str'));
    const to = await h.waitFor('dto', 1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(195);
    expect(to.map((m) => m.payload)).toEqual([['f', 'g']]);
  });
});

describe('sort', () => {
  it('sorts an array in a message, or a sequence by a property or JSONata, keeping msg.parts in order', async () => {
    await h.deploy([injectNode('in', ['arr']), injectNode('ins', ['s']),
      { id: 'arr', type: 'sort', z: TAB, name: 'arr', order: 'ascending', as_num: false, target: 'payload', targetType: 'msg', msgKey: 'payload', msgKeyType: 'elem', seqKey: 'payload', seqKeyType: 'msg', wires: [['darr']] },
      split('s', ['seq', 'jseq']),
      { id: 'seq', type: 'sort', z: TAB, name: 'seq', order: 'descending', as_num: true, target: '', targetType: 'seq', msgKey: 'payload', msgKeyType: 'elem', seqKey: 'payload', seqKeyType: 'msg', wires: [['dseq']] },
      { id: 'jseq', type: 'sort', z: TAB, name: 'jseq', order: 'ascending', as_num: false, target: '', targetType: 'seq', msgKey: 'payload', msgKeyType: 'elem', seqKey: '$length(payload)', seqKeyType: 'jsonata', wires: [['djseq']] },
      debugNode('darr'), debugNode('dseq'), debugNode('djseq'), ...catchAll()]);
    await h.inject('in', props(['b', 'C', 'a', 10, 9]));
    const [a] = await h.waitFor('darr', 1);
    expect(withoutId(a!)).toEqual({ payload: [9, 10, 'C', 'a', 'b'] });
    await h.inject('ins', props('3\n10\n2', {}, 'str'));
    const seq = await h.waitFor('dseq', 3);
    expect(normalised(seq)).toEqual([
      { payload: '10', parts: { id: 'P0', type: 'string', ch: '\n', index: 0, count: 3 } },
      { payload: '3', parts: { id: 'P0', type: 'string', ch: '\n', index: 1, count: 3 } },
      { payload: '2', parts: { id: 'P0', type: 'string', ch: '\n', index: 2, count: 3 } },
    ]);
    await h.waitFor('djseq', 3);
    expect(payloads('djseq')).toEqual(['3', '2', '10']);
  });

  it('a bad JSONata key is logged when the node starts', async () => {
    await h.deploy([{ id: 'bad', type: 'sort', z: TAB, name: 'bad', order: 'ascending', as_num: false, target: '', targetType: 'seq', msgKey: 'payload', msgKeyType: 'elem', seqKey: '$foo(', seqKeyType: 'jsonata', wires: [[]] }]);
    expect(await h.waitForLog(/\[sort:bad\]/)).toBe('[error] [sort:bad] Invalid JSONata expression in sort node: [object Object]');
  });
});

describe('batch', () => {
  it('by count with overlap: new sequences of n messages, each with its msg.parts', async () => {
    await h.deploy([injectNode('in', ['b']),
      { id: 'b', type: 'batch', z: TAB, name: 'b', mode: 'count', count: '3', overlap: '1', interval: '10', allowEmptySequence: false, topics: [], wires: [['db']] },
      debugNode('db')]);
    for (const p of [1, 2, 3, 4, 5]) await h.inject('in', props(p));
    const out = await h.waitFor('db', 6);
    expect(normalised(out).map((m) => [m.payload, m.parts.id, m.parts.index, m.parts.count])).toEqual([
      [1, 'P0', 0, 3], [2, 'P0', 1, 3], [3, 'P0', 2, 3], [3, 'P1', 0, 3], [4, 'P1', 1, 3], [5, 'P1', 2, 3],
    ]);
  });

  it('by interval: what came within each interval, as one sequence', async () => {
    await h.deploy([injectNode('in', ['b']),
      { id: 'b', type: 'batch', z: TAB, name: 'b', mode: 'interval', count: '3', overlap: '0', interval: '0.3', allowEmptySequence: false, topics: [], wires: [['db']] },
      debugNode('db')]);
    await h.inject('in', props('x', {}, 'str'));
    await h.inject('in', props('y', {}, 'str'));
    const out = await h.waitFor('db', 2);
    expect(normalised(out)).toEqual([{ payload: 'x', parts: { id: 'P0', index: 0, count: 2 } }, { payload: 'y', parts: { id: 'P0', index: 1, count: 2 } }]);
  });

  it('concatenation: complete sequences of the listed topics, in topic order', async () => {
    await h.deploy([injectNode('in', ['b']),
      { id: 'b', type: 'batch', z: TAB, name: 'b', mode: 'concat', count: '10', overlap: '0', interval: '10', allowEmptySequence: false, topics: [{ topic: 'a' }, { topic: 'b' }], wires: [['db']] },
      debugNode('db')]);
    await h.inject('in', props(1, { topic: 'b', parts: { id: 'q1', index: 0, count: 1 } }));
    await h.inject('in', props(2, { topic: 'a', parts: { id: 'q2', index: 0, count: 2 } }));
    await h.inject('in', props(3, { topic: 'a', parts: { id: 'q2', index: 1, count: 2 } }));
    const out = await h.waitFor('db', 3);
    expect(normalised(out).map((m) => [m.payload, m.topic, m.parts.id, m.parts.index, m.parts.count])).toEqual([
      [2, 'a', 'P0', 0, 3], [3, 'a', 'P0', 1, 3], [1, 'b', 'P0', 2, 3],
    ]);
  });
});
