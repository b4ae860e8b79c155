// The login lock-out per username and client address, over real sockets: wrong passwords sent from one
// address (127.0.0.2, the client socket bound with `localAddress`) get Node-RED's answers there (403 five
// times, then 500 "Too many login attempts" even for the right password) but do not lock the owner out at
// another address (127.0.0.1). X-Forwarded-For names the client only with the trustProxy setting, and then
// by its right-most untrusted hop; without it a forged header changes nothing.
import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bcrypt as loadBcrypt } from '../../src/runtime/util/deps.js';
import { HASH, PASSWORD, startAuthApp, type AuthApp } from './fixture.js';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { Settings } from '../../src/settings/types.js';
import { validateRawAnswer } from '../setup/validate-admin-answers.js';

const OWNER = '127.0.0.1';
const ATTACKER = '127.0.0.2';
const TOO_MANY = { error: 'server_error', error_description: 'Too many login attempts. Wait 10 minutes and try again' };
const INVALID_GRANT = { error: 'invalid_grant', error_description: 'Invalid resource owner credentials' };

const settings = (extra: Settings = {}): Settings => ({
  adminAuth: { type: 'credentials', users: [{ username: 'admin', password: HASH, permissions: '*' }] },
  ...extra,
});

interface Answer { status: number; body: any }

/** POST <base>/auth/token from a socket bound to `from`, with extra headers. */
function token(base: string, from: string, password: string, headers: Record<string, string> = {}, username = 'admin'): Promise<Answer> {
  const url = new URL(`${base.replace(/\/$/, '')}/auth/token`);
  const body = new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username, password }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from, agent: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        // checked against the OpenAPI document as fetch's answers are
        validateRawAnswer('POST', url.href, res.statusCode!, res.headers['content-type'], text)
          .then(() => resolve({ status: res.statusCode!, body: parsed }), reject);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Five wrong passwords: each answered 403 invalid_grant, as Node-RED answers them. */
async function fiveWrong(base: string, from: string, headers: (i: number) => Record<string, string> = () => ({})): Promise<void> {
  for (let i = 0; i < 5; i++) expect(await token(base, from, 'wrong', headers(i))).toEqual({ status: 403, body: INVALID_GRANT });
}

const granted = (a: Answer) => {
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  expect(a.body.access_token).toEqual(expect.any(String));
};

let app: AuthApp | undefined;
let runtime: Started | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await app?.close();
  await runtime?.stop();
  app = undefined;
  runtime = undefined;
});

describe('login lock-out per username and client address', () => {
  it('wrong passwords from one address lock out that address only: the owner logs in from another', async () => {
    app = await startAuthApp(settings());
    await fiveWrong(app.base, ATTACKER);
    // the right password from the address that sent the wrong ones: Node-RED's "too many" answer
    expect(await token(app.base, ATTACKER, PASSWORD)).toEqual({ status: 500, body: TOO_MANY });
    // the owner, elsewhere, gets a token; that success does not clear the other address
    granted(await token(app.base, OWNER, PASSWORD));
    expect(await token(app.base, ATTACKER, PASSWORD)).toEqual({ status: 500, body: TOO_MANY });
    // and wrong passwords from the owner's address count there, separately
    await fiveWrong(app.base, OWNER);
    expect(await token(app.base, OWNER, PASSWORD)).toEqual({ status: 500, body: TOO_MANY });
  });

  it('without trustProxy, X-Forwarded-For is ignored: a forged header does not escape the count', async () => {
    app = await startAuthApp(settings());
    await fiveWrong(app.base, ATTACKER, (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` }));
    expect(await token(app.base, ATTACKER, PASSWORD, { 'x-forwarded-for': '198.51.100.99' })).toEqual({ status: 500, body: TOO_MANY });
    expect(await token(app.base, ATTACKER, PASSWORD, { 'x-forwarded-for': OWNER })).toEqual({ status: 500, body: TOO_MANY });
    granted(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': ATTACKER }));
  });

  it('with trustProxy (a number of proxies), the clients behind the proxy are counted apart by X-Forwarded-For', async () => {
    app = await startAuthApp(settings({ trustProxy: 1 }));
    // every request comes from the proxy (127.0.0.1); the proxy appends the client's address
    await fiveWrong(app.base, OWNER, () => ({ 'x-forwarded-for': '203.0.113.5' }));
    expect(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '203.0.113.5' })).toEqual({ status: 500, body: TOO_MANY });
    granted(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '203.0.113.6' }));
    // what the client wrote itself in front of the proxy's entry does not count: the right-most hop does
    expect(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '203.0.113.77, 203.0.113.5' })).toEqual({ status: 500, body: TOO_MANY });
    // a request without the header is the proxy's own
    granted(await token(app.base, OWNER, PASSWORD));
  });

  it('trustProxy true trusts the one proxy in front, not every hop', async () => {
    app = await startAuthApp(settings({ trustProxy: true }));
    await fiveWrong(app.base, OWNER, (i) => ({ 'x-forwarded-for': `10.9.9.${i}, 203.0.113.5` }));
    expect(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '10.9.9.200, 203.0.113.5' })).toEqual({ status: 500, body: TOO_MANY });
    granted(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '203.0.113.6' }));
  });

  it('with trustProxy naming the proxy address, X-Forwarded-For from any other address is ignored', async () => {
    app = await startAuthApp(settings({ trustProxy: [OWNER] }));
    // 127.0.0.2 is not the proxy: its header is its own invention
    await fiveWrong(app.base, ATTACKER, (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` }));
    expect(await token(app.base, ATTACKER, PASSWORD, { 'x-forwarded-for': '198.51.100.50' })).toEqual({ status: 500, body: TOO_MANY });
    // through the proxy, the client it names counts
    await fiveWrong(app.base, OWNER, () => ({ 'x-forwarded-for': '203.0.113.5' }));
    expect(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '203.0.113.5' })).toEqual({ status: 500, body: TOO_MANY });
    granted(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '203.0.113.6' }));
    // a subnet of proxies: the right-most address outside it counts
    await app.close();
    app = await startAuthApp(settings({ trustProxy: '127.0.0.0/8, 10.0.0.0/8' }));
    await fiveWrong(app.base, ATTACKER, () => ({ 'x-forwarded-for': '203.0.113.5, 10.1.1.1' }));
    expect(await token(app.base, OWNER, PASSWORD, { 'x-forwarded-for': '203.0.113.5, 10.2.2.2' })).toEqual({ status: 500, body: TOO_MANY });
    granted(await token(app.base, ATTACKER, PASSWORD, { 'x-forwarded-for': '203.0.113.6, 10.1.1.1' }));
  });

  it('an unknown user costs the same bcrypt comparison and gets the same answers and lock-out', async () => {
    app = await startAuthApp(settings());
    const compare = vi.spyOn(loadBcrypt(), 'compare');
    for (let i = 0; i < 5; i++) expect(await token(app.base, ATTACKER, 'wrong', {}, 'ghost')).toEqual({ status: 403, body: INVALID_GRANT });
    expect(compare).toHaveBeenCalledTimes(5);
    // refused before any comparison, as for a known user
    expect(await token(app.base, ATTACKER, 'wrong', {}, 'ghost')).toEqual({ status: 500, body: TOO_MANY });
    expect(compare).toHaveBeenCalledTimes(5);
    // another username from the same address has a count of its own
    granted(await token(app.base, ATTACKER, PASSWORD, {}, 'admin'));
    expect(compare).toHaveBeenCalledTimes(6);
  });

  it('the runtime reads trustProxy from its settings', async () => {
    runtime = await startCrimson({ settings: settings({ trustProxy: 'loopback' }) });
    await fiveWrong(runtime.url, OWNER, () => ({ 'x-forwarded-for': '203.0.113.5' }));
    expect(await token(runtime.url, ATTACKER, PASSWORD, { 'x-forwarded-for': '203.0.113.5' })).toEqual({ status: 500, body: TOO_MANY });
    granted(await token(runtime.url, ATTACKER, PASSWORD, { 'x-forwarded-for': '203.0.113.6' }));
    granted(await token(runtime.url, OWNER, PASSWORD));
  });
});
