// Login throttling (COMPAT A1.2): every token request counts against its username and the client address it
// came from (client-address.ts); the 6th within a sliding 10-minute window (and every later one) is refused
// until the window clears. Node-RED counts per username alone, so that anyone able to reach the login could
// lock its owner out; here wrong passwords lock out only the address that sent them. A success clears that
// username at that address.

export const LOGIN_WINDOW_MS = 600000;
export const MAX_LOGIN_ATTEMPTS = 5;
export const TOO_MANY_ATTEMPTS = 'Too many login attempts. Wait 10 minutes and try again';

export interface LoginThrottle {
  /** Records one attempt; false when this attempt is over the limit and must be refused. */
  attempt(username: string, address: string): boolean | Promise<boolean>;
  /** Forgets the attempts of a user from an address (after a successful login from there). */
  clear(username: string, address: string): void | Promise<void>;
  /** How many (username, address) pairs it holds attempts of (this process's own throttle). */
  readonly size?: number;
}

/** One key per (address, username); an address holds no NUL, so no two pairs share a key. */
const keyOf = (username: string, address: string) => `${address}\u0000${username}`;

export function createLoginThrottle(opts: { windowMs?: number; maxAttempts?: number; now?: () => number } = {}): LoginThrottle {
  const windowMs = opts.windowMs ?? LOGIN_WINDOW_MS;
  const max = opts.maxAttempts ?? MAX_LOGIN_ATTEMPTS;
  const now = opts.now ?? Date.now;
  const attempts = new Map<string, number[]>();
  let lastSweep = 0;

  /** Drops the pairs whose attempts all left the window; runs at most once a minute. */
  function sweep(at: number) {
    if (at - lastSweep < 60000) return;
    lastSweep = at;
    for (const [key, times] of attempts) {
      if (times[times.length - 1]! + windowMs <= at) attempts.delete(key);
    }
  }

  return {
    attempt(username, address) {
      const at = now();
      sweep(at);
      const key = keyOf(username, address);
      // Only the latest max+1 attempts can decide whether this one is over the limit.
      const live = (attempts.get(key) ?? []).filter((t) => t + windowMs > at);
      const times = live.slice(Math.max(0, live.length - max));
      times.push(at);
      attempts.set(key, times);
      return times.length <= max;
    },
    clear(username, address) {
      attempts.delete(keyOf(username, address));
    },
    get size() {
      return attempts.size;
    },
  };
}
