// The `comment` core node: documentation on the canvas; at runtime it exists and does nothing.
import type { RED } from '../registry/red-types.js';
import type { Node } from '../runtime/node.js';

export default function register(RED: RED): void {
  function CommentNode(this: Node, config: Record<string, unknown>) {
    RED.nodes.createNode(this, config as never);
  }
  RED.nodes.registerType('comment', CommentNode);
}
