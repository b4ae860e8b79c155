// POST /inject/:id (the editor's inject button, permission inject.write): the node receives a message, or
// the posted body when it carries `__user_inject_props__` -> 200 OK; no such node -> 404; failure -> 500;
// a body that does not parse -> 400.
import { express } from '../../runtime/util/deps.js';
import type { NextFunction, Request, Response } from 'express';
import type { RED } from '../../registry/red-types.js';

const PROTO_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The posted body as a message: a fresh object without prototype keys. */
function bodyMessage(body: Record<string, unknown>): Record<string, unknown> {
  const msg: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (!PROTO_KEYS.has(key)) msg[key] = body[key];
  return msg;
}

export function registerInjectRoute(RED: RED): void {
  const app = RED.httpAdmin;
  if (!app) return;
  const limit = RED.settings.apiMaxLength || '5mb';
  // the admin app parses bodies only for its own API paths
  app.post('/inject/:id', RED.auth.needsPermission('inject.write'), express.json({ limit }),
    express.urlencoded({ limit, extended: true }), (req: Request, res: Response) => {
      const node = RED.nodes.getNode(req.params.id!);
      if (node == null) {
        res.sendStatus(404);
        return;
      }
      try {
        const body = req.body;
        if (body && typeof body === 'object' && body.__user_inject_props__) node.receive(bodyMessage(body));
        else node.receive();
        res.sendStatus(200);
      } catch (err) {
        res.sendStatus(500);
        node.error('Inject failed: ' + String(err));
      }
    }, bodyError);
}

/** A body that does not parse (or is too large): its status, as Node-RED answers, without an error page. */
function bodyError(err: { status?: number; statusCode?: number }, _req: Request, res: Response, next: NextFunction): void {
  const status = err?.status ?? err?.statusCode;
  if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) {
    next(err);
    return;
  }
  res.sendStatus(status);
}
