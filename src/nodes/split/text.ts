// Splitting strings and Buffers (COMPAT D4): by separator text, by byte sequence or by fixed length, in
// one go or as a stream whose tail is carried into the next message. Mirrors Node-RED's quirks: a
// buffer ending in a separator announces one part more than it sends, and the running index is shared.
import { emitPart, releasePending, type SplitRun } from './run.js';

/** Sends pieces of a string split by a separator; in stream mode the last piece is held back. */
function sendPieces(run: SplitRun, pieces: string[]): void {
  const { state, settings } = run;
  const parts = run.msg.parts;
  const last = Math.max(0, pieces.length - 1);
  for (let i = 0; i < last; i++) {
    parts.index = state.counter++;
    if (!settings.stream) parts.count = pieces.length;
    emitPart(run, pieces[i]);
  }
  if (settings.stream) {
    state.remainder = pieces[last] ?? '';
    return;
  }
  parts.index = state.counter++;
  parts.count = pieces.length;
  emitPart(run, pieces[last]);
  state.counter = 0;
}

/** Cuts `value` into chunks of `settings.length` (strings or buffers); a short tail waits in stream mode. */
function sendChunks<T extends string | Buffer>(run: SplitRun, value: T, slice: (from: number, to: number) => T,
  keepTail: (tail: T) => void, afterCount?: () => void): void {
  const { state, settings } = run;
  const parts = run.msg.parts;
  const size = settings.length;
  const count = Math.ceil(value.length / size);
  if (!settings.stream) {
    parts.count = count;
    state.counter = 0;
  }
  afterCount?.();
  let pos = 0;
  for (let i = 0; i < count - 1; i++) {
    parts.index = state.counter++;
    emitPart(run, slice(pos, pos + size));
    pos += size;
  }
  if (count > 1) releasePending(state);
  const tail = slice(pos, value.length);
  if (!settings.stream || tail.length === size) {
    parts.index = state.counter++;
    emitPart(run, tail);
    releasePending(state);
    run.done();
    keepTail(slice(0, 0));
  } else {
    keepTail(tail);
    state.pendingDones.push(run.done);
  }
}

export function splitString(run: SplitRun, input: string): void {
  const { state, settings } = run;
  const parts = run.msg.parts;
  const value = state.remainder + input;
  parts.type = 'string';
  if (settings.kind === 'len') {
    parts.ch = '';
    parts.len = settings.length;
    sendChunks(run, value, (a, b) => value.substring(a, b), (tail) => { state.remainder = tail; });
    return;
  }
  let pieces: string[] = [];
  if (settings.kind === 'bin') {
    pieces = value.split(settings.bytesText);
    parts.ch = settings.byteList;
  } else if (settings.kind === 'str') {
    pieces = value.split(settings.text);
    parts.ch = settings.text;
  }
  sendPieces(run, pieces);
  run.done();
}

/** Where the separator occurs in `buff` from `from` on (-1 if not; an empty separator never matches). */
function findSeparator(buff: Buffer, separator: string | Buffer, from: number): number {
  if (separator !== undefined && separator.length === 0) return -1;
  return buff.indexOf(separator, from);
}

function splitBufferBySeparator(run: SplitRun, buff: Buffer): void {
  const { state, settings } = run;
  const parts = run.msg.parts;
  let separator: string | Buffer;
  if (settings.kind === 'bin') {
    parts.ch = settings.byteList;
    separator = settings.bytes;
  } else if (settings.kind === 'str') {
    parts.ch = settings.text;
    separator = settings.text;
  } else {
    separator = undefined as unknown as string; // Buffer#indexOf rejects it with a TypeError, as in Node-RED
  }
  // the separator advances by its length in characters for text (as Node-RED does)
  const step = separator?.length;
  let count = 1;
  for (let pos = findSeparator(buff, separator, 0); pos > -1; pos = findSeparator(buff, separator, pos + step)) count++;
  if (!settings.stream) {
    parts.count = count;
    state.counter = 0;
  }
  let start = 0;
  for (let pos = findSeparator(buff, separator, 0); pos > -1; pos = findSeparator(buff, separator, start)) {
    parts.index = state.counter++;
    emitPart(run, buff.subarray(start, pos));
    start = pos + step;
  }
  if (count > 1) releasePending(state);
  if (!settings.stream && start < buff.length) {
    parts.index = state.counter++;
    parts.count = state.counter++;
    emitPart(run, buff.subarray(start, buff.length));
    releasePending(state);
  } else {
    state.buffer = buff.subarray(start, buff.length);
    if (state.buffer.length > 0) state.pendingDones.push(run.done);
  }
  if (state.buffer.length === 0) run.done();
}

export function splitBuffer(run: SplitRun, input: Buffer): void {
  const { state, settings } = run;
  const buff = Buffer.concat([state.buffer, input], state.buffer.length + input.length);
  run.msg.parts.type = 'buffer';
  if (settings.kind !== 'len') {
    splitBufferBySeparator(run, buff);
    return;
  }
  // msg.parts.len comes after count for buffers (before it for strings)
  sendChunks(run, buff, (a, b) => buff.subarray(a, b), (tail) => { state.buffer = tail; },
    () => { run.msg.parts.len = settings.length; });
}
