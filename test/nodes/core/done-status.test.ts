// What Node-RED's own nodes tell the runtime besides their messages, as Crimson passes it on: done() to
// complete nodes (when a node is finished with a message, also after timers, child processes, I/O and promises),
// status() to status nodes, and messages with msg.req/msg.res kept through the nodes that clone them
// (RED.util.cloneMessage) so that an http response still answers.
// Every expectation below was observed on Node-RED 4.1.15 running the same flows (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, debugNode, injectNode, props, useCoreHarness, type NodeDef } from './harness.js';
import { until } from '../../comms/ws-client.js';

const h = useCoreHarness();

const nodes: Record<string, NodeDef> = {
  sw: { id: 'sw', type: 'switch', z: TAB, name: 'sw', property: 'payload', propertyType: 'msg', rules: [{ t: 'eq', v: 'zz', vt: 'str' }], checkall: 'true', repair: false, outputs: 1, wires: [[]] },
  dl: { id: 'dl', type: 'delay', z: TAB, name: 'dl', pauseType: 'delay', timeout: '50', timeoutUnits: 'milliseconds', rate: '1', nbRateUnits: '1', rateUnits: 'second', randomFirst: '1', randomLast: '5', randomUnits: 'seconds', drop: false, allowrate: false, outputs: 1, wires: [[]] },
  js: { id: 'js', type: 'json', z: TAB, name: 'js', property: 'payload', action: '', pretty: false, wires: [[]] },
  tp: { id: 'tp', type: 'template', z: TAB, name: 'tp', field: 'payload', fieldType: 'msg', format: 'handlebars', syntax: 'mustache', template: 'x', output: 'str', wires: [[]] },
  rb: { id: 'rb', type: 'rbe', z: TAB, name: 'rb', func: 'rbe', gap: '', start: '', inout: 'out', septopics: true, property: 'payload', topi: 'topic', wires: [[]] },
  ex: { id: 'ex', type: 'exec', z: TAB, name: 'ex', command: 'true', addpay: '', append: '', useSpawn: 'false', timer: '', winHide: false, oldrc: false, wires: [[], [], []] },
  jn: { id: 'jn', type: 'join', z: TAB, name: 'jn', mode: 'custom', build: 'array', property: 'payload', propertyType: 'msg', key: 'topic', joiner: '\\n', joinerType: 'str', accumulate: false, timeout: '', count: '2', reduceRight: false, wires: [[]] },
  srt: { id: 'srt', type: 'sort', z: TAB, name: 'srt', order: 'ascending', as_num: false, target: 'payload', targetType: 'msg', msgKey: 'payload', msgKeyType: 'elem', seqKey: 'payload', seqKeyType: 'msg', wires: [[]] },
  rg: { id: 'rg', type: 'range', z: TAB, name: 'rg', minin: '0', maxin: '10', minout: '0', maxout: '100', action: 'scale', round: false, property: 'payload', wires: [[]] },
  tr: { id: 'tr', type: 'trigger', z: TAB, name: 'tr', op1: '1', op2: '0', op1type: 'str', op2type: 'str', duration: '50', extend: false, overrideDelay: false, units: 'ms', reset: '', bytopic: 'all', topic: 'topic', outputs: 1, wires: [[]] },
};

describe('done() and status()', () => {
  it('complete nodes hear from each node once it is done with a message; status nodes get the statuses', async () => {
    const ids = Object.keys(nodes);
    await h.deploy([
      injectNode('in', ids), ...Object.values(nodes),
      { id: 'cmp', type: 'complete', z: TAB, name: 'cmp', scope: ids, uncaught: false, wires: [['dcmp']] },
      { id: 'st', type: 'status', z: TAB, name: 'st', scope: ['ex', 'tr'], wires: [['dst']] },
      debugNode('dcmp'), debugNode('dst'),
    ]);
    await h.inject('in', props('[3,1]', {}, 'str'));
    // switch (no rule matched) and rbe (first value) do not call done; join only when its group is sent
    const first = ['js', 'tp', 'srt', 'rg', 'tr', 'ex', 'dl'];
    await until(() => h.shown('dcmp').length >= first.length, 3000, 'the complete messages');
    const sources = () => h.shown('dcmp').map((m) => m.complete.source);
    expect(sources().map((s) => s.id).sort()).toEqual([...first].sort());
    expect(sources().find((s) => s.id === 'ex')).toEqual({ id: 'ex', type: 'exec', name: 'ex' });
    // the complete message is the finished one: the exec's carries the return code
    expect(h.shown('dcmp').find((m) => m.complete.source.id === 'ex')!.rc).toEqual({ code: 0 });
    // (the first four are done as soon as they handled the message: in the order they got it)
    expect(sources().slice(0, 4).map((s) => s.id)).toEqual(['js', 'tp', 'srt', 'rg']);
    await h.inject('in', props('5', {}, 'str'));
    await until(() => h.shown('dcmp').filter((m) => m.complete.source.id === 'jn').length === 2, 3000, 'the join');
    await until(() => h.shown('dcmp').length >= 2 * first.length + 2, 3000, 'the complete messages');
    await h.waitFor('dst', 8);
    expect(h.shown('dst').map((m) => [m.status.source.id, m.status.text, m.status.fill])).toEqual(expect.arrayContaining([
      ['ex', expect.stringMatching(/^pid:\d+$/), 'blue'], ['ex', undefined, undefined], ['tr', undefined, 'blue'], ['tr', undefined, undefined],
    ]));
    expect(h.shown('dst').length).toBe(8);
  });
});

describe('http messages through nodes that clone them', () => {
  it('msg.req and msg.res survive delay, trigger, template, switch, xml and json: each request is answered', async () => {
    const hin = (id: string, url: string, wires: string[], method = 'get'): NodeDef => ({ id, type: 'http in', z: TAB, url, method, upload: false, swaggerDoc: '', wires: [wires] });
    await h.deploy([
      { id: 'res', type: 'http response', z: TAB, name: '', statusCode: '', headers: {}, wires: [] },
      hin('h1', '/core-dl', ['dl']),
      { ...nodes.dl!, wires: [['tp']] },
      { ...nodes.tp!, template: 'Hello {{req.query.name}}', wires: [['res']] },
      hin('h2', '/core-tr', ['tr']),
      { ...nodes.tr!, op1type: 'nul', op2: 'late', wires: [['res']] },
      hin('h3', '/core-sw', ['sw']),
      { ...nodes.sw!, property: 'req.query.x', rules: [{ t: 'eq', v: '1', vt: 'str' }, { t: 'else' }], outputs: 2, wires: [['one'], ['other']] },
      { id: 'one', type: 'change', z: TAB, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'one', tot: 'str' }], wires: [['res']] },
      { id: 'other', type: 'change', z: TAB, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'other', tot: 'str' }], wires: [['res']] },
      hin('h4', '/core-xml', ['xml'], 'post'),
      { id: 'xml', type: 'xml', z: TAB, property: 'payload', attr: '', chr: '', wires: [['js']] },
      { ...nodes.js!, action: 'str', pretty: true, wires: [['res']] },
    ]);
    const base = h.c.url;
    const get = async (p: string) => { const r = await fetch(base + p); return [r.status, await r.text()]; };
    expect(await get('core-dl?name=Ann')).toEqual([200, 'Hello Ann']);
    expect(await get('core-tr')).toEqual([200, 'late']);
    expect(await get('core-sw?x=1')).toEqual([200, 'one']);
    expect(await get('core-sw?x=2')).toEqual([200, 'other']);
    const r = await fetch(base + 'core-xml', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '<a><b>1</b></a>' });
    expect([r.status, r.headers.get('content-type'), await r.text()]).toEqual([200, 'text/html; charset=utf-8', '{\n    "a": {\n        "b": [\n            "1"\n        ]\n    }\n}']);
  });
});
