// JSON request bodies: express.json with Node-RED's options, never handing a flow an object that carries a
// `__proto__` key. A plain request (application/json in UTF-8, a Content-Length within the limit, no
// Content-Encoding) is read and parsed here without body-parser's stream machinery; whenever that read does
// not end in a strict JSON value, its bytes are replayed through express.json itself, so every error a
// client can see (400 bad JSON, strict violation, size mismatch, aborted) is body-parser's own.
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { RequestHandler } from 'express';
import { express, fromExpress } from '../../runtime/util/deps.js';
import { stripProtoKeys, type BodyRequest } from './body-parsers.js';

const fromBodyParser = createRequire(fromExpress.resolve('body-parser'));
const parseBytes = fromBodyParser('bytes').parse as (v: string | number) => number | null;

const PROTO_HINT = Symbol('crimson.jsonProtoHint');
type Hinted = BodyRequest & { [PROTO_HINT]?: boolean };

/** The raw bytes may hold a `__proto__` key (also spelled with \u escapes): the parsed value needs the walk. */
const mayHoldProto = (buf: Buffer): boolean => buf.includes('__proto__') || buf.includes('\\u');

/** JSON whitespace, then `{` or `[` (body-parser's strict mode). */
function startsStrict(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

/** The Content-Length a plain JSON request can be read here with, or -1 for body-parser's way. */
function plainLength(req: BodyRequest, limit: number): number {
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return -1;
  const type = h['content-type'];
  if (type !== 'application/json') {
    const t = type?.toLowerCase();
    if (t !== 'application/json' && t !== 'application/json; charset=utf-8') return -1;
  }
  const declared = h['content-length'];
  if (declared === undefined || !/^\d{1,15}$/.test(declared)) return -1;
  const length = Number(declared);
  return length <= limit ? length : -1;
}

export function jsonBodyParser(limit: string | number): RequestHandler {
  const parse = express.json({
    limit,
    verify: (req, _res, buf) => { if (mayHoldProto(buf)) (req as Hinted)[PROTO_HINT] = true; },
  });
  const guarded: RequestHandler = (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (!err && (req as Hinted)[PROTO_HINT]) stripProtoKeys(req.body);
      next(err);
    });
  };
  const maxBytes = typeof limit === 'number' ? limit : parseBytes(limit);
  if (typeof maxBytes !== 'number' || !(maxBytes >= 0)) return guarded;

  /** Hands what was read here to express.json as the request's stream, ending as the request's did. */
  const replay = (req: BodyRequest, res: Parameters<RequestHandler>[1], next: (e?: unknown) => void,
    chunks: Buffer[], ending: 'end' | 'aborted' | Error): void => {
    const stand = new Readable({ read() {} }) as Readable & BodyRequest;
    (stand as { headers: unknown }).headers = req.headers;
    guarded(stand, res, (err?: unknown) => {
      if (!err) req.body = stand.body;
      next(err);
    });
    for (const c of chunks) stand.push(c);
    if (ending === 'end') stand.push(null);
    else if (ending === 'aborted') stand.emit('aborted');
    else stand.emit('error', ending);
  };

  return (request, res, next) => {
    const req = request as BodyRequest;
    const length = req._body ? -1 : plainLength(req, maxBytes);
    if (length < 0) { guarded(req, res, next); return; }
    req.body = req.body || {};
    req._body = true;
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (c: Buffer): void => { chunks.push(c); received += c.length; };
    const finish = (ending: 'end' | 'aborted' | Error): void => {
      req.off('data', onData); req.off('end', onEnd); req.off('aborted', onAborted); req.off('error', finish);
      if (ending !== 'end' || received !== length) { replay(req, res, next, chunks, ending); return; }
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      let text = buf.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length === 0) { req.body = {}; next(); return; }
      let value: unknown;
      try {
        if (!startsStrict(text)) throw new SyntaxError('not strict');
        value = JSON.parse(text);
      } catch {
        replay(req, res, next, chunks, 'end');
        return;
      }
      if (mayHoldProto(buf)) stripProtoKeys(value);
      req.body = value;
      next();
    };
    const onEnd = (): void => finish('end');
    const onAborted = (): void => finish('aborted');
    req.on('data', onData); req.on('end', onEnd); req.on('aborted', onAborted); req.on('error', finish);
  };
}
