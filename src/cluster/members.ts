// Who is in a cluster: every instance writes `<name>:instance:<its process id>` (its instanceId, address, the
// rev it runs, when it started) every leaseMs/3, expiring after 3 × leaseMs, so an instance not heard from for
// that long drops out of GET /cluster. The leader is the holder of the lease (leader-lease.ts).
import type { RedisConnection } from '../runtime/context/redis-connection.js';

export interface MemberView { id: string; address: string; leader: boolean; rev: string; uptime: number }
export interface ClusterView { name: string; leader: string | null; instances: MemberView[] }

interface Beat { id: string; address: string; rev: string; started: number; origin: string }

export interface Members {
  start(self: () => { id: string; address: string; rev: string }): void;
  stop(): Promise<void>;
  view(): Promise<ClusterView>;
}

export function createMembers(opts: { name: string; origin: string; leaseMs: number; connection: () => RedisConnection | undefined }): Members {
  const prefix = `${opts.name}:instance:`;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let self: (() => { id: string; address: string; rev: string }) | undefined;
  const beat = async () => {
    const c = opts.connection();
    if (!c || !self) return;
    const b: Beat = { ...self(), started, origin: opts.origin };
    await c.client.set(prefix + opts.origin, JSON.stringify(b), { PX: 3 * opts.leaseMs }).catch(() => undefined);
  };
  return {
    start(fn) {
      self = fn;
      void beat();
      timer = setInterval(() => void beat(), Math.max(10, Math.floor(opts.leaseMs / 3)));
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await opts.connection()?.client.del(prefix + opts.origin).catch(() => undefined);
    },
    async view() {
      const c = opts.connection();
      if (!c) throw new Error('cluster: not connected');
      const keys: string[] = [];
      for await (const batch of c.client.scanIterator({ MATCH: prefix.replace(/[*?[\]\\]/g, '\\$&') + '*', COUNT: 200 })) keys.push(...([] as string[]).concat(batch));
      const leaderOrigin = await c.client.get(`${opts.name}:leader`);
      const beats: Beat[] = [];
      for (const text of keys.length ? await c.client.mGet(keys) : []) {
        if (!text) continue;
        try { beats.push(JSON.parse(text) as Beat); } catch { /* not a beat */ }
      }
      beats.sort((a, b) => a.started - b.started || a.id.localeCompare(b.id));
      const now = Date.now();
      const instances = beats.map((b) => ({
        id: b.id, address: b.address, leader: b.origin === leaderOrigin, rev: b.rev, uptime: Math.max(0, Math.floor((now - b.started) / 1000)),
      }));
      return { name: opts.name, leader: instances.find((i) => i.leader)?.id ?? null, instances };
    },
  };
}
