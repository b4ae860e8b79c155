// E2E harness: one Chromium (Debian's, via playwright-core) and one target server per test file, a fresh
// browser context per test, and a record of everything that went wrong in the page — uncaught errors,
// console errors (and errors the editor only logs), failed requests, answers >= 400, websocket errors,
// error notifications. Each test ends by asserting that record is empty (save what the test declared it
// expects); a failed test leaves a screenshot and the server log in /tmp/crimson-e2e/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { TestContext } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTarget } from './target.js';
import type { Target, TargetOptions } from './target.js';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = '/tmp/crimson-e2e';

const SKIP = process.env.E2E_SKIP === '1' || (!fs.existsSync(CHROMIUM) && !process.env.CI);
/**
 * describe() for e2e files: skipped with E2E_SKIP=1, or when there is no Chromium and this is not CI (in
 * CI a missing browser is a failure).
 */
export function describeE2E(name: string, opts: { timeout: number }, fn: () => void): void {
  (SKIP ? describe.skip : describe)(name, opts, fn);
}

/** Settings every e2e target gets unless a file overrides them: no first-run telemetry question, no tour. */
export const QUIET_EDITOR = { editorTheme: { tours: false }, telemetry: { enabled: false } };

/** A problem the current test expects (it is then not reported). */
export interface Expected { status?: number; url?: RegExp; text?: RegExp }

export interface Session {
  page: Page;
  context: BrowserContext;
  /**
   * Declares an expected problem, e.g. { status: 401, url: /\/settings/ } before login, from now on; the
   * function returned ends the expectation (what matches after it is a problem again).
   */
  expect(e: Expected): () => void;
  /** Problems so far (not counting expected ones). */
  problems(): string[];
  /** Comms messages the page received so far ({ topic, data }). */
  frames: { topic: string; data: unknown }[];
  /** Waits for a comms message whose topic matches. */
  frame(topic: RegExp, timeout?: number): Promise<{ topic: string; data: unknown }>;
}

interface Problem { kind: string; status?: number; url?: string; text: string; at: number }
interface Allowance { e: Expected; from: number; to: number }

const matches = (p: Problem, { e, from, to }: Allowance) => p.at >= from && p.at < to && (
  (e.status === undefined || p.status === e.status) &&
  (e.url === undefined || (p.url !== undefined && e.url.test(p.url))) &&
  (e.text === undefined || e.text.test(p.text)) ||
  // the console's "Failed to load resource" line for an expected answer is expected as well
  (p.kind === 'console error' && e.url !== undefined && p.url !== undefined && e.url.test(p.url)));

async function newSession(browser: Browser, target: Target): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const origin = new URL(target.url).origin;
  const found: Problem[] = [];
  const expected: Allowance[] = [];
  let clock = 0;
  const add = (p: Omit<Problem, 'at'>) => found.push({ ...p, at: clock++ });
  // the machine has no internet: the palette manager's catalogue gets an empty answer, anything else
  // outside the target is refused (and so reported as a failed request)
  await context.route((u) => u.origin !== origin, (route) => {
    if (/catalogue\.nodered\.org\/catalogue\.json/.test(route.request().url())) {
      return route.fulfill({ status: 200, contentType: 'application/json', body: '{"name":"offline","modules":[]}' });
    }
    return route.abort('blockedbyclient');
  });
  // error notifications (RED.notify type 'error') are problems too, even when they fade before the end
  await context.exposeBinding('__e2eNotified', (_src, text: string) => add({ kind: 'error notification', text }));
  await context.addInitScript(() => {
    const watch = () => new MutationObserver((records) => {
      for (const r of records) for (const n of Array.from(r.addedNodes)) {
        if (n instanceof HTMLElement && n.classList.contains('red-ui-notification-error')) {
          (window as any).__e2eNotified(n.textContent ?? '');
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
    if (document.body) watch(); else document.addEventListener('DOMContentLoaded', watch);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => add({ kind: 'page error', text: e.stack ?? e.message }));
  page.on('console', (m) => {
    if (m.type() === 'error') add({ kind: 'console error', url: m.location().url, text: m.text() });
    else if (m.type() === 'warning' && /fail|error/i.test(m.text())) add({ kind: 'console warning', url: m.location().url, text: m.text() });
    // the editor catches some exceptions and only console.log()s them
    else if (/^(\w*Error|Definition error)\b/.test(m.text())) add({ kind: 'console log of an error', url: m.location().url, text: m.text() });
  });
  page.on('requestfailed', (r) => {
    const err = r.failure()?.errorText ?? '';
    add({ kind: 'request failed', url: r.url(), text: `${r.method()} ${r.url()}: ${err}` });
  });
  page.on('response', (r) => {
    // E2E_TRACE=<file>: every answer the page got, one line each (for comparing targets)
    if (process.env.E2E_TRACE) fs.appendFileSync(process.env.E2E_TRACE, `${r.request().method()} ${r.url().startsWith(origin) ? r.url().slice(origin.length) : r.url()} ${r.status()} ${r.headers()['content-type'] ?? ''}\n`);
    if (r.status() >= 400) add({ kind: 'bad response', status: r.status(), url: r.url(), text: `${r.request().method()} ${r.url()} -> ${r.status()}` });
  });
  const frames: { topic: string; data: unknown }[] = [];
  page.on('websocket', (ws) => {
    ws.on('socketerror', (e) => add({ kind: 'websocket error', url: ws.url(), text: e }));
    ws.on('framereceived', (f) => {
      try {
        const m = JSON.parse(String(f.payload));
        for (const one of Array.isArray(m) ? m : [m]) if (one && typeof one.topic === 'string') frames.push(one);
      } catch { /* not JSON: not a comms message */ }
    });
  });
  return {
    page, context, frames,
    async frame(topic, timeout = 30000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const f = frames.find((x) => topic.test(x.topic));
        if (f) return f;
        if (Date.now() > deadline) throw new Error(`no comms message on ${topic} (got ${frames.map((x) => x.topic).join(', ')})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    expect(e) {
      const w = { e, from: clock, to: Infinity };
      expected.push(w);
      return () => { w.to = clock; };
    },
    problems: () => found.filter((p) => !expected.some((w) => matches(p, w))).map((p) => `${p.kind}: ${p.text}`),
  };
}

export interface E2E {
  readonly target: Target;
  readonly browser: Browser;
  /** The current test's session (a fresh browser context). */
  readonly s: Session;
  readonly page: Page;
  /** Another browser context (own cache and storage) in the same test; checked and closed with the test. */
  session(): Promise<Session>;
}

/**
 * Registers the hooks for one test file: browser + target for the file, a session per test. The target's
 * settings are QUIET_EDITOR + opts.settings, or opts.settings alone with quiet: false.
 */
export function useE2E(opts: TargetOptions & { quiet?: boolean } = {}): E2E {
  let browser: Browser | undefined;
  let target: Target | undefined;
  let sessions: Session[] = [];
  beforeAll(async () => {
    [browser, target] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
      startTarget({ settings: opts.quiet === false ? opts.settings : { ...QUIET_EDITOR, ...opts.settings }, flows: opts.flows }),
    ]);
  }, 120000);
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), target?.stop()]);
  }, 60000);
  beforeEach(async () => {
    sessions = [await newSession(browser!, target!)];
  }, 60000);
  afterEach(async (ctx: TestContext) => {
    const problems = sessions.flatMap((s) => s.problems());
    const failed = ctx.task.result?.state === 'fail' || problems.length > 0;
    if (failed) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const base = path.join(ARTIFACTS, `${path.basename(ctx.task.file?.name ?? 'e2e', '.test.ts')}-${ctx.task.name}`.replace(/[^\w.-]+/g, '_'));
      await Promise.all(sessions.map((s, i) => s.page.screenshot({ path: `${base}${i ? '-' + i : ''}.png`, fullPage: true }).catch(() => {})));
      fs.writeFileSync(`${base}.log`, [...problems.map((p) => `PROBLEM ${p}`), ...target!.logs()].join('\n'));
    }
    await Promise.allSettled(sessions.map((s) => s.context.close()));
    sessions = [];
    expect(problems, 'problems in the page').toEqual([]);
  }, 60000);
  return {
    get target() { return target!; },
    get browser() { return browser!; },
    get s() { return sessions[0]!; },
    get page() { return sessions[0]!.page; },
    async session() {
      const s = await newSession(browser!, target!);
      sessions.push(s);
      return s;
    },
  };
}
