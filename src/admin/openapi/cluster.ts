// OpenAPI path of GET /cluster (admin/cluster.ts), present only on an instance of a cluster.
import type { ApiContext, Json, Paths } from './common.js';
import { error, json, operation, ref } from './common.js';

export const clusterSchemas: Record<string, Json> = {
  Cluster: {
    type: 'object',
    required: ['name', 'leader', 'instances'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', description: 'cluster.name' },
      leader: { type: ['string', 'null'], description: 'The instanceId holding the leader lease (runs scheduled work)' },
      instances: {
        type: 'array',
        description: 'The instances heard from within 3 × leaseMs, oldest first',
        items: {
          type: 'object',
          required: ['id', 'address', 'leader', 'rev', 'uptime'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', description: 'Its instanceId' },
            address: { type: 'string', description: 'host:port it listens on' },
            leader: { type: 'boolean' },
            rev: { type: 'string', description: 'The flows revision it runs' },
            uptime: { type: 'integer', minimum: 0, description: 'Seconds since it started' },
          },
        },
      },
    },
  },
};

export function clusterPaths(ctx: ApiContext): Paths {
  if (!ctx.cluster) return {};
  return {
    '/cluster': {
      get: operation(ctx, {
        operationId: 'getCluster', tag: 'cluster', summary: 'The instances of this cluster and its leader', permission: 'flows.read',
        responses: { 200: json('The cluster', ref('Cluster')), 503: error('Redis cannot be reached (cluster_unavailable)') },
      }),
    },
  };
}
