// The `unknown` core node: the editor shows a node of a type it lacks as `unknown` (its definition comes
// from @node-red/nodes 98-unknown.html); at runtime it exists and does nothing, as in Node-RED.
import type { RED } from '../registry/red-types.js';
import type { Node } from '../runtime/node.js';

export default function register(RED: RED): void {
  function UnknownNode(this: Node, config: Record<string, unknown>) {
    RED.nodes.createNode(this, config as never);
  }
  RED.nodes.registerType('unknown', UnknownNode);
}
