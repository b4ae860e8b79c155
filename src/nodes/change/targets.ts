// Where a change rule writes: a message property or a flow/global context entry, for the set / change /
// delete operations, with Node-RED's differences between the two (warnings, stalls, errors).
import type { Node } from '../../runtime/node.js';
import { getMessageProperty, setMessageProperty } from '../../runtime/util/properties.js';
import { ASYNC, ContextRef, type FromParts } from './sources.js';

export const CONTINUE = 0;
export const DROP = 1;
export const PENDING = 2;
/** CONTINUE: next rule; DROP: the message goes no further; PENDING: retry with the callback form. */
export type Outcome = typeof CONTINUE | typeof DROP | typeof PENDING;

export type Op = 'set' | 'change' | 'delete';

const NO_CHANGE: unique symbol = Symbol('no-change');

/**
 * The new value of a `change` rule for `current`, or NO_CHANGE. A string is searched (the whole string
 * equal to a str/num/bool search value is replaced by the typed value itself); numbers and booleans
 * only match a search value of their own type.
 */
function changedValue(current: unknown, from: FromParts, value: unknown, boolResult: boolean): unknown {
  if (typeof current === 'string') {
    const t = from.type;
    if ((t === 'num' || t === 'bool' || t === 'str') && current === from.value) return value;
    const replaced = current.replace(from.re as RegExp, value as string);
    // text that became "true"/"false" with a boolean replacement is the boolean itself
    if (boolResult && replaced === '' + value) return value;
    return replaced;
  }
  if ((typeof current === 'number' || current instanceof Number) && from.type === 'num') {
    return current == Number(from.value) ? value : NO_CHANGE; // eslint-disable-line eqeqeq
  }
  if (typeof current === 'boolean' && from.type === 'bool') {
    return current.toString() === from.value ? value : NO_CHANGE;
  }
  return NO_CHANGE;
}

export interface Target {
  /** Applies the operation synchronously, or answers PENDING (nothing changed) when it cannot. */
  apply(msg: Record<string, unknown>, value: unknown, from: FromParts | undefined): Outcome;
  applyAsync(msg: Record<string, unknown>, value: unknown, from: FromParts | undefined, k: (o: Outcome) => void): void;
}

/** A message property: failures are swallowed, a set under a primitive warns, the message always goes on. */
class MessageTarget implements Target {
  constructor(private readonly node: Node, private readonly op: Op, private readonly path: string, private readonly boolResult: boolean) {}

  apply(msg: Record<string, unknown>, value: unknown, from: FromParts | undefined): Outcome {
    const path = this.path;
    try {
      if (this.op === 'set') {
        if (!setMessageProperty(msg, path, value)) this.node.warn(`Cannot set property of non-object type: ${path}`);
      } else if (this.op === 'delete') {
        setMessageProperty(msg, path, undefined);
      } else {
        const next = changedValue(getMessageProperty(msg, path), from!, value, this.boolResult);
        if (next !== NO_CHANGE) setMessageProperty(msg, path, next);
      }
    } catch {
      // an invalid or unreachable property: the rule does nothing
    }
    return CONTINUE;
  }

  applyAsync(msg: Record<string, unknown>, value: unknown, from: FromParts | undefined, k: (o: Outcome) => void): void {
    k(this.apply(msg, value, from));
  }
}

export const messageTarget = (node: Node, op: Op, path: string, boolResult: boolean): Target =>
  new MessageTarget(node, op, path, boolResult);

/**
 * A flow/global context entry. Store errors are reported (node.error) and drop the message; a `change`
 * that finds nothing to change never completes (the message stops there, as in Node-RED).
 */
export function contextTarget(node: Node, op: Op, scope: string, expr: string): Target {
  const ref = new ContextRef(node, scope, String(expr), /\[msg/);
  const newValue = (current: unknown, value: unknown, from: FromParts | undefined): unknown =>
    op === 'set' ? value : op === 'delete' ? undefined : changedValue(current, from!, value, false);

  const apply = (msg: Record<string, unknown>, value: unknown, from: FromParts | undefined): Outcome => {
    const key = ref.keyFor(msg);
    let current: unknown;
    if (op === 'change') {
      current = ref.trySync(key);
      if (current === ASYNC) return PENDING;
    }
    const next = newValue(current, value, from);
    if (next === NO_CHANGE) return DROP;
    try {
      ref.context.set(key, next, ref.store);
    } catch {
      return PENDING; // async-only store, or an error the callback form reports
    }
    return CONTINUE;
  };

  const applyAsync = (msg: Record<string, unknown>, value: unknown, from: FromParts | undefined, k: (o: Outcome) => void): void => {
    const key = ref.keyFor(msg);
    const write = (next: unknown) => {
      if (next === NO_CHANGE) return k(DROP);
      ref.context.set(key, next, ref.store, ((err: unknown) => {
        if (err) { node.error(err, msg); k(DROP); } else k(CONTINUE);
      }) as never);
    };
    if (op !== 'change') return write(newValue(undefined, value, from));
    ref.getAsync(key, (err, current) => {
      if (err) { node.error(err, msg); return k(DROP); }
      write(newValue(current, value, from));
    });
  };
  return { apply, applyAsync };
}

/** A target of an unknown type (`pt` neither msg, flow nor global): Node-RED never completes the rule. */
export const nowhere: Target = { apply: () => DROP, applyAsync: (_m, _v, _f, k) => k(DROP) };
