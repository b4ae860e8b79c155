// The front door: with both roots at '/', flow requests skip the admin app, yet every answer is the one
// the full way (root app -> admin app -> node app) gives: admin routes win over http in routes on the
// same path (also routes a node adds to RED.httpAdmin later), flow answers carry the admin CORS header,
// unknown paths get Express's 404 page, bad bodies its 400 page. The same checks run with
// httpAdminMiddleware set, which turns the short way off, so both ways are compared.
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { RED } from '../../src/registry/red-types.js';

const flows = [
  { id: 't', type: 'tab', label: 't' },
  { id: 'in1', type: 'http in', z: 't', url: '/hello', method: 'get', x: 1, y: 1, wires: [['ch']] },
  { id: 'ch', type: 'change', z: 't', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'hi', tot: 'str' }], x: 1, y: 1, wires: [['out']] },
  { id: 'in2', type: 'http in', z: 't', url: '/settings', method: 'get', x: 1, y: 1, wires: [['ch']] },
  { id: 'in3', type: 'http in', z: 't', url: '/late', method: 'get', x: 1, y: 1, wires: [['ch']] },
  { id: 'in4', type: 'http in', z: 't', url: '/echo', method: 'post', x: 1, y: 1, wires: [['out']] },
  { id: 'out', type: 'http response', z: 't', x: 1, y: 1, wires: [] },
];

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const strip = (h: Headers) => { const o = Object.fromEntries(h); delete o.date; return o; };

async function answers(settings: Record<string, unknown>) {
  c = await startCrimson({ flows, settings });
  await new Promise((r) => setTimeout(r, 100));
  const get = async (p: string, init?: RequestInit) => {
    const res = await fetch(c!.url + p.slice(1), init);
    return { status: res.status, headers: strip(res.headers), body: await res.text() };
  };
  const out = {
    hello: await get('/hello'),
    settingsIsAdmin: JSON.parse((await get('/settings')).body).httpNodeRoot,
    missing: await get('/nothing/here'),
    badJson: await get('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' }),
    echo: await get('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }),
    lateBefore: (await get('/late')).body,
    lateAfter: '',
  };
  // a node package adding an admin route once the runtime runs: it wins over the http in route
  await c.runtime.loadNodeModule({ name: 'late-admin', version: '1.0.0' }, {
    late: (R: RED) => { R.httpAdmin.get('/late', (_req: unknown, res: { send(s: string): void }) => res.send('admin')); },
  });
  out.lateAfter = (await get('/late')).body;
  await c.stop();
  c = undefined;
  return out;
}

describe('the front door', () => {
  it('gives the answers of the full way', async () => {
    const short = await answers({});
    const full = await answers({ httpAdminMiddleware: (_req: unknown, _res: unknown, next: () => void) => next() });
    expect(short).toEqual(full);
    expect(short.hello).toMatchObject({ status: 200, body: 'hi' });
    expect(short.hello.headers['access-control-allow-origin']).toBe('*');
    expect(short.settingsIsAdmin).toBe('/');
    expect(short.missing.status).toBe(404);
    expect(short.missing.body).toContain('Cannot GET /nothing/here');
    expect(short.badJson.status).toBe(400);
    expect(short.echo).toMatchObject({ status: 200, body: '{"a":1}' });
    expect(short.lateBefore).toBe('hi');
    expect(short.lateAfter).toBe('admin');
  });
});
