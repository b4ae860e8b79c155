// The message path while RED.hooks has message hooks, as Node-RED runs it: a send becomes SendEvents
// ({msg, source:{id,node,port}, destination:{id,node}, cloneMessage}) that go through onSend (all of them),
// then each through preRoute, its clone, preDeliver, the delivery queue and postDeliver; a node about to
// handle a message runs onReceive first and postReceive after its handlers; done() runs onComplete. A hook
// that halts (false) drops the message there; one that fails is reported as the node's error.
import type { Hooks, HookResult } from '../registry/hooks.js';
import type { Node } from './node.js';
import { generateId } from './util/id.js';

export interface SendEvent {
  msg: Record<string, unknown>;
  source: { id: string; node: Node; port: number };
  destination: { id: string; node: Node | undefined };
  cloneMessage: boolean;
}

const failed = (r: HookResult): boolean => r !== undefined && r !== false && r !== null;

/** node.send(msg) with hooks: the events in Node-RED's order (output, wire, message), clones marked. */
export function sendWithHooks(node: Node, hooks: Hooks, msg: unknown, targets: Node[][]): void {
  const outputs = Array.isArray(msg) ? msg : [msg];
  const events: SendEvent[] = [];
  /** The node each event was wired to (a hook may name another destination id). */
  const wired: Node[] = [];
  let firstId: unknown;
  let missing = false;
  for (let port = 0; port < targets.length && port < outputs.length; port++) {
    const entry = outputs[port];
    if (entry === null || entry === undefined) continue;
    const list = Array.isArray(entry) ? entry : [entry];
    for (const to of targets[port]!) {
      for (const m of list) {
        if (m === null || m === undefined) continue;
        if (typeof m !== 'object') { node._badMessage(m); continue; }
        const rec = m as Record<string, unknown>;
        if (!rec._msgid) missing = true;
        firstId ??= rec._msgid;
        events.push({ msg: rec, source: { id: node.id, node, port }, destination: { id: to.id, node: undefined }, cloneMessage: events.length > 0 });
        wired.push(to);
      }
    }
  }
  if (events.length === 0) return;
  if (missing) {
    const id = firstId || generateId();
    for (const e of events) if (!e.msg._msgid) e.msg._msgid = id;
  }
  hooks.trigger('onSend', events, (r) => {
    if (failed(r)) { node.error(r); return; }
    if (r === false) return;
    events.forEach((e, i) => preRoute(hooks, e, wired[i]!));
  });
}

function preRoute(hooks: Hooks, e: SendEvent, wiredTo: Node): void {
  const from = e.source.node;
  hooks.trigger('preRoute', e, (r) => {
    if (failed(r)) { from.error(r); return; }
    if (r === false) return;
    const to = e.destination.id === wiredTo.id ? wiredTo : from._flow.getNode(e.destination.id);
    e.destination.node = to;
    if (!to || typeof to !== 'object') return;
    if (e.cloneMessage) e.msg = from._flow.clone(e.msg);
    hooks.trigger('preDeliver', e, (r2) => {
      if (failed(r2)) { from.error(r2); return; }
      if (r2 === false) return;
      from._flow.deliver(from, to, e.msg);
      hooks.trigger('postDeliver', e, (r3) => { if (failed(r3)) from.error(r3); });
    });
  });
}

/** A node's handling of one message with onReceive before and postReceive after its input handlers. */
export function receiveWithHooks(node: Node, hooks: Hooks, msg: Record<string, unknown>, handle: () => void): void {
  const event = { msg, destination: { id: node.id, node } };
  hooks.trigger('onReceive', event, (r) => {
    if (failed(r)) { node.error(r); return; }
    if (r === false) return;
    handle();
    hooks.trigger('postReceive', event, (r2) => { if (failed(r2)) node.error(r2); });
  });
}

/** onComplete for a done() call (with its error, if any). */
export function completeWithHooks(node: Node, hooks: Hooks, msg: Record<string, unknown>, error: unknown): void {
  hooks.trigger('onComplete', { msg, error, node: { id: node.id, node } }, (r) => { if (failed(r)) node.error(r); });
}
