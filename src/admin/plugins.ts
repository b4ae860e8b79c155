// GET /plugins (JSON list or the editor HTML), /plugins/messages, /plugins/:module, /plugins/:module/:set.
// Crimson loads no editor plugins, so these answer what Node-RED answers for modules that have none.
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { Request, Response } from 'express';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';
import { moduleView } from './nodes.js';

export function pluginsRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { registry, logger } = deps;
  const read = deps.needsPermission('plugins.read');
  const wantsJson = (req: Request) => req.get('accept') === 'application/json';

  r.get('/plugins', read, (req, res) => {
    if (wantsJson(req)) {
      logger.audit({ event: 'plugins.list.get' }, req as never);
      return res.json([]);
    }
    logger.audit({ event: 'plugins.configs.get' }, req as never);
    res.type('text/html').send('');
  });
  r.get('/plugins/messages', read, (_req, res) => { res.json({}); });

  const MODULE = '((?:@[^/]+/)?[^/]+)';
  // a module's info, the same answer as GET /nodes/:module
  r.get(new RegExp(`^/plugins/${MODULE}$`), read, (req: Request, res: Response) => {
    const m = registry.module(req.params[0]!);
    if (!m) return sendError(res, apiError('not_found', 'Module not found'), logger);
    logger.audit({ event: 'nodes.module.get', id: m.name }, req as never);
    res.json(moduleView(m));
  });
  r.get(new RegExp(`^/plugins/${MODULE}/([^/]+)$`), read, (req: Request, res: Response) => {
    const name = req.params[0]!;
    const set = req.params[1]!;
    // (quirk) Node-RED's core module has no plugin table at all: looking a plugin up in it fails
    if (name === 'node-red') return sendError(res, apiError('unexpected_error', `Cannot read properties of undefined (reading '${set}')`), logger);
    if (!wantsJson(req)) return res.type('text/html').send('');
    logger.audit({ event: 'plugins.info.get', id: `${name}/${set}`, error: 'not_found' }, req as never);
    sendError(res, apiError('not_found', 'Plugin not found'), logger);
  });
  return r;
}
