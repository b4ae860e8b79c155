// GET /plugins (JSON list of the plugin sets, or their editor HTML behind Node-RED's
// `<!-- --- [red-plugin:<set id>] --- -->` markers), /plugins/messages (their catalogues), /plugins/:module (the
// module's info, as GET /nodes/:module) and /plugins/:module/:set (COMPAT A6).
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { Request, Response } from 'express';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';
import { moduleView } from './nodes.js';
import { pluginSetInfo } from '../registry/plugins.js';
import type { PluginSetInfo } from '../registry/plugins.js';
import { DEFAULT_LANG, isAcceptableLang } from '../registry/node-catalog.js';
import type { Catalog } from '../registry/node-catalog.js';

/** A set's part of the editor HTML: only an error-free set with an editor file has one. */
const editorPart = (p: PluginSetInfo): string =>
  p.enabled && !p.err && p.config ? `\n<!-- --- [red-plugin:${p.id}] --- -->\n${p.config}` : '';

export function pluginsRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { registry, plugins, logger } = deps;
  const read = deps.needsPermission('plugins.read');
  const wantsJson = (req: Request) => req.get('accept') === 'application/json';

  r.get('/plugins', read, (req, res) => {
    if (wantsJson(req)) {
      logger.audit({ event: 'plugins.list.get' }, req as never);
      return res.json(plugins.sets().map((p) => pluginSetInfo(p)));
    }
    logger.audit({ event: 'plugins.configs.get' }, req as never);
    res.type('text/html').send(plugins.sets().map(editorPart).join(''));
  });
  r.get('/plugins/messages', read, async (req, res) => {
    try {
      const lng = req.query.lng;
      const sets = plugins.sets();
      // (quirk) without a language Node-RED's i18n fails as soon as there is a catalogue to look up
      if (lng === undefined && sets.some((p) => !p.builtin)) throw apiError('unexpected_error', "Cannot read properties of undefined (reading 'indexOf')");
      const lang = isAcceptableLang(String(lng)) ? String(lng) : DEFAULT_LANG;
      const out: Record<string, Catalog> = {};
      for (const p of sets) out[p.id] = (p.catalog ? await plugins.catalogs.bundle(p.catalog, lang) : undefined) ?? {};
      res.json(out);
    } catch (err) { sendError(res, err, logger); }
  });

  const MODULE = '((?:@[^/]+/)?[^/]+)';
  // a module's info, the same answer as GET /nodes/:module
  r.get(new RegExp(`^/plugins/${MODULE}$`), read, (req: Request, res: Response) => {
    const m = registry.module(req.params[0]!);
    if (!m) return sendError(res, apiError('not_found', 'Module not found'), logger);
    logger.audit({ event: 'nodes.module.get', id: m.name }, req as never);
    res.json(moduleView(m));
  });
  r.get(new RegExp(`^/plugins/${MODULE}/([^/]+)$`), read, (req: Request, res: Response) => {
    const id = `${req.params[0]}/${req.params[1]}`;
    const set = plugins.set(id);
    // (quirk) Node-RED's core module has no plugin table at all: looking a plugin up in it fails
    if (set === null) return sendError(res, apiError('unexpected_error', `Cannot read properties of undefined (reading '${req.params[1]}')`), logger);
    if (!wantsJson(req)) {
      logger.audit({ event: 'plugins.configs.get' }, req as never);
      return res.type('text/html').send(set ? editorPart(set) : '');
    }
    if (!set) {
      logger.audit({ event: 'plugins.info.get', id, error: 'not_found' }, req as never);
      return sendError(res, apiError('not_found', 'Plugin not found'), logger);
    }
    logger.audit({ event: 'plugins.info.get', id }, req as never);
    res.json(pluginSetInfo(set));
  });
  return r;
}
