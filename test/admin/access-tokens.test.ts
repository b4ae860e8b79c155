// Personal access tokens on a real Crimson over real HTTP / WebSocket: POST / GET / DELETE /auth/tokens,
// the value shown once and only hashed at rest, scopes within the owner's permissions (now, at use time),
// expiry, revocation, last use, per-user isolation, /comms, a node package's needsPermission route, the
// editor's ?access_token=, a restart, and the 400 / 404 answers.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, sleep } from '../comms/ws-client.js';
import type { RED } from '../../src/registry/red-types.js';
import type { AdminAuthSettings, AdminUser, Settings } from '../../src/settings/types.js';

const PW = 'pw';
const HASH = bcrypt.hashSync(PW, 4);
const USERS: AdminUser[] = [
  { username: 'admin', password: HASH, permissions: '*' },
  { username: 'alice', password: HASH, permissions: ['read', 'write'] },
  { username: 'bob', password: HASH, permissions: ['read', 'write'] },
  { username: 'viewer', password: HASH, permissions: 'read' },
];
const adminAuth: AdminAuthSettings = { type: 'credentials', users: USERS };
const TOKEN_KEYS = ['id', 'name', 'user', 'scope', 'created', 'expires', 'lastUsed'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

async function start(settings: Settings = { adminAuth }, userDir?: string): Promise<Started> {
  c = await startCrimson({ settings, userDir });
  return c;
}

interface Answer { status: number; headers: Headers; text: string; body: any }

async function api(route: string, opts: { method?: string; bearer?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.bearer !== undefined) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(c!.url + route, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: any;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: res.status, headers: res.headers, text, body };
}

/** A login session token (OAuth2 password grant) for the user with this scope. */
async function login(username: string, scope = '*'): Promise<string> {
  const r = await api('auth/token', { method: 'POST', body: { client_id: 'node-red-admin', grant_type: 'password', scope, username, password: PW } });
  expect(r.status, r.text).toBe(200);
  return r.body.access_token;
}

const createToken = (bearer: string, body: unknown) => api('auth/tokens', { method: 'POST', bearer, body });

/** Creates a token and returns its value and id (expecting a 201). */
async function newToken(bearer: string, body: Record<string, unknown>): Promise<{ value: string; id: string }> {
  const r = await createToken(bearer, { name: 'test', ...body });
  expect(r.status, r.text).toBe(201);
  return { value: r.body.token, id: r.body.id };
}

const listTokens = async (bearer: string) => {
  const r = await api('auth/tokens', { bearer });
  expect(r.status, r.text).toBe(200);
  return r.body.tokens as Array<Record<string, unknown>>;
};

/** Every file under dir, recursively, as text. */
async function filesUnder(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), (await readFile(file)).toString('latin1'));
  }
  return out;
}

describe('POST /auth/tokens', () => {
  it('answers 201 with the value, once: never in GET, and it works as a bearer token', async () => {
    await start();
    const session = await login('admin');
    const before = Date.now();
    const r = await createToken(session, { name: 'ci deploys', scope: ['flows.read', 'flows.write', 'settings.read'] });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(r.body)).toEqual([...TOKEN_KEYS, 'token']);
    expect(r.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/), name: 'ci deploys', user: 'admin', scope: ['flows.read', 'flows.write', 'settings.read'],
      created: expect.stringMatching(ISO), expires: null, lastUsed: null, token: expect.stringMatching(/^crpat_[A-Za-z0-9_-]{43}$/),
    });
    expect(Date.parse(r.body.created)).toBeGreaterThanOrEqual(before - 1);
    const value: string = r.body.token;

    const list = await api('auth/tokens', { bearer: session });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(value.slice(6));
    const { token: _shown, ...withoutValue } = r.body;
    expect(list.body).toEqual({ tokens: [withoutValue] });

    expect((await api('flows', { bearer: value })).status).toBe(200);
    const deploy = await api('flows', { method: 'POST', bearer: value, body: [] });
    expect(deploy.status).toBe(204);
    // the editor sees what the token may do, not everything its owner may
    expect((await api('settings', { bearer: value })).body.user).toEqual({ username: 'admin', permissions: ['flows.read', 'flows.write', 'settings.read'] });
    expect((await api('nodes', { bearer: value })).status).toBe(401);
  });

  it('takes expiresIn (seconds) or expiresAt (ISO date) and shows the expiry', async () => {
    await start();
    const session = await login('admin');
    const before = Date.now();
    const inOneHour = await createToken(session, { name: 'a', scope: 'read', expiresIn: 3600 });
    expect(inOneHour.status).toBe(201);
    const expires = Date.parse(inOneHour.body.expires);
    expect(inOneHour.body.expires).toMatch(ISO);
    expect(expires).toBeGreaterThanOrEqual(before + 3600000 - 1);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600000);
    const at = await createToken(session, { name: 'b', scope: 'read', expiresAt: '2999-01-31T12:00:00+01:00' });
    expect(at.status).toBe(201);
    expect(at.body.expires).toBe('2999-01-31T11:00:00.000Z');
    const day = await createToken(session, { name: 'c', scope: 'read', expiresAt: '2999-02-01' });
    expect(day.body.expires).toBe('2999-02-01T00:00:00.000Z');
  });

  it('a read token reads, is refused writes (401, empty body, as a login lacking the permission) and cannot create tokens', async () => {
    await start();
    const { value } = await newToken(await login('admin'), { scope: 'read' });
    expect((await api('flows', { bearer: value })).status).toBe(200);
    expect((await api('auth/tokens', { bearer: value })).status).toBe(200);
    const session = await login('viewer', 'read');
    for (const bearer of [value, session]) {
      const write = await api('flows', { method: 'POST', bearer, body: [] });
      expect([write.status, write.text, write.headers.get('www-authenticate')]).toEqual([401, '', null]);
      const create = await createToken(bearer, { name: 'more', scope: 'read' });
      expect([create.status, create.text]).toEqual([401, '']);
    }
  });

  it('never gives a token more than its owner has, nor more than the login or token that makes it', async () => {
    await start();
    const alice = await login('alice', 'read write');
    const tooMuch = await createToken(alice, { name: 'x', scope: '*' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toEqual({ code: 'invalid_request', message: 'scope must be within the permissions of the login or token making the request' });
    expect((await createToken(alice, { name: 'x', scope: ['settings.read'] })).status).toBe(201);

    const narrow = await newToken(await login('admin'), { scope: ['tokens.write', 'flows.read'] });
    expect((await createToken(narrow.value, { name: 'wider', scope: 'read' })).body.code).toBe('invalid_request');
    expect((await createToken(narrow.value, { name: 'wider', scope: '*' })).status).toBe(400);
    const child = await createToken(narrow.value, { name: 'same', scope: 'flows.read' });
    expect(child.status).toBe(201);
    expect(child.body.user).toBe('admin');
    expect((await api('flows', { bearer: child.body.token })).status).toBe(200);
  });

  it('answers 400 invalid_request for a bad name, scope or expiry', async () => {
    await start();
    const session = await login('admin');
    const SCOPE = 'scope must be "*", "read", one permission such as "flows.read", or an array of 1 to 50 permissions';
    const DATE = 'expiresAt must be an ISO 8601 date ("2027-01-31") or date-time with a time zone ("2027-01-31T12:00:00Z")';
    const NAME = 'name must be a non-empty string of at most 100 characters, without control characters';
    const cases: Array<[unknown, string]> = [
      [[], 'The request body must be a JSON object'],
      [{ scope: '*' }, NAME],
      [{ name: '  ', scope: '*' }, NAME],
      [{ name: 'x'.repeat(101), scope: '*' }, NAME],
      [{ name: 'a\nb', scope: '*' }, NAME],
      [{ name: 5, scope: '*' }, NAME],
      [{ name: 'n' }, `scope is required: ${SCOPE}`],
      [{ name: 'n', scope: '' }, SCOPE],
      [{ name: 'n', scope: [] }, SCOPE],
      [{ name: 'n', scope: ['flows.read', 7] }, SCOPE],
      [{ name: 'n', scope: 'flows read' }, SCOPE],
      [{ name: 'n', scope: { all: true } }, SCOPE],
      [{ name: 'n', scope: Array.from({ length: 51 }, (_, i) => `p${i}.read`) }, SCOPE],
      [{ name: 'n', scope: '*', expiresIn: 0 }, 'expiresIn must be a whole number of seconds, at least 1'],
      [{ name: 'n', scope: '*', expiresIn: -5 }, 'expiresIn must be a whole number of seconds, at least 1'],
      [{ name: 'n', scope: '*', expiresIn: 1.5 }, 'expiresIn must be a whole number of seconds, at least 1'],
      [{ name: 'n', scope: '*', expiresIn: '1h' }, 'expiresIn must be a whole number of seconds, at least 1'],
      [{ name: 'n', scope: '*', expiresIn: 1e15 }, 'expiresIn is too large: the token would expire after the year 9999'],
      [{ name: 'n', scope: '*', expiresAt: 'tomorrow' }, DATE],
      [{ name: 'n', scope: '*', expiresAt: '2999-02-30' }, DATE],
      [{ name: 'n', scope: '*', expiresAt: '2999-01-31T12:00:00' }, DATE],
      [{ name: 'n', scope: '*', expiresAt: 1893456000000 }, DATE],
      [{ name: 'n', scope: '*', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt must be in the future'],
      [{ name: 'n', scope: '*', expiresIn: 60, expiresAt: '2999-01-01' }, 'Give expiresIn or expiresAt, not both'],
    ];
    for (const [body, message] of cases) {
      const r = await createToken(session, body);
      expect([r.status, r.body], JSON.stringify(body)).toEqual([400, { code: 'invalid_request', message }]);
    }
    const badJson = await fetch(c!.url + 'auth/tokens', { method: 'POST', headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' }, body: '{"name":' });
    expect(badJson.status).toBe(400);
    expect(Object.keys(await badJson.json())).toEqual(['code', 'message']);
    expect(await listTokens(session)).toEqual([]);
  });

  it('answers 400 past accessTokens.maxPerUser, per user', async () => {
    await start({ adminAuth, accessTokens: { maxPerUser: 2 } });
    const alice = await login('alice', 'read write');
    const first = await newToken(alice, { scope: 'read' });
    await newToken(alice, { scope: 'read' });
    const third = await createToken(alice, { name: 'three', scope: 'read' });
    expect([third.status, third.body]).toEqual([400, { code: 'invalid_request', message: 'Too many access tokens: a user may hold 2 at most; revoke one first' }]);
    await newToken(await login('bob', 'read write'), { scope: 'read' });
    expect((await api(`auth/tokens/${first.id}`, { method: 'DELETE', bearer: alice })).status).toBe(204);
    await newToken(alice, { scope: 'read' });
  });

  it('a user adminAuth.users does not know (from tokens()) cannot hold tokens: 403 forbidden', async () => {
    await start({ adminAuth: { ...adminAuth, tokens: async (t: string) => (t === 'robot-key' ? { username: 'robot', permissions: '*' } : null) } });
    const r = await createToken('robot-key', { name: 'n', scope: 'read' });
    expect([r.status, r.body]).toEqual([403, { code: 'forbidden', message: 'Only users of adminAuth.users can hold access tokens' }]);
    expect(await listTokens('robot-key')).toEqual([]);
  });

  it('takes a form body too (expiresIn as digits)', async () => {
    await start();
    const res = await fetch(c!.url + 'auth/tokens', {
      method: 'POST', headers: { authorization: `Bearer ${await login('admin')}` },
      body: new URLSearchParams({ name: 'form', scope: 'read', expiresIn: '60' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'form', scope: 'read', expires: expect.stringMatching(ISO) });
  });

  it('the anonymous default user owns no tokens: 401', async () => {
    await start({ adminAuth: { ...adminAuth, default: { permissions: '*' } } });
    for (const [method, route] of [['GET', 'auth/tokens'], ['POST', 'auth/tokens'], ['DELETE', 'auth/tokens/0123456789abcdef']]) {
      const r = await api(route, { method, body: method === 'POST' ? { name: 'n', scope: 'read' } : undefined });
      expect([r.status, r.text], `${method} ${route}`).toEqual([401, '']);
    }
  });
});

describe('GET and DELETE /auth/tokens', () => {
  it('shows the last use once the token is used', async () => {
    await start();
    const session = await login('admin');
    const { value } = await newToken(session, { scope: 'read' });
    expect((await listTokens(session))[0]!.lastUsed).toBeNull();
    const before = Date.now();
    expect((await api('flows', { bearer: value })).status).toBe(200);
    const lastUsed = (await listTokens(session))[0]!.lastUsed as string;
    expect(lastUsed).toMatch(ISO);
    expect(Date.parse(lastUsed)).toBeGreaterThanOrEqual(before - 1);
  });

  it('revokes at once; an unknown id is 404 not_found; revoking login sessions leaves tokens', async () => {
    await start();
    const session = await login('admin');
    const kept = await newToken(session, { scope: '*' });
    const gone = await newToken(session, { scope: '*' });
    expect((await api('flows', { bearer: gone.value })).status).toBe(200);
    const del = await api(`auth/tokens/${gone.id}`, { method: 'DELETE', bearer: session });
    expect([del.status, del.text]).toEqual([204, '']);
    const refused = await api('flows', { bearer: gone.value });
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="Users", error="invalid_token"']);
    for (const id of [gone.id, 'nope', '0123456789abcdef']) {
      const again = await api(`auth/tokens/${id}`, { method: 'DELETE', bearer: session });
      expect([again.status, again.body]).toEqual([404, { code: 'not_found', message: 'Access token not found' }]);
    }
    expect((await listTokens(session)).map((t) => t.id)).toEqual([kept.id]);

    const revoke = await api('auth/revoke', { method: 'POST', bearer: session, body: { token: session } });
    expect(revoke.status).toBe(200);
    expect((await api('flows', { bearer: session })).status).toBe(401);
    expect((await api('flows', { bearer: kept.value })).status).toBe(200);
    // an access token given to /auth/revoke is not a session: it stays
    expect((await api('auth/revoke', { method: 'POST', bearer: kept.value, body: { token: kept.value } })).status).toBe(200);
    expect((await api('flows', { bearer: kept.value })).status).toBe(200);
  });

  it('keeps users apart: each sees and revokes their own; a "*" login sees and revokes all', async () => {
    await start();
    const alice = await login('alice', 'read write');
    const bob = await login('bob', 'read write');
    const admin = await login('admin');
    const a = await newToken(alice, { name: 'alice-1', scope: 'read' });
    const b = await newToken(bob, { name: 'bob-1', scope: 'read' });
    const own = await newToken(admin, { name: 'admin-1', scope: '*' });
    expect((await listTokens(alice)).map((t) => t.id)).toEqual([a.id]);
    expect((await listTokens(bob)).map((t) => t.id)).toEqual([b.id]);
    const notFound = await api(`auth/tokens/${a.id}`, { method: 'DELETE', bearer: bob });
    expect([notFound.status, notFound.body]).toEqual([404, { code: 'not_found', message: 'Access token not found' }]);
    expect((await api('flows', { bearer: a.value })).status).toBe(200);

    const all = await listTokens(admin);
    expect(all.map((t) => [t.user, t.name])).toEqual([['alice', 'alice-1'], ['bob', 'bob-1'], ['admin', 'admin-1']]);
    // a "*" access token may too; a narrower login of the same admin only sees its own
    expect((await listTokens(own.value)).length).toBe(3);
    expect((await listTokens(await login('admin', 'read write'))).map((t) => t.id)).toEqual([own.id]);
    expect((await api(`auth/tokens/${b.id}`, { method: 'DELETE', bearer: admin })).status).toBe(204);
    expect((await api('flows', { bearer: b.value })).status).toBe(401);
    expect(await listTokens(bob)).toEqual([]);
  });
});

describe('scope at use time', () => {
  it("shrinks with the owner's permissions and stops when the owner is removed", async () => {
    const table: Record<string, AdminUser> = { carol: { username: 'carol', password: HASH, permissions: '*' } };
    await start({ adminAuth: { type: 'credentials', users: async (name: string) => table[name] ?? null } });
    const { value } = await newToken(await login('carol'), { scope: '*' });
    expect((await api('flows', { method: 'POST', bearer: value, body: [] })).status).toBe(204);
    table.carol = { ...table.carol!, permissions: 'read' };
    expect((await api('flows', { bearer: value })).status).toBe(200);
    expect((await api('flows', { method: 'POST', bearer: value, body: [] })).status).toBe(401);
    expect((await api('settings', { bearer: value })).body.user.permissions).toBe('read');
    delete table.carol;
    expect((await api('flows', { bearer: value })).status).toBe(401);
  });

  it('an expired token (expiresIn 2) is refused after 3 s, gone from GET, and its /comms socket is closed', async () => {
    await start();
    const session = await login('admin');
    const { value } = await newToken(session, { scope: '*', expiresIn: 2 });
    expect((await api('flows', { bearer: value })).status).toBe(200);
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: value });
    await ws.until(() => ws.frames.length === 1);
    expect(ws.frames[0]!.raw).toBe('{"auth":"ok"}');
    await sleep(3000);
    expect((await api('flows', { bearer: value })).status).toBe(401);
    expect(await listTokens(session)).toEqual([]);
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.map((f) => f.raw).at(-1)).toBe('{"auth":"fail"}');
  });
});

describe('where access tokens are accepted', () => {
  it('/comms: the auth frame is accepted and the socket receives messages; a revoked token closes it', async () => {
    await start();
    const session = await login('admin');
    const { value, id } = await newToken(session, { scope: 'read' });
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: value });
    ws.send({ subscribe: 'notification/runtime-state' });
    await ws.message('notification/runtime-state');
    expect(ws.frames[0]!.raw).toBe('{"auth":"ok"}');
    c!.runtime.engine.events.emit('comms', { topic: 'pat/test', data: { hello: 1 } });
    expect((await ws.message('pat/test')).data).toEqual({ hello: 1 });

    const refused = await openComms(commsUrl(c!.url));
    refused.send({ auth: (await newToken(session, { scope: 'flows.read' })).value });
    expect(await refused.closed).toBe(1005);
    expect(refused.frames.map((f) => f.raw)).toEqual(['{"auth":"fail"}']);

    expect((await api(`auth/tokens/${id}`, { method: 'DELETE', bearer: session })).status).toBe(204);
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.at(-1)!.raw).toBe('{"auth":"fail"}');
  });

  it("a node package's route guarded by RED.auth.needsPermission", async () => {
    await start();
    await c!.runtime.loadNodeModule({ name: 'demo-pat', version: '1.0.0' }, {
      demo: (R: RED) => {
        R.httpAdmin.get('/demo-pat', R.auth.needsPermission('demo.read'), (req, res) => { res.json({ user: (req.user as { username?: string }).username }); });
        R.httpAdmin.post('/demo-pat', R.auth.needsPermission('demo.write'), (_req, res) => { res.sendStatus(204); });
      },
    });
    const session = await login('admin');
    const reader = await newToken(session, { scope: 'read' });
    const writer = await newToken(session, { scope: ['demo.read', 'demo.write'] });
    const other = await newToken(session, { scope: 'flows.read' });
    expect(await api('demo-pat', { bearer: reader.value })).toMatchObject({ status: 200, body: { user: 'admin' } });
    expect((await api('demo-pat', { method: 'POST', bearer: reader.value })).status).toBe(401);
    expect((await api('demo-pat', { method: 'POST', bearer: writer.value })).status).toBe(204);
    expect((await api('demo-pat', { bearer: other.value })).status).toBe(401);
    expect((await api('demo-pat', { bearer: 'crpat_' + 'x'.repeat(43) })).status).toBe(401);
  });

  it('?access_token= as the editor is opened with it', async () => {
    await start();
    const { value } = await newToken(await login('admin'), { scope: 'read' });
    const settings = await api(`settings?access_token=${value}`);
    expect(settings.status).toBe(200);
    expect(settings.body.user).toEqual({ username: 'admin', permissions: 'read' });
    expect((await api(`flows?access_token=${value}`)).status).toBe(200);
    // the editor client takes the value from the query string as it is: nothing in it needs escaping
    expect(encodeURIComponent(value)).toBe(value);
  });
});

describe('storage', () => {
  it('keeps only a hash in the userDir, and tokens (with their last use) survive a restart', async () => {
    await start();
    const session = await login('admin');
    const { value, id } = await newToken(session, { name: 'kept', scope: 'read' });
    expect((await api('flows', { bearer: value })).status).toBe(200);
    const before = await listTokens(session);
    expect(before[0]!.lastUsed).toMatch(ISO);
    const dir = c!.userDir;
    await c!.stop({ keepDir: true });
    c = undefined;

    const files = await filesUnder(dir);
    expect([...files.keys()]).toContain('.tokens.json');
    for (const [file, text] of files) {
      expect(text, file).not.toContain(value);
      expect(text, file).not.toContain(value.slice(6));
    }
    const stored = JSON.parse(files.get('.tokens.json')!);
    expect(Object.keys(stored)).toEqual([id]);
    expect(stored[id].hash).toBe(createHash('sha256').update(value).digest('hex'));

    await start({ adminAuth }, dir);
    try {
      expect((await api('flows', { bearer: value })).status).toBe(200);
      expect(await listTokens(await login('admin'))).toEqual(before);
    } finally {
      await c!.stop();
      c = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('without adminAuth', () => {
  it('the routes do not exist: 404 exactly as any unknown admin route', async () => {
    await start({});
    for (const [method, route] of [['GET', 'auth/tokens'], ['POST', 'auth/tokens'], ['DELETE', 'auth/tokens/0123456789abcdef']]) {
      const r = await api(route, { method, body: method === 'POST' ? { name: 'n', scope: 'read' } : undefined });
      const unknown = await api(route.replace('tokens', 'no-such-route'), { method, body: method === 'POST' ? { name: 'n', scope: 'read' } : undefined });
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
      expect(r.text).toBe(unknown.text.replace('no-such-route', 'tokens'));
      expect(r.text).toContain(`<pre>Cannot ${method} /${route}</pre>`);
    }
  });
});
