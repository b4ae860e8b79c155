import { afterEach, describe, expect, it, vi } from 'vitest';
import bcrypt from 'bcryptjs';
import { bcrypt as loadBcrypt } from '../../src/runtime/util/deps.js';
import { createUserDirectory, publicUser } from '../../src/auth/users.js';
import { HASH, PASSWORD } from './fixture.js';

afterEach(() => { vi.restoreAllMocks(); });

describe('user directory', () => {
  const list = [
    { username: 'admin', password: HASH, permissions: '*', image: 'i.png' },
    { username: 'nopw', permissions: '*' },
  ];

  it('authenticates listed users with bcrypt and never hands out the password', async () => {
    const users = createUserDirectory({ type: 'credentials', users: list });
    expect(await users.authenticate('admin', PASSWORD)).toEqual({ username: 'admin', permissions: '*', image: 'i.png' });
    expect(await users.authenticate('admin', 'wrong')).toBeNull();
    expect(await users.get('admin')).toEqual({ username: 'admin', permissions: '*', image: 'i.png' });
    expect(await users.get('ghost')).toBeNull();
    expect(list[0].password).toBe(HASH);
  });

  it('accepts a single user object', async () => {
    const users = createUserDirectory({ type: 'credentials', users: list[0] });
    expect(await users.authenticate('admin', PASSWORD)).toMatchObject({ username: 'admin' });
  });

  it('loads users only for the credentials and strategy types', async () => {
    const users = createUserDirectory({ users: list });
    expect(await users.get('admin')).toBeNull();
  });

  it('a user without a password cannot log in (no crash)', async () => {
    const users = createUserDirectory({ type: 'credentials', users: list });
    expect(await users.authenticate('nopw', PASSWORD)).toBeNull();
  });

  it('an unknown user still costs one bcrypt comparison', async () => {
    const users = createUserDirectory({ type: 'credentials', users: list });
    const spy = vi.spyOn(loadBcrypt(), 'compare'); // the instance the runtime loads (require)
    expect(await users.authenticate('ghost', PASSWORD)).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(await users.authenticate('admin', 'wrong')).toBeNull();
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('uses a users() function, sync or async, and lets its failures reject', async () => {
    const users = createUserDirectory({
      type: 'credentials',
      users: ((name: string) => {
        if (name === 'boom') throw new Error('sync boom');
        if (name === 'sync') return { username: 'sync', password: HASH, permissions: 'read' };
        return Promise.resolve(name === 'admin' ? { username: 'admin', password: HASH, permissions: '*' } : null);
      }) as never,
    });
    expect(await users.authenticate('admin', PASSWORD)).toEqual({ username: 'admin', permissions: '*' });
    expect(await users.authenticate('sync', PASSWORD)).toEqual({ username: 'sync', permissions: 'read' });
    expect(await users.authenticate('nobody', PASSWORD)).toBeNull();
    await expect(users.authenticate('boom', PASSWORD)).rejects.toThrow('sync boom');
  });

  it('uses a custom authenticate() and strips a password it returns', async () => {
    const users = createUserDirectory({
      type: 'credentials',
      authenticate: async (u, p) => (p === 'ok' ? { username: u, password: 'leak', permissions: '*' } : null),
    });
    expect(await users.authenticate('x', 'ok')).toEqual({ username: 'x', permissions: '*' });
    expect(await users.authenticate('x', 'no')).toBeNull();
  });

  it('builds the anonymous user from default (object or function; a failing function means none)', async () => {
    expect(await createUserDirectory({ default: { permissions: 'read' } }).defaultUser()).toEqual({ anonymous: true, permissions: 'read' });
    expect(await createUserDirectory({ default: async () => ({ permissions: ['flows.read'] }) }).defaultUser()).toEqual({ permissions: ['flows.read'] });
    expect(await createUserDirectory({ default: () => { throw new Error('x'); } }).defaultUser()).toBeNull();
    expect(await createUserDirectory({}).defaultUser()).toBeNull();
  });

  it('resolves the tokens() function and its header', async () => {
    const users = createUserDirectory({
      tokens: async (t) => { if (t === 'bad') throw new Error('no'); return t === 'ok' ? { username: 'api', permissions: '*' } : null; },
      tokenHeader: 'X-My-Token',
    });
    expect(users.tokenHeader).toBe('x-my-token');
    expect(await users.tokenUser('ok')).toEqual({ username: 'api', permissions: '*' });
    expect(await users.tokenUser('bad')).toBeNull();
    expect(await users.tokenUser('other')).toBeNull();
    expect(createUserDirectory({ tokens: async () => null }).tokenHeader).toBe('authorization');
    expect(createUserDirectory({ tokens: [{ token: 'a', user: 'b', scope: '*' }] }).tokenHeader).toBeNull();
  });

  it('publicUser copies only when a password is present', () => {
    const u = { username: 'a', permissions: '*' };
    expect(publicUser(u)).toBe(u);
    expect(publicUser({ ...u, password: 'h' })).toEqual(u);
    expect(publicUser('x')).toBeNull();
  });
});
