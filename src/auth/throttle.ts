// Login throttling (COMPAT A1.2): every token request for a username counts; the 6th within a sliding
// 10-minute window (and every later one) is refused until the window clears. A success clears the user.

export const LOGIN_WINDOW_MS = 600000;
export const MAX_LOGIN_ATTEMPTS = 5;
export const TOO_MANY_ATTEMPTS = 'Too many login attempts. Wait 10 minutes and try again';

export interface LoginThrottle {
  /** Records one attempt; false when this attempt is over the limit and must be refused. */
  attempt(username: string): boolean;
  /** Forgets the attempts of a user (after a successful login). */
  clear(username: string): void;
}

export function createLoginThrottle(opts: { windowMs?: number; maxAttempts?: number; now?: () => number } = {}): LoginThrottle {
  const windowMs = opts.windowMs ?? LOGIN_WINDOW_MS;
  const max = opts.maxAttempts ?? MAX_LOGIN_ATTEMPTS;
  const now = opts.now ?? Date.now;
  const attempts = new Map<string, number[]>();
  let lastSweep = 0;

  /** Drops users whose attempts all left the window; runs at most once a minute. */
  function sweep(at: number) {
    if (at - lastSweep < 60000) return;
    lastSweep = at;
    for (const [user, times] of attempts) {
      if (times[times.length - 1] + windowMs <= at) attempts.delete(user);
    }
  }

  return {
    attempt(username) {
      const at = now();
      sweep(at);
      // Only the latest max+1 attempts can decide whether this one is over the limit.
      const live = (attempts.get(username) ?? []).filter((t) => t + windowMs > at);
      const times = live.slice(Math.max(0, live.length - max));
      times.push(at);
      attempts.set(username, times);
      return times.length <= max;
    },
    clear(username) {
      attempts.delete(username);
    },
  };
}
