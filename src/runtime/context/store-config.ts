// settings.contextStorage -> the store instances (COMPAT C11): name rules, `default` as a store or as the
// name of another, first entry as default otherwise, built-in modules by name or a store implementation.
import type { Logger } from '../logger.js';
import type { ContextStore, StoreConfig, StoreModule } from './store.js';
import { createMemoryStore } from './memory-store.js';
import { createFileStore } from './file-store.js';
import { createRedisStore } from './redis-store.js';

export interface StoreSet {
  /** By name; "_" is the default store. */
  stores: Map<string, ContextStore>;
  /** The default store's name as the editor sees it. */
  defaultName: string;
  /** Names listed in /settings and accepted by the admin API's `store=`. */
  names: string[];
  /** Whether contextStorage configured any store (node context then survives node restarts). */
  configured: boolean;
}

const BUILT_IN: Record<string, (config: StoreConfig, logger: Logger) => ContextStore> = {
  memory: () => createMemoryStore(),
  localfilesystem: (config, logger) => createFileStore(config, logger),
  redis: (config, logger) => createRedisStore(config, logger),
};

const NAME = /^[a-zA-Z0-9_]+$/;
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isClass = (fn: Function) => /^class[\s{]/.test(Function.prototype.toString.call(fn));

/** The store set used before (or without) contextStorage: one memory store named "memory". */
export function defaultStoreSet(): StoreSet {
  return { stores: new Map([['_', createMemoryStore()]]), defaultName: 'memory', names: ['memory'], configured: false };
}

/** Creates the stores contextStorage describes. Throws "Error loading context store: ..." on a bad entry. */
export function createStoreSet(contextStorage: unknown, opts: { userDir?: string; logger: Logger }): StoreSet {
  try {
    return buildStores(contextStorage, opts);
  } catch (err) {
    throw new Error(`Error loading context store: ${String(err)}`);
  }
}

function buildStores(contextStorage: unknown, { userDir, logger }: { userDir?: string; logger: Logger }): StoreSet {
  const plugins = (contextStorage !== null && typeof contextStorage === 'object' ? contextStorage : {}) as Record<string, unknown>;
  const names = Object.keys(plugins);
  if (names.length === 0) {
    logger.info(`Context store  : 'default' [module=memory]`);
    return defaultStoreSet();
  }
  const stores = new Map<string, ContextStore>();
  const hasDefault = has(plugins, 'default');
  let defaultIsAlias = false;
  let firstName: string | undefined;
  for (const name of names) {
    if (name === '_') continue;
    if (!NAME.test(name)) throw new Error(`Invalid context store name: '${name}'`);
    const entry = plugins[name];
    if (name === 'default' && typeof entry === 'string') {
      if (!has(plugins, entry)) throw new Error(`Default context store unknown: '${entry}'`);
      defaultIsAlias = true;
      continue;
    }
    if (!hasDefault && !firstName) firstName = name;
    if (entry === null || typeof entry !== 'object' || !has(entry, 'module')) {
      throw new Error(`Context store '${name}' missing 'module' option`);
    }
    const { module, config } = entry as { module: unknown; config?: Record<string, unknown> };
    const storeConfig: StoreConfig = { ...(config ?? {}), settings: { userDir } };
    stores.set(name, instantiate(name, module, storeConfig, logger));
    const info = typeof module === 'string' ? module : 'custom';
    logger.info(`Context store  : '${name}' [module=${info}]`);
  }
  let defaultName: string;
  const fallback = createMemoryStore();
  if (hasDefault) {
    defaultName = defaultIsAlias ? (plugins.default as string) : 'default';
    stores.set('_', stores.get(defaultName) ?? fallback);
  } else if (firstName) {
    defaultName = firstName;
    defaultIsAlias = true;
    stores.set('_', stores.get(firstName)!);
  } else {
    defaultName = 'memory';
    stores.set('_', fallback);
  }
  const listed = [...stores.keys()].filter((n) => n !== '_' && !(defaultIsAlias && n === 'default'));
  return { stores, defaultName, names: listed, configured: true };
}

function instantiate(name: string, module: unknown, config: StoreConfig, logger: Logger): ContextStore {
  if (typeof module === 'string') {
    const make = has(BUILT_IN, module) ? BUILT_IN[module] : undefined;
    if (!make) throw new Error(`Error loading context store '${module}': Error: Cannot find module './${module}'`);
    return make(config, logger);
  }
  let store: unknown;
  try {
    if (typeof module !== 'function') throw new TypeError('module is not a function');
    store = isClass(module) ? new (module as new (c: StoreConfig) => unknown)(config) : (module as StoreModule & ((c: StoreConfig) => unknown))(config);
  } catch (err) {
    throw new Error(`Error loading context store '${name}': ${String(err)}`);
  }
  return asStore(name, store);
}

/** Checks a custom store's shape; missing lifecycle methods become no-ops. */
function asStore(name: string, store: unknown): ContextStore {
  const s = store as Partial<ContextStore> | null;
  if (!s || typeof s !== 'object' || typeof s.get !== 'function' || typeof s.set !== 'function' || typeof s.keys !== 'function') {
    throw new Error(`Error loading context store '${name}': Error: the store must have get, set and keys functions`);
  }
  const call = (m: 'open' | 'close' | 'delete' | 'clean', arg?: unknown) =>
    typeof s[m] === 'function' ? Promise.resolve((s[m] as (a?: unknown) => unknown).call(s, arg)).then(() => undefined) : Promise.resolve();
  return {
    open: () => call('open'),
    close: () => call('close'),
    get: (scope, key, cb) => s.get!.call(s, scope, key, cb),
    set: (scope, key, value, cb) => s.set!.call(s, scope, key, value, cb),
    keys: (scope, cb) => s.keys!.call(s, scope, cb),
    delete: (scope) => call('delete', scope),
    clean: (active) => call('clean', active),
  };
}
