// Example-flow harness: deploys the example flows shipped with @node-red/nodes on a running Node-RED-compatible
// server (no adminAuth), drives them (inject buttons, HTTP requests), and collects what the editor would see:
// the `debug` comms messages and the `status/<id>` updates of the example's nodes. Everything that changes from
// run to run (message ids, timestamps, temp paths, the server's port, stacks...) is normalised so that a
// recording made on Node-RED 4.1.15 (see record.mjs) can be compared with a run on Crimson (see diffResults).
//
// Used by record.mjs (bundled with esbuild) and by vitest tests. No dependencies beyond `ws` (through the
// comms test client).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commsUrl, openComms, sleep, type CommsMessage, type TestClient } from '../../comms/ws-client.js';

// ------------------------------------------------------------------------------------------------ types

export interface FlowNode { id: string; type: string; z?: string; [key: string]: unknown }

/** One step of an example's script. */
export type Action =
  | { inject: string }                    // POST /inject/<id> (presses the inject node's button)
  | { wait: number }                      // milliseconds
  | { http: HttpRequestSpec };            // a request to the flow's own http endpoints; the answer is recorded

export interface HttpRequestSpec {
  method?: string;                        // default GET
  path: string;                           // under httpNodeRoot, e.g. '/hello-query?name=Nick'
  headers?: Record<string, string>;
  body?: string;
  /** multipart/form-data upload of one file: field name, file name, content. */
  upload?: { field: string; filename: string; content: string; type?: string };
}

export interface ExamplePlan {
  /** Why the example is not run (nothing is deployed). */
  skip?: string;
  /** The script. Default: every inject node without once/repeat/crontab, top to bottom (then left to right),
   *  `pause` ms apart. */
  actions?: Action[];
  /** HTTP requests sent after the actions (the default inject presses or the given ones), `pause` ms later. */
  requests?: HttpRequestSpec[];
  /** Pause between the default inject presses, ms (default 300). */
  pause?: number;
  /** Wait after the deploy before the first action, ms (default 300): for `once` injects, connections. */
  startDelay?: number;
  /** Wait after the last action before collecting, ms (default 700). */
  settle?: number;
  /** Directories made inside the temp dir (which stands for /tmp) before the deploy. */
  mkdirs?: string[];
  /** Files made inside the temp dir before the deploy: relative path → content. */
  files?: Record<string, string>;
  /** Paths into the displayed value (the decoded `msg` of a debug message, '' = the value itself) replaced
   *  with "<ignored>": values that differ from machine to machine. `debugId:path` limits it to one node. */
  ignore?: string[];
  /** Extra string replacements applied to every string after the generic normalisation. */
  patterns?: Array<[RegExp, string]>;
  /** Nodes whose debug messages and status updates are left out of the result (inherently racy). */
  ignoreNodes?: string[];
  /** Debug message order to compare: 'total' (default) or 'per-node' (each debug node's messages in order,
   *  the interleaving between nodes not compared). */
  order?: 'total' | 'per-node';
  /** Status updates to compare: 'per-node' (default) or 'none' (timing dependent, e.g. connection states). */
  status?: 'per-node' | 'none';
  /** Free text for the README/fixture. */
  note?: string;
}

/** What a run produced (already normalised). Also the shape of a fixture file. */
export interface ExampleResult {
  example: string;                        // path relative to the examples dir, e.g. 'common/debug/01 - Output payload value.json'
  skip?: string;
  /** `data` of every `debug` comms message, in arrival order, normalised. */
  debug: DebugData[];
  /** Status updates of the example's nodes, in arrival order: { id, status }. */
  status: Array<{ id: string; status: Record<string, unknown> }>;
  /** Answers to the plan's http actions. */
  http: HttpResult[];
  order: 'total' | 'per-node';
  statusOrder: 'per-node' | 'none';
  ignore?: string[];
  ignoreNodes?: string[];
  /** Set by record.mjs when two recordings differed after normalisation: what differed. */
  flaky?: string;
  note?: string;
  recordedWith?: string;
}

export type DebugData = Record<string, unknown> & { msg?: unknown; format?: string; id?: string };

export interface HttpResult {
  request: string;                        // "GET /hello"
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export interface RunOptions {
  /** Base URL of the flows' http endpoints (httpNodeRoot). Default: baseUrl. */
  nodeBaseUrl?: string;
  /** Examples directory. Default: node_modules/@node-red/nodes/examples of this repository. */
  examplesDir?: string;
  /** Plan to use instead of PLANS[example] (unset fields take the defaults). */
  plan?: ExamplePlan;
  /** Deploy an empty flow after the run (default true), stopping timers and child processes. */
  clear?: boolean;
  /** Keep the raw (un-normalised) comms messages in the result (`raw`), for debugging. */
  keepRaw?: boolean;
}

// ------------------------------------------------------------------------------------------------ files

const here = path.dirname(fileURLToPath(import.meta.url));

/** Finds node_modules/@node-red/nodes/examples from this file upwards (works bundled or not). */
export function defaultExamplesDir(): string {
  for (let dir = here; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'node_modules', '@node-red', 'nodes', 'examples');
    if (fs.existsSync(p)) return p;
    if (path.dirname(dir) === dir) break;
  }
  return path.resolve(process.cwd(), 'node_modules/@node-red/nodes/examples');
}

/** The directory of the recorded fixtures (test/nodes/examples/recorded), found from this file or the cwd. */
export function defaultRecordedDir(): string {
  for (let dir = here; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'test', 'nodes', 'examples');
    if (fs.existsSync(path.join(p, 'harness.ts'))) return path.join(p, 'recorded');
    if (fs.existsSync(path.join(dir, 'harness.ts')) && path.basename(dir) === 'examples') return path.join(dir, 'recorded');
    if (path.dirname(dir) === dir) break;
  }
  return path.resolve(process.cwd(), 'test/nodes/examples/recorded');
}

/** Every example flow (`*.json`, as Node-RED's library lists them), relative paths with '/', sorted. */
export function listExamples(examplesDir = defaultExamplesDir()): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(examplesDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.json')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export function loadExample(example: string, examplesDir = defaultExamplesDir()): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(examplesDir, example), 'utf8')) as FlowNode[];
}

/** Where the fixture of an example lives. */
export function fixturePath(example: string, recordedDir = defaultRecordedDir()): string {
  return path.join(recordedDir, example);
}

export function loadFixture(example: string, recordedDir = defaultRecordedDir()): ExampleResult {
  const f = JSON.parse(fs.readFileSync(fixturePath(example, recordedDir), 'utf8')) as ExampleResult;
  return f;
}

// ------------------------------------------------------------------------------------------------ plans

const s = (n: number) => n * 1000;

/** Per-example scripts and settings; examples not listed use the defaults. Keys: paths relative to examples/. */
export const PLANS: Record<string, ExamplePlan> = {
  'common/inject/01 - Trigger a flow at startup.json': { startDelay: 600, actions: [] },
  'common/inject/02 - Trigger a flow at regular intervals.json': {
    actions: [], startDelay: 0, settle: s(5.7),
    note: 'repeat every 5 s: the first automatic message arrives 5 s after the deploy; nothing is pressed',
  },
  'common/inject/03 - Trigger a flow at a specific time.json': {
    actions: [{ inject: '468db06c.bafdd' }],
    note: 'the cron (16:00 on weekdays) does not fire during the run; the button is pressed once instead',
  },
  'function/change/04 - Set value from env var.json': { note: 'payload is $HOME of the server, normalised to <HOME>' },
  'function/delay/01 - Delay message.json': { settle: s(3.6) },
  'function/delay/02 - Delay message by message property.json': {
    actions: [{ inject: 'a5ed5817.9df448' }, { wait: 300 }, { inject: '6cdf7297.bf5a8c' }], settle: s(1.6),
    note: 'the 10 s message is still queued when the run ends (only the 1 s one comes out)',
  },
  'function/delay/03 - Reset or flush pending message.json': {
    actions: [
      { inject: 'd5cd8991.e6d2e8' }, { wait: 300 }, { inject: '3a7e1bec.8bc3d4' }, { wait: 300 },   // message, flush
      { inject: 'd5cd8991.e6d2e8' }, { wait: 300 }, { inject: '2b8b28c7.4c8978' },                  // message, reset
    ],
    note: 'message then flush (it comes out), message then reset (dropped)',
  },
  'function/delay/04 - Limit message rate.json': { settle: s(4.5), note: '1 msg/s: the first 5 of 10 are collected' },
  'function/delay/05 - Limit message rate for each topic.json': { settle: s(2.6) },
  'function/exec/03 - Run external command in spawn mode.json': {
    actions: [{ inject: '2e7be550.92ddfa' }, { wait: s(3) }, { inject: 'd5a990ce.c660b' }], settle: s(2.6),
    note: 'start the loop, 3 s later kill it; the exit message comes when the pending `sleep 2` ends (it holds stdout)',
  },
  'function/function/03 - Send messages asynchronously.json': { settle: s(2.6) },
  'function/function/08 - Using external modules.json': {
    ignore: ['hostname', 'release', 'free'],
    note: 'needs functionGlobalContext: { os: require("os") } in the server settings (EXAMPLE_SETTINGS)',
  },
  'function/function/10 - Asynchronous setup.json': { startDelay: s(1.8), actions: [] },
  'function/switch/09 - Route message based on context value.json': {
    actions: [
      { inject: 'fd7378.4448ec88' },
      { inject: '20591916.597ac6' }, { inject: 'fd7378.4448ec88' },
      { inject: '22bf9e89.7f55f2' }, { inject: 'fd7378.4448ec88' },
      { inject: 'c2e46f80.42ee5' }, { inject: 'fd7378.4448ec88' },
      { inject: 'ff766a3e.5c5fe8' }, { inject: 'fd7378.4448ec88' },
    ],
    note: 'Inject without state, then set state 0..3, each followed by Inject',
  },
  'function/trigger/01 - Outputs two value with interval.json': { settle: s(2.6) },
  'function/trigger/02 - Trigger a flow if message is not received after defined time.json': { settle: s(5.7) },
  'function/trigger/03 - Send placeholder message when a stream stops sending.json': {
    settle: s(5), note: 'after 2 s of silence a 0 every 2 s: the ones at 2 s and 4 s are collected',
  },
  'function/trigger/04 - Timeout processing using trigger node.json': {
    actions: [{ inject: '8dcb51d5.90fbb' }, { wait: s(3.4) }, { inject: 'ae217597.bedf88' }], settle: s(3.5),
    note: 'press 1 (done within the 3 s timeout), then, once the first trigger has reset, 5 (times out)',
  },
  'network/http/01 - Create HTTP endpoint.json': { requests: [{ path: '/hello' }] },
  'network/http/02 - Handle query parameters.json': { requests: [{ path: '/hello-query?name=Nick' }] },
  'network/http/03 - Handle URL parameters.json': { requests: [{ path: '/hello-param/Nick' }] },
  'network/http/04 - Access HTTP request headers.json': {
    requests: [{ path: '/hello-headers', headers: { 'user-agent': 'crimson-example-harness' } }],
  },
  'network/http/05 - Post data to a flow.json': {
    requests: [{ method: 'POST', path: '/hello-raw', headers: { 'content-type': 'text/plain' }, body: 'Alice' },
      { method: 'POST', path: '/hello-raw', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }],
  },
  'network/http/06 - Post file to a flow.json': {
    actions: [
      { http: { path: '/hello-upload' } },
      { http: { method: 'POST', path: '/hello-upload', upload: { field: 'file', filename: 'hello.txt', content: 'Hello, World!\n', type: 'text/plain' } } },
    ],
    note: 'no debug node: the answers of GET (the form) and POST (multipart upload) are recorded',
  },
  'network/http/07 - Working with cookies.json': {
    actions: [
      { http: { path: '/hello-cookie', headers: { cookie: 'a=1; demo-42=7' } } },
      { http: { path: '/hello-cookie/add' } },
      { http: { path: '/hello-cookie/clear', headers: { cookie: 'a=1; demo-42=7' } } },
    ],
    patterns: [[/demo-\d+=<timestamp>/g, 'demo-<n>=<timestamp>']],
    note: 'no debug node: the answers (page, 302 + set-cookie) are recorded; the added cookie name is random',
  },
  'network/tcp/01 - Connect to TCP out server.json': { startDelay: s(1), settle: s(1), status: 'none' },
  'network/tcp/02 - Connect to TCP in server.json': { startDelay: s(1), settle: s(1), status: 'none' },
  'network/tcp/03 - Send reply to client of TCP connection.json': { startDelay: s(1), settle: s(1), status: 'none' },
  'network/udp/01 - Transfer data using UDP protocol.json': { startDelay: s(1), settle: s(1) },
  'network/websocket/01 - Connect to websocket in server.json': { startDelay: s(1.5), settle: s(1), status: 'none' },
  'network/websocket/02 - Connect to websocket out server.json': { startDelay: s(1.5), settle: s(1), status: 'none' },
  'sequence/batch/02 - Time-based group mode.json': {
    settle: s(5.6), status: 'none',
    note: 'the first 5 s group is collected; the delay\'s status (queue length, every second) is not compared: its 6th update races the end of the run',
  },
  'sequence/join/02 - Manual join mode.json': {
    settle: s(3), ignoreNodes: ['659414e8.e901fc', '8e4f1c67.cdac4'],
    note: 'the "within 2 secs" join races its 2 s timeout against the 1 msg/s delay (the third message arrives at 2 s): its debug node and the delay are not recorded',
  },
  'storage/watch/01 - Watch change of a file.json': {
    files: { 'hello.txt': '' }, startDelay: s(0.5), settle: s(1.2),
    note: 'an empty /tmp/hello.txt is made before the deploy (the watch node needs the file to exist)',
  },
  'storage/write file/03 - Delete a file.json': {
    files: { 'hello.txt': 'Hello, World!\n' }, note: '/tmp/hello.txt is made before the deploy, so there is a file to delete',
  },
  'storage/watch/02 - Watch change in a directory.json': {
    mkdirs: ['HG'], startDelay: s(0.5), pause: s(1), settle: s(1.2),
    note: 'the directory /tmp/HG is made before the deploy, as the example asks',
  },
};

/** The settings the recording server was started with (besides uiHost/port/userDir). A server compared with the
 *  fixtures should have them too: function/08 reads `global.get("os")`. */
export const EXAMPLE_SETTINGS = { functionGlobalContext: { os } };

/** A plan with every default filled in (see planFor). */
export interface FullPlan extends Required<Pick<ExamplePlan, 'pause' | 'startDelay' | 'settle' | 'order' | 'status'>> {
  skip?: string; actions: Action[]; mkdirs: string[]; files: Record<string, string>; ignoreNodes: string[]; ignore: string[]; patterns: Array<[RegExp, string]>; note?: string;
}

const isAutoInject = (n: FlowNode) =>
  n.once === true || n.once === 'true' || (typeof n.repeat === 'string' ? n.repeat !== '' : n.repeat != null && n.repeat !== 0) ||
  (typeof n.crontab === 'string' && n.crontab !== '');

/** Inject nodes pressed by default: no once/repeat/crontab, by tab order of appearance, then y, then x. */
export function defaultInjects(nodes: FlowNode[]): string[] {
  const tabOrder = new Map<string, number>();
  for (const n of nodes) if (n.z && !tabOrder.has(n.z)) tabOrder.set(n.z, tabOrder.size);
  for (const n of nodes) if (n.type === 'tab' && !tabOrder.has(n.id)) tabOrder.set(n.id, tabOrder.size);
  return nodes
    .filter((n) => n.type === 'inject' && !isAutoInject(n) && n.d !== true)
    .sort((a, b) => (tabOrder.get(a.z!)! - tabOrder.get(b.z!)!) || (Number(a.y) - Number(b.y)) || (Number(a.x) - Number(b.x)))
    .map((n) => n.id);
}

/** The complete plan of an example (PLANS entry over the defaults). */
export function planFor(example: string, nodes: FlowNode[], override?: ExamplePlan): FullPlan {
  const p = override ?? PLANS[example] ?? {};
  const pause = p.pause ?? 300;
  const actions: Action[] = p.actions ? [...p.actions] : defaultInjects(nodes).flatMap((id, i) => (i ? [{ wait: pause }, { inject: id }] : [{ inject: id }]));
  if (p.requests?.length) actions.push(...(actions.length ? [{ wait: pause }] : []), ...p.requests.map((h) => ({ http: h })));
  return {
    skip: p.skip, actions, pause,
    startDelay: p.startDelay ?? 300, settle: p.settle ?? 700,
    mkdirs: p.mkdirs ?? [], files: p.files ?? {}, ignoreNodes: p.ignoreNodes ?? [], ignore: p.ignore ?? [], patterns: p.patterns ?? [],
    order: p.order ?? 'total', status: p.status ?? 'per-node', note: p.note,
  };
}

// ------------------------------------------------------------------------------------------------ flow preparation

export interface PrepareContext {
  /** The server's base URL (for rewriting http://localhost:1880 in the examples). */
  baseUrl: string;
  /** The temp dir standing for /tmp in the examples' file paths. */
  tmpDir: string;
  /** Tab label prefix (default: the example's file name). */
  label?: string;
}

const SKIP_KEYS = new Set(['id', 'type', 'z', 'wires', 'name', 'info', 'x', 'y', 'g']);

/** host:port of a URL, e.g. '127.0.0.1:43123'. */
export const hostOf = (url: string) => new URL(url).host;

/** Makes an example deployable and local:
 *  - adds a `tab` for each `z` that the file references but does not define (label = the example name);
 *  - rewrites `localhost:1880` (http request URLs, websocket client paths, inject props) to the server's host:port;
 *  - rewrites file paths under /tmp (file, file in, watch, inject props) to the same paths under ctx.tmpDir.
 *  Names and comments are left as they are. The same rewrite is used for every server, so the output is
 *  comparable after normalise(). */
export function prepareFlow(nodes: FlowNode[], ctx: PrepareContext): FlowNode[] {
  const defined = new Set(nodes.filter((n) => n.type === 'tab' || n.type === 'subflow').map((n) => n.id));
  const zs: string[] = [];
  for (const n of nodes) if (typeof n.z === 'string' && n.z && !defined.has(n.z) && !zs.includes(n.z)) zs.push(n.z);
  const label = ctx.label ?? 'Example';
  const tabs: FlowNode[] = zs.map((z, i) => ({ id: z, type: 'tab', label: zs.length > 1 ? `${label} ${i + 1}` : label, disabled: false, info: '' }));
  const host = hostOf(ctx.baseUrl);
  const tmp = ctx.tmpDir.replace(/\/$/, '');
  const rewrite = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let r = v.replace(/localhost:1880\b/g, host);
      if (r === '/tmp' || r.startsWith('/tmp/')) r = tmp + r.slice(4);
      return r;
    }
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    return v;
  };
  const out = nodes.map((n) => Object.fromEntries(Object.entries(n).map(([k, v]) => [k, SKIP_KEYS.has(k) ? v : rewrite(v)])) as FlowNode);
  return [...tabs, ...out];
}

// ------------------------------------------------------------------------------------------------ normalisation

export interface NormaliseContext {
  baseUrl: string;
  tmpDir: string;
  /** ms since epoch when the run started: numbers within ±2 days of it are timestamps. */
  now?: number;
  ignore?: string[];
  patterns?: Array<[RegExp, string]>;
}

const DAY = 86_400_000;
const DATE_TOSTRING = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}( \([^)]*\))?/g;
const DATE_UTC = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT/g;
const DATE_ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g;
const MS_DIGITS = /\b1\d{12}\b/g;
const ENCODED_FORMATS = /^(Object|array\[\d+\]|error|set\[\d+\]|map)$/;

/** Normalises one string: temp dir → /tmp, server host:port → localhost:1880, $HOME → <HOME>, dates and
 *  epoch-ms timestamps → <date>/<timestamp>, `pid:1234` (exec status) → `pid:<pid>`, then the example's own
 *  patterns. */
export function normaliseString(v: string, ctx: NormaliseContext): string {
  const now = ctx.now ?? Date.now();
  let r = v;
  const tmp = ctx.tmpDir.replace(/\/$/, '');
  if (tmp) r = r.split(tmp).join('/tmp');
  const host = hostOf(ctx.baseUrl);
  r = r.split(host).join('localhost:1880');
  const [hn, port] = [new URL(ctx.baseUrl).hostname, new URL(ctx.baseUrl).port];
  if (port) r = r.split(`localhost:${port}`).join('localhost:1880').split(`${hn}:${port}`).join('localhost:1880');
  const home = os.homedir();
  if (home && home !== '/' && r === home) r = '<HOME>';
  r = r.replace(DATE_TOSTRING, '<date>').replace(DATE_UTC, '<date>').replace(DATE_ISO, '<date>');
  r = r.replace(/\bpid:\d+/g, 'pid:<pid>');
  r = r.replace(MS_DIGITS, (d) => (Math.abs(Number(d) - now) < 2 * DAY ? '<timestamp>' : d));
  for (const [re, to] of ctx.patterns ?? []) r = r.replace(re, to);
  return r;
}

const isTimestamp = (n: number, now: number) => Number.isInteger(n) && Math.abs(n - now) < 2 * DAY;

/** Deep-normalises a decoded value (see normaliseString); `_msgid`, `parts.id`, `stack` and the like are
 *  replaced by placeholders. */
export function normaliseValue(v: unknown, ctx: NormaliseContext, key = '', parentKey = ''): unknown {
  const now = ctx.now ?? Date.now();
  if (typeof v === 'string') {
    if (key === '_msgid' || (parentKey === 'parts' && key === 'id')) return '<msgid>';
    if (key === 'stack') return '<stack>';
    return normaliseString(v, ctx);
  }
  if (typeof v === 'number') return isTimestamp(v, now) ? '<timestamp>' : v;
  if (Array.isArray(v)) return v.map((x) => normaliseValue(x, ctx, '', key));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normaliseValue(x, ctx, k, key);
    return out;
  }
  return v;
}

function applyIgnore(value: unknown, paths: string[]): unknown {
  if (!paths.length) return value;
  if (paths.includes('')) return '<ignored>';
  if (!value || typeof value !== 'object') return value;
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  for (const p of paths) {
    const parts = p.split('.');
    let o: any = copy;
    for (let i = 0; i < parts.length - 1 && o && typeof o === 'object'; i++) o = o[parts[i]];
    if (o && typeof o === 'object' && parts[parts.length - 1] in o) o[parts[parts.length - 1]] = '<ignored>';
  }
  return copy;
}

/** Normalises the `data` of one debug comms message (a debug node's output or a logged warning/error). */
export function normaliseDebug(data: DebugData, ctx: NormaliseContext): DebugData {
  const out: DebugData = {};
  const id = typeof data.id === 'string' ? data.id : '';
  const ignore = (ctx.ignore ?? []).flatMap((p) => {
    const m = /^([^:]+):(.*)$/.exec(p);
    return m ? (m[1] === id ? [m[2]] : []) : [p];
  });
  for (const [k, v] of Object.entries(data)) {
    if (k === 'timestamp') { out[k] = '<timestamp>'; continue; }
    if (k === 'msg') continue;
    out[k] = typeof v === 'string' ? normaliseString(v, ctx) : normaliseValue(v, ctx, k);
  }
  if ('msg' in data) {
    const fmt = typeof data.format === 'string' ? data.format : '';
    const m = data.msg;
    if (typeof m === 'string' && ENCODED_FORMATS.test(fmt)) {
      let parsed: unknown; let ok = true;
      try { parsed = JSON.parse(m); } catch { ok = false; }
      out.msg = ok ? JSON.stringify(applyIgnore(normaliseValue(parsed, ctx), ignore)) : normaliseString(m, ctx);
    } else if (typeof m === 'string' && fmt === 'number') {
      out.msg = isTimestamp(Number(m), ctx.now ?? Date.now()) ? '<timestamp>' : m;
    } else if (typeof m === 'string' && fmt === 'Date') {
      out.msg = '<date>';
    } else if (typeof m === 'string' && /^string\[\d+\]$/.test(fmt)) {
      const ign = applyIgnore(m, ignore);
      const n = ign === m ? normaliseString(m, ctx) : (ign as string);
      out.msg = n;
      if (n !== m && !m.endsWith('...')) out.format = `string[${n.length}]`;
    } else {
      out.msg = applyIgnore(typeof m === 'string' ? normaliseString(m, ctx) : normaliseValue(m, ctx), ignore);
    }
  }
  // keep the key order of the original message
  return Object.fromEntries(Object.keys(data).map((k) => [k, out[k]])) as DebugData;
}

// ------------------------------------------------------------------------------------------------ running

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** POST /flows (API v2), full deploy; resolves with the new revision. Throws on a non-2xx answer.
 *  Node-RED answers before the new flows have started (it starts them afterwards and then publishes
 *  `notification/runtime-deploy` {revision}): pass a comms client subscribed to that topic to wait for it
 *  (at most `waitMs`, default 5000; then it goes on anyway). */
export async function deploy(baseUrl: string, flows: FlowNode[], ws?: TestClient, waitMs = 5000): Promise<string | undefined> {
  const from = ws?.frames.length ?? 0;
  const res = await post(withSlash(baseUrl) + 'flows', { flows }, { 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v2' });
  if (!res.ok) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
  const text = await res.text().catch(() => '');
  let rev: string | undefined;
  try { rev = (JSON.parse(text) as { rev?: string }).rev; } catch { /* no body */ }
  if (ws) {
    const started = () => ws.frames.slice(from).some((f) => Array.isArray(f.value) && (f.value as CommsMessage[]).some((m) =>
      m.topic === 'notification/runtime-deploy' && (rev === undefined || (m.data as { revision?: string })?.revision === rev)));
    const end = Date.now() + waitMs;
    while (!started() && Date.now() < end) await sleep(10);
  }
  return rev;
}

/** POST /inject/<id>. Throws on a non-2xx answer. */
export async function pressInject(baseUrl: string, id: string): Promise<void> {
  const res = await fetch(withSlash(baseUrl) + 'inject/' + encodeURIComponent(id), { method: 'POST' });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`inject ${id} failed: ${res.status}`);
}

const withSlash = (u: string) => (u.endsWith('/') ? u : u + '/');

const KEPT_HEADERS = ['content-type', 'location', 'set-cookie', 'x-powered-by', 'cache-control'];

async function httpAction(nodeBase: string, h: HttpRequestSpec): Promise<Omit<HttpResult, 'request'> & { request: string }> {
  const method = (h.method ?? 'GET').toUpperCase();
  let body: BodyInit | undefined = h.body;
  const headers: Record<string, string> = { ...(h.headers ?? {}) };
  if (h.upload) {
    const fd = new FormData();
    fd.append(h.upload.field, new Blob([h.upload.content], { type: h.upload.type ?? 'application/octet-stream' }), h.upload.filename);
    body = fd;
  }
  const res = await fetch(withSlash(nodeBase) + h.path.replace(/^\//, ''), { method, headers, body, redirect: 'manual' });
  const out: Record<string, string | string[]> = {};
  for (const k of KEPT_HEADERS) {
    if (k === 'set-cookie') { const c = res.headers.getSetCookie(); if (c.length) out[k] = c; continue; }
    const v = res.headers.get(k);
    if (v != null) out[k] = v;
  }
  return { request: `${method} ${h.path}`, status: res.status, headers: out, body: await res.text() };
}

/** Runs one example on a running server and returns the normalised result (see ExampleResult).
 *  baseUrl: the admin root, e.g. 'http://127.0.0.1:1880/'. */
export async function runExample(baseUrl: string, example: string, opts: RunOptions = {}): Promise<ExampleResult & { raw?: CommsMessage[] }> {
  const base = withSlash(baseUrl);
  const nodeBase = withSlash(opts.nodeBaseUrl ?? base);
  const examplesDir = opts.examplesDir ?? defaultExamplesDir();
  const nodes = loadExample(example, examplesDir);
  const plan = planFor(example, nodes, opts.plan);
  const result: ExampleResult & { raw?: CommsMessage[] } = {
    example, debug: [], status: [], http: [], order: plan.order, statusOrder: plan.status,
    ...(plan.ignore.length ? { ignore: plan.ignore } : {}),
    ...(plan.ignoreNodes.length ? { ignoreNodes: plan.ignoreNodes } : {}), ...(plan.note ? { note: plan.note } : {}),
  };
  if (plan.skip) return { ...result, skip: plan.skip };

  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nr-example-'));
  const nctx: NormaliseContext = { baseUrl: nodeBase, tmpDir, now: Date.now(), ignore: plan.ignore, patterns: plan.patterns };
  let ws: TestClient | undefined;
  try {
    for (const d of plan.mkdirs) await fsp.mkdir(path.join(tmpDir, d), { recursive: true });
    for (const [f, content] of Object.entries(plan.files)) {
      await fsp.mkdir(path.dirname(path.join(tmpDir, f)), { recursive: true });
      await fsp.writeFile(path.join(tmpDir, f), content);
    }
    const label = path.basename(example, '.json');
    const flows = prepareFlow(nodes, { baseUrl: nodeBase, tmpDir, label });
    const ids = new Set(flows.map((n) => n.id));
    ws = await openComms(commsUrl(base));
    ws.send({ subscribe: 'debug' });
    ws.send({ subscribe: 'status/#' });
    ws.send({ subscribe: 'notification/runtime-deploy' });
    await sleep(100);
    const skipFrames = ws.frames.length;   // retained replays from before the deploy
    await deploy(base, flows, ws);
    if (plan.startDelay) await sleep(plan.startDelay);
    for (const a of plan.actions) {
      if ('wait' in a) await sleep(a.wait);
      else if ('inject' in a) await pressInject(base, a.inject);
      else if ('http' in a) {
        const r = await httpAction(nodeBase, a.http);
        result.http.push({
          request: r.request, status: r.status,
          headers: normaliseValue(r.headers, nctx) as Record<string, string | string[]>,
          body: normaliseString(r.body, nctx),
        });
      }
    }
    await sleep(plan.settle);
    const msgs = ws.frames.slice(skipFrames).flatMap((f) => (Array.isArray(f.value) ? (f.value as CommsMessage[]) : []));
    if (opts.keepRaw) result.raw = msgs;
    const dropped = new Set(plan.ignoreNodes);
    for (const m of msgs) {
      if (m.topic === 'debug' && dropped.has(String((m.data as DebugData)?.id))) continue;
      if (m.topic.startsWith('status/') && dropped.has(m.topic.slice('status/'.length))) continue;
      if (m.topic === 'debug') result.debug.push(normaliseDebug(m.data as DebugData, nctx));
      else if (m.topic.startsWith('status/')) {
        const id = m.topic.slice('status/'.length);
        if (ids.has(id)) result.status.push({ id, status: normaliseValue(m.data, nctx) as Record<string, unknown> });
      }
    }
  } finally {
    if (opts.clear !== false) await deploy(base, [], ws).catch(() => undefined);
    if (ws) await ws.close().catch(() => undefined);
    await fsp.rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
  return result;
}

// ------------------------------------------------------------------------------------------------ comparing

/** Debug messages grouped by the node that sent them (`id`; log messages too), each group in order. */
export function perNode<T extends { id?: unknown }>(list: T[]): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const m of list) (out[String(m.id)] ??= []).push(m);
  return out;
}

/** JSON text with object keys sorted (recursively, also inside the encoded `msg` of debug messages). */
export function canonicalJson(v: unknown): string {
  const sort = (x: unknown, key = '', fmt = ''): unknown => {
    if (key === 'msg' && typeof x === 'string' && ENCODED_FORMATS.test(fmt)) {
      try { return { __json__: sort(JSON.parse(x)) }; } catch { return x; }
    }
    if (Array.isArray(x)) return x.map((y) => sort(y));
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const f = typeof o.format === 'string' ? o.format : '';
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sort(o[k], k, f)]));
    }
    return x;
  };
  return JSON.stringify(sort(v));
}

export interface DiffOptions {
  /** Compare objects regardless of key order (default false: Node-RED's key order is part of the fixture). */
  ignoreKeyOrder?: boolean;
}

/** Differences between a fixture and a run (empty when they match): debug messages in total or per-node order
 *  (the fixture's `order`), status updates per node (unless `statusOrder: 'none'`), http answers. */
export function diffResults(expected: ExampleResult, actual: ExampleResult, opts: DiffOptions = {}): string[] {
  const diffs: string[] = [];
  const j = opts.ignoreKeyOrder ? canonicalJson : (v: unknown) => JSON.stringify(v);
  if (expected.skip) return diffs;
  const cmpList = (what: string, e: unknown[], a: unknown[]) => {
    const n = Math.max(e.length, a.length);
    for (let i = 0; i < n; i++) {
      if (j(e[i]) !== j(a[i])) {
        const show = (v: unknown) => (v === undefined ? '(nothing)' : JSON.stringify(v));
        diffs.push(`${what}[${i}]: expected ${show(e[i])}, got ${show(a[i])}`);
      }
    }
  };
  if (expected.order === 'per-node') {
    const e = perNode(expected.debug); const a = perNode(actual.debug);
    for (const id of new Set([...Object.keys(e), ...Object.keys(a)])) cmpList(`debug(${id})`, e[id] ?? [], a[id] ?? []);
  } else cmpList('debug', expected.debug, actual.debug);
  if (expected.statusOrder !== 'none') {
    const e = perNode(expected.status); const a = perNode(actual.status);
    for (const id of new Set([...Object.keys(e), ...Object.keys(a)])) {
      cmpList(`status(${id})`, (e[id] ?? []).map((x) => x.status), (a[id] ?? []).map((x) => x.status));
    }
  }
  cmpList('http', expected.http ?? [], actual.http ?? []);
  return diffs;
}
