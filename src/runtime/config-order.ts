// The order Node-RED creates a flow's config nodes in: one whose property (other than id, wires, _users) holds
// the id of another enabled config node of the same flow waits, at the back of the queue, until that one
// runs (Dashboard's ui-group needs its ui-page, which needs its ui-base). A node still waiting at its 100th
// turn is a circular dependency: the flow does not start.
import type { NodeConfig } from './types.js';

const NOT_REFERENCES = new Set(['id', 'wires', '_users']);
const MAX_ATTEMPTS = 100;

/** Creates the config nodes that are not running yet, each after the config nodes it names. */
export async function createConfigNodes(
  configs: readonly NodeConfig[],
  isRunning: (id: string) => boolean,
  create: (config: NodeConfig) => unknown,
): Promise<void> {
  const byId = new Map(configs.map((c) => [c.id, c]));
  const queue = [...byId.keys()];
  const attempts = new Map<string, number>();
  const waitsFor = (node: NodeConfig): boolean => Object.keys(node).some((prop) => {
    if (NOT_REFERENCES.has(prop)) return false;
    const v = (node as Record<string, unknown>)[prop];
    if (typeof v !== 'string' && typeof v !== 'number') return false;
    const ref = byId.get(String(v));
    return !!ref && ref.d !== true && !isRunning(ref.id);
  });
  while (queue.length > 0) {
    const id = queue.shift()!;
    const node = byId.get(id)!;
    if (isRunning(id) || node.d === true) continue;
    if (waitsFor(node)) {
      queue.push(id);
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      if (n === MAX_ATTEMPTS) throw new Error(`Circular config node dependency detected: ${id}`);
      continue;
    }
    await create(node);
  }
}
