// The server the e2e suite drives: Crimson (in-process, via start-crimson) by default; a real Node-RED
// (child process) when E2E_NODE_RED names its red.js — used while developing selectors against the oracle.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCrimson } from '../helpers/start-crimson.js';
import type { Settings } from '../../src/settings/types.js';
import { freePort } from '../helpers/free-port.js';

export interface Target {
  kind: 'crimson' | 'node-red';
  /** Editor URL ending in '/'. */
  url: string;
  /** Server log lines so far (written next to screenshots when a test fails). */
  logs(): string[];
  /** fetch() relative to url. */
  api(p: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export interface TargetOptions { settings?: Record<string, unknown>; flows?: unknown[] }

export function targetKind(): Target['kind'] {
  return process.env.E2E_NODE_RED ? 'node-red' : 'crimson';
}

export async function startTarget(opts: TargetOptions = {}): Promise<Target> {
  return targetKind() === 'node-red' ? startNodeRed(process.env.E2E_NODE_RED!, opts) : startCrimsonTarget(opts);
}

function withApi(url: string) {
  return (p: string, init?: RequestInit) => fetch(url + p.replace(/^\//, ''), init);
}

async function startCrimsonTarget(opts: TargetOptions): Promise<Target> {
  const s = await startCrimson({ settings: opts.settings as Settings | undefined, flows: opts.flows });
  return { kind: 'crimson', url: s.url, logs: () => s.logs, api: withApi(s.url), stop: () => s.stop() };
}


async function startNodeRed(redJs: string, opts: TargetOptions): Promise<Target> {
  const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nr-e2e-'));
  const port = await freePort();
  const settings: Record<string, unknown> = { uiHost: '127.0.0.1', flowFile: 'flows.json', ...opts.settings };
  await fs.writeFile(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  if (opts.flows) await fs.writeFile(path.join(userDir, String(settings.flowFile)), JSON.stringify(opts.flows));
  const lines: string[] = [];
  const child = spawn(process.execPath, [redJs, '-u', userDir, '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const root = typeof settings.httpAdminRoot === 'string' ? settings.httpAdminRoot.replace(/^\/?/, '/').replace(/\/?$/, '/') : '/';
  const url = `http://127.0.0.1:${port}${root}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await fs.rm(userDir, { recursive: true, force: true });
  };
  // ready once flows have started (the admin API answers before that)
  const deadline = Date.now() + 60000;
  while (!lines.some((l) => /Started flows|Waiting for missing types/.test(l))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Node-RED did not start:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { kind: 'node-red', url, logs: () => lines, api: withApi(url), stop };
}
