// Switch node configuration as Node-RED reads it: value types guessed for rules saved without one (a number
// or text), the checkall / repair options with their loose readings.

/** One rule after defaults; `v`/`v2` as the flow file holds them (`num` ones become numbers when evaluated). */
export interface RuleConfig {
  t: unknown;
  v: unknown;
  vt: unknown;
  /** Whether the rule has a second value at all (`btwn`, `index`): without one, v2 is undefined. */
  hasV2: boolean;
  v2: unknown;
  v2t: unknown;
  case: unknown;
}

/** The type of a value saved without one: `num` when it reads as a number ("" and null do), else `str`. */
const guessedType = (v: unknown): string => (isNaN(Number(v)) ? 'str' : 'num');

/** A rule with Node-RED's defaults applied. Never mutates the config. */
export function readRule(rule: Record<string, any>): RuleConfig {
  const vt = rule.vt || guessedType(rule.v); // (read first: a null rule fails on `vt`, as in Node-RED)
  const hasV2 = typeof rule.v2 !== 'undefined';
  return {
    t: rule.t,
    v: rule.v,
    vt,
    hasV2,
    v2: rule.v2,
    // (only a rule with a second value gets a type guessed for it)
    v2t: hasV2 ? rule.v2t || guessedType(rule.v2) : rule.v2t,
    case: rule.case,
  };
}

export interface SwitchOptions {
  property: unknown;
  propertyType: string;
  rules: Array<Record<string, any>>;
  /** checkall "false" (the text; a boolean false means "check all"): stop at the first matching rule. */
  stopAtFirst: boolean;
  /** `repair`: sequences are sent on with new msg.parts per output. */
  repair: boolean;
}

export function readOptions(n: Record<string, any>): SwitchOptions {
  return {
    property: n.property,
    propertyType: n.propertyType || 'msg',
    rules: n.rules || [],
    stopAtFirst: (n.checkall || 'true') == 'false', // eslint-disable-line eqeqeq
    repair: !!n.repair,
  };
}
