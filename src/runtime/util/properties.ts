// Property expressions (`a.b[0]["c"]`, `a[msg.x]`): parsing with a bounded cache of parsed paths, and
// get/set on messages and objects with RED.util semantics (COMPAT C6). Prototype keys are refused on write.

/** An error with the `code` Node-RED puts on property-expression failures. */
export interface CodedUtilError extends Error { code: string }

function invalid(message: string): CodedUtilError {
  const err = new Error(message) as CodedUtilError;
  err.code = 'INVALID_EXPR';
  return err;
}
const bad = (what: string) => invalid('Invalid property expression: ' + what);

const DIGITS = /^\d+$/;
const IDENT_START = /[a-z0-9$_]/i;
const toPart = (v: string): string | number => (DIGITS.test(v) ? parseInt(v, 10) : v);
const startsCrossRef = (s: string, at: number) => s.startsWith('msg.', at) || s.startsWith('msg[', at);

/** Parses an expression into its parts; `[msg.x]` parts resolve against `msg` when given, else nest. */
function parse(str: string, msg: unknown): unknown[] {
  const len = str.length;
  if (len === 0) throw bad('zero-length');
  const parts: unknown[] = [];
  let start = 0;
  let inString = false;
  let inBox = false;
  let quote = '';
  for (let i = 0; i < len; i++) {
    const c = str[i]!;
    if (inString) {
      if (c !== quote) continue;
      if (i === start) throw bad(`zero-length string at position ${start}`);
      parts.push(str.substring(start, i));
      const next = str[i + 1];
      if (inBox) {
        if (next !== ']') throw bad(`unexpected array expression at position ${start}`);
      } else if (i + 1 !== len && next !== '[' && next !== '.') {
        throw bad(`unexpected ${next} expression at position ${i + 1}`);
      }
      start = i + 1;
      inString = false;
    } else if (c === '"' || c === "'") {
      if (i !== start) throw bad(`unexpected ${c} at position ${i}`);
      inString = true;
      quote = c;
      start = i + 1;
    } else if (c === '.') {
      if (i === 0) throw bad('unexpected . at position 0');
      if (start !== i) parts.push(toPart(str.substring(start, i)));
      if (i === len - 1) throw bad('unterminated expression');
      if (!IDENT_START.test(str[i + 1]!)) throw bad(`unexpected ${str[i + 1]} at position ${i + 1}`);
      start = i + 1;
    } else if (c === '[') {
      if (i === 0) throw bad(`unexpected [ at position ${i}`);
      if (start !== i) parts.push(str.substring(start, i));
      if (i === len - 1) throw bad('unterminated expression');
      if (startsCrossRef(str, i + 1)) {
        const end = closingBracket(str, i + 1);
        if (end < 0) throw bad(`unmatched '[' at position ${i}`);
        parts.push(crossReference(str.substring(i + 1, end), i + 1, msg));
        inBox = false;
        i = end;
        start = end + 1;
        continue;
      }
      const next = str[i + 1]!;
      if (next !== '"' && next !== "'" && !(next >= '0' && next <= '9')) {
        throw bad(`unexpected ${next} at position ${i + 1}`);
      }
      start = i + 1;
      inBox = true;
    } else if (c === ']') {
      if (!inBox) throw bad(`unexpected ] at position ${i}`);
      if (start !== i) {
        const v = str.substring(start, i);
        if (!DIGITS.test(v)) throw bad(`unexpected array expression at position ${start}`);
        parts.push(parseInt(v, 10));
      }
      start = i + 1;
      inBox = false;
    } else if (c === ' ') {
      throw bad(`unexpected ' ' at position ${i}`);
    }
  }
  if (inBox || inString) throw bad('unterminated expression');
  if (start < len) parts.push(str.substring(start));
  return parts;
}

/** Index of the `]` closing a nested expression that starts at `from` (brackets counted, quotes ignored). */
function closingBracket(str: string, from: number): number {
  let depth = 1;
  for (let j = from; j < str.length; j++) {
    if (str[j] === '[') depth++;
    else if (str[j] === ']' && --depth === 0) return j;
  }
  return -1;
}

function crossReference(inner: string, position: number, msg: unknown): unknown {
  try {
    if (!msg) return parse(inner, msg);
    const value = getMessageProperty(msg, inner);
    if (value === undefined) throw invalid('undefined reference');
    return value;
  } catch {
    throw invalid(`Invalid expression started at position ${position}`);
  }
}

/** Parsed parts plus whether every part is a plain string/number key that is not a prototype key. */
interface ParsedPath { readonly parts: readonly unknown[]; readonly plain: boolean }

const PROTO_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const isPlainKey = (p: unknown): boolean => typeof p === 'number' || (typeof p === 'string' && !PROTO_KEYS.has(p));

const CACHE_LIMIT = 2000;
const pathCache = new Map<string, ParsedPath>();
/** Same, keyed by the text as given to the *MessageProperty functions (with any leading `msg.`). */
const messagePathCache = new Map<string, ParsedPath>();

function remember(cache: Map<string, ParsedPath>, key: string, path: ParsedPath): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, path);
}

/** Parsed `expr`; expressions without `[msg` cross-references are cached (their parts must not be mutated). */
function pathOf(expr: unknown, msg: unknown): ParsedPath {
  if (typeof expr !== 'string') throw bad('not a string');
  const hit = pathCache.get(expr);
  if (hit) return hit;
  const parts = parse(expr, msg);
  const path = { parts, plain: parts.every(isPlainKey) };
  if (!expr.includes('[msg')) remember(pathCache, expr, path);
  return path;
}

/** As pathOf for message expressions, which may start with `msg.`. */
function messagePathOf(expr: unknown, msg: unknown): ParsedPath {
  if (typeof expr !== 'string') throw bad('not a string');
  const hit = messagePathCache.get(expr);
  if (hit) return hit;
  const path = pathOf(expr.startsWith('msg.') ? expr.substring(4) : expr, msg);
  if (!expr.includes('[msg')) remember(messagePathCache, expr, path);
  return path;
}

/**
 * Validates and splits a property expression: `a["b"][0]` -> `['a','b',0]`. With `msg`, nested `[msg.x]`
 * parts are replaced by their values; without, they become nested part arrays. `toString` returns the
 * canonical `a["b"][0]` text instead. Throws an Error with code INVALID_EXPR on bad syntax.
 */
export function normalisePropertyExpression(str: string, msg?: unknown, toString?: boolean): any {
  const parts = [...pathOf(str, msg).parts];
  if (!toString) return parts;
  let result: any = parts.shift();
  for (const p of parts) {
    const text = typeof p === 'string' ? (p.includes('"') ? `'${p}'` : `"${p}"`) : p;
    result = result + '[' + text + ']';
  }
  return result;
}

/** A part as the property key it will be used as (strings and numbers stay, anything else is stringified once). */
const asKey = (part: unknown): PropertyKey =>
  typeof part === 'string' || typeof part === 'number' || typeof part === 'symbol' ? part : String(part);

/** Reads one step; prototype keys only ever yield an own data value of a non-function. */
function readStep(obj: any, key: PropertyKey): unknown {
  if (typeof key === 'string' && PROTO_KEYS.has(key) && obj !== null && obj !== undefined) {
    if (typeof obj === 'function' || !Object.hasOwn(obj, key)) return undefined;
    return Object.getOwnPropertyDescriptor(obj, key)?.value;
  }
  return obj[key]; // throws the native TypeError when obj is null/undefined ("missing parent")
}

function read(obj: unknown, path: ParsedPath): any {
  const parts = path.parts;
  let cur: any = obj;
  if (path.plain) {
    for (let i = 0; i < parts.length; i++) cur = cur[parts[i] as string]; // TypeError when a parent is missing
    return cur;
  }
  for (let i = 0; i < parts.length; i++) cur = readStep(cur, asKey(parts[i]));
  return cur;
}

/** Gets `expr` of `obj`: undefined for a missing leaf, throws (TypeError) when a parent is missing. */
export function getObjectProperty(obj: unknown, expr: string): any {
  return read(obj, pathOf(expr, obj));
}

/** As getObjectProperty, accepting a leading `msg.`. */
export function getMessageProperty(msg: unknown, expr: string): any {
  return read(msg, messagePathOf(expr, msg));
}

function refuseProtoKeys(path: ParsedPath): void {
  if (path.plain) return;
  for (const p of path.parts) {
    const key = asKey(p);
    if (typeof key === 'string' && PROTO_KEYS.has(key)) {
      throw bad(`'${key}' may not be used as a property name`);
    }
  }
}

/** Creates the container for a missing parent (array when the following key is not a string). */
function createChild(obj: any, key: PropertyKey, nextKey: unknown): any {
  const child = typeof nextKey === 'string' ? {} : [];
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return obj?.[key];
  obj[key] = child;
  return child;
}

/**
 * Sets `prop` of `obj` to `value` (undefined deletes; array elements are spliced). Missing parents are
 * created when `createMissing` (default: value !== undefined). Returns false when a parent is a
 * primitive or missing without createMissing. Throws INVALID_EXPR for `__proto__`/`constructor`/`prototype`.
 */
export function setObjectProperty(obj: unknown, prop: string, value: unknown, createMissing?: boolean): boolean {
  return write(obj, pathOf(prop, obj), value, createMissing);
}

function write(obj: unknown, path: ParsedPath, value: unknown, createMissing: boolean | undefined): boolean {
  const create = createMissing === undefined ? value !== undefined : createMissing;
  refuseProtoKeys(path);
  const parts = path.parts;
  const last = parts.length - 1;
  let cur: any = obj;
  for (let i = 0; i < last; i++) {
    const part = parts[i];
    if (typeof part === 'string' || (typeof part === 'number' && !Array.isArray(cur))) {
      if (Object.hasOwn(cur, part)) {
        const v = cur[part];
        if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return false;
        cur = v;
      } else if (create) {
        cur = createChild(cur, part, parts[i + 1]);
      } else {
        return false;
      }
    } else if (typeof part === 'number') {
      if (cur[part] !== undefined) cur = cur[part];
      else if (create) cur = createChild(cur, part, parts[i + 1]);
      else return false;
    }
  }
  const key = asKey(parts[last]);
  if (value === undefined) {
    if (typeof key === 'number' && Array.isArray(cur)) cur.splice(key, 1);
    else if (cur === null || cur === undefined || typeof cur === 'object' || typeof cur === 'function') delete cur[key];
    return true;
  }
  if (typeof cur !== 'object' || cur === null) return false;
  cur[key] = value;
  return true;
}

/** As setObjectProperty, accepting a leading `msg.`. */
export function setMessageProperty(msg: unknown, prop: string, value: unknown, createMissing?: boolean): boolean {
  return write(msg, messagePathOf(prop, msg), value, createMissing);
}
