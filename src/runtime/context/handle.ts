// One context scope as nodes see it (COMPAT C10): get/set/keys with an optional store and callback,
// `#:(store)::key` selectors, `$parent.` keys, key validation, and functionGlobalContext as the fallback
// for global reads.
import { getObjectProperty } from '../util/properties.js';
import { parseContextStore } from '../util/typed-value.js';
import type { ContextStore, StoreCallback } from './store.js';

export type Callback = StoreCallback;

export interface ContextHandle {
  get(key: string | string[], store?: string | Callback, cb?: Callback): unknown;
  set(key: string | string[], value: unknown, store?: string | Callback, cb?: Callback): void;
  keys(store?: string | Callback, cb?: Callback): string[] | void;
  flow?: ContextHandle;
  global?: ContextHandle;
}

export interface HandleOptions {
  /** The store for a name ("_" = default); unknown names fall back to the default. */
  pick(name: string | undefined): ContextStore;
  /** functionGlobalContext (global scope only): read when the store has no value. */
  seed?: Record<string, unknown>;
  /** Whether seed keys are listed by keys(). */
  exportSeedKeys?: boolean;
  /** The enclosing flow's context, for `$parent.` keys. */
  parent?: ContextHandle;
}

function validKey(key: unknown): boolean {
  const keys = Array.isArray(key) ? key : [key];
  return keys.length > 0 && keys.every((k) => typeof k === 'string' && k.length > 0);
}

function seedValue(seed: Record<string, unknown>, key: string): unknown {
  try {
    return getObjectProperty(seed, key);
  } catch (err) {
    if ((err as { code?: string }).code === 'INVALID_EXPR') throw err;
    return undefined;
  }
}

/** Splits `$parent.x` keys: undefined when the key is not one, else the context and key to use. */
function followParent(parent: ContextHandle | undefined, key: string): { ctx?: ContextHandle; key?: string } | undefined {
  if (key === '$parent') return { ctx: parent };
  if (!key.startsWith('$parent.')) return undefined;
  let rest = key.substring(8);
  let ctx: any = parent;
  while (ctx && rest.startsWith('$parent.')) { ctx = ctx.$parent; rest = rest.substring(8); }
  return { ctx, key: rest };
}

export function createHandle(scope: string, opts: HandleOptions): ContextHandle {
  const { seed, parent } = opts;
  const seedKeys = seed ? Object.keys(seed) : [];

  /** Shared start of get/set: argument shuffling and checks. Returns the resolved key/store, or done. */
  function prepare(key: unknown, store: unknown, cb: unknown): { key: string | string[]; store: string; cb?: Callback } | { error: Error; cb?: Callback } {
    if (!cb && typeof store === 'function') { cb = store; store = undefined; }
    if (cb && typeof cb !== 'function') throw new Error('Callback must be a function');
    const callback = cb as Callback | undefined;
    if (!validKey(key)) return { error: new Error('Invalid context key'), cb: callback };
    if (Array.isArray(key)) return { key, store: (store as string) || '_', cb: callback };
    const parts = parseContextStore(key as string);
    return { key: parts.key, store: (store as string) || parts.store || '_', cb: callback };
  }

  const handle: ContextHandle & { $parent?: ContextHandle } = {
    get(key, store, cb) {
      const p = prepare(key, store, cb);
      if ('error' in p) { if (p.cb) { p.cb(p.error); return undefined; } throw p.error; }
      if (!Array.isArray(p.key)) {
        const up = followParent(parent, p.key);
        if (up) {
          if (up.ctx && up.key) return up.ctx.get(up.key, p.store, p.cb);
          if (p.cb) { p.cb(undefined); return undefined; }
          return undefined;
        }
      }
      const target = opts.pick(p.store);
      const k = p.key;
      if (p.cb) {
        const done = p.cb;
        if (!seed) { target.get(scope, k, done); return undefined; }
        target.get(scope, k, (err, ...values) => {
          if (err) { done(err); return; }
          try {
            if (Array.isArray(k)) k.forEach((one, i) => { if (values[i] === undefined) values[i] = seedValue(seed, one); });
            else if (values[0] === undefined) values[0] = seedValue(seed, k);
          } catch (e) { done(e as Error); return; }
          done(undefined, ...(Array.isArray(k) ? values : [values[0]]));
        });
        return undefined;
      }
      const result = target.get(scope, k);
      if (!seed) return result;
      if (Array.isArray(k)) {
        const values = result as unknown[];
        k.forEach((one, i) => { if (values[i] === undefined) values[i] = seedValue(seed, one); });
        return values;
      }
      return result === undefined ? seedValue(seed, k) : result;
    },

    set(key, value, store, cb) {
      const p = prepare(key, store, cb);
      if ('error' in p) { if (p.cb) { p.cb(p.error); return; } throw p.error; }
      if (!Array.isArray(p.key)) {
        const up = followParent(parent, p.key);
        if (up) {
          if (up.ctx && up.key) { up.ctx.set(up.key, value, p.store, p.cb); return; }
          p.cb?.();
          return;
        }
      }
      opts.pick(p.store).set(scope, p.key, value, p.cb);
    },

    keys(store, cb) {
      let target: ContextStore;
      if (!store && !cb) {
        target = opts.pick('_');
      } else {
        if (typeof store === 'function') { cb = store; store = '_'; }
        if (cb && typeof cb !== 'function') throw new Error('Callback must be a function');
        target = opts.pick(store as string | undefined);
      }
      if (!seed || opts.exportSeedKeys === false) return target.keys(scope, cb);
      const merge = (list: string[] | undefined) => [...new Set([...seedKeys, ...(list ?? [])])];
      if (cb) {
        const done = cb;
        target.keys(scope, (err, list) => (err ? done(err) : done(err, merge(list))));
        return undefined;
      }
      return merge(target.keys(scope) as string[]);
    },
  };
  if (parent) Object.defineProperty(handle, '$parent', { value: parent });
  return handle;
}
