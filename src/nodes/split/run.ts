// One input message being split: the message every part is cloned from (its msg.parts shared by the
// parts), and the node state that lives between messages (stream remainder, running index, held dones).
import type { DoneFn, SendFn } from '../../runtime/node.js';
import { cloneMessage } from '../../runtime/util/clone.js';
import { setMessageProperty } from '../../runtime/util/properties.js';
import type { SplitSettings } from './config.js';

export type Msg = Record<string, any>;

export interface SplitState {
  /** Next msg.parts.index for strings and buffers; continues across messages in stream mode. */
  counter: number;
  /** Stream mode: the text after the last separator, put in front of the next string. */
  remainder: string;
  /** Stream mode: the bytes after the last separator, put in front of the next buffer. */
  buffer: Buffer;
  /** Stream mode: dones of messages whose tail is still held back. */
  pendingDones: DoneFn[];
}

export interface SplitRun {
  settings: SplitSettings;
  state: SplitState;
  /** The input message (or its copy, for arrays), property replaced by each part before cloning. */
  msg: Msg;
  send: SendFn;
  done: DoneFn;
}

export const newSplitState = (): SplitState => ({ counter: 0, remainder: '', buffer: Buffer.alloc(0), pendingDones: [] });

/** Sends a copy of the message with the split property set to `value` (undefined deletes it, as in Node-RED). */
export function emitPart(run: SplitRun, value: unknown): void {
  setMessageProperty(run.msg, run.settings.property, value);
  run.send(cloneMessage(run.msg));
}

/** Completes the messages whose tails have now been sent. */
export function releasePending(state: SplitState): void {
  const dones = state.pendingDones;
  if (dones.length === 0) return;
  state.pendingDones = [];
  for (const d of dones) d();
}
