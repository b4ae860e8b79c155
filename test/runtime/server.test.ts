// The server as Node-RED's red.js makes it: settings.https (object, function, Promise) serves TLS, the
// httpsRefreshInterval warning; requireHttps redirects everything under the admin root but /auth/*
// (X-Forwarded-Proto https counts as secure); httpAdminCors applies to the API, not to the editor or
// /auth (Node-RED's middleware order, checked side by side with Node-RED 4.1.15).
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import https from 'node:https';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const KEY = fixture('tls-test.key');
const CERT = fixture('tls-test.crt');

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

function port(s: Started): number {
  return (s.runtime.server.address() as { port: number }).port;
}

/** GET over TLS trusting `ca`; resolves with the status, the body and the peer certificate's CN. */
function tlsGet(url: string, ca: Buffer): Promise<{ status: number; body: string; cn: string }> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      const cn = String((res.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN ?? '');
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cn }));
    }).on('error', reject);
  });
}

describe('settings.https', () => {
  it('an object of TLS options serves the API over https', async () => {
    c = await startCrimson({ settings: { https: { key: KEY, cert: CERT } } });
    expect(c.runtime.url()).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await tlsGet(`https://127.0.0.1:${port(c)}/settings`, CERT);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).httpNodeRoot).toBe('/');
    expect(r.cn).toBe('localhost');
    expect(c.logs.some((l) => l.includes(`Server now running at https://127.0.0.1:${port(c!)}/`))).toBe(true);
  });

  it('a function returning a Promise of options is waited for before listening', async () => {
    c = await startCrimson({ settings: { https: () => new Promise((r) => setTimeout(() => r({ key: KEY, cert: CERT }), 50)) } });
    const r = await tlsGet(`https://127.0.0.1:${port(c)}/settings`, CERT);
    expect(r.status).toBe(200);
  });

  it('httpsRefreshInterval needs a function (warned), and is told with one', async () => {
    c = await startCrimson({ settings: { https: { key: KEY, cert: CERT }, httpsRefreshInterval: 1 } });
    expect(c.logs.some((l) => l.includes('httpsRefreshInterval requires https property to be a function'))).toBe(true);
    await c.stop();
    c = await startCrimson({ settings: { https: () => ({ key: KEY, cert: CERT }), httpsRefreshInterval: 2 } });
    expect(c.logs.some((l) => l.includes('Refreshing https settings every 2 hours'))).toBe(true);
  });
});

describe('requireHttps', () => {
  it('redirects plain http requests to https, except the auth routes and forwarded https', async () => {
    c = await startCrimson({ settings: { requireHttps: true } });
    const base = `http://127.0.0.1:${port(c)}`;
    for (const p of ['/', '/settings', '/flows', '/red/red.min.js', '/anything?x=1']) {
      const res = await fetch(base + p, { redirect: 'manual' });
      expect(res.status, p).toBe(302);
      expect(res.headers.get('location')).toBe(`https://127.0.0.1:${port(c)}${p}`);
    }
    expect((await fetch(base + '/auth/login', { redirect: 'manual' })).status).toBe(200);
    const forwarded = await fetch(base + '/settings', { headers: { 'x-forwarded-proto': 'https' }, redirect: 'manual' });
    expect(forwarded.status).toBe(200);
  });

  it('does nothing with the editor disabled (Node-RED puts it in the editor app)', async () => {
    c = await startCrimson({ settings: { requireHttps: true, disableEditor: true } });
    expect((await fetch(`http://127.0.0.1:${port(c)}/settings`, { redirect: 'manual' })).status).toBe(200);
  });
});

describe('httpAdminCors', () => {
  it('applies to the API routes, while the editor and /auth keep the default CORS answer', async () => {
    c = await startCrimson({ settings: { httpAdminCors: { origin: 'http://example.com' } } });
    const get = (p: string) => fetch(c!.url + p.slice(1), { headers: { origin: 'http://foo.com' } });
    for (const p of ['/settings', '/flows', '/nonexistent']) {
      const res = await get(p);
      expect(res.headers.get('access-control-allow-origin'), p).toBe('http://example.com');
      expect(res.headers.get('vary'), p).toBe('Origin');
    }
    for (const p of ['/', '/auth/login']) {
      expect((await get(p)).headers.get('access-control-allow-origin'), p).toBe('*');
    }
  });
});
