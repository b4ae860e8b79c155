// The personal access token store: `crpat_…` tokens a user creates with a name, a scope and an optional
// expiry, persisted through storage (.tokens.json) by id with only the sha256 of the value (the value is
// returned once, by create). Found by value; deleted at their expiry by an unref'd timer (and on use after
// it); their last use noted at most once a minute per token and written lazily, not on every request.
import { randomBytes } from 'node:crypto';
import type { AccessTokenRecord, FlowStorage } from '../runtime/types.js';
import type { Logger } from '../runtime/logger.js';
import type { Permission } from '../settings/types.js';
import { hashToken } from './sessions.js';

/** What every token value starts with, so that secret scanners can recognise a leaked one. */
export const TOKEN_PREFIX = 'crpat_';
/** A token's last-used time is moved on at most this often. */
export const LAST_USED_RESOLUTION_MS = 60000;
/** How long a noted use may wait before it is written (close() writes it at once). */
const LAST_USED_SAVE_DELAY_MS = 60000;
const MAX_TIMER = 2147483647;
const ID = /^[0-9a-f]{16}$/;
const HASH = /^[0-9a-f]{64}$/;

/** A token as the API shows it (never its value nor its hash). */
export interface AccessToken {
  id: string;
  user: string;
  name: string;
  scope: Permission;
  created: number;
  expires?: number;
  lastUsed?: number;
}

export interface AccessTokenStore {
  /** Loads the tokens once (later calls reuse the first load); drops unusable and expired entries. */
  load(): Promise<void>;
  /**
   * Creates a token and saves it (rejects, keeping nothing, when the save fails). `value` is the only copy
   * of the token there will ever be. Null when the user already holds `maxPerUser` live tokens.
   */
  create(
    spec: { user: string; name: string; scope: Permission; expires?: number },
    maxPerUser: number,
  ): Promise<{ value: string; token: AccessToken } | null>;
  /** Live tokens, in creation order: the user's, or everyone's without a user. */
  list(user?: string): Promise<AccessToken[]>;
  /** The live token with this id, or null. */
  get(id: unknown): Promise<AccessToken | null>;
  /** The live token of this value, or null (an expired one is deleted). Does not note a use: see touch(). */
  find(value: unknown): Promise<AccessToken | null>;
  /** Notes a use of the token now (moves lastUsed on when it is a minute old or more; saved later). */
  touch(id: string): void;
  /** Deletes the token and saves at once; the token removed, or null when there was none. */
  revoke(id: unknown): Promise<AccessToken | null>;
  /** Called with the value hash (hashToken) of every token that expires or is revoked. */
  onRemoved(listener: (tokenHash: string, token: AccessToken) => void): void;
  /**
   * Reads the stored tokens again (another instance of a cluster changed them): new ones are taken, gone
   * ones removed (listeners told), changed ones replaced; what this store changed since is kept.
   */
  reload(): Promise<void>;
  /** Stops the timers and writes a pending last-used time. */
  close(): Promise<void>;
}

export type AccessTokenStorage = Pick<FlowStorage, 'getAccessTokens' | 'saveAccessTokens'>;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isScope = (v: unknown): v is Permission =>
  typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

/** A stored record, or null when it is not one this store wrote. */
function toRecord(value: unknown): AccessTokenRecord | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.user !== 'string' || typeof v.name !== 'string' || !isScope(v.scope)) return null;
  if (typeof v.hash !== 'string' || !HASH.test(v.hash) || !finite(v.created)) return null;
  if (v.expires !== undefined && !finite(v.expires)) return null;
  if (v.lastUsed !== undefined && !finite(v.lastUsed)) return null;
  return record(v.user, v.name, v.scope, v.hash, v.created, v.expires as number | undefined, v.lastUsed as number | undefined);
}

/** A record with its keys in one order; no expires / lastUsed key when there is none. */
function record(user: string, name: string, scope: Permission, hash: string, created: number, expires?: number, lastUsed?: number): AccessTokenRecord {
  const r: AccessTokenRecord = { user, name, scope: Array.isArray(scope) ? [...scope] : scope, hash, created };
  if (expires !== undefined) r.expires = expires;
  if (lastUsed !== undefined) r.lastUsed = lastUsed;
  return r;
}

function publicToken(id: string, r: AccessTokenRecord): AccessToken {
  const t: AccessToken = { id, user: r.user, name: r.name, scope: Array.isArray(r.scope) ? [...r.scope] : r.scope, created: r.created };
  if (r.expires !== undefined) t.expires = r.expires;
  if (r.lastUsed !== undefined) t.lastUsed = r.lastUsed;
  return t;
}

const expired = (r: AccessTokenRecord, now: number) => r.expires !== undefined && r.expires <= now;

export function createAccessTokenStore(opts: { storage: AccessTokenStorage; logger: Logger }): AccessTokenStore {
  const { storage, logger } = opts;
  const tokens = new Map<string, AccessTokenRecord>();
  const byHash = new Map<string, string>();
  const listeners: Array<(tokenHash: string, token: AccessToken) => void> = [];
  let loaded: Promise<void> | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;
  let usedTimer: NodeJS.Timeout | undefined;
  let usedPending = false;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();

  const warn = (err: unknown) => logger.warn(`Failed to save access tokens: ${err instanceof Error ? err.message : String(err)}`);

  function snapshot(): Record<string, AccessTokenRecord> {
    const out: Record<string, AccessTokenRecord> = Object.create(null);
    for (const [id, r] of tokens) out[id] = { ...r };
    return out;
  }

  /** Queues a write of the tokens as they are now; writes never overlap. Rejects when this write fails. */
  function save(): Promise<void> {
    usedPending = false;
    if (usedTimer) clearTimeout(usedTimer);
    usedTimer = undefined;
    const data = snapshot();
    const done = writing.then(() => storage.saveAccessTokens(data));
    writing = done.catch(() => undefined);
    return done;
  }

  /** Local changes by id, numbered: a reload begun before a change does not undo it. */
  let generation = 0;
  const changedAt = new Map<string, number>();

  function put(id: string, r: AccessTokenRecord) {
    tokens.set(id, r);
    byHash.set(r.hash, id);
    changedAt.set(id, ++generation);
  }

  function remove(id: string): AccessTokenRecord | undefined {
    const r = tokens.get(id);
    if (!r) return undefined;
    changedAt.set(id, ++generation);
    tokens.delete(id);
    byHash.delete(r.hash);
    for (const l of listeners) {
      try { l(r.hash, publicToken(id, r)); } catch { /* a listener never breaks a removal */ }
    }
    return r;
  }

  /** Arms the timer for the earliest expiry. */
  function schedule() {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = undefined;
    if (closed) return;
    let next = Infinity;
    for (const r of tokens.values()) if (r.expires !== undefined && r.expires < next) next = r.expires;
    if (next === Infinity) return;
    expiryTimer = setTimeout(() => void expire().catch(warn), Math.max(0, Math.min(MAX_TIMER, next - Date.now())));
    expiryTimer.unref();
  }

  /** Deletes the expired tokens, re-arms the timer; saves when something went. */
  function expire(): Promise<void> {
    const now = Date.now();
    let changed = false;
    for (const [id, r] of tokens) {
      if (expired(r, now)) {
        remove(id);
        changed = true;
      }
    }
    schedule();
    return changed ? save() : Promise.resolve();
  }

  async function readStored(): Promise<void> {
    let stored: Record<string, unknown> = {};
    try {
      stored = ((await storage.getAccessTokens()) as Record<string, unknown> | null) ?? {};
    } catch (err) {
      logger.warn(`Failed to load access tokens: ${err instanceof Error ? err.message : String(err)}`);
    }
    let dropped = false;
    for (const [id, value] of Object.entries(stored)) {
      const r = ID.test(id) ? toRecord(value) : null;
      if (r && !byHash.has(r.hash)) put(id, r);
      else dropped = true; // not an entry this store wrote: never usable
    }
    const before = tokens.size;
    await expire().catch(warn);
    if (dropped && tokens.size === before) await save().catch(warn);
  }

  function load(): Promise<void> {
    loaded ??= readStored();
    return loaded;
  }

  function newId(): string {
    let id: string;
    do id = randomBytes(8).toString('hex'); while (tokens.has(id));
    return id;
  }

  function live(id: unknown): [string, AccessTokenRecord] | null {
    if (typeof id !== 'string') return null;
    const r = tokens.get(id);
    return r && !expired(r, Date.now()) ? [id, r] : null;
  }

  return {
    load,
    async create(spec, maxPerUser) {
      await load();
      const now = Date.now();
      let held = 0;
      for (const r of tokens.values()) if (r.user === spec.user && !expired(r, now)) held++;
      if (held >= maxPerUser) return null;
      const value = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const id = newId();
      const r = record(spec.user, spec.name, spec.scope, hashToken(value), now, spec.expires);
      put(id, r);
      try {
        await save();
      } catch (err) {
        tokens.delete(id);
        byHash.delete(r.hash);
        throw err;
      }
      if (r.expires !== undefined) schedule();
      return { value, token: publicToken(id, r) };
    },
    async list(user) {
      await load();
      const now = Date.now();
      return [...tokens]
        .filter(([, r]) => !expired(r, now) && (user === undefined || r.user === user))
        .map(([id, r]) => publicToken(id, r))
        .sort((a, b) => a.created - b.created); // stable: same-millisecond tokens stay in creation order
    },
    async get(id) {
      await load();
      const found = live(id);
      return found ? publicToken(found[0], found[1]) : null;
    },
    async find(value) {
      await load();
      if (typeof value !== 'string' || !value.startsWith(TOKEN_PREFIX)) return null;
      const id = byHash.get(hashToken(value));
      const r = id === undefined ? undefined : tokens.get(id);
      if (!id || !r) return null;
      if (expired(r, Date.now())) {
        await expire().catch(warn);
        return null;
      }
      return publicToken(id, r);
    },
    touch(id) {
      const r = tokens.get(id);
      const now = Date.now();
      if (!r || (r.lastUsed !== undefined && now - r.lastUsed < LAST_USED_RESOLUTION_MS)) return;
      r.lastUsed = now;
      usedPending = true;
      if (usedTimer || closed) return;
      usedTimer = setTimeout(() => {
        usedTimer = undefined;
        if (usedPending) save().catch(warn);
      }, LAST_USED_SAVE_DELAY_MS);
      usedTimer.unref();
    },
    async revoke(id) {
      await load();
      if (typeof id !== 'string' || !tokens.has(id)) return null;
      const r = remove(id)!;
      schedule();
      await save();
      return publicToken(id, r);
    },
    onRemoved(listener) {
      listeners.push(listener);
    },
    async reload() {
      await load();
      const since = generation;
      let stored: Record<string, unknown>;
      try {
        stored = ((await storage.getAccessTokens()) as Record<string, unknown> | null) ?? {};
      } catch (err) {
        logger.warn(`Failed to load access tokens: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      const untouched = (id: string) => (changedAt.get(id) ?? 0) <= since;
      const seen = new Set<string>();
      for (const [id, value] of Object.entries(stored)) {
        const r = ID.test(id) ? toRecord(value) : null;
        if (!r) continue;
        seen.add(id);
        if (!untouched(id)) continue;
        const mine = tokens.get(id);
        if (mine?.lastUsed !== undefined && (r.lastUsed === undefined || r.lastUsed < mine.lastUsed)) r.lastUsed = mine.lastUsed;
        if (mine && mine.hash !== r.hash) byHash.delete(mine.hash);
        if (mine) { tokens.set(id, r); byHash.set(r.hash, id); } else put(id, r);
      }
      for (const id of [...tokens.keys()]) if (!seen.has(id) && untouched(id)) remove(id);
      schedule();
    },
    async close() {
      closed = true;
      if (expiryTimer) clearTimeout(expiryTimer);
      expiryTimer = undefined;
      if (usedPending) await save().catch(warn);
      if (usedTimer) clearTimeout(usedTimer);
      usedTimer = undefined;
      await writing;
    },
  };
}
