// The inject node's message properties (COMPAT D1): the legacy payload/topic form turned into a props
// list, deploy-time JSONata checks, and evaluating the list in order into a new message.
import type { Node } from '../../runtime/node.js';
import { evaluateNodeProperty } from '../../runtime/util/typed-value.js';
import { evaluateJSONataExpression, prepareJSONataExpression } from '../../runtime/util/jsonata.js';
import { normalisePropertyExpression, setMessageProperty } from '../../runtime/util/properties.js';

/** One configured property: message path `p`, value `v` of type `vt` (missing: "" and `str`). */
export interface InjectProp { p?: unknown; v?: unknown; vt?: unknown }
type Msg = Record<string, unknown>;

const PROTO_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The props to inject, from `props` or (no array) the legacy `payload`/`payloadType`/`topic`. A `payload`
 * entry without `v` takes payload and payloadType; a string `topic` entry without `v` takes topic.
 * A non-object entry throws a TypeError, as it does in Node-RED.
 */
export function configuredProps(n: Record<string, any>): InjectProp[] {
  if (!Array.isArray(n.props)) {
    return [{ p: 'payload', v: n.payload, vt: n.payloadType }, { p: 'topic', v: n.topic, vt: 'str' }];
  }
  return n.props.map((prop: InjectProp) => {
    const own = Object.hasOwn(prop, 'v');
    if (prop.p === 'payload' && !own) return { ...prop, v: n.payload, vt: n.payloadType };
    if (prop.p === 'topic' && prop.vt === 'str' && !own) return { ...prop, v: n.topic };
    return { ...prop };
  });
}

/** Deploy-time check of JSONata props: one "Invalid JSONata expression: …" text per bad expression. */
export function jsonataErrors(props: InjectProp[], node: Node): string[] {
  const errors: string[] = [];
  for (const prop of props) {
    if (prop.vt !== 'jsonata') continue;
    try {
      prepareJSONataExpression((prop.v ? prop.v : '') as string, node);
    } catch (err) {
      errors.push('Invalid JSONata expression: ' + (err as Error).message);
    }
  }
  return errors;
}

/** Paths naming a prototype key are skipped (Node-RED sets nothing visible for them either). */
function namesPrototypeKey(path: string): boolean {
  try {
    return (normalisePropertyExpression(path) as unknown[]).some((k) => typeof k === 'string' && PROTO_KEYS.has(k));
  } catch {
    return false;
  }
}

/** Sets one evaluated value; a bad path becomes an error text. */
function store(msg: Msg, path: unknown, value: unknown, errors: string[]): void {
  if (typeof path === 'string' && namesPrototypeKey(path)) return;
  try {
    setMessageProperty(msg, path as string, value, true);
  } catch (err) {
    errors.push(String(err));
  }
}

/**
 * Evaluates `props` in order into `msg` (later props may read earlier ones through `msg` values).
 * Calls `finished(errors)` once, with every failure's text; `failed(err)` instead on an unexpected
 * exception (a non-object prop), which stops the evaluation.
 */
export function evaluateProps(node: Node, props: readonly InjectProp[], msg: Msg,
  finished: (errors: string[]) => void, failed: (err: unknown) => void): void {
  const errors: string[] = [];
  let i = 0;
  const next = (): void => {
    try {
      while (i < props.length) {
        const prop = props[i++]!;
        const path = prop.p;
        if (!path) continue;
        const type = prop.vt !== undefined ? prop.vt : 'str';
        if (type === 'jsonata') {
          if (!prop.v) continue;
          let prepared;
          try {
            prepared = prepareJSONataExpression(prop.v as string, node);
          } catch (err) {
            errors.push((err as Error).message);
            continue;
          }
          evaluateJSONataExpression(prepared, msg, once((err, value) => {
            if (err) errors.push('Invalid JSONata expression: ' + err.message);
            else store(msg, path, value, errors);
            next();
          }));
          return;
        }
        // context reads from an asynchronous store answer later: the loop then resumes from the callback
        let answered = false;
        let waiting = false;
        try {
          evaluateNodeProperty(prop.v !== undefined ? prop.v : '', type as string, node, msg, once((err, value) => {
            if (err) errors.push(String(err));
            else store(msg, path, value, errors);
            if (waiting) next();
            else answered = true;
          }));
        } catch (err) {
          errors.push(String(err));
          continue;
        }
        if (!answered) {
          waiting = true;
          return;
        }
      }
    } catch (err) {
      failed(err);
      return;
    }
    finished(errors);
  };
  next();
}

/** Wraps a callback so that only its first call counts. */
function once<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let called = false;
  return (...args: A) => {
    if (called) return;
    called = true;
    fn(...args);
  };
}
