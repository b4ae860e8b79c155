// The core node sets Crimson ships, in Node-RED's palette order: set name -> the modules that register its types.
import type { NodeModule } from '../registry/red-types.js';
import junction from './junction.js';
import inject from './inject.js';
import debug from './debug.js';
import complete from './complete.js';
import catchNode from './catch.js';
import status from './status.js';
import link from './link.js';
import comment from './comment.js';
import fn from './function.js';
import change from './change.js';
import httpIn from './http-in.js';
import httpResponse from './http-response.js';
import split from './split.js';

export const CORE_SETS: ReadonlyArray<{ name: string; modules: NodeModule[] }> = [
  { name: 'junction', modules: [junction] },
  { name: 'inject', modules: [inject] },
  { name: 'debug', modules: [debug] },
  { name: 'complete', modules: [complete] },
  { name: 'catch', modules: [catchNode] },
  { name: 'status', modules: [status] },
  { name: 'link', modules: [link] },
  { name: 'comment', modules: [comment] },
  { name: 'function', modules: [fn] },
  { name: 'change', modules: [change] },
  { name: 'httpin', modules: [httpIn, httpResponse] },
  { name: 'split', modules: [split] },
];
