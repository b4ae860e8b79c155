// A table of a cluster kept in one Redis hash, a field per entry as JSON, for storage methods that read and
// save a whole table (access tokens, users' settings): a save writes only the entries that changed since
// this instance last read or wrote (so two instances changing different entries at once keep both) and
// publishes `{t: kind}` on the cluster's events channel in the same MULTI/EXEC; the other instances then
// read the table again.
import type { RedisConnection } from '../runtime/context/redis-connection.js';

/** What a change of a shared table published. */
export type TableKind = 'tokens' | 'users' | 'sets';
export interface TableEvent { t: TableKind; o: string }

export interface SharedHash<T> {
  read(): Promise<Record<string, T>>;
  save(entries: Record<string, T>): Promise<void>;
}

export function createSharedHash<T>(opts: { key: string; kind: TableKind; origin: string; channel: string; connection: () => RedisConnection | undefined }): SharedHash<T> {
  /** The JSON of each entry as this instance last read or wrote it. */
  let known = new Map<string, string>();
  const client = () => {
    const c = opts.connection();
    if (!c) throw new Error('cluster: not connected');
    return c.client;
  };
  return {
    async read() {
      const fields = await client().hGetAll(opts.key);
      const out: Record<string, T> = Object.create(null);
      const next = new Map<string, string>();
      for (const [id, json] of Object.entries(fields)) {
        try {
          out[id] = JSON.parse(json) as T;
          next.set(id, json);
        } catch { /* not JSON: skipped, as the stores skip what they cannot use */ }
      }
      known = next;
      return out;
    },
    async save(entries) {
      const tx = client().multi();
      const next = new Map<string, string>();
      let changed = false;
      for (const [id, value] of Object.entries(entries)) {
        const json = JSON.stringify(value);
        next.set(id, json);
        if (known.get(id) !== json) { tx.hSet(opts.key, id, json); changed = true; }
      }
      for (const id of known.keys()) if (!next.has(id)) { tx.hDel(opts.key, id); changed = true; }
      known = next;
      if (!changed) return;
      const event: TableEvent = { t: opts.kind, o: opts.origin };
      tx.publish(opts.channel, JSON.stringify(event));
      await tx.exec();
    },
  };
}
