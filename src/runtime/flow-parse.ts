// Splits a flows array into tabs, their nodes and config nodes, global config nodes and subflow templates
// with their members and instances (Node-RED's rule: a node with x and y is a flow node, otherwise a config node). Pure: the config given
// is not changed. Ids are keys, as in Node-RED's parsed config: of two tabs, subflows, or nodes of one list
// (a tab's flow nodes, its config nodes, its groups, the global config nodes) sharing an id, the last one is
// kept, at the place of the first.
import type { FlowConfig, NodeConfig } from './types.js';

export interface TabConfig {
  tab: NodeConfig;
  configs: NodeConfig[];
  nodes: NodeConfig[];
  groups: NodeConfig[];
}

/** A subflow definition: its `subflow` node and the nodes inside it (run only through its instances). */
export interface SubflowTemplate {
  def: NodeConfig;
  configs: NodeConfig[];
  nodes: NodeConfig[];
  groups: NodeConfig[];
  /** Its instances (`subflow:<id>` flow nodes), on tabs or inside other subflows. */
  instances: NodeConfig[];
}

export interface ParsedFlows {
  tabs: Map<string, TabConfig>;
  globalConfigs: NodeConfig[];
  subflows: Map<string, SubflowTemplate>;
  /** Types used in the flows that are not registered, in first-seen order. */
  missingTypes: string[];
}

const SUBFLOW_INSTANCE = /^subflow:(.+)$/;

export function parseFlows(config: FlowConfig, isRegistered: (type: string) => boolean): ParsedFlows {
  const tabs = new Map<string, TabConfig>();
  const subflows = new Map<string, SubflowTemplate>();
  for (const n of config) {
    if (n.type === 'tab') tabs.set(n.id, { tab: n, configs: [], nodes: [], groups: [] });
    else if (n.type === 'subflow') subflows.set(n.id, { def: n, configs: [], nodes: [], groups: [], instances: [] });
  }
  const globalConfigs: NodeConfig[] = [];
  // where each id sits in each list, so that a later node with the same id replaces the earlier one in place
  const slots = new Map<NodeConfig[], Map<string, number>>();
  const put = (list: NodeConfig[], node: NodeConfig) => {
    let ids = slots.get(list);
    if (!ids) { ids = new Map(); slots.set(list, ids); }
    const at = ids.get(node.id);
    if (at === undefined) { ids.set(node.id, list.length); list.push(node); } else list[at] = node;
  };
  const missing = new Set<string>();
  const linkTargets = new Map<string, Set<string>>();
  const linkOuts: NodeConfig[] = [];
  for (const n of config) {
    if (n.type === 'tab' || n.type === 'subflow') continue;
    if (n.type === 'group') {
      const container = n.z ? tabs.get(n.z) ?? subflows.get(n.z) : undefined;
      if (container) put(container.groups, n);
      continue;
    }
    const sub = SUBFLOW_INSTANCE.exec(n.type);
    if (sub ? !subflows.has(sub[1]!) : !isRegistered(n.type)) missing.add(n.type);
    const isFlowNode = Object.prototype.hasOwnProperty.call(n, 'x') && Object.prototype.hasOwnProperty.call(n, 'y');
    if (sub && isFlowNode) subflows.get(sub[1]!)?.instances.push(n);
    let tab: TabConfig | SubflowTemplate | undefined = n.z ? tabs.get(n.z) ?? subflows.get(n.z) : undefined;
    if (n.z && !tab) {
      // a node on a tab that is not in the config: Node-RED makes up the tab
      tab = { tab: { id: n.z, type: 'tab' }, configs: [], nodes: [], groups: [] };
      tabs.set(n.z, tab);
    }
    // a link out gets wires of its own below: a copy, so the config given is never changed
    const node = n.type === 'link out' && Array.isArray(n.links) ? { ...n } : n;
    put(!tab ? globalConfigs : isFlowNode ? tab.nodes : tab.configs, node);
    if (n.type === 'link in' && Array.isArray(n.links)) {
      for (const id of n.links as string[]) addLink(linkTargets, id, n.id);
    } else if (node !== n) {
      for (const id of n.links as string[]) addLink(linkTargets, n.id, id);
      linkOuts.push(node);
    }
  }
  // link out nodes are wired to their link in nodes (either side may list the link)
  for (const n of linkOuts) n.wires = [[...(linkTargets.get(n.id) ?? [])]];
  return { tabs, globalConfigs, subflows, missingTypes: [...missing] };
}

function addLink(map: Map<string, Set<string>>, from: string, to: string): void {
  let s = map.get(from);
  if (!s) { s = new Set(); map.set(from, s); }
  s.add(to);
}
