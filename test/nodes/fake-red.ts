// Test double for node unit tests: a small RED (createNode/registerType/comms/settings) and a FlowHost
// that records what nodes send, log, report and show, with two sync context stores and an async one.
import type { FlowHost } from '../../src/runtime/flow-host.js';
import type { ContextHandle, Callback } from '../../src/runtime/context.js';
import { Node, initNode, inheritNode } from '../../src/runtime/node.js';
import type { NodeStatus } from '../../src/runtime/node.js';
import type { RED } from '../../src/registry/red-types.js';
import type { NodeConfig } from '../../src/runtime/types.js';
import { cloneMessage } from '../../src/runtime/util/clone.js';
import { getObjectProperty, setObjectProperty } from '../../src/runtime/util/properties.js';

/** Resolves once `check` passes (polling), or with its last failure after `ms`. */
export async function eventually(check: () => void, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try { check(); return; } catch (e) { if (Date.now() > end) throw e; }
    await new Promise((r) => setTimeout(r, 2));
  }
}

export interface CaughtError { message: string; err: unknown; msg: Record<string, unknown> }

const STORE_KEY = /^#:\((\S+?)\)::(.*)$/;

/** Context stores by name: `default` and `other` answer synchronously, `slow` only through callbacks. */
export class FakeContexts {
  private data = new Map<string, Record<string, unknown>>();

  private scopeData(store: string, scope: string) {
    const name = store === 'other' || store === 'slow' ? store : 'default';
    const id = `${name}/${scope}`;
    let d = this.data.get(id);
    if (!d) { d = Object.create(null) as Record<string, unknown>; this.data.set(id, d); }
    return d;
  }

  handle(scope: string): ContextHandle {
    const resolve = (key: string, store?: string) => {
      const m = STORE_KEY.exec(key);
      return m ? { store: m[1]!, key: m[2]! } : { store: store ?? 'default', key };
    };
    const run = (store: string, cb: Callback | undefined, fn: () => unknown): unknown => {
      if (store === 'slow') {
        if (!cb) throw new Error('slow store: only asynchronous access supported');
        setImmediate(() => { try { cb(null, fn()); } catch (e) { cb(e as Error); } });
        return undefined;
      }
      if (!cb) return fn();
      let v: unknown;
      try { v = fn(); } catch (e) { cb(e as Error); return undefined; }
      cb(null, v);
      return undefined;
    };
    return {
      get: (key, store, cb) => {
        if (typeof store === 'function') { cb = store; store = undefined; }
        const r = resolve(key as string, store as string | undefined);
        return run(r.store, cb, () => {
          try { return getObjectProperty(this.scopeData(r.store, scope), r.key); } catch { return undefined; }
        });
      },
      set: (key, value, store, cb) => {
        if (typeof store === 'function') { cb = store; store = undefined; }
        const r = resolve(key as string, store as string | undefined);
        run(r.store, cb, () => { setObjectProperty(this.scopeData(r.store, scope), r.key, value, true); });
      },
      keys: (store, cb) => {
        if (typeof store === 'function') { cb = store; store = undefined; }
        const keys = Object.keys(this.scopeData((store as string) ?? 'default', scope));
        if (cb) { cb(null, keys); return undefined; }
        return keys;
      },
    };
  }
}

export class FakeFlow implements FlowHost {
  readonly id = 'flow1';
  readonly path = 'flow1';
  readonly closeTimeout = 1000;
  readonly contexts = new FakeContexts();
  readonly flowCtx: ContextHandle;
  readonly globalCtx: ContextHandle;
  /** Messages sent by nodes, in order. */
  readonly sent: Array<{ from: string; msg: Record<string, unknown> }> = [];
  readonly caught: CaughtError[] = [];
  readonly logs: Array<{ level: number; msg: unknown; [k: string]: unknown }> = [];
  readonly statuses: Array<{ id: string; status: NodeStatus }> = [];
  readonly completed: string[] = [];
  env: Record<string, string> = {};
  /** Whether handleError reports errors as caught (a Catch node exists). */
  catching = true;

  constructor() {
    this.flowCtx = this.contexts.handle(this.id);
    this.globalCtx = this.contexts.handle('global');
    this.flowCtx.global = this.globalCtx;
  }

  getNode(): Node | undefined { return undefined; }
  deliver(from: Node, _to: Node, msg: object): void { this.sent.push({ from: from.id, msg: msg as Record<string, unknown> }); }
  clone<T>(msg: T): T { return cloneMessage(msg); }
  handleError(_node: Node, err: unknown, msg: Record<string, unknown>): boolean {
    if (!this.catching) return false;
    this.caught.push({ message: err instanceof Error ? err.toString() : String(err), err, msg: cloneMessage(msg) });
    return true;
  }
  handleStatus(node: Node, status: NodeStatus): boolean { this.statuses.push({ id: node.id, status }); return false; }
  handleComplete(node: Node): void { this.completed.push(node.id); }
  nodeContext(node: Node): ContextHandle {
    const h = this.contexts.handle(`${node.id}:${this.id}`);
    h.flow = this.flowCtx;
    h.global = this.globalCtx;
    return h;
  }
  flowContext(): ContextHandle { return this.flowCtx; }
  log(entry: { level: number; msg: unknown }): void { this.logs.push(entry); }
  getEnv(name: string): unknown { return name in this.env ? this.env[name] : process.env[name]; }

  /** Texts logged at a level (20 error, 30 warn, 40 info). */
  logged(level: number): string[] {
    return this.logs.filter((l) => l.level === level).map((l) => (l.msg instanceof Error ? l.msg.toString() : String(l.msg)));
  }
}

export interface FakeRed { RED: RED; flow: FakeFlow; published: Array<{ topic: string; data: any }>; routes: string[] }

/** A RED for one flow; `register` is a node module's default export. */
export function fakeRed(register: (red: RED) => void, settings: Record<string, unknown> = {}): FakeRed & {
  create(config: Partial<NodeConfig> & { type: string }): Node;
} {
  const flow = new FakeFlow();
  const types = new Map<string, Function>();
  const published: Array<{ topic: string; data: any }> = [];
  const routes: string[] = [];
  const nodes = new Map<string, Node>();
  const sink = new Node({ id: 'sink', type: 'sink', wires: [] }, flow);
  const RED = {
    nodes: {
      registerType: (type: string, ctor: Function) => { inheritNode(ctor); types.set(type, ctor); },
      createNode: (node: object, config: NodeConfig) => initNode(node as Node, config, flow),
      getNode: (id: string) => nodes.get(id),
    },
    settings,
    comms: { publish: (topic: string, data: unknown) => { published.push({ topic, data }); } },
    httpAdmin: {
      post: (path: string) => { routes.push(`POST ${path}`); },
      get: (path: string) => { routes.push(`GET ${path}`); },
    },
    auth: { needsPermission: () => (_req: unknown, _res: unknown, next: () => void) => next() },
  } as unknown as RED;
  register(RED);
  let count = 0;
  const create = (config: Partial<NodeConfig> & { type: string }) => {
    const Ctor = types.get(config.type);
    if (!Ctor) throw new Error(`type ${config.type} not registered`);
    const full = { id: `n${++count}`, z: flow.id, wires: [['sink']], ...config } as NodeConfig;
    const node = new (Ctor as new (c: NodeConfig) => Node)(full);
    node._resolveWires((id) => (id === 'sink' ? sink : undefined));
    nodes.set(node.id, node);
    return node;
  };
  return { RED, flow, published, routes, create };
}
