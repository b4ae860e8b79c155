// Where the switch node's values come from: the property it routes on and each rule's values, by type, as
// RED.util.evaluateNodeProperty reads them. A source answers synchronously when it can and says ASYNC when
// only its callback form can (JSONata, a context store without synchronous access). What a source throws
// (an invalid `re` / `bin` / `json` value, a `[msg.x]` context key that does not resolve) is left to the
// caller: where it surfaces decides what Node-RED's switch does with it (evaluate.ts).
import type { Node } from '../../runtime/node.js';
import { getMessageProperty } from '../../runtime/util/properties.js';
import { evaluateNodeProperty } from '../../runtime/util/typed-value.js';
import { evaluateJSONataExpression, type PreparedJSONata } from '../../runtime/util/jsonata.js';
import { ASYNC, ContextRef } from '../change/sources.js';

export { ASYNC };
export type Msg = Record<string, any>;

/** `failure` is the catalogue text of a failed JSONata evaluation; otherwise `value` is the answer. */
export type Answer = (failure: string | undefined, value?: unknown) => void;

export interface ValueSource {
  /** The value, or ASYNC when only `get` can answer. */
  sync(msg: Msg): unknown;
  get(msg: Msg, answer: Answer): void;
  /** A JSONata expression: an exception after its answer comes back to it as its failure (evaluate.ts). */
  readonly isExpression: boolean;
}

/** What a node's sources share: the property value of the last message routed (`prev`), null at first. */
export interface SwitchState {
  previousValue: unknown;
}

// Small classes rather than closures: a node keeps its sources for as long as it runs.
class Constant implements ValueSource {
  readonly isExpression = false;
  constructor(private readonly value: unknown) {}
  sync(): unknown { return this.value; }
  get(_msg: Msg, answer: Answer): void { answer(undefined, this.value); }
}

/** A message property; one that cannot be read (a missing parent, a bad expression) is undefined. */
class MessageValue implements ValueSource {
  readonly isExpression = false;
  constructor(private readonly path: unknown) {}
  sync(msg: Msg): unknown {
    try {
      return getMessageProperty(msg, this.path as string);
    } catch {
      return undefined;
    }
  }
  get(msg: Msg, answer: Answer): void { answer(undefined, this.sync(msg)); }
}

/** A flow / global context entry (`#:(store)::key`, `[msg.x]` parts); a failed read is undefined. */
class ContextValue implements ValueSource {
  readonly isExpression = false;
  private readonly ref: ContextRef;
  constructor(node: Node, scope: string, key: unknown) {
    this.ref = new ContextRef(node, scope, key as string, /\[msg/);
  }
  sync(msg: Msg): unknown { return this.ref.trySync(this.ref.keyFor(msg)); }
  get(msg: Msg, answer: Answer): void {
    this.ref.getAsync(this.ref.keyFor(msg), (err, value) => answer(undefined, err ? undefined : value));
  }
}

/** A value made anew for each message (`re`, `bin`, `json`, `date`, `env`): may throw. */
class PerMessage implements ValueSource {
  readonly isExpression = false;
  constructor(private readonly node: Node, private readonly value: unknown, private readonly type: string) {}
  sync(msg: Msg): unknown { return evaluateNodeProperty(this.value, this.type, this.node, msg); }
  get(msg: Msg, answer: Answer): void { answer(undefined, this.sync(msg)); }
}

class Previous implements ValueSource {
  readonly isExpression = false;
  constructor(private readonly state: SwitchState) {}
  sync(): unknown { return this.state.previousValue; }
  get(_msg: Msg, answer: Answer): void { answer(undefined, this.state.previousValue); }
}

/** A prepared JSONata expression, always evaluated asynchronously; `invalid` words its failure. */
class Expression implements ValueSource {
  readonly isExpression = true;
  constructor(private readonly expr: PreparedJSONata | undefined, private readonly invalid: (err: any) => string) {}
  sync(): unknown { return ASYNC; }
  get(msg: Msg, answer: Answer): void {
    // (an expression that was never prepared — a second value typed jsonata without a value — fails here)
    evaluateJSONataExpression(this.expr as PreparedJSONata, msg, (err, value) => {
      if (err) answer(this.invalid(err));
      else answer(undefined, value);
    });
  }
}

const PER_MESSAGE = new Set(['json', 're', 'date', 'bin', 'env']);

/** A value of a typed input: msg, flow, global, the types made per message, else a constant (str, num, bool…). */
export function typedSource(node: Node, value: unknown, type: unknown): ValueSource {
  if (type === 'msg') return new MessageValue(value);
  if (type === 'flow' || type === 'global') return new ContextValue(node, type, value);
  if (PER_MESSAGE.has(type as string)) return new PerMessage(node, value, type as string);
  // str, num, bool and types evaluateNodeProperty does not know (the value as it is) never change
  return new Constant(evaluateNodeProperty(value, type as string, node, undefined));
}

export const constantSource = (value: unknown): ValueSource => new Constant(value);
export const previousSource = (state: SwitchState): ValueSource => new Previous(state);
export const expressionSource = (expr: PreparedJSONata | undefined, invalid: (err: any) => string): ValueSource =>
  new Expression(expr, invalid);
