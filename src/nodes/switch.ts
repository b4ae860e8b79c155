// The `switch` core node: sends a message to each output whose rule its property matches (or to the first,
// with checkall "false"), as Node-RED 4.1.15's does — rules and values in ./switch/, sequences held and
// repaired as there, and messages taken at its pace: one at once, then one per turn of the event loop
// while they queue (./switch/arrival-queue.ts). Like Node-RED's, it never calls done() (its handler takes no
// `done`).
import type { RED } from '../registry/red-types.js';
import type { Node } from '../runtime/node.js';
import type { DeferredTask } from '../runtime/flow-host.js';
import { ArrivalQueue, Stop, type Done, type Msg } from './switch/arrival-queue.js';
import { FAILED, ROUTED, RuleRun, THREW, WARNED } from './switch/evaluate.js';
import { compileSwitch } from './switch/rules.js';
import { HeldSequences } from './switch/sequences.js';

/**
 * Whether Node-RED counts the message as a part of a sequence. Written as Node-RED's test reads, on purpose:
 * it throws for msg.parts null or undefined (and a message with its own `hasOwnProperty`), which stops the node.
 */
function inSequence(msg: Msg): boolean {
  return msg.hasOwnProperty('parts') && msg.parts.hasOwnProperty('id') && msg.parts.hasOwnProperty('index');
}

export default function register(RED: RED): void {
  // settings.nodeMessageBufferMaxLength, read once (when first needed) as Node-RED's switch reads it
  let maxKept: unknown;
  const maxKeptCount = () => (maxKept ??= Object.hasOwn(RED.settings, 'nodeMessageBufferMaxLength') ? RED.settings.nodeMessageBufferMaxLength : 0);

  function SwitchNode(this: Node, config: Record<string, any>) {
    RED.nodes.createNode(this, config as never);
    const node = this;
    const compiled = compileSwitch(node, config, (key, subs) => RED._(key, subs as Record<string, unknown>));
    if (!compiled) return; // configuration errors were reported: no input handler
    const sw = compiled; // (narrowed for the function below)

    /** Handles one message: held when it is part of a sequence to complete first, else routed now. */
    function handle(msg: Msg, fromArrival: boolean, done: Done): void {
      let hasParts: boolean;
      try {
        hasParts = inSequence(msg);
      } catch (err) {
        done(new Stop(err));
        return;
      }
      if (sw.holdsSequences && fromArrival && hasParts) {
        sequences.hold(msg, done);
        return;
      }
      new RuleRun(sw, msg, hasParts, (outcome, value) => {
        if (outcome === ROUTED) {
          if (!sw.repair || !hasParts) node.send(value);
          else sequences.sendOn(value as unknown[], msg);
        } else if (outcome === WARNED) {
          node.warn(value);
        } else if (outcome === FAILED) {
          node.error(value, msg);
        } else if (outcome === THREW) {
          done(new Stop(value));
          return;
        }
        done();
      }).start();
    }

    const sequences = new HeldSequences({
      node,
      maxKept: maxKeptCount,
      tooMany: () => RED._('switch.errors.too-many'),
      route: (msg, done) => handle(msg, false, done),
    });
    const defer = (task: DeferredTask) => { if (node._flow.defer) node._flow.defer(task); else setImmediate(task); };
    const queue = new ArrivalQueue((msg, done) => handle(msg, true, done), (err, msg) => node.error(err, msg), defer);
    node.on('input', (msg: Msg) => queue.push(msg));
    node.on('close', () => sequences.clear());
  }
  RED.nodes.registerType('switch', SwitchNode);
}
