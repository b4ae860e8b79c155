// The `catch` node: passes on the error messages the flow routes to it (scope, uncaught: see runtime/flow-events).
import type { RED } from '../registry/red-types.js';

export default function register(RED: RED): void {
  function CatchNode(this: any, config: any) {
    RED.nodes.createNode(this, config);
    this.scope = config.scope;
    this.uncaught = config.uncaught;
    this.on('input', (msg: unknown, send: (m: unknown) => void, done: () => void) => { send(msg); done(); });
  }
  RED.nodes.registerType('catch', CatchNode);
}
