// The `complete` node: passes on a message each time a node in its scope finishes one (done()).
import type { RED } from '../registry/red-types.js';
import { withoutWiredTargets } from './scope-filter.js';

export default function register(RED: RED): void {
  function CompleteNode(this: any, config: any) {
    RED.nodes.createNode(this, config);
    this.scope = withoutWiredTargets(Array.isArray(config.scope) ? config.scope : [], this.wires);
    this.on('input', (msg: unknown, send: (m: unknown) => void, done: () => void) => { send(msg); done(); });
  }
  RED.nodes.registerType('complete', CompleteNode);
}
