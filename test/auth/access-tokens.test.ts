// The personal access token store on its own (an in-memory storage double, fake clocks where time
// matters): value format, hash-only storage, lookup, the per-user limit, expiry, coarse and lazily written
// last-used times, revocation, and what a load keeps of a damaged file.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { createAccessTokenStore, LAST_USED_RESOLUTION_MS, TOKEN_PREFIX } from '../../src/auth/access-tokens.js';
import { createLogger } from '../../src/runtime/logger.js';
import { memoryStorage } from './fixture.js';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const quietLogger = () => {
  const lines: string[] = [];
  return { lines, logger: createLogger({ logging: { console: { level: 'warn' } }, write: (l) => lines.push(l) }) };
};

afterEach(() => { vi.useRealTimers(); });

describe('access token store', () => {
  it('creates crpat_ tokens of 32 random bytes and stores only their hash, by id', async () => {
    const storage = memoryStorage();
    const store = createAccessTokenStore({ storage, logger: quietLogger().logger });
    const before = Date.now();
    const made = await store.create({ user: 'admin', name: 'ci', scope: ['flows.read'] }, 10);
    expect(made).not.toBeNull();
    const { value, token } = made!;
    expect(TOKEN_PREFIX).toBe('crpat_');
    expect(value).toMatch(/^crpat_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(value.slice(6), 'base64url')).toHaveLength(32);
    expect(token.id).toMatch(/^[0-9a-f]{16}$/);
    expect(token).toEqual({ id: token.id, user: 'admin', name: 'ci', scope: ['flows.read'], created: expect.any(Number) });
    expect(token.created).toBeGreaterThanOrEqual(before);
    expect(storage.tokens).toEqual({ [token.id]: { user: 'admin', name: 'ci', scope: ['flows.read'], hash: sha(value), created: token.created } });
    expect(JSON.stringify(storage.tokens)).not.toContain(value.slice(6));
    const other = await store.create({ user: 'admin', name: 'ci', scope: '*' }, 10);
    expect(other!.value).not.toBe(value);
    expect(other!.token.id).not.toBe(token.id);
    await store.close();
  });

  it('finds a token by its value only', async () => {
    const store = createAccessTokenStore({ storage: memoryStorage(), logger: quietLogger().logger });
    const { value, token } = (await store.create({ user: 'u', name: 'n', scope: 'read' }, 10))!;
    expect(await store.find(value)).toEqual(token);
    expect(await store.find(value + 'x')).toBeNull();
    expect(await store.find(value.slice(6))).toBeNull();
    expect(await store.find(sha(value))).toBeNull();
    expect(await store.find(token.id)).toBeNull();
    expect(await store.find(['x'])).toBeNull();
    expect(await store.get(token.id)).toEqual(token);
    expect(await store.get('0000000000000000')).toBeNull();
    await store.close();
  });

  it('refuses a token past maxPerUser for that user only', async () => {
    const store = createAccessTokenStore({ storage: memoryStorage(), logger: quietLogger().logger });
    expect(await store.create({ user: 'a', name: '1', scope: '*' }, 2)).not.toBeNull();
    expect(await store.create({ user: 'a', name: '2', scope: '*' }, 2)).not.toBeNull();
    expect(await store.create({ user: 'a', name: '3', scope: '*' }, 2)).toBeNull();
    expect(await store.create({ user: 'b', name: '1', scope: '*' }, 2)).not.toBeNull();
    expect((await store.list('a')).map((t) => t.name)).toEqual(['1', '2']);
    expect((await store.list()).map((t) => `${t.user}${t.name}`)).toEqual(['a1', 'a2', 'b1']);
    const [first] = await store.list('a');
    await store.revoke(first!.id);
    expect(await store.create({ user: 'a', name: '3', scope: '*' }, 2)).not.toBeNull();
    await store.close();
  });

  it('deletes a token at its expiry (timer), tells the listeners and saves', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const storage = memoryStorage();
    const store = createAccessTokenStore({ storage, logger: quietLogger().logger });
    const removed: string[] = [];
    store.onRemoved((hash) => removed.push(hash));
    const now = Date.now();
    const short = (await store.create({ user: 'u', name: 'short', scope: '*', expires: now + 2000 }, 10))!;
    const forever = (await store.create({ user: 'u', name: 'forever', scope: '*' }, 10))!;
    expect(short.token.expires).toBe(now + 2000);
    await vi.advanceTimersByTimeAsync(1999);
    expect(await store.find(short.value)).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(removed).toEqual([sha(short.value)]);
    expect(Object.keys(storage.tokens)).toEqual([forever.token.id]);
    expect(await store.find(short.value)).toBeNull();
    expect(await store.get(short.token.id)).toBeNull();
    await store.close();
  });

  it('a token found after its expiry, before the timer ran, is refused and deleted', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    const storage = memoryStorage();
    const store = createAccessTokenStore({ storage, logger: quietLogger().logger });
    const { value } = (await store.create({ user: 'u', name: 'n', scope: '*', expires: Date.now() + 1000 }, 10))!;
    vi.setSystemTime(Date.now() + 1000);
    expect(await store.find(value)).toBeNull();
    expect(storage.tokens).toEqual({});
    await store.close();
  });

  it('notes the last use at most once a minute, and writes it lazily (or on close)', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const storage = memoryStorage();
    const store = createAccessTokenStore({ storage, logger: quietLogger().logger });
    const { token } = (await store.create({ user: 'u', name: 'n', scope: '*' }, 10))!;
    const saves = storage.tokenSaves;
    const t0 = Date.now();
    store.touch(token.id);
    expect((await store.get(token.id))!.lastUsed).toBe(t0);
    await vi.advanceTimersByTimeAsync(30000);
    store.touch(token.id);
    expect((await store.get(token.id))!.lastUsed).toBe(t0);
    expect(storage.tokenSaves).toBe(saves); // nothing written per use
    await vi.advanceTimersByTimeAsync(30000);
    expect(storage.tokenSaves).toBe(saves + 1); // one lazy write a minute after the first use
    expect(storage.tokens[token.id]!.lastUsed).toBe(t0);
    store.touch(token.id);
    expect((await store.get(token.id))!.lastUsed).toBe(t0 + LAST_USED_RESOLUTION_MS);
    await store.close();
    expect(storage.tokens[token.id]!.lastUsed).toBe(t0 + LAST_USED_RESOLUTION_MS);
  });

  it('revokes by id: gone at once, listeners told, saved', async () => {
    const storage = memoryStorage();
    const store = createAccessTokenStore({ storage, logger: quietLogger().logger });
    const removed: string[] = [];
    store.onRemoved((hash) => removed.push(hash));
    const { value, token } = (await store.create({ user: 'u', name: 'n', scope: '*' }, 10))!;
    expect(await store.revoke('nope')).toBeNull();
    expect(await store.revoke(token.id)).toEqual(token);
    expect(await store.find(value)).toBeNull();
    expect(storage.tokens).toEqual({});
    expect(removed).toEqual([sha(value)]);
    expect(await store.revoke(token.id)).toBeNull();
    await store.close();
  });

  it('survives a restart through storage, lastUsed included', async () => {
    const storage = memoryStorage();
    const first = createAccessTokenStore({ storage, logger: quietLogger().logger });
    const { value, token } = (await first.create({ user: 'u', name: 'n', scope: 'read', expires: Date.now() + 60000 }, 10))!;
    first.touch(token.id);
    await first.close();
    const second = createAccessTokenStore({ storage, logger: quietLogger().logger });
    const found = await second.find(value);
    expect(found).toMatchObject({ id: token.id, user: 'u', name: 'n', scope: 'read', expires: token.expires, lastUsed: expect.any(Number) });
    await second.close();
  });

  it('a load drops entries it did not write and expired ones, and rewrites the file', async () => {
    const good = { user: 'u', name: 'n', scope: '*', hash: 'a'.repeat(64), created: 1 };
    const storage = memoryStorage({}, {
      '0123456789abcdef': good,
      '1111111111111111': { ...good, hash: 'b'.repeat(64), expires: 5 },
      '2222222222222222': { ...good, hash: 'c'.repeat(64), scope: { a: 1 } },
      '3333333333333333': { ...good, hash: 'not-a-hash' },
      '4444444444444444': { ...good, hash: 'd'.repeat(64), lastUsed: 'x' },
      '5555555555555555': { ...good }, // the same hash twice
      'not-an-id': { ...good, hash: 'e'.repeat(64) },
      '6666666666666666': null,
    });
    const store = createAccessTokenStore({ storage, logger: quietLogger().logger });
    await store.load();
    expect((await store.list()).map((t) => t.id)).toEqual(['0123456789abcdef']);
    expect(storage.tokens).toEqual({ '0123456789abcdef': good });
    await store.close();
  });

  it('a failed save of a new token keeps nothing and rejects', async () => {
    const storage = memoryStorage();
    storage.saveAccessTokens = async () => { throw new Error('disk full'); };
    const store = createAccessTokenStore({ storage, logger: quietLogger().logger });
    await expect(store.create({ user: 'u', name: 'n', scope: '*' }, 10)).rejects.toThrow('disk full');
    expect(await store.list()).toEqual([]);
    await store.close();
  });
});
