// Node and message ids: 16 lowercase hex characters (8 random bytes) like RED.util.generateId.
import { randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(POOL_IDS * 8);
let next = POOL_IDS;

/** A new random id, e.g. `"3f2a9c0b7d41e685"`; bytes come from the crypto RNG, refilled in batches. */
export function generateId(): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next++ * 8;
  return pool.toString('hex', at, at + 8);
}
