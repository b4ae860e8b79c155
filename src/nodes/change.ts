// The `change` core node: set / change / delete / move rules on message properties and flow/global
// context (COMPAT D2). Rules are compiled at creation; a message is processed in the same tick unless a
// rule needs a callback (JSONata, an async context store).
import type { RED } from '../registry/red-types.js';
import type { Node, SendFn, DoneFn } from '../runtime/node.js';
import { migrateRules } from './change/config.js';
import { compileRules, type Step } from './change/steps.js';
import { CONTINUE, DROP } from './change/targets.js';

/** Applies steps[from..] to msg in order, then sends it; a step that needs callbacks resumes the rest later. */
function applySteps(steps: Step[], from: number, msg: Record<string, unknown>, send: SendFn, done: DoneFn): void {
  for (let i = from; i < steps.length; i++) {
    const outcome = steps[i]!.run(msg);
    if (outcome === CONTINUE) continue;
    if (outcome === DROP) return;
    steps[i]!.runAsync(msg, (o) => {
      if (o === CONTINUE) applySteps(steps, i + 1, msg, send, done);
    });
    return;
  }
  send(msg);
  done();
}

export default function register(RED: RED): void {
  function ChangeNode(this: Node, config: Record<string, any>) {
    RED.nodes.createNode(this, config as never);
    const { steps, errors } = compileRules(this, migrateRules(config));
    for (const e of errors) this.error(e);
    if (errors.length > 0) return; // an invalid rule leaves the node without an input handler
    this.on('input', (msg: Record<string, unknown>, send: SendFn, done: DoneFn) => {
      applySteps(steps, 0, msg, send, done);
    });
  }
  RED.nodes.registerType('change', ChangeNode);
}
