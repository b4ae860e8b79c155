// Stopping the runtime logs what Node-RED 4.1.15 logs when it is stopped (SIGINT / SIGTERM): "Stopping flows",
// then "Stopped flows", after the nodes' close handlers ran.
import { expect, it } from 'vitest';
import { startCrimson } from '../helpers/start-crimson.js';

it('logs Stopping flows and Stopped flows', async () => {
  const c = await startCrimson({ flows: [{ id: 't', type: 'tab', label: 'T' }, { id: 'i', type: 'inject', z: 't', x: 100, y: 100, wires: [] }] });
  const from = c.logs.length;
  await c.stop();
  const lines = c.logs.slice(from).map((l) => l.replace(/^.* - \[\w+\] /, ''));
  expect(lines.filter((l) => /^Stop/.test(l))).toEqual(['Stopping flows', 'Stopped flows']);
});
