// Group env scopes (COMPAT C9), as Node-RED 4.1.15 answered for the same flow (recorded side by side): a
// node in a group reads the group's env, then its parent groups', then the tab's; NR_GROUP_NAME/ID;
// `$parent.X` skips the innermost scope; an `env` entry of an inner group reads the outer one; `${X}` in a
// node's config is substituted with the group's value; a subflow instance in a group reads that group
// after the subflow's own scopes.
import { expect, it } from 'vitest';
import { useDebugComms } from '../helpers/debug-comms.js';

const READ = "msg.payload = {A: env.get('A'), B: env.get('B'), C: env.get('C'), PA: env.get('$parent.A'), " +
  "GN: env.get('NR_GROUP_NAME'), GI: env.get('NR_GROUP_ID'), T: env.get('T'), SUB: env.get('NR_SUBFLOW_NAME')};\nreturn msg;";
const str = (name: string, value: string) => ({ name, value, type: 'str' });
const fn = (id: string, z: string, wires: string[][], g?: string) =>
  ({ id, type: 'function', z, name: id, func: READ, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 100, y: 100, wires, ...(g ? { g } : {}) });
const inject = (id: string, wires: string[][]) =>
  ({ id, type: 'inject', z: 'tg', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, topic: '', payload: '', payloadType: 'date', x: 1, y: 1, wires });
const group = (id: string, name: string, nodes: string[], env: unknown[], g?: string) =>
  ({ id, type: 'group', z: 'tg', ...(g ? { g } : {}), name, style: {}, nodes, env, x: 1, y: 1, w: 10, h: 10 });

const flow = [
  { id: 'tg', type: 'tab', label: 'G', env: [str('A', 'tabA'), str('T', 'tabT')] },
  group('gout', 'Outer', ['gin', 'fo', 'sig'], [str('A', 'outerA'), str('B', 'outerB')]),
  group('gin', 'Inner', ['fi', 'ch'], [str('A', 'innerA'), { name: 'C', value: 'B', type: 'env' }], 'gout'),
  inject('i1', [['fi', 'fo', 'fn', 'sig']]),
  fn('fi', 'tg', [['d']], 'gin'),
  fn('fo', 'tg', [['d']], 'gout'),
  fn('fn', 'tg', [['d']]),
  { id: 'sfg', type: 'subflow', name: 'SFG', in: [{ x: 1, y: 1, wires: [{ id: 'fs' }] }], out: [{ x: 1, y: 1, wires: [{ id: 'fs', port: 0 }] }], env: [] },
  fn('fs', 'sfg', [[]]),
  { id: 'sig', type: 'subflow:sfg', z: 'tg', g: 'gout', name: 'inst', x: 1, y: 1, wires: [['d']] },
  { id: 'd', type: 'debug', z: 'tg', name: 'd', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', x: 1, y: 1, wires: [] },
  { id: 'ch', type: 'change', z: 'tg', g: 'gin', name: '', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '${A}', tot: 'str' }], x: 1, y: 1, wires: [['d']] },
  inject('i2', [['ch']]),
];

const t = useDebugComms(flow);
const U = { __enc__: true, type: 'undefined' };

it('scopes env vars by group, nested, as Node-RED does', async () => {
  await t.inject('i1');
  await t.ws.until(() => t.outputs().length >= 4, 3000);
  expect(t.outputs().map((m) => JSON.parse(m))).toEqual([
    { A: 'innerA', B: 'outerB', C: 'outerB', PA: 'outerA', GN: 'Inner', GI: 'gin', T: 'tabT', SUB: U },
    { A: 'outerA', B: 'outerB', C: U, PA: 'tabA', GN: 'Outer', GI: 'gout', T: 'tabT', SUB: U },
    { A: 'tabA', B: U, C: U, PA: U, GN: U, GI: U, T: 'tabT', SUB: U },
    { A: 'outerA', B: 'outerB', C: U, PA: 'outerA', GN: 'Outer', GI: 'gout', T: 'tabT', SUB: 'inst' },
  ]);
  await t.inject('i2');
  await t.ws.until(() => t.outputs().length >= 5, 3000);
  expect(t.outputs()[4]).toBe('innerA');
});
