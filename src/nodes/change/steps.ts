// Compiles change rules into steps (a move becomes set + delete steps) and runs one step: value, search
// value, then the target — synchronously when every part can, else through callbacks.
import type { Node } from '../../runtime/node.js';
import { cloneMessage } from '../../runtime/util/clone.js';
import type { RuleConfig } from './config.js';
import { ASYNC, fromSource, RuleConfigError, toSource, type FromParts, type FromSource, type ValueSource } from './sources.js';
import { CONTINUE, DROP, PENDING, contextTarget, messageTarget, nowhere, type Op, type Outcome, type Target } from './targets.js';

export class Step {
  constructor(
    private readonly node: Node,
    private readonly to: ValueSource,
    private readonly from: FromSource | undefined,
    private readonly target: Target,
    private readonly deepCopy: boolean,
  ) {}

  /** One synchronous attempt; PENDING means nothing was changed and runAsync must do the work. */
  run(msg: Record<string, unknown>): Outcome {
    let value: unknown;
    let from: FromParts | undefined;
    try {
      value = this.to.sync(msg);
      if (value === ASYNC) return PENDING;
      if (this.deepCopy) value = cloneMessage(value);
      if (this.from) {
        const parts = this.from.sync(msg);
        if (parts === ASYNC || parts.error) return PENDING; // the callback form reports the error
        from = parts;
      }
      return this.target.apply(msg, value, from);
    } catch {
      return CONTINUE; // an unreadable value or property: the rule is skipped
    }
  }

  runAsync(msg: Record<string, unknown>, done: (o: Outcome) => void): void {
    let settled = false;
    const k = (o: Outcome) => { if (!settled) { settled = true; done(o); } };
    const fail = (err: unknown) => { this.node.error(err, msg); k(DROP); };
    try {
      this.to.get(msg, (err, got) => {
        if (err) return fail(err);
        let value = got;
        try {
          if (this.deepCopy) value = cloneMessage(value);
        } catch {
          return k(CONTINUE);
        }
        if (!this.from) return this.applyAsync(msg, value, undefined, k);
        this.from.get(msg, (err2, parts) => {
          if (err2) return fail(err2);
          // an unusable search value is reported, and the rule still runs (Node-RED does both)
          if (parts!.error) this.node.error(parts!.error, msg);
          this.applyAsync(msg, value, parts, k);
        });
      });
    } catch {
      k(CONTINUE);
    }
  }

  private applyAsync(msg: Record<string, unknown>, value: unknown, from: FromParts | undefined, k: (o: Outcome) => void): void {
    try {
      this.target.applyAsync(msg, value, from, k);
    } catch {
      k(CONTINUE);
    }
  }
}

const isOp = (t: string): t is Op => t === 'set' || t === 'change' || t === 'delete';
const nothingToDo: Target = { apply: () => CONTINUE, applyAsync: (_m, _v, _f, k) => k(CONTINUE) };

function targetOf(node: Node, op: string, pt: string, p: unknown, boolResult: boolean): Target {
  // an unknown rule type does nothing to a message; on a context entry it never completes (Node-RED)
  if (pt === 'msg') return isOp(op) ? messageTarget(node, op, p as string, boolResult) : nothingToDo;
  if (pt === 'flow' || pt === 'global') return isOp(op) ? contextTarget(node, op, pt, p as string) : nowhere;
  return nowhere;
}

const noValue: ValueSource = { sync: () => undefined, get: (_msg, cb) => cb(undefined, undefined) };

/** Where a move reads from: a message property or context entry (anything else is the literal text). */
function readFrom(node: Node, type: string, path: unknown): ValueSource {
  const t = type === 'msg' || type === 'flow' || type === 'global' ? type : 'str';
  return toSource(node, { t: 'set', p: '', pt: 'msg', to: path, tot: t, fromt: 'str' });
}

function moveSteps(node: Node, r: RuleConfig): Step[] {
  const set = (to: unknown, tot: string, from: unknown, fromType: string) =>
    new Step(node, readFrom(node, fromType, from), undefined, targetOf(node, 'set', tot, to, false), false);
  const del = (p: unknown, pt: string) => new Step(node, noValue, undefined, targetOf(node, 'delete', pt, p, false), false);
  const p = String(r.p);
  const to = String(r.to);
  if (r.tot !== r.pt || (p.includes(to) && p !== to)) {
    return [set(r.to, r.tot, r.p, r.pt), del(r.p, r.pt)];
  }
  // moving onto a child of itself (or onto itself) goes through a temporary property
  return [set('_temp_move', r.tot, r.p, r.pt), del(r.p, r.pt), set(r.to, r.tot, '_temp_move', r.pt), del('_temp_move', r.pt)];
}

export interface CompiledRules {
  steps: Step[];
  /** Deploy-time problems, in Node-RED's order; when not empty the node ignores its input. */
  errors: string[];
}

/** Builds the steps of every rule; every configuration problem is collected, not just the first. */
export function compileRules(node: Node, rules: RuleConfig[]): CompiledRules {
  const steps: Step[] = [];
  const errors: string[] = [];
  for (const r of rules) {
    let from: FromSource | undefined;
    let to: ValueSource | undefined;
    if (r.t === 'change') from = attempt(() => fromSource(node, r), errors);
    to = attempt(() => toSource(node, r), errors);
    if (!to || (r.t === 'change' && !from)) continue;
    if (r.t === 'move') steps.push(...moveSteps(node, r));
    else steps.push(new Step(node, to, from, targetOf(node, r.t, r.pt, r.p, r.tot === 'bool'), !!r.dc));
  }
  return { steps, errors };
}

function attempt<T>(make: () => T, errors: string[]): T | undefined {
  try {
    return make();
  } catch (e) {
    if (e instanceof RuleConfigError) { errors.push(e.message); return undefined; }
    throw e;
  }
}
