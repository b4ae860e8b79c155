// Splitting arrays (into single elements or chunks) and objects (one message per own key) (COMPAT D4).
import { cloneMessage } from '../../runtime/util/clone.js';
import { setMessageProperty } from '../../runtime/util/properties.js';
import { emitPart, type SplitRun } from './run.js';

/**
 * Array parts are cloned from one copy of the message made without the array (the property is nulled
 * for that copy and restored), so each part costs a clone of the rest of the message plus its element.
 */
export function splitArray(run: SplitRun, value: unknown[]): void {
  const { settings, msg } = run;
  const size = settings.arrayLength;
  const count = Math.ceil(value.length / size);
  msg.parts.type = 'array';
  msg.parts.count = count;
  msg.parts.len = size;
  setMessageProperty(msg, settings.property, null);
  const template = cloneMessage(msg);
  setMessageProperty(msg, settings.property, value);
  const copyRun: SplitRun = { ...run, msg: template };
  for (let i = 0, pos = 0; i < count; i++, pos += size) {
    const part = size === 1 ? value[pos] : value.slice(pos, pos + size);
    template.parts.index = i;
    emitPart(copyRun, part);
  }
  run.done();
}

export function splitObject(run: SplitRun, value: Record<string, unknown>): void {
  const { settings, msg } = run;
  const keys = Object.keys(value); // throws a TypeError for null, as Node-RED does
  msg.parts.type = 'object';
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j]!;
    setMessageProperty(msg, settings.property, value[key]);
    if (settings.addname !== '') setMessageProperty(msg, settings.addname, key);
    msg.parts.key = key;
    msg.parts.index = j;
    msg.parts.count = keys.length;
    run.send(cloneMessage(msg));
  }
  run.done();
}
