// sendJsonp/sendBody against Express's own res.jsonp/res.send: for each case one app answers the Express way
// and one the lean way, and the raw bytes on the wire (Date aside) must be the same.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { Response } from 'express';
import { sendBody, sendJsonp } from '../../../src/nodes/http/express-send.js';

type Answer = (res: Response, send: { jsonp(v: unknown): void; send(v: unknown): void }) => void;

const cases: Record<string, Answer> = {
  object: (res, s) => s.jsonp({ a: 1, b: ['x', 'ü'], c: null }),
  null: (res, s) => s.jsonp(null),
  array201: (res, s) => { res.status(201); s.jsonp([1, 2, 3]); },
  emptyObject: (res, s) => s.jsonp({}),
  typedJson: (res, s) => { res.set('content-type', 'application/vnd.x+json'); s.jsonp({ a: 1 }); },
  string: (res, s) => s.send('héllo <b>world</b>'),
  emptyString: (res, s) => s.send(''),
  nullBody: (res, s) => s.send(null),
  undefinedBody: (res, s) => { res.set('content-length', '0'); s.send(undefined); },
  longString: (res, s) => s.send('x'.repeat(5000)),
  textPlain: (res, s) => { res.set('Content-Type', 'text/plain'); s.send('plain'); },
  lowerCaseType: (res, s) => { res.setHeader('content-type', 'text/html; charset=utf-8'); s.send('<p>'); },
  latin1: (res, s) => { res.set('Content-Type', 'text/plain; charset=latin1'); s.send('abc'); },
  buffer: (res, s) => s.send(Buffer.from([0, 1, 2, 255])),
  emptyBuffer: (res, s) => s.send(Buffer.alloc(0)),
  typedBuffer: (res, s) => { res.set('Content-Type', 'image/png'); s.send(Buffer.from('png')); },
  status204: (res, s) => { res.status(204); s.send('gone'); },
  status205: (res, s) => { res.status(205); s.jsonp({ a: 1 }); },
  status304: (res, s) => { res.status(304); s.send('x'); },
  status500: (res, s) => { res.status(500); s.jsonp({ error: 'e' }); },
  ownEtag: (res, s) => { res.set('ETag', '"mine"'); s.send('tagged'); },
  contentLengthFirst: (res, s) => { res.set('content-length', '5'); s.send('12345'); },
  customHeaders: (res, s) => { res.set({ 'X-A': 'b', 'Cache-Control': 'no-store' }); s.jsonp({ ok: true }); },
};

function appFor(lean: boolean, tweak?: (app: express.Express) => void) {
  const app = express();
  tweak?.(app);
  app.all('/:name', (req, res) => {
    const answer = cases[req.params.name!]!;
    answer(res, lean
      ? { jsonp: (v) => sendJsonp(res, v), send: (v) => sendBody(res, v as string) }
      : { jsonp: (v) => res.jsonp(v), send: (v) => res.send(v) });
  });
  return app;
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
}

/** The raw response to one request on a fresh connection, Date header blanked. */
function raw(server: Server, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1').replace(/\r\nDate: [^\r]*/, '\r\nDate: -')));
    sock.on('error', reject);
    sock.end(head + 'Connection: close\r\n\r\n');
  });
}

const variants: Array<[string, ((app: express.Express) => void) | undefined]> = [
  ['default settings', undefined],
  ['json spaces', (app) => app.set('json spaces', 2)],
  ['strong etags', (app) => app.set('etag', 'strong')],
  ['no etags', (app) => app.set('etag', false)],
  ['no x-powered-by', (app) => app.disable('x-powered-by')],
];

describe.each(variants)('lean send matches Express (%s)', (_label, tweak) => {
  let expressWay: Server;
  let leanWay: Server;
  beforeAll(async () => { expressWay = await listen(appFor(false, tweak)); leanWay = await listen(appFor(true, tweak)); });
  afterAll(() => { expressWay.close(); leanWay.close(); });

  const requests = Object.keys(cases).flatMap((name) => [
    [name, `GET /${name} HTTP/1.1\r\nHost: x\r\n`],
    [name + ' (HEAD)', `HEAD /${name} HTTP/1.1\r\nHost: x\r\n`],
    [name + ' (POST)', `POST /${name} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n`],
  ]);
  it.each(requests)('%s', async (_name, head) => {
    const a = await raw(expressWay, head);
    const b = await raw(leanWay, head);
    expect(b).toBe(a);
    expect(a).toMatch(/^HTTP\/1\.1 \d{3}/);
  });

  it('answers 304 to a matching If-None-Match, and a JSONP callback as Express does', async () => {
    const first = await raw(expressWay, 'GET /object HTTP/1.1\r\nHost: x\r\n');
    const tag = /\r\nETag: ([^\r]*)/.exec(first)?.[1];
    for (const head of [
      `GET /object HTTP/1.1\r\nHost: x\r\nIf-None-Match: ${tag ?? '"none"'}\r\n`,
      `GET /string HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n`,
      `GET /string HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: ${new Date().toUTCString()}\r\n`,
      'GET /object?callback=cb HTTP/1.1\r\nHost: x\r\n',
      'GET /object?callback= HTTP/1.1\r\nHost: x\r\n',
      'GET /object?callback[a]=1 HTTP/1.1\r\nHost: x\r\n',
    ]) {
      expect(await raw(leanWay, head)).toBe(await raw(expressWay, head));
    }
    if (tag) expect(await raw(leanWay, `GET /object HTTP/1.1\r\nHost: x\r\nIf-None-Match: ${tag}\r\n`)).toMatch(/^HTTP\/1\.1 304/);
  });
});
