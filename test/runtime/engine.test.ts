// The message engine through a real runtime: wiring, clone rules, async ordered delivery, _msgid,
// errors that never take the daemon down, disabled tabs/nodes, missing types, node context.
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { withProbeNodes } from '../helpers/probe-nodes.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const tab = { id: 't1', type: 'tab', label: 'T' };
const node = (id: string, type: string, wires: string[][] = [], extra: Record<string, unknown> = {}) =>
  ({ id, type, z: 't1', x: 1, y: 1, wires, ...extra });

describe('message delivery', () => {
  it('first wire gets the object itself, other wires a deep clone; delivery is asynchronous', async () => {
    c = await startCrimson();
    const { seen, emitters, settle } = await withProbeNodes(c);
    await c.deploy([tab, node('e', 'emit', [['a', 'b']]), node('a', 'probe'), node('b', 'probe')]);
    const msg = { payload: { deep: [1, 2] } };
    emitters.get('e').send(msg);
    expect(seen).toHaveLength(0); // not delivered synchronously
    await new Promise((r) => setImmediate(r));
    expect(seen.map((s) => s.id)).toEqual(['a', 'b']);
    expect(seen[0]!.msg).toBe(msg);
    expect(seen[1]!.msg).not.toBe(msg);
    expect(seen[1]!.msg.payload).not.toBe(msg.payload);
    expect(seen[1]!.msg).toEqual(msg);
    expect(msg).toHaveProperty('_msgid');
    expect(seen[1]!.msg._msgid).toBe((msg as Record<string, unknown>)._msgid);
  });

  it('arrays map to outputs, nested arrays send several messages in order, null entries are skipped', async () => {
    c = await startCrimson();
    const { seen, emitters, settle } = await withProbeNodes(c);
    await c.deploy([tab, node('e', 'emit', [['a'], ['b']]), node('a', 'probe'), node('b', 'probe')]);
    const m1 = { payload: 1 }; const m2 = { payload: 2 }; const m3 = { payload: 3 };
    emitters.get('e').send([[m1, m2], m3]);
    emitters.get('e').send([null, { payload: 4 }]);
    await settle();
    expect(seen.map((s) => [s.id, s.msg.payload])).toEqual([['a', 1], ['a', 2], ['b', 3], ['b', 4]]);
    expect(seen[0]!.msg).toBe(m1);
    expect(seen[1]!.msg).not.toBe(m2); // every delivery after the first of one send() is a clone
    // messages without _msgid in one send() share one new id
    expect(seen[0]!.msg._msgid).toBe(seen[2]!.msg._msgid);
  });

  it('keeps order along a chain and runs the sender first', async () => {
    c = await startCrimson();
    const { seen, emitters, settle } = await withProbeNodes(c);
    await c.deploy([tab, node('e', 'emit', [['a']]), node('a', 'probe', [['b']], { forward: true }), node('b', 'probe')]);
    for (let i = 0; i < 5; i++) emitters.get('e').send({ payload: i });
    await settle();
    expect(seen.filter((s) => s.id === 'b').map((s) => s.msg.payload)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a node that throws is reported and the runtime carries on', async () => {
    c = await startCrimson();
    const { seen, emitters, settle } = await withProbeNodes(c);
    await c.deploy([tab, node('e', 'emit', [['a']]), node('a', 'probe', [], { throws: true, name: 'boom' })]);
    emitters.get('e').send({ payload: 1 });
    emitters.get('e').send({ payload: 2 });
    await settle();
    expect(seen).toHaveLength(2);
    expect(c.logs.filter((l) => l.includes('[error] [probe:boom] Error: probe failed'))).toHaveLength(2);
    expect((await fetch(c.url + 'flows')).status).toBe(200);
  });

  it('wires to missing nodes are ignored; non-object messages are logged', async () => {
    c = await startCrimson();
    const { seen, emitters, settle } = await withProbeNodes(c);
    await c.deploy([tab, node('e', 'emit', [['nope', 'a']]), node('a', 'probe')]);
    emitters.get('e').send({ payload: 1 });
    emitters.get('e').send('text');
    await settle();
    expect(seen).toHaveLength(1);
    expect(c.logs.some((l) => l.includes('Node tried to send a message of type string'))).toBe(true);
  });
});

describe('flows', () => {
  it('disabled tabs and disabled nodes do not run', async () => {
    c = await startCrimson();
    const { emitters, settle } = await withProbeNodes(c);
    await c.deploy([tab, { id: 't2', type: 'tab', disabled: true }, node('e1', 'emit'), { ...node('e2', 'emit'), z: 't2' }, node('e3', 'emit', [], { d: true })]);
    expect([...emitters.keys()]).toEqual(['e1']);
    expect(c.runtime.engine.nodes.has('e2')).toBe(false);
    expect(c.runtime.engine.nodes.has('e3')).toBe(false);
  });

  it('flows with a missing type wait, and start once the type is available', async () => {
    c = await startCrimson();
    const flows = [tab, node('f', 'function', [], { func: 'return msg;', outputs: 1 }), node('n', 'comment')];
    // disable the function set, restart: its type is now missing
    await fetch(c.url + 'nodes/node-red/function', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }) });
    await c.deploy(flows);
    expect(c.runtime.flows.missingTypes).toEqual(['function']);
    expect(c.runtime.flows.started).toBe(false);
    const res = await fetch(c.url + 'nodes/node-red/function', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true }) });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.runtime.flows.started).toBe(true);
    expect(c.runtime.engine.nodes.has('f')).toBe(true);
  });

  it('node context is wiped on redeploy; flow and global context persist in memory', async () => {
    c = await startCrimson({ settings: { functionGlobalContext: { seeded: { a: 1 } } } });
    await withProbeNodes(c);
    await c.deploy([tab, node('e', 'emit')]);
    const n = c.runtime.engine.nodes.get('e')!;
    expect(n.context().global!.get('seeded')).toEqual({ a: 1 });
    n.context().set('k', 1);
    n.context().flow!.set('f', 2);
    n.context().global!.set('g.deep', 3);
    let cbValue: unknown;
    n.context().get('k', (_err, v) => { cbValue = v; });
    expect(cbValue).toBe(1);
    await c.deploy([tab, node('e', 'emit')]);
    const n2 = c.runtime.engine.nodes.get('e')!;
    expect(n2.context().get('k')).toBeUndefined();
    expect(n2.context().flow!.get('f')).toBe(2);
    expect(n2.context().global!.get('g')).toEqual({ deep: 3 });
    expect(n2.context().global!.keys()).toEqual(expect.arrayContaining(['seeded', 'g']));
  });

  it('tab env and whole-string ${VAR} properties are substituted at start', async () => {
    process.env.CRIMSON_TEST_VAR = 'from-process';
    c = await startCrimson();
    const { emitters, settle } = await withProbeNodes(c);
    await c.deploy([
      { ...tab, env: [{ name: 'TAB_VAR', value: '42', type: 'num' }] },
      node('e', 'emit', [], { a: '${CRIMSON_TEST_VAR}', b: 'x ${CRIMSON_TEST_VAR}', c: '${TAB_VAR}' }),
    ]);
    const e = emitters.get('e');
    expect(e._flow.getEnv('TAB_VAR')).toBe(42);
    expect(e._flow.getEnv('NR_FLOW_ID')).toBe('t1');
    expect(e._path).toBe('t1/e');
    const stored = await (await fetch(c.url + 'flows')).json();
    expect(stored[1].a).toBe('${CRIMSON_TEST_VAR}');
  });
});
