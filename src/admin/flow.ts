// GET/POST/PUT/DELETE /flow/:id — one tab, or `global` (COMPAT A2.6-A2.9).
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { addFlow, getFlow, removeFlow, updateFlow } from '../runtime/flow-edit.js';
import { apiError } from '../errors.js';

export function flowRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { flows, logger } = deps;
  const current = () => flows.getFlows().flows;

  r.get('/flow/:id', deps.needsPermission('flows.read'), (req, res) => {
    const flow = getFlow(current(), req.params.id!);
    if (!flow) return sendError(res, apiError('not_found'), logger);
    logger.audit({ event: 'flow.get', id: req.params.id }, req as never);
    res.json(flow);
  });

  r.post('/flow', deps.needsPermission('flows.write'), async (req, res) => {
    try {
      const { config, id } = addFlow(current(), req.body ?? {});
      await flows.setFlows(config, { type: 'flows', muteLog: true });
      logger.info(`Adding flow: ${labelOf(req.body)}[${id}]`);
      logger.audit({ event: 'flow.add', id }, req as never);
      res.json({ id });
    } catch (err) { sendError(res, err, logger); }
  });

  r.put('/flow/:id', deps.needsPermission('flows.write'), async (req, res) => {
    try {
      const id = req.params.id!;
      const config = updateFlow(current(), id, req.body ?? {});
      await flows.setFlows(config, { type: 'flows', muteLog: true });
      logger.info(`Updated flow: ${id === 'global' ? '' : labelOf(req.body)}[${id}]`);
      logger.audit({ event: 'flow.update', id }, req as never);
      res.json({ id });
    } catch (err) { sendError(res, err, logger); }
  });

  r.delete('/flow/:id', deps.needsPermission('flows.write'), async (req, res) => {
    try {
      const id = req.params.id!;
      const tab = current().find((n) => n.id === id && n.type === 'tab');
      const config = removeFlow(current(), id);
      await flows.setFlows(config, { type: 'flows', muteLog: true });
      logger.info(`Removed flow: ${labelOf(tab)}[${id}]`);
      logger.audit({ event: 'flow.remove', id }, req as never);
      res.status(204).end();
    } catch (err) { sendError(res, err, logger); }
  });
  return r;
}

function labelOf(body: unknown): string {
  const label = (body as { label?: unknown } | undefined)?.label;
  return typeof label === 'string' && label ? `${label} ` : '';
}
