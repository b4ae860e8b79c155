// Node, flow and global context: scopes over named stores (memory in this version), sync and callback forms,
// `#:(store)::key` selectors, key paths, functionGlobalContext seeding (COMPAT C10).
import { getObjectProperty, setObjectProperty } from './util/properties.js';
import type { Logger } from './logger.js';

export type Callback = (err: Error | null, ...values: unknown[]) => void;

export interface ContextHandle {
  get(key: string | string[], store?: string | Callback, cb?: Callback): unknown;
  set(key: string | string[], value: unknown, store?: string | Callback, cb?: Callback): void;
  keys(store?: string | Callback, cb?: Callback): string[] | void;
  flow?: ContextHandle;
  global?: ContextHandle;
}

/** A context store: holds values by scope ("global", flow id, "nodeId:flowId"). */
export interface ContextStore {
  get(scope: string, key: string): unknown;
  set(scope: string, key: string, value: unknown): void;
  keys(scope: string): string[];
  delete(scope: string): void;
  /** Removes every scope not in `activeIds` (except global). */
  clean(activeIds: Set<string>): void;
  /** Stores a value under a literal top-level key. */
  seed(scope: string, key: string, value: unknown): void;
}

export function createMemoryStore(): ContextStore {
  const data = new Map<string, Record<string, unknown>>();
  const scopeData = (scope: string) => {
    let d = data.get(scope);
    if (!d) { d = Object.create(null) as Record<string, unknown>; data.set(scope, d); }
    return d;
  };
  return {
    get: (scope, key) => {
      const d = data.get(scope);
      if (!d) return undefined;
      try { return getObjectProperty(d, key); } catch { return undefined; }
    },
    set: (scope, key, value) => { setObjectProperty(scopeData(scope), key, value, true); },
    keys: (scope) => Object.keys(data.get(scope) ?? {}),
    delete: (scope) => { data.delete(scope); },
    seed: (scope, key, value) => { scopeData(scope)[key] = value; },
    clean: (active) => {
      for (const scope of data.keys()) {
        if (scope === 'global') continue;
        const [a, b] = scope.split(':');
        if (!active.has(a!) || (b !== undefined && !active.has(b))) data.delete(scope);
      }
    },
  };
}

const STORE_KEY = /^#:\((\S+?)\)::(.*)$/;

/** Splits `#:(store)::key` into its parts. */
function splitStore(key: string): { store?: string; key: string } {
  if (key.charCodeAt(0) !== 35 /* # */) return { key };
  const m = STORE_KEY.exec(key);
  return m ? { store: m[1], key: m[2]! } : { key };
}

export interface ContextManager {
  global: ContextHandle;
  flow(flowId: string, parent?: ContextHandle): ContextHandle;
  node(nodeId: string, flowId: string, flowCtx: ContextHandle): ContextHandle;
  deleteNode(nodeId: string, flowId: string): void;
  deleteFlow(flowId: string): void;
  clean(activeIds: Set<string>): void;
  storeNames(): string[];
  defaultStore(): string;
  store(name?: string): ContextStore | undefined;
  /** Keys seeded from functionGlobalContext (shown in every store's global keys). */
  seededKeys(): string[];
}

export function createContextManager(opts: { logger: Logger; globalValues?: Record<string, unknown> }): ContextManager {
  const stores = new Map<string, ContextStore>([['memory', createMemoryStore()]]);
  const defaultName = 'memory';
  const warned = new Set<string>();
  const pick = (name: string | undefined): ContextStore => {
    if (name === undefined || name === 'default') return stores.get(defaultName)!;
    const s = stores.get(name);
    if (s) return s;
    if (!warned.has(name)) {
      warned.add(name);
      opts.logger.warn(`Unknown context store '${name}' specified. Using default store.`);
    }
    return stores.get(defaultName)!;
  };

  const handle = (scope: string): ContextHandle => {
    const get = (key: string | string[], store?: string | Callback, cb?: Callback): unknown => {
      if (typeof store === 'function') { cb = store; store = undefined; }
      const read = (k: string) => { const p = splitStore(k); return pick(p.store ?? (store as string | undefined)).get(scope, p.key); };
      if (Array.isArray(key)) {
        const values = key.map(read);
        if (cb) { cb(null, ...values); return undefined; }
        return values;
      }
      const v = read(key);
      if (cb) { cb(null, v); return undefined; }
      return v;
    };
    const set = (key: string | string[], value: unknown, store?: string | Callback, cb?: Callback): void => {
      if (typeof store === 'function') { cb = store; store = undefined; }
      try {
        if (Array.isArray(key)) {
          const values = Array.isArray(value) ? value : [value];
          key.forEach((k, i) => { const p = splitStore(k); pick(p.store ?? (store as string | undefined)).set(scope, p.key, values[i]); });
        } else {
          const p = splitStore(key);
          pick(p.store ?? (store as string | undefined)).set(scope, p.key, value);
        }
      } catch (err) {
        if (cb) { cb(err as Error); return; }
        throw err;
      }
      cb?.(null);
    };
    const keys = (store?: string | Callback, cb?: Callback): string[] | void => {
      if (typeof store === 'function') { cb = store; store = undefined; }
      const list = pick(store as string | undefined).keys(scope);
      if (cb) { cb(null, list); return; }
      return list;
    };
    return { get, set, keys };
  };

  const global = handle('global');
  const seeded = Object.keys(opts.globalValues ?? {});
  // seeded by reference under the literal key (no path interpretation), as Node-RED does
  for (const k of seeded) stores.get(defaultName)!.seed('global', k, opts.globalValues![k]);

  return {
    global,
    flow(flowId, parent) {
      const h = handle(flowId);
      h.global = global;
      if (parent) h.flow = parent;
      return h;
    },
    node(nodeId, flowId, flowCtx) {
      const h = handle(`${nodeId}:${flowId}`);
      h.flow = flowCtx;
      h.global = global;
      return h;
    },
    deleteNode: (nodeId, flowId) => { for (const s of stores.values()) s.delete(`${nodeId}:${flowId}`); },
    deleteFlow: (flowId) => { for (const s of stores.values()) s.delete(flowId); },
    clean: (active) => { for (const s of stores.values()) s.clean(active); },
    storeNames: () => [...stores.keys()],
    defaultStore: () => defaultName,
    store: (name) => (name === undefined ? stores.get(defaultName) : stores.get(name)),
    seededKeys: () => seeded,
  };
}
