// needsPermission, settingsUser, the token helpers and restart survival over real HTTP (COMPAT A1.4/A1.5).
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { call, HASH, memoryStorage, startAuthApp, type AuthApp } from './fixture.js';
import type { Settings } from '../../src/settings/types.js';

const users = [
  { username: 'admin', password: HASH, permissions: '*', image: 'http://x/img.png' },
  { username: 'viewer', password: HASH, permissions: 'read' },
];
const credentials = (extra: Record<string, unknown> = {}): Settings => ({
  adminAuth: { type: 'credentials', users, tokens: [{ token: 'LISTTOKEN', user: 'viewer', scope: ['flows.read'] }, { token: 'GHOST', user: 'nobody', scope: '*' }], ...extra },
});
const unauthorized = (r: { status: number; text: string; headers: Headers }) => [r.status, r.text, r.headers.get('www-authenticate')];

let app: AuthApp | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

describe('needsPermission', () => {
  it('lets everything through without adminAuth, with no user', async () => {
    app = await startAuthApp({});
    const r = await call(`${app.base}/flows`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ ok: 'read', user: null });
    expect((await call(`${app.base}/flows`, { method: 'POST' })).status).toBe(200);
    expect(JSON.parse((await call(`${app.base}/settings`)).text)).toEqual({ user: null });
  });

  it('no credentials: 401 Unauthorized with WWW-Authenticate: Bearer realm="Users"', async () => {
    app = await startAuthApp(credentials());
    expect(unauthorized(await call(`${app.base}/flows`))).toEqual([401, 'Unauthorized', 'Bearer realm="Users"']);
    expect(unauthorized(await call(`${app.base}/flows`, { headers: { authorization: 'Basic abc' } }))).toEqual([401, 'Unauthorized', 'Bearer realm="Users"']);
  });

  it('a bad token: 401 with error="invalid_token"; a token of an unknown user likewise', async () => {
    app = await startAuthApp(credentials());
    for (const t of ['bad', 'GHOST']) {
      expect(unauthorized(await call(`${app.base}/flows`, { bearer: t }))).toEqual([401, 'Unauthorized', 'Bearer realm="Users", error="invalid_token"']);
    }
  });

  it('a malformed Authorization header or two tokens: 400 Bad Request', async () => {
    app = await startAuthApp(credentials());
    const t = await app.login('admin');
    expect(unauthorized(await call(`${app.base}/flows`, { headers: { authorization: 'Bearer' } }))).toEqual([400, 'Bad Request', null]);
    const both = await call(`${app.base}/flows?access_token=${encodeURIComponent(t)}`, { bearer: t });
    expect([both.status, both.text]).toEqual([400, 'Bad Request']);
  });

  it('accepts a session token in the header (scheme case-insensitive) or the access_token query', async () => {
    app = await startAuthApp(credentials());
    const t = await app.login('admin');
    expect((await call(`${app.base}/flows`, { bearer: t })).status).toBe(200);
    expect((await call(`${app.base}/flows`, { headers: { authorization: `bearer ${t}` } })).status).toBe(200);
    expect((await call(`${app.base}/flows?access_token=${encodeURIComponent(t)}`)).status).toBe(200);
    const r = await call(`${app.base}/flows`, { bearer: t });
    expect(JSON.parse(r.text).user).toEqual({ username: 'admin', permissions: '*', image: 'http://x/img.png' });
  });

  it('scope lacking the permission: 401 with empty body and no WWW-Authenticate', async () => {
    app = await startAuthApp(credentials());
    const v = await app.login('viewer', '');
    expect((await call(`${app.base}/flows`, { bearer: v })).status).toBe(200);
    const r = await call(`${app.base}/flows`, { method: 'POST', bearer: v });
    expect(unauthorized(r)).toEqual([401, '', null]);
    expect(r.headers.get('content-length')).toBe('0');
  });

  it('a token requested without scope can do nothing (quirk) but pass permission ""', async () => {
    app = await startAuthApp(credentials());
    const r = await app.token({ client_id: 'node-red-admin', grant_type: 'password', username: 'admin', password: (await import('./fixture.js')).PASSWORD });
    const t = r.body.access_token as string;
    expect(unauthorized(await call(`${app.base}/flows`, { bearer: t }))).toEqual([401, '', null]);
    expect((await call(`${app.base}/any`, { bearer: t })).status).toBe(200);
  });

  it('the scope of the token decides, not the user permissions', async () => {
    app = await startAuthApp(credentials());
    const t = await app.login('admin', 'flows.read');
    expect((await call(`${app.base}/flows`, { bearer: t })).status).toBe(200);
    expect((await call(`${app.base}/flows`, { method: 'POST', bearer: t })).status).toBe(401);
    const s = await call(`${app.base}/settings`, { bearer: await app.login('admin', 'settings.read') });
    expect(JSON.parse(s.text)).toEqual({ user: { username: 'admin', image: 'http://x/img.png', permissions: '*' } });
  });

  it('accepts fixed tokens from the adminAuth.tokens list with their scope', async () => {
    app = await startAuthApp(credentials());
    expect((await call(`${app.base}/flows`, { bearer: 'LISTTOKEN' })).status).toBe(200);
    expect((await call(`${app.base}/settings`, { bearer: 'LISTTOKEN' })).status).toBe(401);
  });

  it('falls through to the anonymous default user (also with a bad or malformed token)', async () => {
    app = await startAuthApp(credentials({ default: { permissions: 'read' } }));
    expect((await call(`${app.base}/flows`)).status).toBe(200);
    expect((await call(`${app.base}/flows`, { bearer: 'bad' })).status).toBe(200);
    expect((await call(`${app.base}/flows`, { headers: { authorization: 'Bearer' } })).status).toBe(200);
    expect(unauthorized(await call(`${app.base}/flows`, { method: 'POST', bearer: 'bad' }))).toEqual([401, '', null]);
    expect(JSON.parse((await call(`${app.base}/settings`)).text)).toEqual({ user: { anonymous: true, permissions: 'read' } });
  });

  it('uses the tokens() function with Bearer (case-sensitive) or the tokenHeader; its failures are 401s', async () => {
    const tokens = async (t: string) => { if (t === 'THROW') throw new Error('tokens throw'); return t === 'API' ? { username: 'api', permissions: 'flows.read' } : null; };
    app = await startAuthApp({ adminAuth: { type: 'credentials', users, tokens } });
    expect((await call(`${app.base}/flows`, { bearer: 'API' })).status).toBe(200);
    expect((await call(`${app.base}/flows`, { headers: { authorization: 'bearer API' } })).status).toBe(401);
    expect(unauthorized(await call(`${app.base}/settings`, { bearer: 'API' }))).toEqual([401, '', null]);
    expect(unauthorized(await call(`${app.base}/flows`, { bearer: 'THROW' }))).toEqual([401, 'Unauthorized', 'Bearer realm="Users", error="invalid_token"']);
    await app.close();
    app = await startAuthApp({ adminAuth: { tokens, tokenHeader: 'X-My-Token', default: async () => ({ anonymous: true, permissions: ['settings.read'] }) } });
    const s = await call(`${app.base}/flows`, { headers: { 'x-my-token': 'API' } });
    expect(JSON.parse(s.text).user).toEqual({ username: 'api', permissions: 'flows.read' });
    expect((await call(`${app.base}/flows`, { bearer: 'API' })).status).toBe(401);
    expect(JSON.parse((await call(`${app.base}/settings`)).text)).toEqual({ user: { anonymous: true, permissions: ['settings.read'] } });
  });

  it('a throwing users() function during a bearer lookup is a 401, not a crash', async () => {
    let fail = false;
    app = await startAuthApp({ adminAuth: { type: 'credentials', users: (async (n: string) => { if (fail) throw new Error('db down'); return n === 'admin' ? users[0] : null; }) as never } });
    const t = await app.login('admin');
    fail = true;
    expect(unauthorized(await call(`${app.base}/flows`, { bearer: t }))).toEqual([401, 'Unauthorized', 'Bearer realm="Users", error="invalid_token"']);
    expect(app.logLines.join('\n')).toContain('db down');
  });
});

describe('sessions through the whole stack', () => {
  it('survive a restart, stored only as hashes', async () => {
    const storage = memoryStorage();
    app = await startAuthApp(credentials(), storage);
    const t = await app.login('admin');
    await app.close();
    expect(Object.keys(storage.data)).toEqual([createHash('sha256').update(t).digest('hex')]);
    expect(JSON.stringify(storage.data)).not.toContain(t);
    app = await startAuthApp(credentials(), storage);
    expect((await call(`${app.base}/flows`, { bearer: t })).status).toBe(200);
  });

  it('honour a Node-RED .sessions.json and refuse expired ones', async () => {
    const raw = 'r'.repeat(171) + '=';
    const old = 'o'.repeat(171) + '=';
    const storage = memoryStorage({
      [raw]: { user: 'viewer', client: 'node-red-editor', scope: 'read', accessToken: raw, expires: Date.now() + 60000 },
      [old]: { user: 'admin', client: 'node-red-editor', scope: ['*'], accessToken: old, expires: Date.now() - 1000 },
    });
    app = await startAuthApp(credentials(), storage);
    expect(JSON.stringify(storage.data)).not.toContain(raw);
    expect((await call(`${app.base}/flows`, { bearer: raw })).status).toBe(200);
    expect((await call(`${app.base}/flows`, { bearer: old })).status).toBe(401);
  });
});

describe('token helpers for the comms', () => {
  it('authenticateToken / resolveToken: sessions, tokens list, then the tokens() function', async () => {
    app = await startAuthApp(credentials({ default: { permissions: 'read' } }));
    const t = await app.login('admin', 'flows.read');
    expect(await app.auth.authenticateToken(t)).toEqual({ username: 'admin', permissions: '*', image: 'http://x/img.png' });
    expect(await app.auth.resolveToken(t)).toMatchObject({ scope: ['flows.read'] });
    expect(await app.auth.resolveToken('LISTTOKEN')).toEqual({ user: { username: 'viewer', permissions: 'read' }, scope: ['flows.read'] });
    expect(await app.auth.authenticateToken('bad')).toBeNull();
    expect(await app.auth.anonymousUser()).toEqual({ anonymous: true, permissions: 'read' });
    expect(app.auth.enabled).toBe(true);
    await app.close();
    app = await startAuthApp({ adminAuth: { tokens: async (x: string) => (x === 'API' ? { username: 'api', permissions: '*' } : null), tokenHeader: 'x-t' } });
    expect(await app.auth.resolveToken('API')).toEqual({ user: { username: 'api', permissions: '*' }, scope: '*' });
    expect(await app.auth.authenticateHeaders({ 'x-t': 'API' })).toEqual({ username: 'api', permissions: '*' });
    expect(await app.auth.authenticateHeaders({ 'x-t': 'nope' })).toBeNull();
    expect(await app.auth.authenticateHeaders({})).toBeUndefined();
  });
  it('answer null / undefined without adminAuth', async () => {
    app = await startAuthApp({});
    expect(await app.auth.authenticateToken('x')).toBeNull();
    expect(await app.auth.anonymousUser()).toBeNull();
    expect(app.auth.enabled).toBe(false);
  });
});
