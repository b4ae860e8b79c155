// The copy of its config a node is constructed with: a deep copy without `credentials`, in which every
// string that is a whole `${NAME}` / `$(NAME)` reference is replaced by the variable's value (COMPAT C9).
// Flow configs are JSON data, so one pass over plain objects, arrays and primitives copies and substitutes
// at once; anything else in a config (a class instance, a Buffer, symbol keys, a cycle) is left to the
// general deepClone + substituteEnvVars, which give the same result for JSON data.
import { deepClone, put } from './clone.js';
import { referencedValue, substituteEnvVars, type EnvLookup } from './env.js';

/** Deeper than this, the general path takes over (flow configs stay far below it). */
const MAX_DEPTH = 100;

class NotJsonData extends Error {}
const NOT_JSON = new NotJsonData();

function plainObject(v: object): boolean {
  return Object.getPrototypeOf(v) === Object.prototype && Object.getOwnPropertySymbols(v).length === 0;
}

function copy(v: unknown, lookup: EnvLookup, depth: number): unknown {
  if (typeof v === 'string') return referencedValue(v, lookup);
  if (typeof v !== 'object' || v === null) return v;
  if (depth > MAX_DEPTH) throw NOT_JSON;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_JSON;
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], lookup, depth + 1);
    return out;
  }
  if (!plainObject(v)) throw NOT_JSON;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) put(out, keys[i]!, copy((v as Record<string, unknown>)[keys[i]!], lookup, depth + 1));
  return out;
}

/**
 * The node's own copy of `config`. NR_NODE_ID / NR_NODE_NAME come from the config itself (as substituted
 * so far, key by key, like substituteEnvVars does in place); every other name goes to `lookup`.
 */
export function copyNodeConfig<T extends Record<string, unknown>>(config: T, lookup: EnvLookup): T {
  if (plainObject(config)) {
    const out: Record<string, unknown> = {};
    const current = (k: string) => (Object.hasOwn(out, k) ? out[k] : config[k]);
    const scoped: EnvLookup = (name) => (name === 'NR_NODE_ID' ? current('id') : name === 'NR_NODE_NAME' ? current('name') : lookup(name));
    try {
      const keys = Object.keys(config);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (k !== 'credentials') put(out, k, copy(config[k], scoped, 2));
      }
      return out as T;
    } catch (err) {
      if (err !== NOT_JSON) throw err;
    }
  }
  const conf = deepClone(config) as Record<string, unknown>;
  delete conf.credentials;
  return substituteEnvVars(conf, lookup) as T;
}
