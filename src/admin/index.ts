// The admin Express app (mounted at httpAdminRoot): middleware, CORS, body parsers, one router per area,
// and the error handler that turns every failure into a clean answer.
import { express, cors } from '../runtime/util/deps.js';
import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import type { CorsOptions } from 'cors';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { flowsRouter } from './flows.js';
import { flowRouter } from './flow.js';
import { nodesRouter } from './nodes.js';
import { nodesInstallRouter } from './nodes-install.js';
import { pluginsRouter } from './plugins.js';
import { settingsRouter } from './settings.js';
import { diagnosticsRouter } from './diagnostics.js';
import { contextRouter } from './context.js';
import { libraryRouter } from './library.js';
import { credentialsRouter } from './credentials.js';
import { clusterRouter } from './cluster.js';
import { openApiRoute } from './openapi-route.js';
import { editorRouter } from '../editor/index.js';
import { apiError, stripPaths } from '../errors.js';
import { dropKeysDeep, mayHoldProtoKey } from '../runtime/util/safe-json.js';
import { passThrough } from '../runtime/front-door.js';

const API_PATHS = ['/auth', '/flows', '/flow', '/nodes', '/settings', '/diagnostics', '/context', '/library'];
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The CORS answer the admin app gives every request under its root (flow routes too, as in Node-RED). */
const adminPreflight = cors({ origin: '*', methods: 'GET,PUT,POST,DELETE' });
/**
 * What that cors middleware does to a request that is not a preflight (origin '*', no credentials, no exposed
 * headers: one header), without its per-request option callbacks: every flow request under the admin root
 * passes here.
 */
export const adminCors = passThrough(((req, res, next) => {
  if (req.method === 'OPTIONS') { adminPreflight(req, res, next); return; }
  res.setHeader('Access-Control-Allow-Origin', '*');
  next();
}) as RequestHandler);

export function createAdminApp(deps: AdminDeps): Application {
  const app = express();
  app.disable('x-powered-by');
  for (const [k, v] of Object.entries(deps.settings.httpServerOptions ?? {})) app.set(k, v);
  for (const mw of asList(deps.settings.httpAdminMiddleware)) if (typeof mw === 'function') app.use(mw);
  app.use(adminCors);

  const limit = deps.settings.apiMaxLength ?? '5mb';
  // only API paths get body parsing: other requests under the same root (http in routes) pass untouched
  app.use(API_PATHS, jsonWithoutProtoKeys(limit), express.urlencoded({ limit, extended: true }));
  // the OpenAPI document of this API: public, as /auth/login
  app.get('/openapi.json', openApiRoute(deps.settings));
  // Node-RED's order: the auth routes, the editor (behind requireHttps), httpAdminCors, the rest of the API
  app.use('/auth', deps.auth.router);
  const editor = editorRouter(deps);
  if (editor) {
    if (deps.settings.requireHttps === true) app.use(redirectToHttps);
    app.use(editor);
  }
  if (deps.settings.httpAdminCors) app.use(cors(deps.settings.httpAdminCors as CorsOptions));
  const api = express.Router();
  // an instance of a cluster that cannot reach Redis takes no writes (flows keep running; reads still answer)
  if (deps.cluster) {
    const cluster = deps.cluster;
    // (on the API's own paths only: a flow's http in route under the same root is not the admin's to refuse)
    api.use([...API_PATHS.filter((p) => p !== '/auth'), '/plugins', '/credentials'], (req, res, next) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || cluster.ready()) return next();
      sendError(res, apiError('cluster_unavailable'), deps.logger);
    });
  }
  api.use(flowsRouter(deps));
  api.use(flowRouter(deps));
  api.use(nodesInstallRouter(deps));
  api.use(nodesRouter(deps));
  api.use(pluginsRouter(deps));
  api.use(settingsRouter(deps));
  api.use(diagnosticsRouter(deps));
  api.use(contextRouter(deps));
  api.use(libraryRouter(deps));
  api.use(credentialsRouter(deps));
  api.use(clusterRouter(deps));
  app.use(api);
  app.use(moduleRouteBodies(app, limit));
  app.use(errorHandler(deps));
  return app;
}

/**
 * requireHttps: a request that did not come over TLS (nor through a proxy saying X-Forwarded-Proto https:
 * Node-RED trusts the proxy here) is redirected to the same URL on https.
 */
function redirectToHttps(req: Request, res: Response, next: NextFunction): void {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim();
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true || forwarded === 'https';
  if (secure) return next();
  res.redirect('https://' + req.headers.host + req.originalUrl);
}

const PROTO_HINT = Symbol('crimson.adminProtoHint');

/** express.json whose result never carries an own `__proto__` key (qs already drops them from forms). */
function jsonWithoutProtoKeys(limit: string | number) {
  const parse = express.json({
    limit,
    verify: (req, _res, buf) => { if (mayHoldProtoKey(buf)) (req as unknown as Record<symbol, boolean>)[PROTO_HINT] = true; },
  });
  return (req: Request, res: Response, next: NextFunction) => parse(req, res, (err?: unknown) => {
    if (!err && (req as unknown as Record<symbol, boolean>)[PROTO_HINT]) dropKeysDeep(req.body);
    next(err);
  });
}

/**
 * Node-RED parses the body of every request its admin app sees, so the routes node modules add to RED.httpAdmin
 * read req.body (Dashboard's PATCH /dashboard/api/v1/:id/flows). Crimson parses only the API's (requests under
 * a shared root that go on to the node app keep their bodies); this layer, before the routes modules add,
 * parses the body of a request one of those routes will answer. It answers nothing itself (the front door's
 * short way for flow requests is kept).
 */
function moduleRouteBodies(app: Application, limit: string | number) {
  const json = jsonWithoutProtoKeys(limit);
  const form = express.urlencoded({ limit, extended: true });
  const parse: RequestHandler = (req, res, next) => {
    const stack = (app as unknown as { _router: { stack: Array<{ handle: unknown; route?: { _handles_method(m: string): boolean }; match(p: string): boolean }> } })._router.stack;
    const later = stack.slice(stack.findIndex((l) => l.handle === parse) + 1);
    if (!later.some((l) => l.route && l.match(req.path) && l.route._handles_method(req.method))) return next();
    // a body that does not parse (or is too large) is answered with its status alone, as Node-RED answers it
    const failed = (err: unknown) => {
      const status = (err as { status?: unknown })?.status;
      if (typeof status === 'number' && status >= 400 && status < 500 && !res.headersSent) res.sendStatus(status);
      else next(err);
    };
    json(req, res, (err?: unknown) => (err ? failed(err) : form(req, res, (e?: unknown) => (e ? failed(e) : next()))));
  };
  return passThrough(parse);
}

function errorHandler(deps: AdminDeps) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e?.status ?? e?.statusCode ?? 500;
    if (status >= 500) deps.logger.error(err);
    else deps.logger.debug(`${req.method} ${req.originalUrl}: ${e?.message ?? String(err)}`);
    // body-parser errors (bad JSON, too large) keep their status, as Express's default handler does
    res.status(status).json({ code: status === 413 ? 'request_too_large' : 'invalid_request', message: stripPaths(e?.message ?? 'Error') });
  };
}
