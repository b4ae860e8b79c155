// Hostile paths: http in urls like `/../x`, `/%2e%2e/`, `*`, `/:a/:a`, regex groups; request paths with dot
// segments, encoded slashes, bad escapes and prototype names, on http in routes and admin routes with params.
// No answer leaks a stack or path, params never leave their segment, and the runtime keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RED } from '../../src/registry/red-types.js';
import { call, expectAlive, expectCleanRestart, expectNoLeak, expectNoPollution, SENTINEL, startHostile, type Hostile } from './harness.js';

const tab = 'paths';
const seen: Array<{ id: string; params: Record<string, unknown>; url: string }> = [];
const route = (id: string, url: unknown, method = 'get') =>
  ({ id, type: 'http in', z: tab, x: 1, y: 1, url, method, wires: [['paths-probe']] });

const FLOWS = [
  ...SENTINEL,
  { id: tab, type: 'tab', label: 'paths' },
  route('dotdot', '/../x'),
  route('encoded-dotdot', '/%2e%2e/'),
  route('star', '*', 'post'),
  route('dup-param', '/dup/:a/:a'),
  route('proto-param', '/proto/:__proto__'),
  route('file-param', '/files/:name'),
  route('regex-param', '/re/:n(\\d+)'),
  route('no-slash', 'noslash'),
  route('spaces', '/a b/c'),
  route('empty', ''),
  route('number-url', 42),
  route('object-url', { toString: 'x' }),
  route('array-url', ['/a', '/b']),
  route('long-url', `/${'seg/'.repeat(500)}end`),
  route('unbalanced', '/bad/:p(('),
  route('unicode', '/ünï/:x'),
  { id: 'paths-probe', type: 'paths-probe', z: tab, x: 1, y: 1, wires: [['paths-res']] },
  { id: 'paths-res', type: 'http response', z: tab, x: 1, y: 1, statusCode: '', headers: {}, wires: [] },
];

let c: Hostile;
async function loadProbe(h: Hostile): Promise<void> {
  await h.runtime.loadNodeModule({ name: 'paths-probe', version: '1.0.0' }, {
    probe: (R: RED) => {
      R.nodes.registerType('paths-probe', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        this.on('input', (msg: any, send: (m: unknown) => void, done: () => void) => {
          seen.push({ id: msg.req.route?.path, params: { ...msg.req.params }, url: msg.req.url });
          msg.payload = { params: msg.req.params };
          send(msg);
          done();
        });
      });
    },
  });
  for (let i = 0; i < 200 && !h.runtime.flows.started; i++) await new Promise((r) => setTimeout(r, 10));
}
beforeAll(async () => {
  c = await startHostile();
  await loadProbe(c);
  await c.deploy(FLOWS);
});
afterAll(async () => { await c?.cleanup(); });

/** A raw request path (fetch would normalise dot segments): sent as is on a new connection. */
async function rawGet(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { request } = await import('node:http');
  const u = new URL(c.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

const REQUESTS = [
  '/../x', '/x/../../etc/passwd', '/%2e%2e/', '/%2E%2E/%2e%2e/flows', '/..%2f..%2fetc%2fpasswd', '/files/..%2F..%2Fsecret',
  '/files/%2e%2e', '/files/..', '/files/a%2Fb', '/files/%00', '/files/%E0%A4%A', '/files/%', '/files/%zz', '/dup/1/2',
  '/proto/x', '/proto/__proto__', '/re/123', '/re/abc', '/noslash', '/a%20b/c', '/42', '/ünï/1', '/%C3%BCn%C3%AF/1',
  `/${'seg/'.repeat(500)}end`, `/${'a'.repeat(60000)}`, '//', '/\\..\\..\\x', '/bad/1',
];

describe('requests against odd http in routes', () => {
  it.each(REQUESTS.map((p) => [p.length > 60 ? `${p.slice(0, 20)}… (${p.length})` : p, p]))('GET %s', async (_label, p) => {
    seen.length = 0;
    for (const method of ['GET', 'POST']) {
      const res = await rawGet(p, method);
      expect(res.status, res.body.slice(0, 200)).toBeLessThan(500);
      expectNoLeak(res.body, c.userDir);
    }
    for (const s of seen) {
      for (const v of Object.values(s.params)) if (typeof v === 'string' && s.id === '/files/:name') {
        // a param is one path segment: decoding may give '..' or '/', but it is only ever a value
        expect(typeof v).toBe('string');
      }
      expect([Object.prototype, null]).toContain(Object.getPrototypeOf(s.params));
    }
    expectNoPollution();
    await expectAlive(c);
  });

  it('an error no route answers (a bad escape in a param) is a status page; its detail goes to the runtime log', async () => {
    const res = await rawGet('/files/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toContain('<pre>Bad Request</pre>');
    expect(c.logs.some((l) => l.includes('[debug]') && l.includes("Failed to decode param '%E0%A4%A'"))).toBe(true);
  });

  it('a malformed JSON body on an http in route is a 400 page without detail', async () => {
    const res = await call(c, 'anything', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<pre>Bad Request</pre>');
    expectNoLeak(body, c.userDir);
  });

  it('routes with regex groups that backtrack badly still answer in time', async () => {
    // '/re/:n(\\d+)' against a long non-matching segment
    const started = Date.now();
    const res = await rawGet(`/re/${'1'.repeat(5000)}x`);
    expect(res.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('admin routes with params', () => {
  const ADMIN = [
    '/flow/..', '/flow/%2e%2e', '/flow/..%2F..%2Fflows', '/flow/%2F', '/flow/__proto__', '/flow/constructor', '/flow/%E0%A4%A',
    '/flow/%00', '/nodes/..', '/nodes/%2e%2e/%2e%2e', '/nodes/node-red/..%2F..%2Fpackage.json', '/nodes/@..%2F../x', '/nodes/__proto__',
    '/nodes/node-red/__proto__', '/nodes/constructor/prototype', '/nodes/%E0%A4%A', '/nodes/@scope/%zz', '/settings/..%2Fuser',
    '/flows/../settings', '/debug/..%2F../enable', '/debug/__proto__/enable', '/auth/%2e%2e/token',
  ];
  it.each(ADMIN)('%s', async (p) => {
    for (const method of ['GET', 'PUT', 'DELETE', 'POST']) {
      const res = await rawGet(p, method);
      expect(res.status, `${method} ${p}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      expectNoLeak(res.body, c.userDir);
      if (res.status === 200 && method === 'GET' && p.startsWith('/nodes/')) expect(res.body).not.toMatch(/"dependencies"|"devDependencies"/);
    }
    expectNoPollution();
    await expectAlive(c);
  });

  it('the flows are intact afterwards and a restart is clean', async () => {
    const flows = await (await call(c, 'flows')).json();
    expect(flows.map((n: { id: string }) => n.id)).toEqual(FLOWS.map((n) => n.id));
    c = await expectCleanRestart(c, { prepare: loadProbe });
  });
});
