// Modified-nodes / modified-flows deploys restart only what Node-RED restarts, keep everything else
// running (timers, node context, node objects), rewire kept nodes, and log/announce as Node-RED.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { withProbeNodes } from '../helpers/probe-nodes.js';
import type { RED } from '../../src/registry/red-types.js';
import { commsUrl, openComms } from '../comms/ws-client.js';

let c: Started;
let probes: Awaited<ReturnType<typeof withProbeNodes>>;
/** Every construction and close of a `life` node: [event, id, removed?]. */
let life: Array<[string, string, boolean?]>;

beforeEach(async () => {
  c = await startCrimson();
  probes = await withProbeNodes(c);
  life = [];
  await c.runtime.loadNodeModule({ name: 'test-life', version: '1.0.0' }, {
    life: (R: RED) => {
      R.nodes.registerType('life', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        life.push(['create', this.id]);
        this.on('input', (msg: unknown, send: (m: unknown) => void, done: () => void) => { send(msg); done(); });
        this.on('close', (removed: boolean, done: () => void) => { life.push(['close', this.id, removed]); done(); });
      });
      R.nodes.registerType('life-config', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        life.push(['create', this.id]);
        this.on('close', (removed: boolean, done: () => void) => { life.push(['close', this.id, removed]); done(); });
      });
    },
  });
});
afterEach(async () => { await c.stop(); });

async function deploy(flows: unknown[], type: string): Promise<void> {
  const res = await fetch(c.url + 'flows', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': type },
    body: JSON.stringify(flows),
  });
  expect(res.status).toBe(204);
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const node = (flows: any[], id: string) => flows.find((n) => n.id === id);
const counter = 'const n = (context.get("n") || 0) + 1; context.set("n", n); msg.payload = n; return msg;';

const base = () => [
  { id: 't1', type: 'tab', label: 'one' },
  { id: 't2', type: 'tab', label: 'two' },
  { id: 'e1', type: 'emit', z: 't1', x: 1, y: 1, wires: [['count']] },
  { id: 'count', type: 'function', z: 't1', x: 1, y: 1, func: counter, outputs: 1, wires: [['p1']] },
  { id: 'p1', type: 'probe', z: 't1', x: 1, y: 1, wires: [] },
  { id: 'a', type: 'life', z: 't1', x: 1, y: 1, wires: [['b']] },
  { id: 'b', type: 'life', z: 't1', x: 1, y: 1, name: 'b', wires: [['pb']] },
  { id: 'pb', type: 'probe', z: 't1', x: 1, y: 1, wires: [] },
  { id: 'lone', type: 'life', z: 't1', x: 1, y: 1, wires: [] },
  { id: 'other', type: 'life', z: 't2', x: 1, y: 1, wires: [] },
];

async function count(): Promise<number> {
  probes.emitters.get('e1').send({});
  await probes.settle();
  return probes.of('p1').at(-1)!.payload;
}

describe('nodes deploy', () => {
  it('restarts only the changed node; others keep their object, node context and wiring', async () => {
    const flows = base();
    await deploy(flows, 'full');
    expect(await count()).toBe(1);
    expect(await count()).toBe(2);
    const emitter = probes.emitters.get('e1');
    const countNode = c.runtime.engine.nodes.get('count');
    life = [];
    const next = clone(flows);
    node(next, 'b').name = 'b2';
    await deploy(next, 'nodes');
    expect(life).toEqual([['close', 'b', false], ['create', 'b']]);
    expect(c.runtime.engine.nodes.get('count')).toBe(countNode);
    expect(probes.emitters.get('e1')).toBe(emitter);
    expect(await count()).toBe(3); // node context kept
    // a (kept) now sends to the new b, which still reaches pb
    c.runtime.engine.nodes.get('a')!.receive({ payload: 'x' });
    await probes.settle();
    expect(probes.of('pb').map((m) => m.payload)).toEqual(['x']);
    expect(c.logs.some((l) => l.includes('Stopping modified nodes'))).toBe(true);
    expect(c.logs.some((l) => l.includes('Started modified nodes'))).toBe(true);
  });

  it('a full deploy restarts everything and drops default-store node context', async () => {
    const flows = base();
    await deploy(flows, 'full');
    expect(await count()).toBe(1);
    life = [];
    await deploy(clone(flows), 'full');
    expect(life.filter((e) => e[0] === 'close').map((e) => e[1]).sort()).toEqual(['a', 'b', 'lone', 'other']);
    expect(life.every((e) => e[0] !== 'close' || e[2] === false)).toBe(true);
    expect(await count()).toBe(1);
  });

  it('removed nodes are closed with removed=true; rewired kept nodes send to their new targets', async () => {
    const flows = base();
    await deploy(flows, 'full');
    life = [];
    const next = clone(flows).filter((n: any) => n.id !== 'lone');
    node(next, 'a').wires = [['pb']];
    await deploy(next, 'nodes');
    expect(life).toEqual([['close', 'lone', true]]);
    c.runtime.engine.nodes.get('a')!.receive({ payload: 'direct' });
    await probes.settle();
    expect(probes.of('pb').map((m) => m.payload)).toEqual(['direct']);
    expect(c.runtime.engine.nodes.has('lone')).toBe(false);
  });

  it('nodes using a changed config node restart with it', async () => {
    const flows = [...base(), { id: 'cfg', type: 'life-config', z: 't1', v: 1 }];
    node(flows, 'lone').server = 'cfg';
    await deploy(flows, 'full');
    life = [];
    const next = clone(flows);
    node(next, 'cfg').v = 2;
    await deploy(next, 'nodes');
    expect(life.filter((e) => e[0] === 'close')).toEqual([['close', 'lone', false], ['close', 'cfg', false]]);
    expect(life.filter((e) => e[0] === 'create').map((e) => e[1]).sort()).toEqual(['cfg', 'lone']);
  });

  it('a tab whose env changed restarts whole; other tabs keep running', async () => {
    const flows = base();
    await deploy(flows, 'full');
    life = [];
    const next = clone(flows);
    node(next, 't1').env = [{ name: 'X', value: '1', type: 'str' }];
    await deploy(next, 'nodes');
    expect(life.filter((e) => e[0] === 'close').map((e) => e[1]).sort()).toEqual(['a', 'b', 'lone']);
    expect(await count()).toBe(1); // the function node restarted too
  });
});

describe('flows deploy', () => {
  it('restarts the changed node and everything wired to it, not unconnected nodes', async () => {
    const flows = base();
    await deploy(flows, 'full');
    await count();
    life = [];
    const next = clone(flows);
    node(next, 'b').name = 'b3';
    await deploy(next, 'flows');
    expect(life.filter((e) => e[0] === 'close').map((e) => e[1]).sort()).toEqual(['a', 'b']);
    expect(await count()).toBe(2); // the counter chain is not connected to b
    expect(c.logs.some((l) => l.includes('Stopped modified flows'))).toBe(true);
  });

  it('a nodes deploy of the same change keeps a (wired to b) running', async () => {
    const flows = base();
    await deploy(flows, 'full');
    life = [];
    const next = clone(flows);
    node(next, 'b').name = 'b3';
    await deploy(next, 'nodes');
    expect(life.filter((e) => e[0] === 'close').map((e) => e[1])).toEqual(['b']);
  });

  it('a new tab starts, a removed tab stops, the rest keeps running', async () => {
    const flows = base();
    await deploy(flows, 'full');
    life = [];
    const next = clone(flows).filter((n: any) => n.id !== 't2' && n.z !== 't2');
    next.push({ id: 't3', type: 'tab', label: 'three' }, { id: 'new', type: 'life', z: 't3', x: 1, y: 1, wires: [] });
    await deploy(next, 'flows');
    expect(life).toEqual([['close', 'other', true], ['create', 'new']]);
  });
});

describe('an inject repeat timer across a nodes deploy', () => {
  it('keeps running on the same schedule when the inject node is unchanged', async () => {
    const flows = [
      { id: 't1', type: 'tab', label: 'one' },
      { id: 'inj', type: 'inject', z: 't1', x: 1, y: 1, repeat: '0.2', once: false, props: [{ p: 'payload', v: 'tick', vt: 'str' }], wires: [['pi']] },
      { id: 'pi', type: 'probe', z: 't1', x: 1, y: 1, wires: [] },
      { id: 'x', type: 'life', z: 't1', x: 1, y: 1, name: 'x', wires: [] },
    ];
    await deploy(flows, 'full');
    const injector = c.runtime.engine.nodes.get('inj');
    await waitFor(() => probes.of('pi').length >= 1);
    const times: number[] = [];
    const first = probes.seen.length;
    const next = clone(flows);
    node(next, 'x').name = 'x2';
    await deploy(next, 'nodes');
    await waitFor(() => probes.seen.length >= first + 3);
    for (const s of probes.seen) times.push(s.order);
    // the same node object keeps ticking: no close, no restart of its timer
    expect(c.runtime.engine.nodes.get('inj')).toBe(injector);
    expect(life).toEqual([['create', 'x'], ['close', 'x', false], ['create', 'x']]);
    expect(times.length).toBeGreaterThanOrEqual(4);
  });
});

describe('runtime-state notifications of a deploy', () => {
  it('stop and start carry deploy: true', async () => {
    await deploy(base(), 'full');
    const ws = await openComms(commsUrl(c.url));
    try {
      ws.send({ subscribe: 'notification/runtime-state' });
      await ws.message('notification/runtime-state');
      const n = ws.messages().length;
      const next = base();
      node(next, 'b').name = 'changed';
      await deploy(next, 'nodes');
      await ws.until(() => ws.messages().slice(n).filter((m) => m.topic === 'notification/runtime-state').length >= 2, 3000);
      const states = ws.messages().slice(n).filter((m) => m.topic === 'notification/runtime-state').map((m) => m.data);
      expect(states).toEqual([{ state: 'stop', deploy: true }, { state: 'start', deploy: true }]);
    } finally {
      await ws.close();
    }
  });
});

describe('context clean-up after a deploy', () => {
  it('keeps the context of every node in the config (running or not) and drops removed ones', async () => {
    await c.stop();
    c = await startCrimson({ settings: { contextStorage: { default: { module: 'memory' } } } });
    probes = await withProbeNodes(c);
    const flows = [
      { id: 't1', type: 'tab', label: 'one' },
      { id: 't2', type: 'tab', label: 'off', disabled: true },
      { id: 'e1', type: 'emit', z: 't1', x: 1, y: 1, wires: [['count']] },
      { id: 'count', type: 'function', z: 't1', x: 1, y: 1, func: counter, outputs: 1, wires: [['p1']] },
      { id: 'p1', type: 'probe', z: 't1', x: 1, y: 1, wires: [] },
    ];
    await deploy(flows, 'full');
    expect(await count()).toBe(1);
    const store = c.runtime.engine.contexts.store()!;
    // a context entry for a node that only sits on the disabled tab is kept
    await new Promise((r) => store.set('sleeper:t2', 'k', 1, r));
    const withSleeper = [...clone(flows), { id: 'sleeper', type: 'probe', z: 't2', x: 1, y: 1, wires: [] }];
    await deploy(withSleeper, 'full');
    expect(await count()).toBe(2); // configured store: node context survives a full deploy
    expect(store.get('sleeper:t2', 'k')).toBe(1);
    await deploy(clone(withSleeper).filter((n: any) => n.id !== 'count' && n.id !== 'sleeper'), 'full');
    expect(store.keys('count:t1')).toEqual([]);
    expect(store.keys('sleeper:t2')).toEqual([]);
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
