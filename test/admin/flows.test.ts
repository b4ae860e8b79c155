// GET/POST /flows and /flows/state against a running Crimson, with the answers Node-RED 4.1.15 gives.
import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const EMPTY_REV = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';
const json = { 'content-type': 'application/json' };
const v2 = { ...json, 'Node-RED-API-Version': 'v2' };
const tab = [{ id: 't1', type: 'tab', label: 'T1' }, { id: 'n1', type: 'comment', z: 't1', name: 'hi', x: 10, y: 20, wires: [] }];

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

describe('GET /flows', () => {
  it('answers [] and the empty rev before any deploy', async () => {
    c = await startCrimson();
    expect(await (await fetch(c.url + 'flows')).json()).toEqual([]);
    const res = await fetch(c.url + 'flows', { headers: { 'Node-RED-API-Version': 'v2' } });
    expect(await res.json()).toEqual({ flows: [], rev: EMPTY_REV });
  });

  it('rejects an unknown API version', async () => {
    c = await startCrimson();
    const res = await fetch(c.url + 'flows', { headers: { 'Node-RED-API-Version': 'v3' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'invalid_api_version', message: 'Invalid API Version requested' });
  });

  it('sends CORS and no X-Powered-By', async () => {
    c = await startCrimson();
    const res = await fetch(c.url + 'flows');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('POST /flows', () => {
  it('v1 deploy answers 204, v2 answers the new rev, and rev is sha256 of the compact JSON', async () => {
    c = await startCrimson();
    const r1 = await fetch(c.url + 'flows', { method: 'POST', headers: json, body: JSON.stringify(tab) });
    expect(r1.status).toBe(204);
    const got = await (await fetch(c.url + 'flows', { headers: { 'Node-RED-API-Version': 'v2' } })).json();
    expect(got.flows).toEqual(tab);
    const { createHash } = await import('node:crypto');
    expect(got.rev).toBe(createHash('sha256').update(JSON.stringify(tab)).digest('hex'));
    const r2 = await fetch(c.url + 'flows', { method: 'POST', headers: v2, body: JSON.stringify({ flows: tab, rev: got.rev }) });
    expect(r2.status).toBe(200);
    expect(await r2.json()).toEqual({ rev: got.rev });
  });

  it('v2 with a stale rev answers 409 version_mismatch and saves nothing', async () => {
    c = await startCrimson();
    await c.deploy(tab);
    const res = await fetch(c.url + 'flows', { method: 'POST', headers: v2, body: JSON.stringify({ flows: [], rev: 'abc' }) });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ code: 'version_mismatch', message: 'Error' });
    expect(await (await fetch(c.url + 'flows')).json()).toEqual(tab);
  });

  it('answers wrong body shapes as Node-RED does', async () => {
    c = await startCrimson();
    const cases: Array<[Record<string, string>, unknown, string]> = [
      [json, {}, 'config.forEach is not a function'],
      [v2, [], "Cannot read properties of undefined (reading 'forEach')"],
      [v2, {}, "Cannot read properties of undefined (reading 'forEach')"],
      [v2, { flows: {} }, 'config.forEach is not a function'],
    ];
    for (const [headers, body, message] of cases) {
      const res = await fetch(c.url + 'flows', { method: 'POST', headers, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 'unexpected_error', message });
    }
  });

  it('rejects invalid nodes before writing anything and keeps the running flows', async () => {
    c = await startCrimson();
    await c.deploy(tab);
    const before = await readFile(path.join(c.userDir, 'flows.json'), 'utf8');
    for (const bad of [[5], [{ id: 'a' }], [{ type: 'x' }], [{ id: '__proto__', type: 'x' }]]) {
      const res = await fetch(c.url + 'flows', { method: 'POST', headers: json, body: JSON.stringify(bad) });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.code).toBe('unexpected_error');
      expect(typeof body.message).toBe('string');
    }
    expect(await readFile(path.join(c.userDir, 'flows.json'), 'utf8')).toBe(before);
    expect(await (await fetch(c.url + 'flows')).json()).toEqual(tab);
  });

  it('answers malformed JSON with 400 and stays up', async () => {
    c = await startCrimson();
    const res = await fetch(c.url + 'flows', { method: 'POST', headers: json, body: '{"flows": [' });
    expect(res.status).toBe(400);
    expect((await fetch(c.url + 'flows')).status).toBe(200);
  });

  it('stores unknown types, does not start the flows, and logs the missing types', async () => {
    c = await startCrimson();
    const flows = [...tab, { id: 'u1', type: 'no-such-type', z: 't1', x: 1, y: 1, wires: [] }];
    const res = await fetch(c.url + 'flows', { method: 'POST', headers: json, body: JSON.stringify(flows) });
    expect(res.status).toBe(204);
    expect(await (await fetch(c.url + 'flows')).json()).toEqual(flows);
    expect(c.logs.some((l) => l.includes('Waiting for missing types to be registered:'))).toBe(true);
    expect(c.logs.some((l) => l.includes(' - no-such-type'))).toBe(true);
    expect(c.runtime.flows.started).toBe(false);
    // (quirk) the state still says start
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'start' });
  });

  it('reload re-reads the flows file', async () => {
    c = await startCrimson();
    await c.deploy(tab);
    const res = await fetch(c.url + 'flows', { method: 'POST', headers: { ...v2, 'Node-RED-Deployment-Type': 'reload' } });
    expect(res.status).toBe(200);
    const { createHash } = await import('node:crypto');
    expect(await res.json()).toEqual({ rev: createHash('sha256').update(JSON.stringify(tab)).digest('hex') });
  });

  it('strips credentials from the stored flows and never returns them', async () => {
    c = await startCrimson({ settings: { credentialSecret: 'test-secret' } });
    const flows = [...tab, { id: 'h1', type: 'comment', z: 't1', x: 1, y: 1, wires: [], credentials: { user: 'u', password: 'p' } }];
    await c.deploy(flows);
    const text = await (await fetch(c.url + 'flows')).text();
    expect(text).not.toContain('credentials');
    expect(text).not.toContain('"p"');
    const file = await readFile(path.join(c.userDir, 'flows.json'), 'utf8');
    expect(file).not.toContain('credentials');
    const cred = JSON.parse(await readFile(path.join(c.userDir, 'flows_cred.json'), 'utf8'));
    expect(Object.keys(cred)).toEqual(['$']);
  });

  it('flows survive a restart', async () => {
    c = await startCrimson();
    await c.deploy(tab);
    const dir = c.userDir;
    await c.stop({ keepDir: true });
    c = await startCrimson({ userDir: dir });
    expect(await (await fetch(c.url + 'flows')).json()).toEqual(tab);
    await c.stop();
    c = undefined;
  });
});

describe('/flows/state', () => {
  it('GET says start; POST is 404 unless runtimeState is enabled', async () => {
    c = await startCrimson();
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'start' });
    const res = await fetch(c.url + 'flows/state', { method: 'POST', headers: json, body: JSON.stringify({ state: 'stop' }) });
    expect(res.status).toBe(404);
  });

  it('with runtimeState enabled, stops and starts, rejects other values, and persists the choice', async () => {
    c = await startCrimson({ settings: { runtimeState: { enabled: true } } });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const bad = await fetch(c.url + 'flows/state', { method: 'POST', headers: form, body: 'state=bogus' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 'invalid_run_state', message: "Cannot change flows runtime state to 'bogus'}" });
    const stop = await fetch(c.url + 'flows/state', { method: 'POST', headers: form, body: 'state=stop' });
    expect(await stop.json()).toEqual({ state: 'stop' });
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'stop' });
    const rc = JSON.parse(await readFile(path.join(c.userDir, '.config.runtime.json'), 'utf8'));
    expect(rc.runtimeFlowState).toBe('stop');
    const dir = c.userDir;
    await c.stop({ keepDir: true });
    c = await startCrimson({ userDir: dir, settings: { runtimeState: { enabled: true } } });
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'stop' });
    const start = await fetch(c.url + 'flows/state', { method: 'POST', headers: json, body: JSON.stringify({ state: 'start' }) });
    expect(await start.json()).toEqual({ state: 'start' });
    await c.stop();
    c = undefined;
  });

  it('--safe starts with flows stopped and a deploy leaves safe mode', async () => {
    c = await startCrimson({ flows: tab, safeMode: true });
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'safe' });
    expect(c.runtime.flows.started).toBe(false);
    await c.deploy(tab);
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'start' });
    expect(c.runtime.flows.started).toBe(true);
  });
});

// Differential audit against Node-RED 4.1.15: each expectation below is the answer Node-RED gave.
describe('POST /flows as Node-RED 4.1.15 answers odd headers and bodies', () => {
  const credFile = async (started: Started) => JSON.parse(await readFile(path.join(started.userDir, 'flows_cred.json'), 'utf8'));

  it('takes an empty Node-RED-API-Version header as v1 and an empty deployment type as full', async () => {
    c = await startCrimson();
    const get = await fetch(c.url + 'flows', { headers: { 'Node-RED-API-Version': '' } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual([]);
    const post = await fetch(c.url + 'flows', { method: 'POST', headers: { ...json, 'Node-RED-API-Version': '', 'Node-RED-Deployment-Type': '' }, body: JSON.stringify(tab) });
    expect(post.status).toBe(204);
  });

  it('compares any rev given in a v2 body, even null or a number', async () => {
    c = await startCrimson();
    for (const rev of [null, 5]) {
      const res = await fetch(c.url + 'flows', { method: 'POST', headers: v2, body: JSON.stringify({ flows: tab, rev }) });
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ code: 'version_mismatch', message: 'Error' });
    }
  });

  it('applies inline credentials with Node-RED rules for unregistered types, tabs and subflow instances', async () => {
    c = await startCrimson({ settings: { credentialSecret: false } });
    const u1 = { id: 'u1', type: 'unknown-x', z: 't1', x: 1, y: 1, wires: [] };
    const t1 = { id: 't1', type: 'tab', label: 'T' };
    const sf = { id: 'sf1', type: 'subflow', name: 'S', in: [], out: [] };
    const debug = { id: 'd1', type: 'debug', z: 't1', x: 1, y: 1, wires: [] };
    await c.deploy([t1, { ...u1, credentials: { user: 'bob', password: 'p1', empty: '', n: 5 } }, { ...debug, credentials: { a: 'b' } }]);
    // a registered type without a credentials definition stores nothing
    expect(await credFile(c)).toEqual({ u1: { user: 'bob', password: 'p1', n: 5 } });
    await c.deploy([t1, { ...u1, credentials: { user: '  ', password: '__PWRD__', x: 'new' } }]);
    expect(await credFile(c)).toEqual({ u1: { password: 'p1', n: 5, x: 'new' } });
    await c.deploy([{ ...t1, credentials: { tc: 'x' } }, sf, { id: 'si', type: 'subflow:sf1', z: 't1', x: 1, y: 1, wires: [], credentials: { a: '1', b: '2' } }]);
    await c.deploy([t1, sf, { id: 'si', type: 'subflow:sf1', z: 't1', x: 1, y: 1, wires: [], credentials: { a: '__PWRD__' } }]);
    // fields a subflow instance no longer sends are dropped
    expect(await credFile(c)).toEqual({ t1: { tc: 'x' }, si: { a: '1' } });
  });

  it('lets a v2 credentials map win over inline credentials, ghost ids included', async () => {
    c = await startCrimson({ settings: { credentialSecret: false } });
    const u1 = { id: 'u1', type: 'unknown-x', z: 't1', x: 1, y: 1, wires: [] };
    const res = await fetch(c.url + 'flows', { method: 'POST', headers: v2, body: JSON.stringify({ flows: [{ id: 't1', type: 'tab' }, { ...u1, credentials: { inline: 'i' } }], credentials: { u1: { map: 'm' }, ghost: { g: 1 } } }) });
    expect(res.status).toBe(200);
    expect(await credFile(c)).toEqual({ u1: { map: 'm' }, ghost: { g: 1 } });
  });

  it('keeps only the defined fields of a registered type, __PWRD__ only for passwords', async () => {
    c = await startCrimson({ settings: { credentialSecret: false } });
    await c.runtime.loadNodeModule({ name: 'cred-probe', version: '1.0.0' }, {
      'cred-probe': (R) => {
        R.nodes.registerType('cred probe', function (this: any, config: any) { R.nodes.createNode(this, config); }, { credentials: { user: { type: 'text' }, pass: { type: 'password' } } });
      },
    });
    const node = { id: 'p1', type: 'cred probe', z: 't1', x: 1, y: 1, wires: [] };
    await c.deploy([{ id: 't1', type: 'tab' }, { ...node, credentials: { user: 'u', pass: 's', extra: 'x' } }]);
    expect(await credFile(c)).toEqual({ p1: { user: 'u', pass: 's' } });
    await c.deploy([{ id: 't1', type: 'tab' }, { ...node, credentials: { user: '__PWRD__', pass: '__PWRD__' } }]);
    expect(await credFile(c)).toEqual({ p1: { user: '__PWRD__', pass: 's' } });
  });

  it('refuses a null credential value cleanly (Node-RED 4.1.15 crashes on it)', async () => {
    c = await startCrimson();
    const res = await fetch(c.url + 'flows', { method: 'POST', headers: json, body: JSON.stringify([{ id: 't1', type: 'tab' }, { id: 'u1', type: 'unknown-x', z: 't1', x: 1, y: 1, wires: [], credentials: { a: null } }]) });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('unexpected_error');
    expect((await fetch(c.url + 'flows/state')).status).toBe(200);
  });
});

describe('/flows/state with runtimeState enabled, as Node-RED 4.1.15', () => {
  it('names an empty state in the error and keeps stopped flows stopped across deploys', async () => {
    c = await startCrimson({ settings: { runtimeState: { enabled: true } } });
    const missing = await fetch(c.url + 'flows/state', { method: 'POST', headers: json, body: '{}' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 'invalid_run_state', message: "Cannot change flows runtime state to ''}" });
    await fetch(c.url + 'flows/state', { method: 'POST', headers: json, body: JSON.stringify({ state: 'stop' }) });
    await c.deploy(tab);
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'stop' });
    expect(c.runtime.flows.started).toBe(false);
    const reload = await fetch(c.url + 'flows', { method: 'POST', headers: { 'Node-RED-Deployment-Type': 'reload' } });
    expect(reload.status).toBe(204);
    expect(await (await fetch(c.url + 'flows/state')).json()).toEqual({ state: 'stop' });
  });
});
