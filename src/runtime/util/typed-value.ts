// Typed values of node properties (RED.util.evaluateNodeProperty): str, num, json, bin, bool, re, date,
// msg, flow/global context, env and jsonata (COMPAT C6), plus `#:(store)::key` parsing.
import { getMessageProperty, normalisePropertyExpression } from './properties.js';
import { evaluateEnvProperty, type EnvNode } from './env-lookup.js';
import { formatDate } from './date-format.js';
import { parseJsonSafely } from './safe-json.js';
import { evaluateJSONataExpression, prepareJSONataExpression } from './jsonata.js';

/** A context scope as typed values read it (`get` with a callback is asynchronous). */
export interface Ctx {
  get(key: string, store?: string, cb?: Function): unknown;
}

/** What evaluating a typed value needs from the node doing it; a runtime Node satisfies it. */
export interface EvalNode extends EnvNode {
  id?: string;
  context(): { flow?: Ctx; global?: Ctx };
}

export type ValueCallback = (err: Error | null, value?: unknown) => void;

/** Splits `#:(store)::key` into store and key; other keys come back as `{key}`. */
export function parseContextStore(key: string): { store?: string; key: string } {
  const m = /^#:\((\S+?)\)::(.*)$/.exec(key);
  return m ? { store: m[1]!, key: m[2]! } : { key };
}

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The `bin` typed value: a JSON array of bytes or a JSON string, as a Buffer. */
export function bufferFromJSON(value: unknown): Buffer {
  const data = JSON.parse(value as string);
  if (Array.isArray(data) || typeof data === 'string') return Buffer.from(data as any);
  throw codedError('INVALID_BUFFER_DATA', 'Not string or array');
}

/** The `date` typed value: "" -> ms epoch, "iso" -> ISO text, "object" -> Date, else a moment format. */
export function dateValue(format: unknown): unknown {
  if (!format) return Date.now();
  if (format === 'object') return new Date();
  if (format === 'iso') return new Date().toISOString();
  return formatDate(new Date(), String(format));
}

/** Reads a flow/global context value; keys with `[msg.x]` parts are resolved against msg first. */
function contextValue(kind: 'flow' | 'global', value: string, node: EvalNode, msg: unknown, cb?: ValueCallback): unknown {
  const parsed = parseContextStore(value);
  if (/\[msg/.test(parsed.key)) parsed.key = normalisePropertyExpression(parsed.key, msg, true);
  const ctx = node.context()[kind];
  if (!ctx) throw new Error(`node has no ${kind} context`);
  return ctx.get(parsed.key, parsed.store, cb);
}

/**
 * Evaluates a typed property value. Without a callback the value is returned (and `jsonata` throws);
 * with one, cb(err, value) is called (for context reads and jsonata asynchronously). Unknown types
 * (`node`, `cred`, ...) give the value unchanged. json/bin/re syntax errors are thrown even with a callback.
 */
export function evaluateNodeProperty(value: any, type: string, node: EvalNode | null | undefined, msg: any,
  callback?: ValueCallback): any {
  let result: unknown = value;
  switch (type) {
    case 'str': result = '' + value; break;
    case 'num': result = Number(value); break;
    case 'json': result = parseJsonSafely(value); break;
    case 're': result = new RegExp(value); break;
    case 'date': result = dateValue(value); break;
    case 'bin': result = bufferFromJSON(value); break;
    case 'bool': result = /^true$/i.test(value); break;
    case 'env': result = evaluateEnvProperty(value, node); break;
    case 'msg':
      if (!msg) break;
      try {
        result = getMessageProperty(msg, value);
      } catch (err) {
        if (!callback) throw err;
        callback(err as Error);
        return undefined;
      }
      break;
    case 'flow':
    case 'global':
      if (!node) break;
      result = contextValue(type, value, node, msg, callback);
      if (callback) return undefined;
      break;
    case 'jsonata': {
      const expr = prepareJSONataExpression(value, node ?? undefined);
      if (!callback) return evaluateJSONataExpression(expr, msg);
      evaluateJSONataExpression(expr, msg, callback);
      return undefined;
    }
  }
  if (!callback) return result;
  callback(null, result);
  return undefined;
}
