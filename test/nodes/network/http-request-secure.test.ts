// The `http request` node with authentication (basic, digest, bearer, URL user info), TLS through a
// `tls-config` node (CA, no verification, client certificates, credentials-held CA) and msg.rejectUnauthorized,
// and proxies through an `http proxy` node (plain requests, CONNECT tunnels for https, proxy credentials,
// noproxy). Local servers only. Checked on Node-RED 4.1.15 too: ORACLE=node-red npx vitest run <this file>.
import fs from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject, observe, sceneRunner, startTarget, type Observer, type Target } from './target.js';
import { scene, type Scene } from './flow-parts.js';
import { startEchoServer, startProxy, DIGEST, TLS, type LocalServer } from './servers.js';

let t: Target;
let o: Observer;
let echo: LocalServer;
let secure: LocalServer;
let mutual: LocalServer;
let proxy: LocalServer;

beforeAll(async () => {
  [echo, secure, mutual, proxy] = await Promise.all([
    startEchoServer(),
    startEchoServer({}),
    startEchoServer({ clientCa: TLS.cert2File }),
    startProxy(),
  ]);
  t = await startTarget({ flows: [] });
  o = await observe(t);
});
afterAll(async () => {
  await o?.close();
  await t?.stop();
  await Promise.all([echo, secure, mutual, proxy].map((s) => s?.close()));
});

const { deploy, press } = sceneRunner(() => t, () => o);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const tlsConfig = (s: Scene, name: string, config: Record<string, unknown>) => ({
  id: s.id(`tls-${name}`), type: 'tls-config', name: '', cert: '', key: '', ca: '', certname: '', keyname: '', caname: '',
  servername: '', verifyservercert: true, alpnprotocol: '', ...config,
});
const proxyConfig = (s: Scene, name: string, config: Record<string, unknown>) => ({
  id: s.id(`proxy-${name}`), type: 'http proxy', name: '', url: proxy.base, noproxy: [], ...config,
});

describe('authentication', () => {
  test('basic (user/password credentials, or the url user info), bearer', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('basic', 'rbasic'),
      { ...s.request('rbasic', 'out', { url: `${echo.base}/basic`, authType: 'basic', ret: 'obj' }), credentials: { user: 'üser', password: 'p:w' } },
      s.inject('nouser', 'rnouser'),
      { ...s.request('rnouser', 'out', { url: `${echo.base}/basic`, authType: 'basic', ret: 'obj' }), credentials: { password: 'only' } },
      s.inject('url', 'rurl'),
      s.request('rurl', 'out', { url: `http://ux:px@127.0.0.1:${echo.port}/basic`, ret: 'obj' }),
      s.inject('bearer', 'rbearer'),
      { ...s.request('rbearer', 'out', { url: `${echo.base}/basic`, authType: 'bearer', ret: 'obj' }), credentials: { password: 'tok-123' } },
      s.inject('none', 'rnone'),
      s.request('rnone', 'out', { url: `${echo.base}/basic`, authType: 'basic', ret: 'obj' }),
    ]);
    const msgs = await press(s, 'basic', 'nouser', 'url', 'bearer', 'none');
    expect(msgs.map((m) => m.payload.authorization)).toEqual([
      `Basic ${b64('üser:p:w')}`, `Basic ${b64(':only')}`, `Basic ${b64('ux:px')}`, 'Bearer tok-123', null,
    ]);
  });

  test('digest: the challenge is answered once (qop auth, MD5); a wrong password gives the 401 as the message', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('ok', 'rok', { payload: ['{"x":1}', 'json'] }),
      { ...s.request('rok', 'out', { method: 'POST', url: `${echo.base}/digest?q=1`, authType: 'digest', ret: 'obj' }), credentials: { user: DIGEST.user, password: DIGEST.password } },
      s.inject('bad', 'rbad'),
      { ...s.request('rbad', 'out', { url: `${echo.base}/digest`, authType: 'digest' }), credentials: { user: DIGEST.user, password: 'wrong' } },
    ]);
    const before = echo.seen.length;
    const [ok, bad] = await press(s, 'ok', 'bad');
    expect(ok.statusCode).toBe(200);
    expect(ok.payload).toEqual({ auth: 'digest' });
    const [challenge, answer, wrong1, wrong2] = echo.seen.slice(before);
    expect(challenge!.headers.authorization).toBeUndefined();
    expect(answer!.headers.authorization).toMatch(new RegExp(
      `^Digest username="dig", realm="${DIGEST.realm}", nonce="${DIGEST.nonce}", uri="/digest\\?q=1", qop=auth, ` +
      `response="[0-9a-f]{32}", nc=00000001, cnonce="[0-9a-f]{32}", opaque="${DIGEST.opaque}"$`));
    expect([challenge!.body, answer!.body]).toEqual(['{"x":1}', '{"x":1}']);
    expect(bad.statusCode).toBe(401);
    expect(bad.payload).toBe('unauthorised');
    expect(wrong2!.headers.authorization).toMatch(/^Digest /);
    expect(wrong1!.headers.authorization).toBeUndefined();
    expect(echo.seen.length - before).toBe(4);
  });
});

describe('tls', () => {
  test('a self-signed server without a tls-config is an error; msg.rejectUnauthorized false (or "false") accepts it', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('plain', 'r'),
      s.inject('off', 'r', { rejectUnauthorized: ['false', 'bool'] }),
      s.inject('offtext', 'r', { rejectUnauthorized: ['FALSE', 'str'] }),
      s.inject('junk', 'r', { rejectUnauthorized: ['nope', 'str'] }),
      s.request('r', 'out', { url: `${secure.base}/text` }),
    ]);
    const [failed, off, offText] = await press(s, 'plain', 'off', 'offtext');
    const [caught] = await o.waitDebug(1, s.id('caught'));
    // what this Node says of the certificate ("self-signed certificate"; Node 24 adds a hint on --use-system-ca)
    const nodeSays = await new Promise<string>((resolve) => {
      https.get(`${secure.base}/text`, (res) => { res.resume(); resolve('answered'); }).on('error', (err) => resolve(err.message));
    });
    expect(nodeSays).toMatch(/^self-signed certificate/);
    expect(caught.error).toMatchObject({ message: `RequestError: ${nodeSays}`, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(failed).toMatchObject({ statusCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', payload: `RequestError: ${nodeSays} : ${secure.base}/text` });
    expect([off.payload, offText.payload]).toEqual(['hello', 'hello']);
    await inject(t, s.id('junk'));
    await o.waitDebug(2, s.id('caught'));
    const warned = o.debugData().filter((d) => d.level === 30 && d.id === s.id('r')).map((d) => d.msg);
    expect(warned).toEqual(['msg.rejectUnauthorized should be a boolean']);
  });

  test('tls-config: the CA file verifies the server; verification off; a CA given as credentials; no scheme means https', async () => {
    const s = scene();
    await deploy(s, [
      tlsConfig(s, 'ca', { ca: TLS.certFile }),
      tlsConfig(s, 'noverify', { verifyservercert: false }),
      { ...tlsConfig(s, 'cadata', {}), credentials: { cadata: fs.readFileSync(TLS.certFile, 'utf8') } },
      tlsConfig(s, 'wrongca', { ca: TLS.cert2File }),
      s.inject('ca', 'rca'), s.request('rca', 'out', { url: `${secure.base}/text`, tls: s.id('tls-ca') }),
      s.inject('noverify', 'rnoverify'), s.request('rnoverify', 'out', { url: `${secure.base}/text`, tls: s.id('tls-noverify') }),
      s.inject('cadata', 'rcadata'), s.request('rcadata', 'out', { url: `${secure.base}/text`, tls: s.id('tls-cadata') }),
      s.inject('bare', 'rbare'), s.request('rbare', 'out', { url: `127.0.0.1:${secure.port}/text`, tls: s.id('tls-ca') }),
      s.inject('wrong', 'rwrong'), s.request('rwrong', 'out', { url: `${secure.base}/text`, tls: s.id('tls-wrongca') }),
    ]);
    const msgs = await press(s, 'ca', 'noverify', 'cadata', 'bare', 'wrong');
    expect(msgs.slice(0, 4).map((m) => [m.statusCode, m.payload])).toEqual(Array(4).fill([200, 'hello']));
    expect(msgs[3].responseUrl).toBe(`${secure.base}/text`);
    expect(msgs[4].statusCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  test('a client certificate from the tls-config (files) is presented to a server that asks for one', async () => {
    const s = scene();
    await deploy(s, [
      tlsConfig(s, 'client', { cert: TLS.cert2File, key: TLS.key2File, ca: TLS.certFile }),
      s.inject('i', 'r'), s.request('r', 'out', { url: `${mutual.base}/echo`, tls: s.id('tls-client'), ret: 'obj' }),
    ]);
    const before = mutual.seen.length;
    const [msg] = await press(s, 'i');
    expect(msg.statusCode).toBe(200);
    expect(mutual.seen.slice(before).map((r) => r.clientCert)).toEqual(['second']);
  });
});

describe('proxy', () => {
  test('an http proxy node: requests go through it (a CONNECT tunnel, also for http), with its credentials as Proxy-Authorization', async () => {
    const s = scene();
    await deploy(s, [
      proxyConfig(s, 'p', {}),
      { ...proxyConfig(s, 'pauth', {}), credentials: { username: 'pu', password: 'pp' } },
      s.inject('i', 'r'), s.request('r', 'out', { url: `${echo.base}/echo?via=proxy`, proxy: s.id('proxy-p'), ret: 'obj' }),
      s.inject('auth', 'rauth'), s.request('rauth', 'out', { url: `${echo.base}/echo`, proxy: s.id('proxy-pauth'), ret: 'obj' }),
      s.inject('murl', 'rmurl', { url: [`${echo.base}/echo?msg`, 'str'] }), s.request('rmurl', 'out', { proxy: s.id('proxy-p'), ret: 'obj' }),
    ]);
    const before = proxy.seen.length;
    const [plain, auth, murl] = await press(s, 'i', 'auth', 'murl');
    const seen = proxy.seen.slice(before);
    // (Node-RED 4.1.15's hpagent HttpProxyAgent tunnels plain http requests too)
    expect(seen.map((r) => [r.method, r.url])).toEqual(Array(3).fill(['CONNECT', `127.0.0.1:${echo.port}`]));
    expect(seen.map((r) => r.headers['proxy-authorization'])).toEqual([undefined, `Basic ${b64('pu:pp')}`, undefined]);
    expect([plain, auth, murl].map((m) => m.payload.url)).toEqual(['/echo?via=proxy', '/echo', '/echo?msg']);
  });

  test('noproxy hosts are requested directly; https goes through a CONNECT tunnel', async () => {
    const s = scene();
    await deploy(s, [
      proxyConfig(s, 'skip', { noproxy: ['127.0.0.1'] }),
      proxyConfig(s, 'p', {}),
      tlsConfig(s, 'ca', { ca: TLS.certFile }),
      s.inject('direct', 'rdirect'), s.request('rdirect', 'out', { url: `${echo.base}/echo`, proxy: s.id('proxy-skip'), ret: 'obj' }),
      s.inject('tunnel', 'rtunnel'), s.request('rtunnel', 'out', { url: `${secure.base}/text`, proxy: s.id('proxy-p'), tls: s.id('tls-ca') }),
    ]);
    const before = proxy.seen.length;
    const [direct, tunnel] = await press(s, 'direct', 'tunnel');
    expect(direct.payload.headers['x-via-test-proxy']).toBeUndefined();
    expect(tunnel.payload).toBe('hello');
    expect(proxy.seen.slice(before).map((r) => [r.method, r.url])).toEqual([['CONNECT', `127.0.0.1:${secure.port}`]]);
  });
});
