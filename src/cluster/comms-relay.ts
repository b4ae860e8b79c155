// Debug messages and node status across a cluster: what this instance's nodes publish on the editor's `debug`
// topic and their status changes are published on `<name>:comms` as well, and what the other instances
// publish there reaches this instance's editors through the same hub and bounded per-client queues. Every
// such message carries `instance`, the id of the instance it came from (the editor ignores fields it does
// not know).
import type { EventEmitter } from 'node:events';
import type { Logger } from '../runtime/logger.js';
import type { RedisConnection } from '../runtime/context/redis-connection.js';

/** Marks an event this relay emitted (it is not sent back to Redis). */
const FROM_CLUSTER = Symbol('crimson.fromCluster');

type Relayed =
  | { o: string; k: 'debug'; data: Record<string, unknown> }
  | { o: string; k: 'status'; id: string | number; status?: Record<string, unknown>; instance: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export interface CommsRelay { stop(): void }

export async function startCommsRelay(opts: {
  conn: RedisConnection;
  name: string;
  origin: string;
  instanceId: () => string;
  events: EventEmitter;
  logger: Logger;
}): Promise<CommsRelay> {
  const { conn, events, origin } = opts;
  const channel = `${opts.name}:comms`;
  let failed = false;
  const send = (message: Relayed) => {
    let text: string;
    try { text = JSON.stringify(message); } catch { return; }
    conn.client.publish(channel, text).then(() => { failed = false; }, (err: unknown) => {
      if (!failed) opts.logger.warn(`Cluster '${opts.name}': debug/status not shared: ${String(err)}`);
      failed = true;
    });
  };

  // before the hub's own listener: the local copy carries `instance` too
  const onComms = (event: unknown) => {
    if (!isObject(event) || event[FROM_CLUSTER as never] || event.topic !== 'debug' || !isObject(event.data)) return;
    if (event.session !== undefined) return; // meant for one editor session
    event.data.instance = opts.instanceId();
    send({ o: origin, k: 'debug', data: event.data });
  };
  const onStatus = (event: unknown) => {
    if (!isObject(event) || event[FROM_CLUSTER as never] || (typeof event.id !== 'string' && typeof event.id !== 'number')) return;
    event.instance = opts.instanceId();
    send({ o: origin, k: 'status', id: event.id, status: isObject(event.status) ? event.status : undefined, instance: opts.instanceId() });
  };
  events.prependListener('comms', onComms);
  events.prependListener('node-status', onStatus);

  await conn.subscribe(channel, (raw) => {
    let message: Relayed;
    try { message = JSON.parse(raw) as Relayed; } catch { return; }
    if (!isObject(message) || message.o === origin) return;
    if (message.k === 'debug' && isObject(message.data)) {
      events.emit('comms', { topic: 'debug', data: message.data, [FROM_CLUSTER]: true });
    } else if (message.k === 'status') {
      events.emit('node-status', { id: message.id, status: message.status, instance: message.instance, [FROM_CLUSTER]: true });
    }
  }, () => {});

  return {
    stop() {
      events.off('comms', onComms);
      events.off('node-status', onStatus);
    },
  };
}
