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
    // a browser's preflight: the admin app's cors answer (the short way sets one header on other requests only)
    preflight: await get('/hello', { method: 'OPTIONS', headers: { origin: 'http://elsewhere.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-custom' } }),
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
    expect(short.hello.headers).not.toHaveProperty('access-control-allow-methods');
    expect(short.preflight).toMatchObject({ status: 204, body: '' });
    expect(short.preflight.headers).toMatchObject({
      'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET,PUT,POST,DELETE',
      'access-control-allow-headers': 'x-custom', vary: 'Access-Control-Request-Headers',
    });
    expect(short.settingsIsAdmin).toBe('/');
    expect(short.missing.status).toBe(404);
    expect(short.missing.body).toContain('Cannot GET /nothing/here');
    expect(short.badJson.status).toBe(400);
    expect(short.echo).toMatchObject({ status: 200, body: '{"a":1}' });
    expect(short.lateBefore).toBe('hi');
    expect(short.lateAfter).toBe('admin');
  });
});

describe('the front door with other roots', () => {
  // the tab, the /hello and /echo routes and the response of the flows above, and routes that show the request
  const shared = flows.filter((n) => ['t', 'in1', 'ch', 'in4', 'out'].includes(n.id));
  const route = (id: string, url: string, to: string) => ({ id, type: 'http in', z: 't', url, method: 'get', x: 1, y: 1, wires: [[to]] });
  const fn = (id: string, func: string) => ({ id, type: 'function', z: 't', func, outputs: 1, x: 1, y: 1, wires: [['out']] });
  const rooted = [
    ...shared,
    route('p1', '/p/:id', 'fn'),
    route('p2', '/', 'fn'),
    fn('fn', 'const r = msg.req;\nmsg.payload = { baseUrl: r.baseUrl, url: r.url, originalUrl: r.originalUrl, path: r.path, params: r.params, query: r.query };\nreturn msg;'),
    // which way a request came: the full way leaves it with exactly the node app's Express prototype
    route('p3', '/way', 'fw'),
    fn('fw', 'msg.payload = { short: Object.getPrototypeOf(msg.req) !== msg.req.app.request };\nreturn msg;'),
  ];
  const paths = ['/api/hello', '/API/Hello', '/api/hello/', '/api/p/7?q=1', '/api/p/8/', '/api', '/api/', '/api?x=1', '/apix/hello',
    '/hello', '/p/9', '/admin/settings', '/admin/hello', '/admin/api/hello', '/api/nothing', '/admin', '/api//p/3'];

  async function answers(settings: Record<string, unknown>) {
    c = await startCrimson({ flows: rooted, settings });
    await new Promise((r) => setTimeout(r, 100));
    const origin = c.url.replace(/^(https?:\/\/[^/]+).*$/, '$1');
    const out: Record<string, unknown> = {};
    for (const p of paths) {
      const res = await fetch(origin + p, { redirect: 'manual' });
      const body = await res.text();
      // the admin app's answers (settings, editor) are compared by status only
      out[p] = { status: res.status, headers: strip(res.headers), body: body.startsWith('{"httpNodeRoot"') || (res.status === 200 && body.includes('<html')) ? '(admin)' : body };
    }
    const bad = await fetch(origin + '/api/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' });
    out.badJson = { status: bad.status, body: await bad.text() };
    const echo = await fetch(origin + '/api/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    out.echo = { status: echo.status, body: await echo.text() };
    await c.stop();
    c = undefined;
    return out;
  }
  const fullWay = { httpAdminMiddleware: (_req: unknown, _res: unknown, next: () => void) => next() };

  for (const roots of [{ httpNodeRoot: '/api' }, { httpAdminRoot: '/admin', httpNodeRoot: '/api' }, { httpAdminRoot: '/admin' }]) {
    it(`gives the answers of the full way with ${JSON.stringify(roots)}`, async () => {
      const short = await answers(roots);
      const full = await answers({ ...roots, ...fullWay });
      expect(short).toEqual(full);
      if (roots.httpNodeRoot === '/api') {
        expect(short['/api/hello']).toMatchObject({ status: 200, body: 'hi' });
        expect(short['/API/Hello']).toMatchObject({ status: 200, body: 'hi' });
        expect(JSON.parse((short['/api/p/7?q=1'] as { body: string }).body)).toEqual({
          baseUrl: '/api', url: '/p/7?q=1', originalUrl: '/api/p/7?q=1', path: '/p/7', params: { id: '7' }, query: { q: '1' },
        });
        expect((short['/api/nothing'] as { status: number; body: string })).toMatchObject({ status: 404 });
        expect((short['/api/nothing'] as { body: string }).body).toContain('Cannot GET /api/nothing');
        expect((short['/hello'] as { status: number }).status).toBe(404);
      }
    });

    it(`serves flow requests by the short way with ${JSON.stringify(roots)}`, async () => {
      const way = async (settings: Record<string, unknown>) => {
        c = await startCrimson({ flows: rooted, settings });
        await new Promise((r) => setTimeout(r, 100));
        const origin = c.url.replace(/^(https?:\/\/[^/]+).*$/, '$1');
        const res = await fetch(origin + (roots.httpNodeRoot === '/api' ? '/api/way' : '/way'));
        const body = await res.json();
        await c.stop();
        c = undefined;
        return body;
      };
      expect(await way(roots)).toEqual({ short: true });
      expect(await way({ ...roots, ...fullWay })).toEqual({ short: false });
    });
  }
});
