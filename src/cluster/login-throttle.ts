// Login throttling across a cluster: the attempts of a (username, client address) pair are one Redis sorted
// set, `<name>:login:<sha256 of the pair>` (neither name nor address in clear), scored by time; one Lua script
// drops what left the window, records the attempt and answers, so five wrong passwords sent to five
// instances lock that pair out as five sent to one would. Same window and limit as one process.
import { createHash, randomBytes } from 'node:crypto';
import { LOGIN_WINDOW_MS, MAX_LOGIN_ATTEMPTS, type LoginThrottle } from '../auth/throttle.js';
import type { RedisConnection } from '../runtime/context/redis-connection.js';

// KEYS: the pair. ARGV: now, window, max, a unique member. 1 when the attempt is within the limit.
const ATTEMPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 2))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('ZCARD', KEYS[1]) <= tonumber(ARGV[3]) then return 1 end
return 0`;

export function createClusterLoginThrottle(opts: { name: string; connection: () => RedisConnection | undefined }): LoginThrottle {
  const key = (username: string, address: string) =>
    `${opts.name}:login:${createHash('sha256').update(`${address}\u0000${username}`).digest('hex')}`;
  const client = () => {
    const c = opts.connection();
    if (!c) throw new Error('cluster: not connected');
    return c.client;
  };
  return {
    async attempt(username, address) {
      const member = `${Date.now()}-${randomBytes(6).toString('hex')}`;
      const ok = await client().eval(ATTEMPT, {
        keys: [key(username, address)],
        arguments: [String(Date.now()), String(LOGIN_WINDOW_MS), String(MAX_LOGIN_ATTEMPTS), member],
      });
      return ok === 1;
    },
    async clear(username, address) {
      await client().multi().del(key(username, address)).exec();
    },
  };
}
