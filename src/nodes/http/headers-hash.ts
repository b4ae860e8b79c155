// The marker `http request` leaves in msg.headers ('x-node-red-request-node': a hash of the headers it
// received) so `http response` can tell upstream response headers from headers a flow set. The hash is the
// hash-sum 2.x algorithm Node-RED uses, so values match what Node-RED computes for the same headers.

export const REQUEST_NODE_HEADER = 'x-node-red-request-node';

/** 32-bit string fold: h = h*31 + c, kept non-negative the way hash-sum does it. */
function fold(hash: number, text: string): number {
  if (text.length === 0) return hash;
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h = ((h << 5) - h + text.charCodeAt(i)) | 0;
  }
  return h < 0 ? h * -2 : h;
}

function foldValue(input: number, value: unknown, key: string, seen: unknown[]): number {
  const hash = fold(fold(fold(input, key), Object.prototype.toString.call(value)), typeof value);
  if (value === null) return fold(hash, 'null');
  if (value === undefined) return fold(hash, 'undefined');
  if (typeof value === 'object' || typeof value === 'function') {
    // every object seen once counts as circular afterwards (hash-sum never forgets one)
    if (seen.includes(value)) return fold(hash, '[Circular]' + key);
    seen.push(value);
    const obj = value as Record<string, unknown>;
    let objHash = hash;
    for (const k of Object.keys(obj).sort()) objHash = foldValue(objHash, obj[k], k, seen);
    if (!('valueOf' in obj) || typeof obj.valueOf !== 'function') return objHash;
    try {
      return fold(objHash, String((obj.valueOf as () => unknown)()));
    } catch (err) {
      const e = err as { stack?: string; message?: string };
      return fold(objHash, '[valueOf exception]' + (e?.stack || e?.message));
    }
  }
  return fold(hash, String((value as { toString(): string }).toString()));
}

/** 8+ hex digits identifying `value`'s content. */
export function hashOf(value: unknown): string {
  return foldValue(0, value, '', []).toString(16).padStart(8, '0');
}
