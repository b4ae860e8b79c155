// Where a change rule's values come from: the `to` value (by `tot`) and the `from` search value (by
// `fromt`), compiled once per node. Each source answers synchronously when it can (ASYNC otherwise) and
// has a callback form; a thrown exception means "skip this rule", as in Node-RED.
import type { Node } from '../../runtime/node.js';
import type { ContextHandle } from '../../runtime/context.js';
import { getMessageProperty, normalisePropertyExpression } from '../../runtime/util/properties.js';
import { dateValue, evaluateNodeProperty, parseContextStore } from '../../runtime/util/typed-value.js';
import { evaluateJSONataExpression, prepareJSONataExpression } from '../../runtime/util/jsonata.js';
import { parseJsonSafely } from '../../runtime/util/safe-json.js';
import type { RuleConfig } from './config.js';

/** Returned by a synchronous read that needs the callback form (JSONata, async context store). */
export const ASYNC: unique symbol = Symbol('async');

export type ValueCallback = (err: unknown, value?: unknown) => void;

export interface ValueSource {
  /** The value, or ASYNC. Throws when the rule is to be skipped. */
  sync(msg: Record<string, unknown>): unknown;
  /** The value through a callback; an error drops the message (after node.error). */
  get(msg: Record<string, unknown>, cb: ValueCallback): void;
}

/** A deploy-time failure: logged with node.error, the node then ignores its input. */
export class RuleConfigError extends Error {}

const escapeForRegExp = (s: string) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');

// Sources (and targets.ts's message target) are small classes, not objects of closures: a change node
// keeps them as long as it runs, and a deploy of thousands of nodes keeps one object per source this way.
class Constant implements ValueSource {
  constructor(private readonly value: unknown) {}
  sync(): unknown { return this.value; }
  get(_msg: Record<string, unknown>, cb: ValueCallback): void { cb(undefined, this.value); }
}
const constant = (value: unknown): ValueSource => new Constant(value);

class SyncOnly implements ValueSource {
  constructor(private readonly read: (msg: Record<string, unknown>) => unknown) {}
  sync(msg: Record<string, unknown>): unknown { return this.read(msg); }
  get(msg: Record<string, unknown>, cb: ValueCallback): void { cb(undefined, this.read(msg)); }
}
const syncOnly = (read: (msg: Record<string, unknown>) => unknown): ValueSource => new SyncOnly(read);

/** A `flow`/`global` context entry, `#:(store)::key` and nested `[msg.x]` keys allowed. */
export class ContextRef {
  private handle: ContextHandle | undefined;
  readonly store: string | undefined;
  private readonly key: string;
  private readonly nested: boolean;

  constructor(private readonly node: Node, private readonly scope: string, expr: string, nestedPattern: RegExp) {
    const parsed = parseContextStore(expr);
    this.store = parsed.store;
    this.key = parsed.key;
    this.nested = nestedPattern.test(parsed.key);
  }

  get context(): ContextHandle {
    return (this.handle ??= (this.node.context() as any)[this.scope] as ContextHandle);
  }

  /** The key for this message (throws for an invalid nested reference: the rule is skipped). */
  keyFor(msg: Record<string, unknown>): string {
    return this.nested ? normalisePropertyExpression(this.key, msg, true) : this.key;
  }

  /** A synchronous read, or ASYNC when the store only answers through a callback (or failed). */
  trySync(key: string): unknown {
    try {
      return this.context.get(key, this.store);
    } catch {
      return ASYNC;
    }
  }

  getAsync(key: string, cb: ValueCallback): void {
    this.context.get(key, this.store, cb as never);
  }
}

function contextSource(node: Node, scope: string, expr: string): ValueSource {
  const ref = new ContextRef(node, scope, String(expr), /\[msg/);
  return {
    sync: (msg) => ref.trySync(ref.keyFor(msg)),
    // a failing context read gives undefined here, as with Node-RED's evaluateNodeProperty
    get: (msg, cb) => ref.getAsync(ref.keyFor(msg), (err, v) => cb(undefined, err ? undefined : v)),
  };
}

function jsonataSource(node: Node, expr: string): ValueSource {
  let prepared: unknown;
  try {
    prepared = prepareJSONataExpression(expr, node);
  } catch (e) {
    throw new RuleConfigError(`Invalid JSONata expression: ${(e as Error).message}`);
  }
  return {
    sync: () => ASYNC,
    get: (msg, cb) => evaluateJSONataExpression(prepared as never, msg, (err: any, value: unknown) => {
      if (err) cb(`Invalid JSONata expression: ${err.message}`);
      else cb(undefined, value);
    }),
  };
}

/** The source of a rule's `to` value. Throws RuleConfigError for invalid JSON / JSONata. */
export function toSource(node: Node, rule: RuleConfig): ValueSource {
  const to = rule.to;
  switch (rule.tot) {
    case 'num': return constant(Number(to));
    case 'bool': return constant(/^true$/i.test(to));
    case 'env': return constant(evaluateNodeProperty(to, 'env', node, undefined as never));
    case 'json':
    case 'bin': {
      let parsed: unknown;
      try {
        parsed = parseJsonSafely(to);
      } catch {
        throw new RuleConfigError("Invalid 'to' JSON property");
      }
      if (rule.tot === 'bin') return syncOnly(() => Buffer.from(parsed as never));
      // objects are parsed anew for each message (each gets its own); primitives are shared
      return parsed !== null && typeof parsed === 'object' ? syncOnly(() => parseJsonSafely(to)) : constant(parsed);
    }
    case 'msg': return syncOnly((msg) => getMessageProperty(msg, to));
    case 'flow':
    case 'global': return contextSource(node, rule.tot, to);
    case 'date': return syncOnly(() => dateValue(to));
    case 'jsonata': return jsonataSource(node, to);
    default: return constant(to);
  }
}

/** What a `change` rule searches for: its type decides how a matching value is recognised. */
export interface FromParts {
  type: string | undefined;
  value: unknown;
  re: RegExp | undefined;
  /** Set when the search value has an unusable type: reported, then the rule still runs (Node-RED quirk). */
  error?: Error;
}

function classify(value: unknown): FromParts {
  if (typeof value === 'number' || value instanceof Number) return { type: 'num', value, re: undefined };
  if (typeof value === 'boolean') return { type: 'bool', value, re: undefined };
  if (value instanceof RegExp) return { type: 're', value, re: value };
  if (typeof value === 'string') return { type: 'str', value, re: new RegExp(escapeForRegExp(value), 'g') };
  const error = new Error(`Invalid 'from' property: unsupported type: ${typeof value}`);
  return { type: undefined, value, re: undefined, error };
}

export interface FromSource {
  /** The parts, or ASYNC. Throws when the rule is to be skipped. */
  sync(msg: Record<string, unknown>): FromParts | typeof ASYNC;
  get(msg: Record<string, unknown>, cb: (err: unknown, parts?: FromParts) => void): void;
}

/** The search value of a `change` rule. Throws RuleConfigError for an invalid regular expression. */
export function fromSource(node: Node, rule: RuleConfig): FromSource {
  const from = rule.from;
  if (rule.fromt === 'msg') {
    return {
      sync: (msg) => classify(getMessageProperty(msg, from)),
      get: (msg, cb) => cb(undefined, classify(getMessageProperty(msg, from))),
    };
  }
  if (rule.fromt === 'flow' || rule.fromt === 'global') {
    const ref = new ContextRef(node, rule.fromt, from, /\[msg\./);
    return {
      sync: (msg) => {
        const v = ref.trySync(ref.keyFor(msg));
        return v === ASYNC ? ASYNC : classify(v);
      },
      get: (msg, cb) => ref.getAsync(ref.keyFor(msg), (err, v) => (err ? cb(err) : cb(undefined, classify(v)))),
    };
  }
  // (a `from` that is not text fails here like in Node-RED: the node does not start)
  const pattern: string = rule.fromt === 're' ? from : escapeForRegExp(from);
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'g');
  } catch (e) {
    throw new RuleConfigError(`Invalid 'from' property: ${(e as Error).message}`);
  }
  const parts: FromParts = { type: rule.fromt, value: from, re };
  return { sync: () => parts, get: (_msg, cb) => cb(undefined, parts) };
}
