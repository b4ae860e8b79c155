// The `localfilesystem` context store (COMPAT C11): JSON files in Node-RED's layout. With `cache` (default)
// every scope is loaded at open, served from memory and written back `flushInterval` s after a change and
// at close; without, every call reads/writes its file and only the callback forms work.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../storage/atomic-write.js';
import type { Logger } from '../logger.js';
import type { ContextStore, StoreCallback, StoreConfig } from './store.js';
import { createMemoryStore, readKey, writeKeys, type MemoryStore } from './memory-store.js';
import { listScopeFiles, parseScope, readIfExists, scopeFile, scopeOfFile, storeBaseDir, stringifyScope } from './file-layout.js';

export const ASYNC_ONLY = 'File Store cache disabled - only asynchronous access supported';

export function createFileStore(config: StoreConfig, logger: Logger): ContextStore {
  const baseDir = storeBaseDir(config);
  const cached = config.cache === undefined ? true : !!config.cache;
  let flushInterval = typeof config.flushInterval === 'number' ? Math.max(0, config.flushInterval) * 1000 : 30000;
  let cache: MemoryStore | undefined = cached ? createMemoryStore() : undefined;
  const pending = new Set<string>();
  const warnedCircular = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  // file work runs one job at a time, in call order; the chain itself never stays rejected
  let chain: Promise<unknown> = Promise.resolve();
  const queue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = chain.then(job);
    chain = run.catch(() => undefined);
    return run;
  };

  const serialise = (scope: string, data: unknown): string => {
    const { json, circular } = stringifyScope(data ?? {});
    if (circular && !warnedCircular.has(scope)) {
      warnedCircular.add(scope);
      logger.warn(`Context ${scope} contains a circular reference that cannot be persisted`);
    } else if (!circular) {
      warnedCircular.delete(scope);
    }
    return json;
  };

  async function flush(): Promise<void> {
    timer = undefined;
    const scopes = [...pending];
    pending.clear();
    await Promise.all(scopes.map(async (scope) => {
      const file = scopeFile(baseDir, scope);
      logger.debug(`Flushing localfilesystem context scope ${scope}`);
      await writeFileAtomic(file, serialise(scope, cache?.scopeData(scope)));
    }));
  }
  const flushLogged = () => flush().catch((err) => logger.error(`Error writing context: ${String(err)}`));

  async function load(): Promise<void> {
    cache = createMemoryStore();
    let files: Array<{ dir: string; file: string }>;
    try {
      files = await listScopeFiles(baseDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await fsp.mkdir(baseDir, { recursive: true });
      return;
    }
    for (const { dir, file } of files) {
      const full = path.join(baseDir, dir, file);
      const text = await readIfExists(full);
      let data: Record<string, unknown>;
      try {
        data = parseScope(text);
      } catch {
        throw new Error(`Invalid JSON in context file '${full}'`);
      }
      const scope = scopeOfFile(dir, file);
      for (const k of Object.keys(data)) cache.put(scope, k, data[k]);
    }
  }

  /** Calls back with the file's data; an exception of the callback is logged, never re-delivered. */
  function readScope(scope: string, callback: StoreCallback, use: (data: Record<string, unknown>) => unknown[]): void {
    queue(async () => use(parseScope(await readIfExists(scopeFile(baseDir, scope))))).then(
      (values) => deliver(callback, null, ...values),
      (err) => deliver(callback, err),
    );
  }
  function deliver(callback: StoreCallback, err: unknown, ...values: unknown[]): void {
    try { callback(err as Error | null, ...values); } catch (e) { logger.error(e); }
  }

  return {
    async open() {
      closing = false;
      if (cached) await load();
      else await fsp.mkdir(baseDir, { recursive: true });
    },

    close() {
      closing = true;
      if (!cached) return chain.then(() => undefined);
      if (timer) { clearTimeout(timer); timer = undefined; }
      flushInterval = 0;
      return queue(flushLogged);
    },

    get(scope, key, callback) {
      if (cache) return cache.get(scope, key, callback);
      if (typeof callback !== 'function') throw new Error(ASYNC_ONLY);
      readScope(scope, callback, (data) => (Array.isArray(key) ? key.map((k) => readKey(data, k)) : [readKey(data, key)]));
      return undefined;
    },

    set(scope, key, value, callback) {
      if (cache) {
        cache.set(scope, key, value, callback);
        pending.add(scope);
        if (timer || closing) return;
        timer = setTimeout(() => { void queue(flushLogged); }, flushInterval);
        timer.unref?.();
        return;
      }
      if (callback !== undefined && typeof callback !== 'function') throw new Error(ASYNC_ONLY);
      queue(async () => {
        const file = scopeFile(baseDir, scope);
        const data = parseScope(await readIfExists(file));
        writeKeys(data, key, value);
        await writeFileAtomic(file, serialise(scope, data));
      }).then(
        () => { if (callback) deliver(callback, null); },
        (err) => {
          if (callback) deliver(callback, err);
          else logger.error(`Error writing context: ${String(err)}`);
        },
      );
    },

    keys(scope, callback) {
      if (cache) return cache.keys(scope, callback);
      if (typeof callback !== 'function') throw new Error('Callback must be a function');
      readScope(scope, callback, (data) => [Object.keys(data)]);
    },

    delete(scope) {
      void cache?.delete(scope);
      pending.delete(scope);
      return queue(async () => {
        let file: string;
        try { file = scopeFile(baseDir, scope); } catch { return; }
        await fsp.rm(file, { force: true });
      });
    },

    clean(activeNodes) {
      const active = new Set(activeNodes);
      void cache?.clean(activeNodes);
      warnedCircular.clear();
      for (const scope of [...pending]) if (scope !== 'global' && !active.has(scope.split(':')[0]!)) pending.delete(scope);
      return queue(async () => {
        let files: Array<{ dir: string; file: string }>;
        try { files = await listScopeFiles(baseDir); } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw err;
        }
        const removedDirs = new Set<string>();
        for (const { dir, file } of files) {
          if (dir === 'global') continue;
          if (!active.has(dir)) removedDirs.add(dir);
          else if (file !== 'flow.json' && !active.has(file.slice(0, -5))) await fsp.rm(path.join(baseDir, dir, file), { force: true });
        }
        for (const dir of removedDirs) await fsp.rm(path.join(baseDir, dir), { recursive: true, force: true });
      });
    },
  };
}
