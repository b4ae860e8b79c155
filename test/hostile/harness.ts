// Shared checks of the hostile-input suite: start a runtime on its own userDir, assert it still answers,
// that no prototype got polluted, that error bodies leak no stack or path, and that it restarts cleanly.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { Settings } from '../../src/settings/types.js';

export interface Hostile extends Started {
  settings: Settings;
  /** Stops the runtime and removes its userDir. */
  cleanup(): Promise<void>;
}

/** An http in GET <url> -> function -> http response flow on tab `tab` answering `answer` as JSON. */
export function answerFlow(tab: string, url: string, answer: unknown, prefix = tab): Record<string, unknown>[] {
  return [
    { id: tab, type: 'tab', label: tab },
    { id: `${prefix}-in`, type: 'http in', z: tab, url, method: 'get', x: 1, y: 1, wires: [[`${prefix}-fn`]] },
    { id: `${prefix}-fn`, type: 'function', z: tab, x: 1, y: 1, func: `msg.payload = ${JSON.stringify(answer)}; return msg;`,
      outputs: 1, timeout: 0, libs: [], wires: [[`${prefix}-res`]] },
    { id: `${prefix}-res`, type: 'http response', z: tab, x: 1, y: 1, statusCode: '', headers: {}, wires: [] },
  ];
}

/** The flow every hostile runtime starts with: GET /sentinel answers {"alive":true}. */
export const SENTINEL = answerFlow('sentinel', '/sentinel', { alive: true });

export async function startHostile(opts: { settings?: Settings; flows?: unknown[]; userDir?: string } = {}): Promise<Hostile> {
  const userDir = opts.userDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-hostile-')));
  const settings: Settings = { ...opts.settings };
  const started = await startCrimson({ settings, flows: opts.flows ?? (opts.userDir ? undefined : SENTINEL), userDir });
  return {
    ...started,
    settings,
    async cleanup() {
      await started.stop().catch(() => undefined);
      await fs.rm(userDir, { recursive: true, force: true });
    },
  };
}

/** Fetch against the runtime, with a timeout so a hung daemon fails the test instead of stalling it. */
export function call(c: Started, route: string, init: RequestInit & { timeout?: number } = {}): Promise<Response> {
  const { timeout = 5000, ...rest } = init;
  return fetch(c.url + route.replace(/^\//, ''), { signal: AbortSignal.timeout(timeout), ...rest });
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Fails when `text` (an answer body) carries a stack frame or an absolute path of this machine. */
export function expectNoLeak(text: string, userDir: string): void {
  expect(text, 'stack frame in answer').not.toMatch(/\n\s+at\s|\bat\s+\S+\s+\(.*:\d+:\d+\)|\bat\s+(?:file:\/\/)?\/\S+:\d+:\d+/);
  for (const needle of [userDir, '/tmp', os.tmpdir(), '/work', 'node_modules', process.cwd()]) {
    expect(text.includes(needle), `answer mentions ${needle}: ${text.slice(0, 300)}`).toBe(false);
  }
}

/** Reads an error answer: its status is 4xx/5xx, it leaks nothing, and a JSON one is {code, message}. */
export async function expectCleanError(c: Started, res: Response, status?: number): Promise<{ status: number; body: string; parsed?: any }> {
  const body = await res.text();
  if (status !== undefined) expect(res.status, body).toBe(status);
  else expect(res.status, body).toBeGreaterThanOrEqual(400);
  expectNoLeak(body, c.userDir);
  let parsed: any;
  if ((res.headers.get('content-type') ?? '').includes('json') && body) {
    parsed = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && ('code' in parsed || 'message' in parsed)) {
      expect(typeof parsed.code).toBe('string');
      expect(typeof parsed.message).toBe('string');
    }
  }
  return { status: res.status, body, parsed };
}

/** Nothing reached Object.prototype (or Array/Function prototypes). */
export function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'x', 'isAdmin', 'injected']) {
    expect(probe[key], `({}).${key}`).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>)[key], `[].${key}`).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>)[key]).toBeUndefined();
  }
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(OBJECT_PROTO_KEYS);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(ARRAY_PROTO_KEYS);
  expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(FUNCTION_PROTO_KEYS);
}
const OBJECT_PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const ARRAY_PROTO_KEYS = Object.getOwnPropertyNames(Array.prototype).sort();
const FUNCTION_PROTO_KEYS = Object.getOwnPropertyNames(Function.prototype).sort();

/** The admin API still answers GET /flows and GET /settings, and the sentinel flow (when deployed) still runs. */
export async function expectAlive(c: Started, opts: { sentinel?: boolean; headers?: Record<string, string> } = {}): Promise<void> {
  const flows = await call(c, 'flows', { headers: opts.headers });
  expect(flows.status).toBe(200);
  expect(Array.isArray(await flows.json())).toBe(true);
  const settings = await call(c, 'settings', { headers: opts.headers });
  expect(settings.status).toBe(200);
  expect((await settings.json()).version).toBeTypeOf('string');
  if (opts.sentinel !== false) {
    const s = await call(c, 'sentinel');
    expect(s.status).toBe(200);
    expect(await s.json()).toEqual({ alive: true });
  }
  expectNoPollution();
}

/**
 * Stops `c` keeping its userDir, starts a new runtime on it with the same settings, checks it comes up with
 * the flows that were saved, runs them, and takes a normal deploy. Returns the new runtime (same cleanup).
 */
export async function expectCleanRestart(c: Hostile, opts: {
  headers?: Record<string, string>;
  sentinel?: boolean;
  /** Runs right after the new start (e.g. loads a test node module the flows need). */
  prepare?: (h: Hostile) => Promise<void>;
} = {}): Promise<Hostile> {
  const before = (await (await call(c, 'flows', { headers: opts.headers })).json()) as unknown[];
  await c.stop({ keepDir: true });
  const next = await startHostile({ settings: c.settings, userDir: c.userDir });
  if (opts.prepare) await opts.prepare(next);
  // a bad node of the saved flows may report itself ("[error] [type:id] ..."); the runtime itself must not fail
  const errors = next.logs.filter((l) => / - \[(error|fatal)\] (?!\[[^\]:]+:[^\]]+\] )/.test(l));
  expect(errors, 'errors logged at restart').toEqual([]);
  const state = await call(next, 'flows/state', { headers: opts.headers });
  expect(await state.json()).toEqual({ state: 'start' });
  expect(await (await call(next, 'flows', { headers: opts.headers })).json()).toEqual(before);
  await expectAlive(next, { headers: opts.headers, sentinel: opts.sentinel ?? before.some((n) => (n as { id?: unknown }).id === 'sentinel-in') });
  const res = await call(next, 'flows', json([...SENTINEL, ...answerFlow('after', '/after', { after: 1 })], opts.headers));
  expect(res.status, await res.clone().text()).toBe(204);
  expect(await (await call(next, 'after')).json()).toEqual({ after: 1 });
  await expectAlive(next, { headers: opts.headers });
  return next;
}

/** Every file of the userDir (recursively) with its content: compare two snapshots to prove nothing was written. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = await fs.readFile(file, 'utf8');
  }
  return out;
}
