// The `cluster` setting: every instance started with the same Redis `url` and `name` is one cluster.
// `instanceId` names this instance in logs and in what it publishes (default `<hostname>:<port>`),
// `leaseMs` is the leader lease for scheduled work (default 5000), `tls` the TLS options of a rediss:// URL.
import os from 'node:os';
import type { Settings } from '../settings/types.js';
import { redisTlsOptions, type RedisTlsOptions } from '../runtime/context/redis-tls.js';

export interface ClusterOptions {
  url: string;
  name: string;
  /** Undefined until the port is known (the default includes it). */
  instanceId?: string;
  leaseMs: number;
  /** CA, client certificate and key… for a rediss:// URL (checked with the settings). */
  tls?: RedisTlsOptions;
}

export function clusterOptions(settings: Settings): ClusterOptions | undefined {
  const c = settings.cluster;
  if (!c || typeof c.url !== 'string' || !c.url) return undefined;
  return {
    url: c.url,
    name: typeof c.name === 'string' && c.name ? c.name : 'crimson',
    instanceId: typeof c.instanceId === 'string' && c.instanceId ? c.instanceId : undefined,
    leaseMs: typeof c.leaseMs === 'number' && c.leaseMs > 0 ? c.leaseMs : 5000,
    tls: redisTlsOptions(c.tls, c.url, 'cluster.tls'),
  };
}

export const defaultInstanceId = (port: number | undefined) => `${os.hostname()}:${port ?? 1880}`;
