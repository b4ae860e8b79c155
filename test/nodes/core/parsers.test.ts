// The parser nodes (json, xml, yaml, csv, html): Node-RED's implementations run by Crimson — conversions both
// ways, options, JSON-schema validation (msg.schema, ajv) and its errors, parse errors to catch nodes, the
// catalogue texts of their warnings and statuses, and msg.parts of the messages they split.
// Every expectation below was observed on Node-RED 4.1.15 running the same flows (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, catchAll, debugNode, injectNode, props, useCoreHarness, withoutId, type NodeDef } from './harness.js';
import { jsonParseMessage } from '../../helpers/json-error.js';

const h = useCoreHarness();

const json = (id: string, extra: Record<string, unknown> = {}): NodeDef =>
  ({ id, type: 'json', z: TAB, name: id, property: 'payload', action: '', pretty: false, wires: [[`d${id}`]], ...extra });
const csv = (id: string, extra: Record<string, unknown> = {}): NodeDef => ({
  id, type: 'csv', z: TAB, name: id, spec: 'rfc', sep: ',', hdrin: '', hdrout: 'none', multi: 'one', ret: '\\n', temp: '', skip: '0',
  strings: true, include_empty_strings: '', include_null_values: '', wires: [[`d${id}`]], ...extra,
});
const payloads = (id: string) => h.shown(id).map((m) => m.payload);
const errorsOf = (caught: Array<Record<string, any>>, id: string) => caught.filter((m) => m.error.source.id === id).map((m) => m.error.message);
const SCHEMA = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'string', maxLength: 2 } }, required: ['a'] };

describe('json', () => {
  it('converts both ways (toggle), or only to a string / an object; pretty; another property', async () => {
    await h.deploy([injectNode('in', ['j', 'jstr', 'jobj', 'jpretty', 'jprop']), json('j'), json('jstr', { action: 'str' }), json('jobj', { action: 'obj' }),
      json('jpretty', { action: 'str', pretty: true }), json('jprop', { property: 'data' }),
      ...['j', 'jstr', 'jobj', 'jpretty', 'jprop'].map((i) => debugNode(`d${i}`)), ...catchAll()]);
    await h.inject('in', props('{"a":1,"b":"xy"}', { data: '[1,2]' }, 'str'));
    await h.inject('in', props({ a: 1, b: [true, null] }, { data: { x: 1 } }));
    await h.inject('in', props(42));
    await h.inject('in', props(JSON.stringify([...Buffer.from('[1,2]')]), {}, 'bin'));
    await h.inject('in', []);
    for (const id of ['dj', 'djstr', 'djobj', 'djpretty', 'djprop']) await h.waitFor(id, 5);
    expect(h.shown('dj').map(withoutId)).toEqual([
      { payload: { a: 1, b: 'xy' }, data: '[1,2]' }, { payload: '{"a":1,"b":[true,null]}', data: { x: 1 } }, { payload: '42' },
      { payload: [1, 2] }, {},
    ]);
    // a Buffer is parsed by toggle and "to object", left alone by "to string"
    expect(payloads('djstr')).toEqual(['{"a":1,"b":"xy"}', '{"a":1,"b":[true,null]}', '42', Buffer.from('[1,2]'), undefined]);
    expect(payloads('djobj')).toEqual([{ a: 1, b: 'xy' }, { a: 1, b: [true, null] }, 42, [1, 2], undefined]);
    expect(payloads('djpretty')[1]).toBe('{\n    "a": 1,\n    "b": [\n        true,\n        null\n    ]\n}');
    expect(h.shown('djprop').map((m) => m.data)).toEqual([[1, 2], '{"x":1}', undefined, undefined, undefined]);
    expect(h.shown('caught')).toEqual([]);
  });

  it('a parse error is caught with JSON.parse\'s message; the message goes no further', async () => {
    await h.deploy([injectNode('in', ['j', 'jstr']), json('j'), json('jstr', { action: 'str' }), debugNode('dj'), debugNode('djstr'), ...catchAll()]);
    await h.inject('in', props('{bad', {}, 'str'));
    const [c] = await h.waitFor('caught', 1);
    expect(withoutId(c!)).toEqual({
      payload: '{bad',
      error: { message: jsonParseMessage('{bad'), source: { id: 'j', type: 'json', name: 'j', count: 1 } },
    });
    await h.waitFor('djstr', 1);
    expect(payloads('djstr')).toEqual(['{bad']);
    expect(h.shown('dj')).toEqual([]);
  });

  it('msg.schema validates the object (parsed or not); failures carry msg.schemaError; a bad schema is an error', async () => {
    await h.deploy([injectNode('in', ['j', 'jobj']), json('j'), json('jobj', { action: 'obj' }), debugNode('dj'), debugNode('djobj'), ...catchAll()]);
    await h.inject('in', props('{"a":1,"b":"xy"}', { schema: SCHEMA }, 'str'));
    await h.waitFor('dj', 1);
    await h.inject('in', props('{"a":"no","b":"long"}', { schema: SCHEMA }, 'str'));
    await h.inject('in', props({ b: 'x' }, { schema: SCHEMA }));
    await h.inject('in', props({ a: 1 }, { schema: { type: 'nonsense' } }));
    const caught = await h.waitFor('caught', 6);
    // a message that passes loses msg.schema
    expect(withoutId(h.shown('dj')[0]!)).toEqual({ payload: { a: 1, b: 'xy' } });
    expect(errorsOf(caught, 'j')).toEqual([
      'JSON Schema error: data/a must be number, data/b must NOT have more than 2 characters',
      'JSON Schema error: data must have required property \'a\'',
      'JSON Schema error: failed to compile schema',
    ]);
    expect(errorsOf(caught, 'jobj')).toEqual(errorsOf(caught, 'j'));
    const failed = caught.find((m) => m.error.source.id === 'j')!;
    expect(failed.payload).toEqual({ a: 'no', b: 'long' });
    expect(failed.schemaError).toEqual([
      { instancePath: '/a', schemaPath: '#/properties/a/type', keyword: 'type', params: { type: 'number' }, message: 'must be number' },
      { instancePath: '/b', schemaPath: '#/properties/b/maxLength', keyword: 'maxLength', params: { limit: 2 }, message: 'must NOT have more than 2 characters' },
    ]);
    expect(caught.find((m) => m.error.message.includes('compile'))!.schemaError).toBeUndefined();
    expect(payloads('djobj')).toEqual([{ a: 1, b: 'xy' }]);
  });
});

describe('xml and yaml', () => {
  it('xml: string to object (attributes and text under $ and _, or chosen keys), object to string; others warn', async () => {
    await h.deploy([injectNode('in', ['x', 'xo']),
      { id: 'x', type: 'xml', z: TAB, name: 'x', property: 'payload', attr: '', chr: '', wires: [['dx']] },
      { id: 'xo', type: 'xml', z: TAB, name: 'xo', property: 'payload', attr: 'AT', chr: 'TX', wires: [['dxo']] },
      debugNode('dx'), debugNode('dxo'), ...catchAll()]);
    await h.inject('in', props('<r a="1"><i>x</i><i b="2">y</i></r>', {}, 'str'));
    await h.inject('in', props({ a: 1, b: [true, null] }));
    await h.inject('in', props(5));
    await h.inject('in', props('not xml', {}, 'str'));
    await h.waitFor('dx', 2);
    await h.waitFor('caught', 2);
    expect(payloads('dx')).toEqual([
      { r: { $: { a: '1' }, i: ['x', { _: 'y', $: { b: '2' } }] } },
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><root><a>1</a><b>true</b><b/></root>',
    ]);
    expect(payloads('dxo')[0]).toEqual({ r: { AT: { a: '1' }, i: ['x', { TX: 'y', AT: { b: '2' } }] } });
    expect(await h.waitForSidebar(2)).toEqual([
      { level: 30, id: 'x', type: 'xml', msg: 'This node only handles xml strings or js objects.' },
      { level: 30, id: 'xo', type: 'xml', msg: 'This node only handles xml strings or js objects.' },
    ]);
    expect(h.shown('caught').map((m) => m.error.message)).toEqual([
      'Error: Non-whitespace before first tag.\nLine: 0\nColumn: 1\nChar: n', 'Error: Non-whitespace before first tag.\nLine: 0\nColumn: 1\nChar: n',
    ]);
  });

  it('yaml: string to object, object to string; a parse error is caught; others are ignored with a warning', async () => {
    await h.deploy([injectNode('in', ['y']), { id: 'y', type: 'yaml', z: TAB, name: 'y', property: 'payload', wires: [['dy']] }, debugNode('dy'), ...catchAll()]);
    await h.inject('in', props('a: 1\nb: [x, 2]', {}, 'str'));
    await h.inject('in', props([{ a: 1, b: 'q;r', c: null }, { a: '' }]));
    await h.inject('in', props('a: [', {}, 'str'));
    await h.inject('in', props(true));
    await h.waitFor('dy', 2);
    await h.waitFor('caught', 1);
    await h.waitForLog(/\[yaml:y\] Ignored/);
    expect(payloads('dy')).toEqual([{ a: 1, b: ['x', 2] }, "- a: 1\n  b: q;r\n  c: null\n- a: ''\n"]);
    expect(h.shown('caught')[0]!.error).toEqual({
      message: 'unexpected end of the stream within a flow collection (2:1)\n\n 1 | a: [\n 2 | \n-----^', source: { id: 'y', type: 'yaml', name: 'y', count: 1 },
    });
    expect(h.logs().filter((l) => l.includes('[yaml:y]'))).toEqual(['[warn] [yaml:y] Ignored unsupported payload type']);
  });
});

describe('csv', () => {
  it('parses with a header row into one message per row (msg.parts) or one array; numbers unless strings', async () => {
    await h.deploy([injectNode('in', ['one', 'all']), csv('one', { hdrin: true }), csv('all', { hdrin: true, multi: 'mult', strings: false }),
      debugNode('done'), debugNode('dall'), ...catchAll()]);
    await h.inject('in', props('a,b,c\n1,"x,y",\n2,3,4\n', {}, 'str'));
    const rows = await h.waitFor('done', 2);
    expect(rows.map(withoutId)).toEqual([
      { payload: { a: 1, b: 'x,y' }, columns: 'a,b,c', parts: { id: rows[0]!._msgid, index: 0, count: 2 } },
      { payload: { a: 2, b: 3, c: 4 }, columns: 'a,b,c', parts: { id: rows[0]!._msgid, index: 1, count: 2 } },
    ]);
    const [all] = await h.waitFor('dall', 1);
    expect(withoutId(all!)).toEqual({ payload: [{ a: '1', b: 'x,y' }, { a: '2', b: '3', c: '4' }], columns: 'a,b,c' });
  });

  it('objects to CSV: columns from the template, a header line, null and empty values kept when asked', async () => {
    await h.deploy([injectNode('in', ['hdr', 'none']),
      csv('hdr', { sep: ';', hdrout: 'all', ret: '\\r\\n', temp: 'a,b,c', include_empty_strings: true, include_null_values: true }),
      csv('none', {}), debugNode('dhdr'), debugNode('dnone'), ...catchAll()]);
    await h.inject('in', props([{ a: 1, b: 'q;r', c: null }, { a: '', b: 2 }]));
    const [m] = await h.waitFor('dhdr', 1);
    expect(withoutId(m!)).toEqual({ payload: 'a;b;c\r\n1;"q;r";null\r\n;2;\r\n', columns: 'a,b,c' });
    const [n] = await h.waitFor('dnone', 1);
    expect(withoutId(n!)).toEqual({ payload: '1,q;r\n,2,\n', columns: 'a,b,c' });
  });

  it('what it cannot convert: a warning with the catalogue text, an error to catch, a status', async () => {
    await h.deploy([injectNode('in', ['c']), csv('c', { hdrin: true }), debugNode('dc'), ...catchAll()]);
    await h.inject('in', props(42));
    const [c] = await h.waitFor('caught', 1);
    expect(c!.error).toEqual({
      message: 'Error: This node only handles CSV strings or js objects.', source: { id: 'c', type: 'csv', name: 'c', count: 1 }, stack: expect.any(String),
    });
    await h.waitForStatus('c', (s) => s.fill === 'red');
    expect(h.statuses('c')).toEqual([{ text: 'This node only handles CSV strings or js objects.', fill: 'red', shape: 'dot' }]);
    expect(h.shown('dc')).toEqual([]);
  });
});

describe('html', () => {
  it('selects elements: their html, text or attributes, in one array or one message each', async () => {
    const html = (id: string, extra: Record<string, unknown>): NodeDef =>
      ({ id, type: 'html', z: TAB, name: id, property: 'payload', outproperty: 'payload', tag: 'li', ret: 'html', as: 'single', chr: '', wires: [[`d${id}`]], ...extra });
    await h.deploy([injectNode('in', ['h', 'ht', 'ha', 'hm']), html('h', {}), html('ht', { ret: 'text' }), html('ha', { ret: 'attr' }),
      html('hm', { outproperty: 'out', ret: 'compl', as: 'multi', chr: 'content' }),
      debugNode('dh'), debugNode('dht'), debugNode('dha'), debugNode('dhm'), ...catchAll()]);
    const page = '<ul><li>one</li><li class="c">two <b>2</b></li></ul>';
    await h.inject('in', props(page, {}, 'str'));
    await h.waitFor('dh', 1);
    expect(payloads('dh')).toEqual([['one', 'two <b>2</b>']]);
    await h.waitFor('dht', 1);
    expect(payloads('dht')).toEqual([['one', 'two 2']]);
    await h.waitFor('dha', 1);
    expect(payloads('dha')).toEqual([[{}, { class: 'c' }]]);
    const parts = await h.waitFor('dhm', 2);
    expect(parts.map(withoutId)).toEqual([
      { payload: page, out: { content: 'one' }, parts: { id: parts[0]!._msgid, index: 0, count: 2, type: 'string', ch: '' } },
      { payload: page, out: { content: 'two <b>2</b>', class: 'c' }, parts: { id: parts[0]!._msgid, index: 1, count: 2, type: 'string', ch: '' } },
    ]);
  });
});
