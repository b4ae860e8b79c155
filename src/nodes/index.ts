// The core node sets, in Node-RED's palette order: set name, `editor`: the set's files in @node-red/nodes
// (core/<editor>.js|.html, help in locales/<lang>/<editor>.html), and Crimson's own modules for it.
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

/**
 * Every core set of Node-RED 4.1.15. `modules` are Crimson's own implementations; a type of the set's editor
 * file that they do not register runs Node-RED's implementation (@node-red/nodes core/<editor>.js) through
 * the node API, loaded the first time a flow uses one of its types; `eager` ones load at start, as what they
 * do at load is seen without a flow (tls: a setting in /settings; udp: an admin route; template: a library type).
 */
export interface CoreSet { name: string; editor: string; modules?: NodeModule[]; eager?: boolean }

export const CORE_SETS: ReadonlyArray<CoreSet> = [
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
  { name: 'switch', editor: 'function/10-switch' },
  { name: 'change', editor: 'function/15-change', modules: [change] },
  { name: 'range', editor: 'function/16-range' },
  { name: 'template', editor: 'function/80-template', eager: true },
  { name: 'delay', editor: 'function/89-delay' },
  { name: 'trigger', editor: 'function/89-trigger' },
  { name: 'exec', editor: 'function/90-exec' },
  { name: 'rbe', editor: 'function/rbe' },
  { name: 'tls', editor: 'network/05-tls', eager: true },
  { name: 'httpproxy', editor: 'network/06-httpproxy' },
  { name: 'mqtt', editor: 'network/10-mqtt' },
  { name: 'httpin', editor: 'network/21-httpin', modules: [httpIn, httpResponse] },
  { name: 'httprequest', editor: 'network/21-httprequest' },
  { name: 'websocket', editor: 'network/22-websocket' },
  { name: 'tcpin', editor: 'network/31-tcpin' },
  { name: 'udp', editor: 'network/32-udp', eager: true },
  { name: 'CSV', editor: 'parsers/70-CSV' },
  { name: 'HTML', editor: 'parsers/70-HTML' },
  { name: 'JSON', editor: 'parsers/70-JSON' },
  { name: 'XML', editor: 'parsers/70-XML' },
  { name: 'YAML', editor: 'parsers/70-YAML' },
  { name: 'split', editor: 'sequence/17-split', modules: [split] },
  { name: 'sort', editor: 'sequence/18-sort' },
  { name: 'batch', editor: 'sequence/19-batch' },
  { name: 'file', editor: 'storage/10-file' },
  { name: 'watch', editor: 'storage/23-watch' },
];
