// /flow/:id — one tab or global, against the answers Node-RED 4.1.15 gives.
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const json = { 'content-type': 'application/json' };
const flows = [
  { id: 't1', type: 'tab', label: 'T1' },
  { id: 'n1', type: 'comment', z: 't1', x: 1, y: 2, wires: [] },
  { id: 'c1', type: 'foo-config', z: 't1' },
  { id: 'g1', type: 'some-config', env: [] },
  { id: 'u1', type: 'comment', z: 't1', x: 3, y: 4, wires: [], server: 'g1' },
  { id: 'gr', type: 'group', z: 't1', nodes: ['n1'] },
];

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });
const call = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(c!.url + p, { method, headers: json, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe('/flow/:id', () => {
  it('GET a tab: groups first, then nodes, then configs', async () => {
    c = await startCrimson({ flows });
    expect(await call('GET', 'flow/t1')).toEqual({
      status: 200,
      body: {
        id: 't1', label: 'T1',
        nodes: [flows[5], flows[1], flows[4]],
        configs: [flows[2]],
      },
    });
  });

  it('GET global lists global config nodes with their users', async () => {
    c = await startCrimson({ flows });
    expect(await call('GET', 'flow/global')).toEqual({ status: 200, body: { id: 'global', configs: [{ ...flows[3], _users: ['u1'] }] } });
  });

  it('GET unknown -> 404 not_found', async () => {
    c = await startCrimson({ flows });
    expect(await call('GET', 'flow/zz')).toEqual({ status: 404, body: { code: 'not_found', message: 'Error' } });
  });

  it('POST /flow adds a tab with a new id', async () => {
    c = await startCrimson({ flows });
    const res = await call('POST', 'flow', { id: 'ignored', label: 'new', nodes: [{ id: 'x1', type: 'comment', x: 1, y: 1, wires: [] }] });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^[0-9a-f]{16}$/);
    const got = await call('GET', `flow/${res.body.id}`);
    expect(got.body).toEqual({ id: res.body.id, label: 'new', nodes: [{ id: 'x1', type: 'comment', x: 1, y: 1, wires: [], z: res.body.id }] });
  });

  it('POST /flow errors', async () => {
    c = await startCrimson({ flows });
    expect(await call('POST', 'flow', { label: 'x' })).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'missing nodes property' } });
    expect(await call('POST', 'flow', { nodes: [{ id: 'n1', type: 'comment' }] })).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'duplicate id' } });
    expect(await call('POST', 'flow', { nodes: [{ id: 'n9', type: 'tab' }] })).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'invalid node type: tab' } });
  });

  it('PUT replaces a tab; unknown -> 404', async () => {
    c = await startCrimson({ flows });
    expect(await call('PUT', 'flow/t1', { id: 'other', label: 'Renamed', nodes: [{ id: 'k1', type: 'comment', x: 1, y: 1, wires: [] }] }))
      .toEqual({ status: 200, body: { id: 't1' } });
    expect((await call('GET', 'flow/t1')).body).toEqual({ id: 't1', label: 'Renamed', nodes: [{ id: 'k1', type: 'comment', x: 1, y: 1, wires: [], z: 't1' }] });
    expect(await call('PUT', 'flow/zz', { nodes: [] })).toEqual({ status: 404, body: { code: 'not_found', message: 'Error' } });
  });

  it('PUT global replaces the global config nodes', async () => {
    c = await startCrimson({ flows });
    expect(await call('PUT', 'flow/global', { configs: [{ id: 'g2', type: 'other-config' }] })).toEqual({ status: 200, body: { id: 'global' } });
    expect((await call('GET', 'flow/global')).body).toEqual({ id: 'global', configs: [{ id: 'g2', type: 'other-config', _users: [] }] });
  });

  it('DELETE removes a tab and its nodes; global and unknown are refused', async () => {
    c = await startCrimson({ flows });
    expect(await call('DELETE', 'flow/global')).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'not allowed to remove global' } });
    expect(await call('DELETE', 'flow/zz')).toEqual({ status: 404, body: { code: 'not_found', message: 'Error' } });
    expect((await call('DELETE', 'flow/t1')).status).toBe(204);
    expect((await call('GET', 'flows')).body).toEqual([flows[3]]);
  });
});

// Differential audit against Node-RED 4.1.15: each expectation below is the answer Node-RED gave.
describe('/flow/:id as Node-RED 4.1.15 parses the config', () => {
  const parsed = [
    { id: 't1', type: 'tab', label: 'T1', info: 'x', env: [] },
    { id: 'sf1', type: 'subflow', name: 'S', info: '', in: [], out: [], env: [] },
    { id: 'sfg', type: 'group', z: 'sf1', nodes: ['sn'] },
    { id: 'sn', type: 'comment', z: 'sf1', x: 1, y: 1, wires: [] },
    { id: 'sc', type: 'unknown-config', z: 'sf1' },
    { id: 'nested', type: 'subflow:sf1', z: 'sf1', x: 2, y: 2, wires: [] },
    { id: 'si', type: 'subflow:sf1', z: 't1', x: 3, y: 3, wires: [] },
    { id: 'cfg', type: 'unknown-config', name: 'c' },
    { id: 'u1', type: 'comment', z: 't1', x: 1, y: 1, wires: [], a: 'cfg', b: 'cfg', c: ['cfg'] },
    { id: 'cfg2', type: 'unknown-config', ref: 'cfg' },
  ];

  it('GET global: _users once per referencing property, subflow configs before nodes, groups last', async () => {
    c = await startCrimson({ flows: parsed });
    const res = await fetch(c.url + 'flow/global');
    expect(await res.text()).toBe(JSON.stringify({
      id: 'global',
      configs: [{ id: 'cfg', type: 'unknown-config', name: 'c', _users: ['u1', 'u1', 'u1', 'cfg2'] }, { id: 'cfg2', type: 'unknown-config', ref: 'cfg', _users: [] }],
      subflows: [{
        id: 'sf1', type: 'subflow', name: 'S', info: '', in: [], out: [], env: [],
        configs: [{ id: 'sc', type: 'unknown-config', z: 'sf1' }],
        nodes: [{ id: 'sn', type: 'comment', z: 'sf1', x: 1, y: 1, wires: [] }, { id: 'nested', type: 'subflow:sf1', z: 'sf1', x: 2, y: 2, wires: [], subflow: 'sf1' }, { id: 'sfg', type: 'group', z: 'sf1', nodes: ['sn'] }],
      }],
    }));
  });

  it('GET a tab: subflow instances carry their template id', async () => {
    c = await startCrimson({ flows: parsed });
    expect(await (await fetch(c.url + 'flow/t1')).json()).toEqual({
      id: 't1', label: 'T1', info: 'x', env: [],
      nodes: [{ id: 'si', type: 'subflow:sf1', z: 't1', x: 3, y: 3, wires: [], subflow: 'sf1' }, { id: 'u1', type: 'comment', z: 't1', x: 1, y: 1, wires: [], a: 'cfg', b: 'cfg', c: ['cfg'] }],
    });
  });

  it('PUT with an array body writes an empty tab', async () => {
    c = await startCrimson({ flows });
    expect(await call('PUT', 'flow/t1', [])).toEqual({ status: 200, body: { id: 't1' } });
    const all = await (await fetch(c.url + 'flows')).json();
    expect(all.filter((n: { id: string; z?: string }) => n.id === 't1' || n.z === 't1')).toEqual([{ type: 'tab', id: 't1' }]);
  });
});
