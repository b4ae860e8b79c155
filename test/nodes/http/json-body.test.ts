// jsonBodyParser's own read of plain JSON requests against express.json alone: same body, same error
// (status, type, message) for every kind of request a client can send.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { jsonBodyParser } from '../../../src/nodes/http/json-body.js';

const LIMIT = '1kb';

function appWith(parser: RequestHandler): express.Express {
  const app = express();
  app.post('/', parser, (req, res) => {
    res.json({ body: req.body, protoKeys: JSON.stringify(req.body).includes('__proto__') });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(err.status ?? 500).json({ status: err.status, type: err.type, message: err.message, body: err.body });
  };
  app.use(onError);
  return app;
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
}

function post(server: Server, type: string | undefined, body: Buffer, extra = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').replace(/\r\nDate: [^\r]*/, '').replace(/ETag: [^\r]*/, '')));
    sock.on('error', reject);
    const head = `POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${body.length}\r\n${extra}\r\n`;
    sock.end(Buffer.concat([Buffer.from(head), body]));
  });
}

const bodies: Array<[string, string | undefined, Buffer]> = [
  ['object', 'application/json', Buffer.from('{"title":"buy milk","tags":["a","ü"]}')],
  ['array with whitespace', 'application/json', Buffer.from(' \n\t[1,2,3] ')],
  ['utf-8 charset', 'application/json; charset=utf-8', Buffer.from('{"a":1}')],
  ['upper-case type', 'Application/JSON', Buffer.from('{"a":1}')],
  ['BOM', 'application/json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])],
  ['empty', 'application/json', Buffer.alloc(0)],
  ['whitespace only', 'application/json', Buffer.from('   ')],
  ['string (strict)', 'application/json', Buffer.from('"text"')],
  ['number (strict)', 'application/json', Buffer.from(' 12')],
  ['bad JSON', 'application/json', Buffer.from('{"a":')],
  ['trailing garbage', 'application/json', Buffer.from('{"a":1}x')],
  ['__proto__ key', 'application/json', Buffer.from('{"a":{"__proto__":{"x":1},"b":2}}')],
  ['escaped __proto__ key', 'application/json', Buffer.from('{"\\u005f_proto__":{"x":1},"b":2}')],
  ['over the limit', 'application/json', Buffer.from(JSON.stringify({ a: 'x'.repeat(2000) }))],
  ['invalid UTF-8', 'application/json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])],
  ['latin1 charset', 'application/json; charset=latin1', Buffer.from('{"a":1}')],
  ['utf-16 charset', 'application/json; charset=utf-16', Buffer.from('{"a":1}', 'utf16le')],
  ['other type', 'text/plain', Buffer.from('{"a":1}')],
  ['no type', undefined, Buffer.from('{"a":1}')],
];

describe('jsonBodyParser answers as express.json does', () => {
  let plain: Server;
  let ours: Server;
  beforeAll(async () => {
    plain = await listen(appWith(express.json({ limit: LIMIT })));
    ours = await listen(appWith(jsonBodyParser(LIMIT)));
  });
  afterAll(() => { plain.close(); ours.close(); });

  it.each(bodies)('%s', async (name, type, body) => {
    const expected = await post(plain, type, body);
    const got = await post(ours, type, body);
    if (name.includes('__proto__')) {
      // the one intended difference: no __proto__ key reaches a flow
      expect(got).toContain('"protoKeys":false');
      expect(got).toContain('"b":2');
    } else {
      expect(got).toBe(expected);
    }
  });

  it('a gzip-encoded body still goes through express.json (415/400 as it answers)', async () => {
    const body = Buffer.from('not gzip');
    expect(await post(ours, 'application/json', body, 'Content-Encoding: gzip\r\n')).toBe(await post(plain, 'application/json', body, 'Content-Encoding: gzip\r\n'));
  });
});

/** A request-like stream with these headers: the test drives its data and how it ends. */
function fakeRequest(headers: Record<string, string>): Readable & { headers: Record<string, string>; body?: unknown } {
  const r = new Readable({ read() {} }) as Readable & { headers: Record<string, string> };
  r.headers = headers;
  return r;
}

function errorOf(parser: RequestHandler, end: (r: Readable) => void): Promise<Record<string, unknown>> {
  const req = fakeRequest({ 'content-type': 'application/json', 'content-length': '10' });
  return new Promise((resolve) => {
    parser(req as never, {} as never, (err?: unknown) => {
      const e = err as Record<string, unknown>;
      resolve({ message: e?.message, status: e?.status, type: e?.type, received: e?.received, expected: e?.expected });
    });
    req.push(Buffer.from('{"a":'));
    end(req);
  });
}

describe('a request that ends early', () => {
  it('gives express.json\'s error for an aborted request and for a short body', async () => {
    const aborted = (r: Readable) => r.emit('aborted');
    const short = (r: Readable) => r.push(null);
    for (const end of [aborted, short]) {
      const expected = await errorOf(express.json({ limit: LIMIT }), end);
      expect(expected.status).toBe(400);
      expect(await errorOf(jsonBodyParser(LIMIT), end)).toEqual(expected);
    }
  });
});
