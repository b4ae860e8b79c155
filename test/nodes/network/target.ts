// Test helper for the network node tests: the server a test's flows run on — Crimson in the test process, or,
// with ORACLE=node-red in the environment, the real Node-RED 4.1.15 (node_modules/node-red) as a child process
// on the same flows and settings, so that every expectation can be checked against the oracle by running
//   ORACLE=node-red npx vitest run test/nodes/network/<file>
// Also: a /comms client that records the `debug` and `status/<id>` messages the editor would see.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startCrimson, type Started } from '../../helpers/start-crimson.js';
import { commsUrl, openComms, until, type TestClient } from '../../comms/ws-client.js';
import type { Settings } from '../../../src/settings/types.js';
import type { Scene } from './flow-parts.js';

export const ORACLE = process.env.ORACLE === 'node-red';

export interface Target {
  /** Base URL of the admin API, ending in '/'. */
  url: string;
  /** Base URL of the server (its origin), ending in '/'. */
  origin: string;
  userDir: string;
  /** POST /flows (v1) with `headers`; throws on a non-204 answer. */
  deploy(flows: unknown[], headers?: Record<string, string>): Promise<void>;
  /** Stops the server; keepDir keeps the userDir for a restart. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export interface TargetOptions {
  flows?: unknown[];
  /** Settings: JSON values, and self-contained functions (written into settings.js as their source for Node-RED). */
  settings?: Record<string, unknown>;
  userDir?: string;
}

const NODE_RED = path.resolve('node_modules/node-red/red.js');

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

function adminRoot(settings: Record<string, unknown>): string {
  const root = settings.httpAdminRoot;
  return typeof root === 'string' ? root.replace(/^\/?/, '/').replace(/\/?$/, '/') : '/';
}

async function deployTo(url: string, flows: unknown[], headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(url + 'flows', {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(flows),
  });
  if (res.status !== 204) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
}

/** The settings as JavaScript: JSON, with each function written as its source. */
function settingsSource(settings: Record<string, unknown>): string {
  const functions: string[] = [];
  const json = JSON.stringify(settings, (_k, v: unknown) => {
    if (typeof v !== 'function') return v;
    functions.push(String(v));
    return `__function_${functions.length - 1}__`;
  });
  return json.replace(/"__function_(\d+)__"/g, (_m, i: string) => `(${functions[Number(i)]})`);
}

async function startNodeRed(opts: TargetOptions): Promise<Target> {
  const userDir = opts.userDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'nr-oracle-')));
  const settings = { uiHost: '127.0.0.1', flowFile: 'flows.json', ...opts.settings };
  await fs.writeFile(path.join(userDir, 'settings.js'), `module.exports = ${settingsSource(settings)};\n`);
  if (opts.flows) await fs.writeFile(path.join(userDir, 'flows.json'), JSON.stringify(opts.flows));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NODE_RED, '-u', userDir, '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  try {
    await until(() => /Started flows|Waiting for missing types|Unable to listen/.test(out), 20000, 'Node-RED to start');
  } catch (err) {
    child.kill();
    throw new Error(`${String(err)}\n${out}`);
  }
  if (/Unable to listen/.test(out)) { child.kill(); throw new Error(out); }
  const origin = `http://127.0.0.1:${port}/`;
  const url = `http://127.0.0.1:${port}${adminRoot(settings)}`;
  return {
    url, origin, userDir,
    deploy: (flows, headers) => deployTo(url, flows, headers),
    async stop(o) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      if (!o?.keepDir && !opts.userDir) await fs.rm(userDir, { recursive: true, force: true });
    },
  };
}

async function startOwn(opts: TargetOptions): Promise<Target> {
  const c: Started = await startCrimson({ flows: opts.flows, settings: opts.settings as Settings, userDir: opts.userDir });
  const origin = c.url.replace(/^(https?:\/\/[^/]+\/).*$/, '$1');
  return {
    url: c.url, origin, userDir: c.userDir,
    deploy: (flows, headers) => deployTo(c.url, flows, headers),
    stop: (o) => c.stop(o),
  };
}

/** Starts Crimson (or Node-RED with ORACLE=node-red) with these flows and settings. */
export function startTarget(opts: TargetOptions = {}): Promise<Target> {
  return ORACLE ? startNodeRed(opts) : startOwn(opts);
}

/** A debug node that shows the whole message (its `msg` text in the comms message is the encoded msg). */
export const debugNode = (id: string, z: string) =>
  ({ id, type: 'debug', z, name: '', active: true, tosidebar: true, console: false, tostatus: false, complete: 'true', targetType: 'full', wires: [] });

export interface Observer {
  ws: TestClient;
  /** The decoded `msg` of the debug messages of node `id` (all debug nodes when omitted). */
  debug(id?: string): any[];
  /** The raw `data` of every debug comms message (node warnings and errors included). */
  debugData(): any[];
  /** Waits until node `id` (all when omitted) has shown `n` messages; returns them. */
  waitDebug(n: number, id?: string, ms?: number): Promise<any[]>;
  /** The status updates of node `id`, in order. */
  status(id: string): any[];
  waitStatus(id: string, check: (s: any) => boolean, ms?: number): Promise<any>;
  close(): Promise<void>;
}

/** A /comms client subscribed to `debug` and `status/#` (`token`: an adminAuth access token). */
export async function observe(target: Target, token?: string): Promise<Observer> {
  const ws = await openComms(commsUrl(target.url));
  if (token) {
    // (Node-RED takes any frame sent before its {"auth":"ok"} for anonymous access, and fails it)
    ws.send({ auth: token });
    await until(() => ws.frames.some((f) => f.raw.includes('"auth":"ok"')), 3000, 'comms auth');
  }
  ws.send({ subscribe: 'debug' });
  ws.send({ subscribe: 'status/#' });
  const debugData = () => ws.messages().filter((m) => m.topic === 'debug').map((m) => m.data as any);
  const debug = (id?: string) => debugData().filter((d) => (id ? d.id === id : true) && d.msg !== undefined)
    .map((d) => (d.format === 'Object' || d.format === 'array' ? JSON.parse(d.msg) : d.msg));
  const status = (id: string) => ws.messages().filter((m) => m.topic === `status/${id}`).map((m) => m.data);
  return {
    ws, debug, debugData, status,
    async waitDebug(n, id, ms = 5000) {
      await until(() => debug(id).length >= n, ms, `${n} debug message(s)${id ? ' from ' + id : ''}`);
      return debug(id);
    },
    async waitStatus(id, check, ms = 5000) {
      await until(() => status(id).some(check), ms, `a status of ${id}`);
      return status(id).find(check);
    },
    close: () => ws.close(),
  };
}

/**
 * Presses an inject node (POST /inject/<id>). A deploy is answered before its flows run (on Node-RED too), so
 * a 404 (node not started yet) is retried until `ms` have passed.
 */
export async function inject(target: Target, id: string, headers: Record<string, string> = {}, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const res = await fetch(target.url + 'inject/' + id, { method: 'POST', headers });
    if (res.status === 200) return;
    if (res.status !== 404 || Date.now() > end) throw new Error(`inject ${id}: ${res.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A scene's deploy (its tab, `nodes`, a catch-all and the debug node `out`) and inject presses, on target `t()`. */
export function sceneRunner(t: () => Target, o: () => Observer) {
  return {
    async deploy(s: Scene, nodes: Array<Record<string, unknown>>): Promise<void> {
      await t().deploy([s.tab(), ...nodes, ...s.catchAll(), s.debug('out')]);
    },
    /** Presses the scene's inject nodes in turn, waiting after each for one more message on `out`; returns all of them. */
    async press(s: Scene, ...names: string[]): Promise<any[]> {
      const shown = o().debug(s.id('out')).length;
      for (const [i, n] of names.entries()) {
        await inject(t(), s.id(n));
        await o().waitDebug(shown + i + 1, s.id('out'));
      }
      return o().debug(s.id('out'));
    },
  };
}
