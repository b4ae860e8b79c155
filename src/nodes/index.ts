// The core node sets Crimson ships, in Node-RED's palette order: set name -> the modules that register its types.
import type { NodeModule } from '../registry/red-types.js';
import debug from './debug.js';
import comment from './comment.js';
import fn from './function.js';
import change from './change.js';
import httpIn from './http-in.js';
import httpResponse from './http-response.js';

export const CORE_SETS: ReadonlyArray<{ name: string; modules: NodeModule[] }> = [
  { name: 'debug', modules: [debug] },
  { name: 'comment', modules: [comment] },
  { name: 'function', modules: [fn] },
  { name: 'change', modules: [change] },
  { name: 'httpin', modules: [httpIn, httpResponse] },
];
