// GET /nodes, /nodes/:module, /nodes/:module/:set and PUT to enable/disable them (COMPAT A3).
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';
import type { ModuleInfo, NodeSetInfo } from '../registry/registry.js';

const wantsJson = (req: Request) => req.get('accept') === 'application/json';

function setView(s: NodeSetInfo, withVersion = true): Record<string, unknown> {
  const v: Record<string, unknown> = { id: s.id, name: s.name, types: [...s.types], enabled: s.enabled, local: s.local, user: s.user, module: s.module };
  if (withVersion) v.version = s.version;
  if (s.err) v.err = s.err;
  return v;
}

function moduleView(m: ModuleInfo): Record<string, unknown> {
  const v: Record<string, unknown> = { name: m.name, version: m.version };
  if (m.name !== 'node-red') {
    v.local = !!m.local;
    v.user = !!m.user;
    if (m.path) v.path = m.path;
  }
  v.nodes = m.sets.map((s) => setView(s));
  v.plugins = [];
  return v;
}

export function nodesRouter(deps: AdminDeps): Router {
  const r = Router();
  const { registry, logger, flows } = deps;
  const read = deps.needsPermission('nodes.read');
  const write = deps.needsPermission('nodes.write');

  /** The HTML of enabled sets for GET /nodes; node editor templates are served by the editor part. */
  const listHtml = (s: NodeSetInfo) => `\n<!-- --- [red-module:${s.id}] --- -->\n`;
  /** One set's HTML (served whatever its state, as Node-RED does). */
  const setHtml = (s: NodeSetInfo) => `<!-- --- [red-module:${s.id}] --- -->\n`;

  r.get('/nodes', read, (req, res) => {
    logger.audit({ event: 'nodes.list.get' }, req as never);
    if (wantsJson(req)) return res.json(registry.sets().map((s) => setView(s)));
    res.type('text/html').send(registry.sets().filter((s) => s.enabled && !s.err).map(listHtml).join(''));
  });

  // Node-RED's routes are anchored regular expressions: no trailing slash, `@scope/name` modules, and any
  // path that merely starts with /nodes/messages is the catalogue list.
  const MODULE = '((?:@[^/]+/)?[^/]+)';
  r.get(/^\/nodes\/messages/, read, (_req, res) => { res.json({}); });
  r.get(new RegExp(`^/nodes/(${MODULE.slice(1, -1)}/[^/]+)/messages`), read, (_req, res) => { res.json({}); });

  const getModule = (req: Request, res: Response) => {
    const m = registry.module(req.params[0]!);
    if (!m) return sendError(res, apiError('not_found', 'Module not found'), logger);
    logger.audit({ event: 'nodes.module.get', module: m.name }, req as never);
    res.json(moduleView(m));
  };
  const getSet = (req: Request, res: Response) => {
    const s = registry.set(`${req.params[0]}/${req.params[1]}`);
    if (!s) return sendError(res, apiError('not_found', 'Node not found'), logger);
    logger.audit({ event: 'nodes.info.get', id: s.id }, req as never);
    if (wantsJson(req)) return res.json(setView(s));
    res.type('text/html').send(setHtml(s));
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
