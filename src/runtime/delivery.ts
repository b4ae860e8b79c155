// The message delivery queue: asynchronous, in order, batched into one setImmediate per turn of the
// event loop (Node-RED uses one setImmediate per hop; the order seen by nodes is the same).
//
// Between two of its setImmediate deliveries Node-RED's event loop runs the promise callbacks (and ticks)
// pending, so a node that goes on in promises (template, sort, a JSONata switch or join: `done` not yet called
// when its handler returns) sends before the next delivery is made. After such a node the batch waits for
// that too: a microtask queues a tick, and ticks run once no promise callback is left, before the event loop
// moves on. Work a node defers to a later turn (setImmediate, timers, I/O) comes after the batch, as there.
// A node's own next step can be queued in the batch instead (defer): it then runs where Node-RED's
// setImmediate would, between the deliveries queued before and after it.
import type { Node } from './node.js';
import type { DeferredTask } from './flow-host.js';

export interface Delivery {
  push(to: Node, msg: object): void;
  /** Runs `task` in the next turn's batch, in order with the deliveries (it must not throw). */
  defer(task: DeferredTask): void;
}

const NOTHING: Array<Node | object> = [];
/** Marks a queue entry that is a deferred task rather than a (node, message) pair. */
const TASK = {};

export function createDelivery(sync: boolean): Delivery {
  if (sync) return { push: (to, msg) => { to._handleInput(msg as Record<string, unknown>); }, defer: (task) => { setImmediate(task); } };
  let queue: Array<Node | object> = [];
  let batch = NOTHING;
  let next = 0;
  let scheduled = false;
  const run = () => {
    while (next < batch.length) {
      const to = batch[next] as Node;
      const msg = batch[next + 1] as Record<string, unknown>;
      next += 2;
      let settled = true;
      if (msg === TASK) {
        settled = (to as unknown as DeferredTask)();
      } else {
        try {
          settled = to._handleInput(msg);
        } catch (err) {
          to.error(err);
        }
      }
      if (!settled && next < batch.length) {
        queueMicrotask(afterPromises);
        return;
      }
    }
    batch = NOTHING;
    next = 0;
  };
  const afterPromises = () => { process.nextTick(run); };
  const drain = () => {
    scheduled = false;
    // only what was queued before this turn: messages sent now wait for the next turn, as with setImmediate
    batch = queue;
    queue = [];
    next = 0;
    run();
  };
  const push = (to: Node | object, msg: object) => {
    queue.push(to, msg);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  };
  return {
    push,
    defer(task) { push(task, TASK); },
  };
}
