// Test helper for the network node tests: the local servers an http request node talks to, on 127.0.0.1
// ephemeral ports — an HTTP/HTTPS "echo" application that records every request it gets (routes below), and
// a forward proxy (CONNECT tunnels) that records what went through it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime/fixtures');
/** A self-signed certificate for CN=localhost, IP 127.0.0.1 (its own CA), and a second one (CN=second). */
export const TLS = {
  certFile: path.join(fixtures, 'tls-test.crt'),
  keyFile: path.join(fixtures, 'tls-test.key'),
  cert2File: path.join(fixtures, 'tls-test2.crt'),
  key2File: path.join(fixtures, 'tls-test2.key'),
};

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The raw header names and values, as sent (case kept). */
  rawHeaders: string[];
  body: string;
  /** The client's port: the same for requests over one kept-alive connection. */
  remotePort?: number;
  /** The CN of the client certificate, on a TLS server asking for one. */
  clientCert?: string;
}

export interface LocalServer {
  port: number;
  /** e.g. http://127.0.0.1:1234 (no trailing slash) */
  base: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export const DIGEST = { realm: 'crimson-test', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', opaque: '5ccc069c403ebaf9f0171e9517f40e41', user: 'dig', password: 'secret' };

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');

function digestParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^Digest\s+/i, '').matchAll(/([a-z0-9_-]+)=(?:"([^"]*)"|([^,\s]*))/gi)) out[m[1]!] = m[2] ?? m[3]!;
  return out;
}

/** Whether an Authorization header answers our digest challenge (RFC 2617, qop=auth, MD5) for this request. */
function digestValid(header: string | undefined, method: string, uri: string): boolean {
  if (!header || !/^Digest /i.test(header)) return false;
  const p = digestParams(header);
  if (p.username !== DIGEST.user || p.realm !== DIGEST.realm || p.nonce !== DIGEST.nonce || p.uri !== uri || p.opaque !== DIGEST.opaque) return false;
  const ha1 = md5(`${DIGEST.user}:${DIGEST.realm}:${DIGEST.password}`);
  const ha2 = md5(`${method}:${uri}`);
  return p.response === md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

/**
 * The echo application. Routes (path only; the query is ignored):
 *   /echo            200 JSON {method, url, headers, body} of the request
 *   /text            200 text/plain "hello"        /bin   200 octet-stream bytes 0,1,2,255
 *   /badjson         200 application/json "{nope"  /empty 204
 *   /status/<code>   that status, JSON {code}
 *   /cookies         sets cookies a=1 (path /) and b=two%20words (HttpOnly), answers JSON of the Cookie header
 *   /redirect        302 to /echo, setting cookie r=1 on the way
 *   /digest          401 with a digest challenge until the Authorization answers it, then JSON {auth:'digest'}
 *   /basic           JSON {authorization}
 *   /silent          never answers (the socket is destroyed when the server closes)
 */
function echoApp(seen: SeenRequest[], hanging: Set<http.ServerResponse>): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const rec: SeenRequest = { method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body, remotePort: req.socket.remotePort };
      const peer = (req.socket as { getPeerCertificate?: () => { subject?: { CN?: string } } }).getPeerCertificate?.();
      if (peer?.subject?.CN) rec.clientCert = peer.subject.CN;
      seen.push(rec);
      const route = req.url!.split('?')[0]!;
      const json = (code: number, v: unknown, headers: http.OutgoingHttpHeaders = {}) => {
        res.writeHead(code, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(v));
      };
      if (route === '/echo') return json(200, { method: rec.method, url: rec.url, headers: rec.headers, body });
      if (route === '/text') { res.writeHead(200, { 'content-type': 'text/plain' }); return res.end('hello'); }
      if (route === '/bin') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); return res.end(Buffer.from([0, 1, 2, 255])); }
      if (route === '/badjson') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end('{nope'); }
      if (route === '/empty') { res.writeHead(204); return res.end(); }
      const status = /^\/status\/(\d+)$/.exec(route);
      if (status) return json(Number(status[1]), { code: Number(status[1]) });
      if (route === '/cookies') return json(200, { cookie: req.headers.cookie ?? null }, { 'set-cookie': ['a=1; Path=/', 'b=two%20words; HttpOnly'] });
      if (route === '/redirect') { res.writeHead(302, { location: '/echo', 'set-cookie': ['r=1; Path=/'] }); return res.end(); }
      if (route === '/digest') {
        if (digestValid(req.headers.authorization, req.method!, req.url!)) return json(200, { auth: 'digest' });
        res.writeHead(401, { 'www-authenticate': `Digest realm="${DIGEST.realm}", qop="auth", nonce="${DIGEST.nonce}", opaque="${DIGEST.opaque}"` });
        return res.end('unauthorised');
      }
      if (route === '/basic') return json(200, { authorization: req.headers.authorization ?? null });
      if (route === '/silent') { hanging.add(res); return; }
      json(404, { error: 'no route' });
    });
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function closer(server: http.Server | net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  const add = (s: net.Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); };
  server.on('connection', add);
  server.on('secureConnection', add);
  return sockets;
}

/** The echo application on http (or https with `tls`: this certificate, asking for client certificates signed by `clientCa`). */
export async function startEchoServer(tls?: { certFile?: string; keyFile?: string; clientCa?: string }): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const app = echoApp(seen, hanging);
  const server = tls
    ? https.createServer({
      cert: fs.readFileSync(tls.certFile ?? TLS.certFile), key: fs.readFileSync(tls.keyFile ?? TLS.keyFile),
      ...(tls.clientCa ? { requestCert: true, rejectUnauthorized: true, ca: fs.readFileSync(tls.clientCa) } : {}),
    }, app)
    : http.createServer(app);
  const sockets = track(server);
  const port = await listen(server);
  return { port, base: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, seen, close: closer(server, sockets) };
}

/**
 * A forward proxy for CONNECT tunnels to 127.0.0.1 (hpagent, which the http request node uses, tunnels http
 * requests too); every CONNECT is recorded with its headers. Any other request is refused (405).
 */
export async function startProxy(): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: '' });
    res.writeHead(405);
    res.end('CONNECT only');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: '' });
    const [host, port] = req.url!.split(':');
    if (host !== '127.0.0.1' && host !== 'localhost') { client.end('HTTP/1.1 403 Forbidden\r\n\r\n'); return; }
    const up = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.once('close', () => up.destroy());
    client.on('error', () => up.destroy());
  });
  const sockets = track(server);
  const port = await listen(server);
  return { port, base: `http://127.0.0.1:${port}`, seen, close: closer(server, sockets) };
}
