// Runs the same userDir under Crimson (in this process) and under Node-RED 4.1.15 (a child process of its
// red.js), so a test can ask both the same question and compare the answers. Each server gets its own copy
// of the userDir, built by the same function; paths in answers are written as <userDir>.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { startCrimson } from '../../helpers/start-crimson.js';
import type { Settings } from '../../../src/settings/types.js';
import { freePort } from '../../helpers/free-port.js';

export const RED_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('node-red/package.json')), 'red.js');

export interface Server {
  kind: 'crimson' | 'node-red';
  url: string;
  userDir: string;
  /** Log lines so far, without their time stamps ("[warn] …"). */
  logs(): string[];
  get(p: string, headers?: Record<string, string>): Promise<Response>;
  /** GET as JSON (Accept: application/json), with the userDir's path replaced by <userDir>. */
  json(p: string): Promise<{ status: number; body: any }>;
  /** GET as text, userDir path replaced. */
  text(p: string, headers?: Record<string, string>): Promise<{ status: number; type: string | null; body: string }>;
  deploy(flows: unknown[]): Promise<void>;
  stop(): Promise<void>;
}

export type Builder = (userDir: string) => Promise<void>;
/** Settings, or a function of the userDir (for paths inside it). */
export type SettingsFor = Record<string, unknown> | ((userDir: string) => Record<string, unknown>);
const settingsOf = (s: SettingsFor | undefined, userDir: string) => (typeof s === 'function' ? s(userDir) : (s ?? {}));

const stamp = /^\d+ \w{3} \d\d:\d\d:\d\d - /;


/** Polls `check` every 50 ms until it is true or `ms` have passed. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 20000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An answer or log line with the userDir's path as <userDir>, and Node-RED's version as it is released:
 * run from inside a git work tree (this repository), Node-RED calls itself "4.1.15-git".
 */
export const scrubber = (userDir: string) => (s: string) => s.split(userDir).join('<userDir>').replace(/4\.1\.15-git/g, '4.1.15');

function api(url: string, userDir: string, deploy: (f: unknown[]) => Promise<void>) {
  const scrub = scrubber(userDir);
  const get = (p: string, headers?: Record<string, string>) => fetch(url + p.replace(/^\//, ''), { headers });
  return {
    get,
    async json(p: string) {
      const res = await get(p, { accept: 'application/json' });
      const t = await res.text();
      let body: unknown = t;
      try { body = JSON.parse(scrub(t)); } catch { /* not JSON: kept as text */ }
      return { status: res.status, body };
    },
    async text(p: string, headers?: Record<string, string>) {
      const res = await get(p, headers);
      return { status: res.status, type: res.headers.get('content-type'), body: scrub(await res.text()) };
    },
    deploy,
  };
}

async function makeUserDir(prefix: string, build: Builder): Promise<string> {
  // realpath: macOS-style /tmp symlinks would make the paths in answers differ
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  await build(dir);
  return dir;
}

export async function startCrimsonOn(build: Builder, settings?: SettingsFor): Promise<Server> {
  const userDir = await makeUserDir('crimson-loader-', build);
  // settings.userDir as Crimson's command line sets it (RED.settings.userDir: packages keep files there)
  const c = await startCrimson({ userDir, settings: { userDir, ...settingsOf(settings, userDir) } as Settings });
  const deploy = async (flows: unknown[]) => {
    const res = await fetch(c.url + 'flows', { method: 'POST', headers: { 'content-type': 'application/json', 'node-red-deployment-type': 'full' }, body: JSON.stringify(flows) });
    if (res.status !== 204 && res.status !== 200) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
  };
  return {
    kind: 'crimson', url: c.url, userDir,
    logs: () => c.logs.map((l) => scrubber(userDir)(l.replace(stamp, ''))),
    ...api(c.url, userDir, deploy),
    async stop() {
      await c.stop();
      await fs.rm(userDir, { recursive: true, force: true });
    },
  };
}

export async function startNodeRedOn(build: Builder, settings?: SettingsFor): Promise<Server> {
  const userDir = await makeUserDir('nr-loader-', build);
  const port = await freePort();
  const all = { uiHost: '127.0.0.1', logging: { console: { level: 'debug' } }, ...settingsOf(settings, userDir) };
  await fs.writeFile(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(all, null, 2)};\n`);
  const lines: string[] = [];
  const child = spawn(process.execPath, [RED_JS, '-u', userDir, '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let partial = '';
  const collect = (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await fs.rm(userDir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error('exited');
      return lines.some((l) => /Started flows|Waiting for missing types|Stopped flows/.test(l));
    }, 60000, 'Node-RED to start');
  } catch (err) {
    await stop();
    throw new Error(`Node-RED did not start (${String(err)}):\n${lines.join('\n')}`);
  }
  const deploy = async (flows: unknown[]) => {
    const res = await fetch(url + 'flows', { method: 'POST', headers: { 'content-type': 'application/json', 'node-red-deployment-type': 'full' }, body: JSON.stringify(flows) });
    if (res.status !== 204 && res.status !== 200) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
  };
  return {
    kind: 'node-red', url, userDir,
    logs: () => lines.map((l) => scrubber(userDir)(l.replace(stamp, ''))),
    ...api(url, userDir, deploy),
    stop,
  };
}

/** Both servers on the same fixture and settings. */
export async function startBoth(build: Builder, settings?: SettingsFor): Promise<{ crimson: Server; nodeRed: Server; stop(): Promise<void> }> {
  const [nodeRed, crimson] = await Promise.all([startNodeRedOn(build, settings), startCrimsonOn(build, settings)]);
  return { crimson, nodeRed, stop: async () => { await Promise.all([crimson.stop(), nodeRed.stop()]); } };
}

/** The log lines after "Loading palette nodes" up to the flows starting: what the loaders said. */
export function paletteLog(lines: string[]): string[] {
  const from = lines.findIndex((l) => l.includes('Loading palette nodes'));
  return lines.slice(from < 0 ? 0 : from);
}
