// The `memory` context store: values held by reference (no copies) in null-prototype objects, one per scope.
// Synchronous and callback forms; also the cache behind the localfilesystem store.
import { getObjectProperty, setObjectProperty } from '../util/properties.js';
import type { ContextStore, StoreCallback } from './store.js';

type ScopeData = Record<string, unknown>;

export interface MemoryStore extends ContextStore {
  /** The live data of a scope (undefined when it has none); used by stores that persist a cache. */
  scopeData(scope: string): ScopeData | undefined;
  /** Sets a top-level key literally (no path interpretation), as when loading saved data. */
  put(scope: string, key: string, value: unknown): void;
  /** The scopes that hold data. */
  scopes(): string[];
}

const isInvalidExpr = (err: unknown) => (err as { code?: string } | null)?.code === 'INVALID_EXPR';

/** Reads `key` of `data`: a missing parent reads as undefined, a malformed key throws. */
export function readKey(data: ScopeData | undefined, key: string): unknown {
  if (!data) return undefined;
  try {
    return getObjectProperty(data, key);
  } catch (err) {
    if (isInvalidExpr(err)) throw err;
    return undefined;
  }
}

/** Writes each key of `keys` with the value at the same index (null when `values` is shorter). */
export function writeKeys(data: ScopeData, key: string | string[], value: unknown): void {
  const keys = Array.isArray(key) ? key : [key];
  const values = Array.isArray(key) ? (Array.isArray(value) ? value : [value]) : [value];
  for (let i = 0; i < keys.length; i++) setObjectProperty(data, keys[i]!, i < values.length ? values[i] : null);
}

export const emptyScope = (): ScopeData => Object.create(null) as ScopeData;

// Node-RED hides these names in the global scope (they were once the context object's own methods)
const HIDDEN_GLOBAL_KEYS = new Set(['get', 'set', 'keys']);

export function createMemoryStore(): MemoryStore {
  const data = new Map<string, ScopeData>();
  const scopeFor = (scope: string): ScopeData => {
    let d = data.get(scope);
    if (!d) { d = emptyScope(); data.set(scope, d); }
    return d;
  };

  function get(scope: string, key: string | string[], callback?: StoreCallback): unknown {
    const d = data.get(scope);
    let values: unknown;
    try {
      values = Array.isArray(key) ? key.map((k) => readKey(d, k)) : readKey(d, key);
    } catch (err) {
      if (!callback) throw err;
      callback(err as Error);
      return undefined;
    }
    if (!callback) return values;
    if (Array.isArray(key)) callback(undefined, ...(values as unknown[]));
    else callback(undefined, values);
    return undefined;
  }

  function set(scope: string, key: string | string[], value: unknown, callback?: StoreCallback): void {
    let error: Error | undefined;
    try {
      writeKeys(scopeFor(scope), key, value);
    } catch (err) {
      if (!callback) throw err;
      error = err as Error;
    }
    callback?.(error);
  }

  function keys(scope: string, callback?: StoreCallback): string[] | void {
    const d = data.get(scope);
    let list = d ? Object.keys(d) : [];
    if (scope === 'global') list = list.filter((k) => !HIDDEN_GLOBAL_KEYS.has(k));
    if (!callback) return list;
    callback(null, list);
  }

  return {
    open: async () => {},
    close: async () => {},
    get,
    set,
    keys,
    delete: async (scope) => { data.delete(scope); },
    clean: async (activeNodes) => {
      const active = new Set(activeNodes);
      for (const scope of [...data.keys()]) {
        if (scope !== 'global' && !active.has(scope.split(':')[0]!)) data.delete(scope);
      }
    },
    scopeData: (scope) => data.get(scope),
    put: (scope, key, value) => { scopeFor(scope)[key] = value; },
    scopes: () => [...data.keys()],
  };
}
