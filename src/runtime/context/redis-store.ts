// The `redis` context store: every scope is a Redis hash (`<prefix>:context:<scope>`, one field per top-level
// key, its value as JSON), read synchronously from a local copy that Redis keeps coherent (redis-copy.ts: each
// value parsed when first used here). Each set writes the changed top-level keys and publishes them on
// `<prefix>:context` in one atomic script (redis-write.ts; the message framed by redis-change.ts); every
// instance applies the published changes in the order Redis executed them, so all copies end as Redis holds
// them.
//
// Consistency: last writer wins per top-level key (a nested set rewrites its whole top-level key); no
// transaction spans keys; a get on one instance sees a set made on another once its message arrived (a few
// milliseconds on a LAN; under sustained writes up to 25 ms more, 50 ms for large values). After a lost
// subscription the copy is reloaded from Redis.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { stringifyScope } from './file-layout.js';
import type { ContextStore, StoreCallback, StoreConfig } from './store.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';
import { redisTlsOptions } from './redis-tls.js';
import { decodeChange, encodeChange, type Change } from './redis-change.js';
import { createRedisCopy, topField } from './redis-copy.js';
import { writeChange } from './redis-write.js';

/**
 * The shortest time between two writes of a store under sustained sets (see flush): 25 ms, longer after a
 * large batch (1 ms per KB of its JSON, 50 ms at most), which costs the instance about 1.2 ms per 75 KB to send
 * and to read back (profiled): a 90 KB list set on every request is written 20 times a second, not 40.
 */
const MIN_GAP_MS = 25;
const MAX_GAP_MS = 50;
export const flushGap = (jsonLength: number): number => Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, jsonLength / 1024));

const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

export function createRedisStore(config: StoreConfig, logger: Logger): ContextStore {
  const url = typeof config.url === 'string' && config.url ? config.url : 'redis://127.0.0.1:6379';
  const prefix = typeof config.prefix === 'string' && config.prefix ? config.prefix : 'crimson';
  const tls = redisTlsOptions(config.tls, url, 'config.tls');
  const keyPrefix = `${prefix}:context:`;
  const channel = `${prefix}:context`;
  const origin = randomUUID();
  let copy = createRedisCopy(logger);
  let conn: RedisConnection | undefined;
  /** Own writes of a field not yet seen back on the channel, and fields changed by others meanwhile. */
  const pending = new Map<string, number>();
  const overtaken = new Set<string>();
  /** Messages received while the copy is (re)loaded: applied after, in order. */
  let held: Change[] | undefined;
  const warnedCircular = new Set<string>();

  const redisKey = (scope: string) => keyPrefix + scope;

  function apply(change: Change): void {
    const own = change.o === origin;
    if (change.x) {
      if (!own && change.s !== undefined) copy.removeScope(change.s);
      return;
    }
    for (const [scope, field, json] of change.c ?? []) {
      const id = `${scope}\u0000${field}`;
      const waiting = pending.get(id) ?? 0;
      if (own) {
        // an own write is already in the copy, unless another instance's write was applied after it
        if (waiting <= 1) pending.delete(id); else pending.set(id, waiting - 1);
        if (overtaken.has(id)) {
          copy.receive(scope, field, json);
          if (waiting <= 1) overtaken.delete(id);
        }
        continue;
      }
      copy.receive(scope, field, json);
      if (waiting > 0) overtaken.add(id);
    }
  }

  function onMessage(raw: string): void {
    const change = decodeChange(raw);
    if (!change) return;
    if (held) held.push(change);
    else {
      try { apply(change); } catch (err) { logger.warn(`Context change from Redis not applied: ${String(err)}`); }
    }
  }

  /** Reads every scope of the prefix into a fresh copy, then applies what arrived meanwhile. */
  async function load(c: RedisConnection): Promise<void> {
    held = [];
    try {
      const fresh = createRedisCopy(logger);
      for await (const batch of c.client.scanIterator({ MATCH: escapeGlob(keyPrefix) + '*', COUNT: 500 })) {
        const keys = (Array.isArray(batch) ? batch : [batch]) as string[];
        for (const key of keys) {
          const scope = key.slice(keyPrefix.length);
          const fields = await c.client.hGetAll(key) as Record<string, string>;
          for (const [field, json] of Object.entries(fields)) fresh.receive(scope, field, json);
        }
      }
      // what this turn set and has not written yet stays (its write still goes out)
      for (const [scope, names] of batch ?? []) {
        for (const field of names.keys()) fresh.putField(scope, field, copy.field(scope, field));
      }
      copy = fresh;
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

  /**
   * Writes wait for the end of the event-loop turn: what a turn set goes out as one script run and one message,
   * each field once with its latest value (a flow setting a counter 10,000 times a second writes it once a turn).
   * Under sustained writes a batch goes out at most every 25-50 ms (flushGap), so a large value set on every
   * request (a 1,000-item list) is serialised and sent 20 times a second at most, not once per turn; a set
   * after a quiet spell still goes out at the end of its turn.
   */
  let batch: Map<string, Map<string, true>> | undefined;
  let batchCallbacks: StoreCallback[] = [];
  let lastFlush = -Infinity;
  let gap = MIN_GAP_MS;

  function scheduleFlush(): void {
    const wait = lastFlush + gap - performance.now();
    if (wait <= 0) setImmediate(flush);
    else setTimeout(flush, wait);
  }

  function flush(): void {
    if (!batch) return; // already flushed (by close)
    lastFlush = performance.now();
    const fields = batch;
    const callbacks = batchCallbacks;
    batch = undefined;
    batchCallbacks = [];
    const c = conn;
    if (!c?.ready) {
      const err = new Error('Context store redis: Redis cannot be reached; the value was not set');
      for (const [scope, names] of fields) for (const field of names.keys()) pending.delete(`${scope}\u0000${field}`);
      for (const cb of callbacks) cb(err);
      return;
    }
    const change = { o: origin, c: [] as NonNullable<Change['c']> };
    let length = 0;
    for (const [scope, names] of fields) {
      for (const field of names.keys()) {
        const v = copy.field(scope, field);
        const json = v === undefined ? null : serialise(scope, field, v);
        length += json?.length ?? 0;
        change.c.push([scope, field, json]);
      }
    }
    gap = flushGap(length);
    writeChange(c.client, channel, change, redisKey).then(() => { for (const cb of callbacks) cb(); }, (err: unknown) => {
      logger.error(`Error writing context to Redis: ${String(err)}`);
      for (const cb of callbacks) cb(err as Error);
    });
  }

  function set(scope: string, key: string | string[], value: unknown, callback?: StoreCallback): void {
    let fields: string[];
    try {
      // Redis away: the set fails on the node (thrown, or to the callback) and the copy stays as Redis has it
      if (!conn?.ready) throw new Error('Context store redis: Redis cannot be reached; the value was not set');
      copy.set(scope, key, value);
      fields = Array.isArray(key) ? [...new Set(key.map(topField))] : [topField(key)];
    } catch (err) {
      if (!callback) throw err;
      callback(err as Error);
      return;
    }
    if (!batch) {
      batch = new Map();
      scheduleFlush();
    }
    let names = batch.get(scope);
    if (!names) { names = new Map(); batch.set(scope, names); }
    for (const field of fields) {
      if (names.has(field)) continue;
      names.set(field, true);
      const id = `${scope}\u0000${field}`;
      pending.set(id, (pending.get(id) ?? 0) + 1);
    }
    if (callback) batchCallbacks.push(callback);
  }

  async function removeScope(scope: string): Promise<void> {
    batch?.delete(scope);
    copy.removeScope(scope);
    if (!conn) return;
    const change: Change = { o: origin, s: scope, x: 1 };
    await conn.client.multi().del(redisKey(scope)).publish(channel, encodeChange(change)).exec();
  }

  return {
    async open() {
      conn = await connectRedis(url, logger, 'context store redis', tls);
      const c = conn;
      await c.subscribe(channel, onMessage, () => load(c));
      await load(c);
    },
    async close() {
      if (batch) flush();
      const c = conn;
      conn = undefined;
      await c?.close();
    },
    get: (scope, key, callback) => copy.get(scope, key, callback),
    set,
    keys: (scope, callback) => copy.keys(scope, callback),
    delete: (scope) => removeScope(scope),
    async clean(activeNodes) {
      const active = new Set(activeNodes);
      const gone = copy.scopes().filter((scope) => scope !== 'global' && !active.has(scope.split(':')[0]!));
      for (const scope of gone) await removeScope(scope);
    },
  };
}
