// How the redis context store writes a batch of changed fields: one Lua script sets (or deletes) each field of
// its scope's hash and publishes the change, atomically like MULTI/EXEC, so every instance applies the changes
// in the order Redis executed them. The script is sent the head of the message (redis-change.ts) and each value
// once; Redis joins head and values into the published message. With MULTI/EXEC every value went out twice (in
// HSET and inside PUBLISH's message), encoded to UTF-8 and written to the socket twice: a 90 KB list set on
// every request made 180 KB per write.
import { encodeHead, type Change } from './redis-change.js';
import type { RedisClient } from './redis-connection.js';

/** KEYS: one hash per entry. ARGV: channel, head, then per entry: field, 's' or 'd', value ('' for 'd'). */
const WRITE = `
local parts = { ARGV[2] }
for i = 1, #KEYS do
  local field = ARGV[3 * i]
  if ARGV[3 * i + 1] == 'd' then
    redis.call('HDEL', KEYS[i], field)
  else
    local value = ARGV[3 * i + 2]
    redis.call('HSET', KEYS[i], field, value)
    parts[#parts + 1] = value
  end
end
redis.call('PUBLISH', ARGV[1], table.concat(parts))
return #KEYS
`;

/** Writes `change` (its entries: [scope, field, JSON or null to delete]) into `hashOf(scope)` and publishes it. */
export function writeChange(client: RedisClient, channel: string, change: Change & { c: NonNullable<Change['c']> }, hashOf: (scope: string) => string): Promise<unknown> {
  const keys: string[] = [];
  const args: string[] = [channel, encodeHead(change)];
  for (const [scope, field, json] of change.c) {
    keys.push(hashOf(scope));
    args.push(field, json === null ? 'd' : 's', json ?? '');
  }
  return client.eval(WRITE, { keys, arguments: args });
}
