// The /auth router over real HTTP: GET /login, POST /token, POST /revoke (COMPAT A1.1-A1.3).
import { afterEach, describe, expect, it } from 'vitest';
import { call, HASH, PASSWORD, startAuthApp, type AuthApp } from '../auth/fixture.js';
import type { Settings } from '../../src/settings/types.js';

const credentials = (extra: Record<string, unknown> = {}): Settings => ({
  adminAuth: {
    type: 'credentials',
    users: [
      { username: 'admin', password: HASH, permissions: '*' },
      { username: 'viewer', password: HASH, permissions: 'read' },
      { username: 'arr', password: HASH, permissions: ['flows.read'] },
      { username: 'fixed', password: HASH, permissions: '*', token: 'FIXEDTOKEN' },
      { username: 'nopw', permissions: '*' },
    ],
    ...extra,
  },
});
const form = (f: Record<string, string>) => ({ client_id: 'node-red-admin', grant_type: 'password', password: PASSWORD, ...f });
const INVALID_GRANT = { error: 'invalid_grant', error_description: 'Invalid resource owner credentials' };

let app: AuthApp | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

describe('GET /auth/login', () => {
  it('answers {} without adminAuth', async () => {
    app = await startAuthApp({});
    const r = await call(`${app.base}/auth/login`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({});
  });
  it('describes the credentials form', async () => {
    app = await startAuthApp(credentials());
    const r = await call(`${app.base}/auth/login`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"type":"credentials","prompts":[{"id":"username","type":"text","label":"user.username"},{"id":"password","type":"password","label":"user.password"}]}');
  });
  it('adds editorTheme.login message and button; answers only the theme additions without a type', async () => {
    app = await startAuthApp({ editorTheme: { login: { message: 'hello', button: { label: 'SSO', url: '/x' } } }, adminAuth: { default: { permissions: '*' } } });
    expect(JSON.parse((await call(`${app.base}/auth/login`)).text)).toEqual({ loginMessage: 'hello', prompts: [{ type: 'button', label: 'SSO', url: '/x' }] });
  });
  it('describes a strategy button', async () => {
    app = await startAuthApp({ httpAdminRoot: '/admin/', adminAuth: { type: 'strategy', strategy: { label: 'Sign in', icon: 'fa-github', autoLogin: true } } });
    expect(JSON.parse((await call(`${app.base}/auth/login`)).text)).toEqual({
      type: 'strategy', autoLogin: true, loginRedirect: '/admin/auth/strategy',
      prompts: [{ type: 'button', label: 'Sign in', url: '/admin/auth/strategy', icon: 'fa-github' }],
    });
  });
});

describe('POST /auth/token', () => {
  it('issues a bearer token with Node-RED headers and body', async () => {
    app = await startAuthApp(credentials({ sessionExpiryTime: 60 }));
    const r = await app.token(form({ username: 'admin', scope: '*' }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('pragma')).toBe('no-cache');
    expect(Object.keys(r.body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(r.body.access_token).toHaveLength(172);
    expect(r.body.expires_in).toBe(60);
    expect(r.body.token_type).toBe('Bearer');
  });
  it('defaults expires_in to 604800 and accepts JSON bodies and the editor client with its secret', async () => {
    app = await startAuthApp(credentials());
    const res = await fetch(`${app.base}/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-editor', client_secret: 'not_available', grant_type: 'password', username: 'admin', password: PASSWORD, scope: '*' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).expires_in).toBe(604800);
  });
  it('answers 401 Unauthorized for an unknown or missing client or a wrong secret', async () => {
    app = await startAuthApp(credentials());
    for (const f of [{ client_id: 'bad' }, { client_id: '' }, { client_secret: 'x' }] as Record<string, string>[]) {
      const r = await app.token(form({ username: 'admin', scope: '*', ...f }));
      expect(r.status).toBe(401);
      expect(r.body).toBe('Unauthorized');
      expect(r.headers.get('www-authenticate')).toBeNull();
    }
  });
  it('answers 403 invalid_grant for a wrong password, an unknown user or a user without password', async () => {
    app = await startAuthApp(credentials());
    for (const f of [{ username: 'admin', password: 'bad' }, { username: 'ghost' }, { username: 'nopw' }] as Record<string, string>[]) {
      const r = await app.token(form({ scope: '*', ...f }));
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.body).toEqual(INVALID_GRANT);
    }
  });
  it('answers 403 invalid_grant when the requested scope exceeds the user permissions', async () => {
    app = await startAuthApp(credentials());
    expect((await app.token(form({ username: 'viewer', scope: '*' }))).body).toEqual(INVALID_GRANT);
    expect((await app.token(form({ username: 'arr', scope: 'flows.read flows.write' }))).status).toBe(403);
    expect((await app.token(form({ username: 'viewer', scope: 'flows.read settings.read' }))).status).toBe(200);
  });
  it('a missing scope: granted to "*" users (token grants nothing), refused to "read" users (quirk)', async () => {
    app = await startAuthApp(credentials());
    expect((await app.token(form({ username: 'admin' }))).status).toBe(200);
    expect((await app.token(form({ username: 'viewer' }))).status).toBe(403);
  });
  it('answers 400 invalid_request for a missing username or password, or a non-string scope', async () => {
    app = await startAuthApp(credentials());
    let r = await app.token({ client_id: 'node-red-admin', grant_type: 'password', password: 'x' });
    expect([r.status, r.body]).toEqual([400, { error: 'invalid_request', error_description: 'Missing required parameter: username' }]);
    r = await app.token({ client_id: 'node-red-admin', grant_type: 'password', username: 'admin' });
    expect([r.status, r.body]).toEqual([400, { error: 'invalid_request', error_description: 'Missing required parameter: password' }]);
    const res = await fetch(`${app.base}/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', username: 'admin', password: PASSWORD, scope: ['*'] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid parameter: scope must be a string' });
  });
  it('answers 501 unsupported_grant_type for another or a missing grant type', async () => {
    app = await startAuthApp(credentials());
    let r = await app.token({ client_id: 'node-red-admin', grant_type: 'foo', username: 'admin' });
    expect([r.status, r.body]).toEqual([501, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: foo' }]);
    r = await app.token({ client_id: 'node-red-admin', username: 'admin' });
    expect(r.body).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant type: undefined' });
  });
  it('refuses the 6th attempt for a username within 10 minutes with 500 server_error; a success clears', async () => {
    app = await startAuthApp(credentials());
    for (let i = 0; i < 4; i++) expect((await app.token(form({ username: 'arr', password: 'bad', scope: '*' }))).status).toBe(403);
    expect((await app.token(form({ username: 'arr', scope: 'flows.read' }))).status).toBe(200); // 5th, clears
    for (let i = 0; i < 5; i++) expect((await app.token(form({ username: 'arr', password: 'bad', scope: '*' }))).status).toBe(403);
    const r = await app.token(form({ username: 'arr', scope: 'flows.read' }));
    expect(r.status).toBe(500);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.body).toEqual({ error: 'server_error', error_description: 'Too many login attempts. Wait 10 minutes and try again' });
    expect((await app.token(form({ username: 'admin', scope: '*' }))).status).toBe(200);
  });
  it('hands back a user-defined token without expires_in', async () => {
    app = await startAuthApp(credentials());
    const r = await app.token(form({ username: 'fixed', scope: '*' }));
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toBe('{"access_token":"FIXEDTOKEN","token_type":"Bearer"}');
  });
  it('a failing users() function answers 500 server_error instead of crashing', async () => {
    app = await startAuthApp({
      adminAuth: {
        type: 'credentials',
        users: ((name: string) => (name === 'boom' ? (() => { throw new Error('sync boom'); })() : Promise.reject(new Error('async boom')))) as never,
      },
    });
    let r = await app.token(form({ username: 'boom', scope: '*' }));
    expect([r.status, r.body]).toEqual([500, { error: 'server_error', error_description: 'sync boom' }]);
    r = await app.token(form({ username: 'reject', scope: '*' }));
    expect([r.status, r.body]).toEqual([500, { error: 'server_error', error_description: 'async boom' }]);
  });
  it('never logs the password', async () => {
    app = await startAuthApp(credentials());
    await app.token(form({ username: 'admin', scope: '*' }));
    await app.token(form({ username: 'admin', password: 'another-Secret-9', scope: '*' }));
    const log = app.logLines.join('\n');
    expect(log).toContain('auth.login');
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('another-Secret-9');
  });
  it('is 404 without adminAuth and when adminAuth has no credentials type', async () => {
    app = await startAuthApp({});
    expect((await app.token(form({ username: 'admin', scope: '*' }))).status).toBe(404);
    await app.close();
    app = await startAuthApp({ adminAuth: { default: { permissions: '*' } } });
    expect((await app.token(form({ username: 'admin', scope: '*' }))).status).toBe(404);
  });
});

describe('POST /auth/revoke', () => {
  it('deletes the session (any user\'s) and answers 200 with an empty body', async () => {
    app = await startAuthApp(credentials());
    const admin = await app.login('admin');
    const viewer = await app.login('viewer', '');
    const r = await call(`${app.base}/auth/revoke`, { method: 'POST', bearer: admin, body: new URLSearchParams({ token: viewer }) });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect((await call(`${app.base}/flows`, { bearer: viewer })).status).toBe(401);
    expect((await call(`${app.base}/flows`, { bearer: admin })).status).toBe(200);
  });
  it('works for a token without scope (permission "") and with a JSON body', async () => {
    app = await startAuthApp(credentials());
    const noScope = (await app.token(form({ username: 'admin' }))).body.access_token as string;
    const r = await call(`${app.base}/auth/revoke`, {
      method: 'POST', bearer: noScope, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: noScope }),
    });
    expect(r.status).toBe(200);
    expect((await call(`${app.base}/any`, { bearer: noScope })).status).toBe(401);
  });
  it('answers {"redirect"} with editorTheme.logout.redirect', async () => {
    app = await startAuthApp({ ...credentials(), editorTheme: { logout: { redirect: 'http://example.com/bye' } } });
    const admin = await app.login('admin');
    const r = await call(`${app.base}/auth/revoke`, { method: 'POST', bearer: admin, body: new URLSearchParams({ token: admin }) });
    expect(JSON.parse(r.text)).toEqual({ redirect: 'http://example.com/bye' });
  });
  it('answers 401 Unauthorized unauthenticated, and 404 without adminAuth', async () => {
    app = await startAuthApp(credentials());
    const r = await call(`${app.base}/auth/revoke`, { method: 'POST' });
    expect([r.status, r.text, r.headers.get('www-authenticate')]).toEqual([401, 'Unauthorized', 'Bearer realm="Users"']);
    await app.close();
    app = await startAuthApp({});
    expect((await call(`${app.base}/auth/revoke`, { method: 'POST' })).status).toBe(404);
  });
  it('is open to the anonymous default user', async () => {
    app = await startAuthApp(credentials({ default: { permissions: 'read' } }));
    expect((await call(`${app.base}/auth/revoke`, { method: 'POST' })).status).toBe(200);
  });
});
