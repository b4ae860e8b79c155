// Runs one message through a switch node's rules: the property, then for each rule its values and its test,
// in order (after a match with checkall "false" nothing more is read) — synchronously while every value can
// be read so, resuming from a callback when one cannot (JSONata, a context store without synchronous access).
//
// Node-RED's switch evaluates in nested callbacks, so what becomes of an exception thrown while reading a
// value depends on what encloses it there; `catcher` tracks that:
//  - nothing (the first rule's values, the property): the node reports it against the message and stops;
//  - an earlier rule's test (its try block also runs every later step done in the same turn): the message
//    fails with it;
//  - a JSONata callback (a later step resumed from its answer): that expression's "Invalid JSONata
//    expression: …" — a warning if it was the property, else the message fails with it;
//  - the callback of a context store without synchronous access: taken as nothing here (Node-RED's file
//    store would call back a second time, with an error the switch reads as undefined, and go on twice).
import { ASYNC, type Msg, type ValueSource } from './values.js';
import type { CompiledRule, CompiledSwitch } from './rules.js';

/** ROUTED: value is the array of outputs (the message or null by rule); WARNED: a text for node.warn; FAILED:
 *  an error for node.error with the message; THREW: the node stops (value: what was thrown). */
export const ROUTED = 0;
export const WARNED = 1;
export const FAILED = 2;
export const THREW = 3;
export type Outcome = typeof ROUTED | typeof WARNED | typeof FAILED | typeof THREW;
export type Finish = (outcome: Outcome, value: unknown) => void;

const UNCAUGHT = 0;
const IN_RULE = 1;
const IN_PROPERTY_EXPRESSION = 2;
const IN_RULE_EXPRESSION = 3;
type Catcher = typeof UNCAUGHT | typeof IN_RULE | typeof IN_PROPERTY_EXPRESSION | typeof IN_RULE_EXPRESSION;

export class RuleRun {
  private property: unknown;
  private index = 0;
  private v1: unknown;
  private hasV1 = false;
  /** Whether no rule matched since the start or the last `else` (what an `else` rule tests). */
  private elseflag = true;
  private catcher: Catcher = UNCAUGHT;
  private settled = false;
  private readonly onward: unknown[] = [];

  constructor(private readonly sw: CompiledSwitch, private readonly msg: Msg, private readonly hasParts: boolean,
    private readonly finish: Finish) {}

  start(): void {
    try {
      const value = this.sw.property.sync(this.msg);
      if (value !== ASYNC) {
        this.property = value;
        this.applyRules();
        return;
      }
      this.wait(this.sw.property, WARNED, (v) => {
        this.property = v;
        this.applyRules();
      });
    } catch (err) {
      this.caught(err);
    }
  }

  private applyRules(): void {
    const rules = this.sw.rules;
    if (rules.length === 0) {
      this.end(ROUTED, this.onward); // (no rules: the previous value is not kept either)
      return;
    }
    for (;;) {
      const rule = rules[this.index]!;
      if (!this.hasV1) {
        if (rule.positional && this.hasParts) {
          rule.positional.assign('I', this.msg.parts.index);
          rule.positional.assign('N', this.msg.parts.count);
        }
        const v1 = rule.v1.sync(this.msg);
        if (v1 === ASYNC) {
          this.wait(rule.v1, FAILED, (v) => {
            this.v1 = v;
            this.hasV1 = true;
            this.applyRules();
          });
          return;
        }
        this.v1 = v1;
        this.hasV1 = true;
      }
      const v2 = rule.v2.sync(this.msg);
      if (v2 === ASYNC) {
        this.wait(rule.v2, FAILED, (v) => {
          if (this.test(rule, v)) this.applyRules();
        });
        return;
      }
      if (!this.test(rule, v2)) return;
    }
  }

  /** Tests the current rule; true when the next rule is to be applied. */
  private test(rule: CompiledRule, v2: unknown): boolean {
    let subject = this.property;
    if (rule.isElse) {
      subject = this.elseflag;
      this.elseflag = true;
    }
    let matched: unknown;
    try {
      matched = rule.test(subject, this.v1, v2, rule.ignoreCase, this.msg.parts);
    } catch (err) {
      this.end(FAILED, err);
      return false;
    }
    this.catcher = IN_RULE;
    this.hasV1 = false;
    if (matched) {
      this.onward.push(this.msg);
      this.elseflag = false;
      if (this.sw.stopAtFirst) return this.complete();
    } else {
      this.onward.push(null);
    }
    if (this.index < this.sw.rules.length - 1) {
      this.index++;
      return true;
    }
    return this.complete();
  }

  private complete(): false {
    this.sw.state.previousValue = this.property;
    this.end(ROUTED, this.onward);
    return false;
  }

  /** Reads a source through its callback; `failed` is the outcome of a JSONata failure. */
  private wait(source: ValueSource, failed: typeof WARNED | typeof FAILED, then: (value: unknown) => void): void {
    let answered = false;
    let inCall = true;
    source.get(this.msg, (failure, value) => {
      if (answered) return;
      answered = true;
      if (failure !== undefined) {
        this.end(failed, failure);
        return;
      }
      // (an answer given during the call goes on in the same turn, inside whatever encloses the call)
      if (!inCall) {
        this.catcher = !source.isExpression ? UNCAUGHT : failed === WARNED ? IN_PROPERTY_EXPRESSION : IN_RULE_EXPRESSION;
      }
      this.guarded(() => then(value));
    });
    inCall = false;
  }

  private guarded(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.caught(err);
    }
  }

  private caught(err: unknown): void {
    if (this.settled) throw err; // (not from the rules: from what was done with their outcome)
    switch (this.catcher) {
      case IN_RULE: this.end(FAILED, err); break;
      case IN_PROPERTY_EXPRESSION: this.end(WARNED, this.sw.invalidExpression(err)); break;
      case IN_RULE_EXPRESSION: this.end(FAILED, this.sw.invalidExpression(err)); break;
      default: this.end(THREW, err);
    }
  }

  private end(outcome: Outcome, value: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.finish(outcome, value);
  }
}
