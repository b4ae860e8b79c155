// The `junction` node: one input, one output, passes every message on.
import type { RED } from '../registry/red-types.js';

export default function register(RED: RED): void {
  function JunctionNode(this: any, config: any) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg: unknown, send: (m: unknown) => void, done: () => void) => { send(msg); done(); });
  }
  RED.nodes.registerType('junction', JunctionNode);
}
