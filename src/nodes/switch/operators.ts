// What each switch rule type tests, with Node-RED's semantics: loose `==` / `<` comparisons (numbers against
// numeric strings, null against undefined), searches in the value as text, sequence positions from msg.parts.
// A test may throw (an invalid regular expression, a message without msg.parts): the message then fails.

/**
 * A rule's test: (a) the property (or, for `else`, whether no rule matched since the last `else`), (b) and (c)
 * the rule's values, (d) its `case` flag, then msg.parts. The one-letter names are kept on purpose: V8 puts
 * the expression into a TypeError's text ("a.hasOwnProperty is not a function"), and Node-RED's reads so.
 */
export type RuleTest = (a: any, b: any, c: any, d: any, parts: any) => unknown;

/** The size `empty` / `nempty` look at: text, array and Buffer lengths, an object's own keys; else none. */
function sizeOf(a: any): number | undefined {
  if (typeof a === 'string' || Array.isArray(a) || Buffer.isBuffer(a)) return a.length;
  if (typeof a === 'object' && a !== null) return Object.keys(a).length;
  return undefined;
}

function parsesAsJSON(a: any): boolean {
  try {
    JSON.parse(a); // (anything is read as text first: 5, true, null and [1] parse, undefined and {} do not)
    return true;
  } catch {
    return false;
  }
}

/** `istype`: arrays, Buffers and null are types of their own, never "object"; NaN is not a number. */
function isOfType(a: any, type: any): boolean {
  switch (type) {
    case 'array': return Array.isArray(a);
    case 'buffer': return Buffer.isBuffer(a);
    case 'json': return parsesAsJSON(a);
    case 'null': return a === null;
    case 'number': return typeof a === 'number' && !isNaN(a);
    default: return typeof a === type && !Array.isArray(a) && !Buffer.isBuffer(a) && a !== null;
  }
}

/* eslint-disable eqeqeq */
/**
 * The tests by rule type. A plain object on purpose: a type is looked up in it as Node-RED looks it up in its
 * own table (so a type naming an Object.prototype method runs that method, and its own keys are these).
 */
const TESTS: Record<string, RuleTest> = {
  eq: (a, b) => a == b,
  neq: (a, b) => a != b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  // either order of the bounds
  btwn: (a, b, c) => (a >= b && a <= c) || (a <= b && a >= c),
  cont: (a, b) => (a + '').indexOf(b) !== -1,
  regex: (a, b, _c, d) => {
    const text = a + '';
    return text.match(new RegExp(b, d ? 'i' : '')); // a match array (truthy) or null
  },
  true: (a) => a === true,
  false: (a) => a === false,
  null: (a) => a === undefined || a === null,
  nnull: (a) => a !== undefined && a !== null,
  empty: (a) => sizeOf(a) === 0,
  nempty: (a) => {
    const size = sizeOf(a);
    return size !== undefined && size !== 0;
  },
  istype: (a, b) => isOfType(a, b),
  // the sequence tests read msg.parts as it is: a message without one fails with the TypeError
  head: (_a, b, _c, _d, parts) => {
    const first = Number(b);
    return parts.index < first;
  },
  tail: (_a, b, _c, _d, parts) => {
    const last = Number(b);
    return parts.count - last <= parts.index;
  },
  index: (_a, b, c, _d, parts) => {
    const from = Number(b);
    const to = Number(c);
    const at = parts.index;
    return from <= at && at <= to;
  },
  // a key given as an object never matches; the value's own hasOwnProperty is used (strings have index keys)
  hask: (a, b) => a !== undefined && a !== null && typeof b !== 'object' && a.hasOwnProperty(b + ''),
  jsonata_exp: (_a, b) => b === true,
  else: (a) => a === true,
};
/* eslint-enable eqeqeq */

function missingTest(): never {
  throw new TypeError('operators[rule.t] is not a function'); // (Node-RED's text for a type it has no test for)
}

/** The test of rule type `t`; a type without one fails each message that reaches the rule. */
export function testFor(t: unknown): RuleTest {
  const key = t as string;
  const test: unknown = TESTS[key];
  if (typeof test !== 'function') return missingTest;
  if (Object.hasOwn(TESTS, key)) return test as RuleTest;
  return (...args) => (test as Function).apply(TESTS, args);
}
