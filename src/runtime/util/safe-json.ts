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

/** What the quick nesting check looks at before it leaves a value to the exact one. */
const QUICK_DEPTH = 200;
const QUICK_VISITS = 100_000;

/**
 * The quick nesting check: a plain recursive walk with no record of what was seen. True when every path
 * stays within `cap` levels; false when one goes deeper, or when the walk takes more than its share of
 * visits (a value sharing objects many times), and in both cases also for a cycle, which only the exact
 * check tells apart from deep nesting.
 */
function staysWithin(v: object, depth: number, cap: number, budget: { left: number }): boolean {
  if (depth > cap || --budget.left < 0) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c: unknown = v[i];
      if (c !== null && typeof c === 'object' && !staysWithin(c, depth + 1, cap, budget)) return false;
    }
    return true;
  }
  for (const k of Object.keys(v)) {
    const c: unknown = (v as Record<string, unknown>)[k];
    if (c !== null && typeof c === 'object' && !staysWithin(c, depth + 1, cap, budget)) return false;
  }
  return true;
}

/** True when `value` nests objects/arrays deeper than `max` levels (the value itself is level 1). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (staysWithin(value, 1, Math.min(max, QUICK_DEPTH), { left: QUICK_VISITS })) return false;
  return exactlyDeeperThan(value, max);
}

/** The exact check: iterative, each object looked at once. */
function exactlyDeeperThan(value: unknown, max: number): boolean {
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
