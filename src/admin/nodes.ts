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

  /** The HTML the editor loads for a set; node editor templates are served by the editor part. */
  const setHtml = (s: NodeSetInfo) => `\n<!-- --- [red-module:${s.id}] --- -->\n`;

  r.get('/nodes', read, (req, res) => {
    logger.audit({ event: 'nodes.list.get' }, req as never);
    if (wantsJson(req)) return res.json(registry.sets().map((s) => setView(s)));
    res.type('text/html').send(registry.sets().filter((s) => s.enabled && !s.err).map(setHtml).join(''));
  });

  r.get('/nodes/messages', read, (_req, res) => { res.json({}); });

  const moduleName = (req: Request) => (req.params.scope ? `@${req.params.scope}/${req.params.mod}` : req.params.mod!);

  const getModule = (req: Request, res: Response) => {
    const m = registry.module(moduleName(req));
    if (!m) return sendError(res, apiError('not_found', 'Module not found'), logger);
    logger.audit({ event: 'nodes.module.get', module: m.name }, req as never);
    res.json(moduleView(m));
  };
  const getSet = (req: Request, res: Response) => {
    const s = registry.set(`${moduleName(req)}/${req.params.set}`);
    if (!s) return sendError(res, apiError('not_found', 'Node not found'), logger);
    logger.audit({ event: 'nodes.info.get', id: s.id }, req as never);
    if (wantsJson(req)) return res.json(setView(s));
    res.type('text/html').send(s.enabled && !s.err ? setHtml(s) : '');
  };
  r.get('/nodes/@:scope/:mod', read, getModule);
  r.get('/nodes/@:scope/:mod/:set/messages', read, (_req, res) => { res.json({}); });
  r.get('/nodes/@:scope/:mod/:set', read, getSet);
  r.get('/nodes/:mod', read, getModule);
  r.get('/nodes/:mod/:set/messages', read, (_req, res) => { res.json({}); });
  r.get('/nodes/:mod/:set', read, getSet);

  const usedTypes = () => new Set(flows.getFlows().flows.map((n) => n.type));
  const checkInUse = (sets: NodeSetInfo[]) => {
    const used = usedTypes();
    const inUse = sets.flatMap((s) => s.types.filter((t) => used.has(t)));
    if (inUse.length) throw apiError('type_in_use', `Type in use: ${inUse.join(', ')}`);
  };
  const enabledFlag = (req: Request): boolean => {
    const v = (req.body as Record<string, unknown> | undefined)?.enabled;
    if (v === undefined || v === null) throw apiError('invalid_request');
    // Node-RED takes any truthy value (even the string "false") as enable
    return !!v;
  };

  const putModule = async (req: Request, res: Response) => {
    try {
      const enabled = enabledFlag(req);
      const m = registry.module(moduleName(req));
      if (!m) throw apiError('not_found', 'Module not found', 400);
      if (!enabled) checkInUse(m.sets.filter((s) => s.enabled));
      for (const s of m.sets) registry.setEnabled(s, enabled);
      await deps.saveNodeConfig();
      logger.audit({ event: 'nodes.module.set', module: m.name, enabled }, req as never);
      res.json(moduleView(m));
    } catch (err) { sendError(res, err, logger); }
  };
  const putSet = async (req: Request, res: Response) => {
    try {
      const enabled = enabledFlag(req);
      const s = registry.set(`${moduleName(req)}/${req.params.set}`);
      if (!s) throw apiError('not_found', 'Node not found', 400);
      if (!enabled && s.enabled) checkInUse([s]);
      const changed = s.enabled !== enabled;
      registry.setEnabled(s, enabled);
      if (changed) await deps.saveNodeConfig();
      logger.audit({ event: 'nodes.info.set', id: s.id, enabled }, req as never);
      if (enabled) {
        const { version, ...rest } = setView(s);
        res.json({ ...rest, loaded: true, version });
      } else res.json(setView(s, !changed));
    } catch (err) { sendError(res, err, logger); }
  };
  r.put('/nodes/@:scope/:mod/:set', write, putSet);
  r.put('/nodes/@:scope/:mod', write, putModule);
  r.put('/nodes/:mod/:set', write, putSet);
  r.put('/nodes/:mod', write, putModule);
  return r;
}
