// node.metric() as Node-RED 4.1.15 has it: false unless a log handler has `metrics: true`; then every send and
// receive is logged as {level: 99, nodeid, event: "node.<type>.send|receive", msgid} and a node's own
// metric(event, msg, value) calls too.
import { afterEach, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { withProbeNodes } from '../helpers/probe-nodes.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const flows = [
  { id: 't', type: 'tab', label: 'T' },
  { id: 'e', type: 'emit', z: 't', wires: [['a']] },
  { id: 'a', type: 'probe', z: 't', wires: [] },
];

it('logs send and receive metrics only when metrics are on', async () => {
  c = await startCrimson({ settings: { logging: { console: { level: 'info', metrics: true } } } });
  const probes = await withProbeNodes(c);
  await c.deploy(flows);
  const emitter = probes.emitters.get('e');
  expect(emitter.metric()).toBe(true);
  emitter.send({ _msgid: 'm1', payload: 1 });
  emitter.metric('custom', { _msgid: 'm1' }, 42);
  await probes.settle();
  const metrics = c.logs.filter((l) => l.includes('[metric]')).map((l) => JSON.parse(l.slice(l.indexOf('{'))));
  expect(metrics).toEqual([
    { level: 99, nodeid: 'e', event: 'node.emit.send', msgid: 'm1' },
    { level: 99, nodeid: 'e', event: 'node.emit.custom', msgid: 'm1', value: 42 },
    { level: 99, nodeid: 'a', event: 'node.probe.receive', msgid: 'm1' },
  ].map((m) => expect.objectContaining(m)));
});

it('says metrics are off by default and logs none', async () => {
  c = await startCrimson();
  const probes = await withProbeNodes(c);
  await c.deploy(flows);
  expect(probes.emitters.get('e').metric()).toBe(false);
  probes.emitters.get('e').send({ payload: 1 });
  await probes.settle();
  expect(probes.of('a')).toHaveLength(1);
  expect(c.logs.some((l) => l.includes('[metric]'))).toBe(false);
});
