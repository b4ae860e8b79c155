// What a `nodes` or `flows` deploy must restart (COMPAT A2.4): a pure diff of two flows arrays, with
// Node-RED's rules — changed config (not x/y/wires), credentials given, rewired, added, removed, disabled,
// nodes referencing changed config nodes (transitively), group members, tab env changes, instances of
// changed subflow templates, and the wire-connected nodes of every modification. Linear in the size of the configs.
import type { FlowConfig, NodeConfig } from './types.js';
import { compareObjects } from './util/compare.js';

export interface FlowDiff {
  added: Set<string>;
  changed: Set<string>;
  removed: Set<string>;
  rewired: Set<string>;
  linked: Set<string>;
  /** Tabs whose env changed: the whole tab restarts. */
  flowChanged: Set<string>;
  globalConfigChanged: boolean;
}

/** Nodes by id; entries that are not nodes (a hand-damaged flows file may hold any JSON) are skipped. */
const byId = (config: FlowConfig) => {
  const m = new Map<string, NodeConfig>();
  for (const n of config) if (n !== null && typeof n === 'object' && typeof n.id === 'string') m.set(n.id, n);
  return m;
};
const nodeKeys = (n: NodeConfig) => {
  const group = n.type === 'group';
  return Object.keys(n).filter((k) => k !== 'x' && k !== 'y' && k !== 'wires' && !(group && (k === 'nodes' || k === 'style' || k === 'w' || k === 'h')));
};

/** True when a node's configuration (anything but position and wires) differs. */
export function nodeChanged(a: NodeConfig | undefined, b: NodeConfig): boolean {
  if (!a) return true;
  const ka = nodeKeys(a);
  const kb = nodeKeys(b);
  if (ka.length !== kb.length) return true;
  return kb.some((k) => !compareObjects(a[k], b[k]));
}

function tabsOf(all: Map<string, NodeConfig>): Map<string, NodeConfig> {
  const tabs = new Map<string, NodeConfig>();
  for (const n of all.values()) if (n.type === 'tab') tabs.set(n.id, n);
  return tabs;
}

/** A property value as Node-RED uses it for a lookup by id (an array coerces to its joined text). */
const refKey = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : undefined);

function addLinks(links: Map<string, Set<string>>, all: Map<string, NodeConfig>, n: NodeConfig): void {
  if (!Array.isArray(n.wires)) return;
  let mine = links.get(n.id);
  if (!mine) { mine = new Set(); links.set(n.id, mine); }
  for (const port of n.wires) {
    for (const t of port ?? []) {
      mine.add(t);
      if (all.has(t)) {
        let theirs = links.get(t);
        if (!theirs) { theirs = new Set(); links.set(t, theirs); }
        theirs.add(n.id);
      }
    }
  }
}

/**
 * `full`: for a full deploy, which stops everything anyway and only needs to know what is removed: the
 * propagation through config-node references and wires (the costly part with 10k nodes) is left out, so
 * `changed` holds the directly changed nodes and their containers and `linked` is empty.
 */
export function diffFlows(oldFlows: FlowConfig, newFlows: FlowConfig, credentialIds: Set<string> = new Set(), opts: { full?: boolean } = {}): FlowDiff {
  const full = opts.full === true;
  const oldAll = byId(oldFlows);
  const newAll = byId(newFlows);
  const oldTabs = tabsOf(oldAll);
  const newTabs = tabsOf(newAll);
  const added = new Map<string, NodeConfig>();
  const changed = new Map<string, NodeConfig | true>();
  const removed = new Map<string, NodeConfig>();
  const rewired = new Map<string, NodeConfig>();
  const flowChanged = new Set<string>();
  let globalConfigChanged = false;
  const links = new Map<string, Set<string>>();
  const markContainer = (z: unknown) => { if (typeof z === 'string' && newAll.has(z)) changed.set(z, newAll.get(z)!); };

  for (const [id, tab] of oldTabs) {
    const now = newTabs.get(id);
    if (!now) { removed.set(id, tab); continue; }
    if (!!tab.disabled !== !!now.disabled) (tab.disabled ? added : removed).set(id, tab);
  }
  for (const [id, n] of oldAll) {
    if (n.type === 'tab') {
      if (!removed.has(id) && JSON.stringify(n.env) !== JSON.stringify(newAll.get(id)?.env)) flowChanged.add(id);
      continue;
    }
    if (!full) addLinks(links, oldAll, n);
    const now = newAll.get(id);
    if ((n.z && removed.has(n.z)) || !now) {
      removed.set(id, n);
      if (!(n.z && removed.has(n.z))) markContainer(n.z);
      continue;
    }
    if (n.z && added.has(n.z)) { added.set(id, n); continue; }
    if (!n.d && now.d) removed.set(id, n);
    if (nodeChanged(n, now) || credentialIds.has(id)) {
      changed.set(id, now);
      markContainer(now.z);
      if (now.type === 'global-config') globalConfigChanged = true;
    }
    if (!compareObjects(n.wires, now.wires)) {
      rewired.set(id, now);
      markContainer(now.z);
    }
  }
  const nestedGroups: NodeConfig[] = [];
  for (const [id, n] of newAll) {
    if (n.type === 'group') {
      if (n.g) nestedGroups.push(n);
      if (changed.has(id) && Array.isArray(n.nodes)) for (const m of n.nodes as string[]) if (!changed.has(m)) changed.set(m, true);
    }
    if (!full) addLinks(links, newAll, n);
    if (!oldAll.has(id)) { added.set(id, n); markContainer(n.z); }
  }

  // nodes referencing a changed or removed node by a property value (config nodes), transitively
  const referrers = new Map<string, Array<{ node: NodeConfig; prop: string }>>();
  for (const n of full ? [] : newAll.values()) {
    for (const prop of Object.keys(n)) {
      if (prop === 'z' || prop === 'id' || prop === 'wires') continue;
      const key = refKey(n[prop]);
      if (key === undefined || !(newAll.has(key) || oldAll.has(key))) continue;
      const list = referrers.get(key) ?? [];
      list.push({ node: n, prop });
      referrers.set(key, list);
    }
  }
  const work = [...changed.keys(), ...removed.keys()];
  while (work.length) {
    const origin = work.pop()!;
    const originNode = changed.get(origin);
    for (const { node, prop } of referrers.get(origin) ?? []) {
      if (changed.has(node.id)) continue;
      if (prop === 'g' && originNode && originNode !== true && originNode.type === 'group' && oldAll.get(node.id)?.g === node.g) continue;
      changed.set(node.id, node);
      work.push(node.id);
      if (typeof node.z === 'string' && newAll.has(node.z) && !changed.has(node.z)) { changed.set(node.z, newAll.get(node.z)!); work.push(node.z); }
    }
  }
  // members of changed groups, nested groups included
  let more = true;
  while (more) {
    more = false;
    for (const g of nestedGroups) {
      if (!changed.has(g.id) && g.g && changed.has(g.g)) { changed.set(g.id, true); more = true; }
      if (changed.has(g.id) && Array.isArray(g.nodes)) {
        for (const m of g.nodes as string[]) if (!changed.has(m)) { changed.set(m, true); more = true; }
      }
    }
  }

  // a changed subflow template changes its instances (and the templates holding those, recursively);
  // the template's own nodes never run, so they are not restarted by name
  const isSubflow = (id: unknown) => typeof id === 'string' && newAll.get(id)?.type === 'subflow';
  const templates = [...changed.keys()].filter(isSubflow);
  for (const n of newAll.values()) if (isSubflow(n.z)) changed.delete(n.id);
  while (templates.length) {
    const type = 'subflow:' + templates.pop()!;
    for (const n of newAll.values()) {
      if (n.type !== type || changed.has(n.id)) continue;
      changed.set(n.id, n);
      if (typeof n.z === 'string' && !changed.has(n.z) && newAll.has(n.z)) {
        changed.set(n.z, newAll.get(n.z)!);
        if (isSubflow(n.z)) { templates.push(n.z); changed.delete(n.id); }
      }
    }
  }

  // every node wire-connected to a modification
  const linked = new Set<string>();
  const visited = new Set<string>();
  const stack = [...added.keys(), ...changed.keys(), ...removed.keys(), ...rewired.keys()];
  while (stack.length) {
    const id = stack.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const l = links.get(id);
    if (!l) continue;
    if (!changed.has(id) && !added.has(id) && !removed.has(id) && !rewired.has(id)) linked.add(id);
    for (const t of l) if (!visited.has(t)) stack.push(t);
  }
  return {
    added: new Set(added.keys()), changed: new Set(changed.keys()), removed: new Set(removed.keys()),
    rewired: new Set(rewired.keys()), linked, flowChanged, globalConfigChanged,
  };
}
