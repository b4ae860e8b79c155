// The server's request listener. A flow request would pass the root app, the admin app (when the admin root
// is a prefix of its path; with both roots at '/', Node-RED's default and the benchmark's, it always is) and
// then the node app, each setting Express's prototypes on the request again. Node-RED answers them the same
// way; Crimson gets there quicker: a request no admin layer can answer (the admin app's stack is asked, route
// by route, and the answer cached per method and path) gets what the admin app does to every request it sees
// — its CORS header — and goes straight to the node app, its path made relative to the node root as Express
// mounts an app (req.baseUrl, req.url) and put back if the node app passes it on. Everything else (admin
// paths, OPTIONS, paths outside the node root, and any configuration with admin middleware of its own)
// takes the full way.
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
  /** Where the root app mounts the admin and node apps ('/', '/admin/' …; false: not mounted). */
  adminRoot: string | false;
  nodeRoot: string | false;
}

/** Roots the short way can mount at: plain path segments (no characters Express's path syntax reads). */
const PLAIN_ROOT = /^\/(?:[\w\-.~%]+\/)*$/;

/**
 * The part of `path` an Express mount at `root` ('/api/') removes, as its path-to-regexp match gives it
 * (case-insensitive, an optional trailing slash, ending at a '/' or the end), or undefined: not under it.
 */
export function mountedPart(path: string, root: string): string | undefined {
  if (root === '/') return '';
  const base = root.slice(0, -1);
  if (path.length < base.length || path.slice(0, base.length).toLowerCase() !== base.toLowerCase()) return undefined;
  const next = path[base.length];
  if (next === undefined) return path;
  if (next !== '/') return undefined;
  return path.length === base.length + 1 || path[base.length + 1] === '/' ? path.slice(0, base.length + 1) : path.slice(0, base.length);
}

/** What Express's router does to a request entering an app mounted at `removed`, and how it puts it back. */
function mount(req: Request, removed: string): () => void {
  if (removed.length === 0) return () => {};
  const parentUrl = req.baseUrl || '';
  req.url = req.url.slice(removed.length);
  let slashAdded = false;
  if (req.url[0] !== '/') { req.url = '/' + req.url; slashAdded = true; }
  req.baseUrl = parentUrl + (removed.endsWith('/') ? removed.slice(0, -1) : removed);
  return () => {
    if (slashAdded) req.url = req.url.slice(1);
    req.baseUrl = parentUrl;
    req.url = removed + req.url;
  };
}

const CACHE_LIMIT = 2000;

export function createFrontDoor(opts: FrontDoorOptions): Listener {
  const { settings, root, admin, node, adminCors, lastError, adminRoot, nodeRoot } = opts;
  const full = root as unknown as Listener;
  const plain = (r: string | false) => r === false || PLAIN_ROOT.test(r);
  const shortWay = nodeRoot !== false && plain(adminRoot) && plain(nodeRoot)
    && !settings.httpAdminMiddleware && settings.requireHttps !== true && !settings.httpAdminCors;
  if (!shortWay) return full;

  const adminStack = (): Layer[] => ((admin as unknown as { _router?: { stack: Layer[] } })._router?.stack ?? []);
  const cache = new Map<string, boolean>();
  let cachedFor = -1;
  /** `path` relative to the admin app. */
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
  const finish = (req: IncomingMessage, res: ServerResponse, unmount: () => void) => (err?: unknown) => {
    unmount();
    const last = finalhandler(req, res, { env: root.get('env'), onerror: onError });
    if (err) lastError(err, req as Request, res as Response, last);
    else last();
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (method === 'OPTIONS' || url.charCodeAt(0) !== 0x2f) { full(req, res); return; }
    const path = pathnameOf(req as Request);
    const inAdmin = adminRoot === false ? undefined : mountedPart(path, adminRoot);
    if (inAdmin !== undefined) {
      const rest = path.slice(inAdmin.length);
      if (adminMayHandle(method, rest.startsWith('/') ? rest : '/' + rest)) { full(req, res); return; }
    }
    const inNode = mountedPart(path, nodeRoot as string);
    if (inNode === undefined) { full(req, res); return; }
    const rq = req as Request;
    const go = () => {
      rq.originalUrl = rq.originalUrl || url;
      const unmount = mount(rq, inNode);
      node.handle(req, res, finish(req, res, unmount));
    };
    if (inAdmin !== undefined) adminCors(rq, res as Response, go);
    else go();
  };
}
