// The `global-config` core node: holds the editor's Settings > Environment (its `env` entries are the
// global flow's env, see runtime/flow.ts initGlobal); at runtime the node itself does nothing.
import type { RED } from '../registry/red-types.js';
import type { Node } from '../runtime/node.js';

export default function register(RED: RED): void {
  function GlobalConfigNode(this: Node, config: Record<string, unknown>) {
    RED.nodes.createNode(this, config as never);
  }
  RED.nodes.registerType('global-config', GlobalConfigNode);
}
