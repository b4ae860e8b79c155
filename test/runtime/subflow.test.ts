// Subflow instances run as Node-RED runs them (COMPAT "subflows"). The expected values below are what
// Node-RED 4.1.15 sent over /comms for the same flows (recorded side by side with Crimson): internal ids
// `<instance>-<node>` with `_alias`, `z` = instance, path `<tab>/<instance>`; template env overridden per
// instance, NR_SUBFLOW_*; a flow context per instance with $parent; the status port as the instance's
// status; errors caught inside or bubbling to the parent's catch; nested subflows, link nodes and a
// pass-through port; template changes restarting the instances on a modified deploy; rewired instances.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, sleep, type TestClient } from '../comms/ws-client.js';
import { diffFlows } from '../../src/runtime/flows-diff.js';
import type { FlowConfig } from '../../src/runtime/types.js';

type N = Record<string, any>;
const fn = (id: string, z: string, func: string, wires: string[][], extra: N = {}): N =>
  ({ id, type: 'function', z, name: id, func, outputs: wires.length, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 100, y: 100, wires, ...extra });
const dbg = (id: string, z: string, complete: string): N =>
  ({ id, type: 'debug', z, name: id, active: true, tosidebar: true, console: false, tostatus: false, complete, targetType: complete === 'true' ? 'full' : 'msg', x: 300, y: 100, wires: [] });
const inject = (id: string, z: string, payload: string, wires: string[][]): N =>
  ({ id, type: 'inject', z, name: id, props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, topic: '', payload, payloadType: 'str', x: 50, y: 50, wires });

const F1 = `node.status({fill:'red',shape:'dot',text:'f1'});
msg.env = {FOO: env.get('FOO'), BAR: env.get('BAR'), REF: env.get('REF'), NAME: env.get('NR_SUBFLOW_NAME'), ID: env.get('NR_SUBFLOW_ID'), PATH: env.get('NR_SUBFLOW_PATH'), NODE_PATH: env.get('NR_NODE_PATH'), NODE_ID: env.get('NR_NODE_ID'), FLOW: env.get('NR_FLOW_NAME')};
flow.set('c', (flow.get('c')||0)+1);
msg.c = flow.get('c');
msg.parentT = flow.get('$parent.t');
return msg;`;

/** Subflow sf1 (env FOO, BAR, REF; status port) with two instances on tab t1, a catch and a status node. */
function flowA(): N[] {
  return [
    { id: 't1', type: 'tab', label: 'Tab 1', env: [{ name: 'T', value: 'tabval', type: 'str' }] },
    {
      id: 'sf1', type: 'subflow', name: 'SF', in: [{ x: 50, y: 30, wires: [{ id: 'f1' }] }],
      out: [{ x: 400, y: 30, wires: [{ id: 'f1', port: 0 }] }, { x: 400, y: 80, wires: [{ id: 'f2', port: 0 }] }],
      env: [{ name: 'FOO', type: 'str', value: 'default' }, { name: 'BAR', type: 'num', value: '5' }, { name: 'REF', type: 'env', value: 'T' }],
      status: { x: 300, y: 200, wires: [{ id: 'f3', port: 0 }] },
    },
    fn('f1', 'sf1', F1, [['f2', 'f3', 'dd', 'f4']]),
    fn('f2', 'sf1', "msg.payload = 'f2:' + msg.payload;\nreturn msg;", [[]]),
    fn('f3', 'sf1', "msg.payload = 'status ' + msg.c;\nreturn msg;", [[]]),
    fn('f4', 'sf1', "throw new Error('boom ' + msg.c);", [[]]),
    { ...dbg('dd', 'sf1', 'payload'), name: 'inner' },
    inject('i1', 't1', 'hello', [['ch']]),
    { id: 'ch', type: 'change', z: 't1', rules: [{ t: 'set', p: 't', pt: 'flow', to: 'tabctx', tot: 'str' }], x: 1, y: 1, wires: [['si1', 'si2']] },
    { id: 'si1', type: 'subflow:sf1', z: 't1', name: 'Inst', env: [{ name: 'FOO', type: 'str', value: 'override' }], x: 300, y: 100, wires: [['d1'], ['d2']] },
    { id: 'si2', type: 'subflow:sf1', z: 't1', x: 300, y: 200, wires: [['d1'], []] },
    dbg('d1', 't1', 'true'),
    dbg('d2', 't1', 'payload'),
    { id: 'c1', type: 'catch', z: 't1', scope: null, uncaught: false, x: 1, y: 1, wires: [['dc']] },
    dbg('dc', 't1', 'error'),
    { id: 'st1', type: 'status', z: 't1', scope: ['si1'], x: 1, y: 1, wires: [['ds']] },
    dbg('ds', 't1', 'status'),
  ];
}

/** Subflow sf2 holding an instance of sf3 (link out -> link in inside), a pass-through port, a catch. */
function flowD(): N[] {
  return [
    { id: 't2', type: 'tab', label: 'T2', env: [{ name: 'Y', value: 'ytab', type: 'str' }] },
    {
      id: 'sf2', type: 'subflow', name: 'Outer', in: [{ x: 50, y: 30, wires: [{ id: 'f5' }] }],
      out: [{ x: 400, y: 30, wires: [{ id: 'n3', port: 0 }] }, { x: 400, y: 80, wires: [{ id: 'sf2', port: 0 }] }],
      env: [{ name: 'X', type: 'str', value: 'x2' }, { name: 'Z', type: 'json', value: '{"a":1}' }],
    },
    { id: 'sf3', type: 'subflow', name: 'Inner', in: [{ x: 50, y: 30, wires: [{ id: 'f7' }] }], out: [{ x: 400, y: 30, wires: [{ id: 'li', port: 0 }] }], env: [{ name: 'X', type: 'str', value: 'x3' }] },
    fn('f5', 'sf2', "node.status('s5');\nreturn msg;", [['n3', 'f6']]),
    fn('f6', 'sf2', "throw new Error('f6 fails');", [[]]),
    { id: 'c2', type: 'catch', z: 'sf2', scope: ['f6'], uncaught: false, x: 1, y: 1, wires: [['dc2']] },
    dbg('dc2', 'sf2', 'error'),
    { id: 'n3', type: 'subflow:sf3', z: 'sf2', name: 'nested', x: 200, y: 100, wires: [[]] },
    fn('f7', 'sf3', "msg.payload='nested:'+msg.payload;\nmsg.path=env.get('NR_SUBFLOW_PATH');\nmsg.x=env.get('X');\nmsg.y=env.get('Y');\nmsg.zz=env.get('Z');\nmsg.nid=node.id;\nmsg.px=env.get('$parent.X');\nnode.status({text:'f7'});\nreturn msg;", [['lo']]),
    { id: 'lo', type: 'link out', z: 'sf3', mode: 'link', links: ['li'], x: 1, y: 1, wires: [] },
    { id: 'li', type: 'link in', z: 'sf3', links: ['lo'], x: 1, y: 1, wires: [[]] },
    inject('i2', 't2', 'p2', [['si3']]),
    { id: 'si3', type: 'subflow:sf2', z: 't2', x: 300, y: 100, wires: [['d3'], ['d4']] },
    dbg('d3', 't2', 'true'),
    dbg('d4', 't2', 'payload'),
    { id: 'st2', type: 'status', z: 't2', scope: null, x: 1, y: 1, wires: [['ds2']] },
    dbg('ds2', 't2', 'status'),
    { id: 'c3', type: 'catch', z: 't2', scope: null, uncaught: false, x: 1, y: 1, wires: [['dc3']] },
    dbg('dc3', 't2', 'error'),
  ];
}

let c: Started;
let ws: TestClient;
let mark = 0;
beforeEach(async () => {
  c = await startCrimson();
  ws = await openComms(commsUrl(c.url));
  ws.send({ subscribe: 'debug' });
  ws.send({ subscribe: 'status/#' });
  mark = 0;
});
afterEach(async () => { await ws.close(); await c.stop(); });

async function deploy(flows: unknown[], type = 'full'): Promise<void> {
  const res = await fetch(c.url + 'flows', { method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': type }, body: JSON.stringify(flows) });
  expect(res.status).toBe(204);
  await sleep(100);
}
/** Presses an inject node and gives back what arrived over /comms since the last call. */
async function press(id: string, settle = 300): Promise<Array<{ topic: string; data: any }>> {
  const res = await fetch(c.url + 'inject/' + id, { method: 'POST' });
  expect(res.status).toBe(200);
  await sleep(settle);
  return fresh();
}
function fresh(): Array<{ topic: string; data: any }> {
  const all = ws.messages().filter((m) => m.topic === 'debug' || m.topic.startsWith('status/')) as Array<{ topic: string; data: any }>;
  const out = all.slice(mark);
  mark = all.length;
  return out;
}
const debugFrom = (msgs: Array<{ topic: string; data: any }>, id: string) => msgs.filter((m) => m.topic === 'debug' && m.data.id === id).map((m) => m.data);
const parsed = (d: any) => { const o = JSON.parse(d.msg); delete o._msgid; delete o.stack; return o; };

describe('a subflow instance', () => {
  it('runs copies of the template nodes with their ids, env, context and status port', async () => {
    await deploy(flowA());
    fresh();
    const got = await press('i1');
    // the debug node inside each instance
    expect(debugFrom(got, 'si1-dd')).toEqual([{ id: 'si1-dd', z: 'si1', _alias: 'dd', path: 't1/si1', name: 'inner', property: 'payload', msg: 'hello', format: 'string[5]' }]);
    expect(debugFrom(got, 'si2-dd').map((d) => [d.z, d._alias, d.path])).toEqual([['si2', 'dd', 't1/si2']]);
    // output 0 of both instances goes to d1
    const out0 = debugFrom(got, 'd1').map(parsed);
    expect(out0).toEqual([
      { payload: 'hello', env: { FOO: 'override', BAR: 5, REF: 'tabval', NAME: 'Inst', ID: 'si1', PATH: 't1/si1', NODE_PATH: 't1/si1/f1', NODE_ID: 'si1-f1', FLOW: 'Tab 1' }, c: 1, parentT: 'tabctx' },
      { payload: 'hello', env: { FOO: 'default', BAR: 5, REF: 'tabval', NAME: { __enc__: true, type: 'undefined' }, ID: 'si2', PATH: 't1/si2', NODE_PATH: 't1/si2/f1', NODE_ID: 'si2-f1', FLOW: 'Tab 1' }, c: 1, parentT: 'tabctx' },
    ]);
    // output 1 is wired on si1 only
    expect(debugFrom(got, 'd2').map((d) => d.msg)).toEqual(['f2:hello']);
    // internal status of each copy; the status port sets the instance's status; a status node scoped
    // to the instance sees it with the instance as source
    const statuses = got.filter((m) => m.topic.startsWith('status/')).map((m) => [m.topic, m.data]);
    expect(statuses).toEqual([
      ['status/si1-f1', { text: 'f1', fill: 'red', shape: 'dot' }],
      ['status/si2-f1', { text: 'f1', fill: 'red', shape: 'dot' }],
      ['status/si1', { text: 'status 1' }],
      ['status/si2', { text: 'status 1' }],
    ]);
    expect(debugFrom(got, 'ds').map(parsed)).toEqual([{ text: 'status 1', source: { id: 'si1', type: 'subflow:sf1', name: 'Inst' } }]);
    // the error nobody catches inside reaches the parent's catch with the internal node as source
    expect(debugFrom(got, 'dc').map(parsed)).toEqual([
      { message: 'Error: boom 1', source: { id: 'si1-f4', type: 'function', name: 'si1-f4', count: 1 } },
      { message: 'Error: boom 1', source: { id: 'si2-f4', type: 'function', name: 'si2-f4', count: 1 } },
    ]);
    // each instance has its flow context; an internal node's context is reachable by its id
    const again = await press('i1');
    expect(debugFrom(again, 'd1').map((d) => parsed(d).c)).toEqual([2, 2]);
    expect(await (await fetch(c.url + 'context/flow/si1')).json()).toEqual({ memory: { c: { msg: '2', format: 'number' } } });
    expect(await (await fetch(c.url + 'context/node/si1')).json()).toEqual({ memory: { c: { msg: '2', format: 'number' } } });
    expect(await (await fetch(c.url + 'context/node/si1-f1')).json()).toEqual({ memory: {} });
  });

  it('nests, links inside, passes an input straight to an output, catches inside first', async () => {
    await deploy(flowD());
    fresh();
    const got = await press('i2');
    expect(debugFrom(got, 'd4').map((d) => d.msg)).toEqual(['p2']);
    expect(debugFrom(got, 'd3').map(parsed)).toEqual([
      { payload: 'nested:p2', path: 't2/si3/n3', x: 'x3', y: 'ytab', zz: { a: 1 }, nid: 'si3-n3-f7', px: 'x2', _event: 'node:si3-n3-lo' },
    ]);
    // caught by the catch inside (its id inside the instance), not by the tab's
    expect(debugFrom(got, 'si3-dc2').map(parsed)).toEqual([{ message: 'Error: f6 fails', source: { id: 'si3-f6', type: 'function', name: 'si3-f6', count: 1 } }]);
    expect(debugFrom(got, 'dc3')).toEqual([]);
    // no status port: the internal status reaches the tab's status node with the internal node as source
    expect(debugFrom(got, 'ds2').map(parsed)).toEqual([
      { text: 's5', source: { id: 'si3-f5', type: 'function', name: 'si3-f5' } },
      { text: 'f7', source: { id: 'si3-n3-f7', type: 'function', name: 'si3-n3-f7' } },
    ]);
    expect(got.filter((m) => m.topic.startsWith('status/')).map((m) => m.topic)).toEqual(['status/si3-f5', 'status/si3-n3-f7']);
  });

  it('restarts when its template changes in a modified deploy, and follows new output wires', async () => {
    const a = flowA();
    await deploy(a);
    await press('i1');
    const b = structuredClone(a);
    b.find((n) => n.id === 'f2')!.func = "msg.payload = 'F2B:' + msg.payload;\nreturn msg;";
    b.find((n) => n.id === 'si2')!.wires = [['d1'], ['d2']];
    await deploy(b, 'nodes');
    // stopped instances clear their own status and that of every node inside
    const stopped = fresh().filter((m) => m.topic.startsWith('status/')).map((m) => [m.topic, m.data]);
    expect(stopped).toEqual([['status/si1', {}], ['status/si1-f1', {}], ['status/si2', {}], ['status/si2-f1', {}]]);
    let got = await press('i1');
    expect(debugFrom(got, 'd2').map((d) => d.msg)).toEqual(['F2B:hello', 'F2B:hello']);
    // restarted: the instances' flow context is kept (Node-RED keeps flow context across deploys)
    expect(debugFrom(got, 'd1').map((d) => parsed(d).c)).toEqual([2, 2]);
    // only rewired: si2 keeps running with its new outputs
    const d = structuredClone(b);
    d.find((n) => n.id === 'si2')!.wires = [[], ['d2']];
    await deploy(d, 'nodes');
    expect(fresh().filter((m) => m.topic.startsWith('status/'))).toEqual([]);
    got = await press('i1');
    expect(debugFrom(got, 'd1').map((m) => parsed(m).env.ID)).toEqual(['si1']);
    expect(debugFrom(got, 'd2').map((m) => m.msg)).toEqual(['F2B:hello', 'F2B:hello']);
    expect(debugFrom(got, 'd1').map((m) => parsed(m).c)).toEqual([3]);
  });

  it('is not started when it would contain itself, and the rest runs', async () => {
    const flows = [
      { id: 't9', type: 'tab', label: 'loop' },
      { id: 'sfl', type: 'subflow', name: 'Loop', in: [{ x: 1, y: 1, wires: [{ id: 'self' }] }], out: [] },
      { id: 'self', type: 'subflow:sfl', z: 'sfl', x: 1, y: 1, wires: [] },
      { id: 'use', type: 'subflow:sfl', z: 't9', x: 1, y: 1, wires: [] },
      inject('i9', 't9', 'x', [['d9']]),
      dbg('d9', 't9', 'payload'),
    ];
    await deploy(flows);
    fresh();
    const got = await press('i9');
    expect(debugFrom(got, 'd9').map((m) => m.msg)).toEqual(['x']);
    expect(c.logs.some((l) => /Subflow cannot contain an instance of itself/.test(l))).toBe(true);
  });
});

describe('diffFlows and subflows', () => {
  it('a change inside a template changes its instances, not the template nodes, up through nesting', () => {
    const before = flowD();
    const after = structuredClone(before);
    after.find((n) => n.id === 'f7')!.func = 'return msg;';
    const diff = diffFlows(before as FlowConfig, after as FlowConfig);
    expect([...diff.changed].sort()).toEqual(['sf2', 'sf3', 'si3', 't2']);
    expect(diff.changed.has('f7')).toBe(false);
  });

  it('a rewired instance is rewired, not changed', () => {
    const before = flowA();
    const after = structuredClone(before);
    after.find((n) => n.id === 'si2')!.wires = [[], ['d2']];
    const diff = diffFlows(before as FlowConfig, after as FlowConfig);
    expect([...diff.rewired]).toEqual(['si2']);
    expect(diff.changed.has('si2')).toBe(false);
  });
});
