// template: Node-RED's implementation run by Crimson — mustache over the message with flow/global context
// (several stores) and env, json/yaml output, plain text, msg.template, output to context, parse errors,
// and where its (promise-driven) output falls among the outputs of other nodes.
// Every expectation below was observed on Node-RED 4.1.15 running the same flows (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, catchAll, debugNode, injectNode, props, useCoreHarness, withoutId, type NodeDef } from './harness.js';

const h = useCoreHarness({ settings: { contextStorage: { default: { module: 'memory' }, other: { module: 'memory' } } } });

const template = (id: string, text: string, extra: Record<string, unknown> = {}): NodeDef => ({
  id, type: 'template', z: TAB, name: id, field: 'payload', fieldType: 'msg', format: 'handlebars', syntax: 'mustache',
  template: text, output: 'str', wires: [[`d${id}`]], ...extra,
});
/** A function node setting flow and global context (default and `other` store), then passing the message on. */
const setContext = (wires: string[]): NodeDef => ({
  id: 'ctx', type: 'function', z: TAB, outputs: 1, wires: [wires],
  func: "flow.set('x', {y: 'fy'}); flow.set('arr', [1, 2]); global.set('g', 42); flow.set('x', 'other-x', 'other'); global.set('g', {n: 7}, 'other'); return msg;",
});
const ENV = [{ name: 'FOO', value: 'bar', type: 'str' }, { name: 'N', value: '5', type: 'num' }];

describe('template', () => {
  it('mustache: message, flow/global context of each store, env; HTML-escaped unless triple braces', async () => {
    const text = 'Hi {{payload}} {{topic}} f={{flow.x.y}} g={{global.g}} fo={{flow[other].x}} go={{global[other].g.n}} ' +
      'e={{env.FOO}} n={{env.N}} miss=[{{nope}}] raw={{{payload}}} {{#flow.arr}}<{{.}}>{{/flow.arr}}';
    await h.deploy([injectNode('in', ['ctx']), setContext(['t']), template('t', text), debugNode('dt')], { tabEnv: ENV });
    await h.inject('in', props('<b>&"x\'', { topic: 'T' }, 'str'));
    const [m] = await h.waitFor('dt', 1);
    expect(withoutId(m!)).toEqual({
      payload: 'Hi &lt;b&gt;&amp;&quot;x&#39; T f=fy g=42 fo=other-x go=7 e=bar n=5 miss=[] raw=<b>&"x\' <1><2>',
      topic: 'T',
    });
  });

  it('sections over message arrays; output to a nested message property', async () => {
    await h.deploy([injectNode('in', ['t']), template('t', '{{payload.a}}-{{#payload.list}}[{{name}}]{{/payload.list}}', { field: 'out.txt' }), debugNode('dt')]);
    await h.inject('in', props({ a: 1, list: [{ name: 'p' }, { name: 'q' }] }));
    const [m] = await h.waitFor('dt', 1);
    expect(withoutId(m!)).toEqual({ payload: { a: 1, list: [{ name: 'p' }, { name: 'q' }] }, out: { txt: '1-[p][q]' } });
  });

  it('json and yaml output are parsed; plain text is not rendered; msg.template is used when the node has none', async () => {
    await h.deploy([
      injectNode('in', ['ctx']), setContext(['js', 'ym', 'pl', 'mt']),
      template('js', '{"a": "{{payload}}", "n": {{global.g}}, "e": "{{env.FOO}}"}', { output: 'json' }),
      template('ym', 'a: {{global.g}}\nb:\n  - x\n  - "{{env.FOO}}"', { output: 'yaml' }),
      template('pl', 'plain {{payload}}', { syntax: 'plain' }),
      template('mt', ''),
      debugNode('djs'), debugNode('dym'), debugNode('dpl'), debugNode('dmt'),
    ], { tabEnv: ENV });
    await h.inject('in', props('v<1>', { topic: 'T', template: 'from msg {{topic}}' }, 'str'));
    const rest = { topic: 'T', template: 'from msg {{topic}}' };
    expect(withoutId((await h.waitFor('djs', 1))[0]!)).toEqual({ payload: { a: 'v&lt;1&gt;', n: 42, e: 'bar' }, ...rest });
    expect(withoutId((await h.waitFor('dym', 1))[0]!)).toEqual({ payload: { a: 42, b: ['x', 'bar'] }, ...rest });
    expect(withoutId((await h.waitFor('dpl', 1))[0]!)).toEqual({ payload: 'plain {{payload}}', ...rest });
    expect(withoutId((await h.waitFor('dmt', 1))[0]!)).toEqual({ payload: 'from msg T', ...rest });
  });

  it('output to flow context: the message goes on unchanged', async () => {
    await h.deploy([
      injectNode('in', ['t']), template('t', 'stored {{payload}}', { field: 'saved', fieldType: 'flow', wires: [['read']] }),
      { id: 'read', type: 'change', z: TAB, rules: [{ t: 'set', p: 'saved', pt: 'msg', to: 'saved', tot: 'flow' }], wires: [['dt']] },
      debugNode('dt'),
    ]);
    await h.inject('in', props('A', {}, 'str'));
    const [m] = await h.waitFor('dt', 1);
    expect(withoutId(m!)).toEqual({ payload: 'A', saved: 'stored A' });
  });

  it('errors: an unclosed tag, bad JSON and bad YAML are caught with the parser messages', async () => {
    await h.deploy([
      injectNode('in', ['tag', 'json', 'yaml']),
      template('tag', '{"a": {{payload}'), template('json', '{"a": {{payload}}', { output: 'json' }), template('yaml', 'a: [', { output: 'yaml' }),
      debugNode('dtag'), debugNode('djson'), debugNode('dyaml'), ...catchAll(),
    ]);
    await h.inject('in', props('x', {}, 'str'));
    const caught = await h.waitFor('caught', 3);
    const bySource = Object.fromEntries(caught.map((m) => [m.error.source.id, m.error]));
    expect(bySource.tag).toEqual({ message: 'Unclosed tag at 16', source: { id: 'tag', type: 'template', name: 'tag', count: 1 } });
    expect(bySource.json).toEqual({ message: 'Unexpected token \'x\', "{"a": x" is not valid JSON', source: { id: 'json', type: 'template', name: 'json', count: 1 } });
    expect(bySource.yaml).toEqual({
      message: 'unexpected end of the stream within a flow collection (2:1)\n\n 1 | a: [\n 2 | \n-----^',
      source: { id: 'yaml', type: 'template', name: 'yaml', count: 1 },
    });
    expect(caught.every((m) => m.payload === 'x')).toBe(true);
    expect([...h.shown('dtag'), ...h.shown('djson'), ...h.shown('dyaml')]).toEqual([]);
  });

  it('its output comes before that of a node the message reached after it (promise callbacks run between deliveries)', async () => {
    await h.deploy([
      injectNode('in', ['t', 'range', 'fn']), template('t', 'x', { wires: [['dA']] }),
      { id: 'range', type: 'range', z: TAB, minin: '0', maxin: '10', minout: '0', maxout: '100', action: 'scale', round: false, property: 'payload', wires: [['dB']] },
      { id: 'fn', type: 'function', z: TAB, func: 'return msg;', outputs: 1, wires: [['dC']] },
      debugNode('dA'), debugNode('dB'), debugNode('dC'),
    ]);
    await h.inject('in', props(5));
    await h.waitFor('dC', 1);
    await h.waitFor('dA', 1);
    await h.waitFor('dB', 1);
    const order = h.ws.messages().filter((m) => m.topic === 'debug' && ['dA', 'dB', 'dC'].includes((m.data as { id: string }).id))
      .map((m) => (m.data as { id: string }).id);
    expect(order).toEqual(['dA', 'dB', 'dC']);
  });
});
