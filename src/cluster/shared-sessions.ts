// Login sessions of a cluster in Redis: `<name>:session:<sha256 of the token>` (never the token) holding the
// session as JSON, expiring with it. A revoke deletes the key and publishes the hash on the cluster's events
// channel in one MULTI/EXEC, so every instance drops its copy at once.
import type { SessionInfo, SharedSessions } from '../auth/sessions.js';
import type { RedisConnection } from '../runtime/context/redis-connection.js';

/** What a revoke published. */
export interface RevokeEvent { t: 'revoke'; o: string; hash: string }

export interface ClusterSessions extends SharedSessions {
  /** A revoke published by another instance. */
  revoked(hash: string): void;
}

export function createClusterSessions(opts: { name: string; origin: string; channel: string; connection: () => RedisConnection | undefined }): ClusterSessions {
  const listeners: Array<(hash: string) => void> = [];
  const key = (hash: string) => `${opts.name}:session:${hash}`;
  const client = () => {
    const c = opts.connection();
    if (!c) throw new Error('cluster: not connected');
    return c.client;
  };
  return {
    async put(hash: string, session: SessionInfo) {
      await client().set(key(hash), JSON.stringify(session), { PXAT: Math.max(Date.now() + 1000, Math.floor(session.expires)) });
    },
    async fetch(hash: string) {
      const text = await client().get(key(hash));
      return text ? JSON.parse(text) as SessionInfo : null;
    },
    async remove(hash: string) {
      const event: RevokeEvent = { t: 'revoke', o: opts.origin, hash };
      await client().multi().del(key(hash)).publish(opts.channel, JSON.stringify(event)).exec();
    },
    onRemoved(listener) { listeners.push(listener); },
    revoked(hash) { for (const l of listeners) l(hash); },
  };
}
