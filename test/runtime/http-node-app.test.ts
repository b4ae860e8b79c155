import { describe, it, expect, afterEach } from 'vitest';
import http from 'node:http';
import crypto from 'node:crypto';
import express from 'express';
import bcrypt from 'bcryptjs';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import { createHttpNodeApp, routesOf, adminParsesNodeBodies, type HttpNodeApp } from '../../src/runtime/http-node-app.js';
import { createLogger } from '../../src/runtime/logger.js';
import type { Settings } from '../../src/settings/types.js';
import { rawRequest } from '../nodes/http/harness.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) { s.closeAllConnections(); await new Promise((r) => s.close(r)); }
});

async function serve(settings: Settings = {}, logLines: string[] = []): Promise<{ url: string; node: HttpNodeApp }> {
  const logger = createLogger({ logging: { console: { level: 'warn' } }, write: (l) => logLines.push(l) });
  const node = createHttpNodeApp({ settings, logger });
  const root = express();
  root.disable('x-powered-by');
  root.use('/', node.app);
  const server = http.createServer(root);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, node };
}
const reply = (text: string): RequestHandler => (_req, res) => { res.send(text); };
const handler = (fn: RequestHandler) => fn;

describe('http node app: routing', () => {
  it('matches like an Express 4 route: case-insensitive, optional trailing slash, raw path, literal dot', async () => {
    const { url, node } = await serve();
    node.addRoute('get', '/Case/Mixed', reply('case'));
    node.addRoute('get', '/dot.json', reply('dot'));
    node.addRoute('get', '/enc%20x', reply('enc'));
    node.addRoute('get', '/', reply('root'));
    expect((await rawRequest(url + 'case/MIXED/')).text).toBe('case');
    expect((await rawRequest(url + 'dot.json')).text).toBe('dot');
    expect((await rawRequest(url + 'dotxjson')).status).toBe(404);
    expect((await rawRequest(url + 'enc%20x')).text).toBe('enc');
    expect((await rawRequest(url + 'enc%2520x')).status).toBe(404);
    expect((await rawRequest(url)).text).toBe('root');
    expect((await rawRequest(url + '/case/mixed')).status).toBe(404);
  });

  it('lets the first matching route win across static and param paths, and removal hands over', async () => {
    const { url, node } = await serve();
    const byParam = node.addRoute('get', '/user/:id', handler((req, res) => { res.send(`param ${req.params.id}`); }));
    const fixed = node.addRoute('get', '/user/me', reply('static'));
    expect((await rawRequest(url + 'user/me')).text).toBe('param me');
    node.removeRoute(byParam);
    expect((await rawRequest(url + 'user/me')).text).toBe('static');
    expect((await rawRequest(url + 'user/x')).status).toBe(404);
    const dup = node.addRoute('get', '/user/me', reply('second'));
    expect((await rawRequest(url + 'user/me')).text).toBe('static');
    node.removeRoute(fixed);
    expect((await rawRequest(url + 'user/me')).text).toBe('second');
    node.removeRoute(dup);
    node.removeRoute(dup);
    expect((await rawRequest(url + 'user/me')).status).toBe(404);
  });

  it('serves HEAD from GET routes and answers unknown routes with Express 404 pages', async () => {
    const { url, node } = await serve();
    node.addRoute('get', '/x', reply('hello'));
    const head = await rawRequest(url + 'x', { method: 'HEAD' });
    expect([head.status, head.body.length]).toEqual([200, 0]);
    expect(head.headers).toContainEqual(['Content-Length', '5']);
    const miss = await rawRequest(url + 'x', { method: 'DELETE' });
    expect(miss.status).toBe(404);
    expect(miss.headers).toEqual([
      ['Content-Security-Policy', "default-src 'none'"], ['X-Content-Type-Options', 'nosniff'],
      ['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', '143'],
    ]);
    expect(miss.text).toContain('<pre>Cannot DELETE /x</pre>');
  });

  it('answers OPTIONS with Allow like Express when no CORS is configured', async () => {
    const { url, node } = await serve();
    node.addRoute('get', '/opt', reply('g'));
    node.addRoute('post', '/opt', reply('p'));
    const r = await rawRequest(url + 'opt', { method: 'OPTIONS' });
    expect(r.status).toBe(200);
    expect(r.headers).toEqual([['Allow', 'GET,HEAD,POST'], ['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', '13'], ['ETag', 'W/"d-bMedpZYGrVt1nR4x+qdNZ2GqyRo"']]);
    expect((await rawRequest(url + 'nothing', { method: 'OPTIONS' })).status).toBe(404);
  });

  it('has no X-Powered-By, honours httpServerOptions, and puts third-party routes after the table', async () => {
    const { url, node } = await serve({ httpServerOptions: { etag: false } });
    node.addRoute('get', '/both', reply('table'));
    node.app.get('/both', reply('third-party'));
    node.app.get('/plugin/:a', (req, res) => { res.send(`plugin ${req.params.a}`); });
    const r = await rawRequest(url + 'both');
    expect(r.text).toBe('table');
    expect(r.headers.map(([k]) => k)).not.toContain('X-Powered-By');
    expect(r.headers.map(([k]) => k)).not.toContain('ETag');
    expect((await rawRequest(url + 'plugin/7')).text).toBe('plugin 7');
    expect(routesOf(node.app).addRoute).toBe(node.addRoute);
    expect(() => routesOf(express())).toThrow('not a Crimson http node app');
  });

  it('runs a route chain like Express: next(err) reaches the error handler, throws too', async () => {
    const { url, node } = await serve();
    node.addRoute('get', '/chain', handler((_q, _s, next) => next(new Error('boom'))), reply('skipped'),
      (err: Error, _req: unknown, res: express.Response, _next: unknown) => { res.status(500).send(`handled ${err.message}`); });
    node.addRoute('get', '/throw', () => { throw new Error('thrown'); });
    expect((await rawRequest(url + 'chain')).text).toBe('handled boom');
    const t = await rawRequest(url + 'throw');
    expect(t.status).toBe(500);
    expect(t.text).toContain('Error: thrown');
  });

  it('captures raw bodies for registered method + path pairs before any parser', async () => {
    const { url, node } = await serve();
    node.addRoute('post', '/raw', handler((req, res) => { res.send(Buffer.isBuffer(req.body) ? `buffer ${req.body.length}` : typeof req.body); }));
    node.addRawBodyPath('post', '/raw');
    const send = () => rawRequest(url + 'raw', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect((await send()).text).toBe('buffer 7');
    node.addRawBodyPath('post', '//raw/');
    node.removeRawBodyPath('post', '/raw');
    expect((await send()).text).toBe('buffer 7');
    node.removeRawBodyPath('post', '/raw');
    expect((await send()).text).toBe('object');
  });
});

describe('http node app: settings', () => {
  it('knows when the admin app parses node bodies first (admin root a prefix of the node root)', () => {
    expect(adminParsesNodeBodies({})).toBe(true);
    expect(adminParsesNodeBodies({ httpAdminRoot: '/', httpNodeRoot: '/api' })).toBe(true);
    expect(adminParsesNodeBodies({ httpAdminRoot: '/admin', httpNodeRoot: '/' })).toBe(false);
    expect(adminParsesNodeBodies({ httpAdminRoot: false })).toBe(false);
    expect(adminParsesNodeBodies({ httpRoot: 'red' })).toBe(true);
  });

  it('protects the whole root with httpNodeAuth basic auth (bcrypt), OPTIONS exempt', async () => {
    const { url, node } = await serve({ httpNodeAuth: { user: 'u', pass: bcrypt.hashSync('p', 4) } });
    node.addRoute('get', '/x', reply('in'));
    const denied = await rawRequest(url + 'x');
    expect(denied.status).toBe(401);
    expect(denied.headers).toEqual([
      ['WWW-Authenticate', 'Basic realm="Authorization Required"'], ['Content-Type', 'text/plain; charset=utf-8'],
      ['Content-Length', '12'], ['ETag', 'W/"c-dAuDFQrdjS3hezqxDTNgW7AOlYk"'],
    ]);
    expect(denied.text).toBe('Unauthorized');
    const auth = (up: string) => ({ authorization: 'Basic ' + Buffer.from(up).toString('base64') });
    expect((await rawRequest(url + 'x', { headers: auth('u:wrong') })).status).toBe(401);
    expect((await rawRequest(url + 'x', { headers: auth('v:p') })).status).toBe(401);
    expect((await rawRequest(url + 'x', { headers: auth('u:p') })).text).toBe('in');
    expect((await rawRequest(url + 'x', { headers: auth('u:p') })).text).toBe('in');
    expect((await rawRequest(url + 'nothing', { headers: auth('u:p') })).status).toBe(404);
    expect((await rawRequest(url + 'nothing')).status).toBe(401);
    expect((await rawRequest(url + 'x', { method: 'OPTIONS' })).status).toBe(200);
  });

  it('accepts a legacy md5 password, a middleware, or warns about an unusable setting', async () => {
    const md5 = crypto.createHash('md5').update('secret').digest('hex');
    const a = await serve({ httpNodeAuth: { user: 'u', pass: md5 } });
    a.node.addRoute('get', '/x', reply('md5 ok'));
    expect((await rawRequest(a.url + 'x', { headers: { authorization: 'Basic ' + Buffer.from('u:secret').toString('base64') } })).text).toBe('md5 ok');
    const b = await serve({ httpNodeAuth: [(req, res, next) => (req.headers['x-key'] === 'k' ? next() : res.status(403).end())] });
    b.node.addRoute('get', '/x', reply('mw ok'));
    expect((await rawRequest(b.url + 'x')).status).toBe(403);
    expect((await rawRequest(b.url + 'x', { headers: { 'x-key': 'k' } })).text).toBe('mw ok');
    const lines: string[] = [];
    await serve({ httpNodeAuth: { user: 'u' } as never }, lines);
    expect(lines.some((l) => l.includes('[warn] httpNodeAuth ignored'))).toBe(true);
  });

  it('answers CORS preflights for any path when httpNodeCors is set', async () => {
    const { url } = await serve({ httpNodeCors: { origin: '*', methods: 'GET,PUT,POST,DELETE' } });
    const r = await rawRequest(url + 'anything', { method: 'OPTIONS', headers: { origin: 'http://x', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-y' } });
    expect(r.status).toBe(204);
    expect(r.headers).toEqual([
      ['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'GET,PUT,POST,DELETE'],
      ['Vary', 'Access-Control-Request-Headers'], ['Access-Control-Allow-Headers', 'x-y'], ['Content-Length', '0'],
    ]);
  });

  it('parses JSON/urlencoded bodies up front when the admin app would (bad JSON -> 400 before auth)', async () => {
    const shared = await serve({ httpNodeAuth: { user: 'u', pass: bcrypt.hashSync('p', 4) } });
    const bad = await rawRequest(shared.url + 'x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' });
    expect(bad.status).toBe(400);
    const split = await serve({ httpAdminRoot: '/admin', httpNodeRoot: '/' });
    split.node.addRoute('post', '/x', handler((req, res) => { res.send(typeof req.body); }));
    expect((await rawRequest(split.url + 'x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' })).text).toBe('undefined');
  });
});
