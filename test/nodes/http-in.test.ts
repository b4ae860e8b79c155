import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, rawRequest, type Harness, type Msg } from './http/harness.js';
import { jsonParseMessage } from '../helpers/json-error.js';

// Expected values are what Node-RED 4.1.15 produced for the same requests (default roots: both '/').
let h: Harness;
const seen: Msg[] = [];
/** Records the message and answers the request itself, so every test sees the raw http in message. */
const capture = (msg: Msg) => { seen.push(msg); msg.res._res.status(200).end('ok'); };
const last = () => seen[seen.length - 1]!;
const httpIn = (id: string, method: string, url: string, extra: Record<string, unknown> = {}) =>
  ({ id, type: 'http in', method, url, upload: false, swaggerDoc: '', wires: [['cap']], ...extra });

beforeAll(async () => {
  h = await startHarness({});
  h.deploy([
    h.probe('cap', capture),
    httpIn('get-q', 'get', '/q'),
    httpIn('get-params', 'get', '/g/:id/:opt?'),
    httpIn('get-star', 'get', '/star/*'),
    httpIn('get-noslash', 'get', 'noslash'),
    httpIn('post-p', 'post', '/p'),
    httpIn('put-p', 'put', '/p'),
    httpIn('patch-p', 'patch', '/p'),
    httpIn('delete-p', 'delete', '/p'),
    httpIn('post-up', 'post', '/up', { upload: true }),
    httpIn('post-raw', 'post', '/raw', { skipBodyParsing: true }),
    httpIn('get-raw', 'get', '/rawget', { skipBodyParsing: true }),
  ]);
});
afterAll(async () => { await h.stop(); });

describe('http in: the message', () => {
  it('is {_msgid, req, res, payload} with payload = query for GET (qs parsing)', async () => {
    const r = await rawRequest(h.url + 'q?a=1&a=2&b[c]=3&hasOwnProperty=z');
    expect(r.status).toBe(200);
    const msg = last();
    expect(Object.keys(msg)).toEqual(['_msgid', 'req', 'res', 'payload']);
    expect(msg._msgid).toMatch(/^[0-9a-f]{16}$/);
    expect(msg.payload).toEqual({ a: ['1', '2'], b: { c: '3' }, hasOwnProperty: 'z' });
    expect(msg.payload).toBe(msg.req.query);
    expect(msg.res._res._msgid).toBe(msg._msgid);
    expect(msg.req.route.path).toBe('/q');
  });

  it('never lets a query pollute prototypes', async () => {
    await rawRequest(h.url + 'q?__proto__[x]=1&d[__proto__][e]=1&constructor[prototype][y]=2');
    const q = last().payload;
    expect(({} as Msg).x).toBeUndefined();
    expect(({} as Msg).y).toBeUndefined();
    expect(Object.hasOwn(q, '__proto__')).toBe(false);
    expect(q.d).toEqual({});
    expect(Object.getPrototypeOf(q)).toBe(Object.prototype);
  });

  it('makes req.headers an own enumerable property and parses cookies', async () => {
    await rawRequest(h.url + 'q', { headers: { cookie: 'a=1; b=j:{"c":2}; c=%20x', 'x-test': 'yes' } });
    const req = last().req;
    expect(Object.keys(req)).toContain('headers');
    expect(Object.getOwnPropertyDescriptor(req, 'headers')).toMatchObject({ enumerable: true, writable: false, configurable: false });
    expect(req.headers['x-test']).toBe('yes');
    expect({ ...req.cookies }).toEqual({ a: '1', b: { c: 2 }, c: ' x' });
  });

  it('fills req.params from Express path syntax (:param, :param?, *), decoded', async () => {
    await rawRequest(h.url + 'g/abc');
    expect(last().req.params).toEqual({ id: 'abc', opt: undefined });
    await rawRequest(h.url + 'g/abc/def?x=1');
    expect(last().req.params).toEqual({ id: 'abc', opt: 'def' });
    expect(last().payload).toEqual({ x: '1' });
    await rawRequest(h.url + 'g/a%20b%2Fc/');
    expect(last().req.params).toEqual({ id: 'a b/c', opt: undefined });
    await rawRequest(h.url + 'star/a/b/c');
    expect(last().req.params).toEqual({ 0: 'a/b/c' });
  });

  it('answers a bad escape in a param with 400 without running the flow', async () => {
    const before = seen.length;
    const r = await rawRequest(h.url + 'g/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.text).toContain('URIError: Failed to decode param &#39;%E0%A4%A&#39;');
    expect(seen.length).toBe(before);
  });

  it('adds the missing leading slash; HEAD runs the GET route; other methods get 404', async () => {
    expect((await rawRequest(h.url + 'noslash')).status).toBe(200);
    const before = seen.length;
    expect((await rawRequest(h.url + 'q?h=1', { method: 'HEAD' })).status).toBe(200);
    expect(seen.length).toBe(before + 1);
    expect(last().payload).toEqual({ h: '1' });
    const r = await rawRequest(h.url + 'q', { method: 'POST' });
    expect(r.status).toBe(404);
    expect(r.text).toContain('<pre>Cannot POST /q</pre>');
  });

  it('gives msg.res helpers that work and warn', async () => {
    const warned = h.warnings().length;
    h.deploy([
      h.probe('helper', (msg) => { expect(msg.res.status(202)).toBe(msg.res); msg.res.send('via helper'); }),
      { id: 'get-helper', type: 'http in', method: 'get', url: '/helper', wires: [['helper']] },
    ]);
    const r = await rawRequest(h.url + 'helper');
    expect(r.status).toBe(202);
    expect(r.text).toBe('via helper');
    expect(h.warnings().slice(warned)).toEqual(['Deprecated call to msg.res.status', 'Deprecated call to msg.res.send']);
    await rawRequest(h.url + 'q');
    expect(Object.keys(last().res)).toEqual(['_res', 'append', 'attachment', 'cookie', 'clearCookie', 'download', 'end',
      'format', 'get', 'json', 'jsonp', 'links', 'location', 'redirect', 'render', 'send', 'sendfile', 'sendFile',
      'sendStatus', 'set', 'status', 'type', 'vary']);
  });
});

describe('http in: lifecycle and settings', () => {
  it('removes its route on close; a redeployed url answers from the new node', async () => {
    const local = await startHarness({});
    try {
      const hits: string[] = [];
      const answer = (tag: string) => (msg: Msg) => { hits.push(tag); msg.res._res.end(tag); };
      local.deploy([local.probe('a', answer('first')), { id: 'in1', type: 'http in', method: 'get', url: '/x', wires: [['a']] }]);
      expect((await rawRequest(local.url + 'x')).text).toBe('first');
      await local.closeAll();
      expect((await rawRequest(local.url + 'x')).status).toBe(404);
      local.deploy([local.probe('b', answer('second')), { id: 'in2', type: 'http in', method: 'get', url: '/x', wires: [['b']] }]);
      expect((await rawRequest(local.url + 'x')).text).toBe('second');
    } finally {
      await local.stop();
    }
  });

  it('warns instead of routing without a url, or when httpNodeRoot is false', async () => {
    const local = await startHarness({});
    const off = await startHarness({ httpNodeRoot: false });
    try {
      local.deploy([{ id: 'nourl', type: 'http in', method: 'get', url: '', wires: [] }]);
      expect(local.warnings()).toEqual(['missing path']);
      off.deploy([{ id: 'off', type: 'http in', method: 'get', url: '/x', wires: [] }]);
      expect(off.warnings()).toEqual(['Cannot create http-in node when httpNodeRoot set to false']);
    } finally {
      await local.stop();
      await off.stop();
    }
  });

  it('runs httpNodeMiddleware and httpNodeCors on its routes only; other roots: bad JSON is a 500 + warning', async () => {
    const local = await startHarness({
      httpAdminRoot: '/admin', httpNodeRoot: '/api',
      httpNodeMiddleware: (req, res, next) => { res.set('x-mw', req.path); next(); },
      httpNodeCors: { origin: '*', methods: 'GET,PUT,POST,DELETE' },
      apiMaxLength: '1kb',
    });
    try {
      local.deploy([
        local.probe('ok', (msg) => { msg.res._res.end(typeof msg.payload === 'string' ? String(msg.payload.length) : 'ok'); }),
        { id: 'in', type: 'http in', method: 'post', url: '/p', wires: [['ok']] },
      ]);
      const r = await rawRequest(local.url + 'p', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(3000) });
      expect(r.status).toBe(200);
      expect(r.text).toBe('3000'); // raw bodies are not limited (as in Node-RED)
      expect(r.headers.slice(0, 2)).toEqual([['x-mw', '/p'], ['Access-Control-Allow-Origin', '*']]);
      const missing = await rawRequest(local.url + 'nothing');
      expect(missing.status).toBe(404);
      expect(missing.headers.map(([k]) => k)).not.toContain('x-mw');
      const bad = await rawRequest(local.url + 'p', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' });
      expect([bad.status, bad.text]).toEqual([500, 'Internal Server Error']);
      const big = await rawRequest(local.url + 'p', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(2000) }) });
      expect(big.status).toBe(500);
      expect(local.warnings()).toEqual([
        `SyntaxError: ${jsonParseMessage('{bad')}`,
        'PayloadTooLargeError: request entity too large',
      ]);
      const pre = await rawRequest(local.url + 'p', { method: 'OPTIONS', headers: { origin: 'http://x', 'access-control-request-method': 'PUT' } });
      expect(pre.status).toBe(204);
      expect(pre.headers).toContainEqual(['Access-Control-Allow-Methods', 'GET,PUT,POST,DELETE']);
    } finally {
      await local.stop();
    }
  });
});
