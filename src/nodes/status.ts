// The `status` node: passes on the status messages of the nodes in its scope (all when no scope).
import type { RED } from '../registry/red-types.js';
import { withoutWiredTargets } from './scope-filter.js';

export default function register(RED: RED): void {
  function StatusNode(this: any, config: any) {
    RED.nodes.createNode(this, config);
    this.scope = Array.isArray(config.scope) ? withoutWiredTargets(config.scope, this.wires) : config.scope;
    this.on('input', (msg: unknown, send: (m: unknown) => void, done: () => void) => { send(msg); done(); });
  }
  RED.nodes.registerType('status', StatusNode);
}
