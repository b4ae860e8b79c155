// When each piece of scheduled work of a cluster last fired: `<name>:fired:<key>` holds the time, read from
// Redis's own clock (so instances whose clocks differ agree), and expires when it no longer matters. A new
// leader reads it to fire the next period of a repeat where the old leader's schedule had it.
import type { RedisConnection } from '../runtime/context/redis-connection.js';
import { withinMs } from '../runtime/context/redis-connection.js';
import type { FiredMarks } from '../runtime/leadership.js';

// KEYS: mark. ARGV: keep ms. Records Redis's time now.
const FIRED = `
local t = redis.call('TIME')
redis.call('SET', KEYS[1], string.format('%d', t[1] * 1000 + math.floor(t[2] / 1000)), 'PX', ARGV[1])
return 1`;

// KEYS: mark. Milliseconds since the recorded time, -1 when there is none.
const SINCE = `
local v = redis.call('GET', KEYS[1])
if v == false then return -1 end
local t = redis.call('TIME')
local since = t[1] * 1000 + math.floor(t[2] / 1000) - tonumber(v)
if since < 0 then return 0 end
return since`;

export function createFiredMarks(opts: { name: string; connection: () => RedisConnection | undefined }): FiredMarks {
  const keyOf = (key: string) => `${opts.name}:fired:${key}`;
  return {
    async since(key) {
      const conn = opts.connection();
      if (!conn) throw new Error('cluster: not connected');
      const ms = await withinMs(conn.client.eval(SINCE, { keys: [keyOf(key)], arguments: [] }), 2000, 'reading when scheduled work last fired');
      return typeof ms === 'number' && ms >= 0 ? ms : undefined;
    },
    fired(key, keepMs) {
      const conn = opts.connection();
      conn?.client.eval(FIRED, { keys: [keyOf(key)], arguments: [String(Math.max(1, Math.ceil(keepMs)))] }).catch(() => undefined);
    },
  };
}
