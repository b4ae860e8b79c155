// The context store plugin contract: the shape of Node-RED's context stores, so a store written for Node-RED
// (e.g. a Redis one passed as `module`) works unchanged, and a new store needs no engine change.

/**
 * `callback(err, ...values)`: get passes one value per key (an array key gives several), keys passes the
 * key list, set passes only the error. `err` is null/undefined on success.
 */
export type StoreCallback = (err?: Error | null, ...values: any[]) => void;

/**
 * One context store. A scope is `"global"`, a flow id, or `"<nodeId>:<flowId>"` (`"<nodeId>"` for a node
 * outside any flow). Keys are property paths (`a.b[0]`); an array of keys reads/writes several at once.
 *
 * get/set/keys are callback-based. A store that can answer at once (memory, a cached file store) also
 * supports the synchronous form: without a callback, get returns the value (an array of values for an
 * array key), keys returns the list, set completes before returning. A store that cannot must throw when
 * get/keys are called without a callback; set without a callback may run in the background.
 * `set(scope, key, undefined)` deletes the key. Errors of the synchronous form are thrown.
 *
 * open/close/delete/clean return promises (a plain value is accepted as an already-settled result).
 */
export interface ContextStore {
  /** Called once before use (loads data, creates directories...). */
  open(): Promise<void> | void;
  /** Called at shutdown after the flows stopped: flush pending writes, release resources. */
  close(): Promise<void> | void;
  get(scope: string, key: string | string[], callback?: StoreCallback): unknown;
  set(scope: string, key: string | string[], value: unknown, callback?: StoreCallback): void;
  keys(scope: string, callback?: StoreCallback): string[] | void;
  /** Removes a whole scope. */
  delete(scope: string): Promise<void> | void;
  /** Removes every scope (except "global") whose first id part is not in `activeNodes`. */
  clean(activeNodes: string[]): Promise<void> | void;
}

/** What a store is created with: the `config` object of its contextStorage entry, plus `settings`. */
export interface StoreConfig {
  [option: string]: unknown;
  settings: { userDir?: string };
}

/** A store implementation as given in `contextStorage.<name>.module`: a factory or a class. */
export type StoreModule = ((config: StoreConfig) => ContextStore) | (new (config: StoreConfig) => ContextStore);
