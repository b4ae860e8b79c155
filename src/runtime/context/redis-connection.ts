// A Redis connection for one user of it (a context store, later the cluster): a command client and, on
// demand, a subscriber, both from the npm `redis` client (imported only when Redis is configured). The URL may
// carry `rediss://` (TLS, with the `tls` options of redis-tls.ts: a private CA, a client certificate) and
// `user:password@`. Connection errors are logged once per outage, not per retry;
// node-redis reconnects by itself and resubscribes, and `onResubscribed` runs after each reconnect of the
// subscriber (messages sent meanwhile were lost: its owner reloads what it holds).
import type { Logger } from '../logger.js';
import { tlsHint, type RedisTlsOptions } from './redis-tls.js';

/** A MULTI/EXEC block (the commands its users queue). */
export interface RedisMulti {
  set(key: string, value: string): RedisMulti;
  hSet(key: string, field: string, value: string): RedisMulti;
  hDel(key: string, field: string): RedisMulti;
  del(key: string): RedisMulti;
  publish(channel: string, message: string): RedisMulti;
  exec(): Promise<unknown[]>;
}

/** The part of node-redis's client its users call (its own types are generic over modules and protocol). */
export interface RedisClient {
  /** Connected and answering (commands then go out; otherwise they fail at once: no offline queue). */
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  duplicate(): RedisClient;
  on(event: string, listener: (...args: any[]) => void): unknown;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[] | string>;
  hGetAll(key: string): Promise<Record<string, string>>;
  hGet(key: string, field: string): Promise<string | null | undefined>;
  hKeys(key: string): Promise<string[]>;
  hSet(key: string, field: string, value: string): Promise<number>;
  get(key: string): Promise<string | null>;
  mGet(keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string, options?: { NX?: boolean; PX?: number; PXAT?: number }): Promise<string | null>;
  del(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  multi(): RedisMulti;
}

export interface RedisConnection {
  client: RedisClient;
  /** Connected now (the command client). */
  readonly ready: boolean;
  subscribe(channel: string, onMessage: (message: string) => void, onResubscribed: () => Promise<void> | void): Promise<void>;
  close(): Promise<void>;
}

/** `work`, or a rejection once `ms` passed (Redis connected but not answering). */
export function withinMs<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The URL without its password, for log lines. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://<invalid url>';
  }
}

function watch(client: RedisClient, logger: Logger, what: string, url: string): void {
  let down = false;
  client.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    logger.warn(`${what}: Redis at ${redactUrl(url)} unavailable: ${(err instanceof Error ? err.message : String(err)).trim()}${tlsHint(err)}`);
  });
  client.on('ready', () => {
    if (down) logger.info(`${what}: Redis at ${redactUrl(url)} reconnected`);
    down = false;
  });
}

export async function connectRedis(url: string, logger: Logger, what: string, tls?: RedisTlsOptions): Promise<RedisConnection> {
  const { createClient } = await import('redis');
  // the first connection gets a few quick attempts (Redis may be starting beside us), then start fails;
  // once connected, node-redis reconnects for ever with a growing delay (at most 3 s)
  let connected = false;
  const reconnectStrategy = (retries: number, cause: Error) =>
    connected ? Math.min(100 * 2 ** retries, 3000) : retries >= 4 ? cause : 100 * (retries + 1);
  // no offline queue: a command while Redis is away fails at once instead of running later (a write reported
  // as failed must never happen after all)
  const client = createClient({ url, disableOfflineQueue: true, socket: { ...tls, reconnectStrategy } }) as unknown as RedisClient;
  watch(client, logger, what, url);
  try {
    await client.connect();
    connected = true;
  } catch (err) {
    client.destroy();
    throw Object.assign(new Error(`${what}: cannot connect to Redis at ${redactUrl(url)}: ${(err instanceof Error ? err.message : String(err)).trim()}${tlsHint(err)}`), { code: 'cluster_unreachable' });
  }
  let subscriber: RedisClient | undefined;
  const quit = async (c: RedisClient) => {
    try { await c.close(); } catch { c.destroy(); }
  };
  return {
    client,
    get ready() { return client.isReady; },
    async subscribe(channel, onMessage, onResubscribed) {
      if (!subscriber) {
        subscriber = client.duplicate();
        watch(subscriber, logger, what, url);
        let first = true;
        subscriber.on('ready', () => {
          if (first) { first = false; return; }
          Promise.resolve().then(onResubscribed).catch((err: unknown) => logger.warn(`${what}: reload after reconnect failed: ${String(err)}`));
        });
        await subscriber.connect();
      }
      await subscriber.subscribe(channel, (message: string) => onMessage(message));
    },
    async close() {
      if (subscriber) await quit(subscriber);
      await quit(client);
    },
  };
}
