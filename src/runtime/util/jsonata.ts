// JSONata expressions as Node-RED prepares them (RED.util.prepare/evaluateJSONataExpression, COMPAT C6):
// $flowContext, $globalContext, $env, $clone bound to the node; legacy `msg` input mode; results normalised.
import type jsonataTypes from 'jsonata';
import { jsonata } from './deps.js';
import { cloneMessage } from './clone.js';
import { getNodeEnv } from './env-lookup.js';
import type { EvalNode } from './typed-value.js';

/** A compiled jsonata expression (assign/evaluate still usable) plus what evaluation needs. */
export type PreparedJSONata = jsonataTypes.Expression & { _legacyMode: boolean; _node?: EvalNode };
export type JSONataCallback = (err: Error | null, result?: unknown) => void;

const LEGACY_MSG = /(^|[^a-zA-Z0-9_'".])msg([^a-zA-Z0-9_'"]|$)/;

function contextGet(node: EvalNode | undefined, kind: 'flow' | 'global', key: unknown, store: unknown): unknown {
  if (!node) return '';
  const ctx = node.context()[kind];
  if (!ctx) throw new Error(`node has no ${kind} context`);
  return ctx.get(key as string, store as string | undefined);
}

function contextGetAsync(node: EvalNode | undefined, kind: 'flow' | 'global', key: unknown, store: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!node) { resolve(''); return; }
    const ctx = node.context()[kind];
    if (!ctx) { reject(new Error(`node has no ${kind} context`)); return; }
    ctx.get(key as string, store as string | undefined, (err: Error | null, value: unknown) => (err ? reject(err) : resolve(value)));
  });
}

/**
 * Compiles `expr` (throws jsonata's error on bad syntax) and binds Node-RED's functions for `node`.
 * `$moment` is not provided (moment.js is not a dependency).
 */
export function prepareJSONataExpression(expr: string, node?: EvalNode): PreparedJSONata {
  const prepared = jsonata()(expr) as PreparedJSONata;
  prepared.assign('flowContext', (key: unknown, store: unknown) => contextGet(node, 'flow', key, store));
  prepared.assign('globalContext', (key: unknown, store: unknown) => contextGet(node, 'global', key, store));
  prepared.assign('env', (name: unknown) => {
    const v = getNodeEnv(node, name as string);
    return v === undefined ? '' : v;
  });
  prepared.registerFunction('clone', (v: unknown) => cloneMessage(v), '<(oa)-:o>');
  prepared._legacyMode = LEGACY_MSG.test(expr);
  prepared._node = node;
  return prepared;
}

/**
 * Gives null-prototype objects made by jsonata (also nested in plain objects/arrays) Object.prototype. A key
 * `__proto__` that an expression built (`{"__proto__": …}`, `{name: value}` from message data) is dropped:
 * once the object has Object.prototype, it would hand the attacker's object on as a prototype.
 */
function normaliseResult(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) normaliseResult(v, seen);
    return value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) return value;
  if (Object.hasOwn(value, '__proto__')) delete (value as Record<string, unknown>)['__proto__'];
  if (proto === null) Object.setPrototypeOf(value, Object.prototype);
  for (const k of Object.keys(value)) normaliseResult((value as any)[k], seen);
  return value;
}

/** Evaluates a prepared expression against msg (context reads use the stores' async form). */
export async function evaluateJSONataAsync(prepared: PreparedJSONata, msg: unknown): Promise<unknown> {
  const input = prepared._legacyMode ? { msg } : msg;
  const node = prepared._node;
  const bindings = {
    flowContext: (key: unknown, store: unknown) => contextGetAsync(node, 'flow', key, store),
    globalContext: (key: unknown, store: unknown) => contextGetAsync(node, 'global', key, store),
  };
  return normaliseResult(await prepared.evaluate(input, bindings), new WeakSet());
}

/**
 * RED.util.evaluateJSONataExpression: calls cb(err, result) once evaluated. A call without a callback
 * throws, as in Node-RED. If the callback throws on success it is called again with that error.
 */
export function evaluateJSONataExpression(prepared: PreparedJSONata, msg: unknown, callback?: JSONataCallback): void {
  if (typeof callback !== 'function') {
    throw new Error('Calls to RED.util.evaluateJSONataExpression must include a callback.');
  }
  evaluateJSONataAsync(prepared, msg).then(
    (result) => {
      try { callback(null, result); } catch (err) { failSafely(callback, err); }
    },
    (err) => failSafely(callback, err),
  );
}

/** Reports an error to the callback; a callback that throws again must not become an unhandled rejection. */
function failSafely(callback: JSONataCallback, err: unknown): void {
  try { callback(err as Error); } catch { /* the caller's own error handler failed; nothing left to report to */ }
}
