// The leader lease of a cluster: `<name>:leader` holds the leader's id and expires after leaseMs unless the
// leader renews it (every leaseMs/3). The others try to take it every leaseMs/10 (at most 250 ms), so when a
// leader dies a survivor leads within leaseMs + that poll of the last renewal. A leader that cannot renew in
// time (Redis unreachable, a stalled process) stops leading before its lease can pass to another.
import type { Logger } from '../runtime/logger.js';
import type { RedisConnection } from '../runtime/context/redis-connection.js';

// KEYS: lease. ARGV: id, ms. Takes a free lease or extends one's own; 1 when held afterwards.
const TAKE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

// KEYS: lease. ARGV: id. Gives the lease up if held.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface LeaderLease {
  /** Tries once now, then keeps trying / renewing until stop(). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLeaderLease(opts: {
  connection: () => RedisConnection | undefined;
  name: string;
  id: string;
  leaseMs: number;
  onChange(leading: boolean): void;
  logger: Logger;
}): LeaderLease {
  const key = `${opts.name}:leader`;
  const renewEvery = Math.max(10, Math.floor(opts.leaseMs / 3));
  const pollEvery = Math.max(10, Math.min(250, Math.floor(opts.leaseMs / 10)));
  let leading = false;
  let heldUntil = 0;
  let timer: NodeJS.Timeout | undefined;
  let guard: NodeJS.Timeout | undefined;
  let stopped = false;

  const setLeading = (next: boolean) => {
    if (next === leading) return;
    leading = next;
    opts.logger.info(`Cluster '${opts.name}': ${next ? 'this instance now leads (runs scheduled work)' : 'this instance no longer leads'}`);
    opts.onChange(next);
  };

  async function attempt(): Promise<void> {
    const conn = opts.connection();
    if (!conn) return;
    const asked = Date.now();
    let held = false;
    try {
      held = (await conn.client.eval(TAKE, { keys: [key], arguments: [opts.id, String(opts.leaseMs)] })) === 1;
    } catch (err) {
      if (leading) opts.logger.warn(`Cluster '${opts.name}': could not renew the leader lease: ${String(err)}`);
    }
    if (stopped) return;
    if (held) {
      // the lease runs from when it was asked for: stop leading before it can have passed to another
      heldUntil = asked + opts.leaseMs;
      if (guard) clearTimeout(guard);
      guard = setTimeout(() => setLeading(false), Math.max(0, heldUntil - Date.now() - renewEvery / 2));
      guard.unref();
      setLeading(true);
    } else {
      setLeading(false);
    }
  }

  const loop = async () => {
    await attempt();
    if (stopped) return;
    timer = setTimeout(() => void loop(), leading ? renewEvery : pollEvery);
    timer.unref();
  };

  return {
    async start() {
      stopped = false;
      await loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (guard) clearTimeout(guard);
      const wasLeading = leading;
      setLeading(false);
      const conn = opts.connection();
      if (wasLeading && conn) await conn.client.eval(RELEASE, { keys: [key], arguments: [opts.id] }).catch(() => undefined);
    },
  };
}
