// GET /cluster (permission flows.read), only on an instance of a cluster: the cluster's name, its leader and the
// instances heard from within 3 × leaseMs (cluster/members.ts). Elsewhere the route does not exist (404).
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';

export function clusterRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const cluster = deps.cluster;
  if (!cluster) return r;
  r.get('/cluster', deps.needsPermission('flows.read'), async (req, res) => {
    try {
      deps.logger.audit({ event: 'cluster.get' }, req as never);
      res.json(await cluster.view().catch(() => { throw apiError('cluster_unavailable'); }));
    } catch (err) { sendError(res, err, deps.logger); }
  });
  return r;
}
