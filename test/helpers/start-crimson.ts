// Test helper: starts a real Crimson runtime on 127.0.0.1:<ephemeral> with a temp userDir.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { createLogger } from '../../src/runtime/logger.js';
import type { Settings } from '../../src/settings/types.js';
import { registerCrimson } from './crimson-servers.js';

export interface Started {
  /** Base URL ending in '/', e.g. http://127.0.0.1:43123/ */
  url: string;
  runtime: Runtime;
  userDir: string;
  /** Console lines the runtime logged. */
  logs: string[];
  stop(opts?: { keepDir?: boolean }): Promise<void>;
  /** POST /flows (v1) and waits for the deploy; throws on a non-2xx answer. */
  deploy(flows: unknown[]): Promise<void>;
}

export async function startCrimson(opts: { flows?: unknown[]; settings?: Settings; userDir?: string; safeMode?: boolean } = {}): Promise<Started> {
  const userDir = opts.userDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-test-')));
  if (opts.flows) await fs.writeFile(path.join(userDir, opts.settings?.flowFile ?? 'flows.json'), JSON.stringify(opts.flows));
  const logs: string[] = [];
  const settings: Settings = { uiHost: '127.0.0.1', uiPort: 0, logging: { console: { level: 'debug' } }, ...opts.settings };
  const logger = createLogger({ logging: settings.logging, write: (l) => logs.push(l) });
  const runtime = createRuntime(settings, { userDir, logger, safeMode: opts.safeMode });
  await runtime.start();
  const a = runtime.server.address() as { port: number };
  const root = typeof settings.httpAdminRoot === 'string' ? settings.httpAdminRoot.replace(/^\/?/, '/').replace(/\/?$/, '/') : '/';
  const url = `http://127.0.0.1:${a.port}${root}`;
  // its admin answers are checked against the OpenAPI document (test/setup/validate-admin-answers.ts)
  const unregister = registerCrimson({ base: url, settings });
  return {
    url, runtime, userDir, logs,
    async stop(o) {
      unregister();
      await runtime.stop();
      if (!o?.keepDir && !opts.userDir) await fs.rm(userDir, { recursive: true, force: true });
    },
    async deploy(flows) {
      const res = await fetch(url + 'flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flows) });
      if (res.status !== 204) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
    },
  };
}
