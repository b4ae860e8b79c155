// The server's request listener. With the admin and node roots both at '/' (Node-RED's default, and the
// benchmark's), every flow request would pass the root app, the whole admin app and then the node app.
// Node-RED answers them the same way; Crimson gets there quicker: a request no admin layer can answer (the
// admin app's stack is asked, route by route, and the answer cached per method and path) gets what the
// admin app does to every request — its CORS header — and goes straight to the node app. Everything else
// (admin paths, OPTIONS, and any configuration with admin middleware of its own) takes the full way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Application, ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Settings } from '../settings/types.js';
import type { Logger } from './logger.js';
import { pathnameOf } from './http-node-app.js';
import { fromExpress } from './util/deps.js';

/** A middleware that knows which requests it would answer (the others pass through it untouched). */
export interface SelectiveHandler extends RequestHandler {
  mayHandle(method: string, path: string): boolean;
}

/** Marks a middleware as one that never answers a request (it only adds to it, then calls next). */
export function passThrough<T extends RequestHandler>(fn: T): T & SelectiveHandler {
  return Object.assign(fn, { mayHandle: () => false });
}

interface Layer {
  handle: ((...args: unknown[]) => unknown) & { stack?: Layer[]; mayHandle?: SelectiveHandler['mayHandle'] };
  route?: { _handles_method(method: string): boolean };
  path?: string;
  name?: string;
  match(path: string): boolean;
}

/** Express's own first layers of every app: they prepare the request and call next. */
const EXPRESS_INIT = new Set(['query', 'expressInit']);

/** True when some layer of `stack` could answer `method path` (unknown middleware: assumed it could). */
function stackMayHandle(stack: Layer[], method: string, path: string): boolean {
  for (const layer of stack) {
    if (!layer.match(path)) continue;
    const handle = layer.handle;
    if (layer.route) {
      if (layer.route._handles_method(method)) return true;
      continue;
    }
    if (handle.length === 4) continue; // an error handler: only reached with an error
    if (EXPRESS_INIT.has(layer.name ?? '')) continue;
    if (Array.isArray(handle.stack)) {
      const rest = path.slice((layer.path ?? '').length);
      if (stackMayHandle(handle.stack, method, rest.startsWith('/') ? rest : '/' + rest)) return true;
      continue;
    }
    if (typeof handle.mayHandle === 'function') {
      if (handle.mayHandle(method, path)) return true;
      continue;
    }
    return true;
  }
  return false;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface FrontDoorOptions {
  settings: Settings;
  logger: Logger;
  root: Application;
  admin: Application;
  /** The node app's request handler (HttpNodeApp.handle). */
  node: { handle(req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void };
  /** The admin app's CORS middleware, applied by the short way too. */
  adminCors: RequestHandler;
  /** What the root app does with an error after the node app (its last error handler). */
  lastError: ErrorRequestHandler;
}

const CACHE_LIMIT = 2000;

export function createFrontDoor(opts: FrontDoorOptions): Listener {
  const { settings, root, admin, node, adminCors, lastError } = opts;
  const rootOf = (v: unknown) => (v === undefined ? settings.httpRoot ?? '/' : v);
  const shortWay = rootOf(settings.httpAdminRoot) === '/' && rootOf(settings.httpNodeRoot) === '/'
    && !settings.httpAdminMiddleware && settings.requireHttps !== true && !settings.httpAdminCors;
  const full = root as unknown as Listener;
  if (!shortWay) return full;

  const adminStack = (): Layer[] => ((admin as unknown as { _router?: { stack: Layer[] } })._router?.stack ?? []);
  const cache = new Map<string, boolean>();
  let cachedFor = -1;
  const adminMayHandle = (method: string, path: string): boolean => {
    const stack = adminStack();
    if (stack.length !== cachedFor || cache.size > CACHE_LIMIT) { cache.clear(); cachedFor = stack.length; }
    const key = method + ' ' + path;
    let v = cache.get(key);
    if (v === undefined) {
      try { v = stackMayHandle(stack, method, path); } catch { v = true; }
      cache.set(key, v);
    }
    return v;
  };

  // the root app's last steps: its error handler, then Express's final handler (404 "Cannot GET …")
  const finalhandler = fromExpress('finalhandler') as (req: IncomingMessage, res: ServerResponse, o: object) => (err?: unknown) => void;
  const onError = (err: unknown) => { if (root.get('env') !== 'test') opts.logger.error(err); };
  const finish = (req: IncomingMessage, res: ServerResponse) => (err?: unknown) => {
    const last = finalhandler(req, res, { env: root.get('env'), onerror: onError });
    if (err) lastError(err, req as Request, res as Response, last);
    else last();
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS' || adminMayHandle(method, pathnameOf(req as Request))) { full(req, res); return; }
    adminCors(req as Request, res as Response, () => node.handle(req, res, finish(req, res)));
  };
}
