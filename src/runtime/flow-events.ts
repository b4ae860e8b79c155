// Routing of node errors, status and completion to the catch, status and complete nodes of a flow
// (COMPAT C8): scopes, group distance, `uncaught`, the error-loop limit. Built once per flow start.
import type { Node, NodeStatus } from './node.js';
import type { NodeConfig } from './types.js';
import { cloneMessage } from './util/clone.js';

interface ScopedNode extends Node { scope?: unknown; uncaught?: boolean }

export interface FlowEventTargets {
  catchNodes: ScopedNode[];
  statusNodes: ScopedNode[];
  completeNodes: Map<string, ScopedNode[]>;
  groups: Map<string, NodeConfig>;
}

export function buildEventTargets(nodes: Iterable<Node>, groups: NodeConfig[]): FlowEventTargets {
  const t: FlowEventTargets = { catchNodes: [], statusNodes: [], completeNodes: new Map(), groups: new Map(groups.map((g) => [g.id, g])) };
  for (const n of nodes as Iterable<ScopedNode>) {
    if (n.type === 'catch') t.catchNodes.push(n);
    else if (n.type === 'status') t.statusNodes.push(n);
    else if (n.type === 'complete' && Array.isArray(n.scope)) {
      for (const id of n.scope as string[]) {
        const list = t.completeNodes.get(id) ?? [];
        list.push(n);
        t.completeNodes.set(id, list);
      }
    }
  }
  // scoped catch nodes first, then the plain ones, `uncaught` ones last
  const rank = (n: ScopedNode) => (n.scope ? 0 : n.uncaught ? 2 : 1);
  t.catchNodes.sort((a, b) => rank(a) - rank(b));
  return t;
}

/** Candidates for an event reported by `reporter`, nearest group first; undefined = not a candidate. */
function candidates(list: ScopedNode[], reporter: Node, groups: Map<string, NodeConfig>): ScopedNode[] {
  const out: Array<{ d: number; n: ScopedNode }> = [];
  for (const target of list) {
    if (target.g && target.scope === 'group' && !reporter.g) continue;
    if (Array.isArray(target.scope) && !target.scope.includes(reporter.id)) continue;
    let d = 0;
    if (reporter.g) {
      let group = groups.get(reporter.g);
      while (group && group.id !== target.g) { d++; group = group.g ? groups.get(group.g) : undefined; }
      if (!group && target.g && target.scope === 'group') continue;
    }
    out.push({ d, n: target });
  }
  return out.sort((a, b) => a.d - b.d).map((c) => c.n);
}

/**
 * Sends an error to the catch nodes; false when none took it. `reporter` picks the candidates (a subflow
 * instance reports for the nodes inside it); the error's source is always `node`.
 */
export function routeError(t: FlowEventTargets, node: Node, err: unknown, msg: Record<string, unknown> | undefined, reporter: Node = node): boolean {
  let count = 1;
  const prev = msg?.error as { source?: { id?: string; count?: number } } | undefined;
  if (prev && typeof prev === 'object' && prev.source && prev.source.id === node.id) {
    count = (prev.source.count ?? 0) + 1;
    if (count === 10) {
      node.warn('Message exceeded maximum number of catches');
      return false;
    }
  }
  let handled = false;
  let handledByUncaught = false;
  for (const target of candidates(t.catchNodes, reporter, t.groups)) {
    if (target.uncaught && !handledByUncaught) {
      if (handled) continue;
      handledByUncaught = true;
    }
    const m: Record<string, unknown> = msg ? cloneMessage(msg) : {};
    if (Object.prototype.hasOwnProperty.call(m, 'error')) m._error = m.error;
    const e = err as Record<string, unknown> | null | undefined;
    const error: Record<string, unknown> = {
      message: String(err),
      source: { id: node.id, type: node.type, name: node.name, count },
    };
    if (e && typeof e === 'object') {
      for (const k of ['code', 'stack', 'cause']) if (Object.prototype.hasOwnProperty.call(e, k)) error[k] = e[k];
    }
    m.error = error;
    target.receive(m);
    handled = true;
  }
  return handled;
}

export function routeStatus(t: FlowEventTargets, node: Node, status: NodeStatus, reporter: Node = node): boolean {
  let handled = false;
  for (const target of candidates(t.statusNodes, reporter, t.groups)) {
    const s: Record<string, unknown> = cloneMessage(status) as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(status, 'text')) s.text = String(status.text);
    s.source = { id: node.id, type: node.type, name: node.name };
    target.receive({ status: s });
    handled = true;
  }
  return handled;
}

export function routeComplete(t: FlowEventTargets, node: Node, msg: Record<string, unknown>): void {
  const targets = t.completeNodes.get(node.id);
  if (!targets) return;
  for (const target of targets) {
    const m = cloneMessage(msg);
    m.complete = { source: { id: node.id, type: node.type, name: node.name } };
    target.receive(m);
  }
}
