// Hostile headers and credentials: absurd API-version / deployment-type headers, Authorization headers of
// every malformed shape (adminAuth on), token requests with prototype keys and values of the wrong type.
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectAlive, expectCleanError, expectCleanRestart, expectNoLeak, json, SENTINEL, startHostile, type Hostile } from './harness.js';

const PASSWORD = 'hostile-pass';
const settings = {
  adminAuth: {
    type: 'credentials' as const,
    users: [
      { username: 'admin', password: bcrypt.hashSync(PASSWORD, 4), permissions: '*' },
      { username: 'reader', password: bcrypt.hashSync(PASSWORD, 4), permissions: 'read' },
    ],
  },
};

let c: Hostile;
let auth: Record<string, string>;
const token = async (h: Hostile, fields: Record<string, unknown>) =>
  call(h, 'auth/token', json({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', ...fields }));

beforeAll(async () => {
  c = await startHostile({ settings });
  const res = await token(c, { username: 'admin', password: PASSWORD });
  auth = { authorization: `Bearer ${(await res.json()).access_token}` };
});
afterAll(async () => { await c?.cleanup(); });

describe('Node-RED-API-Version and Node-RED-Deployment-Type', () => {
  const versions = ['v3', '', ' ', 'V2', 'v2 ', 'v1,v2', '__proto__', 'constructor', 'x'.repeat(8000), '%00', 'v1\tv2'];
  it.each(versions.map((v) => [v.length > 40 ? `${v.slice(0, 10)}… (${v.length})` : v, v]))('API version %j', async (_label, v) => {
    for (const init of [{ headers: { ...auth, 'node-red-api-version': v } }, json(SENTINEL, { ...auth, 'node-red-api-version': v })]) {
      const res = await call(c, 'flows', init);
      if (res.status >= 400) {
        const e = await expectCleanError(c, res, 400);
        // the client trims header whitespace: "v2 " arrives as v2, with a v1-shaped body
        expect(['invalid_api_version', 'unexpected_error']).toContain(e.parsed?.code);
      } else {
        await res.text();
      }
    }
    await expectAlive(c, { headers: auth });
  });

  const types = ['bogus', '', '__proto__', 'constructor', 'toString', 'x'.repeat(8000), 'reload', 'nodes', 'flows', 'full', 'RELOAD'];
  it.each(types.map((t) => [t.length > 40 ? `${t.slice(0, 10)}… (${t.length})` : t, t]))('deployment type %j', async (_label, t) => {
    for (const version of ['v1', 'v2']) {
      const body = version === 'v2' ? { flows: SENTINEL } : SENTINEL;
      const res = await call(c, 'flows', json(body, { ...auth, 'node-red-deployment-type': t, 'node-red-api-version': version }));
      const text = await res.text();
      expect(res.status, text).toBeLessThan(300);
      expectNoLeak(text, c.userDir);
    }
    await expectAlive(c, { headers: auth });
  });

  it('a reload with a junk body is a reload: the body is ignored', async () => {
    const res = await call(c, 'flows', json('[{"id":"__proto__"}]', { ...auth, 'node-red-deployment-type': 'reload' }));
    expect(res.status).toBe(204);
    await expectAlive(c, { headers: auth });
  });
});

describe('Authorization headers (adminAuth on)', () => {
  const shapes = [
    '', 'Bearer', 'Bearer ', 'Bearer  ', 'bearer x', 'BEARER x', 'Bearer x y z', 'Bearer\tx', 'Basic YWRtaW46aG9zdGlsZS1wYXNz',
    'Basic', 'Basic !!!', 'Digest username="admin"', 'Bearer __proto__', 'Bearer constructor', 'Bearer toString', 'Bearer hasOwnProperty',
    `Bearer ${'a'.repeat(12000)}`, 'Bearer %00', 'Bearer ÿÿÿ', `Bearer ${'=' .repeat(100)}`, 'x'.repeat(100), 'Bearer undefined', 'Bearer null',
    'Bearer [object Object]', ',', 'Bearer a,Bearer b',
  ];
  // as Node-RED (passport): 401 "Unauthorized" when no strategy accepts it, 400 "Bad Request" for a malformed Bearer
  it.each(shapes.map((s) => [s.length > 40 ? `${s.slice(0, 12)}… (${s.length})` : s, s]))('%j is refused (400/401), nothing more said', async (_label, header) => {
    for (const [method, route] of [['GET', 'flows'], ['POST', 'flows'], ['GET', 'settings'], ['POST', 'auth/revoke'], ['GET', 'nodes'], ['PUT', 'flow/global']]) {
      const res = await call(c, route!, { method, headers: { authorization: header, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '[]' });
      const text = await res.text();
      expect([[401, 'Unauthorized'], [400, 'Bad Request'], [401, '']], `${method} ${route}`).toContainEqual([res.status, text]);
    }
    await expectAlive(c, { headers: auth });
  });

  it('a read-only token cannot write, whatever headers come with it', async () => {
    const res = await token(c, { username: 'reader', password: PASSWORD, scope: 'read' });
    const reader = { authorization: `Bearer ${(await res.json()).access_token}` };
    const w = await call(c, 'flows', json([], { ...reader, 'node-red-deployment-type': 'reload', 'node-red-api-version': 'v2' }));
    expect(w.status).toBe(401);
    await expectAlive(c, { headers: auth });
  });
});

describe('token requests', () => {
  const bodies: Array<[string, string, string]> = [
    ['username __proto__', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: '__proto__', password: 'x' })],
    ['username constructor', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'constructor', password: 'x' })],
    ['client_id __proto__', 'application/json', JSON.stringify({ client_id: '__proto__', grant_type: 'password', scope: '*', username: 'admin', password: 'x' })],
    ['password an object', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: { a: 1 } })],
    ['password an array', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: [PASSWORD] })],
    ['username an object', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: { toString: 1 }, password: PASSWORD })],
    ['scope an object', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: { __proto__: 1 }, username: 'admin', password: PASSWORD })],
    ['grant_type unknown', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'constructor', username: 'admin', password: PASSWORD })],
    ['grant_type an array', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: ['password'], username: 'admin', password: PASSWORD })],
    ['a 1 MB password', 'application/json', JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'nobody', password: 'p'.repeat(1 << 20) })],
    ['urlencoded __proto__ keys', 'application/x-www-form-urlencoded', 'client_id=node-red-admin&grant_type=password&scope=*&username[__proto__][x]=1&password[constructor][prototype][x]=1'],
    ['urlencoded duplicate fields', 'application/x-www-form-urlencoded', 'client_id=node-red-admin&client_id=node-red-editor&grant_type=password&username=admin&username=admin&password=x'],
  ];
  it.each(bodies)('%s: refused cleanly', async (_n, type, body) => {
    const res = await call(c, 'auth/token', { method: 'POST', headers: { 'content-type': type }, body });
    const e = await expectCleanError(c, res);
    // 501 unsupported_grant_type is oauth2orize's answer for an unknown grant type, as in Node-RED
    if (e.status >= 500) expect([e.status, e.parsed?.error]).toEqual([501, 'unsupported_grant_type']);
    else expect([400, 401, 403, 429]).toContain(e.status);
    await expectAlive(c, { headers: auth });
  });

  it('after all of it, a restart is clean and the session still works', async () => {
    c = await expectCleanRestart(c, { headers: auth });
    await expectAlive(c, { headers: auth });
  });
});
