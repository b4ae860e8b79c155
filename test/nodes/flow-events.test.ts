// catch, status, complete, junction and link nodes through a real runtime (COMPAT C8, E).
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { withProbeNodes } from '../helpers/probe-nodes.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });
const tab = (id = 't1') => ({ id, type: 'tab', label: id });
const n = (id: string, type: string, wires: string[][] = [], extra: Record<string, unknown> = {}, z = 't1') =>
  ({ id, type, z, x: 1, y: 1, wires, ...extra });

describe('catch', () => {
  it('gets a clone of the message with error {message, source}; an earlier msg.error moves to _error', async () => {
    c = await startCrimson();
    const p = await withProbeNodes(c);
    await c.deploy([tab(), n('e', 'emit', [['bad']]), n('bad', 'probe', [], { fails: 'it broke', name: 'B' }),
      n('k', 'catch', [['got']], { scope: null, uncaught: false }), n('got', 'probe')]);
    const msg = { payload: 1, error: 'old' };
    p.emitters.get('e').send(msg);
    await p.settle();
    const [m] = p.of('got');
    expect(m).not.toBe(msg);
    expect(m!._error).toBe('old');
    expect(m!.error.message).toBe('Error: it broke');
    expect(m!.error.source).toEqual({ id: 'bad', type: 'probe', name: 'B', count: 1 });
    expect(typeof m!.error.stack).toBe('string');
    // handled by a catch: not logged as an error
    expect(c.logs.some((l) => l.includes('it broke'))).toBe(false);
  });

  it('scoped catch nodes see only their nodes; uncaught ones only what nobody else took', async () => {
    c = await startCrimson();
    const p = await withProbeNodes(c);
    await c.deploy([tab(), n('e', 'emit', [['a'], ['b']]), n('a', 'probe', [], { fails: 'A' }), n('b', 'probe', [], { fails: 'B' }),
      n('ka', 'catch', [['gotA']], { scope: ['a'] }), n('gotA', 'probe'),
      n('ku', 'catch', [['gotU']], { scope: null, uncaught: true }), n('gotU', 'probe')]);
    p.emitters.get('e').send([{ payload: 'to a' }, { payload: 'to b' }]);
    await p.settle();
    expect(p.of('gotA').map((m) => m.error.message)).toEqual(['Error: A']);
    expect(p.of('gotU').map((m) => m.error.message)).toEqual(['Error: B']);
  });

  it('a function node throwing reaches catch with msg.error', async () => {
    c = await startCrimson();
    const p = await withProbeNodes(c);
    await c.deploy([tab(), n('e', 'emit', [['f']]), n('f', 'function', [[]], { func: 'throw new Error("nope")', outputs: 1 }),
      n('k', 'catch', [['got']], { scope: null }), n('got', 'probe')]);
    p.emitters.get('e').send({ payload: 1 });
    await p.settle();
    expect(p.of('got')[0]!.error.message).toBe('Error: nope');
    expect(p.of('got')[0]!.error.source.type).toBe('function');
  });
});

describe('status and complete', () => {
  it('status nodes get {status:{…, source}}; complete nodes get msg.complete on done()', async () => {
    c = await startCrimson();
    const p = await withProbeNodes(c);
    await c.deploy([tab(), n('e', 'emit', [['a']]), n('a', 'probe', [], { status: { fill: 'red', shape: 'dot', text: 7 }, name: 'A' }),
      n('s', 'status', [['gotS']], { scope: null }), n('gotS', 'probe'),
      n('done', 'complete', [['gotC']], { scope: ['a'] }), n('gotC', 'probe')]);
    p.emitters.get('e').send({ payload: 'x' });
    await p.settle();
    expect(p.of('gotS')[0]!.status).toEqual({ fill: 'red', shape: 'dot', text: '7', source: { id: 'a', type: 'probe', name: 'A' } });
    expect(p.of('gotC')[0]!.complete).toEqual({ source: { id: 'a', type: 'probe', name: 'A' } });
    expect(p.of('gotC')[0]!.payload).toBe('x');
  });
});

describe('junction and link nodes', () => {
  it('link out -> link in across tabs, through a junction, with _event set as Node-RED does', async () => {
    c = await startCrimson();
    const p = await withProbeNodes(c);
    await c.deploy([tab(), tab('t2'), n('e', 'emit', [['j']]), n('j', 'junction', [['lo']]),
      n('lo', 'link out', [], { mode: 'link', links: ['li'] }),
      n('li', 'link in', [['got']], { links: ['lo'] }, 't2'), n('got', 'probe', [], {}, 't2')]);
    p.emitters.get('e').send({ payload: 5 });
    await p.settle();
    expect(p.of('got')[0]).toMatchObject({ payload: 5, _event: 'node:lo' });
  });

  it('link call returns through a return-mode link out, and times out otherwise', async () => {
    c = await startCrimson();
    const p = await withProbeNodes(c);
    await c.deploy([tab(), n('e', 'emit', [['call']]), n('call', 'link call', [['got']], { links: ['li'], linkType: 'static', timeout: '0.05' }),
      n('li', 'link in', [['mid']], {}), n('mid', 'probe', [['ret']], { forward: true }), n('ret', 'link out', [], { mode: 'return' }),
      n('got', 'probe'), n('k', 'catch', [['err']], { scope: ['call'] }), n('err', 'probe'),
      n('e2', 'emit', [['call2']]), n('call2', 'link call', [['got']], { links: ['li2'], linkType: 'static', timeout: '0.05' }),
      n('li2', 'link in', [[]], {}), n('k2', 'catch', [['err']], { scope: ['call2'] })]);
    p.emitters.get('e').send({ payload: 'ping' });
    p.emitters.get('e2').send({ payload: 'lost' });
    await new Promise((r) => setTimeout(r, 120));
    expect(p.of('got').map((m) => m.payload)).toEqual(['ping']);
    expect(p.of('got')[0]).not.toHaveProperty('_linkSource');
    expect(p.of('err').map((m) => [m.payload, m.error.message])).toEqual([['lost', 'timeout']]);
  });

  it('dynamic link call finds the target by name', async () => {
    c = await startCrimson();
    const p = await withProbeNodes(c);
    await c.deploy([tab(), n('e', 'emit', [['call']]), n('call', 'link call', [['got']], { links: [], linkType: 'dynamic', timeout: '1' }),
      n('li', 'link in', [['ret']], { name: 'target-a' }), n('ret', 'link out', [], { mode: 'return' }), n('got', 'probe')]);
    p.emitters.get('e').send({ payload: 1, target: 'target-a' });
    await p.settle();
    expect(p.of('got')).toHaveLength(1);
  });
});
