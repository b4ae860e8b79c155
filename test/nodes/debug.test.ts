import { describe, it, expect } from 'vitest';
import register from '../../src/nodes/debug.js';
import { eventually, fakeRed } from './fake-red.js';

// Expected log lines, statuses and sidebar messages were observed on Node-RED 4.1.15 (the same configs
// and messages, console output read from its log, statuses through a status node, sidebar from /comms).
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const INFO = 40;
const ERROR = 20;

function debugNode(config: Record<string, unknown>, settings?: Record<string, unknown>) {
  const red = fakeRed(register, settings);
  const node = red.create({ type: 'debug', name: 'dbg', wires: [], ...config });
  const statuses = () => red.flow.statuses.filter((s) => s.id === node.id).map((s) => s.status);
  return { ...red, node, statuses };
}

describe('debug node: console output', () => {
  it('logs the payload as Node-RED prints it', () => {
    const { node, flow } = debugNode({ complete: 'false', console: true });
    const payloads = ['hello', 'a\nb', { a: 1, b: [1, 2], c: { d: { e: { f: { g: { h: 1 } } } } } }, 5, undefined, true,
      Buffer.from([1, 2]), null, [1, 'x']];
    for (const p of payloads) node.receive(p === undefined ? {} : { payload: p });
    expect(flow.logged(INFO)).toEqual([
      'hello',
      '\na\nb',
      '\n{\n  a: 1,\n  b: [ 1, 2 ],\n  c: {\n    d: {\n      e: { f: { g: { h: 1 } } }\n    }\n  }\n}',
      '5',
      'undefined',
      'true',
      '\n<Buffer 01 02>',
      '\nnull',
      "\n[ 1, 'x' ]",
    ]);
    expect(flow.completed.length).toBe(payloads.length);
  });

  it('logs the whole message, a property or a JSONata result', async () => {
    const whole = debugNode({ complete: 'true', console: true });
    whole.node.receive({ _msgid: 'm1', payload: 'x', topic: 't' });
    expect(whole.flow.logged(INFO)).toEqual(["\n{ _msgid: 'm1', payload: 'x', topic: 't' }"]);

    const wholeBool = debugNode({ complete: true, console: true });
    wholeBool.node.receive({ _msgid: 'm2', payload: 'b' });
    expect(wholeBool.flow.logged(INFO)).toEqual(["\n{ _msgid: 'm2', payload: 'b' }"]);

    const topic = debugNode({ complete: 'topic', console: true });
    topic.node.receive({ payload: 'x', topic: 'the-topic' });
    topic.node.receive({ payload: 1 });
    expect(topic.flow.logged(INFO)).toEqual(['the-topic', 'undefined']);

    const missingParent = debugNode({ complete: 'a.b.c', console: true });
    missingParent.node.receive({ payload: 'x' });
    expect(missingParent.flow.logged(INFO)).toEqual(['undefined']);

    const falseBool = debugNode({ complete: false, console: 'true' });
    falseBool.node.receive({ payload: 'boolean-false-complete' });
    expect(falseBool.flow.logged(INFO)).toEqual(['boolean-false-complete']);

    const expr = debugNode({ complete: 'payload & "!"', targetType: 'jsonata', console: true });
    expr.node.receive({ payload: 'x' });
    await eventually(() => expect(expr.flow.logged(INFO)).toEqual(['x!']));
  });

  it('reports a failing JSONata expression by its text and does not complete the message', async () => {
    const { node, flow } = debugNode({ complete: '$error("bad")', targetType: 'jsonata', console: true });
    node.receive({ payload: 'x' });
    await eventually(() => expect(flow.logged(ERROR)).toEqual(['Invalid JSONata expression: $error("bad")']));
    expect(flow.completed).toEqual([]);
  });

  it('a JSONata expression that does not compile leaves the node without input handling', () => {
    const { node, flow } = debugNode({ complete: 'payload +', targetType: 'jsonata', console: true });
    expect(flow.logged(ERROR)).toEqual(['Invalid JSONata expression: payload +']);
    node.receive({ payload: 'x' });
    expect(flow.logged(INFO)).toEqual([]);
  });

  it('an inactive node still logs to the console but publishes nothing', () => {
    const { node, flow, published } = debugNode({ console: true, active: false });
    node.receive({ payload: 'inactive' });
    expect(flow.logged(INFO)).toEqual(['inactive']);
    expect(published).toEqual([]);
  });

  it('ignores status events of its own', () => {
    const { node, flow, published } = debugNode({ console: true });
    node.receive({ status: { text: 'x', source: { id: node.id } } });
    expect(flow.logged(INFO)).toEqual([]);
    expect(published).toEqual([]);
    expect(flow.completed).toEqual([node.id]);
  });
});

describe('debug node: status', () => {
  it('sets an empty status when created (a counter shows 0)', () => {
    expect(debugNode({}).statuses()).toEqual([{ fill: '', shape: '', text: '' }]);
    expect(debugNode({ tostatus: true }).statuses()).toEqual([{ fill: 'grey', shape: 'ring' }, { fill: '', shape: '', text: '' }]);
    expect(debugNode({ tostatus: true, statusType: 'counter' }).statuses()).toEqual([
      { fill: 'grey', shape: 'ring' }, { fill: 'blue', shape: 'ring', text: 0 },
    ]);
  });

  it('auto: the value cut to 32 characters, msg.error and msg.status win, repeats are not re-sent', () => {
    const { node, statuses } = debugNode({ complete: 'false', tostatus: true, statusType: 'auto' });
    for (const m of [{ payload: 'short' }, { payload: 'short' }, { payload: 'this is a rather long string of more than 32 chars' },
      { payload: { a: 1 } }, { payload: 5, error: { message: 'err text' } }, { payload: 5, status: { fill: 'green', text: 'st' } },
      { payload: { fill: 'yellow', shape: 'dot', text: 'own' } }]) node.receive(m);
    expect(statuses().slice(2)).toEqual([
      { fill: 'grey', shape: 'dot', text: 'short' },
      { fill: 'grey', shape: 'dot', text: 'this is a rather long string of ...' },
      { fill: 'grey', shape: 'dot', text: '{ a: 1 }' },
      { fill: 'red', shape: 'dot', text: 'err text' },
      { fill: 'green', shape: 'ring', text: 'st' },
      { fill: 'yellow', shape: 'dot', text: 'own' },
    ]);
  });

  it('honours debugStatusLength', () => {
    const { node, statuses } = debugNode({ tostatus: true }, { debugStatusLength: 4 });
    node.receive({ payload: 'abcdefgh' });
    expect(statuses().at(-1)).toEqual({ fill: 'grey', shape: 'dot', text: 'abcd...' });
  });

  it('auto with the whole message shows the payload; msg and jsonata types show their value', async () => {
    const whole = debugNode({ complete: 'true', tostatus: true, statusType: 'auto' });
    whole.node.receive({ payload: 'P', topic: 'T' });
    expect(whole.statuses().at(-1)).toEqual({ fill: 'grey', shape: 'dot', text: 'P' });

    const prop = debugNode({ complete: 'false', tostatus: true, statusType: 'msg', statusVal: 'topic' });
    prop.node.receive({ payload: 'P', topic: 'T' });
    prop.node.receive({ payload: 'P', error: { message: 'x' } });
    expect(prop.statuses().slice(2)).toEqual([{ fill: 'grey', shape: 'dot', text: 'T' }, { fill: 'grey', shape: 'dot', text: 'undefined' }]);

    const expr = debugNode({ complete: 'false', tostatus: true, statusType: 'jsonata', statusVal: 'payload & "?"' });
    expr.node.receive({ payload: 'P' });
    await eventually(() => expect(expr.statuses().at(-1)).toEqual({ fill: 'grey', shape: 'dot', text: 'P?' }));
  });

  it('counter: counts messages, a burst updates once it is over', async () => {
    const { node, statuses } = debugNode({ tostatus: true, statusType: 'counter' });
    await wait(110);
    for (let i = 0; i < 3; i++) node.receive({ payload: i });
    expect(statuses().slice(2)).toEqual([{ fill: 'blue', shape: 'ring', text: 1 }]);
    await eventually(() => expect(statuses().slice(2)).toEqual([{ fill: 'blue', shape: 'ring', text: 1 }, { fill: 'blue', shape: 'ring', text: 3 }]));
  });

  it('auto with an error lacking a message fails like Node-RED (reported, not completed)', () => {
    const { node, flow } = debugNode({ tostatus: true, statusType: 'auto' });
    flow.catching = false;
    node.receive({ payload: 5, error: { code: 1 } });
    expect(flow.logged(ERROR)).toEqual(["TypeError: Cannot read properties of undefined (reading 'length')"]);
    expect(flow.completed).toEqual([]);
  });

  it('clears its status when closed', async () => {
    const { node, statuses } = debugNode({ tostatus: true });
    await node.close(false);
    expect(statuses().at(-1)).toEqual({});
  });
});

describe('debug node: sidebar messages', () => {
  it('publishes the encoded B7 shape on topic debug', async () => {
    const named = debugNode({ name: '', complete: 'false' });
    named.node.receive({ _msgid: 'abc', payload: { a: 1 }, topic: 'T' });
    expect(named.published.map((p) => p.topic)).toEqual(['debug']);
    expect(JSON.stringify(named.published[0]!.data)).toBe(
      `{"id":"${named.node.id}","z":"flow1","path":"flow1","name":"","topic":"T","property":"payload","msg":"{\\"a\\":1}","format":"Object"}`);

    const whole = debugNode({ name: undefined, complete: 'true' });
    whole.node.receive({ _msgid: 'abc', payload: { a: 1 }, topic: 'T' });
    expect(JSON.stringify(whole.published[0]!.data)).toBe(
      `{"id":"${whole.node.id}","z":"flow1","path":"flow1","topic":"T","msg":"{\\"_msgid\\":\\"abc\\",\\"payload\\":{\\"a\\":1},\\"topic\\":\\"T\\"}","format":"Object"}`);

    const expr = debugNode({ name: 'j', complete: 'payload', targetType: 'jsonata' });
    expr.node.receive({ _msgid: 'abc', payload: 'x'.repeat(1005) });
    await eventually(() => expect(expr.published.length).toBe(1));
    const data = expr.published[0]!.data;
    expect(Object.keys(JSON.parse(JSON.stringify(data)))).toEqual(['id', 'z', 'path', 'name', 'msg', 'format']);
    expect(data.msg).toBe('x'.repeat(1000) + '...');
    expect(data.format).toBe('string[1005]');
  });

  it('honours debugMaxLength and tosidebar', () => {
    const short = debugNode({}, { debugMaxLength: 3 });
    short.node.receive({ payload: 'abcdef' });
    expect(short.published[0]!.data.msg).toBe('abc...');
    const off = debugNode({ tosidebar: false });
    off.node.receive({ payload: 'abcdef' });
    expect(off.published).toEqual([]);
  });

  it('registers the view and enable/disable admin routes', () => {
    expect(debugNode({}).routes).toEqual(['GET /debug/view/view.html', 'GET /debug/view/*', 'POST /debug/:state', 'POST /debug/:id/:state']);
  });
});
