// Request body parsing for `http in` routes, typed by content type as Node-RED does: urlencoded (extended)
// objects (JSON: json-body.ts), text as a string, binary types as a Buffer, multipart through multer, raw capture.
import { express, multer } from '../../runtime/util/deps.js';
import type { Request, RequestHandler } from 'express';

/** What body parsers mark on a request once its body has been read. */
export interface BodyRequest extends Request { _body?: boolean; skipRawBodyParser?: boolean }

/** Removes own `__proto__` keys at any depth (JSON.parse creates them as plain data properties). */
export function stripProtoKeys(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 1000) return;
  if (Array.isArray(value)) {
    for (const v of value) stripProtoKeys(v, depth + 1);
    return;
  }
  if (Object.hasOwn(value, '__proto__')) delete (value as Record<string, unknown>)['__proto__'];
  for (const k of Object.keys(value)) stripProtoKeys((value as Record<string, unknown>)[k], depth + 1);
}

/** express.urlencoded with qs parsing (`a[b]=1`, `a=1&a=2`); qs itself drops `__proto__` keys. */
export function urlencodedBodyParser(limit: string | number): RequestHandler {
  return express.urlencoded({ limit, extended: true });
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);
const PARAMETER = new RegExp(`; *(${TOKEN}) *= *("(?:[\\u000b\\u0020\\u0021\\u0023-\\u005b\\u005d-\\u007e\\u0080-\\u00ff]|\\\\[\\u000b\\u0020-\\u00ff])*"|${TOKEN}) *`, 'y');
// the stricter grammar Node-RED applies after that (a media type must start with a letter or digit)
const STRICT_TYPE = /^([a-z0-9][a-z0-9!#$&^_-]{0,126})\/([a-z0-9][a-z0-9!#$&^_.+-]{0,126})$/;

/**
 * How a Content-Type header's body is read: 'text' (UTF-8 string) or 'binary' (Buffer).
 * Throws TypeError('invalid media type' | 'invalid parameter format') for a malformed header.
 */
export function bodyKindOf(header: string): 'text' | 'binary' {
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  if (!MEDIA_TYPE.test(type)) throw new TypeError('invalid media type');
  if (semi !== -1) {
    let at = semi;
    while (at < header.length) {
      PARAMETER.lastIndex = at;
      const m = PARAMETER.exec(header);
      if (!m) throw new TypeError('invalid parameter format');
      at += m[0].length;
    }
  }
  const parts = STRICT_TYPE.exec(type);
  if (!parts) throw new TypeError('invalid media type');
  const main = parts[1]!;
  let sub = parts[2]!;
  let suffix: string | undefined;
  const plus = sub.lastIndexOf('+');
  if (plus !== -1) { suffix = sub.slice(plus + 1); sub = sub.slice(0, plus); }
  if (main === 'text' || sub === 'xml' || suffix === 'xml') return 'text';
  if (main !== 'application') return 'binary';
  // every other application/* type is read as text (Node-RED never returns a Buffer for them)
  return sub === 'octet-stream' || sub === 'cbor' || sub === 'x-protobuf' ? 'binary' : 'text';
}

/** Reads the whole request stream (no size limit, as Node-RED); checks it against Content-Length. */
export function readRawBody(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = req.headers['content-length'];
    const expected = declared === undefined ? undefined : Number.parseInt(declared, 10);
    const cleanup = () => {
      req.off('data', onData); req.off('end', onEnd); req.off('error', onError); req.off('aborted', onAborted);
    };
    const fail = (message: string, status: number, type: string) => {
      cleanup();
      reject(Object.assign(new Error(message), { status, statusCode: status, type, expected, received: size }));
    };
    const onData = (c: Buffer) => { chunks.push(c); size += c.length; };
    const onEnd = () => {
      if (expected !== undefined && !Number.isNaN(expected) && expected !== size) {
        fail('request size did not match content length', 400, 'request.size.invalid');
        return;
      }
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => { cleanup(); reject(err); };
    const onAborted = () => fail('request aborted', 400, 'request.aborted');
    req.on('data', onData); req.on('end', onEnd); req.on('error', onError); req.on('aborted', onAborted);
  });
}

const utf8Text = (buf: Buffer): string => {
  const s = buf.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
};

/** Anything no earlier parser took: a string for text types and no content type, a Buffer otherwise. */
export const rawBodyParser: RequestHandler = (req, _res, next) => {
  const r = req as BodyRequest;
  if (r.skipRawBodyParser || r._body || r.readableEnded) { next(); return; }
  r.body = '';
  r._body = true;
  const header = req.headers['content-type'];
  const kind = header ? bodyKindOf(header) : 'text';
  readRawBody(req).then((buf) => {
    r.body = kind === 'text' ? utf8Text(buf) : buf;
    next();
  }, next);
};

/** skipBodyParsing: the body as one Buffer, and no other parser touches it. */
export const captureRawBody: RequestHandler = (req, _res, next) => {
  readRawBody(req).then((buf) => {
    const r = req as BodyRequest;
    r.body = buf;
    r.skipRawBodyParser = true;
    r._body = true;
    next();
  }, next);
};

/** multipart/form-data into `req.body` (fields) and `req.files` (in memory); other bodies pass on. */
export function multipartBodyParser(): RequestHandler {
  const upload = multer();
  const parse = upload({ storage: upload.memoryStorage() }).any();
  return (req, res, next) => {
    const r = req as BodyRequest;
    if (r.readableEnded || r._body) { next(); return; }
    parse(req, res, (err?: unknown) => {
      r._body = true;
      // field names like a[__proto__] build own __proto__ keys (on null-prototype objects): drop them too
      if (!err) stripProtoKeys(r.body);
      next(err);
    });
  };
}
