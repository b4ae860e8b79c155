// What a function node's code hands back, with Node-RED's rules: which values are messages, the clone of the
// first message for node.send, the forced `_msgid` (COMPAT D3); and a thrown value turned into what done() gets.
import { cloneMessage } from '../../runtime/util/clone.js';

interface ErrorSink { error(err: unknown, msg?: Record<string, unknown>): void }
type SendFn = (msgs: unknown) => void;

const isMessage = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && !Array.isArray(v);

function reportNonMessage(node: ErrorSink, v: unknown): void {
  let type: string = typeof v;
  if (type === 'object') type = Buffer.isBuffer(v) ? 'Buffer' : Array.isArray(v) ? 'Array' : 'Date';
  node.error(`Function tried to send a message of type ${type}`);
}

/**
 * Sends what the code returned (or passed to node.send): a message, an array by output, arrays of messages
 * per output. Each message gets `msgid`; the first one is cloned unless `cloneFirst === false`. Entries
 * that are not messages are reported and left in place for the runtime's send, as Node-RED does.
 */
export function sendResults(node: ErrorSink, send: SendFn, msgid: unknown, results: unknown, cloneFirst: unknown): void {
  if (!results) return;
  if (!Array.isArray(results)) {
    if (!isMessage(results)) { reportNonMessage(node, results); return; }
    const msg = cloneFirst === false ? results : cloneMessage(results);
    msg._msgid = msgid;
    send(msg);
    return;
  }
  let count = 0;
  for (let o = 0; o < results.length; o++) {
    let port = results[o];
    if (!port) continue;
    if (!Array.isArray(port)) { port = [port]; results[o] = port; }
    for (let i = 0; i < port.length; i++) {
      let msg = port[i];
      if (msg === null || msg === undefined) continue;
      if (!isMessage(msg)) { reportNonMessage(node, msg); continue; }
      if (count === 0 && cloneFirst !== false) { msg = cloneMessage(msg); port[i] = msg; }
      msg._msgid = msgid;
      count++;
    }
  }
  if (count > 0) send(results);
}

/** Node-RED drops the frames below the user code: the last line (and one character before it) goes. */
function trimStack(stack: string): string {
  const at = stack.search(/\n\s*at ContextifyScript.Script.runInContext/);
  const lines = stack.slice(0, at).split('\n');
  lines.pop();
  return lines.join('\n');
}

/** " (line L, col C)" from the first frame after the ReferenceError line, as Node-RED reports it. */
function referenceErrorText(stack: string[]): string | undefined {
  let i = 0;
  while (i < stack.length && stack[i]!.indexOf('ReferenceError') !== 0) i++;
  if (i >= stack.length) return undefined;
  let text = stack[i]!;
  const m = /:(\d+):(\d+)$/.exec(stack[i + 1] ?? '');
  if (m) text += ` (line ${Number(m[1]) - 1}, col ${m[2]})`;
  return text;
}

function describe(v: unknown): unknown {
  try { return JSON.stringify(v); } catch { /* BigInt, cycles */ }
  try { return String(v); } catch { return Object.prototype.toString.call(v); }
}

/**
 * What done() receives for a value the code threw or rejected with. An error object is stored on the
 * input message as `msg.error` and returned (stack trimmed, ReferenceError text with line and column);
 * a string as it is; anything else JSON-stringified (so `throw undefined` completes the message).
 */
export function errorForDone(err: unknown, msg: Record<string, unknown>): unknown {
  if (typeof err === 'object' && err !== null && Object.hasOwn(err, 'stack')) {
    const e = err as { stack: unknown; message: unknown };
    try {
      if (typeof e.stack === 'string') e.stack = trimStack(e.stack);
      msg.error = err;
      if (typeof e.stack === 'string') {
        const text = referenceErrorText(e.stack.split(/\r?\n/));
        if (text !== undefined) e.message = text;
      }
    } catch { /* frozen error or message: report it as it is */ }
    return err;
  }
  if (typeof err === 'string') return err;
  return describe(err);
}
