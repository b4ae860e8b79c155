// Deep cloning of messages and values with the semantics of lodash.cloneDeep (what Node-RED uses), except
// that Buffers are real copies (Node-RED's clone shares their memory). cloneMessage keeps req/res by reference.

type Seen = Map<object, unknown>;
const objectTag = (v: object): string => Object.prototype.toString.call(v);

/** Sets `key` as an own data property (a plain assignment of `__proto__` would change the prototype). */
export function put(out: any, key: PropertyKey, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

/** Copies own enumerable string and symbol keys of `src` onto `out`, cloning each value. */
function copyProps(src: any, out: any, seen: Seen): any {
  const keys = Object.keys(src);
  for (let i = 0; i < keys.length; i++) put(out, keys[i]!, cloneAny(src[keys[i]!], seen));
  const symbols = Object.getOwnPropertySymbols(src);
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    if (Object.prototype.propertyIsEnumerable.call(src, s)) out[s] = cloneAny(src[s], seen);
  }
  return out;
}

function cloneAny(v: unknown, seen: Seen): unknown {
  if (typeof v !== 'object' || v === null) return v; // primitives; nested functions stay by reference
  const done = seen.get(v);
  if (done !== undefined) return done;
  return cloneObject(v, seen, true);
}

function cloneArray(src: unknown[], seen: Seen): unknown[] {
  const out = new Array(src.length);
  seen.set(src, out);
  for (let i = 0; i < src.length; i++) out[i] = cloneAny(src[i], seen);
  if (src.length && typeof src[0] === 'string' && Object.hasOwn(src, 'index')) {
    (out as any).index = (src as any).index; // RegExp#exec results keep their match info
    (out as any).input = (src as any).input;
  }
  return out;
}

const ctorOf = (v: any, fallback: any): any => (typeof v.constructor === 'function' ? v.constructor : fallback);

/** Clones a non-null object. `nested` decides what happens to values that cannot be cloned. */
function cloneObject(v: any, seen: Seen, nested: boolean): unknown {
  if (Array.isArray(v)) return cloneArray(v, seen);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype) {
    const out = {};
    seen.set(v, out);
    return copyProps(v, out, seen);
  }
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  const tag = objectTag(v);
  let out: any;
  switch (tag) {
    case '[object Object]':
    case '[object Arguments]':
      out = typeof v.constructor === 'function' && v.constructor.prototype !== v ? Object.create(proto) : {};
      break;
    case '[object Date]': out = new (ctorOf(v, Date))(+v); break;
    case '[object Boolean]': return new (ctorOf(v, Boolean))(+v);
    case '[object Number]': return new (ctorOf(v, Number))(v);
    case '[object String]': return new (ctorOf(v, String))(v);
    case '[object Symbol]': return Object(Symbol.prototype.valueOf.call(v));
    case '[object RegExp]':
      out = new (ctorOf(v, RegExp))(v.source, v.flags);
      out.lastIndex = v.lastIndex;
      break;
    case '[object Map]': {
      out = new (ctorOf(v, Map))();
      seen.set(v, out);
      for (const [k, val] of v) out.set(cloneAny(k, seen), cloneAny(val, seen));
      return copyProps(v, out, seen);
    }
    case '[object Set]': {
      out = new (ctorOf(v, Set))();
      seen.set(v, out);
      for (const val of v) out.add(cloneAny(val, seen));
      return copyProps(v, out, seen);
    }
    case '[object ArrayBuffer]': out = v.slice(0); seen.set(v, out); return out;
    case '[object DataView]': return new DataView(v.buffer.slice(0), v.byteOffset, v.byteLength);
    default:
      if (ArrayBuffer.isView(v)) return new (v.constructor as any)(v.buffer.slice(0), v.byteOffset, (v as any).length);
      // Errors, WeakMaps, Promises, class instances with their own toStringTag...: kept as they are
      return nested ? v : {};
  }
  seen.set(v, out);
  return copyProps(v, out, seen);
}

/** A deep clone of any value (cycles and shared references preserved). Functions and uncloneable objects
 *  nested inside are kept by reference; at top level they become `{}` as with lodash. */
export function deepClone<T>(value: T): T {
  if (typeof value === 'function') return copyProps(value, {}, new Map()) as T;
  if (typeof value !== 'object' || value === null) return value;
  return cloneObject(value, new Map(), false) as T;
}

/**
 * Clones a message for a further delivery. `msg.req` and `msg.res` are carried over by reference; as in
 * Node-RED they are re-added after the other keys (on the original too) and dropped when falsy.
 */
export function cloneMessage<T>(msg: T): T {
  if (msg === null || typeof msg !== 'object') return deepClone(msg);
  const m = msg as any;
  if (!Object.hasOwn(m, 'req') && !Object.hasOwn(m, 'res')) return deepClone(msg);
  const { req, res } = m;
  delete m.req;
  delete m.res;
  const copy = deepClone(m);
  if (req) { copy.req = req; m.req = req; }
  if (res) { copy.res = res; m.res = res; }
  return copy;
}
