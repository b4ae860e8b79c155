import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { createSessionStore, hashToken } from '../../src/auth/sessions.js';
import { createLogger } from '../../src/runtime/logger.js';
import { memoryStorage } from './fixture.js';

const logger = createLogger({ logging: {}, write: () => {} });
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

afterEach(() => { vi.useRealTimers(); });

describe('session store', () => {
  it('issues 172-char base64 tokens of 128 random bytes and stores only their hash', async () => {
    const storage = memoryStorage();
    const store = createSessionStore({ storage, expirySeconds: 60, logger });
    const before = Date.now();
    const { accessToken, expiresIn } = await store.create('admin', 'node-red-admin', ['*']);
    store.close();
    expect(accessToken).toMatch(/^[A-Za-z0-9+/]{171}=$/);
    expect(Buffer.from(accessToken, 'base64')).toHaveLength(128);
    expect(expiresIn).toBe(60);
    expect(Object.keys(storage.data)).toEqual([sha(accessToken)]);
    expect(JSON.stringify(storage.data)).not.toContain(accessToken);
    const s = storage.data[sha(accessToken)];
    expect(s).toMatchObject({ user: 'admin', client: 'node-red-admin', scope: ['*'] });
    expect(s).not.toHaveProperty('accessToken');
    expect(s.expires).toBeGreaterThanOrEqual(before + 60000);
    expect(s.expires).toBeLessThanOrEqual(Date.now() + 60000);
    expect(hashToken(accessToken)).toBe(sha(accessToken));
  });

  it('finds, revokes and forgets tokens; a token without scope keeps no scope', async () => {
    const storage = memoryStorage();
    const store = createSessionStore({ storage, expirySeconds: 60, logger });
    const { accessToken } = await store.create('admin', 'node-red-editor', undefined);
    const found = await store.get(accessToken);
    expect(found).toMatchObject({ user: 'admin', client: 'node-red-editor' });
    expect(found).not.toHaveProperty('scope');
    expect(await store.get('nope')).toBeNull();
    expect(await store.get(['x'])).toBeNull();
    await store.revoke(accessToken);
    expect(await store.get(accessToken)).toBeNull();
    expect(storage.data).toEqual({});
    store.close();
  });

  it('survives a restart through storage', async () => {
    const storage = memoryStorage();
    const first = createSessionStore({ storage, expirySeconds: 60, logger });
    const { accessToken } = await first.create('viewer', 'node-red-editor', 'read');
    first.close();
    const second = createSessionStore({ storage, expirySeconds: 60, logger });
    await second.load();
    expect(await second.get(accessToken)).toMatchObject({ user: 'viewer', scope: 'read' });
    second.close();
  });

  it('converts a Node-RED .sessions.json (raw token keys with accessToken) to hashed entries on load', async () => {
    const raw = 'A'.repeat(170) + '==';
    const storage = memoryStorage({
      [raw]: { user: 'admin', client: 'node-red-admin', scope: ['*'], accessToken: raw, expires: Date.now() + 60000 },
      'junk-key': { user: 'x', client: 'y', expires: Date.now() + 60000 },
      [sha('other')]: 'not an object',
    });
    const store = createSessionStore({ storage, expirySeconds: 60, logger });
    await store.load();
    expect(Object.keys(storage.data)).toEqual([sha(raw)]);
    expect(JSON.stringify(storage.data)).not.toContain(raw);
    expect(await store.get(raw)).toMatchObject({ user: 'admin', scope: ['*'] });
    store.close();
  });

  it('refuses and purges expired sessions, on load and on use', async () => {
    const storage = memoryStorage({
      [sha('old')]: { user: 'admin', client: 'c', scope: '*', expires: Date.now() - 1 },
      [sha('live')]: { user: 'admin', client: 'c', scope: '*', expires: Date.now() + 60000 },
    });
    const store = createSessionStore({ storage, expirySeconds: 60, logger });
    await store.load();
    expect(Object.keys(storage.data)).toEqual([sha('live')]);
    expect(await store.get('old')).toBeNull();
    store.close();
  });

  it('purges sessions by timer (5 s after expiry) and tells expiry listeners', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const storage = memoryStorage();
    const store = createSessionStore({ storage, expirySeconds: 10, logger });
    const expired: string[] = [];
    store.onExpiry((hash, s) => expired.push(`${hash}:${s.user}`));
    const { accessToken } = await store.create('admin', 'node-red-editor', '*');
    await vi.advanceTimersByTimeAsync(10000 + 4000);
    expect(Object.keys(storage.data)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(storage.data).toEqual({});
    expect(expired).toEqual([`${sha(accessToken)}:admin`]);
    store.close();
  });

  it('a failing storage is logged, not thrown', async () => {
    const lines: string[] = [];
    const log = createLogger({ logging: { console: { level: 'warn' } }, write: (l) => lines.push(l) });
    const storage = {
      getSessions: async () => { throw new Error('disk gone'); },
      saveSessions: async () => { throw new Error('read-only'); },
    };
    const store = createSessionStore({ storage, expirySeconds: 60, logger: log });
    const { accessToken } = await store.create('admin', 'c', '*');
    expect(await store.get(accessToken)).not.toBeNull();
    expect(lines.join('\n')).toContain('disk gone');
    expect(lines.join('\n')).toContain('read-only');
    store.close();
  });
});
