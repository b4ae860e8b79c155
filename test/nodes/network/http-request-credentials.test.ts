// The credentials of `http request` and `http proxy` nodes as the editor reads them back
// (GET /credentials/<type>/<id>: `user` as text, only `has_password`), kept across a restart and used by the
// restarted node; and the node's messages reaching the debug sidebar over /comms with adminAuth on.
// Checked on Node-RED 4.1.15 too: ORACLE=node-red npx vitest run <this file>.
import fs from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject, observe, startTarget, type Target } from './target.js';
import { scene } from './flow-parts.js';
import { startEchoServer, type LocalServer } from './servers.js';
import { commsUrl, openComms, sleep } from '../../comms/ws-client.js';

let echo: LocalServer;
beforeAll(async () => { echo = await startEchoServer(); });
afterAll(async () => { await echo?.close(); });

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body };
}

describe('credentials', () => {
  let t: Target | undefined;
  afterAll(async () => { await t?.stop(); });

  test('are read back as user + has_password, survive a restart, and are used by the restarted node', async () => {
    const s = scene();
    const flows = (creds: Record<string, unknown>) => [
      s.tab(),
      { id: s.id('proxy'), type: 'http proxy', name: '', url: 'http://127.0.0.1:9', noproxy: ['127.0.0.1'], credentials: { username: 'pu', password: 'pp' } },
      s.inject('i', 'r'),
      { ...s.request('r', 'out', { url: `${echo.base}/basic`, authType: 'basic', ret: 'obj', proxy: s.id('proxy') }), credentials: creds },
      s.debug('out'),
    ];
    t = await startTarget({ flows: [] });
    await t.deploy(flows({ user: 'u', password: 'p' }));
    const read = async (type: string, id: string) => (await getJson(`${t!.url}credentials/${type}/${s.id(id)}`)).body;
    expect(await read('http-request', 'r')).toEqual({ user: 'u', has_password: true });
    expect(await read('http-proxy', 'proxy')).toEqual({ username: 'pu', has_password: true });
    const stored = JSON.parse(await fs.readFile(path.join(t.userDir, 'flows.json'), 'utf8'));
    expect(stored.some((n: { credentials?: unknown }) => n.credentials)).toBe(false);
    expect(Object.keys(JSON.parse(await fs.readFile(path.join(t.userDir, 'flows_cred.json'), 'utf8')))).toEqual(['$']);

    const userDir = t.userDir;
    await t.stop({ keepDir: true });
    t = await startTarget({ userDir });
    expect(await read('http-request', 'r')).toEqual({ user: 'u', has_password: true });
    expect(await read('http-proxy', 'proxy')).toEqual({ username: 'pu', has_password: true });
    const o = await observe(t);
    await inject(t, s.id('i'));
    const [msg] = await o.waitDebug(1, s.id('out'));
    expect(msg.payload.authorization).toBe(`Basic ${b64('u:p')}`);

    // the editor sends __PWRD__ for an unchanged password; an empty value deletes the field
    await t.deploy(flows({ user: 'u2', password: '__PWRD__' }));
    expect(await read('http-request', 'r')).toEqual({ user: 'u2', has_password: true });
    await inject(t, s.id('i'));
    const [, msg2] = await o.waitDebug(2, s.id('out'));
    expect(msg2.payload.authorization).toBe(`Basic ${b64('u2:p')}`);
    await t.deploy(flows({ user: 'u2', password: '' }));
    expect(await read('http-request', 'r')).toEqual({ user: 'u2', has_password: false });
    await o.close();
    await fs.rm(userDir, { recursive: true, force: true });
  });
});

describe('with adminAuth', () => {
  let t: Target;
  let token: string;
  const s = scene();
  beforeAll(async () => {
    const adminAuth = { type: 'credentials', users: [{ username: 'admin', password: bcrypt.hashSync('secret', 8), permissions: '*' }] };
    t = await startTarget({ flows: [], settings: { adminAuth } });
    const res = await fetch(t.url + 'auth/token', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=node-red-admin&grant_type=password&scope=*&username=admin&password=secret',
    });
    token = ((await res.json()) as { access_token: string }).access_token;
    await t.deploy([
      s.tab(),
      s.inject('i', 'r', { payload: ['{"n":1}', 'json'] }),
      { ...s.request('r', 'out', { method: 'POST', url: `${echo.base}/echo`, ret: 'obj', authType: 'bearer' }), credentials: { password: 'tok' } },
      s.debug('out'),
    ], { authorization: `Bearer ${token}` });
  });
  afterAll(async () => { await t?.stop(); });

  test('the credentials need a token; the debug messages reach an authenticated /comms client only', async () => {
    const auth = { authorization: `Bearer ${token}` };
    expect((await getJson(`${t.url}credentials/http-request/${s.id('r')}`)).status).toBe(401);
    expect((await getJson(`${t.url}credentials/http-request/${s.id('r')}`, auth)).body).toEqual({ has_password: true, user: '' });
    const anonymous = await openComms(commsUrl(t.url));
    anonymous.send({ subscribe: 'debug' });
    const o = await observe(t, token);
    await inject(t, s.id('i'), auth);
    const [msg] = await o.waitDebug(1, s.id('out'));
    expect(msg.statusCode).toBe(200);
    expect(msg.payload).toMatchObject({ method: 'POST', body: '{"n":1}' });
    expect(msg.payload.headers.authorization).toBe('Bearer tok');
    await sleep(100);
    expect(anonymous.messages().filter((m) => m.topic === 'debug')).toEqual([]);
    await o.close();
    await anonymous.close();
  });
});
