// GET/POST /flows (v1 and v2, rev, deployment types) and GET/POST /flows/state (COMPAT A2.1-A2.5).
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { Request } from 'express';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';

function apiVersion(req: Request): 'v1' | 'v2' {
  // an empty header counts as absent (Node-RED reads it with `|| "v1"`)
  const v = req.get('Node-RED-API-Version') || 'v1';
  if (v === 'v1') return 'v1';
  if (v === 'v2') return 'v2';
  throw apiError('invalid_api_version');
}

export function flowsRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { flows, logger } = deps;

  r.get('/flows', deps.needsPermission('flows.read'), (req, res) => {
    try {
      const version = apiVersion(req);
      const active = flows.getFlows();
      logger.audit({ event: 'flows.get' }, req as never);
      if (version === 'v1') res.json(active.flows);
      else res.json({ flows: active.flows, rev: active.rev });
    } catch (err) { sendError(res, err, logger); }
  });

  r.post('/flows', deps.needsPermission('flows.write'), async (req, res) => {
    try {
      const version = apiVersion(req);
      const type = req.get('Node-RED-Deployment-Type') || 'full';
      let config: unknown = req.body;
      let rev: unknown;
      let credentials: Record<string, unknown> | undefined;
      if (type !== 'reload' && version === 'v2') {
        const body = req.body as Record<string, unknown> | undefined;
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw apiError('unexpected_error', "Cannot read properties of undefined (reading 'forEach')");
        config = body.flows;
        // any `rev` given, even null or a number, must equal the current one
        if (Object.prototype.hasOwnProperty.call(body, 'rev')) rev = body.rev;
        if (body.credentials && typeof body.credentials === 'object') credentials = body.credentials as Record<string, unknown>;
      }
      const newRev = await flows.setFlows(config, { type, rev, credentials });
      logger.audit({ event: 'flows.set', type, version }, req as never);
      if (version === 'v1') res.status(204).end();
      else res.json({ rev: newRev });
    } catch (err) { sendError(res, err, logger); }
  });

  r.get('/flows/state', deps.needsPermission('flows.read'), (req, res) => {
    logger.audit({ event: 'flows.get.state' }, req as never);
    res.json({ state: flows.state });
  });

  if (deps.settings.runtimeState?.enabled === true) {
    r.post('/flows/state', deps.needsPermission('flows.write'), async (req, res) => {
      try {
        const state = (req.body as Record<string, unknown> | undefined)?.state || '';
        if (state !== 'start' && state !== 'stop') {
          throw apiError('invalid_run_state', `Cannot change flows runtime state to '${String(state)}'}`);
        }
        const result = await flows.setState(state);
        await deps.setRuntimeConfig('runtimeFlowState', state);
        logger.audit({ event: 'flows.set.state', state }, req as never);
        res.json({ state: result });
      } catch (err) { sendError(res, err, logger); }
    });
  }
  return r;
}
