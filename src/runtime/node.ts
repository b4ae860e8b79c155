// The runtime Node: what every node instance (core or third-party) inherits. Input handlers, send, done,
// close, status, logging, context — the API of Node-RED's Node, with wires resolved to direct references.
import { EventEmitter } from 'node:events';
import type { NodeConfig } from './types.js';
import { LEVELS } from './logger.js';
import type { FlowHost } from './flow-host.js';
import type { ContextHandle } from './context.js';
import { generateId } from './util/id.js';
import { completeWithHooks, receiveWithHooks, sendWithHooks } from './message-hooks.js';

const EMITTER = EventEmitter.prototype;
/** The targets of a node without outputs (shared: never written to). */
const NO_TARGETS: Node[][] = [];
const NO_NODES: Node[] = [];
/**
 * No handlers (shared). Handler lists are replaced, never written to: each has its exact size for as long as
 * the node runs, and a message being handled keeps the list it started with (as Node-RED's loop does).
 */
const NO_HANDLERS: never[] = [];

export type SendFn = (msg: unknown) => void;
export type DoneFn = (err?: unknown) => void;
type InputHandler = (msg: any, send: SendFn, done: DoneFn) => unknown;
type CloseHandler = (...args: any[]) => unknown;

export interface NodeStatus { fill?: string; shape?: string; text?: string; [k: string]: unknown }

// Node-RED's Node inherits EventEmitter's methods without running its constructor: a node gets its
// `_events` table (a dictionary object of ~200 bytes) only when something listens to an event other than
// `input` and `close`, which most nodes never do. Crimson's does the same (the prototype is set below).
export interface Node extends EventEmitter {}
export class Node {
  id!: string;
  type!: string;
  z?: string;
  g?: string;
  name?: string;
  _alias?: string;
  wires!: string[][];
  credentials?: Record<string, unknown>;
  declare _flow: FlowHost;
  /** The node's runtime fields (wires resolved to nodes, handlers, state), in one hidden object. */
  declare _rt: RuntimeState;

  constructor(config: NodeConfig, flow?: FlowHost) {
    initNode(this, config, flow);
  }

  on(event: string | symbol, listener: (...args: any[]) => void): this {
    if (event === 'input') {
      this._rt._inputHandlers = [...this._rt._inputHandlers, listener as InputHandler];
      if (listener.length >= 3) this._rt._doneArity++;
      return this;
    }
    if (event === 'close') {
      this._rt._closeHandlers = [...this._rt._closeHandlers, listener];
      return this;
    }
    return EMITTER.on.call(this, event, listener) as this;
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined || event === 'input') { this._rt._inputHandlers = NO_HANDLERS; this._rt._doneArity = 0; }
    if (event === undefined || event === 'close') this._rt._closeHandlers = NO_HANDLERS;
    // (EventEmitter tells removeAllListeners() from removeAllListeners(undefined) by its argument count)
    return (event === undefined ? EMITTER.removeAllListeners.call(this) : EMITTER.removeAllListeners.call(this, event)) as this;
  }

  /** New wires for a node kept across a modified deploy; the flow resolves them to nodes afterwards. */
  updateWires(wires: string[][]): void {
    this.wires = Array.isArray(wires) ? wires : [];
  }

  /** Called by the flow once every node exists: wires become arrays of target nodes. */
  _resolveWires(lookup: (id: string) => Node | undefined): void {
    const wires = this.wires;
    if (wires.length === 0) { this._rt._targets = NO_TARGETS; return; }
    // arrays of their exact size (slice): a node's wiring lives as long as the node, and push reserves 17 slots
    const targets: Node[][] = [];
    for (let i = 0; i < wires.length; i++) {
      const port = wires[i] ?? [];
      const out: Node[] = [];
      for (const id of port) {
        const n = lookup(id);
        if (n) out.push(n);
      }
      targets.push(out.length === 0 ? NO_NODES : out.slice());
    }
    this._rt._targets = targets.slice();
  }

  /** Sends one message, an array by output, or arrays of messages per output (COMPAT C7). */
  send(msg: unknown): void {
    if (msg === null || msg === undefined || this._rt._closed) return;
    const targets = this._rt._targets;
    if (!targets) return;
    const flow = this._flow;
    if (flow.hooks?.routing) { sendWithHooks(this, flow.hooks, msg, targets); return; }
    // fast path: one message object on output 0
    if (!Array.isArray(msg)) {
      if (typeof msg !== 'object') { this._badMessage(msg); return; }
      const port = targets[0];
      if (!port || port.length === 0) return;
      const m = msg as Record<string, unknown>;
      if (m._msgid === undefined) m._msgid = generateId();
      if (flow.metricsOn) this.metric('send', m);
      if (port.length === 1) { flow.deliver(this, port[0]!, m); return; }
      const clones: unknown[] = [m];
      for (let i = 1; i < port.length; i++) clones.push(flow.clone(m));
      for (let i = 0; i < port.length; i++) flow.deliver(this, port[i]!, clones[i] as object);
      return;
    }
    this._sendMany(msg);
  }

  private _sendMany(msgs: unknown[]): void {
    const targets = this._rt._targets;
    const flow = this._flow;
    const deliveries: Array<[Node, object]> = [];
    let sharedId: string | undefined;
    const n = Math.min(msgs.length, targets.length);
    for (let o = 0; o < n; o++) {
      const entry = msgs[o];
      if (entry === null || entry === undefined) continue;
      const port = targets[o]!;
      const list = Array.isArray(entry) ? entry : [entry];
      for (const m of list) {
        if (m === null || m === undefined) continue;
        if (typeof m !== 'object' || Array.isArray(m)) { this._badMessage(m); continue; }
        const rec = m as Record<string, unknown>;
        if (rec._msgid === undefined) rec._msgid = sharedId ??= generateId();
        for (const t of port) deliveries.push([t, rec]);
      }
    }
    if (deliveries.length === 0) return;
    if (flow.metricsOn) this.metric('send', { _msgid: sharedId ?? (deliveries[0]![1] as { _msgid?: unknown })._msgid });
    // the first delivery gets the object itself, every later one a clone made before anything is delivered
    for (let i = 1; i < deliveries.length; i++) deliveries[i]![1] = flow.clone(deliveries[i]![1]);
    for (const [t, m] of deliveries) flow.deliver(this, t, m);
  }

  _badMessage(m: unknown): void {
    const t = Buffer.isBuffer(m) ? 'buffer' : Array.isArray(m) ? 'array' : typeof m;
    this.error(`Node tried to send a message of type ${t}`);
  }

  /** Delivers a message to this node's input handlers (also used to inject a message from outside). */
  receive(msg?: Record<string, unknown>): void {
    const m = msg ?? {};
    if (m._msgid === undefined) m._msgid = generateId();
    this._handleInput(m);
  }

  /** False when a handler taking `done` has not called it yet: the node goes on asynchronously (delivery.ts). */
  _handleInput(msg: Record<string, unknown>): boolean {
    const hooks = this._flow.hooks;
    if (hooks?.routing) { receiveWithHooks(this, hooks, msg, () => this._runInput(msg)); return true; }
    return this._runInput(msg);
  }

  _runInput(msg: Record<string, unknown>): boolean {
    const handlers = this._rt._inputHandlers;
    if (handlers.length === 0 || this._rt._closed) return true;
    if (this._flow.metricsOn) this.metric('receive', msg);
    const send: SendFn = (this._rt._sendFn ??= (m) => this.send(m));
    const arity = this._rt._doneArity;
    let pending = arity;
    let finished = false;
    const done: DoneFn = (err) => {
      if (finished) return;
      if (!err && --pending > 0) return;
      finished = true;
      if (this._flow.hooks?.routing) completeWithHooks(this, this._flow.hooks, msg, err);
      if (err) this.error(err, msg);
      else this._flow.handleComplete(this, msg);
    };
    for (const h of handlers) {
      try {
        const r = h.call(this, msg, send, done);
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          (r as Promise<unknown>).then(undefined, (err) => done(err ?? new Error('rejected')));
        }
      } catch (err) {
        if (h.length >= 3) done(err);
        else this.error(err, msg);
      }
    }
    return finished || arity === 0;
  }

  /**
   * Runs the close handlers as Node-RED does: `(removed, done)` or `(done)` handlers are waited for, a
   * handler without arguments is not; what a handler throws is ignored. After the flow's close timeout
   * (settings.nodeCloseTimeout, 15 s) the node logs "Error stopping node: Close timed out" and the
   * deploy goes on without it.
   */
  async close(removed: boolean): Promise<void> {
    this._rt._closed = true;
    const timeout = this._flow?.closeTimeout ?? 15000;
    const waits: Array<Promise<void>> = [];
    for (const h of this._rt._closeHandlers) {
      if (h.length === 0) {
        try { h.call(this); } catch { /* Node-RED ignores it too */ }
        continue;
      }
      waits.push(new Promise<void>((resolve) => {
        const done = () => resolve();
        try {
          if (h.length === 2) h.call(this, !!removed, done);
          else h.call(this, done);
        } catch { resolve(); }
      }));
    }
    if (waits.length > 0) {
      try {
        await withTimeout(Promise.all(waits), timeout);
      } catch (err) {
        this.error(`Error stopping node: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this._rt._inputHandlers = NO_HANDLERS;
    this._rt._doneArity = 0;
    EMITTER.removeAllListeners.call(this);
  }

  status(s: unknown): void {
    let st: NodeStatus;
    if (s === null || s === undefined) st = {};
    else if (typeof s === 'object') st = s as NodeStatus;
    else st = { text: String(s) };
    this._flow.handleStatus(this, st);
  }

  context(): ContextHandle {
    return (this._rt._context ??= this._flow.nodeContext(this));
  }

  error(err: unknown, msg?: Record<string, unknown>): void {
    if (typeof err !== 'boolean') err = err || ''; // (Node-RED: a missing message is logged as '')
    const handled = msg ? this._flow.handleError(this, err, msg) : false;
    if (!handled) this._log(LEVELS.error, err);
  }
  warn(m: unknown): void { this._log(LEVELS.warn, m); }
  log(m: unknown): void { this._log(LEVELS.info, m); }
  debug(m: unknown): void { this._log(LEVELS.debug, m); }
  trace(m: unknown): void { this._log(LEVELS.trace, m); }
  /**
   * Without arguments: whether metrics are logged (settings.logging.<handler>.metrics). With an event name:
   * logs Node-RED's metric entry {level: 99, nodeid, event: "node.<type>.<event>", msgid, value}.
   */
  metric(eventname?: string, msg?: { _msgid?: unknown }, value?: unknown): boolean | undefined {
    const flow = this._flow;
    if (eventname === undefined) return flow?.metricsOn === true;
    flow?.logMetric?.({ level: LEVELS.metric, nodeid: this.id, event: `node.${this.type}.${eventname}`, msgid: msg?._msgid, value });
    return undefined;
  }

  /** A log entry in Node-RED's shape and key order; the flow adds its path (the tab id). */
  _log(level: number, m: unknown): void {
    const entry: Record<string, unknown> = { level, id: this.id, type: this.type, msg: m };
    if (this._alias) entry._alias = this._alias;
    if (this.z) entry.z = this.z;
    if (this.name) entry.name = this.name;
    this._flow.log(entry as { level: number; msg: unknown });
  }

  get _path(): string { return (this._flow?.path ?? 'global') + '/' + (this._alias ?? this.id); }
}

Object.setPrototypeOf(Node.prototype, EventEmitter.prototype);

function withTimeout(p: Promise<unknown>, ms: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('Close timed out')), ms);
    t.unref?.();
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

/** Sets a node's own fields from its config; used by the constructor and by RED.nodes.createNode. */
export function initNode(node: Node, config: NodeConfig, flow?: FlowHost): void {
  const n = node as any;
  n.id = config.id;
  n.type = config.type;
  if (config.z !== undefined) n.z = config.z;
  if (config.g !== undefined) n.g = config.g;
  if (config._alias !== undefined) n._alias = config._alias;
  if (config.name) n.name = config.name; // (Node-RED: an empty name is no name, e.g. in an error's source)
  n.wires = Array.isArray(config.wires) ? config.wires : [];
  // two hidden properties, not one per field: a deploy of 10k nodes makes 20k of them, not 80k
  const prev = n._rt as RuntimeState | undefined;
  const rt: RuntimeState = {
    _targets: prev?._targets ?? NO_TARGETS, _inputHandlers: prev?._inputHandlers ?? NO_HANDLERS, _closeHandlers: prev?._closeHandlers ?? NO_HANDLERS,
    _doneArity: prev?._doneArity ?? 0, _context: undefined, _closed: false, _sendFn: undefined,
  };
  Object.defineProperty(node, '_flow', { value: flow ?? n._flow, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(node, '_rt', { value: rt, writable: true, enumerable: false, configurable: true });
}

/** A node's runtime fields, kept in one non-enumerable object (`_rt`). */
interface RuntimeState {
  _targets: Node[][];
  _inputHandlers: InputHandler[];
  _closeHandlers: CloseHandler[];
  _doneArity: number;
  _context: ContextHandle | undefined;
  _closed: boolean;
  /** The `send` given to input handlers (the same function for every message). */
  _sendFn: SendFn | undefined;
}

/** Makes a plain constructor function (or class) inherit from Node, as registerType does. */
export function inheritNode(ctor: Function): void {
  if (ctor.prototype instanceof Node || ctor.prototype === Node.prototype) return;
  Object.setPrototypeOf(ctor.prototype, Node.prototype);
}
