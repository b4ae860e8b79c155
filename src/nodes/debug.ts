// The `debug` core node (COMPAT D5): shows a message property, the whole message or a JSONata result in
// the runtime log (console), in the node status and in the editor's debug sidebar (comms topic `debug`);
// the module also forwards the runtime's warn and error log entries to that sidebar (debug/log-forward.ts).
import { inspect } from 'node:util';
import type { RED } from '../registry/red-types.js';
import type { Node, SendFn, DoneFn } from '../runtime/node.js';
import { getMessageProperty } from '../runtime/util/properties.js';
import { evaluateJSONataExpression, prepareJSONataExpression, type PreparedJSONata } from '../runtime/util/jsonata.js';
import { encodeObject, type Encodable } from '../runtime/util/encode.js';
import { registerDebugRoutes } from './debug/admin.js';
import { forwardLogToSidebar } from './debug/log-forward.js';
import { debugStatus, type StatusShown } from './debug/status.js';

type Msg = Record<string, any>;
/** What the sidebar is sent (before encoding): B7 shape, `property` absent for the whole message. */
interface DebugMessage extends Encodable { id: string; z?: string; _alias?: string; path: string; name?: string; topic?: unknown; property?: unknown; msg: unknown }
type ValueCallback = (err: string | null, debugMsg?: DebugMessage) => void;

interface DebugNode extends Node {
  complete: string | null;
  console: string;
  tostatus: boolean;
  statusType: string;
  statusVal: string | null;
  tosidebar: boolean;
  active: boolean;
  counter: number;
  lastTime: number;
  timeout: NodeJS.Timeout | null;
  oldState?: string;
}

const has = (o: unknown, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export default function register(RED: RED): void {
  const maxLength: number = RED.settings.debugMaxLength || 1000;
  const statusLength: number = RED.settings.debugStatusLength || 32;
  const useColors: boolean = RED.settings.debugUseColors || false;
  if (useColors) inspect.styles.boolean = 'red';

  const publish = (debugMsg: DebugMessage) => {
    RED.comms.publish('debug', encodeObject(debugMsg, { maxLength }));
  };

  function DebugNodeCtor(this: DebugNode, n: Record<string, any>) {
    const editExpression: string | null = n.targetType === 'jsonata' ? n.complete : null;
    RED.nodes.createNode(this, n as never);
    const node = this;
    node.name = n.name;
    node.complete = editExpression !== null ? null : String(n.complete || 'payload');
    if (node.complete === 'false') node.complete = 'payload';
    node.console = String(n.console || false);
    node.tostatus = n.tostatus || false;
    node.statusType = n.statusType || 'auto';
    node.statusVal = n.statusVal || node.complete;
    node.tosidebar = n.tosidebar === undefined ? true : n.tosidebar;
    node.active = n.active === null || n.active === undefined || n.active;
    node.counter = 0;
    node.lastTime = Date.now();
    node.timeout = null;
    if (node.tostatus) {
      node.status({ fill: 'grey', shape: 'ring' });
      node.oldState = '{}';
    }
    if (node.statusType === 'counter') node.status({ fill: 'blue', shape: 'ring', text: node.counter as never });
    else node.status({ fill: '', shape: '', text: '' });

    const invalid = `Invalid JSONata expression: ${editExpression}`;
    let editPrepared: PreparedJSONata | null = null;
    let statusPrepared: PreparedJSONata | null = null;
    try {
      if (editExpression) editPrepared = prepareJSONataExpression(editExpression, node);
      if (n.statusType === 'jsonata' && n.statusVal) statusPrepared = prepareJSONataExpression(n.statusVal, node);
    } catch {
      node.error(invalid); // (Node-RED names the output expression for a bad status expression too)
      return;
    }

    // the sidebar message, keys in Node-RED's order
    const envelope = (msg: Msg, value: unknown): DebugMessage => ({
      id: node.id, z: node.z, _alias: node._alias, path: node._flow.path, name: node.name, topic: msg.topic, msg: value,
    });
    const propertyEnvelope = (msg: Msg, property: unknown, value: unknown): DebugMessage => ({
      id: node.id, z: node.z, _alias: node._alias, path: node._flow.path, name: node.name, topic: msg.topic, property, msg: value,
    });

    function prepareValue(msg: Msg, cb: ValueCallback): void {
      if (editPrepared) {
        evaluateJSONataExpression(editPrepared, msg, (err, value) => (err ? cb(invalid) : cb(null, envelope(msg, value))));
        return;
      }
      const property = node.complete;
      let output: unknown;
      try { output = getMessageProperty(msg, property as string); } catch { output = undefined; }
      cb(null, propertyEnvelope(msg, property, output));
    }

    function prepareStatus(msg: Msg, cb: (err: string | null, value?: unknown) => void): void {
      if (node.statusType === 'auto') {
        if (node.complete === 'true') return cb(null, msg.payload);
        return prepareValue(msg, (err, debugMsg) => {
          if (err) { node.error(err); return; }
          cb(null, debugMsg!.msg);
        });
      }
      if (statusPrepared) {
        evaluateJSONataExpression(statusPrepared, msg, (err, value) => (err ? cb(invalid) : cb(null, value)));
        return;
      }
      let output: unknown;
      try { output = getMessageProperty(msg, node.statusVal as string); } catch { output = undefined; }
      cb(null, output);
    }

    const showCount = () => node.status({ fill: 'blue', shape: 'ring', text: node.counter as never });
    function updateStatus(msg: Msg): void {
      if (node.statusType === 'counter') {
        const now = Date.now();
        const elapsed = now - node.lastTime;
        node.lastTime = now;
        node.counter++;
        if (elapsed > 100) return showCount();
        // bursts: one update once they calm down
        if (node.timeout) clearTimeout(node.timeout);
        node.timeout = setTimeout(showCount, 200);
        return;
      }
      prepareStatus(msg, (err, output) => {
        if (err) { node.error(err); return; }
        const shown: StatusShown = debugStatus(output, msg, node.statusType === 'auto', statusLength);
        const state = JSON.stringify(shown);
        if (state !== node.oldState) { // only when it changed
          node.status(shown);
          node.oldState = state;
        }
      });
    }

    const logValue = (output: unknown) => {
      if (typeof output === 'string') node.log((output.includes('\n') ? '\n' : '') + output);
      else if (typeof output === 'object') node.log('\n' + inspect(output, { colors: useColors, depth: 10 }));
      else node.log(inspect(output, { colors: useColors }));
    };

    node.on('close', function () {
      if (node.oldState) node.status({});
      if (node.timeout) clearTimeout(node.timeout);
    });

    node.on('input', (msg: Msg, _send: SendFn, done: DoneFn) => {
      // a status event of this very node (a status node wired back into it) is not shown again
      if (has(msg, 'status') && has(msg.status, 'source') && has(msg.status.source, 'id') && msg.status.source.id === node.id) {
        done();
        return;
      }
      if (node.tostatus === true) updateStatus(msg);
      if (node.complete === 'true') {
        if (node.console === 'true') node.log('\n' + inspect(msg, { colors: useColors, depth: 10 }));
        if (node.active && node.tosidebar) publish(envelope(msg, msg));
        done();
        return;
      }
      prepareValue(msg, (err, debugMsg) => {
        if (err) { node.error(err); return; }
        if (node.console === 'true') logValue(debugMsg!.msg);
        if (node.active && node.tosidebar == true) publish(debugMsg!); // eslint-disable-line eqeqeq
        done();
      });
    });
  }

  RED.nodes.registerType('debug', DebugNodeCtor, {
    settings: { debugUseColors: { value: false }, debugMaxLength: { value: 1000 } },
  });
  registerDebugRoutes(RED);
  forwardLogToSidebar(RED, maxLength);
}
