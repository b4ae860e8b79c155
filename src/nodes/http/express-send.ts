// Express 4's res.jsonp and res.send, as `http response` calls them, done without Express's per-call
// detours: the same headers set in the same order with the same values, the same freshness (304) and
// HEAD/204/205 handling, the same bytes on the wire. A string body goes to res.end as a string, so Node
// writes head and body in one piece. Whatever the app's settings make unusual (json escape/replacer/
// spaces, a JSONP callback in the query) goes to Express itself.
import { createHash, hash as oneShotHash } from 'node:crypto';
import type { Response } from 'express';
import { fromExpress } from '../../runtime/util/deps.js';

const expressUtils = fromExpress('./lib/utils') as { wetag: unknown; setCharset(type: string, charset: string): string };

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const BINARY_TYPE = 'application/octet-stream';

type EtagFn = (body: string | Buffer, encoding?: string) => string | undefined;

const sha1Base64 = typeof oneShotHash === 'function'
  ? (body: string | Buffer): string => oneShotHash('sha1', body, 'base64')
  : (body: string | Buffer): string => createHash('sha1').update(body).digest('base64');

/** The etag module's weak tag of a body whose byte length is known (what Express's default 'etag fn' gives). */
function weakTag(body: string | Buffer, length: number): string {
  if (length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return 'W/"' + length.toString(16) + '-' + sha1Base64(body).substring(0, 27) + '"';
}

/** Express's req.fresh, skipped (false) when the request has no conditional header to compare. */
function isFresh(res: Response): boolean {
  const h = res.req.headers;
  if (h['if-none-match'] === undefined && h['if-modified-since'] === undefined) return false;
  return res.req.fresh;
}

/** res.send's tail for a string, Buffer or undefined body whose Content-Type is settled. */
function finish(res: Response, chunk: string | Buffer | undefined): void {
  const etagFn = res.app.get('etag fn') as EtagFn | undefined;
  const generateETag = res.getHeader('ETag') === undefined && typeof etagFn === 'function';
  if (chunk !== undefined) {
    const length = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    res.setHeader('Content-Length', String(length));
    if (generateETag) {
      const tag = etagFn === expressUtils.wetag
        ? weakTag(chunk, length)
        : etagFn!(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, undefined);
      if (tag) res.setHeader('ETag', tag);
    }
  }
  if (isFresh(res)) res.statusCode = 304;
  const status = res.statusCode;
  if (status === 204 || status === 304) {
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
    chunk = '';
  } else if (status === 205) {
    res.setHeader('Content-Length', '0');
    res.removeHeader('Transfer-Encoding');
    chunk = '';
  }
  if (res.req.method === 'HEAD') res.end();
  else if (typeof chunk === 'string') res.end(chunk, 'utf8');
  else res.end(chunk);
}

/** res.send(body) for a string, a Buffer, null or undefined. */
export function sendBody(res: Response, body: string | Buffer | null | undefined): void {
  const chunk = body === null ? '' : body;
  let type = res.getHeader('Content-Type');
  if (typeof chunk === 'string') {
    // a string (not null) defaults to HTML; Express sets the type again even when unchanged, and the
    // header's name takes that spelling on the wire
    if (type === undefined && body !== null) type = HTML_TYPE;
    if (typeof type === 'string') {
      res.setHeader('Content-Type', type === HTML_TYPE || type === JSON_TYPE ? type : expressUtils.setCharset(type, 'utf-8'));
    }
  } else if (chunk !== undefined && type === undefined) {
    res.setHeader('Content-Type', BINARY_TYPE);
  }
  finish(res, chunk);
}

/** res.jsonp(value) for an object or null payload. */
export function sendJsonp(res: Response, value: unknown): void {
  const app = res.app;
  const callbackName = app.get('jsonp callback name') as string;
  const query = res.req.query as Record<string, unknown> | undefined;
  if (app.get('json escape') !== undefined || app.get('json replacer') !== undefined || app.get('json spaces') !== undefined
    || (query && query[callbackName] !== undefined)) {
    res.jsonp(value);
    return;
  }
  const body = JSON.stringify(value) as string | undefined;
  if (typeof body !== 'string' || res.getHeader('Content-Type') !== undefined) {
    res.jsonp(value);
    return;
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Type', JSON_TYPE);
  finish(res, body);
}
