// /nodes palette endpoints, against the answers Node-RED 4.1.15 gives.
import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const acceptJson = { accept: 'application/json' };
const put = { 'content-type': 'application/json' };
let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

describe('/nodes', () => {
  it('lists core sets as JSON only for Accept: application/json exactly', async () => {
    c = await startCrimson();
    const list = await (await fetch(c.url + 'nodes', { headers: acceptJson })).json();
    const fnSet = list.find((s: { id: string }) => s.id === 'node-red/function');
    expect(fnSet).toEqual({ id: 'node-red/function', name: 'function', types: ['function'], enabled: true, local: false, user: false, module: 'node-red', version: '4.1.15' });
    expect(list.find((s: { id: string }) => s.id === 'node-red/httpin').types).toEqual(['http in', 'http response']);
    const html = await fetch(c.url + 'nodes', { headers: { accept: 'application/json, */*' } });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('<!-- --- [red-module:node-red/function] --- -->');
  });

  it('GET /nodes/:module and /nodes/:module/:set', async () => {
    c = await startCrimson();
    const mod = await (await fetch(c.url + 'nodes/node-red', { headers: acceptJson })).json();
    expect(mod.name).toBe('node-red');
    expect(mod.version).toBe('4.1.15');
    expect(mod).not.toHaveProperty('local');
    expect(Array.isArray(mod.nodes)).toBe(true);
    const set = await (await fetch(c.url + 'nodes/node-red/change', { headers: acceptJson })).json();
    expect(set.types).toEqual(['change']);
    const nf = await fetch(c.url + 'nodes/node-red/nope', { headers: acceptJson });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ code: 'not_found', message: 'Node not found' });
    const nm = await fetch(c.url + 'nodes/nope');
    expect(nm.status).toBe(404);
    expect(await nm.json()).toEqual({ code: 'not_found', message: 'Module not found' });
  });

  it('PUT enables and disables sets as Node-RED answers', async () => {
    c = await startCrimson({ flows: [{ id: 't', type: 'tab' }, { id: 'n', type: 'comment', z: 't', x: 1, y: 1, wires: [] }] });
    const call = async (p: string, body: unknown) => {
      const res = await fetch(c!.url + p, { method: 'PUT', headers: put, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    };
    const base = { id: 'node-red/function', name: 'function', types: ['function'], local: false, user: false, module: 'node-red' };
    expect(await call('nodes/node-red/function', {})).toEqual({ status: 400, body: { code: 'invalid_request', message: 'Invalid request' } });
    expect(await call('nodes/node-red/comment', { enabled: false })).toEqual({ status: 400, body: { code: 'type_in_use', message: 'Type in use: comment' } });
    expect(await call('nodes/node-red/function', { enabled: false })).toEqual({ status: 200, body: { ...base, enabled: false } });
    expect(await call('nodes/node-red/function', { enabled: false })).toEqual({ status: 200, body: { ...base, enabled: false, version: '4.1.15' } });
    const saved = JSON.parse(await readFile(path.join(c.userDir, '.config.nodes.json'), 'utf8'));
    expect(saved['node-red'].nodes.function.enabled).toBe(false);
    expect(await call('nodes/node-red/function', { enabled: true })).toEqual({ status: 200, body: { ...base, enabled: true, loaded: true, version: '4.1.15' } });
    expect(await call('nodes/node-red/nope', { enabled: false })).toEqual({ status: 400, body: { code: 'not_found', message: 'Node not found' } });
    expect(await call('nodes/nope', { enabled: false })).toEqual({ status: 400, body: { code: 'not_found', message: 'Module not found' } });
    expect(await call('nodes/node-red', { enabled: false })).toEqual({ status: 400, body: { code: 'type_in_use', message: 'Type in use: comment' } });
    // a refused module change changes nothing
    const list = await (await fetch(c.url + 'nodes', { headers: acceptJson })).json();
    expect(list.every((s: { enabled: boolean }) => s.enabled)).toBe(true);
  });

  it('a disabled set stays disabled across a restart and its types count as missing', async () => {
    c = await startCrimson();
    await fetch(c.url + 'nodes/node-red/function', { method: 'PUT', headers: put, body: JSON.stringify({ enabled: false }) });
    const dir = c.userDir;
    await c.stop({ keepDir: true });
    c = await startCrimson({ userDir: dir, flows: [{ id: 't', type: 'tab' }, { id: 'f', type: 'function', z: 't', x: 1, y: 1, func: 'return msg;', wires: [] }] });
    const set = await (await fetch(c.url + 'nodes/node-red/function', { headers: acceptJson })).json();
    expect(set.enabled).toBe(false);
    expect(c.runtime.flows.missingTypes).toEqual(['function']);
  });
});

// Differential audit against Node-RED 4.1.15: each expectation below is the answer Node-RED gave.
describe('/nodes routes and PUT values as Node-RED 4.1.15', () => {
  const debugSet = { id: 'node-red/debug', name: 'debug', types: ['debug'], enabled: true, local: false, user: false, module: 'node-red', version: '4.1.15' };
  const putJson = (p: string, body: unknown) => fetch(c!.url + p, { method: 'PUT', headers: put, body: JSON.stringify(body) });

  it('has no trailing-slash forms of the module and set routes', async () => {
    c = await startCrimson();
    expect((await fetch(c.url + 'nodes/node-red/debug/', { headers: acceptJson })).status).toBe(404);
    expect((await fetch(c.url + 'nodes/node-red/')).status).toBe(404);
    expect((await putJson('nodes/node-red/comment/', { enabled: true })).status).toBe(404);
    expect(await (await fetch(c.url + 'nodes/node-red/debug', { headers: acceptJson })).json()).toEqual(debugSet);
  });

  it('answers any path starting with /nodes/messages with the catalogues', async () => {
    c = await startCrimson();
    const res = await fetch(c.url + 'nodes/messagesX');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });

  it('treats enabled:null as a disable, and a no-op enable answers without loaded', async () => {
    c = await startCrimson({ flows: [{ id: 't1', type: 'tab' }, { id: 'd1', type: 'debug', z: 't1', x: 1, y: 1, wires: [] }] });
    const nul = await putJson('nodes/node-red/debug', { enabled: null });
    expect(nul.status).toBe(400);
    expect(await nul.json()).toEqual({ code: 'type_in_use', message: 'Type in use: debug' });
    expect(await (await putJson('nodes/node-red/debug', { enabled: true })).json()).toEqual(debugSet);
    // the module answer names only the first set in use
    const mod = await putJson('nodes/node-red', { enabled: false });
    expect(await mod.json()).toEqual({ code: 'type_in_use', message: 'Type in use: debug' });
  });

  it('serves the HTML of a disabled set when asked for it alone', async () => {
    c = await startCrimson();
    await putJson('nodes/node-red/comment', { enabled: false });
    const html = await (await fetch(c.url + 'nodes/node-red/comment')).text();
    expect(html.startsWith('<!-- --- [red-module:node-red/comment] --- -->\n')).toBe(true);
  });
});
