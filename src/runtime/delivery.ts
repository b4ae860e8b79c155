// The message delivery queue: asynchronous, in order, batched into one setImmediate per turn of the
// event loop (Node-RED uses one setImmediate per hop; the order seen by nodes is the same).
import type { Node } from './node.js';

export interface Delivery {
  push(to: Node, msg: object): void;
}

export function createDelivery(sync: boolean): Delivery {
  if (sync) return { push: (to, msg) => to._handleInput(msg as Record<string, unknown>) };
  let queue: Array<Node | object> = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    // only what was queued before this turn: messages sent now wait for the next turn, as with setImmediate
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += 2) {
      const to = batch[i] as Node;
      try {
        to._handleInput(batch[i + 1] as Record<string, unknown>);
      } catch (err) {
        to.error(err);
      }
    }
  };
  return {
    push(to, msg) {
      queue.push(to, msg);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
  };
}
