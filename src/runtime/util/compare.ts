// RED.util.compareObjects / ensureString / ensureBuffer with Node-RED's exact (sometimes loose) semantics.

/**
 * Deep equality as Node-RED computes it: arrays element-wise, Buffers by bytes, other objects by their own
 * enumerable keys (so two Dates, or `{a:undefined}` and `{b:undefined}`, compare equal); NaN !== NaN.
 */
export function compareObjects(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!compareObjects(x[i], y[i])) return false;
    return true;
  }
  const bufferA = Buffer.isBuffer(a);
  if (bufferA !== Buffer.isBuffer(b)) return false;
  if (bufferA) return (a as Buffer).equals(b as Buffer);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Object.keys(a).length !== Object.keys(b).length) return false;
  for (const k of Object.keys(a)) {
    if (!compareObjects((a as any)[k], (b as any)[k])) return false;
  }
  return true;
}

/** Text form of any value: Buffers decoded as UTF-8, objects (and null) as JSON, the rest via String. */
export function ensureString(o: unknown): string {
  if (Buffer.isBuffer(o)) return o.toString();
  if (typeof o === 'object') return JSON.stringify(o);
  if (typeof o === 'string') return o;
  return '' + (o as any);
}

/** A Buffer of any value: Buffers as they are, objects as their JSON text, the rest via String. */
export function ensureBuffer(o: unknown): Buffer {
  if (Buffer.isBuffer(o)) return o;
  if (typeof o === 'object') return Buffer.from(JSON.stringify(o));
  return Buffer.from(typeof o === 'string' ? o : '' + (o as any));
}
