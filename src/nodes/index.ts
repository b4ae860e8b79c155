// The core node sets Crimson ships, in Node-RED's palette order: set name -> the modules that register its types,
// and `editor`: the set's editor definition in @node-red/nodes (core/<editor>.html, help in locales/<lang>/<editor>.html).
import type { NodeModule } from '../registry/red-types.js';
import junction from './junction.js';
import inject from './inject.js';
import debug from './debug.js';
import complete from './complete.js';
import catchNode from './catch.js';
import status from './status.js';
import link from './link.js';
import comment from './comment.js';
import globalConfig from './global-config.js';
import unknown from './unknown.js';
import fn from './function.js';
import change from './change.js';
import httpIn from './http-in.js';
import httpResponse from './http-response.js';
import split from './split.js';

export const CORE_SETS: ReadonlyArray<{ name: string; editor: string; modules: NodeModule[] }> = [
  { name: 'junction', editor: 'common/05-junction', modules: [junction] },
  { name: 'inject', editor: 'common/20-inject', modules: [inject] },
  { name: 'debug', editor: 'common/21-debug', modules: [debug] },
  { name: 'complete', editor: 'common/24-complete', modules: [complete] },
  { name: 'catch', editor: 'common/25-catch', modules: [catchNode] },
  { name: 'status', editor: 'common/25-status', modules: [status] },
  { name: 'link', editor: 'common/60-link', modules: [link] },
  { name: 'comment', editor: 'common/90-comment', modules: [comment] },
  { name: 'global-config', editor: 'common/91-global-config', modules: [globalConfig] },
  { name: 'unknown', editor: 'common/98-unknown', modules: [unknown] },
  { name: 'function', editor: 'function/10-function', modules: [fn] },
  { name: 'change', editor: 'function/15-change', modules: [change] },
  { name: 'httpin', editor: 'network/21-httpin', modules: [httpIn, httpResponse] },
  { name: 'split', editor: 'sequence/17-split', modules: [split] },
];
