// Applies the credentials carried by a deploy to the stored ones (COMPAT A2.3): per-node `credentials`
// merged field by field (`__PWRD__` keeps a password, blank deletes), a v2 map replaces whole nodes,
// credentials of nodes no longer deployed are dropped. Pure; returns flows without `credentials`.
import type { CredentialMap, FlowConfig, NodeConfig } from './types.js';
import type { CredentialDef } from '../registry/red-types.js';
import { compareObjects } from './util/compare.js';

export interface MergeResult {
  flows: FlowConfig;
  credentials: CredentialMap;
  changed: boolean;
}

export function mergeCredentials(
  flows: FlowConfig,
  current: CredentialMap,
  defOf: (type: string) => CredentialDef | undefined,
  replacements?: Record<string, unknown>,
): MergeResult {
  const next: CredentialMap = Object.create(null);
  const ids = new Set<string>();
  for (const n of flows) ids.add(n.id);
  for (const id of Object.keys(current)) {
    if (ids.has(id)) next[id] = { ...current[id] };
  }
  if (replacements && typeof replacements === 'object') {
    for (const [id, creds] of Object.entries(replacements)) {
      if (id === '$' || !ids.has(id) || !creds || typeof creds !== 'object') continue;
      next[id] = { ...(creds as Record<string, unknown>) };
    }
  }
  const stripped: FlowConfig = flows.map((n) => {
    if (!Object.prototype.hasOwnProperty.call(n, 'credentials')) return n;
    const { credentials, ...rest } = n;
    if (credentials && typeof credentials === 'object') applyNodeCredentials(next, n, credentials, defOf(n.type));
    return rest as NodeConfig;
  });
  for (const id of Object.keys(next)) if (Object.keys(next[id]!).length === 0) delete next[id];
  return { flows: stripped, credentials: next, changed: !compareObjects(plain(current), plain(next)) };
}

function applyNodeCredentials(store: CredentialMap, node: NodeConfig, given: Record<string, unknown>, def: CredentialDef | undefined): void {
  const saved = store[node.id] ?? {};
  const out: Record<string, unknown> = { ...saved };
  for (const [field, value] of Object.entries(given)) {
    if (def?.[field]?.type === 'password' && value === '__PWRD__') continue;
    if (typeof value === 'string' && value.trim() === '') { delete out[field]; continue; }
    out[field] = value;
  }
  store[node.id] = out;
}

function plain(m: CredentialMap): Record<string, unknown> {
  return Object.assign({}, m);
}
