// GET /credentials/:type/:id on a real daemon. The flows and every expected answer are those of a run of
// Node-RED 4.1.15 with a node module registering `demo-cred` with the same credential definition.
import { afterEach, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { startCrimson } from '../helpers/start-crimson.js';
import type { Started } from '../helpers/start-crimson.js';
import type { RED } from '../../src/registry/red-types.js';
import type { Settings } from '../../src/settings/types.js';
import { credentialsView } from '../../src/admin/credentials.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const FLOWS = [
  { id: 't1', type: 'tab', label: 'T', credentials: { tabsecret: 'x', empty: '' } },
  { id: 'd1', type: 'demo-cred', z: 't1', credentials: { user: 'bob', pass: 'pw', other: 'o' } },
  { id: 'd2', type: 'demo-cred', z: 't1', credentials: { user: '', pass: '' } },
  { id: 'd3', type: 'demo-cred', z: 't1' },
  { id: 'd4', type: 'demo-cred', z: 't1', credentials: { user: 'u' } },
  { id: 'd5', type: 'demo-cred', z: 't1', credentials: { pass: '  ' } },
  { id: 's1', type: 'subflow', name: 'SF', in: [], out: [], env: [] },
  { id: 'i1', type: 'subflow:s1', z: 't1', env: [{ name: 'K', type: 'cred' }], credentials: { K: 'secret', E: '' }, wires: [] },
  { id: 'g1', type: 'group', z: 't1', nodes: [], credentials: { a: 'b' } },
  { id: 'u1', type: 'unknown-type', z: 't1', credentials: { a: 'b' }, wires: [] },
];

async function startWithDemoCred(settings?: Settings): Promise<Started> {
  const started = await startCrimson({ settings });
  await started.runtime.loadNodeModule({ name: 'demo-cred', version: '1.0.0' }, {
    demo: (R: RED) => {
      R.nodes.registerType('demo-cred', function (this: object, config: never) { R.nodes.createNode(this, config); },
        { credentials: { user: { type: 'text' }, pass: { type: 'password' } } });
    },
  });
  return started;
}

const getCreds = async (p: string, headers: Record<string, string> = {}) => {
  const res = await fetch(c!.url + 'credentials/' + p, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('GET /credentials/:type/:id', () => {
  it('answers what the edit dialog needs, never a password', async () => {
    c = await startWithDemoCred();
    await c.deploy(FLOWS);
    const expected: Record<string, unknown> = {
      'demo-cred/d1': { user: 'bob', has_pass: true },
      // (Node-RED keeps an emptied record and answers d2 and d5 {"user":"","has_pass":false}; Crimson's deploy
      // merge drops empty records, so they answer {} — the edit dialog shows the same empty fields)
      'demo-cred/d2': {},
      'demo-cred/d3': {},
      'demo-cred/d4': { user: 'u', has_pass: false },
      'demo-cred/d5': {},
      // the type only chooses the definition; the id chooses the stored values
      'demo-cred/t1': { user: '', has_pass: false },
      'tab/d1': { has_user: true, has_pass: true },
      'tab/t1': { has_tabsecret: true },
      'subflow:s1/i1': { has_K: true },
      'subflow/i1': { has_K: true },
      'group/g1': { has_a: true },
      'group/d1': { has_user: true, has_pass: true },
      'unknown-type/u1': {},
      'tab/u1': { has_a: true },
      'demo-cred/nope': {},
      'tab/nope': {},
      // the editor dashes spaces in the type; with a space left no definition is found
      'demo%20cred/d1': {},
      'inject/d1': {},
    };
    const got: Record<string, unknown> = {};
    for (const p of Object.keys(expected)) {
      const res = await getCreds(p);
      expect({ p, status: res.status, type: res.type }).toEqual({ p, status: 200, type: 'application/json; charset=utf-8' });
      got[p] = JSON.parse(res.text);
      // no secret value is ever sent
      for (const v of Object.values(got[p] as object)) expect(['pw', 'secret', 'x', 'b']).not.toContain(v);
    }
    expect(got).toEqual(expected);
  });

  it('reports an empty stored password as not set (v2 credentials map)', async () => {
    c = await startWithDemoCred();
    await c.deploy(FLOWS);
    const flows = FLOWS.map(({ credentials: _drop, ...n }) => n);
    const res = await fetch(c.url + 'flows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2' },
      body: JSON.stringify({ flows, credentials: { d1: { user: 'v2', pass: '', zzz: '1' }, d2: {} } }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse((await getCreds('demo-cred/d1')).text)).toEqual({ user: 'v2', has_pass: false });
    // (Node-RED: {"user":"","has_pass":false} for the emptied record, see above)
    expect(JSON.parse((await getCreds('demo-cred/d2')).text)).toEqual({});
    expect(JSON.parse((await getCreds('tab/d1')).text)).toEqual({ has_user: true, has_pass: false, has_zzz: true });
  });

  it('needs credentials.read', async () => {
    const hash = bcrypt.hashSync('pw', 4);
    const users = [
      { username: 'reader', password: hash, permissions: 'read' },
      { username: 'libr', password: hash, permissions: ['library.read'] },
      { username: 'credr', password: hash, permissions: ['credentials.read'] },
    ];
    c = await startWithDemoCred({ adminAuth: { type: 'credentials', users } } as Settings);
    const token = async (username: string) => {
      const res = await fetch(c!.url + 'auth/token', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '', username, password: 'pw' }).toString(),
      });
      return { authorization: `Bearer ${(await res.json()).access_token}` };
    };
    expect(await getCreds('tab/x')).toMatchObject({ status: 401, text: 'Unauthorized' });
    expect((await getCreds('tab/x', await token('libr'))).status).toBe(401);
    expect(await getCreds('tab/x', await token('reader'))).toMatchObject({ status: 200, text: '{}' });
    expect(await getCreds('tab/x', await token('credr'))).toMatchObject({ status: 200, text: '{}' });
  });
});

describe('credentialsView', () => {
  it('sends non-password fields as stored (falsy as empty), password fields as has_<field>', () => {
    const def = { user: { type: 'text' as const }, n: { type: 'text' as const }, pass: { type: 'password' as const } };
    expect(credentialsView('x', { user: 0, n: 'v', pass: null, extra: 'e' }, def)).toEqual({ user: '', n: 'v', has_pass: false });
    expect(credentialsView('x', { pass: 0 }, def)).toEqual({ user: '', n: '', has_pass: true });
    expect(credentialsView('x', undefined, def)).toEqual({});
    expect(credentialsView('subflow', { a: null, b: 'x' }, def)).toEqual({ has_a: false, has_b: true });
    expect(credentialsView('subflowX', { a: 'x' }, undefined)).toEqual({});
  });
});
