// Applies the credentials carried by a deploy to the stored ones (COMPAT A2.3), with Node-RED's rules per
// node kind (see applyNodeCredentials); a v2 map then replaces whole nodes; credentials of nodes no longer
// deployed are dropped. Pure; returns flows without `credentials`. Values Node-RED crashes on are refused.
import type { CredentialMap, FlowConfig, NodeConfig } from './types.js';
import type { CredentialDef } from '../registry/red-types.js';
import { compareObjects } from './util/compare.js';
import { apiError } from '../errors.js';

export interface MergeResult {
  flows: FlowConfig;
  credentials: CredentialMap;
  changed: boolean;
}

/** What the registry knows about a node type: whether it is registered (and enabled), and its credentials. */
export interface CredentialTypeInfo {
  registered: boolean;
  def?: CredentialDef;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function mergeCredentials(
  flows: FlowConfig,
  current: CredentialMap,
  typeInfo: (type: string) => CredentialTypeInfo,
  replacements?: Record<string, unknown>,
): MergeResult {
  const next: CredentialMap = Object.create(null);
  const ids = new Set<string>();
  for (const n of flows) ids.add(n.id);
  for (const id of Object.keys(current)) {
    if (ids.has(id)) next[id] = { ...current[id] };
  }
  const stripped: FlowConfig = flows.map((n) => {
    if (!own(n, 'credentials')) return n;
    const { credentials, ...rest } = n;
    if (credentials) applyNodeCredentials(next, n, credentials, typeInfo(n.type));
    return rest as NodeConfig;
  });
  // a v2 map replaces the credentials of the nodes it names, after the ones given inline (as Node-RED)
  if (isObject(replacements)) {
    for (const [id, creds] of Object.entries(replacements)) {
      if (id === '$' || UNSAFE_KEYS.has(id) || !isObject(creds)) continue;
      next[id] = safeCopy(creds);
    }
  }
  for (const id of Object.keys(next)) if (Object.keys(next[id]!).length === 0) delete next[id];
  return { flows: stripped, credentials: next, changed: !compareObjects(plain(current), plain(next)) };
}

/** Node-RED's "blank" test: a value of length 0, or one whose text is only whitespace. */
function isBlank(node: NodeConfig, field: string, value: unknown): boolean {
  if (value === null || value === undefined) {
    throw apiError('unexpected_error', `Invalid credentials of node ${node.id}: ${field} is ${String(value)}`);
  }
  if ((value as { length?: unknown }).length === 0) return true;
  return /^\s*$/.test(String(value));
}

/**
 * Subflow instances, tabs, groups and unregistered types: every field counts and `__PWRD__` keeps any field
 * (a subflow instance also loses the fields it no longer sends). `global-config` merges its `map` of env
 * values. Registered types: only the fields of their credentials definition, `__PWRD__` keeps password
 * fields only; a registered type without a definition stores nothing.
 */
function applyNodeCredentials(store: CredentialMap, node: NodeConfig, given: unknown, info: CredentialTypeInfo): void {
  if (!isObject(given)) throw apiError('unexpected_error', `Invalid credentials of node ${node.id}: not an object`);
  const saved: Record<string, unknown> = { ...(store[node.id] ?? {}) };
  const isSubflow = /^subflow(:|$)/.test(node.type);
  if (isSubflow || (!info.registered && node.type !== 'global-config')) {
    for (const [field, value] of Object.entries(given)) {
      if (UNSAFE_KEYS.has(field) || value === '__PWRD__') continue;
      if (isBlank(node, field, value)) delete saved[field];
      else saved[field] = value;
    }
    if (isSubflow) for (const field of Object.keys(saved)) if (!own(given, field)) delete saved[field];
  } else if (node.type === 'global-config') {
    saved.map = mergeEnvMap(saved.map, given.map);
  } else {
    if (!info.def) return;
    for (const [field, spec] of Object.entries(info.def)) {
      if (UNSAFE_KEYS.has(field) || !own(given, field)) continue;
      const value = given[field];
      if (value === undefined) continue;
      if (spec?.type === 'password' && value === '__PWRD__') continue;
      if (isBlank(node, field, value)) delete saved[field];
      else saved[field] = value;
    }
  }
  store[node.id] = saved;
}

/** global-config env credentials: keys no longer sent are removed (with their has_ flag), `__PWRD__` keeps. */
function mergeEnvMap(savedMap: unknown, givenMap: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = isObject(savedMap) ? { ...savedMap } : {};
  const given = isObject(givenMap) ? givenMap : {};
  for (const key of Object.keys(out)) {
    if (!given[key]) { delete out[key]; delete out[`has_${key}`]; }
  }
  for (const key of Object.keys(given)) {
    if (UNSAFE_KEYS.has(key) || key.startsWith('has_')) continue;
    if (!out[key] || given[key] !== '__PWRD__') {
      out[key] = given[key];
      if (given[`has_${key}`] !== undefined) out[`has_${key}`] = given[`has_${key}`];
      else delete out[`has_${key}`];
    }
  }
  return out;
}

function safeCopy(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!UNSAFE_KEYS.has(k)) out[k] = v;
  return out;
}

function plain(m: CredentialMap): Record<string, unknown> {
  return Object.assign({}, m);
}
