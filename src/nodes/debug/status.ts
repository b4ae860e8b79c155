// The status a debug node shows for a value: its text (inspected, cut to debugStatusLength), and in
// `auto` mode msg.error / msg.status take over, as in Node-RED.
import { inspect } from 'node:util';

export interface StatusShown { fill: string; shape: string; text: string }

const has = (o: unknown, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function debugStatus(output: any, msg: Record<string, any>, auto: boolean, maxLength: number): StatusShown {
  let text: any = typeof output === 'string' ? output : inspect(output);
  let fill = 'grey';
  let shape = 'dot';
  // a value that looks like a status object is shown as that status
  if (typeof output === 'object' && output?.fill && output?.shape && output?.text) {
    fill = output.fill;
    shape = output.shape;
    text = output.text;
  }
  if (auto) {
    if (has(msg, 'error')) {
      fill = 'red';
      text = msg.error.message;
    }
    if (has(msg, 'status')) {
      fill = msg.status.fill || 'grey';
      shape = msg.status.shape || 'ring';
      text = msg.status.text || '';
    }
  }
  // (a missing error message throws here, as it does in Node-RED: the input handler reports it)
  if (text.length > maxLength) text = text.substr(0, maxLength) + '...';
  return { fill, shape, text };
}
