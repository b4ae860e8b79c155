// The `redis` context store: every scope is a Redis hash (`<prefix>:context:<scope>`, one field per top-level
// key, its value as JSON), read synchronously from a local copy that Redis keeps coherent. Each set writes the
// changed top-level keys and publishes them on `<prefix>:context` in one MULTI/EXEC; every instance applies the
// published changes in the order Redis executed them, so all copies end as Redis holds them.
//
// Consistency: last writer wins per top-level key (a nested set rewrites its whole top-level key); no
// transaction spans keys; a get on one instance sees a set made on another once its message arrived (a few
// milliseconds on a LAN). After a lost subscription the copy is reloaded from Redis.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { normalisePropertyExpression } from '../util/properties.js';
import { stringifyScope } from './file-layout.js';
import { createMemoryStore, type MemoryStore } from './memory-store.js';
import type { ContextStore, StoreCallback, StoreConfig } from './store.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';

/** One published change: origin instance, scope, and [field, JSON or null when deleted] pairs, or `x` for a whole scope. */
interface Change { o: string; s: string; f?: Array<[string, string | null]>; x?: 1 }

const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/** The top-level field a property path writes (`a.b[0]` -> `a`, `["x.y"].z` -> `x.y`). */
function topField(key: string): string {
  const parts = normalisePropertyExpression(key) as unknown[];
  return String(parts[0]);
}

export function createRedisStore(config: StoreConfig, logger: Logger): ContextStore {
  const url = typeof config.url === 'string' && config.url ? config.url : 'redis://127.0.0.1:6379';
  const prefix = typeof config.prefix === 'string' && config.prefix ? config.prefix : 'crimson';
  const keyPrefix = `${prefix}:context:`;
  const channel = `${prefix}:context`;
  const origin = randomUUID();
  let cache: MemoryStore = createMemoryStore();
  let conn: RedisConnection | undefined;
  /** Own writes of a field not yet seen back on the channel, and fields changed by others meanwhile. */
  const pending = new Map<string, number>();
  const overtaken = new Set<string>();
  /** Messages received while the copy is (re)loaded: applied after, in order. */
  let held: Change[] | undefined;
  const warnedCircular = new Set<string>();

  const redisKey = (scope: string) => keyPrefix + scope;

  function applyField(scope: string, field: string, json: string | null): void {
    if (json === null) {
      const data = cache.scopeData(scope);
      if (data) delete data[field];
      return;
    }
    cache.put(scope, field, JSON.parse(json));
  }

  function apply(change: Change): void {
    const own = change.o === origin;
    if (change.x) {
      if (!own) void cache.delete(change.s);
      return;
    }
    for (const [field, json] of change.f ?? []) {
      const id = `${change.s}\u0000${field}`;
      const waiting = pending.get(id) ?? 0;
      if (own) {
        // an own write is already in the copy, unless another instance's write was applied after it
        if (waiting <= 1) pending.delete(id); else pending.set(id, waiting - 1);
        if (overtaken.has(id)) {
          applyField(change.s, field, json);
          if (waiting <= 1) overtaken.delete(id);
        }
        continue;
      }
      applyField(change.s, field, json);
      if (waiting > 0) overtaken.add(id);
    }
  }

  function onMessage(raw: string): void {
    let change: Change;
    try {
      change = JSON.parse(raw) as Change;
    } catch {
      return;
    }
    if (held) held.push(change);
    else {
      try { apply(change); } catch (err) { logger.warn(`Context change from Redis not applied: ${String(err)}`); }
    }
  }

  /** Reads every scope of the prefix into a fresh copy, then applies what arrived meanwhile. */
  async function load(c: RedisConnection): Promise<void> {
    held = [];
    try {
      const fresh = createMemoryStore();
      for await (const batch of c.client.scanIterator({ MATCH: escapeGlob(keyPrefix) + '*', COUNT: 500 })) {
        const keys = (Array.isArray(batch) ? batch : [batch]) as string[];
        for (const key of keys) {
          const scope = key.slice(keyPrefix.length);
          const fields = await c.client.hGetAll(key) as Record<string, string>;
          for (const [field, json] of Object.entries(fields)) {
            try { fresh.put(scope, field, JSON.parse(json)); } catch { logger.warn(`Context ${scope}: the value of '${field}' in Redis is not JSON; ignored`); }
          }
        }
      }
      cache = fresh;
      pending.clear();
      overtaken.clear();
      const meanwhile = held;
      held = undefined;
      for (const change of meanwhile) { if (change.o !== origin) apply(change); }
    } finally {
      held = undefined;
    }
  }

  function serialise(scope: string, field: string, value: unknown): string {
    const { json, circular } = stringifyScope(value, 0);
    const id = `${scope}.${field}`;
    if (circular && !warnedCircular.has(id)) {
      warnedCircular.add(id);
      logger.warn(`Context ${scope} contains a circular reference that cannot be persisted`);
    } else if (!circular) warnedCircular.delete(id);
    return json;
  }

  function set(scope: string, key: string | string[], value: unknown, callback?: StoreCallback): void {
    let fields: string[];
    try {
      // Redis away: the set fails on the node (thrown, or to the callback) and the copy stays as Redis has it
      if (!conn?.ready) throw new Error('Context store redis: Redis cannot be reached; the value was not set');
      cache.set(scope, key, value);
      fields = [...new Set((Array.isArray(key) ? key : [key]).map(topField))];
    } catch (err) {
      if (!callback) throw err;
      callback(err as Error);
      return;
    }
    const c = conn!;
    const data = cache.scopeData(scope);
    const change: Change = { o: origin, s: scope, f: [] };
    const tx = c.client.multi();
    for (const field of fields) {
      const v = data?.[field];
      const json = v === undefined ? null : serialise(scope, field, v);
      if (json === null) tx.hDel(redisKey(scope), field);
      else tx.hSet(redisKey(scope), field, json);
      change.f!.push([field, json]);
      const id = `${scope}\u0000${field}`;
      pending.set(id, (pending.get(id) ?? 0) + 1);
    }
    tx.publish(channel, JSON.stringify(change));
    tx.exec().then(() => callback?.(), (err: unknown) => {
      logger.error(`Error writing context to Redis: ${String(err)}`);
      callback?.(err as Error);
    });
  }

  async function removeScope(scope: string): Promise<void> {
    await cache.delete(scope);
    if (!conn) return;
    const change: Change = { o: origin, s: scope, x: 1 };
    await conn.client.multi().del(redisKey(scope)).publish(channel, JSON.stringify(change)).exec();
  }

  return {
    async open() {
      conn = await connectRedis(url, logger, 'context store redis');
      const c = conn;
      await c.subscribe(channel, onMessage, () => load(c));
      await load(c);
    },
    async close() {
      const c = conn;
      conn = undefined;
      await c?.close();
    },
    get: (scope, key, callback) => cache.get(scope, key, callback),
    set,
    keys: (scope, callback) => cache.keys(scope, callback),
    delete: (scope) => removeScope(scope),
    async clean(activeNodes) {
      const active = new Set(activeNodes);
      const gone = cache.scopes().filter((scope) => scope !== 'global' && !active.has(scope.split(':')[0]!));
      for (const scope of gone) await removeScope(scope);
    },
  };
}
