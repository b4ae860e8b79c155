// JSON from outside the process made safe to hold: without prototype keys (JSON.parse turns `"__proto__"`
// into an own data property, which a later assignment or Object.assign turns into a prototype swap), and
// with a nesting check (JSON.parse takes depths that JSON.stringify and recursive code then overflow on).

/** Own keys that input may never put on an object. */
export const PROTO_KEY = '__proto__';
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True when JSON text could hold a `__proto__` key (spelled out, or hidden behind a `\u` escape). */
export function mayHoldProtoKey(text: string | Buffer): boolean {
  return text.includes(PROTO_KEY) || text.includes('\\u');
}

/**
 * Deletes, in place and at any depth, every own key of `keys` (default: `__proto__` only) from a parsed JSON
 * value. Iterative, so a deeply nested value cannot overflow the stack here. Returns `value`.
 */
export function dropKeysDeep<T>(value: T, keys: ReadonlySet<string> = new Set([PROTO_KEY])): T {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (!Array.isArray(v)) for (const k of keys) if (Object.hasOwn(v, k)) delete (v as Record<string, unknown>)[k];
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') pending.push(child);
  }
  return value;
}

/** JSON.parse (of String(text)) without `__proto__` keys in the result; the walk runs only when the text could hold one. */
export function parseJsonSafely(input: unknown): unknown {
  const text = String(input);
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && mayHoldProtoKey(text) ? dropKeysDeep(value) : value;
}

/** True when `value` nests objects/arrays deeper than `max` levels (the value itself is level 1). Iterative. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const seen = new Set<object>();
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    if (depth > max) return true;
    seen.add(v);
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}
