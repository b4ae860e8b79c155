// The quick start with adminAuth on: a token from /auth/token deploys the todo flow; scopes limit what a
// token can do; tokens survive a restart and only their hash is on disk.
import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const adminAuth = {
  type: 'credentials' as const,
  users: [
    { username: 'admin', password: bcrypt.hashSync('secret', 4), permissions: '*' },
    { username: 'viewer', password: bcrypt.hashSync('look', 4), permissions: 'read' },
  ],
};
let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

async function token(username: string, password: string, scope = '*'): Promise<string> {
  const res = await fetch(c!.url + 'auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope, username, password }).toString(),
  });
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body.expires_in).toBe(604800);
  expect(body.token_type).toBe('Bearer');
  return body.access_token;
}

describe('admin API with adminAuth', () => {
  it('needs a token, and the todo flow deploys and answers with one', async () => {
    c = await startCrimson({ settings: { adminAuth } });
    const anon = await fetch(c.url + 'flows');
    expect(anon.status).toBe(401);
    expect(await anon.text()).toBe('Unauthorized');
    expect(anon.headers.get('www-authenticate')).toBe('Bearer realm="Users"');
    const t = await token('admin', 'secret');
    const flows = await readFile(new URL('../flows/fixtures/todo-api.json', import.meta.url), 'utf8');
    const dep = await fetch(c.url + 'flows', { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: flows });
    expect(dep.status).toBe(204);
    // http in routes are not behind adminAuth
    expect((await fetch(c.url + 'test')).status).toBe(200);
    const s = await (await fetch(c.url + 'settings', { headers: { authorization: `Bearer ${t}` } })).json();
    expect(s.user).toEqual({ username: 'admin', permissions: '*' });
  });

  it('a read-scoped token reads but cannot deploy (401 with an empty body)', async () => {
    c = await startCrimson({ settings: { adminAuth } });
    const t = await token('viewer', 'look', 'read');
    const h = { authorization: `Bearer ${t}`, 'content-type': 'application/json' };
    expect((await fetch(c.url + 'flows', { headers: h })).status).toBe(200);
    const post = await fetch(c.url + 'flows', { method: 'POST', headers: h, body: '[]' });
    expect(post.status).toBe(401);
    expect(await post.text()).toBe('');
  });

  it('a wrong password is 403 invalid_grant', async () => {
    c = await startCrimson({ settings: { adminAuth } });
    const res = await fetch(c.url + 'auth/token', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'nope' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid resource owner credentials' });
  });

  it('tokens survive a restart; .sessions.json holds no token', async () => {
    c = await startCrimson({ settings: { adminAuth } });
    const t = await token('admin', 'secret');
    const dir = c.userDir;
    await c.stop({ keepDir: true });
    const sessions = await readFile(path.join(dir, '.sessions.json'), 'utf8');
    expect(sessions).not.toContain(t);
    c = await startCrimson({ userDir: dir, settings: { adminAuth } });
    expect((await fetch(c.url + 'flows', { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    const rev = await fetch(c.url + 'auth/revoke', { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: t }) });
    expect(rev.status).toBe(200);
    expect((await fetch(c.url + 'flows', { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
  });
});
