// The `split` core node (COMPAT D4): one message per piece of a string, Buffer, array or object, each
// with msg.parts (id, type, index, count, ch/len/key) so `join` can rebuild it. Pieces live in ./split/.
import type { RED } from '../registry/red-types.js';
import type { Node, SendFn, DoneFn } from '../runtime/node.js';
import { generateId } from '../runtime/util/id.js';
import { getMessageProperty } from '../runtime/util/properties.js';
import { parseSplitConfig, type SplitSettings } from './split/config.js';
import { newSplitState, type Msg, type SplitRun } from './split/run.js';
import { splitBuffer, splitString } from './split/text.js';
import { splitArray, splitObject } from './split/collections.js';

/** Gives the message its msg.parts (an existing one is nested as parts.parts) and drops its _msgid. */
function startParts(msg: Msg, settings: SplitSettings): void {
  msg.parts = Object.hasOwn(msg, 'parts') ? { parts: msg.parts } : {};
  msg.parts.id = generateId();
  if (settings.property !== 'payload') msg.parts.property = settings.property;
  delete msg._msgid;
}

export default function register(RED: RED): void {
  function SplitNode(this: Node, config: Record<string, any>) {
    RED.nodes.createNode(this, config as never);
    let settings: SplitSettings;
    try {
      settings = parseSplitConfig(config);
    } catch (err) {
      this.error('Invalid split property: ' + String(err));
      return; // no input handler: messages are dropped
    }
    const state = newSplitState();
    this.on('input', (msg: Msg, send: SendFn, done: DoneFn) => {
      const value = getMessageProperty(msg, settings.property);
      if (value === undefined) return; // nothing to split: no output and no done, as in Node-RED
      startParts(msg, settings);
      const run: SplitRun = { settings, state, msg, send, done };
      if (typeof value === 'string') splitString(run, value);
      else if (Array.isArray(value)) splitArray(run, value);
      else if (typeof value === 'object' && !Buffer.isBuffer(value)) splitObject(run, value);
      else if (Buffer.isBuffer(value)) splitBuffer(run, value);
      else done(); // numbers, booleans...: dropped
    });
  }
  RED.nodes.registerType('split', SplitNode);
}
