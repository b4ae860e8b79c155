// Test harness for the core nodes Crimson runs from Node-RED's own files: one real Crimson per test file
// (started in beforeAll), a /comms client subscribed to `debug` and `status/#`, and per test a deploy of a tab
// of nodes, inject presses with chosen props (the editor's __user_inject_props__), and what came back: the
// messages each debug node showed (decoded), status updates, console log lines and catch-node messages.
//
// With CORE_ORACLE=node-red in the environment the same tests run against Node-RED 4.1.15 (the devDependency,
// started with a temp userDir and the same settings): that is how their expectations were checked.
import { afterAll, beforeAll, expect } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCrimson } from '../../helpers/start-crimson.js';
import { startNodeRed } from './node-red-oracle.js';
import { commsUrl, openComms, until, type TestClient } from '../../comms/ws-client.js';
import type { Settings } from '../../../src/settings/types.js';

export type Msg = Record<string, any>;
export interface NodeDef { id: string; type: string; [k: string]: unknown }
export interface InjectProp { p: string; v?: string; vt?: string }
export interface StatusUpdate { text?: string; fill?: string; shape?: string }

export const TAB = 'tab';

/** A debug node showing the whole message in the sidebar (what Node-RED's "complete msg object" shows). */
export const debugNode = (id: string): NodeDef =>
  ({ id, type: 'debug', z: TAB, name: id, active: true, tosidebar: true, console: false, tostatus: false, complete: 'true', targetType: 'full', wires: [] });

/** An inject node pressed through POST /inject/<id>, its props given per press. */
export const injectNode = (id: string, wires: string[]): NodeDef =>
  ({ id, type: 'inject', z: TAB, props: [{ p: 'payload' }], payload: '', payloadType: 'str', repeat: '', crontab: '', once: false, wires: [wires] });

/** A catch node for the whole tab, wired to debug node `caught`. */
export const catchAll = (): NodeDef[] => [
  { id: 'catcher', type: 'catch', z: TAB, scope: null, uncaught: false, wires: [['caught']] }, debugNode('caught'),
];

/** Inject props: `payload` given as JSON (or with another type), then any others. */
export function props(payload: unknown, more: Record<string, unknown> = {}, vt = 'json'): InjectProp[] {
  const out: InjectProp[] = [];
  if (payload !== undefined) out.push({ p: 'payload', v: vt === 'json' ? JSON.stringify(payload) : String(payload), vt });
  for (const [p, v] of Object.entries(more)) {
    if (typeof v === 'string') out.push({ p, v, vt: 'str' });
    else if (typeof v === 'number') out.push({ p, v: String(v), vt: 'num' });
    else if (typeof v === 'boolean') out.push({ p, v: String(v), vt: 'bool' });
    else out.push({ p, v: JSON.stringify(v), vt: 'json' });
  }
  return out;
}

/**
 * The value a debug message shows, decoded: Buffers become Buffers (one the sidebar cut to its first 1000
 * bytes stays `{type:'Buffer', data, length, __enc__}`), other encoded values (undefined, errors) stay as shown.
 */
function decodeShown(data: { msg?: unknown; format?: string }): unknown {
  const text = data.msg;
  if (typeof text !== 'string') return text;
  if (!/^(Object|array\[\d+\]|buffer\[\d+\])$/.test(data.format ?? '')) return text;
  const whole = (v: any) => v && v.__enc__ === true && v.type === 'Buffer' && Array.isArray(v.data) && v.data.length === v.length;
  return JSON.parse(text, (_k, v) => (whole(v) ? Buffer.from(v.data) : v));
}

/** What the tests need of a server: Crimson in-process, or Node-RED as the oracle. */
export interface Server {
  url: string;
  /** Console lines it logged. */
  logs: string[];
  stop(): Promise<void>;
}

export interface CoreHarness {
  readonly c: Server;
  readonly ws: TestClient;
  /** A temp directory made for the test file (removed at the end). */
  readonly tmp: string;
  /** Deploys a tab with these nodes (x/y added so none is taken for a config node); clears what was seen. */
  deploy(nodes: NodeDef[], opts?: { tabEnv?: unknown[] }): Promise<void>;
  inject(id: string, p?: InjectProp[]): Promise<void>;
  /** Messages debug node `id` showed so far (whole messages, decoded). */
  shown(id: string): Msg[];
  /** Waits until debug node `id` showed at least n messages (3 s), returns them. */
  waitFor(id: string, n: number, ms?: number): Promise<Msg[]>;
  /** Status updates of node `id` so far. */
  statuses(id: string): StatusUpdate[];
  waitForStatus(id: string, match: (s: StatusUpdate) => boolean, ms?: number): Promise<void>;
  /** Error/warn/info/debug console lines since the deploy, without the time stamp, e.g. "[warn] [csv:c] ..". */
  logs(): string[];
  waitForLog(match: RegExp, ms?: number): Promise<string>;
  /** Sidebar log entries (node.warn/error shown in the debug sidebar): {level, id, type, msg}. */
  sidebar(): Array<{ level: number; id: string; type: string; msg: string }>;
  /** Waits until the sidebar showed at least n log entries (3 s), returns them. */
  waitForSidebar(n: number, ms?: number): Promise<Array<{ level: number; id: string; type: string; msg: string }>>;
}

/** `settings` may depend on the test file's temp directory (e.g. fileWorkingDirectory). */
export function useCoreHarness(opts: { settings?: Settings | ((tmp: string) => Settings) } = {}): CoreHarness {
  let c: Server;
  let ws: TestClient;
  let tmp: string;
  let since = 0;
  let logStart = 0;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-core-'));
    const settings = typeof opts.settings === 'function' ? opts.settings(tmp) : opts.settings ?? {};
    c = process.env.CORE_ORACLE === 'node-red' ? await startNodeRed(settings) : await startCrimson({ settings });
    ws = await openComms(commsUrl(c.url));
    ws.send({ subscribe: 'debug' });
    ws.send({ subscribe: 'status/#' });
    ws.send({ subscribe: 'notification/#' });
  });
  afterAll(async () => {
    await ws?.close();
    await c?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });
  let deploys = 0;
  const notified = (rev: string) => ws.messages().slice(since).some((m) => m.topic === 'notification/runtime-deploy' && (m.data as { revision?: string }).revision === rev);
  const recent = () => ws.messages().slice(since);
  const debugData = () => recent().filter((m) => m.topic === 'debug').map((m) => m.data as Record<string, any>);
  const shown = (id: string) => debugData().filter((d) => d.id === id && d.level === undefined).map((d) => decodeShown(d) as Msg);
  const statuses = (id: string) => recent().filter((m) => m.topic === `status/${id}`).map((m) => m.data as StatusUpdate);
  const sidebar = () => debugData().filter((d) => d.level !== undefined).map((d) => ({ level: d.level as number, id: d.id as string, type: d.type as string, msg: d.msg as string }));
  const logs = () => c.logs.slice(logStart).map((l) => l.replace(/^\d+ \w+ [\d:]+ - /, ''));
  return {
    get c() { return c; },
    get ws() { return ws; },
    get tmp() { return tmp; },
    async deploy(nodes, o = {}) {
      const flows = [{ id: TAB, type: 'tab', label: 'core nodes', env: o.tabEnv ?? [] },
        ...nodes.map((n) => ('wires' in n && !('x' in n) ? { x: 100, y: 100, ...n } : n))];
      // A deploy of an empty tab first stops the previous test's nodes (timers, child processes, watchers);
      // what they published comes before that deploy's notification on the socket, so counting starts after it.
      // Node-RED answers a deploy before its flows have started: the notification of its revision says they have.
      const marker = await deployV2(c.url, [{ id: `marker-${++deploys}`, type: 'tab', label: 'between tests' }]);
      await until(() => notified(marker), 5000, 'the deploy notification');
      since = ws.messages().length;
      logStart = c.logs.length;
      const rev = await deployV2(c.url, flows);
      await until(() => notified(rev), 5000, 'the deploy notification');
    },
    async inject(id, p) {
      const init = p ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ __user_inject_props__: p }) } : { method: 'POST' };
      const res = await fetch(c.url + 'inject/' + id, init);
      expect(res.status, `inject ${id}`).toBe(200);
    },
    shown,
    async waitFor(id, n, ms = 3000) {
      await until(() => shown(id).length >= n, ms, `${n} message(s) at debug node ${id}`).catch((err: Error) => {
        throw new Error(`${err.message} (got ${shown(id).length})`);
      });
      return shown(id);
    },
    statuses,
    async waitForStatus(id, match, ms = 3000) {
      await until(() => statuses(id).some(match), ms, `a status of ${id}`);
    },
    logs,
    async waitForLog(match, ms = 3000) {
      await until(() => logs().some((l) => match.test(l)), ms, `a log line ${match}`);
      return logs().find((l) => match.test(l))!;
    },
    sidebar,
    async waitForSidebar(n, ms = 3000) {
      await until(() => sidebar().length >= n, ms, `${n} sidebar log entries`);
      return sidebar();
    },
  };
}

/** POST /flows (API v2, a full deploy); resolves to the new revision. */
async function deployV2(url: string, flows: unknown[]): Promise<string> {
  const res = await fetch(url + 'flows', {
    method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2' }, body: JSON.stringify({ flows }),
  });
  if (res.status !== 200) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { rev: string }).rev;
}

/** A message without its _msgid (checked to be a generated one). */
export function withoutId(m: Msg): Msg {
  expect(m._msgid).toMatch(/^[0-9a-f]{16}$/);
  const { _msgid, ...rest } = m;
  return rest;
}

/** Resolves after ms (only to let time pass where the behaviour under test is "nothing happens"). */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
