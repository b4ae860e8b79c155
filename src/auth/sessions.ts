// The login session store: tokens issued by /auth/token, persisted through storage (.sessions.json)
// keyed by the sha256 of the token (the token itself is never written), expired by an unref'd timer.
import { createHash, randomBytes } from 'node:crypto';
import type { FlowStorage, Session } from '../runtime/types.js';
import type { Logger } from '../runtime/logger.js';
import type { Permission } from '../settings/types.js';

/** What a session knows about its holder. */
export interface SessionInfo {
  user: string;
  client: string;
  scope?: Permission;
  expires: number;
}

export interface SessionStore {
  /** Loads the sessions once (later calls reuse the first load); converts Node-RED raw-token entries. */
  load(): Promise<void>;
  create(user: string, client: string, scope: Permission | undefined): Promise<{ accessToken: string; expiresIn: number }>;
  /** The live session of this token, or null (expired ones are purged). */
  get(token: unknown): Promise<SessionInfo | null>;
  revoke(token: unknown): Promise<void>;
  /** Called with the token hash and session of each session that expires. */
  onExpiry(listener: (tokenHash: string, session: SessionInfo) => void): void;
  close(): void;
}

export type SessionStorage = Pick<FlowStorage, 'getSessions' | 'saveSessions'>;

/**
 * Sessions shared with other instances (a cluster), by token hash: each instance still keeps its own, and
 * asks the shared ones for a token it does not know; a revoke anywhere removes it everywhere.
 */
export interface SharedSessions {
  put(hash: string, session: SessionInfo): Promise<void>;
  fetch(hash: string): Promise<SessionInfo | null>;
  remove(hash: string): Promise<void>;
  /** Called with the hash of each session revoked by another instance. */
  onRemoved(listener: (hash: string) => void): void;
}

const HASH_KEY = /^[0-9a-f]{64}$/;
const MAX_TIMER = 2147483647;
const GRACE_MS = 5000;

/** The key a token is stored under. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toInfo(value: unknown): SessionInfo | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.user !== 'string') return null;
  const scope = typeof v.scope === 'string' || Array.isArray(v.scope) ? (v.scope as Permission) : undefined;
  return sessionInfo(v.user, typeof v.client === 'string' ? v.client : '', scope, Number(v.expires));
}

/** A session record, keys in Node-RED's order; no scope key when there is no scope. */
function sessionInfo(user: string, client: string, scope: Permission | undefined, expires: number): SessionInfo {
  return scope === undefined ? { user, client, expires } : { user, client, scope, expires };
}

export function createSessionStore(opts: { storage: SessionStorage; expirySeconds: number; logger: Logger; shared?: SharedSessions }): SessionStore {
  const { storage, expirySeconds, logger, shared } = opts;
  const sessions = new Map<string, SessionInfo>();
  const listeners: Array<(tokenHash: string, session: SessionInfo) => void> = [];
  let loaded: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();

  function snapshot(): Record<string, Session> {
    const out: Record<string, Session> = Object.create(null);
    for (const [hash, s] of sessions) out[hash] = { ...s };
    return out;
  }

  /** Queues a write of the current sessions; writes never overlap and a failure is only logged. */
  function save(): Promise<void> {
    // shared sessions live where they are shared: a local copy could bring a revoked one back after a restart
    if (shared) return writing;
    writing = writing.then(() =>
      storage.saveSessions(snapshot()).catch((err: unknown) => {
        logger.warn(`Failed to save sessions: ${err instanceof Error ? err.message : String(err)}`);
      }),
    );
    return writing;
  }

  function schedule(at: number) {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void expire(), Math.max(0, Math.min(MAX_TIMER, at - Date.now() + GRACE_MS)));
    timer.unref();
  }

  /** Drops expired sessions, tells the listeners, re-arms the timer; saves when something changed. */
  function expire(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const now = Date.now();
    let next = Infinity;
    let changed = false;
    for (const [hash, s] of sessions) {
      if (!Number.isFinite(s.expires) || s.expires < now) {
        sessions.delete(hash);
        changed = true;
        for (const l of listeners) {
          try { l(hash, s); } catch { /* a listener never breaks expiry */ }
        }
      } else if (s.expires < next) next = s.expires;
    }
    if (next !== Infinity) schedule(next);
    return changed ? save() : Promise.resolve();
  }

  async function readStored(): Promise<void> {
    let stored: Record<string, unknown> = {};
    try {
      stored = ((await storage.getSessions()) as Record<string, unknown> | null) ?? {};
    } catch (err) {
      logger.warn(`Failed to load sessions: ${err instanceof Error ? err.message : String(err)}`);
    }
    let converted = false;
    for (const [key, value] of Object.entries(stored)) {
      const info = toInfo(value);
      const raw = (value as { accessToken?: unknown } | null)?.accessToken;
      if (info && typeof raw === 'string' && raw) {
        sessions.set(hashToken(raw), info); // a Node-RED entry: keep only the hash from now on
        converted = true;
      } else if (info && HASH_KEY.test(key)) {
        sessions.set(key, info);
      } else {
        converted = true; // unusable entry: dropped
      }
    }
    const before = sessions.size;
    await expire();
    if (converted && sessions.size === before) await save();
  }

  function load(): Promise<void> {
    loaded ??= shared ? Promise.resolve() : readStored();
    return loaded;
  }

  /** A session another instance created: kept here from now on. */
  async function fromShared(hash: string): Promise<SessionInfo | null> {
    if (!shared) return null;
    let info: SessionInfo | null = null;
    try {
      info = toInfo(await shared.fetch(hash));
    } catch (err) {
      logger.warn(`Failed to read a shared session: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!info || info.expires < Date.now()) return null;
    sessions.set(hash, info);
    if (!timer) schedule(info.expires);
    return info;
  }
  shared?.onRemoved((hash) => { if (sessions.delete(hash)) void save(); });

  return {
    load,
    async create(user, client, scope) {
      await load();
      const accessToken = randomBytes(128).toString('base64');
      const info = sessionInfo(user, client, scope, Date.now() + expirySeconds * 1000);
      const hash = hashToken(accessToken);
      sessions.set(hash, info);
      if (!timer) schedule(info.expires);
      await save();
      await shared?.put(hash, info);
      return { accessToken, expiresIn: expirySeconds };
    },
    async get(token) {
      await load();
      if (typeof token !== 'string' || !token) return null;
      const hash = hashToken(token);
      const info = sessions.get(hash) ?? (await fromShared(hash));
      if (!info) return null;
      if (info.expires < Date.now()) {
        await expire();
        return null;
      }
      return info;
    },
    async revoke(token) {
      await load();
      if (typeof token !== 'string' || !token) return;
      const hash = hashToken(token);
      if (sessions.delete(hash)) await save();
      await shared?.remove(hash);
    },
    onExpiry(listener) {
      listeners.push(listener);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
