// A set that .config.nodes.json keeps disabled, compared with Node-RED 4.1.15 (COMPAT C1, A3.6): listed with
// enabled:false, its code not run, left out of the editor HTML, its type missing for flows; the package's
// other set loads. Enabling it (PUT /nodes/:module/:set) runs its code, and the waiting flow starts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBoth, waitFor } from './servers.js';
import type { Server } from './servers.js';
import { buildDisabledUserDir } from './fixtures.js';

let crimson: Server;
let nodeRed: Server;
let stopAll: () => Promise<void>;

beforeAll(async () => {
  ({ crimson, nodeRed, stop: stopAll } = await startBoth(buildDisabledUserDir, { flowFile: 'flows.json' }));
}, 90000);
afterAll(async () => { await stopAll?.(); });

const pkgSets = (list: any[]) => list.filter((s) => s.module === 'node-red-contrib-disabled');

it('lists the disabled set and loads only the other one', async () => {
  const [a, b] = await Promise.all([crimson.json('nodes'), nodeRed.json('nodes')]);
  expect(a).toEqual(b);
  expect(pkgSets(a.body)).toEqual([
    { id: 'node-red-contrib-disabled/dis', name: 'dis', types: ['dis-node'], enabled: false, local: true, user: false, module: 'node-red-contrib-disabled', version: '1.0.0' },
    { id: 'node-red-contrib-disabled/live', name: 'live', types: ['live-node'], enabled: true, local: true, user: false, module: 'node-red-contrib-disabled', version: '1.0.0' },
  ]);
  for (const s of [crimson, nodeRed]) expect(s.logs().some((l) => l.includes('the disabled set ran'))).toBe(false);
  const [ha, hb] = await Promise.all([crimson.text('nodes', { accept: 'text/html' }), nodeRed.text('nodes', { accept: 'text/html' })]);
  expect(ha).toEqual(hb);
  expect(ha.body).not.toContain('[red-module:node-red-contrib-disabled/dis]');
  expect(ha.body).toContain('[red-module:node-red-contrib-disabled/live]');
});

it('a flow using its type waits for it; enabling the set loads it and the flow starts', async () => {
  const flows = [{ id: 't1', type: 'tab', label: 'T' }, { id: 'd1', type: 'dis-node', z: 't1', wires: [] }];
  for (const s of [crimson, nodeRed]) {
    const from = s.logs().length;
    await s.deploy(flows);
    await waitFor(() => s.logs().slice(from).some((l) => l.includes('Waiting for missing types')), 20000, `${s.kind} to wait`).catch((e) => { throw new Error(`${String(e)}:\n${s.logs().slice(from).join('\n')}`); });
    expect(s.logs().slice(from).filter((l) => /Waiting for missing types| - dis-node/.test(l))).toEqual(['[info] Waiting for missing types to be registered:', '[info]  - dis-node']);
  }
  const put = async (s: Server) => {
    const from = s.logs().length;
    const res = await fetch(s.url + 'nodes/node-red-contrib-disabled/dis', { method: 'PUT', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ enabled: true }) });
    const body = await res.json();
    await waitFor(() => s.logs().slice(from).includes('[info] Started flows'), 20000, `${s.kind} to start the flows`).catch((e) => { throw new Error(`${String(e)}:\n${s.logs().slice(from).join('\n')}`); });
    return { status: res.status, body, ran: s.logs().slice(from).filter((l) => l.includes('the disabled set ran')) };
  };
  const [a, b] = await Promise.all([put(crimson), put(nodeRed)]);
  expect(a).toEqual(b);
  expect(a).toMatchObject({ status: 200, body: { id: 'node-red-contrib-disabled/dis', enabled: true, loaded: true }, ran: ['[warn] the disabled set ran'] });
}, 60000);
