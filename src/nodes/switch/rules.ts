// Compiles a switch node's configuration: the source of the property, and for each rule its test and the
// sources of its values. Invalid JSONata (in the property, or any rule value) is reported at deploy with
// Node-RED's catalogue text; such a node then ignores its input.
import type { Node } from '../../runtime/node.js';
import { prepareJSONataExpression, type PreparedJSONata } from '../../runtime/util/jsonata.js';
import { readOptions, readRule, type RuleConfig } from './config.js';
import { testFor, type RuleTest } from './operators.js';
import { constantSource, expressionSource, previousSource, typedSource, type SwitchState, type ValueSource } from './values.js';

export interface CompiledRule {
  test: RuleTest;
  /** An `else` rule: tested against "no rule matched since the last else", not the property. */
  isElse: boolean;
  ignoreCase: unknown;
  v1: ValueSource;
  v2: ValueSource;
  /** A `jsonata_exp` rule's expression: $I and $N are set on it from msg.parts before it is evaluated. */
  positional: PreparedJSONata | undefined;
}

export interface CompiledSwitch {
  property: ValueSource;
  rules: CompiledRule[];
  stopAtFirst: boolean;
  repair: boolean;
  /** Whether messages of a sequence are held until it is complete (repair, or a `tail` rule). */
  holdsSequences: boolean;
  state: SwitchState;
  /** Node-RED's "Invalid JSONata expression: …" for an error. */
  invalidExpression(err: any): string;
}

function firstValue(node: Node, r: RuleConfig, prepared: PreparedJSONata | undefined, c: CompiledSwitch): ValueSource {
  switch (r.vt) {
    case 'prev': return previousSource(c.state);
    case 'jsonata': return expressionSource(prepared, c.invalidExpression);
    // an `istype` rule's value: these two are not evaluated, the type name is the value
    case 'json': return constantSource('json');
    case 'null': return constantSource('null');
    default: return typedSource(node, r.v, r.vt);
  }
}

function secondValue(node: Node, r: RuleConfig, prepared: PreparedJSONata | undefined, c: CompiledSwitch): ValueSource {
  if (r.v2t === 'prev') return previousSource(c.state);
  if (r.v2t === 'jsonata') return expressionSource(prepared, c.invalidExpression);
  if (!r.hasV2) return constantSource(undefined);
  return typedSource(node, r.v2, r.v2t);
}

/** The compiled node, or undefined after each configuration error was reported with node.error. */
export function compileSwitch(node: Node, config: Record<string, any>, text: (key: string, subs?: object) => string): CompiledSwitch | undefined {
  const options = readOptions(config);
  const invalidExpression = (err: any) => text('switch.errors.invalid-expr', { error: err.message });
  const prepare = (expr: unknown): PreparedJSONata | undefined => {
    try {
      return prepareJSONataExpression(expr as string, node);
    } catch (err) {
      node.error(invalidExpression(err));
      return undefined;
    }
  };
  let property: ValueSource;
  if (options.propertyType === 'jsonata') {
    const expr = prepare(options.property);
    if (!expr) return undefined; // (the rules are not even looked at)
    property = expressionSource(expr, invalidExpression);
  } else {
    property = typedSource(node, options.property, options.propertyType);
  }
  const c: CompiledSwitch = {
    property, rules: [], stopAtFirst: options.stopAtFirst, repair: options.repair, holdsSequences: options.repair,
    state: { previousValue: null }, invalidExpression,
  };
  let valid = true;
  const rules = options.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    c.holdsSequences = c.holdsSequences || rule.t === 'tail';
    const r = readRule(rule);
    let first: PreparedJSONata | undefined;
    let second: PreparedJSONata | undefined;
    if (r.vt === 'jsonata') valid = !!(first = prepare(r.v)) && valid;
    if (r.hasV2 && r.v2t === 'jsonata') valid = !!(second = prepare(r.v2)) && valid;
    c.rules.push({
      test: testFor(r.t),
      isElse: (r.t as any) == 'else', // eslint-disable-line eqeqeq
      ignoreCase: r.case,
      v1: firstValue(node, r, first, c),
      v2: secondValue(node, r, second, c),
      positional: r.t === 'jsonata_exp' ? first : undefined,
    });
  }
  return valid ? c : undefined;
}
