// The redis context store's local copy of what Redis holds: parsed values (a memory store), and values that
// came from Redis (loaded at start, or written by another instance) and were not read here yet, still as their
// JSON. A value is parsed when it is first read or written here, so an instance pays only for what it uses (a
// peer that never reads a 1,000-item list another instance sets on every request does not parse it 20 times a
// second). Keys keep the order they were first set in, as in the memory store.
import type { Logger } from '../logger.js';
import { normalisePropertyExpression } from '../util/properties.js';
import { createMemoryStore } from './memory-store.js';
import type { StoreCallback } from './store.js';

/** The top-level field a property path writes (`a.b[0]` -> `a`, `a["x.y"]` -> `a`). */
const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;
export function topField(key: string): string {
  if (PLAIN_KEY.test(key)) return key;
  const parts = normalisePropertyExpression(key) as unknown[];
  return String(parts[0]);
}

export interface RedisCopy {
  get(scope: string, key: string | string[], callback?: StoreCallback): unknown;
  /** Sets a property path (or several) as the memory store does; a malformed path throws. */
  set(scope: string, key: string | string[], value: unknown): void;
  keys(scope: string, callback?: StoreCallback): string[] | void;
  /** A field's value as Redis has it: its JSON, or null when deleted. */
  receive(scope: string, field: string, json: string | null): void;
  /** A field's current value (undefined when it has none). */
  field(scope: string, field: string): unknown;
  /** Sets a field to a value as it is here (undefined: deletes it). */
  putField(scope: string, field: string, value: unknown): void;
  removeScope(scope: string): void;
  scopes(): string[];
}

export function createRedisCopy(logger: Logger): RedisCopy {
  const parsed = createMemoryStore();
  /** Newer than `parsed` for the fields they hold. */
  const unparsed = new Map<string, Map<string, string>>();

  /** Parses the waiting JSON of `fields` of `scope` (all its fields when undefined). */
  function materialise(scope: string, fields?: Iterable<string>): void {
    const raw = unparsed.get(scope);
    if (!raw) return;
    for (const field of fields ?? [...raw.keys()]) {
      const json = raw.get(field);
      if (json === undefined) continue;
      raw.delete(field);
      try {
        parsed.put(scope, field, JSON.parse(json));
      } catch {
        const data = parsed.scopeData(scope);
        if (data) delete data[field];
        logger.warn(`Context ${scope}: the value of '${field}' in Redis is not JSON; ignored`);
      }
    }
    if (raw.size === 0) unparsed.delete(scope);
  }

  /** Makes the fields a property path (or several) reads or writes current. */
  function materialiseKey(scope: string, key: string | string[]): void {
    if (!unparsed.has(scope)) return;
    let fields: string[] | undefined;
    try {
      fields = Array.isArray(key) ? key.map(topField) : [topField(key)];
    } catch {
      fields = undefined; // a malformed path: the memory store's reading of it reports the error
    }
    materialise(scope, fields);
  }

  const deleteField = (scope: string, field: string) => {
    unparsed.get(scope)?.delete(field);
    const data = parsed.scopeData(scope);
    if (data) delete data[field];
  };

  return {
    get(scope, key, callback) {
      materialiseKey(scope, key);
      return parsed.get(scope, key, callback);
    },
    set(scope, key, value) {
      materialiseKey(scope, key);
      parsed.set(scope, key, value);
    },
    keys(scope, callback) {
      materialise(scope);
      return parsed.keys(scope, callback);
    },
    receive(scope, field, json) {
      if (json === null) { deleteField(scope, field); return; }
      let raw = unparsed.get(scope);
      if (!raw) { raw = new Map(); unparsed.set(scope, raw); }
      raw.set(field, json);
      // a new field takes its place among the keys now
      const data = parsed.scopeData(scope);
      if (!data || !(field in data)) parsed.put(scope, field, undefined);
    },
    field(scope, field) {
      materialise(scope, [field]);
      return parsed.scopeData(scope)?.[field];
    },
    putField(scope, field, value) {
      if (value === undefined) { deleteField(scope, field); return; }
      unparsed.get(scope)?.delete(field);
      parsed.put(scope, field, value);
    },
    removeScope(scope) {
      unparsed.delete(scope);
      void parsed.delete(scope);
    },
    scopes: () => [...new Set([...parsed.scopes(), ...unparsed.keys()])],
  };
}
