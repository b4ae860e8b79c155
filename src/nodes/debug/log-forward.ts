// The debug module's log handler (Node-RED's DebugNode.logHandler, COMPAT D5): from the moment the module
// loads, every warn and error log entry — node.warn()/node.error() of any node (an error a catch node
// handles is never logged), and the runtime's own — is published on the `debug` comms topic as the entry
// itself with its `msg` encoded as the sidebar encodes values: {level, id, type, msg, _alias?, z?, name?,
// path, timestamp, format} for a node's entry. The handler goes when the runtime's server closes, so a
// stopped runtime leaves nothing in its logger.
import type { RED } from '../../registry/red-types.js';
import { encodeObject, type Encodable } from '../../runtime/util/encode.js';

export function forwardLogToSidebar(RED: RED, maxLength: number): void {
  const log = RED.log;
  if (!log || typeof log.addHandler !== 'function') return; // (a RED without a logger: nothing to forward)
  const { WARN, ERROR } = log;
  const handler = (entry: Record<string, unknown>): void => {
    if (entry.level !== WARN && entry.level !== ERROR) return;
    // a copy: encoding replaces `msg`, and the other handlers (the console) see the entry as logged
    RED.comms.publish('debug', encodeObject({ ...entry } as Encodable, { maxLength }));
  };
  log.addHandler(handler);
  RED.server?.once('close', () => log.removeHandler(handler));
}
