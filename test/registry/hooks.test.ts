// RED.hooks: the hook registry's rules (valid points, labels, order, halting, errors, async hooks) and the
// message hooks on a running flow (onSend, preRoute, preDeliver, postDeliver, onReceive, postReceive,
// onComplete), in the order and with the events Node-RED 4.1.15 gives them.
import { afterEach, describe, expect, it } from 'vitest';
import { createHooks } from '../../src/registry/hooks.js';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { withProbeNodes } from '../helpers/probe-nodes.js';
import { until } from '../comms/ws-client.js';

describe('the hook registry', () => {
  it('takes only the known hook points, one hook per point and label', () => {
    const h = createHooks();
    expect(() => h.add('onWhatever', () => {})).toThrow("Invalid hook 'onWhatever'");
    h.add('onSend.a', () => {});
    expect(() => h.add('onSend.a', () => {})).toThrow('Hook onSend.a already registered');
    h.add('onSend', () => {});
    expect(h.has('onSend')).toBe(true);
    expect(h.has('onSend.a')).toBe(true);
    expect(h.has('onSend.b')).toBe(false);
    expect(() => h.remove('onSend')).toThrow('Cannot remove hook without label: onSend');
  });

  it('runs hooks in order; false halts, an error stops, callbacks and promises are waited for', async () => {
    const h = createHooks();
    const calls: string[] = [];
    h.add('preDeliver.one', (p: { n: number }) => { calls.push('one'); p.n++; });
    h.add('preDeliver.two', (p: { n: number }, done: (r?: unknown) => void) => { calls.push('two'); setTimeout(() => { p.n *= 10; done(); }, 5); });
    h.add('preDeliver.three', async (p: { n: number }) => { calls.push('three'); p.n += 1; });
    const p = { n: 1 };
    expect(await h.trigger('preDeliver', p)).toBeUndefined();
    expect(calls).toEqual(['one', 'two', 'three']);
    expect(p.n).toBe(21);

    h.add('onReceive.halt', (_p: unknown) => false);
    h.add('onReceive.after', (_p: unknown) => { calls.push('after'); });
    expect(await h.trigger('onReceive', {})).toBe(false);
    expect(calls).not.toContain('after');

    h.add('onComplete.fail', (_p: unknown) => { throw new Error('boom'); });
    await expect(h.trigger('onComplete', {})).rejects.toMatchObject({ message: 'boom', hook: 'onComplete' });
    let result: unknown = 'unset';
    h.trigger('onComplete', {}, (r) => { result = r; });
    expect(String(result)).toBe('Error: boom');
  });

  it('removes by label, also every point of a label with *', async () => {
    const h = createHooks();
    const calls: string[] = [];
    // (a hook of one argument is synchronous; with none it is taken as one that calls back, as in Node-RED)
    h.add('onSend.x', (_p: unknown) => { calls.push('send'); });
    h.add('postReceive.x', (_p: unknown) => { calls.push('post'); });
    h.add('postReceive.y', (_p: unknown) => { calls.push('y'); });
    expect(h.routing).toBe(true);
    h.remove('*.x');
    await h.trigger('onSend', []);
    await h.trigger('postReceive', {});
    expect(calls).toEqual(['y']);
    h.remove('postReceive.y');
    expect(h.routing).toBe(false);
  });
});

describe('message hooks on a running flow', () => {
  let c: Started;
  afterEach(async () => { await c?.stop(); });

  const flows = [
    { id: 't', type: 'tab', label: 'T' },
    { id: 'e', type: 'emit', z: 't', wires: [['a', 'b']] },
    { id: 'a', type: 'probe', z: 't', wires: [] },
    { id: 'b', type: 'probe', z: 't', wires: [] },
  ];

  it('gives the send events, the clone flag, receive and completion in Node-RED order', async () => {
    c = await startCrimson({ flows });
    const probes = await withProbeNodes(c);
    await c.deploy(flows);
    const hooks = c.runtime.engine.hooks;
    const log: string[] = [];
    hooks.add('onSend.t', (events: Array<{ source: { id: string; port: number }; destination: { id: string }; cloneMessage: boolean }>) => {
      log.push('onSend ' + events.map((e) => `${e.source.id}:${e.source.port}>${e.destination.id}${e.cloneMessage ? '(clone)' : ''}`).join(','));
    });
    hooks.add('preRoute.t', (e: { destination: { id: string } }) => { log.push('preRoute ' + e.destination.id); });
    hooks.add('preDeliver.t', (e: { destination: { id: string; node: { id: string } }; msg: Record<string, unknown> }) => {
      log.push('preDeliver ' + e.destination.node.id);
      e.msg.seenBy = e.destination.id;
    });
    hooks.add('postDeliver.t', (e: { destination: { id: string } }) => { log.push('postDeliver ' + e.destination.id); });
    hooks.add('onReceive.t', (e: { destination: { id: string } }) => { log.push('onReceive ' + e.destination.id); });
    hooks.add('postReceive.t', (e: { destination: { id: string } }) => { log.push('postReceive ' + e.destination.id); });
    hooks.add('onComplete.t', (e: { node: { id: string }; error: unknown }) => { log.push(`onComplete ${e.node.id} ${String(e.error)}`); });
    const sent: { payload: number; _msgid?: string } = { payload: 1 };
    probes.emitters.get('e').send(sent);
    await until(() => log.filter((l) => l.startsWith('onComplete')).length === 2);
    expect(log).toEqual([
      'onSend e:0>a,e:0>b(clone)',
      'preRoute a', 'preDeliver a', 'postDeliver a',
      'preRoute b', 'preDeliver b', 'postDeliver b',
      'onReceive a', 'onComplete a undefined', 'postReceive a',
      'onReceive b', 'onComplete b undefined', 'postReceive b',
    ]);
    // the first destination gets the object sent, the second a clone; what preDeliver changed arrives
    expect(probes.of('a')[0]).toBe(sent);
    expect(probes.of('a')[0]!.seenBy).toBe('a');
    expect(probes.of('b')[0]).not.toBe(sent);
    expect(probes.of('b')[0]!.seenBy).toBe('b');
    expect(probes.of('b')[0]!._msgid).toBe(sent._msgid);
  });

  it('drops a message a hook halts, reports a failing hook as the node error, and costs nothing once removed', async () => {
    c = await startCrimson({ flows });
    const probes = await withProbeNodes(c);
    await c.deploy(flows);
    const hooks = c.runtime.engine.hooks;
    hooks.add('preDeliver.gate', (e: { destination: { id: string } }) => (e.destination.id === 'b' ? false : undefined));
    probes.emitters.get('e').send({ payload: 'x' });
    await probes.settle();
    expect(probes.of('a')).toHaveLength(1);
    expect(probes.of('b')).toHaveLength(0);

    hooks.remove('preDeliver.gate');
    hooks.add('onSend.fail', (_e: unknown) => { throw new Error('no sending'); });
    probes.emitters.get('e').send({ payload: 'y' });
    await probes.settle();
    expect(probes.of('a')).toHaveLength(1);
    expect(c.logs.some((l) => l.includes('[error] [emit:e] Error: no sending'))).toBe(true);

    hooks.remove('onSend.fail');
    expect(hooks.routing).toBe(false);
    probes.emitters.get('e').send({ payload: 'z' });
    await probes.settle();
    expect(probes.of('a').map((m) => m.payload)).toEqual(['x', 'z']);
  });
});
