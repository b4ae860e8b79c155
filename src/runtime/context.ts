// The context manager (COMPAT C10, C11): node, flow and global handles over the stores of
// settings.contextStorage (built at open(), flushed at close()), store lookup with the unknown-store
// warning, node-context deletion and the clean-up of removed flows/nodes after a deploy.
import type { Logger } from './logger.js';
import { createHandle, type ContextHandle } from './context/handle.js';
import type { ContextStore } from './context/store.js';
import { createStoreSet, defaultStoreSet, type StoreSet } from './context/store-config.js';

export type { Callback, ContextHandle } from './context/handle.js';
export type { ContextStore, StoreCallback, StoreConfig, StoreModule } from './context/store.js';
export { createMemoryStore } from './context/memory-store.js';

export interface ContextManagerOptions {
  logger: Logger;
  /** settings.functionGlobalContext: read-through values of the global scope. */
  globalValues?: Record<string, unknown>;
  /** settings.contextStorage; without it one memory store named "memory" is used. */
  contextStorage?: unknown;
  /** Where file stores keep their data unless their config names a `dir`. */
  userDir?: string;
  /** settings.exportGlobalContextKeys (false hides functionGlobalContext keys from keys()). */
  exportGlobalContextKeys?: boolean;
}

export interface ContextManager {
  global: ContextHandle;
  /** A flow's context; `$parent.` keys go to `parent` (the global context when not given). */
  flow(flowId: string, parent?: ContextHandle): ContextHandle;
  /** A node's context; a node outside any flow (flowId undefined or "global") is scoped by its id alone. */
  node(nodeId: string, flowId: string | undefined, flowCtx?: ContextHandle): ContextHandle;
  /** Drops a stopped node's context, unless contextStorage is configured (then it is kept). */
  deleteNode(nodeId: string, flowId?: string): void;
  deleteFlow(flowId: string): void;
  /** Removes the context of every flow/node not in `activeIds` from every store (never rejects). */
  clean(activeIds: Iterable<string>): Promise<void>;
  storeNames(): string[];
  defaultStore(): string;
  /** A store by name; without a name, the default store. */
  store(name?: string): ContextStore | undefined;
  /** Keys seeded from functionGlobalContext (shown in every store's global keys). */
  seededKeys(): string[];
  /** Whether settings.contextStorage configured any store. */
  configured(): boolean;
  /** Creates and opens the configured stores; rejects with "Error loading context store: ..." on bad config. */
  open(): Promise<void>;
  /** Closes every store (file stores flush pending writes); errors are logged, never thrown. */
  close(): Promise<void>;
}

export function createContextManager(opts: ContextManagerOptions): ContextManager {
  const { logger } = opts;
  let set: StoreSet = defaultStoreSet();
  const warned = new Set<string>();
  const distinctStores = () => [...new Set(set.stores.values())];

  const pick = (name: string | undefined): ContextStore => {
    const known = name !== undefined ? set.stores.get(name) : undefined;
    if (known) return known;
    if (name && name !== set.defaultName && !warned.has(name)) {
      warned.add(name);
      logger.warn(`Unknown context store '${name}' specified. Using default store.`);
    }
    return set.stores.get('_')!;
  };

  const seed = opts.globalValues ?? {};
  const global = createHandle('global', { pick, seed, exportSeedKeys: opts.exportGlobalContextKeys });
  const nodeScope = (nodeId: string, flowId: string | undefined) =>
    flowId && flowId !== 'global' ? `${nodeId}:${flowId}` : nodeId;

  return {
    global,
    flow(flowId, parent) {
      if (flowId === 'global') return global;
      const h = createHandle(flowId, { pick, parent: parent ?? global });
      h.global = global;
      if (parent) h.flow = parent;
      return h;
    },
    node(nodeId, flowId, flowCtx) {
      const h = createHandle(nodeScope(nodeId, flowId), { pick });
      if (flowCtx) h.flow = flowCtx;
      h.global = global;
      return h;
    },
    deleteNode(nodeId, flowId) {
      if (!set.configured) void Promise.resolve(set.stores.get('_')!.delete(nodeScope(nodeId, flowId))).catch((err) => logger.error(err));
    },
    deleteFlow(flowId) {
      if (!set.configured) void Promise.resolve(set.stores.get('_')!.delete(flowId)).catch((err) => logger.error(err));
    },
    async clean(activeIds) {
      const active = [...activeIds];
      await Promise.all(distinctStores().map(async (s) => {
        try { await s.clean(active); } catch (err) { logger.error(`Error cleaning context: ${String(err)}`); }
      }));
    },
    storeNames: () => [...set.names],
    defaultStore: () => set.defaultName,
    store: (name) => set.stores.get(name ?? '_'),
    seededKeys: () => Object.keys(seed),
    configured: () => set.configured,
    async open() {
      if (opts.contextStorage !== undefined && opts.contextStorage !== null && Object.keys(opts.contextStorage).length > 0) {
        if (!set.configured) set = createStoreSet(opts.contextStorage, { userDir: opts.userDir, logger });
      } else {
        logger.info(`Context store  : 'default' [module=memory]`);
      }
      try {
        await Promise.all(distinctStores().map((s) => s.open()));
      } catch (err) {
        throw new Error(`Error loading context store: ${String(err)}`);
      }
    },
    async close() {
      await Promise.all(distinctStores().map(async (s) => {
        try { await s.close(); } catch (err) { logger.error(`Error closing context store: ${String(err)}`); }
      }));
    },
  };
}
