// The Express app mounted at httpNodeRoot (RED.httpNode): raw-body capture for skipBodyParsing routes,
// httpNodeAuth, the httpNodeCors preflight answer, then the route table of `http in` nodes; routes that
// third-party nodes add with app.get/post/use come after it. `routesOf(app)` gives nodes addRoute/removeRoute.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { express, cors, fromExpress } from './util/deps.js';
import type { Application, Request, RequestHandler, Response } from 'express';
import type { CorsOptions } from 'cors';
import type { Settings } from '../settings/types.js';
import type { Logger } from './logger.js';
import { RouteTable, runHandlers } from './http-node-routes.js';
import type { HttpRoute, RouteHandler, RouteMatch } from './http-node-routes.js';
import { httpNodeAuthHandlers } from './http-node-auth.js';
import { captureRawBody, urlencodedBodyParser } from '../nodes/http/body-parsers.js';
import { jsonBodyParser } from '../nodes/http/json-body.js';
import { ensurePrototype } from './http-objects.js';

export type { HttpRoute, RouteHandler } from './http-node-routes.js';

export interface HttpNodeRoutes {
  /** Serves `method` requests to `path` (Express 4 path syntax) with these handlers; first added wins. */
  addRoute(method: string, path: string, ...handlers: Array<RouteHandler | RouteHandler[]>): HttpRoute;
  removeRoute(route: HttpRoute): void;
  /** skipBodyParsing: requests with exactly this method and path get their body as a raw Buffer before any parser. */
  addRawBodyPath(method: string, path: string): void;
  removeRawBodyPath(method: string, path: string): void;
}

export interface HttpNodeApp extends HttpNodeRoutes {
  app: Application;
  /**
   * Serves a request as `app.handle` would. A request an `http in` route takes, when nothing else is in
   * the app's stack (no httpNodeAuth, no routes of other nodes), gets what Express would do for it —
   * query, the request/response prototypes, the body parsers — and goes straight to the route's handlers,
   * without Express's router walk. `done` is called as Express's final handler would be.
   */
  handle(req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void;
}

const ROUTES = Symbol.for('crimson.httpNodeRoutes');

/** The route API of an app made by createHttpNodeApp (what `http in` uses on RED.httpNode). */
export function routesOf(app: Application): HttpNodeRoutes {
  const routes = (app as unknown as Record<symbol, HttpNodeRoutes | undefined>)[ROUTES];
  if (!routes) throw new Error('RED.httpNode is not a Crimson http node app');
  return routes;
}

/** A root as Node-RED formats it ('/x/'), or false. */
function rootOf(value: unknown, httpRoot: unknown): string | false {
  if (value === false || (value === undefined && httpRoot === false)) return false;
  const raw = typeof value === 'string' && value ? value : typeof httpRoot === 'string' && httpRoot ? httpRoot : '/';
  return (raw.startsWith('/') ? '' : '/') + raw + (raw.endsWith('/') ? '' : '/');
}

/**
 * True when the admin app sees node requests first (its root is a prefix of the node root, e.g. both '/').
 * Node-RED's admin app then parses their JSON/urlencoded bodies, so a bad body is a 400 from that parser.
 */
export function adminParsesNodeBodies(settings: Settings): boolean {
  const admin = rootOf(settings.httpAdminRoot, settings.httpRoot);
  const node = rootOf(settings.httpNodeRoot, settings.httpRoot);
  return admin !== false && node !== false && node.startsWith(admin);
}

const parseUrl = fromExpress('parseurl') as (req: Request) => { query: unknown };

/** Runs a matched route's handlers with its params, as Express does for a route layer. */
function serveHit(hit: RouteMatch, req: Request, res: Response, next: (err?: unknown) => void): void {
  req.params = hit.params as Request['params'];
  (req as unknown as { route: unknown }).route = hit.route.info;
  runHandlers(hit.route.handlers, req, res, next);
}

/** What Express's router, `query` and `expressInit` do to a request entering `app`, in their order. */
function initAsExpress(app: Application, req: Request, res: Response, done: (err?: unknown) => void): void {
  if (req.baseUrl === undefined) req.baseUrl = ''; // (the front door sets it for a node root other than '/')
  req.originalUrl = req.originalUrl || req.url;
  if (!req.query) req.query = (app.get('query parser fn') as (s: unknown) => Request['query'])(parseUrl(req).query);
  if (app.enabled('x-powered-by')) res.setHeader('X-Powered-By', 'Express');
  (req as { res: unknown }).res = res;
  (res as { req: unknown }).req = req;
  req.next = done;
  const protos = app as unknown as { request: object; response: object };
  ensurePrototype(req, protos.request);
  ensurePrototype(res, protos.response);
  res.locals = res.locals || Object.create(null);
}

/** type-is's hasBody: a transfer-encoding, or a content-length that is a number (0 included). */
const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined || !isNaN(req.headers['content-length'] as unknown as number);

/** Path of a request relative to the app, not decoded, without the query string. */
export function pathnameOf(req: Request): string {
  const url = req.url;
  if (url.charCodeAt(0) !== 0x2f) {
    try { return new URL(url, 'http://localhost').pathname; } catch { return url; }
  }
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** `POST:/a/b`: double slashes collapsed, trailing slash dropped, case kept (Node-RED's raw-route key). */
const rawKeyOf = (method: string, path: string): string =>
  `${method.toUpperCase()}:${path.replace(/\/{2,}/g, '/').replace(/\/$/, '')}`;

export function createHttpNodeApp(opts: { settings: Settings; logger: Logger }): HttpNodeApp {
  const { settings, logger } = opts;
  const app = express();
  app.disable('x-powered-by');
  for (const [k, v] of Object.entries(settings.httpServerOptions ?? {})) app.set(k, v);

  const rawPaths = new Map<string, number>();
  const rawBodies: RequestHandler = (req, res, next) => {
    if (rawPaths.size === 0 || !rawPaths.has(rawKeyOf(req.method, pathnameOf(req)))) { next(); return; }
    captureRawBody(req, res, next);
  };
  app.use(rawBodies);
  const beforeRoutes: RequestHandler[] = [rawBodies];

  const limit = settings.apiMaxLength ?? '5mb';
  if (adminParsesNodeBodies(settings)) {
    const json = jsonBodyParser(limit);
    const form = urlencodedBodyParser(limit);
    // what both parsers do with a request that has no body (most GETs), without calling them
    const bodies: RequestHandler = (req, res, next) => {
      if (hasBody(req)) { json(req, res, (err?: unknown) => (err ? next(err) : form(req, res, next))); return; }
      if (!(req as { _body?: boolean })._body) req.body = req.body || {};
      next();
    };
    app.use(bodies);
    beforeRoutes.push(bodies);
  }

  const authSetting = settings.httpNodeAuth ?? (settings.httpAuth as Settings['httpNodeAuth']);
  const auth = httpNodeAuthHandlers(authSetting);
  if (authSetting && auth.length === 0) logger.warn('httpNodeAuth ignored: expected {user, pass} or a middleware function');
  if (auth.length > 0) app.use(auth);

  if (settings.httpNodeCors) app.options('*', cors(settings.httpNodeCors as CorsOptions));

  const table = new RouteTable();
  const serveRoutes: RequestHandler = (req, res, next) => {
    if (table.size === 0) { next(); return; }
    const pathname = pathnameOf(req);
    let hit;
    try {
      hit = table.match(req.method, pathname);
      if (!hit && req.method === 'OPTIONS') {
        // Express's automatic answer for a path whose routes do not handle OPTIONS
        const allow = table.allowedMethods(pathname);
        if (allow.length > 0) {
          const body = allow.join(',');
          res.set('Allow', body);
          res.send(body);
          return;
        }
      }
    } catch (err) {
      next(err);
      return;
    }
    if (!hit) { next(); return; }
    serveHit(hit, req, res, next);
  };
  app.use(serveRoutes);
  const layers = () => (app as unknown as { _router?: { stack: unknown[] } })._router?.stack.length ?? -1;
  const ownLayers = layers();
  const direct = auth.length === 0;

  const handle = (req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void => {
    const full = () => (app as unknown as { handle: HttpNodeApp['handle'] }).handle(req, res, done);
    if (!direct || table.size === 0 || layers() !== ownLayers) { full(); return; }
    let hit;
    try { hit = table.match(req.method ?? 'GET', pathnameOf(req as Request)); } catch { full(); return; }
    if (!hit) { full(); return; }
    const rq = req as Request;
    const rs = res as Response;
    initAsExpress(app, rq, rs, done);
    const route = hit;
    let i = 0;
    const next = (err?: unknown): void => {
      if (err) { done(err); return; }
      const mw = beforeRoutes[i++];
      if (mw) {
        try { mw(rq, rs, next); } catch (e) { done(e); }
        return;
      }
      serveHit(route, rq, rs, done);
    };
    next();
  };

  const routes: HttpNodeRoutes = {
    addRoute: (method, path, ...handlers) => table.add(method, path, handlers.flat()),
    removeRoute: (route) => { table.remove(route); },
    addRawBodyPath(method, path) {
      const key = rawKeyOf(method, path);
      rawPaths.set(key, (rawPaths.get(key) ?? 0) + 1);
    },
    removeRawBodyPath(method, path) {
      const key = rawKeyOf(method, path);
      const n = rawPaths.get(key) ?? 0;
      if (n <= 1) rawPaths.delete(key);
      else rawPaths.set(key, n - 1);
    },
  };
  Object.defineProperty(app, ROUTES, { value: routes, enumerable: false });
  return { app, handle, ...routes };
}
