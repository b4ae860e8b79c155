// Hostile request bodies against every admin write route: malformed JSON, 10k-deep nesting, a body over
// apiMaxLength, and bodies of the wrong type. Each is a clean 4xx, writes nothing, and the runtime lives on.
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectAlive, expectCleanError, expectCleanRestart, expectNoLeak, json, SENTINEL, snapshotDir, startHostile, type Hostile } from './harness.js';

const PASSWORD = 'hostile-pass';
const settings = {
  runtimeState: { enabled: true },
  adminAuth: { type: 'credentials' as const, users: [{ username: 'admin', password: bcrypt.hashSync(PASSWORD, 4), permissions: '*' }] },
};

let c: Hostile;
let auth: Record<string, string>;

async function login(h: Hostile): Promise<Record<string, string>> {
  const res = await call(h, 'auth/token', json({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: PASSWORD }));
  expect(res.status).toBe(200);
  return { authorization: `Bearer ${(await res.json()).access_token}` };
}

beforeAll(async () => {
  c = await startHostile({ settings });
  auth = await login(c);
});
afterAll(async () => { await c?.cleanup(); });

const deep = (n: number, open: string, close: string, leaf = '1') => open.repeat(n) + leaf + close.repeat(n);
const V2 = { 'node-red-api-version': 'v2' };

/** [method, route, extra headers]: every admin route that takes a body. */
const WRITE_ROUTES: Array<[string, string, Record<string, string>?]> = [
  ['POST', 'flows'],
  ['POST', 'flows', V2],
  ['POST', 'flow'],
  ['PUT', 'flow/sentinel'],
  ['PUT', 'flow/global'],
  ['PUT', 'nodes/node-red'],
  ['PUT', 'nodes/node-red/function'],
  ['POST', 'settings/user'],
  ['POST', 'flows/state'],
  ['POST', 'auth/token'],
  ['POST', 'auth/revoke'],
  ['POST', 'auth/tokens'],
];

/**
 * Sends `body` to a route: the answer is never a 5xx and leaks nothing; a refused call changes no file;
 * an accepted one (some routes legitimately take odd objects) is undone by redeploying the sentinel.
 */
async function attack(method: string, route: string, body: string | Buffer, headers: Record<string, string> = {}, contentType = 'application/json') {
  const before = await snapshotDir(c.userDir);
  const res = await call(c, route, { method, headers: { 'content-type': contentType, ...auth, ...headers }, body: body as BodyInit, timeout: 15000 });
  const text = await res.text();
  expect(res.status, `${method} ${route}: ${text}`).toBeLessThan(500);
  expectNoLeak(text, c.userDir);
  if (res.status >= 400) {
    if ((res.headers.get('content-type') ?? '').includes('json') && text) {
      const parsed = JSON.parse(text);
      expect(typeof parsed.code, text).toBe('string');
      expect(typeof parsed.message, text).toBe('string');
    }
    const after = await snapshotDir(c.userDir);
    // the only file a refused call may touch is the sessions file (a token refresh)
    for (const file of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (file !== '.sessions.json') expect(after[file], `${method} ${route} changed ${file}`).toBe(before[file]);
    }
  } else {
    await restoreSentinel();
  }
  await expectAlive(c, { headers: auth });
  return { status: res.status, body: text };
}

async function restoreSentinel(): Promise<void> {
  await call(c, 'nodes/node-red', { method: 'PUT', headers: { 'content-type': 'application/json', ...auth }, body: '{"enabled":true}' });
  expect((await call(c, 'flows', json(SENTINEL, auth))).status).toBe(204);
  await call(c, 'flows/state', json({ state: 'start' }, auth));
}

describe('malformed and oversized bodies', () => {
  it.each(WRITE_ROUTES)('malformed JSON to %s /%s', async (method, route, headers) => {
    const a = await attack(method, route, '{"flows": [ {"id": "x", ', headers);
    expect(a.status).toBe(400);
  });

  it.each(WRITE_ROUTES)('JSON nested 10k deep (arrays) to %s /%s', async (method, route, headers) => {
    await attack(method, route, deep(10000, '[', ']'), headers);
  });

  it.each(WRITE_ROUTES)('JSON nested 10k deep (objects) to %s /%s', async (method, route, headers) => {
    await attack(method, route, deep(10000, '{"a":', '}'), headers);
  });

  it('a 60 MB body (over apiMaxLength) is refused with 413, the daemon keeps answering', async () => {
    const big = Buffer.alloc(60 * 1024 * 1024, 0x20);
    big.write('[', 0);
    big.write(']', big.length - 1);
    let status: number | undefined;
    try {
      const res = await call(c, 'flows', { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: big as unknown as BodyInit, timeout: 20000 });
      status = (await expectCleanError(c, res)).status;
    } catch (err) {
      // the server may answer and close before the whole body is sent; the connection then resets
      expect(String((err as Error).cause ?? err)).toMatch(/EPIPE|ECONNRESET|other side closed|SocketError|fetch failed/i);
    }
    if (status !== undefined) expect(status).toBe(413);
    await expectAlive(c, { headers: auth });
  });

  it('a 60 MB urlencoded body is refused too', async () => {
    const big = 'a=' + 'b'.repeat(60 * 1024 * 1024);
    try {
      const res = await call(c, 'settings/user', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: big, timeout: 20000 });
      expect((await expectCleanError(c, res)).status).toBe(413);
    } catch (err) {
      expect(String((err as Error).cause ?? err)).toMatch(/EPIPE|ECONNRESET|other side closed|SocketError|fetch failed/i);
    }
    await expectAlive(c, { headers: auth });
  });
});

describe('bodies of the wrong type', () => {
  const WRONG = ['"a string"', '42', 'null', '[1,"x",null]', '{}', '{"flows":"x","nodes":"x"}', '{"nodes":[null],"configs":{"a":1}}',
    '{"subflows":[{"nodes":5}]}', '{"enabled":{},"state":["start"]}'];
  const cases = WRITE_ROUTES.flatMap(([m, r, h]) => WRONG.map((b) => [m, r, b, h] as const));

  it.each(cases)('%s /%s with %s', async (method, route, body, headers) => {
    await attack(method, route, body, headers);
  });

  it('the runtime restarts cleanly on the userDir after all of it', async () => {
    c = await expectCleanRestart(c, { headers: auth });
    auth = await login(c);
    await expectAlive(c, { headers: auth });
  });
});
