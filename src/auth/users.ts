// The user directory of adminAuth (COMPAT A1.6): users list / function, password check (bcrypt),
// anonymous default user and the tokens() function. Users handed out never carry `password`.
import { bcrypt, rfdc } from '../runtime/util/deps.js';
import { randomBytes } from 'node:crypto';
import type { AdminAuthSettings, AdminUser, Permission } from '../settings/types.js';

const clone = rfdc();

/** A user as the rest of Crimson sees it: the settings record minus its password. */
export type PublicUser = Record<string, unknown> & { username?: string; permissions?: Permission; anonymous?: boolean };

export interface UserDirectory {
  /** The user called `username`, or null. Rejects when a configured users() function fails. */
  get(username: string): Promise<PublicUser | null>;
  /** The user when the password matches, else null. Rejects when a configured function fails. */
  authenticate(username: string, password: string): Promise<PublicUser | null>;
  /** The anonymous user of adminAuth.default, or null (also when the default function fails). */
  defaultUser(): Promise<PublicUser | null>;
  /** The user of adminAuth.tokens(token), or null (also when it fails or is not a function). */
  tokenUser(token: string): Promise<PublicUser | null>;
  /** Lower-cased header read for the tokens() function ('authorization' by default); null without one. */
  readonly tokenHeader: string | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A copy of the user without its password; anything that is not an object means "no user". */
export function publicUser(user: unknown): PublicUser | null {
  if (!isObject(user)) return null;
  if (!Object.prototype.hasOwnProperty.call(user, 'password')) return user as PublicUser;
  const copy = { ...user };
  delete copy.password;
  return copy as PublicUser;
}

const BCRYPT_HASH = /^\$2[abxy]?\$(\d\d)\$/;

export function createUserDirectory(config: AdminAuthSettings): UserDirectory {
  const listed = new Map<string, AdminUser>();
  let lookup: ((username: string) => unknown) | undefined;
  const hasUsers = config.type === 'credentials' || config.type === 'strategy';
  if (hasUsers && typeof config.users === 'function') {
    lookup = config.users;
  } else if (hasUsers && config.users) {
    const list = Array.isArray(config.users) ? config.users : [config.users];
    for (const u of list) {
      if (isObject(u) && typeof u.username === 'string') listed.set(u.username, clone(u));
    }
  }

  // An unknown user still costs one bcrypt comparison, at the cost factor the configured hashes use.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => {
    if (!dummyHash) {
      const first = [...listed.values()].map((u) => BCRYPT_HASH.exec(String(u.password))).find(Boolean);
      const cost = first ? Math.min(Math.max(Number(first[1]), 4), 15) : 8;
      dummyHash = bcrypt().hash(randomBytes(16).toString('hex'), cost);
    }
    return dummyHash;
  };

  async function rawUser(username: string): Promise<Record<string, unknown> | null> {
    if (lookup) {
      const found = await lookup(username);
      return isObject(found) ? found : null;
    }
    return listed.get(username) ?? null;
  }

  async function checkPassword(username: string, password: string): Promise<PublicUser | null> {
    const user = await rawUser(username);
    const hash = user && typeof user.password === 'string' ? user.password : null;
    if (!hash) {
      await bcrypt().compare(password, await dummy()).catch(() => false);
      return null;
    }
    const ok = await bcrypt().compare(password, hash).catch(() => false);
    return ok ? publicUser(user) : null;
  }

  const custom = hasUsers && typeof config.authenticate === 'function' ? config.authenticate : undefined;
  const defaults = config.default;

  return {
    async get(username) {
      return publicUser(await rawUser(username));
    },
    async authenticate(username, password) {
      if (custom) return publicUser(await custom(username, password));
      return checkPassword(username, password);
    },
    async defaultUser() {
      if (typeof defaults === 'function') {
        try {
          return publicUser(await defaults());
        } catch {
          return null;
        }
      }
      if (isObject(defaults)) return { anonymous: true, permissions: defaults.permissions };
      return null;
    },
    async tokenUser(token) {
      if (typeof config.tokens !== 'function') return null;
      try {
        return publicUser(await config.tokens(token));
      } catch {
        return null;
      }
    },
    tokenHeader:
      typeof config.tokens === 'function'
        ? typeof config.tokenHeader === 'string' && config.tokenHeader
          ? config.tokenHeader.toLowerCase()
          : 'authorization'
        : null,
  };
}
