// The loaded package nodes at work, compared with Node-RED 4.1.15 on the same flow (COMPAT C2, C5): RED._
// answering from the package's own catalogue (with __x__ substitutions, plurals, missing keys) in messages
// and log lines, a loose file's RED._ using the core catalogue, a constructor that throws (logged as the
// node's error; the rest of the flow runs), nodes of ES module, .mjs, async, scoped and dependency packages.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBoth, waitFor } from './servers.js';
import type { Server } from './servers.js';
import { buildPaletteUserDir } from './fixtures.js';

const flows = [
  { id: 't1', type: 'tab', label: 'T' },
  { id: 'h1', type: 'http in', z: 't1', url: '/greet/:who', method: 'get', wires: [['c1']] },
  { id: 'c1', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'req.params.who', tot: 'msg' }], wires: [['a1']] },
  { id: 'a1', type: 'alpha', z: 't1', name: 'greeter', wires: [['r1']] },
  { id: 'a2', type: 'alpha', z: 't1', wires: [[]] },
  { id: 'r1', type: 'http response', z: 't1', wires: [] },
  { id: 'x1', type: 'ctor-throws', z: 't1', name: 'bad', wires: [] },
  { id: 'x2', type: 'ctor-throws', z: 't1', wires: [] },
  { id: 'h2', type: 'http in', z: 't1', url: '/chain', method: 'get', wires: [['c2']] },
  { id: 'c2', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'in', tot: 'str' }], wires: [['e1']] },
  { id: 'e1', type: 'esm-node', z: 't1', wires: [['m1']] },
  { id: 'm1', type: 'mjs-node', z: 't1', wires: [['l1']] },
  { id: 'l1', type: 'async-later', z: 't1', wires: [['d1']] },
  { id: 'd1', type: 'dep-node', z: 't1', wires: [['s1']] },
  { id: 's1', type: 'scoped-node', z: 't1', wires: [['n1']] },
  { id: 'n1', type: 'newer-node', z: 't1', wires: [['r2']] },
  { id: 'r2', type: 'http response', z: 't1', wires: [] },
  { id: 'h3', type: 'http in', z: 't1', url: '/loose', method: 'get', wires: [['c3']] },
  { id: 'c3', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'x', tot: 'str' }], wires: [['lo']] },
  { id: 'lo', type: 'loose-node', z: 't1', wires: [['in']] },
  { id: 'in', type: 'inner-node', z: 't1', wires: [['cj']] },
  { id: 'cj', type: 'cjs-node', z: 't1', wires: [['r3']] },
  { id: 'r3', type: 'http response', z: 't1', wires: [] },
];

let crimson: Server;
let nodeRed: Server;
let stopAll: () => Promise<void>;
const deployed = new Map<Server, number>();

beforeAll(async () => {
  ({ crimson, nodeRed, stop: stopAll } = await startBoth(buildPaletteUserDir, { flowFile: 'flows.json' }));
  for (const s of [crimson, nodeRed]) {
    const from = s.logs().length;
    await s.deploy(flows);
    await waitFor(() => s.logs().slice(from).includes('[info] Started flows'), 20000, `${s.kind} to start the flows`);
    deployed.set(s, from);
  }
}, 90000);
afterAll(async () => { await stopAll?.(); });

const after = (s: Server) => s.logs().slice(deployed.get(s));

it('RED._ answers from the package\'s own catalogue, as i18next does', async () => {
  const [a, b] = await Promise.all([crimson.text('greet/World'), nodeRed.text('greet/World')]);
  expect(a).toEqual(b);
  expect(JSON.parse(a.body)).toEqual({
    greeting: 'Hello World!',
    objectSub: 'Hello [object Object]!',
    missingSub: 'Hello __who__!',
    missing: 'alpha.label.nothere',
    core: 'Name',
    one: '1 item',
    three: '3 items',
    // an object under the key is no message (the runtime language in the text is the locale's)
    branch: expect.stringMatching(/^key 'alpha\.log \(.*\)' returned an object instead of string\.$/),
  });
});

it('logs the nodes\' RED._ lines and constructor errors as Node-RED does, and the flow runs', async () => {
  const lines = (s: Server) => after(s).filter((l) => /^\[(info|error)\] \[(alpha|ctor-throws)/.test(l));
  expect(lines(crimson)).toEqual([
    '[info] [alpha:greeter] alpha node greeter created',
    '[info] [alpha:a2] alpha node unnamed created',
    // the entry names the node by id only, even when it has a name (Node-RED logs it without one)
    '[error] [ctor-throws:x1] Error: constructor failed',
    '[error] [ctor-throws:x2] Error: constructor failed',
  ]);
  expect(lines(crimson)).toEqual(lines(nodeRed));
  // the failed nodes are left out; everything else in the tab runs
  const [a, b] = await Promise.all([crimson.text('chain'), nodeRed.text('chain')]);
  expect(a.body).toBe('newer-node:scoped-node:dep-node:later:mjs:esm:in');
  expect(a).toEqual(b);
});

it('a loose node file\'s RED._ uses the core catalogue, not a locales folder beside it', async () => {
  const [a, b] = await Promise.all([crimson.text('loose'), nodeRed.text('loose')]);
  expect(a).toEqual(b);
  expect(a.body).toBe('cjs-node:inner-node:Name:loose.label:x');
});
