// GET /nodes (JSON list or the editor HTML), /nodes/:module, /nodes/:module/:set and PUT to enable/disable
// them, the node message catalogues (/nodes/messages, /nodes/:module/:set/messages and their /locales
// namespaces) (COMPAT A3, B4).
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { Request, Response } from 'express';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';
import type { ModuleInfo, NodeSetInfo } from '../registry/registry.js';
import { createNodeEditorContent } from '../registry/node-editor.js';
import { DEFAULT_LANG, isAcceptableLang } from '../registry/node-catalog.js';
import { pluginSetInfo } from '../registry/plugins.js';
import { reportStateChange } from '../registry/palette.js';

const wantsJson = (req: Request) => req.get('accept') === 'application/json';

function setView(s: NodeSetInfo, withVersion = true): Record<string, unknown> {
  const v: Record<string, unknown> = { id: s.id, name: s.name, types: [...s.types], enabled: s.enabled, local: s.local, user: s.user, module: s.module };
  if (s.err) v.err = s.err;
  if (withVersion) v.version = s.version;
  return v;
}

/** The language of an HTML request: the first Accept-Language entry, en-US when absent or unacceptable. */
function htmlLang(req: Request): string {
  const lang = req.acceptsLanguages()[0] ?? DEFAULT_LANG;
  return isAcceptableLang(lang) ? lang : DEFAULT_LANG;
}

/** The `lng` of a catalogue request (unacceptable → en-US); undefined when absent. */
function catalogLang(req: Request): string | undefined {
  const lng = req.query.lng;
  if (lng === undefined) return undefined;
  return isAcceptableLang(String(lng)) ? String(lng) : DEFAULT_LANG;
}

/** (quirk) Node-RED's i18n fails on a catalogue lookup without a language; this is its answer. */
const noLanguage = () => apiError('unexpected_error', "Cannot read properties of undefined (reading 'indexOf')");

export function moduleView(m: ModuleInfo): Record<string, unknown> {
  const v: Record<string, unknown> = { name: m.name, version: m.version };
  if (m.name !== 'node-red') {
    v.local = !!m.local;
    v.user = !!m.user;
    if (m.path) v.path = m.path;
  }
  v.nodes = m.sets.map((s) => setView(s));
  v.plugins = (m.plugins ?? []).map((p) => pluginSetInfo(p));
  return v;
}

export function nodesRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { registry, logger, flows } = deps;
  const read = deps.needsPermission('nodes.read');
  const write = deps.needsPermission('nodes.write');

  const content = createNodeEditorContent(registry, { definitions: !deps.settings.disableEditor });
  /** A plugin set's catalogue, the namespace of its id (Node-RED's i18n holds them beside the node sets'). */
  const pluginNamespace = async (ns: string, lang: string) => {
    const files = deps.plugins.set(ns)?.catalog;
    return files ? ((await deps.plugins.catalogs.forLocales(files, lang)) ?? {}) : undefined;
  };

  r.get('/nodes', read, async (req, res) => {
    try {
      if (wantsJson(req)) {
        logger.audit({ event: 'nodes.list.get' }, req as never);
        return res.json(registry.sets().map((s) => setView(s)));
      }
      logger.audit({ event: 'nodes.configs.get' }, req as never);
      res.type('text/html').send(await content.allHtml(htmlLang(req)));
    } catch (err) { sendError(res, err, logger); }
  });

  // Node-RED's routes are anchored regular expressions: no trailing slash, `@scope/name` modules, and any
  // path that merely starts with /nodes/messages is the catalogue list.
  const MODULE = '((?:@[^/]+/)?[^/]+)';
  r.get(/^\/nodes\/messages/, read, async (req, res) => {
    try {
      const lang = catalogLang(req);
      if (lang === undefined) {
        if (registry.sets().some((s) => s.module !== 'node-red')) throw noLanguage();
        return res.json({});
      }
      res.json(await content.catalogs(lang));
    } catch (err) { sendError(res, err, logger); }
  });
  r.get(new RegExp(`^/nodes/(${MODULE.slice(1, -1)}/[^/]+)/messages`), read, async (req, res) => {
    try {
      const lang = catalogLang(req);
      if (lang === undefined) throw noLanguage();
      res.json(await content.setCatalog(req.params[0]!, lang));
    } catch (err) { sendError(res, err, logger); }
  });

  // The editor's i18n namespaces of node catalogues: "node-red" (the core sets) and the id of each package
  // set (the editor's own namespaces are answered before); Node-RED answers {} for any other one.
  // Public, and absent with disableEditor, as the editor's routes are.
  if (!deps.settings.disableEditor) r.get(/^\/locales\/(.+)$/, async (req, res) => {
    try {
      const ns = req.params[0]!.replace(/\.json$/, '');
      const lang = String(req.query.lng || DEFAULT_LANG);
      const catalog = ns === 'nodes' ? {} : (await content.namespace(ns, lang)) ?? (await pluginNamespace(ns, lang));
      res.json(isAcceptableLang(lang) && catalog !== undefined ? catalog : {});
    } catch (err) { sendError(res, err, logger); }
  });

  const getModule = (req: Request, res: Response) => {
    const m = registry.module(req.params[0]!);
    if (!m) return sendError(res, apiError('not_found', 'Module not found'), logger);
    logger.audit({ event: 'nodes.module.get', module: m.name }, req as never);
    res.json(moduleView(m));
  };
  const getSet = async (req: Request, res: Response) => {
    try {
      const s = registry.set(`${req.params[0]}/${req.params[1]}`);
      if (!s) return sendError(res, apiError('not_found', 'Node not found'), logger);
      logger.audit({ event: wantsJson(req) ? 'nodes.info.get' : 'nodes.config.get', id: s.id }, req as never);
      if (wantsJson(req)) return res.json(setView(s));
      res.type('text/html').send(await content.setHtml(s, htmlLang(req)));
    } catch (err) { sendError(res, err, logger); }
  };
  const moduleRoute = new RegExp(`^/nodes/${MODULE}$`);
  const setRoute = new RegExp(`^/nodes/${MODULE}/([^/]+)$`);
  r.get(moduleRoute, read, getModule);
  r.get(setRoute, read, getSet);

  const usedTypes = () => new Set(flows.getFlows().flows.map((n) => n.type));
  /** Node-RED names the types of the first set found in use. */
  const checkInUse = (sets: NodeSetInfo[]) => {
    const used = usedTypes();
    for (const s of sets) {
      const inUse = s.types.filter((t) => used.has(t));
      if (inUse.length) throw apiError('type_in_use', `Type in use: ${inUse.join(', ')}`);
    }
  };
  /** The raw `enabled` value; only its absence is refused (null, 0 or "" disable, any truthy value enables). */
  const enabledValue = (req: Request): unknown => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || !Object.prototype.hasOwnProperty.call(body, 'enabled')) throw apiError('invalid_request');
    return body.enabled;
  };
  /** A set is left alone only when its state is exactly the value asked for (Node-RED compares strictly). */
  const isNoop = (s: NodeSetInfo, value: unknown) => !s.err && s.enabled === value;

  const putModule = async (req: Request, res: Response) => {
    try {
      const value = enabledValue(req);
      const m = registry.module(req.params[0]!);
      if (!m) throw apiError('not_found', 'Module not found', 400);
      const toChange = m.sets.filter((s) => !isNoop(s, value));
      if (!value) checkInUse(toChange);
      for (const s of toChange) registry.setEnabled(s, !!value);
      if (toChange.length) await deps.saveNodeConfig();
      for (const s of toChange) reportStateChange(deps.events, logger, s, !!value);
      logger.audit({ event: 'nodes.module.set', module: m.name, enabled: !!value }, req as never);
      res.json(moduleView(m));
    } catch (err) { sendError(res, err, logger); }
  };
  const putSet = async (req: Request, res: Response) => {
    try {
      const value = enabledValue(req);
      const s = registry.set(`${req.params[0]}/${req.params[1]}`);
      if (!s) throw apiError('not_found', 'Node not found', 400);
      logger.audit({ event: 'nodes.info.set', id: s.id, enabled: !!value }, req as never);
      if (isNoop(s, value)) return res.json(setView(s));
      if (!value) checkInUse([s]);
      const changed = s.enabled !== !!value;
      registry.setEnabled(s, !!value);
      if (changed) await deps.saveNodeConfig();
      reportStateChange(deps.events, logger, s, !!value);
      if (value) {
        const { version, ...rest } = setView(s);
        res.json({ ...rest, loaded: true, version });
      } else res.json(setView(s, false));
    } catch (err) { sendError(res, err, logger); }
  };
  r.put(moduleRoute, write, putModule);
  r.put(setRoute, write, putSet);
  return r;
}
