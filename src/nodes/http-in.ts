// The `http in` core node (COMPAT D6): an Express-syntax route under httpNodeRoot whose requests become
// messages {_msgid, req, res, payload}; payload is the query for GET and the typed body for other methods.
import { cors } from '../runtime/util/deps.js';
import { installLazyCookies } from './http/lazy-cookies.js';
import type { CorsOptions } from 'cors';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { RED } from '../registry/red-types.js';
import type { Node } from '../runtime/node.js';
import { routesOf } from '../runtime/http-node-app.js';
import type { HttpRoute, RouteHandler } from '../runtime/http-node-app.js';
import { multipartBodyParser, rawBodyParser, urlencodedBodyParser } from './http/body-parsers.js';
import { jsonBodyParser } from './http/json-body.js';
import { wrapResponse } from './http/response-wrapper.js';

interface HttpInNode extends Node {
  url: string;
  method: string;
  upload: boolean;
  skipBodyParsing: boolean;
  swaggerDoc: unknown;
  callback: (req: Request, res: Response) => void;
  errorHandler: ErrorRequestHandler;
}

/** Methods whose messages carry the parsed body as payload (options has no route but keeps the rule). */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete', 'options']);
const ROUTED_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

const middlewareList = (setting: unknown): RequestHandler[] =>
  typeof setting === 'function' ? [setting as RequestHandler]
    : Array.isArray(setting) ? (setting.flat(Infinity as 1) as unknown[]).filter((h): h is RequestHandler => typeof h === 'function')
      : [];

/** Since Node 15 req.headers is a lazy, non-enumerable getter: make it an own enumerable value (debug shows it). */
function exposeHeaders(req: Request): void {
  const own = Object.getOwnPropertyDescriptor(req, 'headers');
  if (own?.enumerable) return;
  Object.defineProperty(req, 'headers', { value: req.headers, enumerable: true });
}

export default function register(RED: RED): void {
  const settings = RED.settings;
  const limit: string | number = settings.apiMaxLength || '5mb';
  // one set of parsers for every http in node of this runtime: they hold no per-route state
  const corsHandler: RequestHandler | undefined = settings.httpNodeCors ? cors(settings.httpNodeCors as CorsOptions) : undefined;
  const userMiddleware = middlewareList(settings.httpNodeMiddleware);
  // req.cookies / req.signedCookies, parsed on first read, for every request of the node app
  installLazyCookies((RED.httpNode as unknown as { request: object }).request);
  const parseJson = jsonBodyParser(limit);
  const parseForm = urlencodedBodyParser(limit);
  let parseMultipart: RequestHandler | undefined;

  function HttpIn(this: HttpInNode, config: Record<string, any>) {
    RED.nodes.createNode(this, config as never);
    const node = this;
    if (settings.httpNodeRoot === false) {
      node.warn('Cannot create http-in node when httpNodeRoot set to false');
      return;
    }
    if (!config.url) {
      node.warn('missing path');
      return;
    }
    node.url = String(config.url);
    if (node.url[0] !== '/') node.url = '/' + node.url;
    node.method = config.method;
    node.upload = config.upload;
    node.skipBodyParsing = config.skipBodyParsing;
    node.swaggerDoc = config.swaggerDoc;
    const method = node.method;
    const withBody = BODY_METHODS.has(method);

    node.errorHandler = (err, _req, res, _next) => {
      node.warn(err);
      res.sendStatus(500);
    };
    node.callback = (req, res) => {
      const msgid = RED.util.generateId!() as string;
      (res as Response & { _msgid?: string })._msgid = msgid;
      exposeHeaders(req);
      const msg: Record<string, unknown> = { _msgid: msgid, req, res: wrapResponse(node, res) };
      if (withBody) msg.payload = req.body;
      else if (method === 'get') msg.payload = req.query;
      node.send(msg);
    };

    if (!ROUTED_METHODS.has(method)) return;
    const routes = routesOf(RED.httpNode);
    const chain: RouteHandler[] = [...userMiddleware];
    if (corsHandler) chain.push(corsHandler);
    if (method !== 'get') {
      chain.push(parseJson, parseForm);
      if (method === 'post' && node.upload) chain.push((parseMultipart ??= multipartBodyParser()));
      chain.push(rawBodyParser);
    }
    chain.push(node.callback as RequestHandler, node.errorHandler);
    const route: HttpRoute = routes.addRoute(method, node.url, chain);
    if (node.skipBodyParsing) routes.addRawBodyPath(method, node.url);

    node.on('close', () => {
      routes.removeRoute(route);
      if (node.skipBodyParsing) routes.removeRawBodyPath(method, node.url);
    });
  }

  RED.nodes.registerType('http in', HttpIn);
}
