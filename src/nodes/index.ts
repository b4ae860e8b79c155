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
import switchNode from './switch.js';

/**
 * Every core set of Node-RED 4.1.15. `modules` are Crimson's own implementations; a type of the set's editor
 * file that they do not register runs Node-RED's implementation (@node-red/nodes core/<editor>.js) through
 * the node API, loaded the first time a flow uses one of its types; `eager` ones load at start, as what they
 * do at load is seen without a flow (tls: a setting in /settings; udp: an admin route). `library`: the library
 * types a deferred set's module registers at load (template's "templates"), registered at start without it.
 */
export interface CoreSet {
  name: string;
  editor: string;
  /** The types its editor file defines, in its order (Node-RED's set types; test/nodes/core-sets.test.ts checks them). */
  types: string[];
  modules?: NodeModule[];
  eager?: boolean;
  library?: string[];
}

export const CORE_SETS: ReadonlyArray<CoreSet> = [
  { name: 'junction', editor: 'common/05-junction', types: [], modules: [junction] },
  { name: 'inject', editor: 'common/20-inject', types: ['inject'], modules: [inject] },
  { name: 'debug', editor: 'common/21-debug', types: ['debug'], modules: [debug] },
  { name: 'complete', editor: 'common/24-complete', types: ['complete'], modules: [complete] },
  { name: 'catch', editor: 'common/25-catch', types: ['catch'], modules: [catchNode] },
  { name: 'status', editor: 'common/25-status', types: ['status'], modules: [status] },
  { name: 'link', editor: 'common/60-link', types: ['link in', 'link out', 'link call'], modules: [link] },
  { name: 'comment', editor: 'common/90-comment', types: ['comment'], modules: [comment] },
  { name: 'global-config', editor: 'common/91-global-config', types: ['global-config'], modules: [globalConfig] },
  { name: 'unknown', editor: 'common/98-unknown', types: ['unknown'], modules: [unknown] },
  { name: 'function', editor: 'function/10-function', types: ['function'], modules: [fn] },
  { name: 'switch', editor: 'function/10-switch', types: ['switch'], modules: [switchNode] },
  { name: 'change', editor: 'function/15-change', types: ['change'], modules: [change] },
  { name: 'range', editor: 'function/16-range', types: ['range'] },
  { name: 'template', editor: 'function/80-template', types: ['template'], library: ['templates'] },
  { name: 'delay', editor: 'function/89-delay', types: ['delay'] },
  { name: 'trigger', editor: 'function/89-trigger', types: ['trigger'] },
  { name: 'exec', editor: 'function/90-exec', types: ['exec'] },
  { name: 'rbe', editor: 'function/rbe', types: ['rbe'] },
  { name: 'tls', editor: 'network/05-tls', types: ['tls-config'], eager: true },
  { name: 'httpproxy', editor: 'network/06-httpproxy', types: ['http proxy'] },
  { name: 'mqtt', editor: 'network/10-mqtt', types: ['mqtt in', 'mqtt out', 'mqtt-broker'] },
  { name: 'httpin', editor: 'network/21-httpin', types: ['http in', 'http response'], modules: [httpIn, httpResponse] },
  { name: 'httprequest', editor: 'network/21-httprequest', types: ['http request'] },
  { name: 'websocket', editor: 'network/22-websocket', types: ['websocket in', 'websocket out', 'websocket-listener', 'websocket-client'] },
  { name: 'tcpin', editor: 'network/31-tcpin', types: ['tcp in', 'tcp out', 'tcp request'] },
  { name: 'udp', editor: 'network/32-udp', types: ['udp in', 'udp out'], eager: true },
  { name: 'CSV', editor: 'parsers/70-CSV', types: ['csv'] },
  { name: 'HTML', editor: 'parsers/70-HTML', types: ['html'] },
  { name: 'JSON', editor: 'parsers/70-JSON', types: ['json'] },
  { name: 'XML', editor: 'parsers/70-XML', types: ['xml'] },
  { name: 'YAML', editor: 'parsers/70-YAML', types: ['yaml'] },
  { name: 'split', editor: 'sequence/17-split', types: ['split', 'join'], modules: [split] },
  { name: 'sort', editor: 'sequence/18-sort', types: ['sort'] },
  { name: 'batch', editor: 'sequence/19-batch', types: ['batch'] },
  { name: 'file', editor: 'storage/10-file', types: ['file', 'file in'] },
  { name: 'watch', editor: 'storage/23-watch', types: ['watch'] },
];
