// The /comms auth handshake against a running Crimson, with the answers Node-RED 4.1.15 gave a ws client
// for the same settings: {"auth":"ok"} / {"auth":"fail"} + close (1005), status.read, the anonymous quirk.
import { afterEach, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { AdminAuthSettings } from '../../src/settings/types.js';
import { commsUrl, openComms, sleep } from './ws-client.js';

const hash = bcrypt.hashSync('pw', 4);
const users = [
  { username: 'admin', password: hash, permissions: '*' },
  { username: 'viewer', password: hash, permissions: 'read' },
  { username: 'limited', password: hash, permissions: ['flows.read'] },
  { username: 'watcher', password: hash, permissions: ['status.read'] },
];
const state = { topic: 'notification/runtime-state', data: { state: 'start' } };

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

async function start(adminAuth?: AdminAuthSettings, extra = {}) {
  c = await startCrimson({ settings: { ...(adminAuth ? { adminAuth } : {}), ...extra } });
  return c;
}

async function token(username: string, scope: string): Promise<string> {
  const res = await fetch(c!.url + 'auth/token', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope, username, password: 'pw' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).access_token;
}

describe('/comms without adminAuth', () => {
  it('needs no handshake: a subscribe is answered with the retained messages', async () => {
    await start();
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ subscribe: 'notification/runtime-state' });
    await ws.message('notification/runtime-state');
    expect(ws.frames[0]!.value).toEqual([state]);
    expect(ws.frames.some((f) => !Array.isArray(f.value))).toBe(false);
    await ws.close();
  });
});

describe('/comms with adminAuth', () => {
  const adminAuth: AdminAuthSettings = { type: 'credentials', users };

  it.each([
    ['admin', '*'],
    ['viewer', 'read'],
    ['watcher', 'status.read'],
  ])('a %s token (scope %s) gets {"auth":"ok"}, then the retained replay', async (user, scope) => {
    await start(adminAuth);
    const t = await token(user, scope);
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: t });
    await ws.until(() => ws.frames.length === 1);
    expect(ws.frames[0]!.raw).toBe('{"auth":"ok"}');
    ws.send({ subscribe: 'notification/runtime-state' });
    await ws.message('notification/runtime-state');
    expect(ws.frames[1]!.value).toEqual([state]);
    await ws.close();
  });

  it.each([
    ['an unknown token', async () => 'not-a-token'],
    ['a token without status.read', async () => token('limited', 'flows.read')],
    ['an admin token scoped to flows.read', async () => token('admin', 'flows.read')],
  ])('%s gets {"auth":"fail"} and the socket is closed', async (_what, make) => {
    await start(adminAuth);
    const t = await make();
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: t });
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.map((f) => f.raw)).toEqual(['{"auth":"fail"}']);
  });

  it('any other first frame is an anonymous attempt: without a default user, fail and close', async () => {
    await start(adminAuth);
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ subscribe: 'notification/#' });
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.map((f) => f.raw)).toEqual(['{"auth":"fail"}']);
  });

  it('nothing is sent before authentication, not even the heartbeat', async () => {
    await start(adminAuth, { webSocketKeepAliveTime: 50 });
    const ws = await openComms(commsUrl(c!.url));
    await sleep(300);
    expect(ws.frames).toEqual([]);
    await ws.close();
  });

  it('a subscribe sent right behind the auth frame waits for its answer', async () => {
    await start(adminAuth);
    const t = await token('admin', '*');
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: t });
    ws.send({ subscribe: 'notification/runtime-state' });
    await ws.message('notification/runtime-state');
    expect(ws.frames.map((f) => f.value)).toEqual([{ auth: 'ok' }, [state]]);
    await ws.close();
  });

  it('a fixed adminAuth.tokens entry authenticates', async () => {
    await start({ ...adminAuth, tokens: [{ token: 'fixed-token', user: 'admin', scope: ['*'] }] } as AdminAuthSettings);
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: 'fixed-token' });
    await ws.until(() => ws.frames.length === 1);
    expect(ws.frames[0]!.raw).toBe('{"auth":"ok"}');
    await ws.close();
  });

  it('a later bad auth frame on an authenticated socket fails it', async () => {
    await start(adminAuth);
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: await token('admin', '*') });
    await ws.until(() => ws.frames.length === 1);
    ws.send({ auth: 'wrong' });
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.map((f) => f.raw)).toEqual(['{"auth":"ok"}', '{"auth":"fail"}']);
  });

  it('when the session expires the socket gets {"auth":"fail"} and is closed; a revoke leaves it (as Node-RED)', async () => {
    await start({ ...adminAuth, sessionExpiryTime: 1 });
    const expiring = await openComms(commsUrl(c!.url));
    expiring.send({ auth: await token('admin', '*') });
    const revokedToken = await token('admin', '*');
    const revoked = await openComms(commsUrl(c!.url));
    revoked.send({ auth: revokedToken });
    await expiring.until(() => expiring.frames.length === 1 && revoked.frames.length === 1);
    const res = await fetch(c!.url + 'auth/revoke', {
      method: 'POST', headers: { authorization: `Bearer ${revokedToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: revokedToken }),
    });
    expect(res.status).toBe(200);
    // sessions expire on a timer: expiry + 5 s grace
    expect(await expiring.closed).toBe(1005);
    expect(expiring.frames.map((f) => f.raw)).toEqual(['{"auth":"ok"}', '{"auth":"fail"}']);
    expect(revoked.ws.readyState).toBe(revoked.ws.OPEN);
    await revoked.close();
  }, 15000);
});

describe('/comms with an anonymous default user', () => {
  it('(quirk) a first non-auth frame is accepted silently and processed', async () => {
    await start({ type: 'credentials', users, default: { permissions: 'read' } });
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ subscribe: 'notification/runtime-state' });
    await ws.message('notification/runtime-state');
    expect(ws.frames.map((f) => f.value)).toEqual([[state]]);
    await ws.close();
  });

  it('an invalid token still fails', async () => {
    await start({ type: 'credentials', users, default: { permissions: 'read' } });
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: 'bad' });
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.map((f) => f.raw)).toEqual(['{"auth":"fail"}']);
  });

  it('a default user without status.read is refused', async () => {
    await start({ type: 'credentials', users, default: { permissions: ['flows.read'] } });
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ subscribe: 'notification/runtime-state' });
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.map((f) => f.raw)).toEqual(['{"auth":"fail"}']);
  });
});

describe('/comms with adminAuth.tokens() and a token header on the upgrade', () => {
  const adminAuth = {
    type: 'credentials', users,
    tokens: async (t: string) => (t === 'api-token' ? { username: 'api', permissions: '*' } : null),
  } as AdminAuthSettings;

  it('a valid header authenticates the connection up front (no auth frame, no auth:ok)', async () => {
    await start(adminAuth);
    const ws = await openComms(commsUrl(c!.url), { headers: { authorization: 'Bearer api-token' } });
    ws.send({ subscribe: 'notification/runtime-state' });
    await ws.message('notification/runtime-state');
    expect(ws.frames.map((f) => f.value)).toEqual([[state]]);
    await ws.close();
  });

  it('an invalid header gets the socket destroyed', async () => {
    await start(adminAuth);
    await expect(openComms(commsUrl(c!.url), { headers: { authorization: 'Bearer nope' } })).rejects.toThrow(/socket hang up/);
  });

  it('the tokens() function also answers an auth frame', async () => {
    await start(adminAuth);
    const ws = await openComms(commsUrl(c!.url));
    ws.send({ auth: 'api-token' });
    await ws.until(() => ws.frames.length === 1);
    expect(ws.frames[0]!.raw).toBe('{"auth":"ok"}');
    await ws.close();
  });
});
