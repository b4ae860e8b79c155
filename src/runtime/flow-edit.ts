// The single-flow operations behind /flow/:id (COMPAT A2.6-A2.9): read one tab (or `global`) out of
// a flows array, and build the new flows array for add / update / remove. Pure. A read shows what runs:
// of nodes sharing an id in one list, the last, at the place of the first (as flow-parse.ts keeps them).
import type { FlowConfig, NodeConfig } from './types.js';
import { apiError } from '../errors.js';
import { generateId } from './util/id.js';

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isFlowNode = (n: NodeConfig) => has(n, 'x') && has(n, 'y');
const copy = (n: NodeConfig): NodeConfig => {
  const c = JSON.parse(JSON.stringify(n)) as NodeConfig;
  delete c.credentials;
  return c;
};

/** One node per id: the last one given, at the place of the first. */
function lastOfEachId(list: NodeConfig[]): NodeConfig[] {
  const byId = new Map<string, NodeConfig>();
  for (const n of list) byId.set(n.id, n);
  return byId.size === list.length ? list : [...byId.values()];
}

function tabIds(config: FlowConfig): Set<string> {
  const ids = new Set<string>();
  for (const n of config) if (n.type === 'tab') ids.add(n.id);
  // nodes on a tab missing from the config still make a tab (as Node-RED parses them)
  for (const n of config) if (n.z && n.type !== 'tab' && n.type !== 'subflow' && !config.some((s) => s.type === 'subflow' && s.id === n.z)) ids.add(n.z);
  return ids;
}

/** GET /flow/:id */
export function getFlow(config: FlowConfig, id: string): Record<string, unknown> | null {
  const subflowIds = new Set(config.filter((n) => n.type === 'subflow').map((n) => n.id));
  if (id === 'global') {
    const result: Record<string, unknown> = { id: 'global' };
    const tabs = tabIds(config);
    const configs = lastOfEachId(config.filter((n) => n.type !== 'tab' && n.type !== 'subflow' && n.type !== 'group' && !isFlowNode(n) && !(n.z && (tabs.has(n.z) || subflowIds.has(n.z)))));
    // Node-RED lists, on each global config node, the ids of the nodes that reference it (quirk)
    if (configs.length) result.configs = configs.map((c) => ({ ...copy(c), _users: usersOf(config, c.id) }));
    const subflows = lastOfEachId(config.filter((n) => n.type === 'subflow')).map((sf) => {
      const s = copy(sf);
      const members = config.filter((n) => n.z === sf.id);
      const pick = (test: (n: NodeConfig) => boolean) => lastOfEachId(members.filter(test));
      // Node-RED's key order: configs, then nodes; in a subflow the groups come after the nodes
      s.configs = pick((n) => n.type !== 'group' && !isFlowNode(n)).map(copy);
      s.nodes = [...pick((n) => n.type !== 'group' && isFlowNode(n)).map((n) => member(n)), ...pick((n) => n.type === 'group').map(copy)];
      return s;
    });
    if (subflows.length) result.subflows = subflows;
    return result;
  }
  const tab = lastOfEachId(config.filter((n) => n.type === 'tab' && n.id === id))[0];
  if (!tab && !tabIds(config).has(id)) return null;
  const result: Record<string, unknown> = { id };
  if (tab) {
    if (tab.label) result.label = tab.label;
    for (const k of ['disabled', 'info', 'env']) if (has(tab, k)) result[k] = tab[k];
  }
  const members = config.filter((n) => n.z === id && n.type !== 'tab' && n.type !== 'subflow');
  const groups = lastOfEachId(members.filter((n) => n.type === 'group'));
  const nodes = lastOfEachId(members.filter((n) => n.type !== 'group' && isFlowNode(n))).map((n) => {
    const c = member(n);
    if (c.type === 'link out') delete c.wires;
    return c;
  });
  result.nodes = [...groups.map(copy), ...nodes];
  const configs = lastOfEachId(members.filter((n) => n.type !== 'group' && !isFlowNode(n))).map(copy);
  if (configs.length) result.configs = configs;
  return result;
}

/** A flow node as Node-RED's parsed config holds it: a subflow instance carries `subflow: <template id>`. */
function member(n: NodeConfig): NodeConfig {
  const c = copy(n);
  const m = /^subflow:(.+)$/.exec(String(n.type));
  if (m) c.subflow = m[1];
  return c;
}

interface FlowBody {
  label?: unknown; info?: unknown; disabled?: unknown; env?: unknown; credentials?: unknown;
  nodes?: unknown; configs?: unknown; subflows?: unknown;
}

function tabNode(id: string, body: FlowBody, withCredentials: boolean): NodeConfig {
  const tab: NodeConfig = { type: 'tab', label: body.label, id } as NodeConfig;
  if (has(body, 'info')) tab.info = body.info;
  if (has(body, 'disabled')) tab.disabled = body.disabled;
  if (has(body, 'env')) tab.env = body.env;
  if (withCredentials && has(body, 'credentials')) tab.credentials = body.credentials as Record<string, unknown>;
  return tab;
}

function nodeList(value: unknown, what: string): NodeConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw apiError('unexpected_error', `${what} must be an array`);
  for (const n of value) {
    if (!n || typeof n !== 'object' || Array.isArray(n)) throw apiError('unexpected_error', `invalid node in ${what}`);
  }
  return value as NodeConfig[];
}

/** POST /flow: returns the new config and the generated id. */
export function addFlow(config: FlowConfig, body: FlowBody): { config: FlowConfig; id: string } {
  if (!body || typeof body !== 'object' || !has(body, 'nodes')) throw apiError('unexpected_error', 'missing nodes property');
  const id = generateId();
  const existing = new Set(config.map((n) => n.id));
  const added: NodeConfig[] = [tabNode(id, body, false)];
  for (const n of [...nodeList(body.nodes, 'nodes'), ...nodeList(body.configs, 'configs')]) {
    if (existing.has(n.id)) throw apiError('unexpected_error', 'duplicate id');
    if (n.type === 'tab' || n.type === 'subflow') throw apiError('unexpected_error', `invalid node type: ${n.type}`);
    added.push({ ...n, z: id });
  }
  return { config: [...config, ...added], id };
}

/** PUT /flow/:id */
export function updateFlow(config: FlowConfig, id: string, given: FlowBody): FlowConfig {
  if (!given || typeof given !== 'object') throw apiError('unexpected_error', 'invalid flow');
  // an array body has none of the flow properties: Node-RED then writes an empty tab
  const body: FlowBody = Array.isArray(given) ? {} : given;
  const tabs = tabIds(config);
  if (id === 'global') {
    const kept = config.filter((n) => n.type === 'tab' || (typeof n.z === 'string' && tabs.has(n.z)));
    const added: NodeConfig[] = [...nodeList(body.configs, 'configs')];
    for (const sf of nodeList(body.subflows, 'subflows')) {
      const { nodes, configs, ...def } = sf as NodeConfig & { nodes?: unknown; configs?: unknown };
      added.push(...nodeList(nodes, 'nodes'), ...nodeList(configs, 'configs'), def as NodeConfig);
    }
    return [...kept, ...added];
  }
  if (!tabs.has(id)) throw apiError('not_found');
  const kept = config.filter((n) => n.z !== id && n.id !== id);
  const nodes = [...nodeList(body.nodes, 'nodes'), ...nodeList(body.configs, 'configs')].map((n) => (n.type === 'tab' ? n : { ...n, z: id }));
  return [...kept, tabNode(id, body, true), ...nodes];
}

/** DELETE /flow/:id */
export function removeFlow(config: FlowConfig, id: string): FlowConfig {
  if (id === 'global') throw apiError('unexpected_error', 'not allowed to remove global');
  if (!tabIds(config).has(id)) throw apiError('not_found');
  return config.filter((n) => n.z !== id && n.id !== id);
}

function usersOf(config: FlowConfig, id: string): string[] {
  const users: string[] = [];
  for (const n of config) {
    if (n.type === 'tab' || n.type === 'subflow' || n.type === 'group') continue;
    // every property naming the config node counts, once each; values compare as property keys do
    for (const [k, v] of Object.entries(n)) {
      if (k !== 'id' && k !== 'wires' && k !== 'type' && k !== '_users' && String(v) === id) users.push(n.id);
    }
  }
  return users;
}
