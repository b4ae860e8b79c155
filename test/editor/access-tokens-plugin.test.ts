// Crimson's built-in editor plugin set crimson/access-tokens (the Access Tokens tab of User Settings): served
// in GET /plugins like a package's plugin set, only with adminAuth; without adminAuth the plugin answers stay
// Node-RED's (test/admin/plugins.test.ts, test/registry/plugins). The editor side: test/e2e/access-tokens.test.ts.
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson } from '../helpers/start-crimson.js';
import type { Started } from '../helpers/start-crimson.js';
import type { Settings } from '../../src/settings/types.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const adminAuth = { type: 'credentials', users: [{ username: 'admin', password: bcrypt.hashSync('pw', 4), permissions: '*' }] };

async function login(): Promise<string> {
  const res = await fetch(c!.url + 'auth/token', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: 'admin', password: 'pw' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const get = async (p: string, bearer: string | undefined, accept = 'application/json') => {
  const res = await fetch(c!.url + p, { headers: { accept, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } });
  return { status: res.status, text: await res.text() };
};

describe('the built-in Access Tokens editor plugin', () => {
  it('is listed and served with adminAuth, behind the plugin marker', async () => {
    c = await startCrimson({ settings: { adminAuth } as Settings });
    expect((await get('plugins', undefined)).status).toBe(401);
    const bearer = await login();
    const list = await get('plugins', bearer);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.text)).toEqual([{
      id: 'crimson/access-tokens', name: 'access-tokens', enabled: true, local: false, user: false, module: 'crimson',
      plugins: [{ id: 'crimson-access-tokens', module: 'crimson' }], editor: true, runtime: false, version: '0.0.0',
    }]);
    const html = await get('plugins', bearer, 'text/html');
    expect(html.text.startsWith('\n<!-- --- [red-plugin:crimson/access-tokens] --- -->\n')).toBe(true);
    expect(html.text).toContain("RED.plugins.registerPlugin('crimson-access-tokens'");
    expect(html.text).toContain('RED.userSettings.add(');
    expect(html.text).toContain("url: 'auth/tokens'");
    const one = await get('plugins/crimson/access-tokens', bearer);
    expect(JSON.parse(one.text)).toMatchObject({ id: 'crimson/access-tokens', editor: true });
    expect((await get('plugins/crimson/access-tokens', bearer, 'text/html')).text).toBe(html.text);
    // no catalogue; and no failure without a language, as when there are no package plugins
    for (const p of ['plugins/messages?lng=en-US', 'plugins/messages']) {
      const m = await get(p, bearer);
      expect(m.status, p).toBe(200);
      expect(JSON.parse(m.text)).toEqual({ 'crimson/access-tokens': {} });
    }
  });

  it('has no editor part with disableEditor', async () => {
    c = await startCrimson({ settings: { adminAuth, disableEditor: true } as Settings });
    const bearer = await login();
    expect((await get('plugins', bearer, 'text/html')).text).toBe('');
  });

  it('is not there without adminAuth', async () => {
    c = await startCrimson();
    expect((await get('plugins', undefined)).text).toBe('[]');
    expect((await get('plugins', undefined, 'text/html')).text).toBe('');
    expect((await get('plugins/messages?lng=en-US', undefined)).text).toBe('{}');
  });
});
